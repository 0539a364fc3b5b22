#!/usr/bin/python3
"""Test of analysis/leave_one_state_out.py on scenarios/minimal.toml with its two targets named after states.

Run from the repository root (ctest runs it within analysis.plots, with TIESIM set to the program it built):
    TIESIM=build/tiesim /usr/bin/python3 -m unittest analysis/tests/test_leave_one_state_out.py -v
"""

import csv
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCRIPT = HERE.parent / "leave_one_state_out.py"
TIESIM = os.environ.get("TIESIM", str(ROOT / "build" / "tiesim"))


class LeaveOneStateOut(unittest.TestCase):
    def test_each_state_is_fitted_without_its_targets_and_judged_on_them(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            text = (ROOT / "scenarios" / "minimal.toml").read_text(encoding="utf-8")
            text = text.replace("[targets.trade_cut_under_sanctions]", "[targets.mid_trade_cut]")
            text = text.replace("[targets.embassies_hold]", "[targets.big_embassies_hold]")
            scenario = tmp / "states.toml"
            scenario.write_text(text, encoding="utf-8")
            out = tmp / "loso"
            result = subprocess.run(
                [sys.executable, str(SCRIPT), str(scenario), "--free", "actors.MID.pressure_sensitivity=0.5:4",
                 "--budget", "3", "--replicates", "4", "--validate-replicates", "8", "--tiesim", TIESIM, "-o", str(out)],
                capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("states' records met out of sample", result.stdout)
            with open(out / "summary.csv", newline="") as f:
                summary = {row["state"]: row for row in csv.DictReader(f)}
            self.assertEqual(sorted(summary), ["big", "mid"])
            with open(out / "loso.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            # each state is judged on its own targets only, with a hit rate from the validation of the whole scenario
            self.assertEqual(sorted((row["state"], row["target"]) for row in rows),
                             [("big", "big_embassies_hold"), ("mid", "mid_trade_cut")])
            for row in rows:
                self.assertTrue(0.0 <= float(row["hit_rate"]) <= 1.0)
                self.assertIn("actors.MID.pressure_sensitivity=", row["fitted"])
            # the fit that leaves a state out sees only the other state's target
            check = subprocess.run([TIESIM, "check", str(out / "mid" / "without.toml")], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertRegex(check.stdout, r"targets\s+1\b")
            with open(out / "mid" / "fit" / "fit.csv", newline="") as f:
                self.assertEqual([row["target"] for row in csv.DictReader(f)], ["big_embassies_hold"])


if __name__ == "__main__":
    unittest.main()
