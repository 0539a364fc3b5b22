#!/usr/bin/env bash
# The bad-input catalogue: every scenario in tests/data/bad/*.toml, and a few generated here (binary, deeply
# nested, huge), is run through `tiesim check FILE` and `tiesim run FILE -o TMP/out`; every experiment in
# tests/data/bad/experiments/*.toml through `tiesim sweep FILE -o TMP/out`. Each must exit with status 2 within
# 10 s, print FILE:LINE:[COLUMN:] and the expected message (and hint) on stderr, show no crash or internal error,
# and leave TMP/out uncreated. Every posterior in tests/data/bad/posteriors/*.csv (and a few generated here: missing,
# a directory, a named pipe) is given to `tiesim validate MINIMAL --posterior FILE` and `tiesim run MINIMAL
# --posterior FILE`, with the same checks; their expectations are in sidecars.
#
# Expectations are comment lines at the top of each file, or in a sidecar NAME.expect for files that cannot
# hold comments:
#   # expect-line: N            line of the error; 0 when the error is about the whole file
#   # expect-column: M          optional
#   # expect-message: TEXT      a substring of the message
#   # expect-hint: TEXT         optional: a substring of the hint (a suggestion) that must follow
#   # expect-errors: N          optional: exactly N errors, so one mistake does not cascade into false ones
#   # expect-file: PATH         optional: the file the error is located in, relative to the case's directory
#   # expect-known-bug: WHY     optional: a known bug in sim/; failures are listed as XFAIL, not counted
#
# Run by ctest with TIESIM set to the binary; the last line is "N passed, M failed", the exit status non-zero
# when any check failed.
set -u

TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(cd "$HERE/../data/bad" && pwd)
MINIMAL=$(cd "$HERE/../../scenarios" && pwd)/minimal.toml
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-bad-inputs.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
GEN="$TMP/generated"
OUT="$TMP/out"
mkdir "$GEN"

LIMIT=10
passed=0
failed=0
known=0
cases=0

# expectation KEY SOURCE: the value of "# expect-KEY: value" in SOURCE's leading comment lines
expectation() {
  sed -n "/^#/!q; s/^# expect-$1: //p" "$2" | head -n 1
}

# check_case FILE COMMAND...: runs each command (check, run, sweep) on one catalogue file and checks everything
check_case() {
  local file=$1 name dir source line column message hint errors where known_bug
  shift
  name=$(basename "$file")
  name=${name%.*}
  dir=$(dirname "$file")
  source=$file
  if [ -f "$dir/$name.expect" ]; then source="$dir/$name.expect"; fi
  line=$(expectation line "$source")
  column=$(expectation column "$source")
  message=$(expectation message "$source")
  hint=$(expectation hint "$source")
  errors=$(expectation errors "$source")
  where=$(expectation file "$source")
  known_bug=$(expectation known-bug "$source")
  cases=$((cases + 1))
  if [ -z "$line" ] || [ -z "$message" ]; then
    failed=$((failed + 1))
    echo "FAIL: $name: no '# expect-line:' or '# expect-message:' in $source"
    return
  fi
  local located=$file
  if [ -n "$where" ]; then located=$(realpath -ms "$dir/$where"); fi
  local prefix
  if [ "$line" = 0 ]; then
    prefix="$located: error: "
  elif [ -n "$column" ]; then
    prefix="$located:$line:$column: error: "
  else
    prefix="$located:$line:"
  fi

  local command problems status started elapsed
  for command in "$@"; do
    rm -rf "$OUT"
    problems=""
    started=$(date +%s%N)
    case $command in
      check) timeout -k 2 "$LIMIT" "$TIESIM" check "$file" >"$TMP/stdout" 2>"$TMP/stderr" ;;
      run) timeout -k 2 "$LIMIT" "$TIESIM" run "$file" -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr" ;;
      sweep) timeout -k 2 "$LIMIT" "$TIESIM" sweep "$file" -o "$OUT" --threads 1 --quiet >"$TMP/stdout" 2>"$TMP/stderr" ;;
      validate-posterior)
        timeout -k 2 "$LIMIT" "$TIESIM" validate "$MINIMAL" --posterior "$file" --replicates 4 -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr" ;;
      run-posterior) timeout -k 2 "$LIMIT" "$TIESIM" run "$MINIMAL" --posterior "$file" --replicates 4 -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr" ;;
    esac
    status=$?
    elapsed=$((($(date +%s%N) - started) / 1000000))
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
      problems+=" did not finish within ${LIMIT} s;"
    elif [ "$status" -ne 2 ]; then
      problems+=" exit status $status, expected 2;"
    fi
    if ! grep -qF -- "$prefix" "$TMP/stderr"; then problems+=" stderr lacks '$prefix';"; fi
    if ! grep -qF -- "$message" "$TMP/stderr"; then problems+=" stderr lacks '$message';"; fi
    if [ -n "$hint" ] && ! grep '^  hint: ' "$TMP/stderr" | grep -qF -- "$hint"; then problems+=" stderr lacks the hint '$hint';"; fi
    if [ -n "$errors" ] && [ "$(grep -c ': error: ' "$TMP/stderr")" -ne "$errors" ]; then
      problems+=" $(grep -c ': error: ' "$TMP/stderr") errors, expected $errors;"
    fi
    if grep -qiE 'internal error|terminate called|Sanitizer|runtime error:|Segmentation fault|core dumped' "$TMP/stderr"; then
      problems+=" stderr shows a crash or an internal error;"
    fi
    if [ -e "$OUT" ]; then problems+=" $OUT was created;"; fi

    if [ -z "$problems" ]; then
      passed=$((passed + 1))
      if [ -n "$known_bug" ]; then echo "XPASS: $name ($command): the known bug seems fixed; remove its expect-known-bug line"; fi
    elif [ -n "$known_bug" ]; then
      known=$((known + 1))
      echo "XFAIL: $name ($command):$problems known bug: $known_bug"
    else
      failed=$((failed + 1))
      echo "FAIL: $name ($command, ${elapsed} ms):$problems"
      sed -n '1,4s/^/    stderr: /p' "$TMP/stderr" | cut -c 1-300
    fi
  done
  rm -rf "$OUT"
}

# expect NAME LINE COLUMN MESSAGE [KNOWN-BUG]: writes the sidecar of a generated case
expect() {
  {
    echo "# expect-line: $2"
    if [ -n "$3" ]; then echo "# expect-column: $3"; fi
    echo "# expect-message: $4"
    if [ -n "${5:-}" ]; then echo "# expect-known-bug: $5"; fi
  } >"$GEN/$1.expect"
}

# repeat N TEXT: TEXT N times, without a newline
repeat() { head -c "$(($1 * ${#2}))" < <(yes "$2" | tr -d '\n'); }

# ---- generated cases: binary, deep, huge ---------------------------------------------------------------------

# a PNG header: binary with NUL bytes
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$GEN/binary_png.toml"
expect binary_png 0 "" "not a TOML file: it contains NUL bytes"

# random bytes, with at least one NUL
{ head -c 4096 /dev/urandom; printf '\000'; head -c 4096 /dev/urandom; } >"$GEN/binary_random.toml"
expect binary_random 0 "" "NUL bytes"

# Latin-1, not UTF-8, and no NUL: a syntax error on its line
printf '[scenario]\nname = "Caf\351"\n' >"$GEN/binary_latin1.toml"
expect binary_latin1 2 "" "TOML syntax error"

# arrays and inline tables nested 10000 deep
{ printf '[scenario]\nx = '; repeat 10000 '['; repeat 10000 ']'; echo; } >"$GEN/deep_arrays.toml"
expect deep_arrays 2 "" "nested"
{ printf '[scenario]\nx = '; repeat 10000 '{a = '; printf 1; repeat 10000 '}'; echo; } >"$GEN/deep_inline_tables.toml"
expect deep_inline_tables 2 "" "nested"

# a dotted key and a table header 100000 levels deep
{ printf '[scenario]\nx.'; repeat 100000 'a.'; echo 'b = 1'; } >"$GEN/deep_dotted_key.toml"
expect deep_dotted_key 2 "" "nested"
{ printf '['; repeat 99999 'a.'; echo 'a]'; } >"$GEN/deep_table_header.toml"
expect deep_table_header 1 "" "nested"

# 100000 levels on one ladder
{
  sed -n '/^#/!p' "$DATA/bases/valid_base.toml"
  printf '\n[channels.visa]\nkind = "directed"\nlevels = ['
  seq 1 100000 | sed 's/.*/"l&", /' | tr -d '\n'
  echo ']'
} >"$GEN/levels_100000.toml"
expect levels_100000 "$(($(sed -n '/^#/!p' "$DATA/bases/valid_base.toml" | wc -l) + 4))" 10 "expected 2 to 256 levels, got 100000"

# 5000 actors, and 2000 actors on 13 channels (52 million ties)
{
  printf '[scenario]\nstart = 2000-01-01\nend = 2000-12-01\n'
  seq 1 5000 | sed 's/.*/[actors.a&]\nsize = 1/'
  printf '[channels.c]\nkind = "mutual"\nlevels = ["no", "yes"]\n'
} >"$GEN/actors_5000.toml"
expect actors_5000 4 1 "5000 actors; at most 2000 are allowed"
{
  printf '[scenario]\nstart = 2000-01-01\nend = 2000-12-01\n'
  seq 1 2000 | sed 's/.*/[actors.a&]\nsize = 1/'
  seq 1 13 | sed 's/.*/[channels.c&]\nkind = "mutual"\nlevels = ["no", "yes"]/'
} >"$GEN/ties_52_million.toml"
expect ties_52_million 4004 1 "52000000 ties (actors² × channels); at most 50000000 are allowed"

# a 50 MB file: comments, then a syntax error on its last line
{ yes '# a comment line of a large scenario file, repeated to make it fifty megabytes in all..........' | head -n 524288; printf '[scenario\n'; } >"$GEN/huge_50mb_comments.toml"
expect huge_50mb_comments 524289 "" "TOML syntax error"

# a 50 MB string value in an otherwise incomplete scenario: parsed, then checked
{ printf '[scenario]\nname = "'; head -c 52428800 /dev/zero | tr '\0' 'x'; printf '"\n'; } >"$GEN/huge_50mb_string.toml"
expect huge_50mb_string 1 1 "scenario: missing required key 'start'"

# a key of a million characters: an unknown key, and no time spent on suggestions
{ sed -n '/^#/!p' "$DATA/bases/valid_base.toml"; printf '\n[model]\n'; head -c 1000000 /dev/zero | tr '\0' 'k'; echo ' = 1'; } >"$GEN/long_key.toml"
expect long_key "$(($(sed -n '/^#/!p' "$DATA/bases/valid_base.toml" | wc -l) + 3))" 1 "unknown key 'model.kkkk"

# a 70 MB file is refused before it is read (sparse: costs no disk)
truncate -s 70M "$GEN/huge_70mb.toml"
expect huge_70mb 0 "" "a scenario is at most 64 MiB"

# ---- special files: refused before they are opened, never read (a named pipe would block forever) ------------

mkfifo "$GEN/special_fifo.toml"
expect special_fifo 0 "" "cannot read scenario '$GEN/special_fifo.toml': it is a named pipe (FIFO), expected a .toml file"
ln -s /dev/zero "$GEN/special_device.toml"
expect special_device 0 "" "it is a device, expected a .toml file"
if python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$GEN/special_socket.toml" 2>/dev/null; then
  expect special_socket 0 "" "it is a socket, expected a .toml file"
fi
mkdir "$GEN/special_directory.toml"
expect special_directory 0 "" "it is a directory, expected a .toml file"
# a variant whose base is a named pipe: the error is at its extends
mkfifo "$GEN/fifo_base.pipe"
printf 'extends = "fifo_base.pipe"\n[scenario]\nstart = 2000-01-01\n' >"$GEN/special_extends_fifo.toml"
expect special_extends_fifo 1 11 "cannot read scenario '$GEN/fifo_base.pipe': it is a named pipe (FIFO)"

# experiments naming special files: the experiment itself, its scenario, its design table
EXPERIMENTS="$GEN/experiments"
mkdir "$EXPERIMENTS"
mkfifo "$EXPERIMENTS/special_fifo_experiment.toml"
expect_experiment() { expect "$@"; mv "$GEN/$1.expect" "$EXPERIMENTS/$1.expect"; }
expect_experiment special_fifo_experiment 0 "" "cannot read experiment file: it is a named pipe (FIFO), expected a .toml file"
printf '[experiment]\nscenario = "../fifo_base.pipe"\n[[parameters]]\npath = "actors.MYS.size"\nlow = 1\nhigh = 2\n' >"$EXPERIMENTS/special_fifo_scenario.toml"
expect_experiment special_fifo_scenario 2 12 "it is a named pipe (FIFO)"
{
  printf '[experiment]\nscenario = "%s"\n[design]\nkind = "table"\ntable = "points.pipe"\n' "$DATA/bases/valid_base.toml"
  printf '[[parameters]]\npath = "actors.MYS.size"\n[[metrics]]\nname = "p"\nkind = "value"\nquantity = "pressure"\nfrom = "MYS"\ndate = 2001-01-01\n'
} >"$EXPERIMENTS/special_fifo_table.toml"
mkfifo "$EXPERIMENTS/points.pipe"
expect_experiment special_fifo_table 5 9 "cannot read the design table: it is a named pipe (FIFO), expected a CSV file"

# posteriors that are not files: refused before they are opened
POSTERIORS="$GEN/posteriors"
mkdir "$POSTERIORS"
expect_posterior() { expect "$@"; mv "$GEN/$1.expect" "$POSTERIORS/$1.expect"; }
expect_posterior missing_file 0 "" "cannot read posterior: no such file"
mkdir "$POSTERIORS/directory.csv"
expect_posterior directory 0 "" "cannot read posterior: it is a directory"
mkfifo "$POSTERIORS/fifo.csv"
expect_posterior fifo 0 "" "cannot read posterior: it is a named pipe (FIFO)"

# ---- run every case ------------------------------------------------------------------------------------------

for file in "$DATA"/*.toml "$GEN"/*.toml; do
  check_case "$file" check run
done
for file in "$DATA"/experiments/*.toml "$EXPERIMENTS"/*.toml; do
  check_case "$file" sweep
done

for file in "$DATA"/posteriors/*.csv "$POSTERIORS"/*.csv "$POSTERIORS/missing_file.csv"; do
  check_case "$file" validate-posterior run-posterior
done

for kind in scenarios experiments; do
  if [ $kind = scenarios ]; then count=$(ls "$DATA"/*.toml | wc -l); else count=$(ls "$DATA"/experiments/*.toml | wc -l); fi
  if [ "$count" -ge 30 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: the catalogue holds $count $kind, expected at least 30"
  fi
done

echo "$cases cases, $known known-bug failures (XFAIL) not counted"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
