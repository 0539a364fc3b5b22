#!/usr/bin/env bash
# The program gives the golden bytes: the same runs as tests/experiment/run_test.cpp's "[golden]" test, made
# by `tiesim run` (and `tiesim generate world`), hashed and compared with tests/data/golden/*.sha256, the one
# place the golden values live. Run by ctest with TIESIM set to the binary.
set -u
TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-golden-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failed=0

# check NAME DIR: the recorded CSV files of DIR, concatenated in the order ties, dyads, actors, events, hash to
# the value in tests/data/golden/NAME.sha256
check() {
  local name=$1 dir=$2 files=() file
  for file in ties dyads actors events; do [ -f "$dir/$file.csv" ] && files+=("$dir/$file.csv"); done
  local got expected
  got=$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)
  expected=$(cut -d' ' -f1 "$SOURCE/tests/data/golden/$name.sha256")
  if [ "$got" = "$expected" ]; then echo "ok: $name $got"
  else echo "FAIL: $name: $got, golden $expected"; failed=$((failed + 1)); fi
}

# the reference scenario: two replicates, yearly records, on one thread and on two
for threads in 1 2; do
  "$TIESIM" run "$SOURCE/scenarios/malaysia_dprk.toml" -o "$TMP/reference$threads" --seed 7 --replicates 2 --every 12 \
    --record ties,dyads,actors,events \
    --threads "$threads" >/dev/null || { echo "FAIL: run reference"; failed=$((failed + 1)); }
  check reference "$TMP/reference$threads"
done

# a generated world of 400 actors, large enough for a blocked matrix product to sum in another order: one
# replicate, its decisions on one thread and on two
"$TIESIM" generate world --actors 400 --channels 6 --years 1 --seed 11 -o "$TMP/world.toml" >/dev/null
for threads in 1 2; do
  "$TIESIM" run "$TMP/world.toml" -o "$TMP/world$threads" --seed 5 --record dyads,events --every 1000 \
    --threads "$threads" >/dev/null || { echo "FAIL: run world"; failed=$((failed + 1)); }
  check world400 "$TMP/world$threads"
done

if [ "$failed" -eq 0 ]; then echo "golden: all passed"; else echo "golden: $failed failed"; exit 1; fi
