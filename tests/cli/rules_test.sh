#!/usr/bin/env bash
# Weights set by a rule from covariates ([rules.W], docs/scenario.md) through the command line: --set, a sweep's
# --vary and calibrate's --free on a rule's coefficient change the weights the run uses, as run.json's
# `effective` section shows, and the run itself.
# Run by ctest with TIESIM set to the binary; the last line is "N passed, M failed".
set -u

TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-rules-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

. "$HERE/lib.sh"

# the minimal scenario with the middle power's compliance from a rule: 0.5 × exp(0.2 × us_ally), us_ally = 1;
# without its pressure sensitivity, compliance alone holds it to the sanctions' caps
cp "$HERE/../../scenarios/minimal.toml" "$TMP/minimal.toml"
cat >"$TMP/ruled.toml" <<'EOF'
extends = "minimal.toml"
remove = ["actors.MID.compliance"]

[actors.MID]
pressure_sensitivity = 0.0

[actors.MID.covariates]
us_ally = 1

[rules.compliance]
base = 0.5
us_ally = 0.2
EOF

# expect_weight RUN_JSON ACTOR WEIGHT VALUE: run.json's effective weight equals VALUE to 12 digits
expect_weight() {
  local actual
  actual=$(/usr/bin/python3 -c 'import json, sys; print(repr(json.load(open(sys.argv[1]))["effective"]["actors"][sys.argv[2]][sys.argv[3]]))' "$1" "$2" "$3" 2>/dev/null)
  if /usr/bin/python3 -c 'import sys; a, e = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - e) > 1e-12 * max(1, abs(e)))' "$actual" "$4" 2>/dev/null; then
    pass
  else
    fail "$command: $2's $3 in $1 is '$actual', expected $4"
  fi
}

run() {  # run OUT ARGS...: three replicates of ruled.toml
  local out=$1
  shift
  invoke run "$TMP/ruled.toml" -o "$TMP/$out" --seed 11 --replicates 3 -q "$@"
  expect_status 0
}

run plain
expect_weight "$TMP/plain/run.json" MID compliance 0.6107013790800849  # 0.5 × exp(0.2)
expect_weight "$TMP/plain/run.json" BIG compliance 1                   # its own value

# --set on the base and on a coefficient
run base0 --set rules.compliance.base=0
expect_weight "$TMP/base0/run.json" MID compliance 0
run base5 --set rules.compliance.base=5
expect_weight "$TMP/base5/run.json" MID compliance 6.107013790800849  # 5 × exp(0.2)
run coefficient --set rules.compliance.us_ally=-1
expect_weight "$TMP/coefficient/run.json" MID compliance 0.18393972058572117  # 0.5 × exp(−1)
# and the run changes with it: a middle power that ignores the sanctions keeps its trade with the pariah
if [ -s "$TMP/base0/changes.csv" ] && ! cmp -s "$TMP/base0/changes.csv" "$TMP/base5/changes.csv"; then
  pass
else
  fail "compliance 0 and 6.1 give the same changes.csv (or none)"
fi

# --set on a covariate: the data change the weight too
run covariate --set actors.MID.covariates.us_ally=3
expect_weight "$TMP/covariate/run.json" MID compliance 0.9110594001952544  # 0.5 × exp(0.6)

# a sweep varies a rule's base: with compliance 0 the middle power often keeps trading above the caps, with
# 6.1 it never does (the target's hit rate is 30% and 100% over 20 replicates)
invoke sweep --scenario "$TMP/ruled.toml" --vary rules.compliance.base=0:5:2 --replicates 10 -o "$TMP/sweep" -q
expect_status 0
met=$(/usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for base in ("0", "5"):
    print(sum(int(r["trade_cut_under_sanctions"]) for r in rows if r["rules.compliance.base"] == base), end=" ")' "$TMP/sweep/runs.csv" 2>&1)
read -r met0 met5 <<<"$met"
if [ "${met5:-}" = 10 ] && [ "${met0:-10}" -lt 10 ] 2>/dev/null; then
  pass
else
  fail "sweep --vary rules.compliance.base=0:5:2: the cut target is met in '$met' of 10 runs at base 0 and 5; expected fewer and 10"
fi

# calibrate fits a coefficient; its fit.toml, run, gives the weight the fitted value implies
invoke calibrate "$TMP/ruled.toml" --free rules.compliance.us_ally=-1:1 --budget 3 --replicates 4 -o "$TMP/fit" --seed 5
expect_status 0
expect_stdout "rules.compliance.us_ally = "
fitted=$(sed -n 's/^rules\.compliance\.us_ally = //p' "$TMP/fit/fit.toml")
if [ -n "$fitted" ]; then pass; else fail "fit.toml has no rules.compliance.us_ally"; fi
invoke run "$TMP/fit/fit.toml" -o "$TMP/fitted" --seed 11 -q
expect_status 0
expect_weight "$TMP/fitted/run.json" MID compliance "$(/usr/bin/python3 -c "import math; print(repr(0.5 * math.exp($fitted)))")"

# a --free range whose end takes the weight past 10^6 is refused before the search, as the --free typed
invoke calibrate "$TMP/ruled.toml" --free rules.compliance.us_ally=0:20 --budget 3 -o "$TMP/fit-huge"
expect_status 2
expect_stderr "--free rules.compliance.us_ally: error: rules.compliance: gives actor MID a compliance of"
expect_clean_stderr
expect_absent "$TMP/fit-huge"

# values each allowed at the ends of their ranges may be refused together: two coefficients both high take the
# weight past 10^6 inside the box, where the search finds it; it stops with the rule's error, never an internal one
cat >"$TMP/two.toml" <<'EOF'
extends = "ruled.toml"
actors.MID.covariates.other = 1
rules.compliance.other = 0
EOF
invoke calibrate "$TMP/two.toml" --free rules.compliance.us_ally=-13:13 --free rules.compliance.other=-13:13 --budget 60 --replicates 1 -o "$TMP/fit-two"
expect_status 2
expect_stderr_regex "^--free rules\.compliance\.(us_ally|other): error: rules\.compliance: gives actor MID a compliance of [0-9.e+]+ \(base 0\.5 × exp\("
expect_stderr_regex "hint: .*; the search tried rules\.compliance\.us_ally = [-0-9.e]+, rules\.compliance\.other = [-0-9.e]+$"
expect_clean_stderr
expect_absent "$TMP/fit-two"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
