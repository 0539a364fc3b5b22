#!/usr/bin/python3
"""A sweep's metric against one parameter (binned median and band) or two (heat map).

A metric whose every value is 0 or 1 (a target hit, a tie cut or not) is drawn as the share of runs with 1,
with a 90% Wilson interval, instead of a median that could only read 0 or 1.

Reads runs.csv from `tiesim sweep`: one row per run, one column per varied
parameter (named by its dotted path) and one per metric.

    plot_sweep.py out/sweep/runs.csv --metric tie_index_2017 --param actors.MYS.compliance -o sweep.png
    plot_sweep.py runs.csv --metric tie_index_2017 --param actors.MYS.compliance --param2 model.balance -o grid.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROG = "plot_sweep.py"
BASE_COLUMNS = tp.COLUMNS["runs.csv"]


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Plot a sweep metric against one parameter (binned median with band) "
                    "or two (heat map of the median) from tiesim's runs.csv.")
    p.add_argument("runs", metavar="RUNS.csv", help="runs.csv written by tiesim sweep")
    p.add_argument("--metric", metavar="M",
                   help="metric column (default: the only metric, if there is one)")
    p.add_argument("--param", metavar="P",
                   help="parameter column, a dotted path (default: the only parameter)")
    p.add_argument("--param2", metavar="Q", help="second parameter: draw a heat map")
    p.add_argument("--bins", type=int, default=12, metavar="N",
                   help="a numeric parameter with more than N distinct values is cut into N "
                        "equal-width bins (default: 12)")
    p.add_argument("--band", nargs=2, type=float, default=[10.0, 90.0], metavar=("LO", "HI"),
                   help="percentiles of the band over runs in a bin (default: 10 90)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: beside RUNS.csv, sweep_METRIC_PARAM.png)")
    return p.parse_args(argv)


def guess_columns(path, header):
    """(parameters, metrics): parameters are dotted paths, metrics the rest."""
    extra = [c for c in header if c not in BASE_COLUMNS]
    params = [c for c in extra if "." in c]
    metrics = [c for c in extra if "." not in c]
    return params, metrics


def pick(name, candidates, what, path):
    if name:
        return name
    if len(candidates) == 1:
        return candidates[0]
    tp.die(f"{path}: choose --{what} among: {', '.join(candidates) or '(none found)'}")


def bin_values(values, bins):
    """Bins of a parameter: (bin key per row, DataFrame of bins: key, x, label).

    Numeric with at most `bins` distinct values: one bin per value (design
    points). Numeric with more: equal-width bins, x at the bin centre.
    Text: one bin per value, in sorted order, x = 0, 1, ...
    """
    numeric = pd.api.types.is_numeric_dtype(values)
    uniq = sorted(pd.unique(values.dropna()))
    if not numeric or len(uniq) <= bins:
        keys = values
        x = uniq if numeric else list(range(len(uniq)))
        labels = [f"{u:g}" if numeric else str(u) for u in uniq]
        table = pd.DataFrame({"key": uniq, "x": x, "label": labels})
        return keys, table, numeric
    lo, hi = float(min(uniq)), float(max(uniq))
    edges = np.linspace(lo, hi, bins + 1)
    idx = np.clip(np.searchsorted(edges, values.to_numpy(float), side="right") - 1, 0, bins - 1)
    keys = pd.Series(idx, index=values.index)
    centres = (edges[:-1] + edges[1:]) / 2
    table = pd.DataFrame({"key": range(bins), "x": centres,
                          "label": [f"{a:.3g}–{b:.3g}" for a, b in zip(edges[:-1], edges[1:])]})
    return keys, table, True


def summarise_bins(df, keys, metric, band):
    g = df.assign(_key=keys).groupby("_key")[metric]
    return pd.DataFrame({
        "median": g.median(), "lo": g.quantile(band[0] / 100), "hi": g.quantile(band[1] / 100),
        "n": g.count(),
    })


def is_binary(values):
    """A 0/1 metric (a target hit, a tie cut or not): its median reads 0 or 1, its mean is the share."""
    return bool(values.isin([0, 1]).all())


def share_bins(df, keys, metric, z=1.6449):
    """Share of runs with 1 per bin, and its 90% Wilson score interval (Wilson 1927): unlike the normal
    approximation it stays within [0, 1] and is not empty at a share of 0 or 1."""
    g = df.assign(_key=keys).groupby("_key")[metric]
    n, p = g.count().astype(float), g.mean()
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return pd.DataFrame({"median": p, "lo": centre - half, "hi": centre + half, "n": g.count()})


def plot(runs_path, metric=None, param=None, param2=None, bins=12, band=(10.0, 90.0)):
    """Build the figure; returns (fig, data) where data is what was drawn."""
    band = tp.check_band(band)
    if bins < 1:
        tp.die("--bins must be at least 1")
    header = tp.read_header(runs_path)
    tp.check_columns(runs_path, header, BASE_COLUMNS, "runs.csv")
    params, metrics = guess_columns(runs_path, header)
    metric = pick(metric, metrics, "metric", runs_path)
    param = pick(param, params, "param", runs_path)
    wanted = [metric, param] + ([param2] if param2 else [])
    absent = [c for c in wanted if c not in header]
    if absent:
        tp.die(f"{runs_path}: no column {', '.join(absent)} "
               f"(metrics: {', '.join(metrics) or 'none'}; parameters: {', '.join(params) or 'none'})")
    df = tp.read_csv(runs_path, "runs.csv", extra=wanted)
    no_param = df[wanted[1:]].isna().any(axis=1)
    if no_param.any():
        tp.warn(f"{int(no_param.sum())} runs without a parameter value left out")
        df = df[~no_param]
    if not pd.api.types.is_numeric_dtype(df[metric]):
        df[metric] = pd.to_numeric(df[metric], errors="coerce")
    dropped = int(df[metric].isna().sum())
    if dropped:
        tp.warn(f"{dropped} runs without a value of {metric} left out")
        df = df.dropna(subset=[metric])
    if df.empty:
        tp.die(f"{runs_path}: no runs with a value of {metric}")

    fig = tp.new_figure(8, 5.5)
    ax = fig.subplots()
    binary = is_binary(df[metric])
    centre = "share of runs with 1" if binary else "median"
    if not param2:
        keys, table, numeric = bin_values(df[param], bins)
        s = share_bins(df, keys, metric) if binary else summarise_bins(df, keys, metric, band)
        line = table.set_index("key").join(s, how="inner").reset_index()
        if not binary:  # a 0/1 metric's runs would only paint two lines
            ax.scatter(table.set_index("key").loc[keys, "x"].to_numpy(), df[metric].to_numpy(float),
                       s=9, color="0.6", alpha=0.5, lw=0, label="one run", zorder=1)
        ax.fill_between(line["x"], line["lo"], line["hi"], color=tp.colour(0), alpha=0.25, lw=0,
                        label="90% interval of the share (Wilson)" if binary else f"{tp.band_label(band)} of runs")
        ax.plot(line["x"], line["median"], color=tp.colour(0), lw=2, marker="o", ms=4, label=centre)
        if binary:
            ax.set_ylim(-0.02, 1.02)
        if not numeric:
            ax.set_xticks(line["x"], line["label"], rotation=30, ha="right")
        ax.set_xlabel(param)
        ax.set_ylabel(metric)
        ax.legend(fontsize=8, framealpha=0.85)
        ax.grid(color="0.92", lw=0.6)
        ax.set_title(f"{metric} vs {param} ({len(df)} runs)", fontsize=10, loc="left")
        data = {"line": line[["x", "label", "median", "lo", "hi", "n"]], "runs": df,
                "metric": metric, "param": param, "binary": binary}
    else:
        kx, tx, _ = bin_values(df[param], bins)
        ky, ty, _ = bin_values(df[param2], bins)
        g = df.assign(_x=kx.to_numpy(), _y=ky.to_numpy()).groupby(["_y", "_x"])[metric]
        grid = (g.mean() if binary else g.median()).unstack("_x").reindex(index=ty["key"], columns=tx["key"])
        counts = g.count().unstack("_x").reindex(index=ty["key"], columns=tx["key"])
        grid.index, grid.columns = list(ty["label"]), list(tx["label"])
        grid.index.name, grid.columns.name = param2, param
        mesh = ax.pcolormesh(np.arange(grid.shape[1] + 1), np.arange(grid.shape[0] + 1),
                             np.ma.masked_invalid(grid.to_numpy(float)), cmap=tp.SEQUENTIAL_CMAP,
                             shading="flat")
        ax.set_xticks(np.arange(grid.shape[1]) + 0.5, grid.columns, rotation=30, ha="right",
                      fontsize=8)
        ax.set_yticks(np.arange(grid.shape[0]) + 0.5, grid.index, fontsize=8)
        ax.set_xlabel(param)
        ax.set_ylabel(param2)
        cbar = fig.colorbar(mesh, ax=ax)
        cbar.set_label(f"{metric} ({'share of runs with 1' if binary else 'median over runs'})")
        if grid.size <= 150:
            vals = grid.to_numpy(float)
            mid = np.nanmin(vals) + (np.nanmax(vals) - np.nanmin(vals)) / 2
            for (i, j), v in np.ndenumerate(vals):
                if np.isfinite(v):
                    ax.text(j + 0.5, i + 0.5, f"{v:.3g}", ha="center", va="center", fontsize=7,
                            color="black" if v > mid else "white")
        ax.set_title(f"{metric}: {'share of runs with 1' if binary else 'median over runs'} by {param} and {param2} "
                     f"({len(df)} runs)", fontsize=10, loc="left")
        data = {"grid": grid, "counts": counts, "runs": df, "metric": metric, "param": param,
                "param2": param2, "binary": binary}
    return fig, data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.runs, a.metric, a.param, a.param2, a.bins, a.band)
    out = a.output or tp.default_output(
        a.runs, f"sweep_{tp.slug(data['metric'], data['param'], a.param2)}.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
