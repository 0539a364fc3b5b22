#!/usr/bin/python3
"""Tests of the plotting scripts in analysis/, on synthetic tiesim output.

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s analysis/tests -v
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

import matplotlib.image as mpimg  # noqa: E402

import plot_counterfactual  # noqa: E402
import plot_heatmap  # noqa: E402
import plot_scorecard  # noqa: E402
import plot_sensitivity  # noqa: E402
import plot_sweep  # noqa: E402
import plot_trajectories  # noqa: E402
import plot_why  # noqa: E402

PYTHON = "/usr/bin/python3"

# ---------------------------------------------------------------------------
# synthetic tiesim output

ACTORS = ["MYS", "PRK", "KOR"]
CHANNELS = {
    # id: (kind, level names, values per level)
    "embassy": ("directed", ["none", "charge", "minister", "ambassador"], None),
    "trade": ("mutual", ["none", "low", "high"], [0.0, 5.0, 20.0]),
}
N_REPLICATES = 3
N_STEPS = 24
START = pd.Timestamp("2015-03-01")

SCENARIO_TOML = """\
[scenario]
name = "synthetic"
start = 2015-03-01
end = 2017-02-01

[plot]
focal = ["MYS", "PRK"]

[channels.embassy]
kind = "directed"
levels = ["none", "charge", "minister", "ambassador"]

[channels.trade]
kind = "mutual"
levels = ["none", "low", "high"]
values = [0, 5, 20]
unit = "USD m"

[events.unsc_2270]
date = 2016-03-02
kind = "resolution"
label = "UNSC 2270"

[events.test5]
date = "2016-09-09"
kind = "provocation"
actor = "PRK"
label = "5th nuclear test"

[events.long_before]
date = 1973-06-30
kind = "agreement"
label = "relations established"

[[targets]]
id = "recall"
kind = "level_at"
date = 2017-01-01
from = "MYS"
to = "PRK"
channel = "embassy"
level = "none"

[[targets]]
id = "trade_falls"
kind = "first_change"
window = [2016-03-01, 2016-12-01]
from = "MYS"
to = "PRK"
channel = "trade"

[[targets]]
id = "about_kor"
kind = "level_at"
date = 2016-01-01
from = "MYS"
to = "KOR"
channel = "embassy"
level = 3
"""


def month(k):
    return START + pd.DateOffset(months=k)


def make_output(directory, shift=0.0, seed=1):
    """Write a small tiesim output directory; returns its path.

    shift lowers MYS→PRK levels (a 'variant'); seed keys the noise, so a base
    and a variant with the same seed share their draws replicate by replicate
    (common random numbers), as with tiesim.
    """
    os.makedirs(directory, exist_ok=True)
    scen_path = os.path.join(directory, "scenario.toml")
    with open(scen_path, "w", encoding="utf-8") as f:
        f.write(SCENARIO_TOML)
    with open(scen_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    ties, dyads, actors, events = [], [], [], []
    for rep in range(N_REPLICATES):
        noise = np.random.default_rng([seed, rep])  # one stream per (seed, replicate)
        mutual_level = {}
        for k in range(N_STEPS):
            date = month(k).strftime("%Y-%m-%d")
            for a in ACTORS:
                for b in ACTORS:
                    if a == b:
                        continue
                    index_parts = []
                    for ch, (kind, names, values) in CHANNELS.items():
                        top = len(names) - 1
                        if kind == "mutual" and (b, a, k) in mutual_level:
                            level = mutual_level[(b, a, k)]
                        else:
                            base = top - (k / N_STEPS) * top * (1.0 if "PRK" in (a, b) else 0.2)
                            if a == "MYS" and b == "PRK":
                                base -= shift
                            level = int(np.clip(round(base + noise.normal(0, 0.7)), 0, top))
                            mutual_level[(a, b, k)] = level
                        value = "" if values is None else values[level]
                        # as in `tiesim run`, each replicate is its own run (run = replicate)
                        ties.append([rep, rep, 100 + rep, k, date, a, b, ch, level, names[level], value])
                        index_parts.append(level / top)
                    dyads.append([rep, rep, k, date, a, b,
                                  round(float(np.tanh(noise.normal(0.2, 0.3))), 4),
                                  round(float(np.mean(index_parts)), 6)])
            for a in ACTORS:
                pressure = max(0.0, k / 6.0 + noise.normal(0, 0.4)) if a == "MYS" else 0.0
                actors.append([rep, rep, k, date, a, round(pressure, 5),
                               round(2.0 - k / 20 + noise.normal(0, 0.1), 5),
                               round(noise.normal(0.1, 0.3), 5),
                               round(0.3 + noise.normal(0, 0.05), 5),
                               round(-abs(noise.normal(0, 0.2)) * k / 10, 5),
                               round(-pressure * 0.2, 5),
                               round(-abs(noise.normal(0.1, 0.05)), 5)])
        events.append([rep, rep, "2016-03-02", "", "", "", "", "", "", "", "exogenous"])
        events.append([rep, rep, "2016-05-01", "MYS", "PRK", "embassy", 3, 2, "161", -4.0, "endogenous"])

    def write(name, header, rows):
        pd.DataFrame(rows, columns=header).to_csv(os.path.join(directory, name), index=False)

    write("ties.csv", tp.COLUMNS["ties.csv"], ties)
    write("dyads.csv", tp.COLUMNS["dyads.csv"], dyads)
    write("actors.csv", tp.COLUMNS["actors.csv"], actors)
    write("events.csv", tp.COLUMNS["events.csv"], events)
    with open(os.path.join(directory, "run.json"), "w", encoding="utf-8") as f:
        json.dump({"scenario": {"path": scen_path, "sha256": sha}, "seed": 7,
                   "replicates": N_REPLICATES, "parameters": {"model.balance": 0.1}}, f)
    return directory


def make_validation(path):
    rows = [["recall", "level_at", "embassy MYS->PRK <= 0", 0.9, 0.8, "true"],
            ["trade_falls", "first_change", "2016-03..2016-12", 0.55, 0.7, "false"],
            ["culture_holds", "level_at", "culture >= 1", 0.75, 0.6, "true"]]
    pd.DataFrame(rows, columns=tp.COLUMNS["validation.csv"]).to_csv(path, index=False)
    return path


def make_runs(path, seed=3):
    """A sweep over two parameters (6 x 4 design points, 3 replicates each)."""
    rng = np.random.default_rng(seed)
    rows = []
    run = 0
    for point, (c, b) in enumerate((c, b) for c in np.linspace(0, 1, 6) for b in (0.0, 0.1, 0.2, 0.3)):
        for rep in range(3):
            metric = 1.0 - 0.6 * c + b + rng.normal(0, 0.05)
            rows.append([run, point, rep, 100 + rep, round(c, 4), b, round(metric, 6),
                         round(rng.uniform(), 4)])
            run += 1
    header = ["run", "point", "replicate", "seed", "actors.MYS.compliance", "model.balance",
              "tie_index_2017", "recall_hit"]
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
        cls.variant = make_output(os.path.join(cls.tmp, "variant"), shift=1.0)
        cls.scenario = os.path.join(cls.base, "scenario.toml")
        cls.validation = make_validation(os.path.join(cls.tmp, "validation.csv"))
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


def expected_band(df, value, by="date", lo=0.1, hi=0.9):
    g = df.groupby(by)[value]
    return pd.DataFrame({"median": g.median(), "lo": g.quantile(lo), "hi": g.quantile(hi)})


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
        for ch in ("embassy", "trade"):
            exp = expected_band(t[t["channel"] == ch], "level")
            got = data["series"][(data["series"]["channel"] == ch)].set_index("date")
            np.testing.assert_allclose(got["median"], exp["median"])
            np.testing.assert_allclose(got["lo"], exp["lo"])
            np.testing.assert_allclose(got["hi"], exp["hi"])
            self.assertEqual(got.index.min(), t["date"].min())
            self.assertEqual(got.index.max(), t["date"].max())
            self.assertTrue((got["n"] == N_REPLICATES).all())
        # events inside the time range only, with their labels
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
        np.testing.assert_allclose(got["median"], expected_band(t, "level")["median"] / 3.0)
        self.assertLessEqual(s["hi"].max(), 1.0)

    def test_default_focal_without_scenario_is_first_dyad(self):
        d = os.path.join(self.tmp, "no_scenario")
        shutil.copytree(self.base, d, dirs_exist_ok=True)
        os.remove(os.path.join(d, "scenario.toml"))
        with open(os.path.join(d, "run.json"), "w") as f:
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
        np.testing.assert_allclose(got["median"], expected_band(t, "level")["median"])
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
        exp = t.groupby(["to", "date"])["level"].median().unstack("date")
        self.assertEqual(sorted(m.index), ["KOR", "PRK"])
        pd.testing.assert_frame_equal(m.loc[exp.index, exp.columns], exp, check_names=False,
                                      check_freq=False)
        self.assertEqual(m.columns.min(), t["date"].min())
        self.assertEqual(m.columns.max(), t["date"].max())

    def test_tie_index_default_and_mesh(self):
        fig, data = plot_heatmap.plot(self.base, "MYS")
        m = data["matrix"]
        d = self.dyads[self.dyads["from"] == "MYS"]
        exp = d.groupby(["to", "date"])["tie_index"].median().unstack("date")
        np.testing.assert_allclose(m.loc[exp.index, exp.columns].to_numpy(), exp.to_numpy())
        # the colour mesh holds exactly that matrix, rows in the order drawn
        mesh = fig.axes[0].collections[0]
        np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(m.shape), m.to_numpy())
        # strongest partner on top: KOR's ties fall less than PRK's
        self.assertEqual(list(m.index), ["KOR", "PRK"])

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
            np.testing.assert_allclose(got["median"], expected_band(a, term)["median"])
        got = data["pressure"].set_index("date")
        np.testing.assert_allclose(got["median"], expected_band(a, "pressure")["median"])
        np.testing.assert_allclose(got["hi"], expected_band(a, "pressure")["hi"])
        net = a.assign(net=a[tp.UTILITY_TERMS].sum(axis=1))
        np.testing.assert_allclose(data["net"].set_index("date")["median"],
                                   expected_band(net, "net")["median"])
        self.assertEqual(got.index.min(), a["date"].min())
        self.assertEqual(got.index.max(), a["date"].max())

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

        m = sel(self.ties).merge(sel(vt), on=["replicate", "date"], suffixes=("_b", "_v"))
        m["diff"] = m["level_v"] - m["level_b"]
        paired = data["paired"].merge(m, on=["replicate", "date"])
        self.assertEqual(len(paired), N_REPLICATES * N_STEPS)
        np.testing.assert_allclose(paired["diff_x"], paired["diff_y"])
        got = data["diff"].set_index("date")
        np.testing.assert_allclose(got["median"], expected_band(m, "diff")["median"])
        np.testing.assert_allclose(got["lo"], expected_band(m, "diff")["lo"])
        # the variant lowers the tie: the difference is never positive on median
        self.assertLessEqual(got["median"].max(), 0.0)
        self.assertEqual(got.index.min(), m["date"].min())
        self.assertEqual(got.index.max(), m["date"].max())

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
        exp = runs.groupby("actors.MYS.compliance")["tie_index_2017"]
        line = data["line"]
        np.testing.assert_allclose(line["x"], sorted(runs["actors.MYS.compliance"].unique()))
        np.testing.assert_allclose(line["median"], exp.median().to_numpy())
        np.testing.assert_allclose(line["lo"], exp.quantile(0.1).to_numpy())
        self.assertEqual(int(line["n"].sum()), len(runs))

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
        exp = runs.groupby(["model.balance", "actors.MYS.compliance"])["tie_index_2017"] \
            .median().unstack()
        np.testing.assert_allclose(data["grid"].to_numpy(), exp.to_numpy())
        mesh = fig.axes[0].collections[0]
        np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(exp.shape), exp.to_numpy())

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
        self.assertEqual(len(m), 3)
        np.testing.assert_allclose(m["hit_rate"], m["hit_rate_csv"])
        np.testing.assert_allclose(m["threshold"], m["threshold_csv"])
        self.assertEqual(list(m["pass"]), list(m["pass_csv"]))
        fail = data[data["target"] == "trade_falls"].iloc[0]
        self.assertEqual(fail["colour"], tp.FAIL_COLOUR)

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
                     "plot_counterfactual.py", "plot_sweep.py", "plot_sensitivity.py",
                     "plot_scorecard.py"):
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
