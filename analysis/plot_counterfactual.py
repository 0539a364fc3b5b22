#!/usr/bin/python3
"""A counterfactual: base vs variant for one dyad, and their difference.

Both runs should use the same seed, so replicate k of the base and replicate k
of the variant share their random draws (common random numbers): their
difference is the variant's effect, not noise. Top panel: base and variant,
median and band over replicates. Bottom panel: variant minus base per
replicate (thin lines), with its median and band.

    plot_counterfactual.py out/base out/no_2270 --from MYS --to PRK --channel embassy -o cf.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

PROG = "plot_counterfactual.py"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Compare one dyad between a base run and a variant run "
                    "(paired by replicate) from two tiesim output directories.")
    p.add_argument("basedir", metavar="BASEDIR", help="output directory of the base run")
    p.add_argument("variantdir", metavar="VARIANTDIR", help="output directory of the variant run")
    p.add_argument("--from", dest="src", required=True, metavar="ACTOR", help="actor")
    p.add_argument("--to", dest="dst", required=True, metavar="ACTOR", help="partner")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--channel", metavar="C", help="compare this channel's level (ties.csv)")
    what.add_argument("--tie-index", action="store_true",
                      help="compare the dyad tie index (dyads.csv; the default)")
    what.add_argument("--affect", action="store_true", help="compare affect (dyads.csv)")
    p.add_argument("--labels", nargs=2, metavar=("BASE", "VARIANT"),
                   help="legend names (default: the directory names)")
    p.add_argument("--scenario", metavar="FILE",
                   help="scenario TOML for event markers (default: the base's run.json path)")
    tp.add_event_arguments(p)
    tp.add_window_arguments(p)
    tp.add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: VARIANTDIR/counterfactual_FROM_TO_WHAT.png)")
    return p.parse_args(argv)


def load(outdir, src, dst, channel, value, run, start=None, end=None):
    """One run's series for the dyad: replicate, date, seed (or NaN), y."""
    where = {"from": [src], "to": [dst]}
    if channel:
        path = tp.csv_in(outdir, "ties.csv")
        df = tp.read_csv(path, "ties.csv", usecols=["run", "replicate", "seed", "date", "from",
                                                     "to", "channel", "level", "level_name"],
                         where=dict(where, channel=[channel]),
                         seen=[("channel",), ("channel", "level", "level_name")])
        if df.empty and channel not in tp.seen_values(df, "channel"):
            tp.die(f"{path}: no channel {channel} "
                   f"(channels: {tp.listing(tp.seen_values(df, 'channel'))})")
        if df.empty:
            tp.die(f"{path}: no rows from {src} to {dst} on channel {channel}")
        df = tp.select_runs(df, run, path).rename(columns={"level": "y"})
        # the channel's whole ladder as seen anywhere in the file, not only this dyad's levels
        ladder = df.attrs["seen"][("channel", "level", "level_name")]
        ladder = ladder[ladder["channel"] == channel].dropna(subset=["level"])
        df.attrs["level_names"] = {int(k): v for k, v in ladder.drop_duplicates("level")
                                   [["level", "level_name"]].itertuples(index=False)}
    else:
        path = tp.csv_in(outdir, "dyads.csv")
        df = tp.read_csv(path, "dyads.csv", usecols=["run", "replicate", "date", "from", "to", value],
                         where=where)
        if df.empty:
            tp.die(f"{path}: no rows from {src} to {dst}")
        df = tp.select_runs(df, run, path).rename(columns={value: "y"})
        df["seed"] = np.nan
    names = df.attrs.get("level_names", {})
    df = tp.clip_dates(df, start, end, path)
    dup = df.duplicated(["replicate", "date"])
    if dup.any():
        tp.die(f"{path}: several rows for {src}→{dst} at replicate "
               f"{df[dup]['replicate'].iloc[0]}, {df[dup]['date'].iloc[0].date()}")
    out = df[["replicate", "date", "seed", "y"]].copy()
    out.attrs["level_names"] = names
    return out, path


def compute(base, variant, band=(10.0, 90.0), paths=("base", "variant")):
    """Pair by (replicate, date); summarise base, variant and their difference."""
    paired = base.merge(variant, on=["replicate", "date"], suffixes=("_base", "_variant"))
    if paired.empty:
        tp.die(f"{paths[0]} and {paths[1]} share no (replicate, date): nothing to pair")
    only = (set(base["replicate"]) ^ set(variant["replicate"]))
    if only:
        tp.warn(f"replicates {sorted(only)[:10]} are in only one run; left out of the difference")
    seeds = paired.dropna(subset=["seed_base", "seed_variant"])
    if len(seeds) and (seeds["seed_base"] != seeds["seed_variant"]).any():
        tp.warn("base and variant replicates have different seeds: "
                "the difference mixes the effect with noise")
    paired = paired.rename(columns={"y_base": "base", "y_variant": "variant"})
    paired["diff"] = paired["variant"] - paired["base"]
    paired = paired[["replicate", "date", "base", "variant", "diff"]] \
        .sort_values(["replicate", "date"]).reset_index(drop=True)
    return {
        "paired": paired,
        "base": tp.summarise(base, "date", "y", band),
        "variant": tp.summarise(variant, "date", "y", band),
        "diff": tp.summarise(paired, "date", "diff", band),
        "n_pairs": int(paired["replicate"].nunique()),
        "band": band,
    }


def run_seed(outdir):
    seed = tp.read_run_json(outdir).get("seed")
    return seed if isinstance(seed, (int, float, str)) else None


def plot(basedir, variantdir, src, dst, channel=None, affect=False, labels=None,
         scenario=None, run=None, band=(10.0, 90.0), show_events=True, start=None, end=None,
         event_kinds=None):
    """Build the figure; returns (fig, data) where data is what was drawn."""
    band = tp.check_band(band)
    value = "affect" if affect else "tie_index"
    base, bpath = load(basedir, src, dst, channel, value, run, start, end)
    variant, vpath = load(variantdir, src, dst, channel, value, run, start, end)
    sb, sv = run_seed(basedir), run_seed(variantdir)
    if sb is not None and sv is not None and sb != sv:
        tp.warn(f"run.json seeds differ ({sb} vs {sv}): pairs do not share random draws")
    data = compute(base, variant, band, (bpath, vpath))
    names = labels or [os.path.basename(os.path.normpath(basedir)),
                       os.path.basename(os.path.normpath(variantdir))]
    what = f"{channel} level" if channel else ("affect" if affect else "tie index")
    data.update(src=src, dst=dst, what=what, labels=names)

    scn, _ = tp.scenario_for(basedir, scenario)
    scn_channels = tp.scenario_channels(scn)
    d = data["diff"]
    events = tp.plot_events(scn, d["date"].min(), d["date"].max(), event_kinds, show_events)
    data["events"] = events

    fig = tp.new_figure(10, 6.5)
    ax, axd = fig.subplots(2, 1, sharex=True, height_ratios=[1.3, 1])
    step = channel is not None
    for i, key in enumerate(("base", "variant")):
        s = data[key]
        # the variant dashed: where the two coincide, both stay visible
        tp.draw_band(ax, s["date"], s, tp.colour(i), f"{names[i]} (median)", step=step,
                     ls="-" if key == "base" else (0, (4, 2)))
    ax.set_ylabel(what)
    names_by_level = {**base.attrs.get("level_names", {}), **variant.attrs.get("level_names", {})}
    if channel and scn_channels.get(channel, {}).get("levels"):
        names_by_level = dict(enumerate(scn_channels[channel]["levels"]))
    if channel and names_by_level:
        pos, ticks = tp.level_ticks(names_by_level)
        ax.set_yticks(pos, ticks, fontsize=8)
        ax.set_ylim(min(pos) - 0.3, max(max(pos), 1) + 0.3)
    ax.legend(fontsize=8, loc="best", framealpha=0.85)
    ax.set_title(f"{src} → {dst}: {what}, {names[1]} vs {names[0]} — median and "
                 f"{tp.band_label(band)} band over {data['n_pairs']} paired replicates",
                 fontsize=10, loc="left")
    ax.grid(axis="y", color="0.92", lw=0.6)

    # per-replicate differences as thin lines, one collection
    segs = []
    for _, g in data["paired"].groupby("replicate"):
        xs = tp.to_num(g["date"])
        ys = g["diff"].to_numpy(float)
        segs.append(tp.steps_mid(xs, ys) if step else np.column_stack([xs, ys]))
    axd.add_collection(LineCollection(segs, colors="0.55", linewidths=0.6, alpha=0.6,
                                      label="one replicate"))
    d = data["diff"]
    tp.draw_band(axd, d["date"], d, tp.OKABE_ITO["vermillion"], "median difference", step=step)
    axd.axhline(0, color="black", lw=0.8)
    axd.set_ylabel(f"{names[1]} − {names[0]}")
    axd.legend(fontsize=8, loc="best", framealpha=0.85)
    axd.grid(axis="y", color="0.92", lw=0.6)
    if events is not None:
        tp.draw_events(ax, events, labels=True, focus=(src, dst))
        tp.draw_events(axd, events, labels=False)
    # symmetric about zero, so the sign of the effect reads at a glance
    reach = float(np.nanmax(np.abs(np.concatenate([data["paired"]["diff"].to_numpy(float),
                                                   d["lo"].to_numpy(float), d["hi"].to_numpy(float)]))))
    if not np.isfinite(reach) or reach < 1e-12:
        reach = 1.0 if channel else 0.05
    axd.set_ylim(-1.1 * reach, 1.1 * reach)
    axd.autoscale_view(scaley=False)
    tp.format_date_axis(axd)
    return fig, data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.basedir, a.variantdir, a.src, a.dst, a.channel, a.affect, a.labels,
                     a.scenario, a.run, a.band, not a.no_events, a.start, a.end, a.event_kinds)
    what = a.channel or ("affect" if a.affect else "tie_index")
    out = a.output or tp.default_output(
        a.variantdir, f"counterfactual_{tp.slug(a.src, a.dst, what)}.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
