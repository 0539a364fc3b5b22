#!/usr/bin/python3
"""A corner plot of an ABC posterior: each free parameter's weighted histogram on its prior's range, and
every pair's particles as a scatter whose dot size is the particle's weight.

Reads posterior.csv from `tiesim calibrate --method abc-smc` (particle, weight, one column per free
parameter, distance) and, from the same directory, identifiability.csv for each prior's range and scale (a
log-uniform prior gets a log axis). The 90% posterior interval is shaded on each diagonal panel; a
parameter the targets do not constrain fills most of its prior's range.

    plot_posterior.py out/posterior/posterior.csv -o posterior.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROG = "plot_posterior.py"
FIXED = ["particle", "weight", "distance"]


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="Corner plot of an ABC posterior (posterior.csv).")
    p.add_argument("posterior", metavar="POSTERIOR.csv", help="posterior.csv written by tiesim calibrate --method abc-smc")
    p.add_argument("-o", "--output", metavar="FILE", help="image to write, .png or .svg (default: beside the CSV, posterior.png)")
    return p.parse_args(argv)


def weighted_quantile(values, weights, q):
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def compute(posterior_path):
    header = tp.read_header(posterior_path)
    tp.check_columns(posterior_path, header, FIXED, "posterior.csv")
    parameters = [c for c in header if c not in FIXED]
    if not parameters:
        tp.die(f"{posterior_path}: no parameter columns besides {', '.join(FIXED)}")
    df = pd.read_csv(posterior_path)
    if df.empty:
        tp.die(f"{posterior_path}: no particles")
    weights = df["weight"].to_numpy(float)
    if not np.all(np.isfinite(weights)) or (weights < 0).any() or weights.sum() <= 0:
        tp.die(f"{posterior_path}: weights must be finite, non-negative and not all 0")
    priors = {p: {"scale": "linear", "low": df[p].min(), "high": df[p].max()} for p in parameters}
    identifiability = os.path.join(os.path.dirname(os.path.abspath(posterior_path)), "identifiability.csv")
    if os.path.exists(identifiability):
        for row in pd.read_csv(identifiability).itertuples():
            if row.parameter in priors:
                priors[row.parameter] = {"scale": row.scale, "low": float(row.prior_low), "high": float(row.prior_high)}
    summary = []
    for p in parameters:
        values = df[p].to_numpy(float)
        summary.append({"parameter": p, "scale": priors[p]["scale"], "prior_low": priors[p]["low"],
                        "prior_high": priors[p]["high"], "q05": weighted_quantile(values, weights, 0.05),
                        "q95": weighted_quantile(values, weights, 0.95),
                        "mean": float(np.average(values, weights=weights))})
    return {"particles": df, "weights": weights / weights.sum(), "parameters": parameters,
            "summary": pd.DataFrame(summary)}


def draw(data):
    parameters, df, weights = data["parameters"], data["particles"], data["weights"]
    summary = data["summary"].set_index("parameter")
    n = len(parameters)
    fig = tp.new_figure(2.6 * n + 0.6, 2.6 * n + 0.4)
    axes = fig.subplots(n, n, squeeze=False)
    for i, pi in enumerate(parameters):
        si = summary.loc[pi]
        log_i = si["scale"] == "log"
        for j, pj in enumerate(parameters):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            sj = summary.loc[pj]
            log_j = sj["scale"] == "log"
            if i == j:
                edges = (np.geomspace(si["prior_low"], si["prior_high"], 21) if log_i
                         else np.linspace(si["prior_low"], si["prior_high"], 21))
                ax.hist(df[pi], bins=edges, weights=weights, color=tp.colour(0), alpha=0.8)
                ax.axvspan(si["q05"], si["q95"], color=tp.colour(1), alpha=0.15, label="90% interval", zorder=0)
                ax.set_yticks([])
                ax.set_title(pi, fontsize=8)
            else:
                ax.scatter(df[pj], df[pi], s=4 + 400 * weights, color=tp.colour(0), alpha=0.5, linewidths=0)
                ax.set_ylim(si["prior_low"], si["prior_high"])
                if log_i:
                    ax.set_yscale("log")
            ax.set_xlim(sj["prior_low"], sj["prior_high"])
            if log_j:
                ax.set_xscale("log")
            # minor ticks too: a log axis spanning less than a decade labels them, at matplotlib's default size
            ax.tick_params(which="both", labelsize=7)
            if i == n - 1:
                ax.set_xlabel(pj, fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(pi, fontsize=8)
    axes[0, 0].legend(fontsize=7, loc="upper right")
    fig.suptitle("ABC posterior: axes span each prior; dot size is a particle's weight", fontsize=10)
    return fig


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    data = compute(a.posterior)
    out = a.output or tp.default_output(a.posterior, "posterior.png")
    tp.save(draw(data), out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
