#!/usr/bin/env bash
# Installs what tiesim needs and is missing (Debian 12, as root), then configures and builds it in build/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkg-config libeigen3-dev libboost-random-dev libcli11-dev catch2
          libtomlplusplus-dev nlohmann-json3-dev libnlopt-cxx-dev zlib1g-dev libopenmpi-dev openmpi-bin python3 python3-pandas python3-matplotlib
          libbenchmark-dev python3-numpy valgrind time
          r-base-core r-cran-readr r-cran-dplyr r-cran-ggplot2 r-cran-jsonlite)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake --preset default >/dev/null
cmake --build --preset default
