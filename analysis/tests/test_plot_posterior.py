#!/usr/bin/python3
"""Test of analysis/plot_posterior.py on a posterior that tiesim calibrate --method abc-smc writes for
scenarios/minimal.toml (ctest runs it within analysis.plots, with TIESIM set to the program it built)."""

import io
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

import plot_posterior  # noqa: E402

TIESIM = os.environ.get("TIESIM", str(ROOT / "build" / "tiesim"))


class PlotPosterior(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = pathlib.Path(cls.tmp.name) / "posterior"
        subprocess.run([TIESIM, "calibrate", str(ROOT / "scenarios" / "minimal.toml"), "--method", "abc-smc",
                        "--free", "actors.MID.pressure_sensitivity=0.25:4:log", "--free", "actors.MID.compliance=0:3",
                        "--particles", "30", "--generations", "2", "--replicates", "4", "-o", str(cls.out)],
                       check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_draws_every_parameter_on_its_prior(self):
        image = self.out / "corner.png"
        self.assertEqual(plot_posterior.main([str(self.out / "posterior.csv"), "-o", str(image)]), 0)
        self.assertGreater(image.stat().st_size, 1000)
        summary = plot_posterior.last_data["summary"].set_index("parameter")
        self.assertEqual(list(summary.index), ["actors.MID.pressure_sensitivity", "actors.MID.compliance"])
        # the axes are the priors of identifiability.csv, with its scale
        self.assertEqual(summary.loc["actors.MID.pressure_sensitivity", "scale"], "log")
        self.assertEqual((summary.loc["actors.MID.compliance", "prior_low"], summary.loc["actors.MID.compliance", "prior_high"]), (0, 3))
        for p, row in summary.iterrows():
            self.assertLessEqual(row["prior_low"], row["q05"])
            self.assertLessEqual(row["q05"], row["q95"])
            self.assertLessEqual(row["q95"], row["prior_high"])
        self.assertAlmostEqual(plot_posterior.last_data["weights"].sum(), 1.0)

    def test_a_posterior_without_particles_is_refused(self):
        empty = self.out / "empty.csv"
        empty.write_text("particle,weight,actors.MID.compliance,distance\n")
        with redirect_stderr(io.StringIO()) as err:
            self.assertEqual(plot_posterior.main([str(empty), "-o", str(self.out / "x.png")]), 2)
        self.assertIn("no particles", err.getvalue())


if __name__ == "__main__":
    unittest.main()
