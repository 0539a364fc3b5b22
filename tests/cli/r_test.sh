#!/usr/bin/env bash
# The R in the README and in docs/output.md runs: every ```r block of the README makes its image (a PNG, not
# empty), and docs/output.md's rebuild of ties.csv from changes.csv gives the rows of `--record ties`. Run by
# ctest with TIESIM set to the binary; without Rscript it says so and exits 77, which ctest counts as skipped
# (.ci/setup.sh installs r-base-core, r-cran-readr, r-cran-dplyr, r-cran-ggplot2 and r-cran-jsonlite).
set -u
TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v Rscript >/dev/null; then
  echo "SKIP: Rscript not found (install r-base-core, r-cran-readr, r-cran-dplyr, r-cran-ggplot2, r-cran-jsonlite)"
  exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-r-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
failed=0 blocks=0

# the output the README's R reads: the reference scenario, with the full panel beside the changes
"$TIESIM" run "$SOURCE/scenarios/malaysia_dprk.toml" -o out/malaysia_dprk --replicates 3 --every 3 \
  --record changes,ties,events -q || { echo "FAIL: tiesim run"; exit 1; }

# r_blocks FILE: each ```r block of FILE, separated by a line holding only ---
r_blocks() { awk '/^```r$/ {inside = 1; next} /^```/ && inside {inside = 0; print "---"} inside' "$1"; }

# every README block saves an image that is a PNG with something in it
block=""
while IFS= read -r line; do
  if [ "$line" != "---" ]; then block+="$line"$'\n'; continue; fi
  blocks=$((blocks + 1))
  image=$(printf '%s' "$block" | sed -n 's/.*ggsave("\([^"]*\)".*/\1/p' | head -n 1)
  if [ -z "$image" ]; then echo "FAIL: README R block $blocks saves no image (ggsave)"; failed=$((failed + 1)); block=""; continue; fi
  rm -f "$image"
  if printf '%s' "$block" | Rscript - >"r$blocks.log" 2>&1 && [ "$(head -c 4 "$image" 2>/dev/null | tail -c 3)" = "PNG" ] \
     && [ "$(stat -c %s "$image")" -gt 5000 ]; then
    echo "ok: README R block $blocks wrote $image ($(stat -c %s "$image") bytes)"
  else
    echo "FAIL: README R block $blocks (image $image)"; sed 's/^/  /' "r$blocks.log" | tail -n 20; failed=$((failed + 1))
  fi
  block=""
done < <(r_blocks "$SOURCE/README.md")
if [ "$blocks" -lt 2 ]; then echo "FAIL: expected the README's two R blocks, found $blocks"; failed=$((failed + 1)); fi

# docs/output.md's rebuild, then every row compared with ties.csv (all as text)
{ r_blocks "$SOURCE/docs/output.md" | awk '/^---$/ {exit} {print}'
  cat <<'R'
recorded <- read_csv(file.path(dir, "ties.csv"), col_types = cols(.default = "c"), na = character())
rebuilt <- mutate(ties, across(everything(), as.character))
stopifnot(nrow(recorded) > 1000, identical(names(rebuilt), names(recorded)))
stopifnot(identical(as.data.frame(rebuilt), as.data.frame(recorded)))
cat("rows equal:", nrow(recorded), "\n")
R
} > rebuild.R
if Rscript rebuild.R >rebuild.log 2>&1; then echo "ok: docs/output.md's R rebuild: $(grep 'rows equal' rebuild.log)"
else echo "FAIL: docs/output.md's R rebuild of ties.csv"; sed 's/^/  /' rebuild.log | tail -n 20; failed=$((failed + 1)); fi

if [ "$failed" -eq 0 ]; then echo "r: all passed"; else echo "r: $failed failed"; exit 1; fi
