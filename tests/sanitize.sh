#!/usr/bin/env bash
# The sanitizer runs: configures, builds and runs
#   - the `asan` preset (AddressSanitizer + UndefinedBehaviorSanitizer): the whole ctest suite;
#   - the `tsan` preset (ThreadSanitizer): the tests that run threads (ctest label 'threaded': the Catch2 tests
#     tagged [run], [sweep], [calibration], [validate] or [threads], and the shipped experiments' sweeps).
# Exits non-zero when any configure, build or test fails; prints how long each part took.
#
#   bash tests/sanitize.sh            both
#   bash tests/sanitize.sh asan       one of them
set -uo pipefail
cd "$(dirname "$0")/.."

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(asan tsan)

status=0
summary=()
started=$(date +%s)
for preset in "${presets[@]}"; do
  case $preset in asan | tsan) ;; *) echo "sanitize: unknown preset '$preset' (asan or tsan)" >&2; exit 2 ;; esac
  t0=$(date +%s)
  echo "sanitize: $preset: configure and build (build/$preset)"
  if ! cmake --preset "$preset" >/dev/null || ! cmake --build --preset "$preset"; then
    summary+=("$preset: BUILD FAILED")
    status=1
    continue
  fi
  t1=$(date +%s)
  echo "sanitize: $preset: ctest --preset $preset"
  if ctest --preset "$preset"; then result=passed; else result=FAILED; status=1; fi
  t2=$(date +%s)
  summary+=("$preset: tests $result (build $((t1 - t0)) s, tests $((t2 - t1)) s)")
done

for line in "${summary[@]}"; do echo "sanitize: $line"; done
echo "sanitize: total $(($(date +%s) - started)) s"
exit $status
