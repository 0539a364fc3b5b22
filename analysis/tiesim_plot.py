#!/usr/bin/python3
"""Shared code for the tiesim plotting scripts in analysis/.

CSV loading with column checks, scenario reading (events, targets, ladders),
replicate summaries, the Okabe-Ito palette, date axes and saving.

Every script imports this module after putting its own directory on sys.path,
so the scripts work from any working directory. Errors in the input raise
InputError; `run_main` turns that into a one-line message on stderr and exit
status 2, before any image is written.
"""

import datetime
import hashlib
import json
import os
import sys
import tomllib

import matplotlib

matplotlib.use("Agg")  # headless: never needs a display

import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# svg output with stable element ids, so the same data gives the same file
matplotlib.rcParams["svg.hashsalt"] = "tiesim"

# ---------------------------------------------------------------------------
# palette

#: Okabe & Ito (2008) colour-blind-safe palette, by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: order used for successive series (yellow last: weak on white).
SERIES_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

PASS_COLOUR = OKABE_ITO["bluish_green"]
FAIL_COLOUR = OKABE_ITO["vermillion"]
EVENT_COLOUR = "0.35"
TARGET_COLOUR = OKABE_ITO["reddish_purple"]

#: colour maps for heat maps: sequential and diverging, both colour-blind safe.
SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"


def colour(i):
    """Colour of the i-th series (cycles)."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


# ---------------------------------------------------------------------------
# errors


class InputError(Exception):
    """A problem with the user's input; reported in one line, exit status 2."""


def die(message):
    raise InputError(message)


def warn(message):
    """A one-line note on stderr that does not stop the plot."""
    print(f"{prog_name()}: warning: {message}", file=sys.stderr)


def prog_name():
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "tiesim-plot"


def run_main(body, argv, prog):
    """Run `body(argv)`; turn InputError into a one-line error and status 2."""
    try:
        return body(argv)
    except InputError as e:
        # one line: newlines inside a message would break that promise
        text = " ".join(str(e).split("\n"))
        print(f"{prog}: error: {text}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------------------
# the csv files tiesim writes

#: documented header of each file (extra columns are allowed and ignored).
COLUMNS = {
    "ties.csv": ["run", "replicate", "seed", "step", "date", "from", "to",
                 "channel", "level", "level_name", "value"],
    "dyads.csv": ["run", "replicate", "step", "date", "from", "to",
                  "affect", "tie_index"],
    "actors.csv": ["run", "replicate", "step", "date", "actor", "pressure",
                   "benefit", "affinity", "autonomy", "violation", "scrutiny",
                   "alignment", "reciprocity"],
    "events.csv": ["run", "replicate", "date", "actor", "partner", "channel",
                   "from", "to", "cameo", "goldstein", "cause"],
    "changes.csv": ["run", "replicate", "seed", "step", "date", "from", "to",
                    "channel", "old_level", "new_level", "old_level_name",
                    "new_level_name", "value"],
    "validation.csv": ["target", "kind", "expected", "hit_rate", "threshold",
                       "pass"],
    "runs.csv": ["run", "point", "replicate", "seed"],
    "sensitivity.csv": ["metric", "parameter", "method", "index", "value",
                        "lo", "hi"],
}

#: columns read as text (ids, names, codes); "NA" stays the string "NA".
TEXT_COLUMNS = {"run", "from", "to", "channel", "level_name", "actor",
                "old_level_name", "new_level_name",
                "partner", "cameo", "cause", "event", "label", "target", "kind", "expected",
                "pass", "metric", "parameter", "method", "index", "date"}

#: columns that must hold numbers (empty allowed: NaN).
NUMERIC_COLUMNS = {"replicate", "seed", "step", "level", "value", "affect",
                   "old_level", "new_level",
                   "tie_index", "pressure", "benefit", "affinity", "autonomy",
                   "violation", "scrutiny", "alignment", "reciprocity", "goldstein",
                   "hit_rate", "threshold", "lo", "hi", "point"}

#: the utility terms of actors.csv, in the order they are drawn.
UTILITY_TERMS = ["benefit", "affinity", "autonomy", "violation", "scrutiny",
                 "alignment", "reciprocity"]


def csv_in(directory_or_file, name):
    """Path of tiesim's `name` inside an output directory (or the file itself).

    Accepts OUTDIR, OUTDIR/name, or a gzipped OUTDIR/name.gz. For ties.csv,
    an output directory's changes.csv (.gz) does as well: read_csv rebuilds
    the panel from it.
    """
    p = directory_or_file
    if os.path.isdir(p):
        names = [name] + (["changes.csv"] if name == "ties.csv" else [])
        for candidate in (os.path.join(p, n + gz) for n in names for gz in ("", ".gz")):
            if os.path.isfile(candidate):
                return candidate
        die(f"{os.path.join(p, name)}: no such file (is {p} a tiesim output directory?)")
    if os.path.isfile(p):
        return p
    die(f"{p}: no such file or directory")


def read_header(path):
    try:
        return list(pd.read_csv(path, nrows=0).columns)
    except FileNotFoundError:
        die(f"{path}: no such file")
    except pd.errors.EmptyDataError:
        return []
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as e:
        die(f"{path}: not a readable CSV file ({type(e).__name__})")


def check_columns(path, header, required, what):
    missing = [c for c in required if c not in header]
    if missing:
        die(f"{path} is not tiesim {what} output: missing column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}")


#: rows read at a time: a long run's ties.csv can hold tens of millions of rows,
#: of which a plot usually needs one dyad's.
CHUNK_ROWS = 1_000_000


def is_changes(path):
    """Whether `path` is a changes.csv (or changes.csv.gz)."""
    return os.path.basename(path) in ("changes.csv", "changes.csv.gz")


def step_dates(outdir):
    """The date of every step (by step number) and the recording interval, from run.json."""
    info = read_run_json(outdir)
    dates = info.get("calendar", {}).get("dates")
    if not isinstance(dates, list):
        die(f"{os.path.join(outdir, 'run.json')}: no calendar.dates, which the panel is dated by "
            "(written by tiesim run since changes.csv was introduced)")
    return dates, int(info.get("record", {}).get("every", 1))


def rebuild_ties(changes, dates, every=1):
    """The full panel ties.csv, row for row, from changes.csv.

    changes: changes.csv read as text (dtype=str, keep_default_na=False), so
             every field keeps its bytes; dates: the ISO date of every step,
             by step number (run.json's calendar.dates); every: run.json's
             record.every. A tie's level at step s is its last row with
             step <= s (the rows with step -1 give the starting levels).
             Returns ties.csv's columns as text, in ties.csv's row order:
             df.to_csv(path, index=False, lineterminator="\n") writes the
             same bytes as `tiesim run --record ties`.
    """
    key = ["run", "replicate", "from", "to", "channel"]
    rows = changes.assign(step=changes["step"].astype("int64"))
    start = rows[rows["step"] == -1]
    ties = start[key + ["seed"]].reset_index(drop=True)
    ties["tie"] = np.arange(len(ties), dtype="int64")  # ties.csv's order within a step
    ties["block"] = ties.groupby(["run", "replicate"], sort=False).ngroup()
    rows = rows.merge(ties[key + ["tie"]], on=key, how="inner")[
        ["tie", "step", "new_level", "new_level_name", "value"]]
    n = len(dates)
    steps = sorted(set(range(0, n, every)) | ({n - 1} if n else set()))
    grid = pd.DataFrame({"tie": np.tile(ties["tie"].to_numpy(), len(steps)),
                         "step": np.repeat(np.asarray(steps, dtype="int64"), len(ties))})
    panel = pd.merge_asof(grid.sort_values("step", kind="stable"), rows.sort_values("step", kind="stable"),
                          on="step", by="tie", direction="backward")
    panel = panel.merge(ties, on="tie")
    panel = panel.sort_values(["block", "step", "tie"], kind="stable")
    date_of = np.asarray(dates, dtype=object)
    return pd.DataFrame({
        "run": panel["run"].to_numpy(), "replicate": panel["replicate"].to_numpy(),
        "seed": panel["seed"].to_numpy(), "step": panel["step"].astype(str).to_numpy(),
        "date": date_of[panel["step"].to_numpy()], "from": panel["from"].to_numpy(),
        "to": panel["to"].to_numpy(), "channel": panel["channel"].to_numpy(),
        "level": panel["new_level"].to_numpy(), "level_name": panel["new_level_name"].to_numpy(),
        "value": panel["value"].to_numpy()})


def ties_from_changes(path, where=None):
    """ties.csv rebuilt from the changes.csv at `path` (dates from run.json beside it), as text.

    where: {column: allowed values} on run, replicate, from, to or channel,
    applied to the changes first, so only the ties asked for are rebuilt.
    """
    header = read_header(path)
    check_columns(path, header, COLUMNS["changes.csv"], "changes.csv")
    try:
        changes = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as e:
        die(f"{path}: cannot be read as changes.csv ({str(e).splitlines()[0]})")
    for c, values in (where or {}).items():
        changes = changes[changes[c].isin({str(v) for v in values})]
    dates, every = step_dates(os.path.dirname(os.path.abspath(path)))
    return rebuild_ties(changes, dates, every)


def read_csv(path, kind, extra=(), usecols=None, where=None, seen=(), nrows=None):
    """Read one tiesim CSV, check its columns and types, parse its dates.

    kind:    file name the layout is checked against ("ties.csv", ...).
    extra:   further required columns (e.g. a sweep's metric).
    usecols: read only these columns (all documented ones are still checked).
    where:   {column: allowed values}: keep only matching rows, filtered chunk
             by chunk as the file is read, so memory holds only what is kept.
    seen:    column tuples, e.g. [("from", "to")]: their distinct values over
             the whole file (before `where`) go to df.attrs["seen"][tuple],
             for level names and for hints in error messages.
    nrows:   read at most this many rows (before `where`).

    As ties.csv, a changes.csv is read too: the panel is rebuilt from it
    (rebuild_ties), only for the ties `where` keeps when it names them.
    """
    if kind == "ties.csv" and is_changes(path):
        return _read_rebuilt_ties(path, usecols, where, seen, nrows)
    header = read_header(path)
    required = list(COLUMNS[kind]) + [c for c in extra if c not in COLUMNS[kind]]
    check_columns(path, header, required, kind)
    cols = None
    if usecols is not None:
        wanted = set(usecols) | set(extra) | set(where or {}) | {c for t in seen for c in t}
        cols = [c for c in header if c in wanted]
    dtype = {c: str for c in header if c in TEXT_COLUMNS}
    na = {c: ["", "nan", "NaN", "NA", "null"] for c in header if c not in TEXT_COLUMNS}
    where = {c: {str(v) for v in values} for c, values in (where or {}).items()}
    kept, distinct = [], {t: [] for t in seen}
    try:
        reader = pd.read_csv(path, usecols=cols, dtype=dtype, keep_default_na=False,
                             na_values=na, chunksize=CHUNK_ROWS, nrows=nrows)
        for chunk in reader:
            for t in seen:
                distinct[t].append(chunk[list(t)].drop_duplicates())
            if where:
                mask = pd.Series(True, index=chunk.index)
                for c, values in where.items():
                    mask &= chunk[c].isin(values)
                chunk = chunk[mask]
            kept.append(chunk)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as e:
        die(f"{path}: cannot be read as {kind} ({str(e).splitlines()[0]})")
    if kept:
        df = pd.concat(kept, ignore_index=True)
    else:  # header only
        df = pd.read_csv(path, usecols=cols, dtype=dtype, keep_default_na=False, na_values=na,
                         nrows=0)
    return _typed(df, path, distinct)


def _read_rebuilt_ties(path, usecols, where, seen, nrows):
    """read_csv's ties.csv, rebuilt from a changes.csv: only the ties `where` names are rebuilt."""
    where = {c: {str(v) for v in values} for c, values in (where or {}).items()}
    header = read_header(path)
    check_columns(path, header, COLUMNS["changes.csv"], "changes.csv")
    try:
        changes = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as e:
        die(f"{path}: cannot be read as changes.csv ({str(e).splitlines()[0]})")
    # distinct values over the whole file, from the changes (every level a tie takes is in them)
    levels = changes.rename(columns={"new_level": "level", "new_level_name": "level_name"})
    distinct = {t: [levels[list(t)].drop_duplicates()] for t in seen}
    key = ["run", "replicate", "from", "to", "channel"]
    for c in [c for c in where if c in key]:
        changes = changes[changes[c].isin(where[c])]
    dates, every = step_dates(os.path.dirname(os.path.abspath(path)))
    df = rebuild_ties(changes, dates, every)
    if nrows is not None:
        df = df.head(nrows)
    for c in [c for c in where if c not in key]:
        df = df[df[c].isin(where[c])]
    if usecols is not None:
        wanted = set(usecols) | set(where) | {c for t in seen for c in t}
        df = df[[c for c in df.columns if c in wanted]]
    df = df.reset_index(drop=True).copy()
    for c in df.columns:
        if c not in TEXT_COLUMNS:
            df[c] = df[c].replace("", np.nan)
    for t in seen:  # levels as numbers, like the panel's
        distinct[t] = [d.replace("", np.nan) for d in distinct[t]]
    return _typed(df, path, distinct)


def _typed(df, path, distinct):
    """Numeric columns as numbers, dates as Timestamps, distinct values in attrs."""
    for c in df.columns:
        if c in NUMERIC_COLUMNS and not pd.api.types.is_numeric_dtype(df[c]):
            values = df[c].astype(str)
            bad = values[pd.to_numeric(values, errors="coerce").isna() & df[c].notna()
                         & (values != "")]
            if len(bad):
                die(f"{path}: column {c} must be numeric (found {bad.iloc[0]!r})")
            df[c] = pd.to_numeric(values, errors="coerce")
    if "date" in df.columns:
        df["date"] = parse_dates(df["date"], path)
    df.attrs["seen"] = {t: (pd.concat(v, ignore_index=True).drop_duplicates().reset_index(drop=True)
                            if v else pd.DataFrame(columns=list(t))) for t, v in distinct.items()}
    return df


def seen_values(df, column):
    """Sorted distinct values of a column recorded by read_csv(seen=[(column,)])."""
    table = df.attrs.get("seen", {}).get((column,))
    if table is None:
        return sorted(pd.unique(df[column].dropna()))
    return sorted(table[column].dropna().unique())


def listing(values, limit=15):
    values = [str(v) for v in values]
    return ", ".join(values[:limit]) + (", ..." if len(values) > limit else "")


def parse_dates(series, path):
    """ISO YYYY-MM-DD text to Timestamps; a bad value is an InputError."""
    parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & series.notna() & (series != "")
    if bad.any():
        die(f"{path}: column date must hold ISO dates YYYY-MM-DD "
            f"(found {series[bad].iloc[0]!r})")
    return parsed


def read_run_json(outdir):
    """run.json of an output directory as a dict ({} if absent or unreadable)."""
    if not os.path.isdir(outdir):
        outdir = os.path.dirname(os.path.abspath(outdir))
    path = os.path.join(outdir, "run.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def select_runs(df, runs, path):
    """Keep the rows of the given run ids (None: all).

    In `tiesim run` output each replicate is its own run (run = replicate);
    in a sweep's, `runs.csv` maps run ids to design points, and --run picks
    the runs of one point.
    """
    if not runs:
        return df
    out = df[df["run"].isin([str(r) for r in runs])]
    if out.empty:
        die(f"{path}: no rows with run {listing(runs)} (runs: {listing(pd.unique(df['run']))})")
    return out


# ---------------------------------------------------------------------------
# summaries over replicates


def summarise(df, by, value, band=(10.0, 90.0)):
    """Median and a percentile band of `value` over replicates, per `by`.

    Returns columns: *by, median, lo, hi, n (pandas' linear-interpolated
    quantiles; lo/hi are the band's lower and upper percentiles).
    """
    by = [by] if isinstance(by, str) else list(by)
    d = df.dropna(subset=[value])
    g = d.groupby(by, sort=True)[value]
    out = pd.DataFrame({
        "median": g.median(),
        "lo": g.quantile(band[0] / 100.0),
        "hi": g.quantile(band[1] / 100.0),
        "n": g.count(),
    }).reset_index()
    return out


def band_label(band):
    return f"{band[0]:g}–{band[1]:g}%"


def add_common_arguments(parser, run=True, band=True):
    if run:
        parser.add_argument("--run", action="append", metavar="RUN",
                            help="keep only this run id (repeatable), e.g. the runs of one "
                                 "sweep point; default: every run")
    if band:
        parser.add_argument("--band", nargs=2, type=float, default=[10.0, 90.0],
                            metavar=("LO", "HI"),
                            help="percentiles of the band over replicates (default: 10 90)")


def add_window_arguments(parser):
    parser.add_argument("--start", metavar="DATE",
                        help="first date shown, YYYY-MM-DD (default: the first recorded)")
    parser.add_argument("--end", metavar="DATE",
                        help="last date shown, YYYY-MM-DD (default: the last recorded)")


def clip_dates(df, start, end, path):
    """Rows of df dated within [start, end] (either may be None)."""
    bounds = []
    for name, value in (("--start", start), ("--end", end)):
        ts = _to_timestamp(value) if value is not None else None
        if value is not None and ts is None:
            die(f"{name} {value}: not a date YYYY-MM-DD")
        bounds.append(ts)
    lo, hi = bounds
    if lo is not None and hi is not None and lo > hi:
        die(f"--start {start} is after --end {end}")
    keep = pd.Series(True, index=df.index)
    if lo is not None:
        keep &= df["date"] >= lo
    if hi is not None:
        keep &= df["date"] <= hi
    if not keep.any():
        die(f"{path}: no rows dated between {start or 'the start'} and {end or 'the end'}")
    return df[keep]


def check_band(band):
    lo, hi = band
    if not (0 <= lo < hi <= 100):
        die(f"--band {lo:g} {hi:g}: need 0 <= LO < HI <= 100")
    return (lo, hi)


# ---------------------------------------------------------------------------
# scenario files


def _to_timestamp(value):
    """A TOML date, datetime or 'YYYY-MM-DD' string to a Timestamp (None if not)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return pd.Timestamp(value)
    if isinstance(value, str):
        try:
            return pd.Timestamp(datetime.date.fromisoformat(value.strip()[:10]))
        except ValueError:
            return None
    return None


def _merge(base, over):
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _delete_path(table, dotted):
    parts = dotted.split(".")
    node = table
    for p in parts[:-1]:
        node = node.get(p) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def load_scenario(path, _chain=()):
    """Read a scenario TOML file, following `extends` and applying `remove`."""
    path = os.path.abspath(path)
    if path in _chain:
        die(f"{path}: 'extends' forms a cycle")
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        die(f"{path}: no such scenario file")
    except tomllib.TOMLDecodeError as e:
        die(f"{path}: not valid TOML ({e})")
    except OSError as e:
        die(f"{path}: cannot read scenario ({e.strerror})")
    base_path = data.get("extends")
    if isinstance(base_path, str) and base_path:
        base = load_scenario(os.path.join(os.path.dirname(path), base_path),
                             _chain + (path,))
        for dotted in data.get("remove", []) or []:
            if isinstance(dotted, str):
                _delete_path(base, dotted)
        data = _merge(base, {k: v for k, v in data.items() if k not in ("extends", "remove")})
    return data


def scenario_for(outdir, explicit):
    """The scenario to annotate with: --scenario if given, else run.json's.

    Returns (scenario dict or None, path or None). run.json's path is tried as
    written, then relative to the output directory; if it cannot be found the
    plot goes on without events. A hash that differs from run.json's is noted.
    """
    meta = read_run_json(outdir)
    recorded = meta.get("scenario") if isinstance(meta.get("scenario"), dict) else {}
    path = explicit
    if path is None:
        rp = recorded.get("path")
        if isinstance(rp, str) and rp:
            base = outdir if os.path.isdir(outdir) else os.path.dirname(os.path.abspath(outdir))
            for candidate in (rp, os.path.join(base, rp)):
                if os.path.isfile(candidate):
                    path = candidate
                    break
    if path is None:
        return None, None
    scn = load_scenario(path)
    sha = recorded.get("sha256")
    if isinstance(sha, str) and sha:
        with open(path, "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != sha.lower():
                warn(f"{path} differs from the scenario recorded in run.json (sha256)")
    return scn, path


def scenario_events(scn):
    """Dated events of a scenario: DataFrame id, date, kind, label, actor, partner."""
    rows = []
    events = scn.get("events", {}) if scn else {}
    if not isinstance(events, dict):
        events = {}
    for eid, ev in events.items():
        if not isinstance(ev, dict):
            continue
        date = _to_timestamp(ev.get("date"))
        if date is None:
            warn(f"scenario event {eid!r} has no usable date; not drawn")
            continue
        label = ev.get("label")
        rows.append({
            "id": str(eid),
            "date": date,
            "kind": str(ev.get("kind", "")),
            "label": str(label) if label not in (None, "") else str(eid),
            "actor": ev.get("actor"),
            "partner": ev.get("partner"),
        })
    df = pd.DataFrame(rows, columns=["id", "date", "kind", "label", "actor", "partner"])
    return df.sort_values("date", kind="stable").reset_index(drop=True)


def _id_list(value):
    """An id, a list of ids or "*" as a list of strings (None if neither)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def scenario_targets(scn):
    """Validation targets of a scenario, normalised; their schema is not final.

    Reads `[[targets]]` or `[targets.ID]` (also `target`). Keeps, where
    present and well formed:
      id, kind, label
      quantity  "level" (the default when a channel is named), "value", ...
      date      one date
      window    two dates, from `window` or `during`
      from, to  lists of actor ids ("*": any), from an id or a list
      channel
      level     from `level`, or from `value` when the quantity is a level;
                left out when it is relative to a `baseline`
      op        the comparison, from `op`, `comparison` or `compare`
    Anything malformed is skipped, never an error: plots do not validate.
    """
    if not scn:
        return []
    raw = scn.get("targets", scn.get("target", []))
    if isinstance(raw, dict):  # a table of tables keyed by id
        raw = [dict(v, id=v.get("id", k)) for k, v in raw.items() if isinstance(v, dict)]
    if not isinstance(raw, list):
        return []
    out = []
    for i, t in enumerate(raw):
        if not isinstance(t, dict):
            continue
        tid = t.get("id", t.get("name", f"target {i + 1}"))
        norm = {"id": str(tid), "kind": str(t.get("kind", ""))}
        if isinstance(t.get("label"), str):
            norm["label"] = t["label"]
        quantity = t.get("quantity")
        if not isinstance(quantity, str):
            quantity = "level" if isinstance(t.get("channel"), str) else None
        if quantity:
            norm["quantity"] = quantity
        d = _to_timestamp(t.get("date"))
        if d is not None:
            norm["date"] = d
        for key in ("window", "during"):
            w = t.get(key)
            if isinstance(w, (list, tuple)) and len(w) == 2:
                a, b = _to_timestamp(w[0]), _to_timestamp(w[1])
                if a is not None and b is not None:
                    norm["window"] = (min(a, b), max(a, b))
                    break
        for key in ("from", "to"):
            ids = _id_list(t.get(key))
            if ids is not None:
                norm[key] = ids
        if isinstance(t.get("channel"), str):
            norm["channel"] = t["channel"]
        level = t.get("level")
        if level is None and quantity == "level":
            level = t.get("value")
        if isinstance(level, (int, float, str)) and not isinstance(level, bool) \
                and "baseline" not in t:
            norm["level"] = level
        for key in ("op", "comparison", "compare"):
            if isinstance(t.get(key), str):
                norm["op"] = t[key]
                break
        out.append(norm)
    return out


def scenario_channels(scn):
    """Channel id -> {'kind': str or None, 'levels': [names] or None}."""
    out = {}
    chans = scn.get("channels", {}) if scn else {}
    if isinstance(chans, dict):
        for cid, c in chans.items():
            if not isinstance(c, dict):
                continue
            levels = c.get("levels")
            out[str(cid)] = {
                "kind": c.get("kind") if isinstance(c.get("kind"), str) else None,
                "levels": [str(x) for x in levels] if isinstance(levels, list) else None,
                "name": str(c.get("name", cid)),
            }
    return out


def scenario_focal(scn):
    """[plot] focal = ["A", "B"] of a scenario, or None."""
    plot = scn.get("plot", {}) if scn else {}
    focal = plot.get("focal") if isinstance(plot, dict) else None
    if isinstance(focal, list) and len(focal) == 2 and all(isinstance(x, str) for x in focal):
        return focal[0], focal[1]
    return None


# ---------------------------------------------------------------------------
# axes


def new_figure(width, height):
    """A figure not registered with pyplot (no global state, no display)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def format_date_axis(ax, label=True):
    """Calendar dates on the x axis, concise labels."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if label:
        ax.set_xlabel("date")


def draw_band(ax, dates, summary, colour_, label, step=False, alpha=0.25, ls="-"):
    """Median line and lo–hi band; returns the median Line2D.

    step=True draws integer levels as steps centred on their dates (each
    recorded value holds half way to its neighbours), so the line still spans
    exactly the recorded dates; step=False joins the points.
    """
    x = pd.to_datetime(pd.Series(dates)).to_numpy()
    ax.fill_between(x, summary["lo"].to_numpy(float), summary["hi"].to_numpy(float),
                    step="mid" if step else None, color=colour_, alpha=alpha, linewidth=0)
    (line,) = ax.plot(x, summary["median"].to_numpy(float), color=colour_, lw=1.8, ls=ls,
                      drawstyle="steps-mid" if step else "default", label=label)
    return line


def steps_mid(x, y):
    """Vertices of a steps-mid line through (x, y), for a LineCollection."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if len(x) < 2:
        return np.column_stack([x, y])
    mid = (x[:-1] + x[1:]) / 2
    xs = np.concatenate([[x[0]], np.repeat(mid, 2), [x[-1]]])
    ys = np.repeat(y, 2)
    return np.column_stack([xs, ys])


def events_in_range(events, start, end):
    if events is None or events.empty:
        return events
    return events[(events["date"] >= start) & (events["date"] <= end)].reset_index(drop=True)


def add_event_arguments(parser):
    parser.add_argument("--event-kinds", metavar="K,K", type=lambda v: [k for k in v.split(",") if k],
                        help="draw only scenario events of these kinds, e.g. resolution,incident")
    parser.add_argument("--no-events", action="store_true", help="do not draw scenario events")


def plot_events(scn, first, last, kinds=None, show=True):
    """Scenario events dated within [first, last], of the given kinds (None: all)."""
    if scn is None or not show:
        return None
    events = events_in_range(scenario_events(scn), first, last)
    if kinds:
        events = events[events["kind"].isin(kinds)].reset_index(drop=True)
    return events


MAX_LABEL = 40  # characters of an event label shown; longer ones end in "…"


def choose_labels(ax, events, focus=(), gap_in=0.15):
    """Which events get a label, so that labels do not overprint.

    Greedy: events involving a focal actor (or no actor) first, then the rest, each in date
    order; an event is labelled if its line is at least gap_in inches from
    every label placed so far. Unlabelled events still get their line.
    """
    x0, x1 = ax.get_xlim()
    width_in = max(ax.get_figure().get_figwidth() * ax.get_position().width, 1.0)
    xs = pd.Series(to_num(events["date"]), index=events.index)
    pos = (xs - x0) / ((x1 - x0) or 1.0) * width_in
    def involved_in(e):  # involves a focal actor, or no actor at all (a resolution)
        actors = {a for a in (e.get("actor"), e.get("partner")) if isinstance(a, str) and a}
        return not actors or bool(actors & set(focus))
    involved = events.apply(involved_in, axis=1)
    order = list(events.index[involved.to_numpy(bool)]) + list(events.index[~involved.to_numpy(bool)])
    placed, chosen = [], pd.Series(False, index=events.index)
    for i in order:
        if all(abs(pos[i] - p) >= gap_in for p in placed):
            placed.append(pos[i])
            chosen[i] = True
    return chosen


def draw_events(ax, events, labels=True, on_image=False, focus=()):
    """Dated scenario events as dashed vertical lines, labelled at the top.

    on_image: over a heat map, with a white casing so they show on any colour.
    focus: actor ids whose events get labels first when space is short.
    Returns a boolean Series: which events were labelled.
    """
    if events is None or events.empty:
        return None
    chosen = choose_labels(ax, events, focus) if labels else pd.Series(False, index=events.index)
    trans = ax.get_xaxis_transform()
    # as many characters as fit down the panel (7 pt text: about 0.06 in a character)
    height_in = ax.get_figure().get_figheight() * ax.get_position().height
    max_chars = int(min(MAX_LABEL, max(8, height_in * 0.9 / 0.06)))
    x0, x1 = ax.get_xlim()
    for i, ev in events.iterrows():
        if on_image:
            ax.axvline(ev["date"], color="white", lw=2.4, zorder=3)
        ax.axvline(ev["date"], color="0.1" if on_image else EVENT_COLOUR, lw=0.9, ls="--",
                   zorder=4 if on_image else 1)
        if chosen[i]:
            text = ev["label"] if len(ev["label"]) <= max_chars else ev["label"][:max_chars - 1] + "…"
            near_left = (to_num([ev["date"]])[0] - x0) < 0.02 * (x1 - x0)
            ax.text(ev["date"], 0.98, " " + text, transform=trans,
                    rotation=90, va="top", ha="left" if near_left else "right", fontsize=7,
                    color="0.15", zorder=5, clip_on=True,
                    bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none",
                          "pad": 0.5})
    return chosen


# ---------------------------------------------------------------------------
# output

IMAGE_EXTENSIONS = (".png", ".svg", ".pdf")


def check_output_path(path):
    """Fail early (before any work) on an output path we cannot write."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in IMAGE_EXTENSIONS:
        die(f"{path}: output must end in .png or .svg (or .pdf)")
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.exists(parent) and not os.path.isdir(parent):
        die(f"{path}: {parent} is not a directory")
    return path


def save(fig, path, dpi=150):
    """Write the figure; format from the extension. Prints the path."""
    check_output_path(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    ext = os.path.splitext(path)[1].lower()
    metadata = {"Date": None} if ext in (".svg", ".pdf") else {}
    if ext == ".pdf":
        metadata["CreationDate"] = None
        metadata.pop("Date")
    fig.savefig(path, dpi=dpi, metadata=metadata)
    print(path)


def slug(*parts):
    return "_".join(str(p).replace("/", "-").replace(" ", "-") for p in parts if p not in (None, ""))


def default_output(input_path, name):
    """Default image path: beside the input (inside an output directory)."""
    base = input_path if os.path.isdir(input_path) else os.path.dirname(os.path.abspath(input_path))
    return os.path.join(base, name)


def level_ticks(names_by_level):
    """(positions, labels) for a level axis: '2 minister'."""
    pos = sorted(names_by_level)
    return pos, [f"{k} {names_by_level[k]}".strip() for k in pos]


def to_num(dates):
    """Dates to matplotlib's float day numbers."""
    return mdates.date2num(pd.to_datetime(pd.Series(dates)).dt.to_pydatetime())


def step_edges(dates):
    """Cell edges of steps [date_k, date_k+1): the dates plus one step past the last."""
    d = pd.DatetimeIndex(sorted(pd.unique(pd.to_datetime(pd.Series(dates)))))
    if len(d) == 0:
        return d
    if len(d) == 1:
        last = d[-1] + pd.Timedelta(days=30)
    else:
        # last step as long as the previous one (months: use the calendar)
        delta_months = (d[-1].year - d[-2].year) * 12 + d[-1].month - d[-2].month
        if d[-1].day == d[-2].day and delta_months > 0:
            last = d[-1] + pd.DateOffset(months=delta_months)
        else:
            last = d[-1] + (d[-1] - d[-2])
    return d.append(pd.DatetimeIndex([last]))

