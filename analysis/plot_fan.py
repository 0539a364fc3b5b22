#!/usr/bin/python3
"""A fan chart: one dyad's tie index (or a channel's level, or affect) over replicates, in nested bands,
with the scenario's targets on that dyad.

Given several runs (say the fitted point and a posterior predictive run, `tiesim run --posterior`), each
gets its own fan, so the widening that parameter uncertainty adds to the model's own chance is seen:

    tiesim run scenarios/malaysia_dprk.toml --replicates 200 --record dyads -o out/point
    tiesim run scenarios/malaysia_dprk.toml --replicates 200 --record dyads --posterior post/posterior.csv -o out/posterior
    plot_fan.py out/point out/posterior --from MYS --to PRK --labels "fitted point" posterior -o fan.png

Bands are central percentile intervals over replicates (default 50% and 90%), the median a line. The
targets that name the dyad (either direction) and fall within the dates shown are drawn above, one row
each: a window as a bar (clipped to the dates shown), a date as a tick, labelled with its id; dated events
as markers, as in the other plots.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import pandas as pd  # noqa: E402
from plot_counterfactual import load  # noqa: E402

PROG = "plot_fan.py"


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="Fan chart of one dyad over replicates, one fan per run, "
                                                       "with the scenario's targets on the dyad.")
    p.add_argument("outdirs", nargs="+", metavar="OUTDIR", help="output directories of tiesim run (one fan each)")
    p.add_argument("--from", dest="src", required=True, metavar="ACTOR", help="actor")
    p.add_argument("--to", dest="dst", required=True, metavar="ACTOR", help="partner")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--channel", metavar="C", help="this channel's level (ties.csv) instead of the tie index")
    what.add_argument("--affect", action="store_true", help="affect (dyads.csv) instead of the tie index")
    p.add_argument("--bands", nargs="+", type=float, default=[50.0, 90.0], metavar="PCT",
                   help="central bands, in percent of the replicates (default: 50 90)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="one label per OUTDIR (default: directory names)")
    p.add_argument("--scenario", metavar="FILE", help="scenario TOML for targets and events (default: run.json's)")
    p.add_argument("--run", action="append", metavar="RUN", help="keep only this run id (repeatable)")
    tp.add_window_arguments(p)
    tp.add_event_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", help="image to write (default: fan_FROM_TO.png beside the first run)")
    return p.parse_args(argv)


def dyad_targets(scn, src, dst):
    """The scenario's targets that name src and dst, either way round (a "*" names everyone)."""
    out = []
    for t in tp.scenario_targets(scn):
        ends = (t.get("from", []), t.get("to", []))
        names = lambda ids, a: "*" in ids or a in ids  # noqa: E731
        if (names(ends[0], src) and names(ends[1], dst)) or (names(ends[0], dst) and names(ends[1], src)):
            if "date" in t or "window" in t:
                out.append(t)
    return out


def plot(outdirs, src, dst, channel=None, affect=False, bands=(50.0, 90.0), labels=None, scenario=None, run=None,
         start=None, end=None, event_kinds=None, show_events=True):
    if labels and len(labels) != len(outdirs):
        tp.die(f"--labels: {len(labels)} labels for {len(outdirs)} runs")
    bands = sorted({float(b) for b in bands}, reverse=True)
    if any(not 0 < b < 100 for b in bands):
        tp.die("--bands: each band is a percentage of the replicates, above 0 and below 100")
    labels = labels or [os.path.basename(os.path.normpath(d)) for d in outdirs]
    value = "affect" if affect else "tie_index"
    what = f"{channel} level" if channel else ("affect" if affect else "tie index")
    fans, first, last = [], None, None
    for i, outdir in enumerate(outdirs):
        series, _ = load(outdir, src, dst, channel, value, run, start, end)
        fan = {"label": labels[i], "replicates": int(series["replicate"].nunique()), "bands": {}}
        for width in bands:
            lo = (100 - width) / 2
            fan["bands"][width] = tp.summarise(series, "date", "y", (lo, 100 - lo))
        dates = fan["bands"][bands[0]]["date"]
        first = dates.min() if first is None else min(first, dates.min())
        last = dates.max() if last is None else max(last, dates.max())
        fans.append(fan)

    # the targets the shown dates judge: a date within them, or a window that reaches into them (clipped)
    scn, _ = tp.scenario_for(outdirs[0], scenario)
    targets = []
    for t in dyad_targets(scn, src, dst):
        a, b = t["window"] if "window" in t else (t["date"], t["date"])
        if b >= first and a <= last:
            targets.append(dict(t, shown=(max(a, first), min(b, last))))
    targets.sort(key=lambda t: (t["shown"][1], t["shown"][0], t["id"]))
    data = {"fans": fans, "what": what, "targets": [t["id"] for t in targets]}

    # one row per target above the fans, as in a Gantt chart, so that every id can be read
    rows = max(len(targets), 1)
    fig = tp.new_figure(10, 4.5 + 0.16 * rows)
    top, ax = fig.subplots(2, 1, sharex=True, height_ratios=[0.16 * rows + 0.2, 4.0])
    for k, t in enumerate(targets):
        a, b = t["shown"]
        if a == b:
            top.plot([a], [k], marker="v", color="black", ms=4)
        else:
            top.plot([a, b], [k, k], color="black", lw=3, solid_capstyle="butt")
        top.annotate(t["id"], (b, k), xytext=(4, 0), textcoords="offset points", fontsize=6, va="center",
                     annotation_clip=False)
    top.set_ylim(rows - 0.5, -0.5)
    top.set_yticks([])
    for side in ("top", "right", "left"):
        top.spines[side].set_visible(False)
    top.set_title(f"{src} – {dst}: {what}, central {' and '.join(f'{b:g}%' for b in bands)} of the replicates; "
                  f"above, the scenario's targets on the pair", fontsize=10, loc="left")

    for i, fan in enumerate(fans):
        for k, width in enumerate(bands):
            summary = fan["bands"][width]
            # inner bands darker: each is drawn over the one around it
            ax.fill_between(pd.to_datetime(summary["date"]).to_numpy(), summary["lo"].to_numpy(float),
                            summary["hi"].to_numpy(float), color=tp.colour(i), alpha=0.15 + 0.15 * k, linewidth=0,
                            step="mid" if channel else None, label=f"{fan['label']}: {width:g}% of {fan['replicates']}")
        inner = fan["bands"][bands[-1]]
        ax.plot(pd.to_datetime(inner["date"]).to_numpy(), inner["median"].to_numpy(float), color=tp.colour(i), lw=1.6,
                drawstyle="steps-mid" if channel else "default", label=f"{fan['label']}: median")
    events = tp.plot_events(scn, first, last, event_kinds, show_events)
    if events is not None:
        tp.draw_events(ax, events, labels=True, focus=(src, dst))
        tp.draw_events(top, events, labels=False)
    ax.set_ylabel(what)
    ax.legend(fontsize=7, loc="lower left", framealpha=0.85)
    ax.grid(axis="y", color="0.92", lw=0.6)
    ax.set_xlim(first, last)
    tp.format_date_axis(ax)
    return fig, data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    output = a.output or tp.default_output(a.outdirs[0], f"fan_{tp.slug(a.src, a.dst)}.png")
    tp.check_output_path(output)
    fig, last_data = plot(a.outdirs, a.src, a.dst, a.channel, a.affect, a.bands, a.labels, a.scenario, a.run, a.start,
                          a.end, a.event_kinds, not a.no_events)
    tp.save(fig, output)
    print(f"wrote {output}")
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
