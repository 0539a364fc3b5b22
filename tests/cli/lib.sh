# Helpers shared by the command-line test scripts (cli_test.sh, fault_test.sh): source it once TIESIM names the
# binary and TMP a scratch directory. Each expect_* counts one check: passed, or failed with a line that says
# which command and why (and the first lines of its stderr).

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
  if [ -s "$TMP/stderr" ]; then sed -n '1,6s/^/    stderr: /p' "$TMP/stderr"; fi
}

# invoke ARGS...: runs tiesim; sets $status and $command, keeps stdout and stderr in $TMP/stdout and $TMP/stderr
invoke() {
  command="tiesim $*"
  "$TIESIM" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  status=$?
}
# invoke_in DIR ARGS...: the same, with DIR as the working directory
invoke_in() {
  local dir=$1
  shift
  command="(in $dir) tiesim $*"
  (cd "$dir" && "$TIESIM" "$@") >"$TMP/stdout" 2>"$TMP/stderr"
  status=$?
}

expect_status() {
  if [ "$status" -eq "$1" ]; then pass; else fail "$command: exit status $status, expected $1"; fi
}
expect_stdout() {  # fixed string
  if grep -qF -- "$1" "$TMP/stdout"; then pass; else fail "$command: stdout lacks '$1'"; fi
}
expect_stderr() {  # fixed string
  if grep -qF -- "$1" "$TMP/stderr"; then pass; else fail "$command: stderr lacks '$1'"; fi
}
expect_stderr_regex() {  # extended regular expression
  if grep -qE -- "$1" "$TMP/stderr"; then pass; else fail "$command: stderr does not match /$1/"; fi
}
expect_clean_stderr() {  # a handled error, never a crash or an unhandled exception
  if grep -qiE 'internal error|terminate called|Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$TMP/stderr"; then
    fail "$command: stderr shows a crash or an internal error"
  else
    pass
  fi
}
expect_empty_stdout() {
  if [ ! -s "$TMP/stdout" ]; then pass; else fail "$command: expected nothing on stdout, got '$(head -c 200 "$TMP/stdout")'"; fi
}
expect_absent() {
  if [ ! -e "$1" ]; then pass; else fail "$command: $1 exists but should not"; fi
}
# expect_listing DIR "a b c": DIR holds exactly these entries, hidden ones included
expect_listing() {
  local actual
  actual=$(ls -A "$1" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$actual" = "$2" ]; then pass; else fail "$command: $1 holds '$actual', expected '$2'"; fi
}
expect_file_contains() {
  if grep -qF -- "$2" "$1" 2>/dev/null; then pass; else fail "$command: $1 lacks '$2'"; fi
}
