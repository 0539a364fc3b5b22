#!/usr/bin/python3
"""Tests of tiesim validate's hits.csv and of analysis/paired_effects.py, on scenarios/minimal.toml (ctest runs
them within analysis.plots, with TIESIM set to the program it built)."""

import csv
import io
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

import paired_effects  # noqa: E402

TIESIM = os.environ.get("TIESIM", str(ROOT / "build" / "tiesim"))
MINIMAL = str(ROOT / "scenarios" / "minimal.toml")


def validate(out, *extra, seed="3", replicates="40"):
    subprocess.run([TIESIM, "validate", MINIMAL, "--seed", seed, "--replicates", replicates, "-o", str(out), *extra],
                   capture_output=True)  # exit 1 when a target is missed: a result here
    return out / "hits.csv"


class PairedEffects(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = pathlib.Path(cls.tmp.name)
        cls.base = validate(cls.dir / "base")
        # a middle power that neither honours the caps nor feels scrutiny cuts its trade less often
        cls.variant = validate(cls.dir / "lax", "--set", "actors.MID.compliance=0", "--set", "actors.MID.pressure_sensitivity=0")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_hits_csv_is_validation_csv_replicate_by_replicate(self):
        with open(self.base, newline="") as f:
            rows = list(csv.DictReader(f))
        with open(self.dir / "base" / "validation.csv", newline="") as f:
            validation = {row["target"]: row for row in csv.DictReader(f)}
        seeds = json.loads((self.dir / "base" / "validation.json").read_text())["replicate_seeds"]
        self.assertEqual([int(row["replicate"]) for row in rows], list(range(40)))
        self.assertEqual([int(row["seed"]) for row in rows], seeds)
        for target, row in validation.items():
            self.assertEqual(sum(int(r[target]) for r in rows), int(row["hits"]), target)

    def test_a_counterfactual_effect_with_its_interval(self):
        out = self.dir / "effects.csv"
        with redirect_stdout(io.StringIO()):
            self.assertEqual(paired_effects.main([str(self.base), str(self.variant), "-o", str(out)]), 0)
        with open(out, newline="") as f:
            effects = {row["target"]: row for row in csv.DictReader(f)}
        cut = effects["trade_cut_under_sanctions"]
        self.assertLess(float(cut["effect"]), 0)
        self.assertAlmostEqual(float(cut["effect"]), float(cut["variant_rate"]) - float(cut["base_rate"]))
        self.assertLessEqual(float(cut["lo"]), float(cut["effect"]))
        self.assertLessEqual(float(cut["effect"]), float(cut["hi"]))
        self.assertLess(float(cut["hi"]), 0)  # 40 paired replicates are enough to tell this effect from none
        self.assertEqual(float(cut["effect"]) * 40, int(cut["up"]) - int(cut["down"]))

    def test_the_same_run_twice_has_no_effect(self):
        again = validate(self.dir / "again")
        rows, only = paired_effects.effects(str(self.base), str(again))
        self.assertEqual(only, [])
        for row in rows:
            self.assertEqual((row["effect"], row["lo"], row["hi"], row["up"], row["down"]), (0, 0, 0, 0, 0))

    def test_replicates_that_are_not_paired_are_refused(self):
        other = validate(self.dir / "other", seed="4")
        with redirect_stderr(io.StringIO()) as err:
            self.assertEqual(paired_effects.main([str(self.base), str(other)]), 2)
        self.assertIn("same --seed", err.getvalue())


if __name__ == "__main__":
    unittest.main()
