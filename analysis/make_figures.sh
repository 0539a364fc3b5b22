#!/usr/bin/env bash
# Remakes the README's pictures (docs/figures/*.png) from the reference scenario:
#   bash analysis/make_figures.sh            # after: bash .ci/setup.sh
# 50 replicates of the reference case and of its no-2270 counterfactual (same seeds), a validation of
# 200 replicates, a small Sobol sweep, a posterior of six parameters and its predictive runs; about three
# minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
tiesim=build/tiesim
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=docs/figures
mkdir -p "$out"

# trajectories are only needed from 1990 on, recorded monthly; the other files as usual
"$tiesim" run scenarios/malaysia_dprk.toml -o "$work/base" --seed 1 --replicates 50 --actors MYS,PRK,SGP,KOR,JPN,USA,VNM,IDN,THA --record changes,ties,dyads,actors,events --quiet
"$tiesim" run scenarios/malaysia_dprk_no_2270.toml -o "$work/no_2270" --seed 1 --replicates 50 --actors MYS,PRK --record changes,ties,dyads,actors,events --quiet
"$tiesim" validate scenarios/malaysia_dprk.toml -o "$work/validation" --seed 1 --replicates 200 >/dev/null || true
"$tiesim" sweep scenarios/experiments/minimal_sobol.toml -o "$work/sobol" --quiet
"$tiesim" sensitivity "$work/sobol/runs.csv" >/dev/null
# the posterior given the record over six parameters (docs/calibration.md), and the posterior predictive runs
"$tiesim" calibrate scenarios/malaysia_dprk.toml --method abc-smc --distance record --tolerance 0 \
  --free model.reciprocity=0.15:0.5 --free model.grievance_half_life=2:10 --free actors.MYS.pressure_sensitivity=0.03:0.12:log \
  --free actors.MYS.compliance=0.4:1.2 --free model.pressure_decay=0.8:0.95 --free model.event_affect_scale=0.3:0.8 \
  --particles 300 --budget 6000 --seed 1 -o "$work/posterior" >/dev/null
"$tiesim" run scenarios/malaysia_dprk.toml -o "$work/point" --seed 1 --replicates 200 --actors MYS,PRK --record dyads --quiet
"$tiesim" run scenarios/malaysia_dprk.toml -o "$work/predictive" --seed 1 --replicates 200 --actors MYS,PRK --record dyads \
  --posterior "$work/posterior/posterior.csv" --quiet

scenario=scenarios/malaysia_dprk.toml
$python analysis/plot_trajectories.py "$work/base" --from MYS --to PRK --scenario "$scenario" --start 2005-01-01 -o "$out/trajectories.png"
$python analysis/plot_heatmap.py "$work/base" --actor MYS --tie-index --scenario "$scenario" --start 1990-01-01 -o "$out/heatmap.png"
$python analysis/plot_why.py "$work/base" --actor MYS --scenario "$scenario" --start 2005-01-01 -o "$out/why.png"
$python analysis/plot_counterfactual.py "$work/base" "$work/no_2270" --from MYS --to PRK --tie-index --labels "with 2270" "without 2270" \
  --scenario "$scenario" --start 2012-01-01 -o "$out/counterfactual.png"
$python analysis/plot_scorecard.py "$work/validation/validation.csv" -o "$out/scorecard.png"
$python analysis/plot_sensitivity.py "$work/sobol/sensitivity.csv" -o "$out/sensitivity.png"
$python analysis/plot_posterior.py "$work/posterior/posterior.csv" -o "$out/posterior.png"
$python analysis/plot_fan.py "$work/point" "$work/predictive" --from MYS --to PRK --labels "fitted point" "posterior given the record" \
  --scenario "$scenario" --start 2012-01-01 --end 2017-12-31 --event-kinds resolution,incident -o "$out/fan.png"
echo "wrote $out/{trajectories,heatmap,why,counterfactual,scorecard,sensitivity,posterior,fan}.png"
