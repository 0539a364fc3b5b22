#!/usr/bin/python3
"""Sensitivity indices as bars with their confidence intervals.

Reads sensitivity.csv from tiesim (metric, parameter, method, index, value,
lo, hi): Sobol first-order and total indices (S1, ST) or Morris mu* and sigma.
One panel per metric and method; parameters sorted by their main index (ST or
mu*), most influential on top.

    plot_sensitivity.py out/sobol/sensitivity.csv -o sensitivity.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROG = "plot_sensitivity.py"

#: indices in drawing order; the last of each method's pair ranks parameters.
INDEX_ORDER = ["S1", "ST", "mu_star", "sigma"]
RANK_BY = {"sobol": "ST", "morris": "mu_star"}
INDEX_LABELS = {"S1": "S1 (first order)", "ST": "ST (total)", "mu_star": "μ* (mean |effect|)",
                "sigma": "σ (interactions, non-linearity)"}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Plot sensitivity indices (Sobol S1/ST or Morris mu*/sigma) as bars "
                    "with confidence intervals from tiesim's sensitivity.csv.")
    p.add_argument("sensitivity", metavar="SENSITIVITY.csv", help="sensitivity.csv written by tiesim")
    p.add_argument("--metric", action="append", metavar="M",
                   help="metric to show (repeatable; default: all)")
    p.add_argument("--method", metavar="NAME", help="method to show (default: all)")
    p.add_argument("--top", type=int, metavar="N",
                   help="show only the N most influential parameters per panel")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: beside the CSV, sensitivity.png)")
    return p.parse_args(argv)


def compute(df, metrics=None, method=None, top=None, path=""):
    if metrics:
        unknown = [m for m in metrics if m not in set(df["metric"])]
        if unknown:
            tp.die(f"{path}: no metric {', '.join(unknown)} "
                   f"(metrics: {', '.join(sorted(pd.unique(df['metric'])))})")
        df = df[df["metric"].isin(metrics)]
    if method:
        if method not in set(df["method"]):
            tp.die(f"{path}: no method {method} (methods: {', '.join(sorted(pd.unique(df['method'])))})")
        df = df[df["method"] == method]
    df = df.dropna(subset=["value"])
    if df.empty:
        tp.die(f"{path}: no indices to plot")
    panels = []
    for (metric, meth), g in df.groupby(["metric", "method"], sort=False):
        indices = sorted(pd.unique(g["index"]),
                         key=lambda i: (INDEX_ORDER.index(i) if i in INDEX_ORDER else 99, i))
        rank = RANK_BY.get(meth, indices[-1])
        if rank not in indices:
            rank = indices[-1]
        score = g[g["index"] == rank].groupby("parameter")["value"].max()
        params = sorted(pd.unique(g["parameter"]), key=lambda p: -score.get(p, -np.inf))
        if top:
            params = params[:top]
        # y: most influential on top; bars of one parameter side by side
        width = 0.8 / len(indices)
        rows = []
        for rank_pos, param in enumerate(params):
            y0 = len(params) - 1 - rank_pos
            for k, idx in enumerate(indices):
                r = g[(g["parameter"] == param) & (g["index"] == idx)]
                if r.empty:
                    continue
                r = r.iloc[0]
                rows.append({"metric": metric, "method": meth, "parameter": param, "index": idx,
                             "value": float(r["value"]), "lo": r["lo"], "hi": r["hi"],
                             "y": y0 + 0.4 - width * (k + 0.5), "height": width * 0.9})
        panels.append({"metric": metric, "method": meth, "indices": indices, "params": params,
                       "bars": pd.DataFrame(rows)})
    bars = pd.concat([p["bars"] for p in panels], ignore_index=True)
    return {"panels": panels, "bars": bars}


def draw(data):
    panels = data["panels"]
    heights = [max(1.5, 0.45 * len(p["params"]) + 1.0) for p in panels]
    fig = tp.new_figure(9, sum(heights) + 0.3)
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, p in zip(axes, panels):
        b = p["bars"]
        for k, idx in enumerate(p["indices"]):
            s = b[b["index"] == idx]
            has_ci = s["lo"].notna() & s["hi"].notna()
            xerr = np.vstack([(s["value"] - s["lo"]).clip(lower=0).where(has_ci, 0).to_numpy(float),
                              (s["hi"] - s["value"]).clip(lower=0).where(has_ci, 0).to_numpy(float)])
            ax.barh(s["y"], s["value"], height=s["height"], color=tp.colour(k),
                    label=INDEX_LABELS.get(idx, idx),
                    xerr=xerr if has_ci.any() else None,
                    error_kw={"ecolor": "black", "elinewidth": 1, "capsize": 2.5})
        ax.set_yticks(np.arange(len(p["params"])), list(reversed(p["params"])), fontsize=8)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel("index value")
        ax.grid(axis="x", color="0.92", lw=0.6)
        ax.set_title(f"{p['metric']}: {p['method']} sensitivity indices "
                     "(error bars: confidence interval where given)", fontsize=10, loc="left")
        ax.legend(fontsize=8, loc="lower right", framealpha=0.85)
    return fig


def plot(path, metrics=None, method=None, top=None):
    """Build the figure; returns (fig, data) where data['bars'] is what was drawn."""
    df = tp.read_csv(path, "sensitivity.csv")
    data = compute(df, metrics, method, top, path)
    return draw(data), data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    if a.top is not None and a.top < 1:
        tp.die("--top must be at least 1")
    fig, data = plot(a.sensitivity, a.metric, a.method, a.top)
    out = a.output or tp.default_output(a.sensitivity, "sensitivity.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
