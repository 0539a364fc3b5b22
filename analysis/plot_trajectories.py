#!/usr/bin/python3
"""One dyad's channels over time: median and band over replicates.

One panel per channel (levels on the channel's ladder, or as a share of it),
scenario events as dated vertical markers, validation targets where they apply.

    plot_trajectories.py OUTDIR --from MYS --to PRK --scenario scenarios/mys_prk.toml -o mys_prk.png
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tiesim_plot as tp  # noqa: E402  (first: selects the Agg backend)

import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

PROG = "plot_trajectories.py"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Plot one dyad's tie levels per channel over time "
                    "(median and band over replicates) from a tiesim output directory.")
    p.add_argument("outdir", metavar="OUTDIR", help="tiesim output directory (or its ties.csv)")
    p.add_argument("--from", dest="src", metavar="ACTOR",
                   help="actor whose ties are shown (default: [plot] focal of the scenario, "
                        "else the first pair in dyads.csv)")
    p.add_argument("--to", dest="dst", metavar="ACTOR", help="partner")
    p.add_argument("--scenario", metavar="FILE",
                   help="scenario TOML for event markers, targets and level names "
                        "(default: the path in run.json, if it exists)")
    p.add_argument("--channel", action="append", metavar="C",
                   help="channel to show (repeatable; default: every channel of the dyad)")
    p.add_argument("--share", action="store_true",
                   help="plot levels as a share of the channel's ladder (0..1)")
    p.add_argument("--both-ways", action="store_true",
                   help="also draw the partner's level toward the actor on directed channels")
    tp.add_event_arguments(p)
    tp.add_window_arguments(p)
    tp.add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="image to write, .png or .svg (default: OUTDIR/trajectories_FROM_TO.png)")
    return p.parse_args(argv)


def pick_dyad(outdir, ties_path, src, dst, scn):
    """The focal dyad: the options, else the scenario's [plot] focal, else dyads.csv's first."""
    if src and dst:
        return src, dst
    if not src and not dst:
        focal = tp.scenario_focal(scn)
        if focal:
            return focal
    dyads_path = os.path.join(outdir, "dyads.csv") if os.path.isdir(outdir) else None
    if dyads_path and os.path.isfile(dyads_path):
        path, kind = dyads_path, "dyads.csv"
    else:
        path, kind = ties_path, "ties.csv"
    where = {k: [v] for k, v in (("from", src), ("to", dst)) if v}
    pairs = tp.read_csv(path, kind, usecols=["from", "to"], where=where,
                        nrows=None if where else 1)
    if pairs.empty:
        tp.die(f"{path}: no dyad {'from ' + src if src else 'to ' + dst}")
    first = pairs.iloc[0]
    return first["from"], first["to"]


def ladders(observed, scn):
    """Channel -> {level: name} and channel -> top level L, scenario first.

    observed: distinct (channel, level, level_name) rows of ties.csv.
    """
    sc = tp.scenario_channels(scn)
    names, top = {}, {}
    observed = (observed.dropna(subset=["level"])
                .drop_duplicates(["channel", "level"])
                .sort_values(["channel", "level"]))
    for ch, g in observed.groupby("channel"):
        names[ch] = {int(lv): nm for lv, nm in zip(g["level"], g["level_name"])}
        top[ch] = int(g["level"].max())
    for ch, info in sc.items():
        if info["levels"]:
            names[ch] = dict(enumerate(info["levels"]))
            top[ch] = len(info["levels"]) - 1
    return names, top


def target_applies(t, channel, src, dst, reverse_drawn, mutual):
    """Which direction of a channel's panel a target belongs to: 'fwd', 'rev' or None.

    It must name the channel and follow its level or value; `from` and `to`,
    where given, must include the dyad's actors (or "*").
    """
    if t.get("channel") != channel or t.get("quantity", "level") not in ("level", "value"):
        return None

    def has(ids, actor):
        return ids is None or actor in ids or "*" in ids

    f, to = t.get("from"), t.get("to")
    if has(f, src) and has(to, dst):
        return "fwd"
    if has(f, dst) and has(to, src) and (mutual or reverse_drawn):
        return "fwd" if mutual else "rev"
    return None


def compute(ties, src, dst, scn, channels=None, share=False, both_ways=False,
            band=(10.0, 90.0), path="ties.csv", start=None, end=None, observed=None,
            pairs=None, event_kinds=None, show_events=True):
    """Everything the figure shows, as data (no matplotlib here).

    Ladders (level names, top level) come from the scenario, else from
    `observed` (distinct channel, level, level_name of the whole file; default:
    those in `ties`); the series from the dyad's rows within [start, end].
    pairs: distinct (from, to) of the file, for the error message.
    """
    if observed is None:
        observed = ties[["channel", "level", "level_name"]].drop_duplicates()
    if pairs is None:
        pairs = ties[["from", "to"]].drop_duplicates()
    fwd = ties[(ties["from"] == src) & (ties["to"] == dst)]
    rev = ties[(ties["from"] == dst) & (ties["to"] == src)]
    if not fwd.empty:
        fwd = tp.clip_dates(fwd, start, end, path)
        rev = rev[(rev["date"] >= fwd["date"].min()) & (rev["date"] <= fwd["date"].max())]
    if fwd.empty:
        tp.die(f"{path}: no ties from {src} to {dst} (pairs include: "
               f"{tp.listing(a + '→' + b for a, b in pairs.itertuples(index=False))})")
    present = list(pd.unique(fwd["channel"]))
    sc = tp.scenario_channels(scn)
    order = [c for c in sc if c in present] + [c for c in present if c not in sc]
    if channels:
        unknown = [c for c in channels if c not in present]
        if unknown:
            tp.die(f"{path}: no channel {', '.join(unknown)} for {src}→{dst} "
                   f"(channels: {', '.join(order)})")
        order = [c for c in order if c in channels]
    names, top = ladders(observed[observed["channel"].isin(order)], scn)

    series, drawn_rev = [], {}
    for ch in order:
        scale = 1.0
        if share:
            scale = float(top.get(ch, 0)) or 1.0
        f = fwd[fwd["channel"] == ch]
        s = tp.summarise(f.assign(y=f["level"] / scale), "date", "y", band)
        s.insert(0, "direction", f"{src}→{dst}")
        s.insert(0, "channel", ch)
        series.append(s)
        # reverse direction: for directed channels (or unknown kind where it differs)
        kind = sc.get(ch, {}).get("kind")
        r = rev[rev["channel"] == ch]
        drawn_rev[ch] = False
        if both_ways and not r.empty and kind != "mutual":
            if kind != "directed":
                m = f.merge(r, on=["replicate", "date"], suffixes=("", "_r"))
                if len(m) and (m["level"] == m["level_r"]).all():
                    continue  # behaves as mutual: the reverse line would hide the other
            s = tp.summarise(r.assign(y=r["level"] / scale), "date", "y", band)
            s.insert(0, "direction", f"{dst}→{src}")
            s.insert(0, "channel", ch)
            series.append(s)
            drawn_rev[ch] = True
    series = pd.concat(series, ignore_index=True)
    first, last = series["date"].min(), series["date"].max()  # the dates drawn

    targets = []
    for t in tp.scenario_targets(scn):
        for ch in order:
            mutual = sc.get(ch, {}).get("kind") == "mutual"
            where = target_applies(t, ch, src, dst, drawn_rev[ch], mutual)
            if where is None:
                continue
            y = None
            if "level" in t and t.get("quantity", "level") == "level":
                lv = t["level"]
                if isinstance(lv, str):
                    inverse = {v: k for k, v in names.get(ch, {}).items()}
                    lv = inverse.get(lv, lv)
                    if isinstance(lv, str):
                        try:
                            lv = float(lv)
                        except ValueError:
                            tp.warn(f"target {t['id']}: level {t['level']!r} is not a level of {ch}")
                            continue
                y = float(lv) / ((float(top.get(ch, 0)) or 1.0) if share else 1.0)
            t = dict(t)
            if "date" in t and not (first <= t["date"] <= last):
                t.pop("date")
            if "window" in t:
                a, b = t["window"]
                if b < first or a > last:
                    t.pop("window")
                else:
                    t["window"] = (max(a, first), min(b, last))
            if "date" not in t and "window" not in t:
                continue  # nothing of it falls in the plotted dates
            targets.append(dict(t, panel=ch, direction=where, y=y))

    events = tp.plot_events(scn, first, last, event_kinds, show_events)
    return {
        "src": src, "dst": dst, "channels": order, "series": series,
        "names": names, "top": top, "share": share, "band": band,
        "n_replicates": int(fwd["replicate"].nunique()),
        "events": events, "targets": targets,
        "channel_names": {c: sc.get(c, {}).get("name", c) for c in order},
    }


def draw(data):
    chans = data["channels"]
    fig = tp.new_figure(10, 1.2 + 1.9 * len(chans))
    axes = fig.subplots(len(chans), 1, sharex=True, squeeze=False)[:, 0]
    fwd_label = f"{data['src']}→{data['dst']}"
    for i, (ax, ch) in enumerate(zip(axes, chans)):
        s = data["series"][data["series"]["channel"] == ch]
        for j, (direction, g) in enumerate(s.groupby("direction", sort=False)):
            tp.draw_band(ax, g["date"], g, tp.colour(0 if direction == fwd_label else 1),
                         f"{direction} median", step=True)
        top = data["top"].get(ch, 1)
        if data["share"]:
            ax.set_ylim(-0.05, 1.05)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_ylabel(f"{data['channel_names'][ch]}\n(share of ladder)", fontsize=9)
        else:
            pos, labels = tp.level_ticks(data["names"].get(ch, {k: "" for k in range(top + 1)}))
            ax.set_yticks(pos, labels, fontsize=8)
            ax.set_ylim(-0.3, max(top, 1) + 0.3)
            ax.set_ylabel(data["channel_names"][ch], fontsize=9)
        ax.grid(axis="y", color="0.9", lw=0.6)
        labelled = tp.draw_events(ax, data["events"], labels=(i == 0),
                                  focus=(data["src"], data["dst"]))
        if i == 0 and labelled is not None:
            data["events"]["labelled"] = labelled.to_numpy()
        for t in (t for t in data["targets"] if t["panel"] == ch):
            col = tp.TARGET_COLOUR
            if "window" in t:
                a, b = t["window"]
                if t["y"] is None:
                    ax.axvspan(a, b, color=col, alpha=0.12, lw=0)
                else:
                    ax.plot([a, b], [t["y"], t["y"]], color=col, lw=3, alpha=0.6,
                            solid_capstyle="butt")
                x = a
            else:
                x = t["date"]
                if t["y"] is None:
                    ax.axvline(x, color=col, lw=1.2, ls=":")
                else:
                    ax.plot([x], [t["y"]], marker="D", ms=7, color=col, mec="black", mew=0.6,
                            ls="none", zorder=6)
            text = t["id"] + (f" ({t['op']} {t['level']})" if "op" in t and "level" in t else "")
            ax.annotate(text, (x, t["y"] if t["y"] is not None else 0.0),
                        xytext=(4, 4), textcoords="offset points", fontsize=7, color=col)
    axes[0].set_title(f"{data['src']} → {data['dst']}: tie levels by channel — median and "
                      f"{tp.band_label(data['band'])} band over {data['n_replicates']} replicates",
                      fontsize=10, loc="left")
    handles, labels = [], []
    for ax in axes:  # every direction drawn, once
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    if any(t["y"] is not None and "date" in t and "window" not in t for t in data["targets"]):
        handles.append(Line2D([], [], marker="D", color=tp.TARGET_COLOUR, ls="none", mec="black"))
        labels.append("target: level at a date")
    if any(t["y"] is None and "date" in t and "window" not in t for t in data["targets"]):
        handles.append(Line2D([], [], color=tp.TARGET_COLOUR, ls=":"))
        labels.append("target date")
    if any("window" in t for t in data["targets"]):
        handles.append(Patch(color=tp.TARGET_COLOUR, alpha=0.25))
        labels.append("target window")
    if data["events"] is not None and len(data["events"]):
        handles.append(Line2D([], [], color=tp.EVENT_COLOUR, ls="--"))
        labels.append("scenario event")
    axes[-1].legend(handles, labels, fontsize=8, loc="upper center", ncol=len(labels),
                    bbox_to_anchor=(0.5, -0.32 if len(chans) > 1 else -0.2), frameon=False)
    tp.format_date_axis(axes[-1])
    return fig


def plot(outdir, src=None, dst=None, scenario=None, channels=None, share=False,
         both_ways=False, run=None, band=(10.0, 90.0), show_events=True, start=None, end=None,
         event_kinds=None):
    """Build the figure; returns (fig, data) where data is what was drawn."""
    path = tp.csv_in(outdir, "ties.csv")
    scn, _ = tp.scenario_for(outdir, scenario)
    src, dst = pick_dyad(outdir, path, src, dst, scn)
    ladder_cols, pair_cols = ("channel", "level", "level_name"), ("from", "to")
    ties = tp.read_csv(path, "ties.csv",
                       usecols=["run", "replicate", "date", "from", "to", "channel", "level",
                                "level_name"],
                       where={"from": [src, dst], "to": [src, dst]},
                       seen=[ladder_cols, pair_cols])
    seen = ties.attrs["seen"]
    ties = tp.select_runs(ties, run, path)
    data = compute(ties, src, dst, scn, channels, share, both_ways, tp.check_band(band), path,
                   start, end, observed=seen[ladder_cols], pairs=seen[pair_cols],
                   event_kinds=event_kinds, show_events=show_events)
    return draw(data), data


last_data = None  # data of the last main() call, for tests


def _main(argv):
    global last_data
    a = parse_args(argv)
    if a.output:
        tp.check_output_path(a.output)
    fig, data = plot(a.outdir, a.src, a.dst, a.scenario, a.channel, a.share, a.both_ways,
                     a.run, a.band, not a.no_events, a.start, a.end, a.event_kinds)
    out = a.output or tp.default_output(a.outdir, f"trajectories_{tp.slug(data['src'], data['dst'])}.png")
    tp.save(fig, out)
    last_data = data
    return 0


def main(argv=None):
    return tp.run_main(_main, argv, PROG)


if __name__ == "__main__":
    sys.exit(main())
