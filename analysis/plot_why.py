#!/usr/bin/python3
"""Why an actor moved: its utility terms over time beside the pressure it felt.

Top panel: each signed utility term summed over the actor's ties (benefit,
affinity, autonomy, violation, scrutiny, alignment, reciprocity) and their sum, as median
lines with a band over replicates (or, with --stacked, the medians stacked:
gains above zero, costs below). Bottom panel: pressure.

    plot_why.py OUTDIR --actor MYS -o mys_why.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

PROG = "plot_why.py"

TERM_LABELS = {
    "benefit": "benefit (material)",
    "affinity": "affinity (likes, dislikes)",
    "autonomy": "autonomy (open doors)",
    "violation": "violation (broken commitments)",
    "scrutiny": "scrutiny (felt pressure)",
    "alignment": "alignment (friends' hostility)",
    "reciprocity": "reciprocity (moves answered in kind)",
}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Plot an actor's utility terms over time (why it moved) beside its "
                    "pressure, from a tiesim output directory.")
    p.add_argument("outdir", metavar="OUTDIR", help="tiesim output directory (or its actors.csv)")
    p.add_argument("--actor", required=True, metavar="ACTOR", help="actor id")
    p.add_argument("--stacked", action="store_true",
                   help="stack the median terms (gains above zero, costs below) instead of lines")
    p.add_argument("--scenario", metavar="FILE",
                   help="scenario TOML for event markers (default: the path in run.json, if it exists)")
    tp.add_event_arguments(p)
    tp.add_window_arguments(p)
    tp.add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: OUTDIR/why_ACTOR.png)")
    return p.parse_args(argv)


def compute(actors, actor, band=(10.0, 90.0), path=""):
    a = actors[actors["actor"] == actor]
    if a.empty:
        tp.die(f"{path}: no actor {actor} (actors: {tp.listing(sorted(pd.unique(actors['actor'])), 20)})")
    terms = []
    for term in tp.UTILITY_TERMS:
        s = tp.summarise(a, "date", term, band)
        s.insert(0, "term", term)
        terms.append(s)
    net = a.assign(net=a[tp.UTILITY_TERMS].sum(axis=1, min_count=1))
    return {
        "actor": actor,
        "terms": pd.concat(terms, ignore_index=True),
        "net": tp.summarise(net, "date", "net", band),
        "pressure": tp.summarise(a, "date", "pressure", band),
        "n_replicates": int(a["replicate"].nunique()),
        "band": band,
    }


def draw(data, events=None, stacked=False):
    fig = tp.new_figure(10, 6.5)
    ax, axp = fig.subplots(2, 1, sharex=True, height_ratios=[2.3, 1])
    terms = data["terms"]
    if stacked:
        wide = terms.pivot(index="date", columns="term", values="median")[tp.UTILITY_TERMS]
        x = wide.index.to_numpy()
        pos_base = np.zeros(len(wide))
        neg_base = np.zeros(len(wide))
        for i, term in enumerate(tp.UTILITY_TERMS):
            v = wide[term].fillna(0.0).to_numpy(float)
            up, down = np.clip(v, 0, None), np.clip(v, None, 0)
            ax.fill_between(x, pos_base, pos_base + up, color=tp.colour(i),
                            alpha=0.85, lw=0, label=TERM_LABELS[term])
            ax.fill_between(x, neg_base, neg_base + down, color=tp.colour(i),
                            alpha=0.85, lw=0)
            pos_base, neg_base = pos_base + up, neg_base + down
        data["stacked"] = wide
    else:
        for i, term in enumerate(tp.UTILITY_TERMS):
            s = terms[terms["term"] == term]
            tp.draw_band(ax, s["date"], s, tp.colour(i), TERM_LABELS[term], alpha=0.18)
    net = data["net"]
    ax.plot(net["date"].to_numpy(), net["median"].to_numpy(float), color="black", lw=2.4,
            ls=(0, (5, 1.5)), label="net utility (median of the sum of terms)")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylabel("contribution to utility\n(summed over ties)")
    ax.legend(fontsize=7, ncol=2, loc="best", framealpha=0.85)
    how = "stacked medians" if stacked else f"median and {tp.band_label(data['band'])} band"
    ax.set_title(f"Why {data['actor']} moved: utility terms ({how} over "
                 f"{data['n_replicates']} replicates)", fontsize=10, loc="left")
    ax.grid(axis="y", color="0.92", lw=0.6)

    p = data["pressure"]
    tp.draw_band(axp, p["date"], p, tp.OKABE_ITO["vermillion"], "pressure")
    axp.set_ylabel("pressure")
    axp.set_ylim(bottom=min(0.0, float(p["lo"].min())))
    axp.grid(axis="y", color="0.92", lw=0.6)
    if events is not None:
        tp.draw_events(ax, events, labels=True, focus=(data["actor"],))
        tp.draw_events(axp, events, labels=False)
    tp.format_date_axis(axp)
    return fig


def plot(outdir, actor, scenario=None, stacked=False, run=None, band=(10.0, 90.0),
         show_events=True, start=None, end=None, event_kinds=None):
    """Build the figure; returns (fig, data) where data is what was drawn."""
    path = tp.csv_in(outdir, "actors.csv")
    actors = tp.read_csv(path, "actors.csv", where={"actor": [actor]}, seen=[("actor",)])
    if actors.empty:
        tp.die(f"{path}: no actor {actor} (actors: {tp.listing(tp.seen_values(actors, 'actor'), 20)})")
    actors = tp.select_runs(actors, run, path)
    actors = tp.clip_dates(actors, start, end, path)
    data = compute(actors, actor, tp.check_band(band), path)
    events = None
    if show_events:
        scn, _ = tp.scenario_for(outdir, scenario)
        p = data["pressure"]
        events = tp.plot_events(scn, p["date"].min(), p["date"].max(), event_kinds)
    data["events"] = events
    return draw(data, events, stacked), data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.outdir, a.actor, a.scenario, a.stacked, a.run, a.band, not a.no_events,
                     a.start, a.end, a.event_kinds)
    out = a.output or tp.default_output(a.outdir, f"why_{tp.slug(a.actor)}.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
