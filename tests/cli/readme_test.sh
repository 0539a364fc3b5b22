#!/usr/bin/env bash
# Runs every tiesim and analysis command shown in the README's shell blocks, so that none can go stale.
# The set-up half of the first line (bash .ci/setup.sh && …) is left out: ctest already runs on a build.
set -u
tiesim=${TIESIM:?TIESIM must name the tiesim binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# outputs land in a scratch copy of the layout the README assumes (scenarios/, analysis/, build/tiesim)
ln -s "$root/scenarios" "$root/analysis" "$work/"
mkdir -p "$work/build" && ln -s "$tiesim" "$work/build/tiesim"
cd "$work"

passed=0 failed=0 first=1
while IFS= read -r line; do
  command=${line#bash .ci/setup.sh && }
  case "$command" in
    build/tiesim\ *|analysis/*) ;;
    *) continue ;;
  esac
  command=${command%%#*}  # drop a trailing comment
  eval "$command" >"$work/out.log" 2>&1
  status=$?
  # validate exits 1 when a target is missed: a result, shown in its table, not a failure of the command
  if [ "$status" -eq 0 ] || { [ "$status" -eq 1 ] && [[ $command == "build/tiesim validate "* ]] && grep -q ' passed, .* failed (' "$work/out.log"; }; then
    passed=$((passed + 1))
    # the README's first command shows the case: the summary of the focal dyad over enough replicates, its
    # embassy's fall beside the resolutions and the killing
    if [ "$first" = 1 ]; then
      for expected in "The MYS–PRK ties in 100 replicates (seed 1)" "MYS→PRK embassy" "UNSC 2270" "Kim Jong-nam killed"; do
        if grep -qF "$expected" "$work/out.log"; then passed=$((passed + 1))
        else failed=$((failed + 1)); echo "FAIL: $command: no '$expected' in what it prints"; fi
      done
    fi
  else
    failed=$((failed + 1))
    echo "FAIL: $command"
    sed 's/^/  /' "$work/out.log" | tail -n 20
  fi
  first=0
done < <(awk '/^```sh$/ {inside = 1; next} /^```/ {inside = 0} inside' "$root/README.md")

echo "$passed passed, $failed failed"
test "$failed" -eq 0 && test "$passed" -gt 5
