#!/usr/bin/env bash
# The command-line behaviour of tiesim: exit statuses, messages, and the files left behind.
# Run by ctest with TIESIM set to the binary. Prints one line per failed check and, last, "N passed, M failed";
# exits non-zero when any check failed.
set -u

TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
HERE=$(cd "$(dirname "$0")" && pwd)
MINIMAL="$HERE/../../scenarios/minimal.toml"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-cli-test.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

. "$HERE/lib.sh"

# a scenario with one mistake at a known place: line 5, column 8
cat >"$TMP/bad.toml" <<'EOF'
[scenario]
start = 2000-01-01
end = 2001-12-01
[actors.A]
size = "big"
[actors.B]
size = 1
[channels.c]
kind = "mutual"
levels = ["a", "b"]
EOF
# and one that is not TOML: line 2, column 10
printf '[scenario]\nstart = 2000-01-01\n[actors.A\n' >"$TMP/syntax.toml"

# ---- help and version ---------------------------------------------------------------------------------------

invoke --help
expect_status 0
expect_stdout "Example"
expect_stdout "Usage"
# every subcommand listed in the help has its own help with an example
subcommands=$(sed -n '/^Subcommands:/,/^$/p' "$TMP/stdout" | awk 'NR > 1 && NF { print $1 }')
for expected in run check; do
  if printf '%s\n' $subcommands | grep -qx "$expected"; then pass; else fail "tiesim --help does not list '$expected'"; fi
done
for sub in $subcommands; do
  invoke "$sub" --help
  expect_status 0
  expect_stdout "Example"
  expect_stdout "$sub"
done

invoke --version
expect_status 0
if grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' "$TMP/stdout"; then pass; else fail "tiesim --version: no version number"; fi

# ---- bad command lines: exit 2, and the message names the flag or word at fault --------------------------------

invoke --no-such-option
expect_status 2
expect_stderr "tiesim: error: unknown option '--no-such-option'"
expect_stderr "hint: expected one of: run,"
expect_clean_stderr

invoke run "$MINIMAL" --no-such-option -o "$TMP/never"
expect_status 2
expect_stderr "not expected: --no-such-option"
expect_absent "$TMP/never"

invoke frobnicate
expect_status 2
expect_stderr "tiesim: error: unknown command 'frobnicate'"
expect_stderr "hint:"

invoke
expect_status 2
expect_stderr "tiesim: error: expected a command"
expect_stderr "hint: expected one of: run,"

invoke generate
expect_status 2
expect_stderr "tiesim generate: error: expected a command"
expect_stderr "hint: expected one of: world"

invoke generate --actors 10
expect_status 2
expect_stderr "tiesim generate: error: unknown option '--actors' before a command"

invoke run
expect_status 2
expect_stderr "tiesim: error: scenario is required"
expect_empty_stdout

invoke check
expect_status 2
expect_stderr "tiesim: error: scenario is required"

invoke run "$MINIMAL" --replicates 0 -o "$TMP/never"
expect_status 2
expect_stderr "--replicates: expected an integer from 1 to 1000000, got '0'"
expect_absent "$TMP/never"

invoke run "$MINIMAL" --seed notanumber -o "$TMP/never"
expect_status 2
expect_stderr "--seed: expected an integer from 0 to 9223372036854775807, got 'notanumber'"
expect_absent "$TMP/never"

# ---- malformed scenarios: exit 2, file:line:col, nothing written ----------------------------------------------

invoke run "$TMP/bad.toml" -o "$TMP/out-bad"
expect_status 2
expect_stderr "$TMP/bad.toml:5:8: error: actors.A.size"
expect_stderr "got a string"
expect_clean_stderr
expect_empty_stdout
expect_absent "$TMP/out-bad"

invoke check "$TMP/bad.toml"
expect_status 2
expect_stderr "$TMP/bad.toml:5:8: error: actors.A.size"
expect_empty_stdout

# every other subcommand refuses it too (or the command line before it), writing nothing, and says where
for sub in $subcommands; do
  [ "$sub" = run ] || [ "$sub" = check ] && continue
  invoke "$sub" "$TMP/bad.toml" -o "$TMP/out-$sub"
  expect_status 2
  expect_clean_stderr
  expect_absent "$TMP/out-$sub"
  case $sub in
    validate) expect_stderr "$TMP/bad.toml:5:8: error: actors.A.size" ;;
    calibrate) expect_stderr "tiesim: error: --free is required" ;;
    explain) expect_stderr "tiesim: error: --from is required" ;;
    sweep) expect_stderr "$TMP/bad.toml:1:1: error: top level: missing required key 'experiment'" ;;
    sensitivity) expect_stderr "$TMP/bad.toml:1:1: error: not a runs.csv" ;;
    merge) expect_stderr "not expected: -o" ;;
    generate) expect_stderr "tiesim generate: error: unknown command '$TMP/bad.toml'" ;;
    *) fail "tiesim $sub: this test has no expected message for a bad scenario; add one" ;;
  esac
done
if printf '%s\n' $subcommands | grep -qx validate; then
  invoke validate "$TMP/bad.toml" -o "$TMP/out-validate"
  expect_status 2
  expect_stderr "$TMP/bad.toml:5:8: error: actors.A.size"
  expect_absent "$TMP/out-validate"
fi

invoke run "$TMP/syntax.toml" -o "$TMP/out-syntax"
expect_status 2
expect_stderr_regex "syntax\\.toml:3:[0-9]+: error: TOML syntax error"
expect_absent "$TMP/out-syntax"

invoke check "$TMP/syntax.toml"
expect_status 2
expect_stderr_regex "syntax\\.toml:3:[0-9]+: error: TOML syntax error"

invoke run "$TMP/no_such.toml" -o "$TMP/out-missing"
expect_status 2
expect_stderr "$TMP/no_such.toml: error: cannot read scenario '$TMP/no_such.toml': no such file"
expect_absent "$TMP/out-missing"

invoke run "$TMP" -o "$TMP/out-dir"
expect_status 2
expect_stderr "$TMP: error: cannot read scenario '$TMP': it is a directory"
expect_absent "$TMP/out-dir"

# the default output directory (out/<name>) is not created either
mkdir "$TMP/cwd-bad"
invoke_in "$TMP/cwd-bad" run "$TMP/bad.toml"
expect_status 2
expect_stderr "$TMP/bad.toml:5:8: error: actors.A.size"
expect_listing "$TMP/cwd-bad" ""

# ---- output directories that cannot be written --------------------------------------------------------------

printf 'keep me\n' >"$TMP/afile"
invoke run "$MINIMAL" -o "$TMP/afile/out"
expect_status 2
expect_stderr "cannot write output directory '$TMP/afile/out'"
expect_stderr "hint:"
expect_clean_stderr
if [ -f "$TMP/afile" ] && [ "$(cat "$TMP/afile")" = "keep me" ]; then pass; else fail "$command: $TMP/afile was changed"; fi

invoke run "$MINIMAL" -o "$TMP/afile"
expect_status 2
expect_stderr "cannot write output directory '$TMP/afile': it exists and is not a directory"
if [ -f "$TMP/afile" ] && [ "$(cat "$TMP/afile")" = "keep me" ]; then pass; else fail "$command: $TMP/afile was changed"; fi

# a read-only directory: only meaningful when permission bits are enforced (not for root)
mkdir "$TMP/readonly"
chmod 500 "$TMP/readonly"
if ! touch "$TMP/readonly/.probe" 2>/dev/null; then
  invoke run "$MINIMAL" -o "$TMP/readonly/out"
  expect_status 2
  expect_stderr "cannot write output directory '$TMP/readonly/out'"
  invoke run "$MINIMAL" -o "$TMP/readonly"
  expect_status 2
  expect_stderr "$TMP/readonly"
  expect_listing "$TMP/readonly" ""
else
  rm -f "$TMP/readonly/.probe"
  echo "note: running as root, permission bits are not enforced; read-only directory checks skipped"
fi
chmod 700 "$TMP/readonly"

# ---- successful runs ----------------------------------------------------------------------------------------

invoke run "$MINIMAL" -o "$TMP/ok" --seed 7 --every 12 --record changes,ties,dyads,actors,events
expect_status 0
expect_stdout "wrote"
expect_stdout "run.json"
expect_listing "$TMP/ok" "actors.csv changes.csv dyads.csv events.csv run.json ties.csv"
for file in actors.csv changes.csv dyads.csv events.csv ties.csv; do
  if [ "$(head -c 14 "$TMP/ok/$file" 2>/dev/null)" = "run,replicate," ]; then pass; else fail "$command: $file has no CSV header"; fi
  if [ "$(cat "$TMP/ok/$file" 2>/dev/null | wc -l)" -ge 2 ]; then pass; else fail "$command: $file has no rows"; fi
done
expect_file_contains "$TMP/ok/run.json" '"command": "run"'
expect_file_contains "$TMP/ok/run.json" '"seed": 7'
expect_file_contains "$TMP/ok/run.json" '"files": ["ties.csv", "dyads.csv", "actors.csv", "events.csv", "changes.csv"]'

# a second run into the same directory replaces the files and leaves nothing else
invoke run "$MINIMAL" -o "$TMP/ok" --seed 8 --every 12 --quiet --record changes,ties,dyads,actors,events
expect_status 0
expect_empty_stdout
expect_listing "$TMP/ok" "actors.csv changes.csv dyads.csv events.csv run.json ties.csv"
expect_file_contains "$TMP/ok/run.json" '"seed": 8'

invoke run "$MINIMAL" -o "$TMP/some" --record dyads,events --every 12
expect_status 0
expect_listing "$TMP/some" "dyads.csv events.csv run.json"
expect_file_contains "$TMP/some/run.json" '"files": ["dyads.csv", "events.csv"]'

invoke run "$MINIMAL" -o "$TMP/bogus" --record bogus
expect_status 2
expect_stderr "--record"
expect_stderr "unknown file 'bogus'"
expect_stderr "hint: expected one of: ties, dyads, actors, events, changes"
expect_absent "$TMP/bogus"

invoke run "$MINIMAL" -o "$TMP/bogus" --record ties,dyad
expect_status 2
expect_stderr "--record: error: unknown file 'dyad'"
expect_stderr "did you mean 'dyads'?"
expect_absent "$TMP/bogus"

# the default output directory is out/<scenario name> under the working directory
mkdir "$TMP/cwd"
invoke_in "$TMP/cwd" run "$MINIMAL" --every 12
expect_status 0
expect_listing "$TMP/cwd/out/minimal" "changes.csv events.csv run.json"

# --gzip compresses every file run writes, and its text is the same
invoke run "$MINIMAL" -o "$TMP/gz" --seed 8 --every 12 --gzip --record changes,ties,dyads,actors,events -q
expect_status 0
expect_listing "$TMP/gz" "actors.csv.gz changes.csv.gz dyads.csv.gz events.csv.gz run.json ties.csv.gz"
invoke run "$MINIMAL" -o "$TMP/plain" --seed 8 --every 12 --record changes,ties,dyads,actors,events -q
for file in actors.csv changes.csv dyads.csv events.csv ties.csv; do
  if cmp -s <(gzip -dc "$TMP/gz/$file.gz") "$TMP/plain/$file"; then pass; else fail "--gzip: $file.gz is not $file compressed"; fi
done
invoke run "$MINIMAL" -o "$TMP/gz3" --seed 8 --every 12 --gzip --replicates 3 -q
expect_status 0
expect_listing "$TMP/gz3" "changes.csv.gz events.csv.gz run.json"
if gzip -t "$TMP/gz3/changes.csv.gz" && [ "$(gzip -dc "$TMP/gz3/changes.csv.gz" | head -c 14)" = "run,replicate," ]; then pass
else fail "--gzip with 3 replicates: changes.csv.gz is not a gzip file with a header"; fi

# the progress line of run (several replicates), validate and calibrate is for a terminal: nothing of it on a pipe
for args in "run $MINIMAL -o $TMP/progress-run --replicates 30 --every 12" \
            "validate $MINIMAL -o $TMP/progress-validate --replicates 300" \
            "calibrate $MINIMAL --free actors.MID.pressure_sensitivity=0.5:4 --budget 4 --replicates 20 -o $TMP/progress-calibrate"; do
  command="tiesim $args 2>&1 >/dev/null | cat"
  # shellcheck disable=SC2086  # the arguments are words
  piped=$("$TIESIM" $args 2>&1 >/dev/null | cat)
  if [ -z "$piped" ]; then pass; else fail "$command: printed '$(printf '%s' "$piped" | tr '\r' ' ' | head -c 200)' on a pipe"; fi
done
# and on a terminal it is drawn (script(1) gives the command one)
if command -v script >/dev/null; then
  command="script -qc 'tiesim run ... --replicates 30'"
  drawn=$(script -qc "'$TIESIM' run '$MINIMAL' -o '$TMP/progress-tty' --replicates 30 --every 12" /dev/null | tr '\r' '\n')
  if printf '%s' "$drawn" | grep -q "replicates 30/30 (100%)"; then pass; else fail "$command: no progress line on a terminal"; fi
else
  echo "skip: progress line on a terminal: no script(1)"
fi

# the summary of the focal dyad ([plot] focal) on stdout, worked out by hand in tests/data/focal_dyad.toml: the
# incident forces every A–B tie up for review in the step of 2000-06-01, where A's embassy falls in every
# replicate, both visas rise, and B's embassy and the trade tie stay; the summary writes no file of its own
FOCAL="$HERE/../data/focal_dyad.toml"
invoke run "$FOCAL" -o "$TMP/focal" --replicates 8 --threads 2
expect_status 0
expect_stdout "The A–B ties in 8 replicates (seed 1), 2000-01-01 to 2000-12-01"
if grep -qE '^A→B embassy +open +100% +0% +100% +2000-06-01 +none$' "$TMP/stdout"; then pass; else fail "$command: A→B embassy not moved in 100%, fallen on 2000-06-01"; fi
if grep -qE '^B→A embassy +open +0% +0% +0% +open$' "$TMP/stdout"; then pass; else fail "$command: B→A embassy not unmoved"; fi
if grep -qE '^B→A visa +required +100% +100% +2000-06-01 +0% +waived$' "$TMP/stdout"; then pass; else fail "$command: B→A visa not risen on 2000-06-01"; fi
if grep -qE '^A–B trade +none +0% +0% +0% +none$' "$TMP/stdout"; then pass; else fail "$command: A–B trade not unmoved"; fi
if [ "$(sed -n '/^the scenario.s dated events/,/^$/p' "$TMP/stdout" | sed -n '2,3p' | tr '\n' '|')" = "2000-06-15  B's clash with A|2000-09-10  Resolution on C|" ]; then pass
else fail "$command: the pair's dated events are not listed, in date order, without C's test"; fi
expect_listing "$TMP/focal" "changes.csv events.csv run.json"
invoke run "$FOCAL" -o "$TMP/focal" --replicates 8 --quiet
expect_empty_stdout
# a scenario without [plot] focal gets no summary
invoke run "$MINIMAL" -o "$TMP/no-focal" --replicates 2 --every 12
if grep -q "ties in" "$TMP/stdout"; then fail "$command: a summary without a focal dyad"; else pass; fi

# explain: the utility terms of one tie's choice in one step, worked out by hand in tests/data/focal_dyad.toml.
# In the step of the incident (2000-06-01) A weighs its embassy in B at affect −1: keeping it is benefit 1 (w^B
# b g(1) s^γ = 1) plus affinity −2 (w^E 2 × a −1 × salience 1), a total of −1, against 0 for closing it; at a
# precision of 1000, closing is certain, and it closes in every replicate. A ladder of two levels has no
# raise. Writes no file.
mkdir "$TMP/cwd-explain"
invoke_in "$TMP/cwd-explain" explain "$FOCAL" --from A --to B --channel embassy --date 2000-06-15 --replicates 6 --threads 2
expect_status 0
expect_stdout "A→B embassy in the step of 2000-06-01, 6 replicates (seed 1)"
expect_stdout "before the step: open in 100%"
expect_stdout "in the step: moved in 100% of replicates (rose in 0%, fell in 100%)"
explain_row() {  # NAME LOWER KEEP RAISE: one row of the table, columns separated by spaces
  if grep -qE "^$1 +$2 +$3 +$4\$" "$TMP/stdout"; then pass; else fail "$command: no row '$1 $2 $3 $4'"; fi
}
explain_row "term" "lower \(6\)" "keep \(6\)" "raise \(0\)"
explain_row benefit "0.000 ± 0.000" "1.000 ± 0.000" "—"
explain_row affinity "0.000 ± 0.000" "-2.000 ± 0.000" "—"
explain_row adjustment "0.000 ± 0.000" "0.000 ± 0.000" "—"
explain_row total "0.000 ± 0.000" "-1.000 ± 0.000" "—"
explain_row "chance if reviewed" "1.000 ± 0.000" "0.000 ± 0.000" "—"
expect_stdout "keep − best other choice: -1.000 ± 0.000; keeping was the best choice in 0% of the 6 replicates"
expect_listing "$TMP/cwd-explain" ""
# B's embassy in A: B's affect toward A is untouched, so keeping is worth the benefit, 1, and it stays
invoke explain "$FOCAL" --from B --to A --channel embassy --date 2000-06-15 --replicates 6
explain_row total "0.000 ± 0.000" "1.000 ± 0.000" "—"
expect_stdout "moved in 0% of replicates"
# the trade tie (mutual, at none): raising it would cost 2 (cost_up) for a benefit of 1; no level below none
invoke explain "$FOCAL" --from A --to B --channel trade --date 2000-06-15 --replicates 6
explain_row adjustment "—" "0.000 ± 0.000" "-2.000 ± 0.000"
explain_row total "—" "0.000 ± 0.000" "-1.000 ± 0.000"
expect_stdout "keep − best other choice: 1.000 ± 0.000; keeping was the best choice in 100%"
expect_stdout "a mutual tie takes the lower of both sides' choices"
# a step before the incident: A's affect toward B is still 0, keeping the embassy is worth 1
invoke explain "$FOCAL" --from A --to B --channel embassy --date 2000-03-01 --replicates 6
explain_row affinity "0.000 ± 0.000" "0.000 ± 0.000" "—"
explain_row total "0.000 ± 0.000" "1.000 ± 0.000" "—"
# bad input: exit 2, the flag named, a suggestion
invoke explain "$FOCAL" --from X --to B --channel embasy --date 2000-06-15
expect_status 2
expect_stderr "--from: error: unknown actor 'X'"
expect_stderr "--channel: error: unknown channel 'embasy'"
expect_stderr "did you mean 'embassy'?"
expect_clean_stderr
invoke explain "$FOCAL" --from A --to A --channel embassy --date 2000-06-15
expect_status 2
expect_stderr "--to: error: 'A' is the --from actor too"
invoke explain "$FOCAL" --from A --to B --channel embassy --date 2001-01-01
expect_status 2
expect_stderr "--date: error: date 2001-01-01 is outside the run (steps dated 2000-01-01 to 2000-12-01)"
expect_stderr "did you mean 2000-12-01?"
invoke explain "$FOCAL" --from A --to B --channel embassy --date 1999-12-31
expect_status 2
expect_stderr "did you mean 2000-01-01?"
invoke explain "$FOCAL" --from A --to B --channel embassy --date 2000-13-01
expect_status 2
expect_stderr "--date: error: expected a calendar date YYYY-MM-DD, got '2000-13-01'"
invoke explain "$FOCAL" --from A --to B --channel embassy
expect_status 2
expect_stderr "--date"

# check writes nothing at all
mkdir "$TMP/cwd-check"
invoke_in "$TMP/cwd-check" check "$MINIMAL"
expect_status 0
expect_stdout "OK"
expect_stdout "actors    3: MID BIG PAR"
expect_listing "$TMP/cwd-check" ""

# the same seed gives the same files, whatever the number of threads
invoke run "$MINIMAL" -o "$TMP/seed-a" --seed 11 --replicates 3 --threads 1 --every 6 -q --record changes,ties,dyads,actors,events
expect_status 0
invoke run "$MINIMAL" -o "$TMP/seed-b" --seed 11 --replicates 3 --threads 2 --every 6 -q --record changes,ties,dyads,actors,events
expect_status 0
for file in changes.csv ties.csv dyads.csv actors.csv events.csv; do
  if cmp -s "$TMP/seed-a/$file" "$TMP/seed-b/$file"; then pass; else fail "--seed 11 with 1 and 2 threads: $file differs"; fi
done

# ---- --set on the command line --------------------------------------------------------------------------------

invoke check "$MINIMAL"
expect_status 0
expect_stdout "steps     120 × month"
invoke check "$MINIMAL" --set scenario.end=2005-12-01
expect_status 0
expect_stdout "steps     72 × month, 2000-01-01 to 2005-12-01"

invoke run "$MINIMAL" -o "$TMP/set" --every 12 --set actors.MID.compliance=0.8 --set 'actors.MID.name=Mid power'
expect_status 0
expect_file_contains "$TMP/set/run.json" '"actors.MID.compliance=0.8"'
expect_file_contains "$TMP/set/run.json" '"Mid power"'
if grep -A 12 '"MID"' "$TMP/set/run.json" 2>/dev/null | grep -qE '"compliance" ?: ?0\.8'; then pass; else fail "$command: run.json does not show MID's compliance as 0.8"; fi

invoke run "$MINIMAL" -o "$TMP/set-bad" --set actorz.MID.compliance=0.8
expect_status 2
expect_stderr "--set actorz.MID.compliance: error:"
expect_stderr "did you mean 'actors'?"
expect_absent "$TMP/set-bad"

invoke check "$MINIMAL" --set actors.MID.compliance
expect_status 2
expect_stderr "--set actors.MID.compliance: error: expected PATH=VALUE"

invoke check "$MINIMAL" --set 'actors.MID.compliance=[0.8,'
expect_status 2
expect_stderr "--set actors.MID.compliance: error: actors.MID.compliance: cannot read value"

invoke run "$MINIMAL" -o "$TMP/set-range" --set actors.MID.compliance=-1
expect_status 2
expect_stderr "--set actors.MID.compliance: error: actors.MID.compliance"
expect_absent "$TMP/set-range"

# ---- flags that would otherwise wrap, default or fail late ---------------------------------------------------

for seed in -1 99999999999999999999 9223372036854775808 +5 1.5; do
  invoke run "$MINIMAL" -o "$TMP/seed-bad" --seed "$seed"
  expect_status 2
  expect_stderr "--seed: expected an integer from 0 to 9223372036854775807, got '$seed'"
  expect_absent "$TMP/seed-bad"
done
invoke run "$MINIMAL" -o "$TMP/seed-top" --seed 9223372036854775807 -q --record ''
expect_status 0
expect_file_contains "$TMP/seed-top/run.json" '"seed": 9223372036854775807'

invoke run "$MINIMAL" -o ''
expect_status 2
expect_stderr "--output: expected a path, got an empty string"

invoke calibrate "$MINIMAL" --free actors.MID.compliance=0:2 --free actors.MID.compliance=1:2 -o "$TMP/free-twice"
expect_status 2
expect_stderr "--free actors.MID.compliance: error: 'actors.MID.compliance' is given twice"
expect_absent "$TMP/free-twice"
# a range whose end the scenario refuses fails before the search, named as the --free that was typed
invoke calibrate "$MINIMAL" --free actors.MID.compliance=-1:2 -o "$TMP/free-range"
expect_status 2
expect_stderr "--free actors.MID.compliance: error: actors.MID.compliance: expected a number from 0"
expect_absent "$TMP/free-range"

for vary in 2:1 1:2:0 1:2: 1:2:9999999; do
  invoke sweep --scenario "$MINIMAL" --vary "actors.MID.compliance=$vary" -o "$TMP/vary-bad"
  expect_status 2
  expect_stderr "--vary actors.MID.compliance=$vary: error:"
  expect_absent "$TMP/vary-bad"
done
# numbers strtod reads but TOML does not are still taken
invoke sweep --scenario "$MINIMAL" --vary "actors.MID.compliance=.5:1.5:2" -o "$TMP/vary-dot" -q --threads 1
expect_status 0
expect_file_contains "$TMP/vary-dot/runs.csv" ',1.5,'

# ---- a temporal hold-out: --until -------------------------------------------------------------------------------

# minimal.toml's two targets end in December 2005; a later one that is always met, and one that never is
cat >"$TMP/holdout.toml" <<EOF
extends = "$MINIMAL"
[targets.embassies_later]
kind = "level"
from = "MID"
to = "BIG"
channel = "embassy"
during = [2006-01-01, 2008-12-01]
compare = ">="
value = 0
EOF
cp "$TMP/holdout.toml" "$TMP/holdout-never.toml"
cat >>"$TMP/holdout-never.toml" <<EOF
[targets.never]
kind = "level"
quantity = "pressure"
from = "MID"
date = 2009-01-01
compare = ">="
value = 1e9
EOF
for until in 2005-13-01 2005-02-30 05-12-31 2005/12/31 1999-12-31 2010-01-01 ''; do
  for command in validate calibrate; do
    free=()
    [ "$command" = calibrate ] && free=(--free actors.MID.compliance=0:2 --budget 2 --replicates 2)
    invoke "$command" "$TMP/holdout.toml" "${free[@]}" --until "$until" -o "$TMP/until-bad"
    expect_status 2
    expect_stderr_regex "^(tiesim: error: )?--until: (error: )?(expected a calendar date YYYY-MM-DD|date [0-9-]+ is outside the run \(2000-01-01 to 2009-12-01\))"
    expect_clean_stderr
    expect_absent "$TMP/until-bad"
  done
done

invoke validate "$TMP/holdout.toml" --until 2005-12-31 --replicates 10 -o "$TMP/until-validate"
expect_status 0
expect_stdout "in sample: 2 targets ending on or before 2005-12-31"
expect_stdout "2 passed, 0 failed in sample"
expect_stdout "out of sample: 1 target ending after 2005-12-31"
expect_stdout "1 passed, 0 failed out of sample (10 replicates"
expect_file_contains "$TMP/until-validate/validation.csv" ',label,sample'
# (compared without white space: the JSON's layout is not the point)
if tr -d ' \n' < "$TMP/until-validate/validation.json" |
   grep -qF '"holdout":{"until":"2005-12-31","in_sample":["trade_cut_under_sanctions","embassies_hold"],"out_of_sample":["embassies_later"]}'
then pass; else fail "validate --until: validation.json lacks the holdout record: $(head -c 600 "$TMP/until-validate/validation.json")"; fi
if grep '^embassies_later,' "$TMP/until-validate/validation.csv" | grep -q ',out$'; then pass; else fail "validate --until: embassies_later is not marked out of sample"; fi
if grep '^embassies_hold,' "$TMP/until-validate/validation.csv" | grep -q ',in$'; then pass; else fail "validate --until: embassies_hold is not marked in sample"; fi
# a miss out of sample fails the validation as a miss in sample does
invoke validate "$TMP/holdout-never.toml" --until 2005-12-31 --replicates 10 -o "$TMP/until-never"
expect_status 1
expect_stdout "2 passed, 0 failed in sample"
expect_stdout "1 passed, 1 failed out of sample"
# without --until, no sample column and no blocks
invoke validate "$TMP/holdout.toml" --replicates 10 -o "$TMP/until-none"
expect_status 0
if head -1 "$TMP/until-none/validation.csv" | grep -q ',label$'; then pass; else fail "validate without --until: the header should end with label"; fi
if grep -q 'sample' "$TMP/stdout" "$TMP/until-none/validation.json"; then fail "validate without --until mentions a sample"; else pass; fi
if [ -e "$TMP/until-none/pairs.csv" ]; then fail "validate: pairs.csv written though no target names several pairs"; else pass; fi

# a level target over several pairs: pairs.csv has each pair's own hit rate, none below the target's, and the
# table says what its (+N) means
cat >"$TMP/pairs.toml" <<EOF_PAIRS
extends = "$MINIMAL"
[targets.embassies_everywhere]
kind = "level"
from = "MID"
to = ["BIG", "PAR"]
channel = "embassy"
during = [2001-01-01, 2005-12-01]
compare = ">="
value = "charge"
share = 0.1
EOF_PAIRS
invoke validate "$TMP/pairs.toml" --replicates 20 -o "$TMP/pairs"
if [ "$status" -le 1 ]; then pass; else fail "$command: exit status $status"; fi
expect_stdout "level MID->BIG embassy (+1) >= 1"
expect_stdout "(+N): the target holds for N more pairs than the one named"
expect_file_contains "$TMP/pairs/pairs.csv" 'target,from,to,channel,hit_rate,hits,replicates'
expect_file_contains "$TMP/pairs/validation.json" '"pairs.csv"'
expect_file_contains "$TMP/pairs/unwatched_moves.csv" 'from,to,channel,moved,rose,fell,replicates'
# the middle power's embassies and its trade with the pariah are watched (the trade by minimal.toml's own
# target, from either side of the mutual channel); the great power's trade with the pariah is not, and the
# sanctions cut it in every replicate
if grep -q '^MID,BIG,embassy,\|^MID,PAR,embassy,\|^MID,PAR,trade,\|^PAR,MID,trade,' "$TMP/pairs/unwatched_moves.csv"
then fail "unwatched_moves.csv lists a watched tie: $(cat "$TMP/pairs/unwatched_moves.csv")"; else pass; fi
if grep -q '^BIG,PAR,trade,1,' "$TMP/pairs/unwatched_moves.csv"; then pass; else fail "unwatched_moves.csv lacks BIG-PAR trade moved in every replicate: $(cat "$TMP/pairs/unwatched_moves.csv")"; fi
expect_stdout "moves no target watches, in a quarter of the replicates or more:"
target_hits=$(awk -F, '$1 == "embassies_everywhere" { print $7 }' "$TMP/pairs/validation.csv")
if awk -F, -v t="$target_hits" 'NR > 1 { n++; if ($6 < t || $7 != 20) bad = 1 } END { exit !(n == 2 && !bad) }' "$TMP/pairs/pairs.csv"
then pass; else fail "pairs.csv: expected 2 pairs of 20 replicates each, each with at least the target's $target_hits hits: $(cat "$TMP/pairs/pairs.csv")"; fi

# calibrate fits to the in-sample targets only: the impossible later target leaves the loss at 0
invoke calibrate "$TMP/holdout-never.toml" --free actors.MID.compliance=0.5:1.5 --budget 3 --replicates 10 --until 2005-12-31 -o "$TMP/until-fit"
expect_status 0
expect_stdout "best of 3 evaluations: loss 0 in sample"
expect_stdout "2 of 2 targets in sample (ending on or before 2005-12-31) and 1 of 2 held out met at the best point"
expect_file_contains "$TMP/until-fit/fit.toml" ' --until 2005-12-31'
expect_file_contains "$TMP/until-fit/fit.csv" ',weight,sample'
expect_file_contains "$TMP/until-fit/history.csv" 'actors.MID.compliance,out_of_sample_loss'
invoke calibrate "$TMP/holdout.toml" --free actors.MID.compliance=0.5:1.5 --budget 3 --replicates 10 --until 2000-06-30 -o "$TMP/until-empty"
expect_status 2
expect_stderr "--until: error: no target ends on or before 2000-06-30, so there is nothing to fit"
expect_absent "$TMP/until-empty"

# the README's list of commands shows the flag
if grep -q -- '--until 2015-12-31' "$HERE/../../README.md"; then pass; else fail "README.md does not show --until"; fi

# ---- calibrate --method abc-smc ---------------------------------------------------------------------------------

# two targets on one date that only a band of pressure sensitivities meets about half the time each, so that
# the distance varies with the parameters; compliance enters neither much
cat >"$TMP/abc.toml" <<EOF_ABC
extends = "$MINIMAL"
[targets.cut]
kind = "level"
from = "MID"
to = "PAR"
channel = "trade"
date = 2004-01-01
compare = "=="
value = 0
share = 0.45
[targets.kept]
kind = "level"
from = "MID"
to = "PAR"
channel = "trade"
date = 2004-01-01
compare = ">"
value = 0
share = 0.45
EOF_ABC
abc_args=(--method abc-smc --free actors.MID.pressure_sensitivity=0.25:4:log --free actors.MID.compliance=0:2 --particles 30
          --generations 3 --replicates 10 --seed 4)
invoke calibrate "$TMP/abc.toml" "${abc_args[@]}" --threads 1 -o "$TMP/abc-1"
expect_status 0
expect_stdout "ABC-SMC: 30 particles"
expect_stdout "runs per accepted particle:"
expect_stdout "not constrained by the targets: actors.MID.compliance"
expect_listing "$TMP/abc-1" "generations.csv identifiability.csv posterior.csv"
expect_file_contains "$TMP/abc-1/posterior.csv" 'particle,weight,actors.MID.pressure_sensitivity,actors.MID.compliance,distance'
expect_file_contains "$TMP/abc-1/generations.csv" 'generation,tolerance,accepted,runs,acceptance_rate,effective_size,complete'
expect_file_contains "$TMP/abc-1/generations.csv" '0,Inf,30,30,1,30,true'
expect_file_contains "$TMP/abc-1/identifiability.csv" 'actors.MID.pressure_sensitivity,log,0.25,4,'
if [ "$(wc -l <"$TMP/abc-1/posterior.csv")" -eq 31 ]; then pass; else fail "posterior.csv should hold 30 particles"; fi
# the same seed gives the same bytes at 1 and 2 threads
invoke calibrate "$TMP/abc.toml" "${abc_args[@]}" --threads 2 -o "$TMP/abc-2"
expect_status 0
for file in posterior.csv generations.csv identifiability.csv; do
  if cmp -s "$TMP/abc-1/$file" "$TMP/abc-2/$file"; then pass; else fail "abc-smc with 1 and 2 threads: $file differs"; fi
done
# the budget stops it: the generation it cut short is listed, not kept
invoke calibrate "$TMP/abc.toml" --method abc-smc --free actors.MID.pressure_sensitivity=0.25:4:log --particles 20 --budget 45 --replicates 5 -o "$TMP/abc-budget"
expect_status 0
expect_stdout "stopped: the budget of 45 runs is spent"
expect_file_contains "$TMP/abc-budget/generations.csv" ',false'
# bad combinations fail before anything is written
while IFS='|' read -r words message; do
  read -ra flags <<<"$words"
  invoke calibrate "$TMP/abc.toml" --free actors.MID.compliance=0.5:1.5 "${flags[@]}" -o "$TMP/abc-bad"
  expect_status 2
  expect_stderr "$message"
  expect_clean_stderr
  expect_absent "$TMP/abc-bad"
done <<EOF_ABC_BAD
--method abc|--method: error: unknown method 'abc'
--particles 10|--particles: error: only for --method abc-smc
--tolerance 0.1|--tolerance: error: only for --method abc-smc
--method abc-smc|--method abc-smc: error: no stopping rule
--method abc-smc --particles 50 --budget 20|--budget: error: a budget of 20 runs cannot draw the 50 particles of the prior sample
--method abc-smc --tolerance -1|--tolerance: error: expected a decimal number of 0 or more, got '-1'
--method abc-smc --tolerance 0x1|--tolerance: error: expected a decimal number of 0 or more, got '0x1'
--method abc-smc --generations 2 --free actors.MID.pressure_sensitivity=0:4:log|a log scale needs LOW above 0, got 0
--method abc-smc --generations 2 --free actors.MID.pressure_sensitivity=1:4:lin|unknown scale 'lin' after LOW:HIGH
--method abc-smc --generations 2 --free actors.MID.pressure_sensitivity=1:1|a prior needs LOW below HIGH
--distance record|--distance: error: only for --method abc-smc
--method abc-smc --generations 2 --distance records|--distance: error: unknown distance 'records'
--method abc-smc --generations 2 --distance record --replicates 5|--replicates: error: --distance record compares one simulated history with the record
EOF_ABC_BAD

# ---- posterior predictive runs: run and validate --posterior ------------------------------------------------------

# the posterior just calibrated: the same bytes at 1 and 2 threads, each replicate's draw recorded
for threads in 1 2; do
  invoke validate "$TMP/abc.toml" --posterior "$TMP/abc-1/posterior.csv" --replicates 40 --seed 5 --threads $threads -o "$TMP/pv-$threads"
  if [ "$status" -le 1 ]; then pass; else fail "$command: exit status $status, expected 0 or 1 (pass or fail)"; fi
  expect_stdout "parameters drawn from "
  invoke run "$TMP/abc.toml" --posterior "$TMP/abc-1/posterior.csv" --replicates 6 --seed 5 --threads $threads -o "$TMP/pr-$threads"
  expect_status 0
  expect_listing "$TMP/pr-$threads" "changes.csv events.csv replicates.csv run.json"
done
for file in pv-1/validation.csv pv-1/validation.json pr-1/changes.csv pr-1/events.csv pr-1/replicates.csv pr-1/run.json; do
  if cmp -s "$TMP/$file" "$TMP/${file/-1\//-2/}"; then pass; else fail "--posterior with 1 and 2 threads: $file differs"; fi
done
expect_file_contains "$TMP/pr-1/replicates.csv" 'replicate,seed,particle,actors.MID.pressure_sensitivity,actors.MID.compliance'
expect_file_contains "$TMP/pr-1/run.json" '"sha256": "'"$(sha256sum "$TMP/abc-1/posterior.csv" | cut -d' ' -f1)"'"'
expect_file_contains "$TMP/pr-1/run.json" '"files": ["events.csv", "changes.csv", "replicates.csv"]'
# each replicates.csv row is the particle's row of posterior.csv, and its seed is run.json's for that replicate
if python3 - "$TMP/pr-1" "$TMP/abc-1/posterior.csv" <<'EOF_PY'; then pass; else fail "run --posterior: replicates.csv or run.json disagree with posterior.csv"; fi
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/replicates.csv")))
particles = {row["particle"]: row for row in csv.DictReader(open(sys.argv[2]))}
info = json.load(open(sys.argv[1] + "/run.json"))
posterior = info["posterior"]
paths = ["actors.MID.pressure_sensitivity", "actors.MID.compliance"]
assert len(rows) == 6 and posterior["particles"] == 30 and posterior["parameters"] == paths
for r, row in enumerate(rows):
    assert int(row["replicate"]) == r and int(row["seed"]) == info["replicate_seeds"][r]
    assert posterior["particle"][r] == int(row["particle"])
    for path in paths:
        assert row[path] == particles[row["particle"]][path]
        assert posterior["values"][path][r] == float(row[path])
EOF_PY

# two particles, MID's benefit at 1 (the trade cut nearly always met) and at 50 (seldom): weights 1 and 0 give
# exactly the hit rates of --set at the first, and equal weights a hit rate between the two
printf 'particle,weight,actors.MID.benefit,distance\n0,1,1,0.01\n1,0,50,0.02\n' >"$TMP/first.csv"
printf 'particle,weight,actors.MID.benefit,distance\n0,1,1,0.01\n1,1,50,0.02\n' >"$TMP/even.csv"
invoke validate "$MINIMAL" --posterior "$TMP/first.csv" --replicates 60 --seed 3 -o "$TMP/first"
expect_status 0
invoke validate "$MINIMAL" --set actors.MID.benefit=1 --replicates 60 --seed 3 -o "$TMP/at-1"
if cmp -s "$TMP/first/validation.csv" "$TMP/at-1/validation.csv"; then pass; else fail "--posterior with weights 1 and 0 differs from --set at the first"; fi
invoke run "$MINIMAL" --posterior "$TMP/first.csv" --replicates 20 --seed 3 -o "$TMP/first-run"
expect_status 0
if [ "$(cut -d, -f3 "$TMP/first-run/replicates.csv" | sort | uniq -c | tr -s ' ')" = " 20 0
 1 particle" ]; then pass; else fail "run --posterior: weights 1 and 0, yet a replicate drew particle 1"; fi
invoke validate "$MINIMAL" --set actors.MID.benefit=50 --replicates 60 --seed 3 -o "$TMP/at-50"
invoke validate "$MINIMAL" --posterior "$TMP/even.csv" --replicates 60 --seed 3 -o "$TMP/even"
rate() { awk -F, '$1 == "trade_cut_under_sanctions" { print $4 }' "$1/validation.csv"; }
if awk -v low="$(rate "$TMP/at-50")" -v mixed="$(rate "$TMP/even")" -v high="$(rate "$TMP/at-1")" \
  'BEGIN { exit !(low < 0.3 && high > 0.9 && low < mixed && mixed < high) }'; then
  pass
else
  fail "validate --posterior: hit rate $(rate "$TMP/even") not between $(rate "$TMP/at-50") and $(rate "$TMP/at-1")"
fi
# a column also given with --set is refused at its header cell; a bad posterior leaves no output
invoke validate "$MINIMAL" --posterior "$TMP/even.csv" --set actors.MID.benefit=2 -o "$TMP/both"
expect_status 2
expect_stderr "$TMP/even.csv:1:17: error: column 'actors.MID.benefit' is also given with --set actors.MID.benefit=2"
expect_clean_stderr
expect_absent "$TMP/both"

# a target that is always met loads, with a warning at its place; check and validate say so, exit 0
cat >"$TMP/always.toml" <<EOF_ALWAYS
extends = "$MINIMAL"

[targets.any_level]
kind = "level"
from = "MID"
to = "PAR"
channel = "trade"
date = 2005-01-01
compare = "<="
value = "large"

[targets.any_rank]
kind = "rank"
from = "MID"
to = "PAR"
channel = "trade"
among = "*"
date = 2005-01-01
max_rank = 3

[targets.no_share]
kind = "level"
quantity = "affect"
from = "MID"
to = "PAR"
date = 2005-01-01
compare = "!="
value = 2
share = 0
EOF_ALWAYS
invoke check "$TMP/always.toml"
expect_status 0
expect_stderr "$TMP/always.toml:10:9: warning: targets.any_level.value: '<= 2' always holds: level MID->PAR trade runs from 0 to 2; the target is always met"
expect_stderr "$TMP/always.toml:19:12: warning: targets.any_rank.max_rank: every rank from 1 to 2 is allowed: the target is always met"
expect_stderr "$TMP/always.toml:29:9: warning: targets.no_share.share: a share of 0 is met by every run"
expect_stderr "$TMP/always.toml:28:9: warning: targets.no_share.value: '!= 2' always holds: affect MID->PAR runs from -1 to 1"
expect_clean_stderr

# every numeric flag is decimal, as TOML: leading zeros, prefixes and fractions are refused, never read as octal
while IFS='|' read -r words message; do
  read -ra flags <<<"$words"
  invoke "${flags[@]}"
  expect_status 2
  expect_stderr "$message"
  expect_clean_stderr
done <<EOF_FLAGS
run $MINIMAL --replicates 010 -o $TMP/octal|got '010': leading zeros are not allowed, as in TOML
run $MINIMAL --every 010 -o $TMP/octal|got '010': leading zeros are not allowed
run $MINIMAL --seed 010 -o $TMP/octal|got '010': leading zeros are not allowed
run $MINIMAL --threads 0x10 -o $TMP/octal|got '0x10': numbers are decimal
run $MINIMAL --replicates 2.5 -o $TMP/octal|got '2.5': not an integer
run $MINIMAL --replicates 0 -o $TMP/octal|expected an integer from 1 to 1000000, got '0'
validate $MINIMAL --replicates 1e2 -o $TMP/octal|got '1e2': not an integer
sensitivity $TMP/none.csv --bootstrap 0b11|got '0b11': numbers are decimal
generate world --actors 010|got '010': leading zeros are not allowed
sweep --scenario $MINIMAL --vary actors.MID.compliance=0:2:010 -o $TMP/octal|'010': leading zeros are not allowed
sweep --scenario $MINIMAL --vary actors.MID.compliance=0x1:2 -o $TMP/octal|'0x1': numbers are decimal
sweep --scenario $MINIMAL --vary actors.MID.compliance=01:2 -o $TMP/octal|in decimal numbers
sweep --scenario $MINIMAL --vary actors.MID.compliance=0:2 --shard 01/2 -o $TMP/octal|expected K/N
calibrate $MINIMAL --free actors.MID.compliance=0x0:2 -o $TMP/octal|LOW and HIGH must be finite decimal numbers
EOF_FLAGS
expect_absent "$TMP/octal"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
