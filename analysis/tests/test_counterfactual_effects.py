#!/usr/bin/python3
"""Tests of analysis/counterfactual_effects.py on scenarios/minimal.toml (ctest runs them within analysis.plots,
with TIESIM set to the program it built)."""

import csv
import io
import pathlib
import sys
import tempfile
import tomllib
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

import counterfactual_effects  # noqa: E402

MINIMAL = ROOT / "scenarios" / "minimal.toml"

# a world without the sanctions regime, which drops the base's fact of the trade cut and expects the opposite
NO_SANCTIONS = f'''extends = "{MINIMAL}"
remove = ["events.tightening", "regimes.un_sanctions", "targets.trade_cut_under_sanctions"]
[targets.trade_goes_on]
kind = "level"
from = "MID"
to = "PAR"
channel = "trade"
date = 2005-12-01
compare = ">"
value = "small"
share = 0.5
'''


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = counterfactual_effects.main(argv)
    return status, out.getvalue(), err.getvalue()


def read_effects(path):
    with open(path, newline="") as f:
        return {row["target"]: row for row in csv.DictReader(f)}


class CounterfactualEffects(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = pathlib.Path(cls.tmp.name)
        (cls.dir / "no_sanctions.toml").write_text(NO_SANCTIONS)
        (cls.dir / "same.toml").write_text(f'extends = "{MINIMAL}"\n')
        cls.status, cls.printed, cls.errors = run([str(cls.dir / "no_sanctions.toml"), str(cls.dir / "same.toml"),
                                                   "--replicates", "40", "--seed", "2", "-o", str(cls.dir / "out")])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_variant_is_scored_by_the_base_targets_it_removed(self):
        self.assertEqual(self.status, 0, self.errors)
        scored = tomllib.loads((self.dir / "out" / "no_sanctions" / "scored.toml").read_text())
        base = tomllib.loads(MINIMAL.read_text())
        self.assertEqual(scored["targets"]["trade_cut_under_sanctions"], base["targets"]["trade_cut_under_sanctions"])
        self.assertNotIn("embassies_hold", scored.get("targets", {}))  # never removed: inherited, not copied
        with open(self.dir / "out" / "no_sanctions" / "hits.csv", newline="") as f:
            header = next(csv.reader(f))
        self.assertIn("trade_cut_under_sanctions", header)
        self.assertIn("trade_goes_on", header)  # the variant's own target is validated too

    def test_without_sanctions_the_trade_cut_is_rarer_beyond_the_dice(self):
        rows = read_effects(self.dir / "out" / "no_sanctions" / "effects.csv")
        cut = rows["trade_cut_under_sanctions"]
        self.assertLess(float(cut["effect"]), 0)
        self.assertLess(float(cut["hi"]), 0)
        self.assertEqual(int(cut["replicates"]), 40)
        self.assertIn("in one file only, not compared: trade_goes_on", self.printed)

    def test_an_unchanged_world_has_no_effect_at_all(self):
        for row in read_effects(self.dir / "out" / "same" / "effects.csv").values():
            self.assertEqual((float(row["effect"]), float(row["lo"]), float(row["hi"])), (0.0, 0.0, 0.0))

    def test_a_target_removed_and_defined_anew_is_not_compared(self):
        redefined = NO_SANCTIONS.replace("[targets.trade_goes_on]", "[targets.trade_cut_under_sanctions]")
        (self.dir / "redefined.toml").write_text(redefined)
        status, printed, errors = run([str(self.dir / "redefined.toml"), "--replicates", "10", "-o", str(self.dir / "out2")])
        self.assertEqual(status, 0, errors)
        self.assertNotIn("trade_cut_under_sanctions", read_effects(self.dir / "out2" / "redefined" / "effects.csv"))
        self.assertIn("defined anew (another question, not compared): trade_cut_under_sanctions", printed)

    def test_a_variant_that_extends_nothing_is_refused(self):
        (self.dir / "alone.toml").write_text('[scenario]\nname = "alone"\n')
        status, _, errors = run([str(self.dir / "alone.toml"), "-o", str(self.dir / "out3")])
        self.assertEqual(status, 2)
        self.assertIn("must `extends` the base scenario", errors)
        self.assertFalse((self.dir / "out3" / "base").exists())


if __name__ == "__main__":
    unittest.main()
