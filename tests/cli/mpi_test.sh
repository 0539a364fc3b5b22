#!/usr/bin/env bash
# A sweep spread over 2 MPI ranks writes the same runs.csv as one process; bad input under mpirun exits 2
# without hanging. Run by ctest when tiesim is built with TIESIM_MPI.
set -u
tiesim=${TIESIM:?TIESIM must name the tiesim binary}
here=$(cd "$(dirname "$0")" && pwd)
experiment="$here/../../scenarios/experiments/minimal_sobol.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the test machine runs as root and may have fewer cores than ranks
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
passed=0 failed=0
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

"$tiesim" sweep "$experiment" -o "$work/single" --quiet --threads 1
timeout 120 mpirun -np 2 "$tiesim" sweep "$experiment" -o "$work/ranks" --quiet
check "mpirun exit status" test $? -eq 0
check "2 ranks write the same bytes as 1 process" cmp -s "$work/single/runs.csv" "$work/ranks/runs.csv"
check "one manifest" test -f "$work/ranks/manifest.json"

printf '[experiment]\nscenario = "%s"\n[[parameters]]\npath = "actors.MID.complience"\nlow = 0\nhigh = 1\n[[metrics]]\nname = "p"\nquantity = "pressure"\nfrom = "MID"\ndate = 2005-01-01\n' \
  "$here/../../scenarios/minimal.toml" >"$work/bad.toml"
timeout 60 mpirun -np 2 "$tiesim" sweep "$work/bad.toml" -o "$work/bad" 2>"$work/bad.err"
status=$?
check "bad input under mpirun exits 2 (not a hang: 124)" test $status -eq 2
check "bad input message names the file, line and column of the key" \
  grep -qF "$work/bad.toml:4:8: error: parameters.path: unknown key 'actors.MID.complience'" "$work/bad.err"
check "bad input message suggests the key" grep -qF "did you mean 'compliance'?" "$work/bad.err"
check "no output for bad input" test ! -e "$work/bad/runs.csv"

timeout 60 mpirun -np 2 "$tiesim" check "$here/../../scenarios/minimal.toml" 2>"$work/check.err"
check "only sweep runs across ranks" test $? -eq 2
check "the refusal names the command to run instead" grep -qF "only 'sweep' runs across MPI ranks" "$work/check.err"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
