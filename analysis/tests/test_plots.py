#!/usr/bin/python3
"""Tests of the plotting scripts in analysis/, on what tiesim writes for analysis/tests/plots.toml (`tiesim run`
of a base and a variant, `tiesim validate`); the sweep and sensitivity tables are made here.

Run from the repository root (ctest runs it as analysis.plots, with TIESIM set to the program it built):
    TIESIM=build/tiesim /usr/bin/python3 -m unittest discover -s analysis/tests -v
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
ANALYSIS = os.path.dirname(HERE)
sys.path.insert(0, ANALYSIS)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import tiesim_plot as tp  # noqa: E402  (selects the Agg backend)

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.image as mpimg  # noqa: E402

import plot_counterfactual  # noqa: E402
import plot_fan  # noqa: E402
import plot_heatmap  # noqa: E402
import plot_scorecard  # noqa: E402
import plot_sensitivity  # noqa: E402
import plot_sweep  # noqa: E402
import plot_trajectories  # noqa: E402
import plot_why  # noqa: E402

PYTHON = "/usr/bin/python3"

# tiesim output: a real run of a small scenario

# the program under test's partner: ctest sets TIESIM; by hand, the default build's
ROOT = os.path.dirname(ANALYSIS)
TIESIM = os.environ.get("TIESIM") or os.path.join(ROOT, "build", "tiesim")
SCENARIO = os.path.join(HERE, "plots.toml")
CHANNELS = {"embassy": ("directed", 3), "trade": ("mutual", 2)}  # id: (kind, top level)
N_REPLICATES = 5  # odd: a median is one of the replicates' values
N_STEPS = 24


def tiesim(*args, ok=(0,)):
    """Runs tiesim; a status not in `ok` stops the tests with its message."""
    if not os.access(TIESIM, os.X_OK):
        raise RuntimeError(f"no tiesim program at {TIESIM}: build it, or set TIESIM")
    r = subprocess.run([TIESIM, *args], capture_output=True, text=True, timeout=120)
    if r.returncode not in ok:
        raise RuntimeError(f"tiesim {' '.join(args)} failed ({r.returncode}): {r.stderr}")


def make_output(directory, *overrides):
    """`tiesim run` of the test scenario; a variant passes --set overrides and keeps the seed, so that base
    and variant share their draws replicate by replicate (common random numbers)."""
    tiesim("run", SCENARIO, "-o", directory, "--seed", "7", "--replicates", str(N_REPLICATES), "--quiet",
           "--record", "changes,ties,dyads,actors,events", *overrides)
    return directory


def make_validation(directory):
    tiesim("validate", SCENARIO, "--replicates", "20", "-o", directory, ok=(0, 1))  # 1: a target missed
    return os.path.join(directory, "validation.csv")


def make_runs(path, seed=3):
    """A sweep over two parameters (6 x 4 design points, 3 replicates each)."""
    rng = np.random.default_rng(seed)
    rows = []
    run = 0
    for point, (c, b) in enumerate((c, b) for c in np.linspace(0, 1, 6) for b in (0.0, 0.1, 0.2, 0.3)):
        for rep in range(3):
            metric = 1.0 - 0.6 * c + b + rng.normal(0, 0.05)
            rows.append([run, point, rep, 100 + rep, round(c, 4), b, round(metric, 6),
                         round(rng.uniform(), 4), int(rng.uniform() < c)])
            run += 1
    header = ["run", "point", "replicate", "seed", "actors.MYS.compliance", "model.balance",
              "tie_index_2017", "recall_hit", "cut"]
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return path


def make_sensitivity(path):
    rows = []
    for metric in ("tie_index_2017",):
        for param, s1, st in (("actors.MYS.compliance", 0.55, 0.62), ("model.balance", 0.2, 0.31),
                              ("channels.trade.visibility", 0.02, 0.05)):
            rows.append([metric, param, "sobol", "S1", s1, s1 - 0.05, s1 + 0.05])
            rows.append([metric, param, "sobol", "ST", st, "", ""])
    pd.DataFrame(rows, columns=tp.COLUMNS["sensitivity.csv"]).to_csv(path, index=False)
    return path


# ---------------------------------------------------------------------------
# helpers


def run_quiet(main, argv):
    """Call a script's main(argv) in-process; returns (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as e:  # argparse
            status = e.code
    return status, out.getvalue(), err.getvalue()


class PlotTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tiesim_plot_test_")
        cls.base = make_output(os.path.join(cls.tmp, "base"))
        cls.variant = make_output(os.path.join(cls.tmp, "variant"), "--set", "actors.MYS.compliance=3")
        cls.scenario = SCENARIO
        cls.validation = make_validation(os.path.join(cls.tmp, "validation"))
        cls.runs = make_runs(os.path.join(cls.tmp, "runs.csv"))
        cls.sensitivity = make_sensitivity(os.path.join(cls.tmp, "sensitivity.csv"))
        cls.ties = pd.read_csv(os.path.join(cls.base, "ties.csv"), parse_dates=["date"])
        cls.dyads = pd.read_csv(os.path.join(cls.base, "dyads.csv"), parse_dates=["date"])
        cls.actors = pd.read_csv(os.path.join(cls.base, "actors.csv"), parse_dates=["date"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def out(self, name):
        return os.path.join(self.tmp, name)

    def assert_image(self, path, ext=".png"):
        """The file exists, is a real image of some size, and is not blank."""
        self.assertTrue(os.path.isfile(path), path)
        self.assertGreater(os.path.getsize(path), 5000, path)
        if ext == ".png":
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            img = mpimg.imread(path)
            self.assertGreater(img.shape[0], 200)
            self.assertGreater(img.shape[1], 200)
            rgb = img[..., :3]
            self.assertGreater(float(rgb.var()), 1e-3, "image looks blank")
            # more than background and one ink colour: the plot has colour in it
            colours = np.unique((rgb.reshape(-1, 3) * 255).astype(np.uint8), axis=0)
            self.assertGreater(len(colours), 20)
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("<svg", text)
            self.assertIn("</svg>", text)

    def assert_rejects(self, main, argv, bad_path, missing, image):
        """A non-tiesim file: status 2, one-line message naming file and columns, no image."""
        if os.path.exists(image):
            os.remove(image)
        status, _, err = run_quiet(main, argv)
        self.assertEqual(status, 2, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        self.assertEqual(len(lines), 1, err)
        self.assertIn(bad_path, lines[0])
        for col in missing:
            self.assertIn(col, lines[0])
        self.assertFalse(os.path.exists(image))

    def write_broken(self, name, source, drop):
        """A copy of a CSV without some columns, in a directory of its own."""
        d = os.path.join(self.tmp, f"broken_{name.split('.')[0]}_{'_'.join(drop)}")
        shutil.rmtree(d, ignore_errors=True)
        if name in ("ties.csv", "dyads.csv", "actors.csv"):
            shutil.copytree(os.path.dirname(source), d)  # the rest of the output directory
        else:
            os.makedirs(d)
        df = pd.read_csv(source, dtype=str, keep_default_na=False)
        path = os.path.join(d, name)
        df.drop(columns=drop).to_csv(path, index=False)
        return d, path


def as_date(x):
    """A date on a matplotlib axis: a datetime, or a number of days."""
    if isinstance(x, (int, float, np.number)):
        return pd.Timestamp(mdates.num2date(x).replace(tzinfo=None))
    return pd.Timestamp(x)


def assert_band(case, band, raw, value, low, high, scale=1.0):
    """Properties of a median and its band over replicates (`band` indexed by date, with median, lo, hi),
    against the replicates' values (`raw`, one row per replicate and date): a row for every date of the data,
    lo ≤ median ≤ hi, the band within the replicates' range at each date, a median that is one of the
    replicates' values (their count is odd), and everything within [low, high]."""
    by_date = raw.groupby("date")[value]
    case.assertEqual(list(band.index), sorted(by_date.groups))
    lowest, highest = by_date.min().reindex(band.index) / scale, by_date.max().reindex(band.index) / scale
    tiny = 1e-12
    case.assertTrue((band["lo"] <= band["median"] + tiny).all(), band)
    case.assertTrue((band["median"] <= band["hi"] + tiny).all(), band)
    case.assertTrue((band["lo"] >= lowest - tiny).all() and (band["hi"] <= highest + tiny).all(), band)
    case.assertTrue(((band["median"] >= low) & (band["median"] <= high)).all(), band)
    observed = raw.groupby("date")[value].apply(lambda v: set(np.round(v / scale, 9)))
    for date, median in band["median"].items():
        case.assertIn(round(float(median), 9), observed[date], f"median at {date} is no replicate's value")


# ---------------------------------------------------------------------------
# trajectories


class TestTrajectories(PlotTestCase):
    def test_in_process_with_scenario(self):
        out = self.out("traj.png")
        status, stdout, err = run_quiet(plot_trajectories.main,
                                        [self.base, "--from", "MYS", "--to", "PRK",
                                         "--scenario", self.scenario, "-o", out])
        self.assertEqual(status, 0, err)
        self.assertNotIn("differs", err)
        self.assert_image(out)
        data = plot_trajectories.last_data
        self.assertEqual(data["channels"], ["embassy", "trade"])
        t = self.ties[(self.ties["from"] == "MYS") & (self.ties["to"] == "PRK")]
        for ch, (_, top) in CHANNELS.items():
            got = data["series"][(data["series"]["channel"] == ch)].set_index("date")
            assert_band(self, got, t[t["channel"] == ch], "level", 0, top)
            self.assertEqual(len(got), N_STEPS)
            self.assertTrue((got["n"] == N_REPLICATES).all())
        # the scenario's events, with their labels
        self.assertEqual(sorted(data["events"]["label"]), ["5th nuclear test", "UNSC 2270"])
        # targets of this dyad only: the recall (level 'none' -> 0) and the trade window
        ids = sorted(t["id"] for t in data["targets"])
        self.assertEqual(ids, ["recall", "trade_falls"])
        recall = next(t for t in data["targets"] if t["id"] == "recall")
        self.assertEqual((recall["panel"], recall["y"]), ("embassy", 0.0))

    def test_figure_lines_are_the_medians(self):
        fig, data = plot_trajectories.plot(self.base, "MYS", "PRK", scenario=self.scenario)
        ax = fig.axes[0]
        line = ax.get_lines()[0]
        exp = data["series"][data["series"]["channel"] == "embassy"]
        np.testing.assert_allclose(np.asarray(line.get_ydata(), float), exp["median"])
        xs = pd.to_datetime(np.asarray(line.get_xdata()))
        self.assertEqual(xs.min(), self.ties["date"].min())
        self.assertEqual(xs.max(), self.ties["date"].max())
        # every panel draws each event of the scenario as a vertical line at its date
        event_dates = set(pd.to_datetime(data["events"]["date"]))
        self.assertEqual(len(event_dates), 2)
        for panel in fig.axes[:len(CHANNELS)]:
            verticals = {as_date(ln.get_xdata()[0])
                         for ln in panel.get_lines()
                         if len(ln.get_xdata()) == 2 and ln.get_xdata()[0] == ln.get_xdata()[1]
                         and ln.get_linestyle() == "--"}
            self.assertTrue(event_dates <= verticals, (event_dates, verticals))
        # the level axis is labelled with the ladder's names
        labels = [tl.get_text() for tl in ax.get_yticklabels()]
        self.assertIn("3 ambassador", labels)

    def test_default_focal_share_and_both_ways(self):
        # no --from/--to: the scenario's [plot] focal (found through run.json)
        out = self.out("traj_default.svg")
        status, _, err = run_quiet(plot_trajectories.main,
                                   [self.base, "--share", "--both-ways", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out, ".svg")
        data = plot_trajectories.last_data
        self.assertEqual((data["src"], data["dst"]), ("MYS", "PRK"))
        s = data["series"]
        # the directed embassy is drawn both ways, the mutual trade one way
        self.assertEqual(sorted(s[s["channel"] == "embassy"]["direction"].unique()),
                         ["MYS→PRK", "PRK→MYS"])
        self.assertEqual(list(s[s["channel"] == "trade"]["direction"].unique()), ["MYS→PRK"])
        t = self.ties[(self.ties["from"] == "PRK") & (self.ties["to"] == "MYS")
                      & (self.ties["channel"] == "embassy")]
        got = s[(s["channel"] == "embassy") & (s["direction"] == "PRK→MYS")].set_index("date")
        assert_band(self, got, t, "level", 0.0, 1.0, scale=3.0)  # shares of a ladder of 3 rungs
        self.assertLessEqual(s["hi"].max(), 1.0)

    def test_default_focal_without_scenario_is_first_dyad(self):
        d = os.path.join(self.tmp, "no_scenario")
        shutil.copytree(self.base, d, dirs_exist_ok=True)
        with open(os.path.join(d, "run.json"), "w") as f:  # a scenario that is not there
            json.dump({"scenario": {"path": "scenario.toml", "sha256": "0" * 64}, "seed": 7}, f)
        # dyads.csv starting with another pair than the scenario's focal one
        dy = pd.read_csv(os.path.join(d, "dyads.csv"), dtype=str, keep_default_na=False)
        dy = pd.concat([dy[dy["from"] == "KOR"], dy[dy["from"] != "KOR"]])
        dy.to_csv(os.path.join(d, "dyads.csv"), index=False)
        fig, data = plot_trajectories.plot(d)
        self.assertEqual((data["src"], data["dst"]), ("KOR", "MYS"))
        self.assertIsNone(data["events"])
        self.assertEqual(data["targets"], [])

    def test_run_selection_event_kinds_and_labels(self):
        fig, data = plot_trajectories.plot(self.base, "MYS", "PRK", run=["0", "2"],
                                           event_kinds=["resolution"])
        self.assertTrue((data["series"]["n"] == 2).all())
        t = self.ties[(self.ties["from"] == "MYS") & (self.ties["to"] == "PRK")
                      & (self.ties["channel"] == "trade") & self.ties["run"].isin([0, 2])]
        got = data["series"][data["series"]["channel"] == "trade"].set_index("date")
        # two runs: the band lies within their two values at every date
        by_date = t.groupby("date")["level"]
        self.assertTrue((got["lo"] >= by_date.min()).all() and (got["hi"] <= by_date.max()).all())
        self.assertTrue(((got["median"] >= got["lo"]) & (got["median"] <= got["hi"])).all())
        self.assertEqual(list(data["events"]["id"]), ["unsc_2270"])
        self.assertTrue(data["events"]["labelled"].all())
        status, _, err = run_quiet(plot_trajectories.main, [self.base, "--run", "9",
                                                            "-o", self.out("run9.png")])
        self.assertEqual(status, 2)
        self.assertIn("no rows with run 9", err)

    def test_targets_in_table_form(self):
        # the form tiesim's target reader takes: [targets.ID], during/value/compare, id lists
        scn = tp.load_scenario(self.scenario)
        scn["targets"] = {
            "recall": {"kind": "level", "from": "MYS", "to": ["PRK", "KOR"], "channel": "embassy",
                       "during": [datetime.date(2016, 6, 1), datetime.date(2016, 9, 1)],
                       "compare": "<=", "value": "charge"},
            "trade_value": {"kind": "first_change", "quantity": "value", "from": "*", "to": "PRK",
                            "channel": "trade", "window": ["2016-03-01", "2016-12-01"]},
            "index": {"kind": "level", "quantity": "tie_index", "from": "MYS", "to": "PRK",
                      "date": datetime.date(2016, 1, 1), "value": 0.5},
            "relative": {"kind": "level", "from": "MYS", "to": "PRK", "channel": "embassy",
                         "date": datetime.date(2016, 1, 1), "value": -1,
                         "baseline": datetime.date(2015, 6, 1)},
            "elsewhere": {"kind": "level", "from": "KOR", "to": "MYS", "channel": "embassy",
                          "date": datetime.date(2016, 1, 1), "value": 3},
            "broken": {"kind": "level", "channel": "embassy", "date": "not a date"},
        }
        ties = tp.read_csv(os.path.join(self.base, "ties.csv"), "ties.csv")
        data = plot_trajectories.compute(ties, "MYS", "PRK", scn)
        got = {t["id"]: t for t in data["targets"]}
        self.assertEqual(sorted(got), ["recall", "relative", "trade_value"])
        self.assertEqual((got["recall"]["y"], got["recall"]["op"]), (1.0, "<="))
        self.assertEqual(got["recall"]["window"],
                         (pd.Timestamp("2016-06-01"), pd.Timestamp("2016-09-01")))
        self.assertIsNone(got["trade_value"]["y"])  # a value target: its window, no level
        self.assertIsNone(got["relative"]["y"])     # relative to a baseline: no absolute level
        fig = plot_trajectories.draw(data)
        self.assertEqual(len(fig.axes), 2)

    def test_chunked_reading_gives_the_same_data(self):
        _, whole = plot_trajectories.plot(self.base, "MYS", "PRK", both_ways=True)
        saved = tp.CHUNK_ROWS
        tp.CHUNK_ROWS = 97  # many small chunks, boundaries anywhere
        try:
            _, chunked = plot_trajectories.plot(self.base, "MYS", "PRK", both_ways=True)
        finally:
            tp.CHUNK_ROWS = saved
        pd.testing.assert_frame_equal(whole["series"], chunked["series"])
        self.assertEqual(whole["names"], chunked["names"])

    def test_non_numeric_level(self):
        d = os.path.join(self.tmp, "bad_level")
        shutil.copytree(self.base, d, dirs_exist_ok=True)
        t = pd.read_csv(os.path.join(d, "ties.csv"), dtype=str, keep_default_na=False)
        t.loc[5, "level"] = "high"
        t.to_csv(os.path.join(d, "ties.csv"), index=False)
        out = self.out("bad_level.png")
        status, _, err = run_quiet(plot_trajectories.main, [d, "--from", "MYS", "--to", "PRK",
                                                            "-o", out])
        self.assertEqual(status, 2)
        self.assertIn("column level must be numeric", err)
        self.assertFalse(os.path.exists(out))

    def test_subprocess_from_other_cwd(self):
        out = self.out("traj_sub.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_trajectories.py"), self.base,
                            "--from", "MYS", "--to", "PRK", "-o", out],
                           cwd=self.tmp, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)

    def test_date_window(self):
        fig, data = plot_trajectories.plot(self.base, "MYS", "PRK", scenario=self.scenario,
                                           start="2016-01-01", end="2016-12-31")
        s = data["series"]
        self.assertEqual(s["date"].min(), pd.Timestamp("2016-01-01"))
        self.assertEqual(s["date"].max(), pd.Timestamp("2016-12-01"))
        # the recall target (2017-01-01) is outside; the trade window is clipped to the data
        self.assertEqual([t["id"] for t in data["targets"]], ["trade_falls"])
        self.assertEqual(data["targets"][0]["window"][1], pd.Timestamp("2016-12-01"))
        status, _, err = run_quiet(plot_trajectories.main, [self.base, "--start", "2030-01-01",
                                                            "-o", self.out("late.png")])
        self.assertEqual(status, 2)
        self.assertIn("no rows dated", err)
        self.assertFalse(os.path.exists(self.out("late.png")))

    def test_missing_columns(self):
        d, path = self.write_broken("ties.csv", os.path.join(self.base, "ties.csv"),
                                    ["level", "level_name"])
        out = self.out("traj_bad.png")
        self.assert_rejects(plot_trajectories.main, [d, "--from", "MYS", "--to", "PRK", "-o", out],
                            path, ["level", "level_name"], out)
        # and as a subprocess
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_trajectories.py"), d,
                            "--from", "MYS", "--to", "PRK", "-o", out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing columns level, level_name", r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_unknown_dyad(self):
        status, _, err = run_quiet(plot_trajectories.main,
                                   [self.base, "--from", "MYS", "--to", "XXX", "-o", self.out("x.png")])
        self.assertEqual(status, 2)
        self.assertIn("XXX", err)


# ---------------------------------------------------------------------------
# heat map


class TestHeatmap(PlotTestCase):
    def test_channel(self):
        out = self.out("heat_trade.png")
        status, _, err = run_quiet(plot_heatmap.main,
                                   [self.base, "--actor", "MYS", "--channel", "trade", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        m = plot_heatmap.last_data["matrix"]
        t = self.ties[(self.ties["from"] == "MYS") & (self.ties["channel"] == "trade")]
        self.assertEqual(sorted(m.index), ["KOR", "PRK"])
        self.assertEqual(list(m.columns), sorted(t["date"].unique()))
        # each cell is a median of five replicates' levels: one of them, on the ladder
        observed = t.groupby(["to", "date"])["level"].apply(set)
        for partner in m.index:
            for date in m.columns:
                self.assertIn(m.loc[partner, date], observed[(partner, date)], (partner, date))
        self.assertTrue(((m >= 0) & (m <= CHANNELS["trade"][1])).all().all())

    def test_tie_index_default_and_mesh(self):
        fig, data = plot_heatmap.plot(self.base, "MYS")
        m = data["matrix"]
        self.assertEqual(m.shape, (2, N_STEPS))
        self.assertTrue(((m >= 0) & (m <= 1)).all().all())  # a tie index is a share of the ladders
        # the colour mesh holds exactly that matrix, rows in the order drawn
        mesh = fig.axes[0].collections[0]
        np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(m.shape), m.to_numpy())
        # strongest partner on top: MYS's ties with the sanctioned PRK are the weaker
        self.assertEqual(list(m.index), ["KOR", "PRK"])
        means = m.mean(axis=1)
        self.assertGreater(means["KOR"], means["PRK"])

    def test_subprocess_and_missing_columns(self):
        out = self.out("heat_sub.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_heatmap.py"), self.base,
                            "--actor", "MYS", "--tie-index", "-o", out],
                           cwd=self.tmp, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)
        d, path = self.write_broken("dyads.csv", os.path.join(self.base, "dyads.csv"), ["tie_index"])
        bad = self.out("heat_bad.png")
        self.assert_rejects(plot_heatmap.main, [d, "--actor", "MYS", "-o", bad], path,
                            ["tie_index"], bad)


# ---------------------------------------------------------------------------
# why


class TestWhy(PlotTestCase):
    def test_terms_and_pressure(self):
        out = self.out("why.png")
        status, _, err = run_quiet(plot_why.main, [self.base, "--actor", "MYS", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        data = plot_why.last_data
        a = self.actors[self.actors["actor"] == "MYS"]
        for term in tp.UTILITY_TERMS:
            got = data["terms"][data["terms"]["term"] == term].set_index("date")
            assert_band(self, got, a, term, -np.inf, np.inf)
        # the costs are costs: never above zero; pressure never below
        for term in ("violation", "scrutiny", "alignment"):
            self.assertLessEqual(data["terms"][data["terms"]["term"] == term]["hi"].max(), 0.0, term)
        got = data["pressure"].set_index("date")
        assert_band(self, got, a, "pressure", 0.0, np.inf)
        # sanctions bind from March 2016: pressure is zero before, and MYS feels some after
        self.assertEqual(got.loc[:"2016-02-01", "hi"].max(), 0.0)
        self.assertGreater(got.loc["2016-03-01":, "median"].max(), 0.0)
        # the net utility's median lies within the range of the replicates' sums of terms
        net = a.assign(net=a[tp.UTILITY_TERMS].sum(axis=1)).groupby("date")["net"]
        median = data["net"].set_index("date")["median"]
        self.assertTrue((median >= net.min() - 1e-9).all() and (median <= net.max() + 1e-9).all())

    def test_stacked_subprocess(self):
        out = self.out("why_stacked.svg")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_why.py"), self.base,
                            "--actor", "MYS", "--stacked", "-o", out],
                           cwd="/", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out, ".svg")

    def test_missing_columns(self):
        d, path = self.write_broken("actors.csv", os.path.join(self.base, "actors.csv"),
                                    ["pressure", "scrutiny"])
        out = self.out("why_bad.png")
        self.assert_rejects(plot_why.main, [d, "--actor", "MYS", "-o", out], path,
                            ["pressure", "scrutiny"], out)

    def test_unknown_actor(self):
        status, _, err = run_quiet(plot_why.main, [self.base, "--actor", "ZZZ",
                                                   "-o", self.out("why_x.png")])
        self.assertEqual(status, 2)
        self.assertIn("ZZZ", err)


# ---------------------------------------------------------------------------
# counterfactual


class TestCounterfactual(PlotTestCase):
    def test_channel_paired_by_replicate(self):
        out = self.out("cf.png")
        status, _, err = run_quiet(plot_counterfactual.main,
                                   [self.base, self.variant, "--from", "MYS", "--to", "PRK",
                                    "--channel", "embassy", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        data = plot_counterfactual.last_data
        vt = pd.read_csv(os.path.join(self.variant, "ties.csv"), parse_dates=["date"])

        def sel(t):
            return t[(t["from"] == "MYS") & (t["to"] == "PRK") & (t["channel"] == "embassy")]

        # one pair per replicate and date, each side the level its run wrote
        paired = data["paired"]
        self.assertEqual(len(paired), N_REPLICATES * N_STEPS)
        self.assertFalse(paired.duplicated(["replicate", "date"]).any())
        for side, ties in (("base", self.ties), ("variant", vt)):
            m = paired.merge(sel(ties), on=["replicate", "date"])
            self.assertEqual(len(m), len(paired))
            self.assertTrue((m[side] == m["level"]).all(), side)
        top = CHANNELS["embassy"][1]
        self.assertTrue(paired["diff"].between(-top, top).all())
        # the same draws: compliance enters nothing before the sanctions bind (March 2016), so until then
        # every replicate's two runs are the same (independent draws would part them within months)
        before = paired[paired["date"] < pd.Timestamp("2016-03-01")]
        self.assertEqual(len(before), N_REPLICATES * 12)
        self.assertTrue((before["diff"] == 0).all())
        got = data["diff"].set_index("date")
        assert_band(self, got, paired, "diff", -top, top)

    def test_tie_index_subprocess(self):
        out = self.out("cf_sub.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_counterfactual.py"),
                            self.base, self.variant, "--from", "MYS", "--to", "PRK",
                            "--tie-index", "-o", out],
                           cwd=self.tmp, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)

    def test_missing_columns(self):
        d, path = self.write_broken("dyads.csv", os.path.join(self.variant, "dyads.csv"),
                                    ["replicate"])
        out = self.out("cf_bad.png")
        self.assert_rejects(plot_counterfactual.main,
                            [self.base, d, "--from", "MYS", "--to", "PRK", "-o", out],
                            path, ["replicate"], out)


class TestFan(PlotTestCase):
    def test_nested_bands_per_run_and_the_dyad_targets(self):
        out = self.out("fan.png")
        status, _, err = run_quiet(plot_fan.main, [self.base, self.variant, "--from", "MYS", "--to", "PRK",
                                                   "--bands", "50", "90", "--labels", "base", "lax", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        data = plot_fan.last_data
        self.assertEqual([fan["label"] for fan in data["fans"]], ["base", "lax"])
        raw = self.dyads[(self.dyads["from"] == "MYS") & (self.dyads["to"] == "PRK")]
        base = data["fans"][0]
        self.assertEqual(base["replicates"], N_REPLICATES)
        wide, narrow = base["bands"][90.0].set_index("date"), base["bands"][50.0].set_index("date")
        assert_band(self, wide, raw, "tie_index", 0, 1)
        # nested: the 50% band lies within the 90% band at every date, and both share the median
        self.assertTrue((wide["lo"] <= narrow["lo"] + 1e-12).all() and (narrow["hi"] <= wide["hi"] + 1e-12).all())
        self.assertTrue((wide["median"] == narrow["median"]).all())
        # the 90% band is the 5th to 95th percentile of the replicates' tie index
        expected = raw.groupby("date")["tie_index"].quantile(0.95)
        self.assertTrue(np.allclose(wide["hi"].to_numpy(), expected.reindex(wide.index).to_numpy()))
        # every target of plots.toml that names MYS and PRK (either way) is drawn, and no other
        names = lambda ids, a: "*" in ids or a in ids  # noqa: E731
        wanted = sorted(t["id"] for t in tp.scenario_targets(tp.load_scenario(SCENARIO))
                        if ("date" in t or "window" in t)
                        and ((names(t.get("from", []), "MYS") and names(t.get("to", []), "PRK"))
                             or (names(t.get("from", []), "PRK") and names(t.get("to", []), "MYS"))))
        self.assertTrue(wanted)
        self.assertEqual(sorted(data["targets"]), wanted)

    def test_only_the_targets_the_dates_shown_judge(self):
        out = self.out("fan_window.png")
        status, _, err = run_quiet(plot_fan.main, [self.base, "--from", "MYS", "--to", "PRK", "--end", "2016-06-01", "-o", out])
        self.assertEqual(status, 0, err)
        targets = plot_fan.last_data["targets"]
        self.assertIn("trade_falls", targets)  # its window (from 2016-03) reaches into the dates shown
        self.assertNotIn("recall", targets)    # dated 2017-01-01, after them

    def test_channel_subprocess_and_bad_bands(self):
        out = self.out("fan_embassy.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_fan.py"), self.base, "--from", "MYS", "--to", "PRK",
                            "--channel", "embassy", "-o", out], cwd=self.tmp, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)
        bad = self.out("fan_bad.png")
        status, _, err = run_quiet(plot_fan.main, [self.base, "--from", "MYS", "--to", "PRK", "--bands", "100", "-o", bad])
        self.assertEqual(status, 2)
        self.assertIn("--bands", err)
        self.assertFalse(os.path.exists(bad))
        status, _, err = run_quiet(plot_fan.main, [self.base, self.variant, "--from", "MYS", "--to", "PRK",
                                                   "--labels", "one", "-o", bad])
        self.assertEqual(status, 2)
        self.assertIn("--labels: 1 labels for 2 runs", err)


# ---------------------------------------------------------------------------
# sweep and sensitivity


class TestSweep(PlotTestCase):
    def test_one_parameter(self):
        out = self.out("sweep1.png")
        status, _, err = run_quiet(plot_sweep.main,
                                   [self.runs, "--metric", "tie_index_2017",
                                    "--param", "actors.MYS.compliance", "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        data = plot_sweep.last_data
        runs = pd.read_csv(self.runs)
        groups = runs.groupby("actors.MYS.compliance")["tie_index_2017"]
        line = data["line"]
        np.testing.assert_allclose(line["x"], sorted(runs["actors.MYS.compliance"].unique()))
        self.assertEqual(int(line["n"].sum()), len(runs))
        # a median and band per point, within the range of its runs
        self.assertTrue((line["lo"] <= line["median"]).all() and (line["median"] <= line["hi"]).all())
        self.assertTrue((line["lo"].to_numpy() >= groups.min().to_numpy()).all())
        self.assertTrue((line["hi"].to_numpy() <= groups.max().to_numpy()).all())
        # the metric falls with compliance in this design, and so does the line
        self.assertLess(line["median"].iloc[-1], line["median"].iloc[0])

    def test_a_0_1_metric_is_drawn_as_a_share_with_its_interval(self):
        fig, data = plot_sweep.plot(self.runs, "cut", "actors.MYS.compliance")
        self.assertTrue(data["binary"])
        runs = pd.read_csv(self.runs)
        line = data["line"].set_index("x")
        shares = runs.groupby("actors.MYS.compliance")["cut"].mean()
        np.testing.assert_allclose(line["median"].to_numpy(), shares.to_numpy())  # the share, not a median of 0s and 1s
        self.assertTrue(((line["lo"] >= 0) & (line["lo"] <= line["median"] + 1e-12)).all())
        self.assertTrue(((line["hi"] <= 1) & (line["hi"] >= line["median"] - 1e-12)).all())
        self.assertTrue((line["hi"] - line["lo"] > 0.05).all())  # an interval even at a share of 0 or 1
        # Wilson's interval at 1 of 12 runs: its ends are the shares p0 that the score test at 90% just accepts,
        # (p̂ − p0)² = z² p0 (1 − p0) / n, one on each side of p̂
        one = pd.DataFrame({"m": [1] + [0] * 11})
        w = plot_sweep.share_bins(one, pd.Series([0] * 12), "m").iloc[0]
        z, n, p = 1.6449, 12.0, 1 / 12
        for end in (w["lo"], w["hi"]):
            self.assertAlmostEqual((p - end) ** 2, z * z * end * (1 - end) / n)
        self.assertLess(w["lo"], p)
        self.assertGreater(w["hi"], p)
        fig, data = plot_sweep.plot(self.runs, "cut", "actors.MYS.compliance", "model.balance")
        cells = runs.groupby(["model.balance", "actors.MYS.compliance"])["cut"].mean().unstack()
        np.testing.assert_allclose(data["grid"].to_numpy(), cells.to_numpy())
        self.assertFalse(plot_sweep.plot(self.runs, "tie_index_2017", "actors.MYS.compliance")[1]["binary"])

    def test_binned_parameter(self):
        fig, data = plot_sweep.plot(self.runs, "tie_index_2017", "actors.MYS.compliance", bins=3)
        self.assertEqual(len(data["line"]), 3)
        self.assertEqual(int(data["line"]["n"].sum()), 72)

    def test_two_parameters_subprocess(self):
        out = self.out("sweep2.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_sweep.py"), self.runs,
                            "--metric", "tie_index_2017", "--param", "actors.MYS.compliance",
                            "--param2", "model.balance", "-o", out],
                           cwd="/", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)
        fig, data = plot_sweep.plot(self.runs, "tie_index_2017", "actors.MYS.compliance",
                                    "model.balance")
        runs = pd.read_csv(self.runs)
        grid = data["grid"]
        self.assertEqual(grid.shape, (4, 6))  # balance by compliance
        groups = runs.groupby(["model.balance", "actors.MYS.compliance"])["tie_index_2017"]
        balances, compliances = sorted(runs["model.balance"].unique()), sorted(runs["actors.MYS.compliance"].unique())
        for (balance, compliance), values in groups:  # three runs a cell: their median is one of them
            cell = grid.to_numpy()[balances.index(balance), compliances.index(compliance)]
            self.assertIn(cell, list(values))
        mesh = fig.axes[0].collections[0]
        np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(grid.shape), grid.to_numpy())

    def test_missing_metric_column(self):
        out = self.out("sweep_bad.png")
        self.assert_rejects(plot_sweep.main, [self.runs, "--metric", "nope", "--param",
                                              "model.balance", "-o", out],
                            self.runs, ["nope"], out)
        d, path = self.write_broken("runs.csv", self.runs, ["point", "seed"])
        self.assert_rejects(plot_sweep.main, [path, "--metric", "tie_index_2017",
                                              "--param", "model.balance", "-o", out],
                            path, ["point", "seed"], out)


class TestSensitivity(PlotTestCase):
    def test_bars(self):
        out = self.out("sens.png")
        status, _, err = run_quiet(plot_sensitivity.main, [self.sensitivity, "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        bars = plot_sensitivity.last_data["bars"]
        s = pd.read_csv(self.sensitivity)
        m = bars.merge(s, on=["metric", "parameter", "method", "index"], suffixes=("", "_csv"))
        self.assertEqual(len(m), len(s))
        np.testing.assert_allclose(m["value"], m["value_csv"])
        # bars sorted by total effect, largest on top
        st = bars[bars["index"] == "ST"].sort_values("y", ascending=False)
        self.assertEqual(st["parameter"].iloc[0], "actors.MYS.compliance")

    def test_bar_widths_subprocess_and_missing(self):
        fig, data = plot_sensitivity.plot(self.sensitivity)
        widths = sorted(p.get_width() for p in fig.axes[0].patches)
        np.testing.assert_allclose(widths, sorted(pd.read_csv(self.sensitivity)["value"]))
        out = self.out("sens_sub.svg")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_sensitivity.py"),
                            self.sensitivity, "-o", out],
                           cwd="/", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out, ".svg")
        d, path = self.write_broken("sensitivity.csv", self.sensitivity, ["lo", "hi"])
        bad = self.out("sens_bad.png")
        self.assert_rejects(plot_sensitivity.main, [path, "-o", bad], path, ["lo", "hi"], bad)


# ---------------------------------------------------------------------------
# scorecard


class TestScorecard(PlotTestCase):
    def test_scorecard(self):
        out = self.out("score.png")
        status, _, err = run_quiet(plot_scorecard.main, [self.validation, "-o", out])
        self.assertEqual(status, 0, err)
        self.assert_image(out)
        data = plot_scorecard.last_data["targets"]
        v = pd.read_csv(self.validation)
        m = data.merge(v, on="target", suffixes=("", "_csv"))
        self.assertEqual(sorted(m["target"]), ["about_kor", "recall", "trade_falls"])
        np.testing.assert_allclose(m["hit_rate"], m["hit_rate_csv"])
        np.testing.assert_allclose(m["threshold"], m["threshold_csv"])
        self.assertEqual(list(m["pass"]), list(m["pass_csv"]))
        # the fail colour marks exactly the targets missed (the validation misses at least one)
        self.assertIn(False, list(m["pass"]))
        self.assertEqual(list(m["colour"] == tp.FAIL_COLOUR), [not x for x in m["pass"]])

    def test_subprocess_and_missing(self):
        out = self.out("score_sub.png")
        r = subprocess.run([PYTHON, os.path.join(ANALYSIS, "plot_scorecard.py"),
                            self.validation, "-o", out],
                           cwd="/", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_image(out)
        d, path = self.write_broken("validation.csv", self.validation, ["threshold"])
        bad = self.out("score_bad.png")
        self.assert_rejects(plot_scorecard.main, [path, "-o", bad], path, ["threshold"], bad)
        # a file that is not CSV at all, and a wrong image extension
        status, _, err = run_quiet(plot_scorecard.main, [self.validation, "-o", self.out("x.jpg")])
        self.assertEqual(status, 2)
        self.assertIn(".png", err)


# ---------------------------------------------------------------------------
# shared module


class TestShared(unittest.TestCase):
    def test_every_script_has_help_and_is_executable(self):
        for name in ("plot_trajectories.py", "plot_heatmap.py", "plot_why.py",
                     "plot_counterfactual.py", "plot_fan.py", "plot_sweep.py", "plot_sensitivity.py",
                     "plot_scorecard.py", "counterfactual_effects.py"):
            path = os.path.join(ANALYSIS, name)
            with open(path, encoding="utf-8") as f:
                self.assertEqual(f.readline().strip(), "#!/usr/bin/python3", name)
            self.assertTrue(os.access(path, os.X_OK), name)
            r = subprocess.run([path, "--help"], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, name + r.stderr)
            self.assertIn("--output", r.stdout, name)

    def test_summarise_matches_pandas(self):
        df = pd.DataFrame({"date": [1, 1, 1, 2, 2, 2], "v": [0, 1, 3, 2, 2, 5]})
        s = tp.summarise(df, "date", "v").set_index("date")
        self.assertEqual(list(s["median"]), [1.0, 2.0])
        self.assertAlmostEqual(s.loc[1, "lo"], 0.2)
        self.assertAlmostEqual(s.loc[2, "hi"], 4.4)

    def test_na_actor_id_stays_text(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "dyads.csv")
            with open(p, "w") as f:
                f.write(",".join(tp.COLUMNS["dyads.csv"]) + "\n0,0,0,2020-01-01,NA,MYS,0.1,0.5\n")
            df = tp.read_csv(p, "dyads.csv")
            self.assertEqual(df["from"].iloc[0], "NA")

    def test_bad_dates_and_empty_file(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "dyads.csv")
            with open(p, "w") as f:
                f.write(",".join(tp.COLUMNS["dyads.csv"]) + "\n0,0,0,01/02/2020,A,B,0.1,0.5\n")
            with self.assertRaisesRegex(tp.InputError, "ISO dates"):
                tp.read_csv(p, "dyads.csv")
            open(p, "w").close()
            with self.assertRaisesRegex(tp.InputError, "missing columns run"):
                tp.read_csv(p, "dyads.csv")

    def test_scenario_extends_and_remove(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "base.toml"), "w") as f:
                f.write('[events.a]\ndate = 2016-01-01\nkind = "incident"\n'
                        '[events.b]\ndate = 2016-02-01\nkind = "incident"\nlabel = "B"\n')
            with open(os.path.join(d, "variant.toml"), "w") as f:
                f.write('extends = "base.toml"\nremove = ["events.a"]\n'
                        '[events.c]\ndate = "2016-03-01"\nkind = "role"\n')
            ev = tp.scenario_events(tp.load_scenario(os.path.join(d, "variant.toml")))
            self.assertEqual(list(ev["label"]), ["B", "c"])

    def test_step_edges_monthly(self):
        e = tp.step_edges(pd.to_datetime(["2016-01-01", "2016-02-01", "2016-03-01"]))
        self.assertEqual(e[-1], pd.Timestamp("2016-04-01"))


if __name__ == "__main__":
    unittest.main()
