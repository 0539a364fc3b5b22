#!/usr/bin/env bash
# A sweep, and calibrate --method abc-smc, spread over 2 MPI ranks write the same files as one process; bad
# input under mpirun exits 2 without hanging. Run by ctest when tiesim is built with TIESIM_MPI.
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

# ABC-SMC across ranks: two targets that only a band of pressure sensitivities meets about half the time each,
# so the tolerance falls and proposals are rejected; 2 ranks must accept exactly the particles one process does
cat >"$work/abc.toml" <<EOF_ABC
extends = "$here/../../scenarios/minimal.toml"
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
abc_args=(calibrate "$work/abc.toml" --method abc-smc --free actors.MID.pressure_sensitivity=0.25:4:log --free actors.MID.compliance=0:2
          --particles 30 --generations 3 --replicates 10 --seed 4)
"$tiesim" "${abc_args[@]}" --threads 1 -o "$work/abc-single" >"$work/abc-single.out"
timeout 300 mpirun -np 2 "$tiesim" "${abc_args[@]}" -o "$work/abc-ranks" >"$work/abc-ranks.out"
check "abc-smc under mpirun: exit status" test $? -eq 0
for file in posterior.csv generations.csv identifiability.csv; do
  check "abc-smc: 2 ranks write the same $file as 1 process" cmp -s "$work/abc-single/$file" "$work/abc-ranks/$file"
done
check "abc-smc rejected some proposals (the test would not see a wrong acceptance otherwise)" \
  awk -F, 'NR > 1 && $5 < 1 { found = 1 } END { exit !found }' "$work/abc-single/generations.csv"
check "abc-smc: only rank 0 prints the report" test "$(grep -c '^ABC-SMC:' "$work/abc-ranks.out")" -eq 1
# a combination the scenario refuses (a ruled weight base × exp(coefficient) above 10^6, though each end of each
# prior passes the up-front check), met by a proposal of either rank, stops every rank with its error, no hang
cat >"$work/abc-refused.toml" <<EOF_REFUSED
extends = "$work/abc.toml"
[actors.BIG.covariates]
x = 1
[actors.PAR.covariates]
x = 1
[rules.autonomy]
base = 1
x = 0
EOF_REFUSED
refused_args=(calibrate "$work/abc-refused.toml" --method abc-smc --free rules.autonomy.base=1:10000:log --free rules.autonomy.x=0:9.2
              --particles 30 --generations 2 --replicates 2)
"$tiesim" "${refused_args[@]}" -o "$work/abc-bad-single" 2>"$work/abc-bad-single.err"
check "abc-smc: one process refuses the proposal (exit 2)" test $? -eq 2
check "abc-smc: the refusal names the rule's bound" grep -qF "a weight is at most 10^6" "$work/abc-bad-single.err"
timeout 120 mpirun -np 2 "$tiesim" "${refused_args[@]}" -o "$work/abc-bad" 2>"$work/abc-bad.err"
status=$?
check "abc-smc: a refused proposal under mpirun exits 2 (not a hang: 124)" test $status -eq 2
check "abc-smc: 2 ranks print the one process's error, once" \
  cmp -s "$work/abc-bad-single.err" <(grep -F -e 'error:' -e 'hint:' "$work/abc-bad.err")
check "abc-smc: no posterior for a refused proposal" test ! -e "$work/abc-bad/posterior.csv"

timeout 60 mpirun -np 2 "$tiesim" check "$here/../../scenarios/minimal.toml" 2>"$work/check.err"
check "only sweep and abc-smc run across ranks" test $? -eq 2
check "the refusal names the command to run instead" \
  grep -qF "only 'sweep' and 'calibrate --method abc-smc' run across MPI ranks" "$work/check.err"
timeout 60 mpirun -np 2 "$tiesim" calibrate "$here/../../scenarios/minimal.toml" --free actors.MID.compliance=0:2 --budget 4 2>"$work/direct.err"
check "calibrate's default method (sequential) is refused across ranks" test $? -eq 2

echo "$passed passed, $failed failed"
test "$failed" -eq 0
