#!/usr/bin/python3
"""Validation scorecard: each target's hit rate against its threshold.

Reads validation.csv from `tiesim validate` (target, kind, expected, hit_rate,
threshold, pass). A bar per target shows the share of replicates that hit it;
a black tick marks the threshold; passing bars are bluish green, failing ones
vermillion and hatched (so the verdict does not rest on colour alone).

    plot_scorecard.py out/validation.csv -o scorecard.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

PROG = "plot_scorecard.py"

TRUE = {"true", "1", "yes", "pass", "passed"}
FALSE = {"false", "0", "no", "fail", "failed"}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Plot each validation target's hit rate against its threshold "
                    "from tiesim validate's validation.csv.")
    p.add_argument("validation", metavar="VALIDATION.csv", help="validation.csv written by tiesim validate")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: beside the CSV, scorecard.png)")
    return p.parse_args(argv)


def parse_pass(series, path):
    text = series.fillna("").astype(str).str.strip().str.lower()
    bad = ~text.isin(TRUE | FALSE)
    if bad.any():
        tp.die(f"{path}: column pass must be true or false (found {series[bad].iloc[0]!r})")
    return text.isin(TRUE)


def compute(df, path=""):
    if df.empty:
        tp.die(f"{path}: no targets")
    out = df[["target", "kind", "expected", "hit_rate", "threshold"]].copy()
    out["pass"] = parse_pass(df["pass"], path).to_numpy()
    out["colour"] = np.where(out["pass"], tp.PASS_COLOUR, tp.FAIL_COLOUR)
    out["y"] = np.arange(len(out))[::-1]  # file order, first on top
    return {"targets": out.reset_index(drop=True)}


def draw(data):
    t = data["targets"]
    fig = tp.new_figure(9, 1.4 + 0.42 * len(t))
    ax = fig.subplots()
    ax.barh(t["y"], t["hit_rate"], height=0.7, color=t["colour"],
            hatch=["" if ok else "//" for ok in t["pass"]], edgecolor="white", lw=0)
    # threshold ticks across each bar
    ax.vlines(t["threshold"], t["y"] - 0.45, t["y"] + 0.45, colors="black", lw=2.2)
    trans = ax.get_yaxis_transform()
    for _, r in t.iterrows():
        verdict = "pass" if r["pass"] else "FAIL"
        sign = "≥" if r["hit_rate"] >= r["threshold"] else "<"
        ax.text(1.01, r["y"], f"{r['hit_rate']:.0%} {sign} {r['threshold']:.0%}  {verdict}",
                transform=trans, va="center", ha="left", fontsize=8,
                color="black" if r["pass"] else tp.FAIL_COLOUR,
                fontweight="normal" if r["pass"] else "bold")
    labels = [f"{r['target']}\n{r['kind']}: {r['expected']}" if str(r["expected"]).strip()
              else f"{r['target']}\n{r['kind']}" for _, r in t.iterrows()]
    ax.set_yticks(t["y"], labels, fontsize=7.5)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("hit rate (share of replicates that reproduce the target)")
    ax.grid(axis="x", color="0.92", lw=0.6)
    ax.set_axisbelow(True)
    n_pass = int(t["pass"].sum())
    ax.set_title(f"Validation scorecard: {n_pass} of {len(t)} targets pass", fontsize=10, loc="left")
    ax.legend(handles=[Patch(color=tp.PASS_COLOUR, label="pass"),
                       Patch(facecolor=tp.FAIL_COLOUR, hatch="//", edgecolor="white", label="fail"),
                       Line2D([], [], color="black", lw=2.2, label="threshold")],
              fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(t), 1)),
              ncol=3, frameon=False)
    return fig


def plot(path):
    """Build the figure; returns (fig, data) where data['targets'] is what was drawn."""
    df = tp.read_csv(path, "validation.csv")
    for c in ("hit_rate", "threshold"):
        if df[c].isna().any():
            tp.die(f"{path}: column {c} is empty for target {df[df[c].isna()]['target'].iloc[0]}")
    data = compute(df, path)
    return draw(data), data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.validation)
    out = a.output or tp.default_output(a.validation, "scorecard.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
