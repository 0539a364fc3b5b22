#!/usr/bin/env bash
# `tiesim generate world`: a small world that `check` accepts and `run` runs; the same options give the same
# bytes and another seed another world; bad arguments exit 2 with a message; `run --actors/--channels`
# record only the rows asked for. Run by ctest with TIESIM set to the binary; prints one line per failed check.
set -u
TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-generate-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
# expect STATUS PATTERN ARGS...: tiesim exits with STATUS and stderr holds PATTERN (a fixed string)
expect() {
  local status=$1 pattern=$2
  shift 2
  "$TIESIM" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local got=$?
  [ "$got" -eq "$status" ] || fail "tiesim $*: exit status $got, expected $status"
  [ -z "$pattern" ] || grep -qF -- "$pattern" "$TMP/stderr" || fail "tiesim $*: stderr lacks '$pattern': $(head -c 300 "$TMP/stderr")"
}

# a small world: checked, then run in full (two years and the spin-up)
expect 0 "wrote" generate world --actors 20 --channels 5 --years 2 --seed 4 -o "$TMP/world.toml"
expect 0 "" check "$TMP/world.toml"
grep -q "^actors    20:" "$TMP/stdout" || fail "check: not 20 actors: $(head -5 "$TMP/stdout")"
grep -q "^channels  5:" "$TMP/stdout" || fail "check: not 5 channels"
grep -q "sanctions" "$TMP/stdout" || fail "check: no sanctions regime"
grep -q "resolution" "$TMP/stdout" || fail "check: no resolutions"
expect 0 "" run "$TMP/world.toml" -o "$TMP/run" --seed 1 --every 12 --record changes,ties,dyads,actors,events
for file in ties dyads actors events; do [ -s "$TMP/run/$file.csv" ] || fail "run: no $file.csv"; done
[ "$(wc -l < "$TMP/run/ties.csv")" -gt 1000 ] || fail "run: ties.csv too short"

# the same options give the same bytes (standard output), another seed another world
"$TIESIM" generate world --actors 20 --channels 5 --years 2 --seed 4 > "$TMP/again.toml" 2>/dev/null
cmp -s "$TMP/world.toml" "$TMP/again.toml" || fail "generate: the same options gave different files"
"$TIESIM" generate world --actors 20 --channels 5 --years 2 --seed 5 > "$TMP/other.toml" 2>/dev/null
cmp -s "$TMP/world.toml" "$TMP/other.toml" && fail "generate: another seed gave the same file"
grep -qiE "malaysia|korea|china|united states" "$TMP/world.toml" && fail "generate: a real-world name in the file"

# bad arguments: status 2 and a message that names the option
expect 2 "--actors: expected an integer from 4 to 2000" generate world --actors 3
expect 2 "--actors: expected an integer from 4 to 2000" generate world --actors 2001
expect 2 "--channels: expected an integer from 1 to 64" generate world --actors 10 --channels 0
expect 2 "--years: expected an integer from 1 to 1000" generate world --actors 10 --years 0
expect 2 "--actors: expected an integer from 4 to 2000, got '010': leading zeros are not allowed" generate world --actors 010
expect 2 "ties (actors² × channels)" generate world --actors 2000 --channels 64
expect 2 "--actors is required" generate world
expect 2 "--actors: expected an integer from 4 to 2000, got 'ten'" generate world --actors ten
expect 2 "tiesim generate: error: expected a command" generate
[ ! -e "$TMP/none.toml" ] || fail "generate: a file was left by a failed call"

# recording choices: only rows involving A001 or A003, and only two channels in ties.csv
expect 0 "" run "$TMP/world.toml" -o "$TMP/some" --seed 1 --every 12 --actors A003,A001 --channels trade,embassy --record changes,ties,dyads,actors,events
awk -F, 'NR > 1 && $6 != "A001" && $6 != "A003" && $7 != "A001" && $7 != "A003"' "$TMP/some/ties.csv" | grep -q . &&
  fail "--actors: ties.csv has rows of other actors"
awk -F, 'NR > 1 && $8 != "trade" && $8 != "embassy"' "$TMP/some/ties.csv" | grep -q . && fail "--channels: ties.csv has other channels"
awk -F, 'NR > 1 && $5 != "A001" && $5 != "A003" && $6 != "A001" && $6 != "A003"' "$TMP/some/dyads.csv" | grep -q . &&
  fail "--actors: dyads.csv has rows of other actors"
[ "$(cut -d, -f5 "$TMP/some/actors.csv" | sort -u | tr '\n' ' ')" = "A001 A003 actor " ] || fail "--actors: actors.csv rows"
# the selected rows are exactly those of a full run
grep -E '^([^,]*,){5}(A001|A003),' "$TMP/run/ties.csv" | grep -E '^([^,]*,){7}(trade|embassy),' > "$TMP/full_some"
grep -E '^([^,]*,){5}(A001|A003),' "$TMP/some/ties.csv" > "$TMP/some_some"
cmp -s "$TMP/full_some" "$TMP/some_some" || fail "--actors/--channels: rows differ from the full run's"
expect 2 "--actors: error: unknown actor 'A0O1'" run "$TMP/world.toml" -o "$TMP/bad" --actors A0O1
expect 2 "--channels: error: unknown channel 'trde'" run "$TMP/world.toml" -o "$TMP/bad" --channels trde
[ ! -e "$TMP/bad" ] || fail "run: an output directory was made despite a bad id"

if [ "$failed" -gt 0 ]; then echo "$failed failed"; exit 1; fi
echo "all passed"
