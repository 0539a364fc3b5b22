#!/usr/bin/python3
"""One actor's partners x time: a heat map of the median over replicates.

Shows a channel's level (--channel), the dyad tie index (--tie-index, the
default) or affect (--affect), for the actor toward each partner (or, with
--incoming, each partner toward the actor).

    plot_heatmap.py OUTDIR --actor MYS --channel trade -o mys_trade.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROG = "plot_heatmap.py"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Heat map of one actor's ties with each partner over time "
                    "(median over replicates) from a tiesim output directory.")
    p.add_argument("outdir", metavar="OUTDIR", help="tiesim output directory")
    p.add_argument("--actor", required=True, metavar="ACTOR", help="focal actor id")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--channel", metavar="C", help="show this channel's level (ties.csv)")
    what.add_argument("--tie-index", action="store_true",
                      help="show the dyad tie index 0..1 (dyads.csv; the default)")
    what.add_argument("--affect", action="store_true", help="show affect -1..1 (dyads.csv)")
    p.add_argument("--incoming", action="store_true",
                   help="partners' ties toward the actor instead of the actor's toward them")
    p.add_argument("--sort", choices=["value", "name"], default="value",
                   help="row order: strongest partner first (value, default) or by id")
    p.add_argument("--scenario", metavar="FILE",
                   help="scenario TOML for event markers and level names "
                        "(default: the path in run.json, if it exists)")
    tp.add_event_arguments(p)
    tp.add_window_arguments(p)
    tp.add_common_arguments(p, band=False)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: OUTDIR/heatmap_ACTOR_WHAT.png)")
    return p.parse_args(argv)


def compute(df, actor, value, incoming=False, sort="value", path=""):
    """Partners x dates matrix of the median of `value` over replicates."""
    me, other = ("to", "from") if incoming else ("from", "to")
    mine = df[df[me] == actor]
    if mine.empty:
        tp.die(f"{path}: no rows with {me} = {actor} "
               f"(actors: {tp.listing(sorted(pd.unique(df[me])))})")
    long = tp.summarise(mine, [other, "date"], value).rename(columns={other: "partner"})
    matrix = long.pivot(index="partner", columns="date", values="median")
    if sort == "value":
        order = matrix.mean(axis=1, skipna=True).sort_values(ascending=False, kind="stable").index
    else:
        order = sorted(matrix.index)
    matrix = matrix.loc[list(order)]
    matrix.columns.name = "date"
    return {"matrix": matrix, "long": long, "n_replicates": int(mine["replicate"].nunique())}


def plot(outdir, actor, channel=None, affect=False, incoming=False, sort="value",
         scenario=None, run=None, show_events=True, start=None, end=None, event_kinds=None):
    """Build the figure; returns (fig, data) where data['matrix'] is what was drawn."""
    scn, _ = tp.scenario_for(outdir, scenario)
    me = "to" if incoming else "from"
    if channel:
        path = tp.csv_in(outdir, "ties.csv")
        ladder = ("channel", "level", "level_name")
        df = tp.read_csv(path, "ties.csv", usecols=["run", "replicate", "date", "from", "to",
                                                     "channel", "level", "level_name"],
                         where={me: [actor], "channel": [channel]}, seen=[ladder, (me,)])
        observed = df.attrs["seen"][ladder]
        if channel not in set(observed["channel"]):
            tp.die(f"{path}: no channel {channel} "
                   f"(channels: {tp.listing(sorted(observed['channel'].dropna().unique()))})")
        observed = observed[observed["channel"] == channel].dropna(subset=["level"])
        value = "level"
        sc = tp.scenario_channels(scn).get(channel, {})
        names = dict(enumerate(sc["levels"])) if sc.get("levels") else {
            int(k): v for k, v in observed.drop_duplicates("level")[["level", "level_name"]]
            .itertuples(index=False)}
        top = max(names) if names else 1
        label, vmin, vmax, cmap = f"{channel} level", 0, max(top, 1), tp.SEQUENTIAL_CMAP
    else:
        path = tp.csv_in(outdir, "dyads.csv")
        value = "affect" if affect else "tie_index"
        df = tp.read_csv(path, "dyads.csv", usecols=["run", "replicate", "date", "from", "to", value],
                         where={me: [actor]}, seen=[(me,)])
        names = None
        if affect:
            label, vmin, vmax, cmap = "affect", -1.0, 1.0, tp.DIVERGING_CMAP
        else:
            label, vmin, vmax, cmap = "tie index", 0.0, 1.0, tp.SEQUENTIAL_CMAP
    if df.empty:
        tp.die(f"{path}: no rows with {me} = {actor} (actors: {tp.listing(tp.seen_values(df, me))})")
    df = tp.select_runs(df, run, path)
    df = tp.clip_dates(df, start, end, path)
    data = compute(df, actor, value, incoming, sort, path)
    data.update(value=value, label=label, actor=actor, incoming=incoming)
    m = data["matrix"]
    events = tp.plot_events(scn, m.columns.min(), m.columns.max(), event_kinds, show_events)
    data["events"] = events

    fig = tp.new_figure(10, 1.6 + 0.35 * len(m.index) + 0.8)
    ax = fig.subplots()
    x_edges = tp.step_edges(m.columns).to_numpy()
    y_edges = np.arange(len(m.index) + 1)
    mesh = ax.pcolormesh(x_edges, y_edges, np.ma.masked_invalid(m.to_numpy(float)),
                         cmap=cmap, vmin=vmin, vmax=vmax, shading="flat")
    ax.set_yticks(np.arange(len(m.index)) + 0.5, list(m.index), fontsize=8)
    ax.set_ylim(len(m.index), 0)  # first row on top
    ax.set_ylabel("partner")
    cbar = fig.colorbar(mesh, ax=ax, pad=0.01)
    cbar.set_label(label + " (median)")
    if names:
        pos = [k for k in sorted(names) if vmin <= k <= vmax]
        cbar.set_ticks(pos, labels=[f"{k} {names[k]}" for k in pos])
    if events is not None:
        tp.draw_events(ax, events, labels=True, on_image=True, focus=(actor,))
    direction = f"partners → {actor}" if incoming else f"{actor} → partners"
    ax.set_title(f"{direction}: {label}, median over {data['n_replicates']} replicates",
                 fontsize=10, loc="left")
    tp.format_date_axis(ax)
    return fig, data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.outdir, a.actor, a.channel, a.affect, a.incoming, a.sort,
                     a.scenario, a.run, not a.no_events, a.start, a.end, a.event_kinds)
    what = a.channel or ("affect" if a.affect else "tie_index")
    out = a.output or tp.default_output(
        a.outdir, f"heatmap_{tp.slug(a.actor, what, 'in' if a.incoming else '')}.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
