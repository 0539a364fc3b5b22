#!/usr/bin/python3
"""Leave-one-state-out check of a scenario whose targets are named after their state (`tha_...`).

For each state with targets: fit the free parameters with `tiesim calibrate` on every target but that
state's, then validate the full scenario at the fitted point and report that state's hit rates. A state's
record is "got right without having seen it" when each of its targets meets its share.

    python3 analysis/leave_one_state_out.py scenarios/dprk_world.toml \
        --free rules.compliance.base=0.2:2 --free rules.pressure_sensitivity.base=0.02:0.3 \
        --budget 30 --replicates 20 --validate-replicates 100 -o out/loso

Writes DIR/loso.csv (state, target, hit_rate, share, pass, fitted values) and DIR/summary.csv (state,
targets, passed, all_passed), and prints the share of states whose whole record is met out of sample. The
full fit (no state left out) is DIR/all; each state's is DIR/<state>. Python 3.11+, standard library only.
"""
import argparse
import csv
import pathlib
import subprocess
import sys
import tomllib


def targets_by_state(scenario):
    document = tomllib.loads(pathlib.Path(scenario).read_text(encoding="utf-8"))
    if "extends" in document:
        sys.exit("leave_one_state_out.py: give a scenario without `extends` (its targets are read from it)")
    states = {}
    for target in document.get("targets", {}):
        states.setdefault(target.split("_", 1)[0], []).append(target)
    return states


def fitted_values(fit_toml):
    """The PATH = VALUE lines of a calibration overlay, as --set arguments."""
    sets = []
    for line in pathlib.Path(fit_toml).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "extends", "[")):
            path, value = (part.strip() for part in line.split("=", 1))
            sets.append(f"{path}={value}")
    return sets


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):  # validate exits 1 when a target fails: that is a result
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--free", action="append", required=True, help="PATH=LOW:HIGH, as for tiesim calibrate")
    parser.add_argument("--budget", default="30")
    parser.add_argument("--replicates", default="20", help="replicates per evaluation of the fit")
    parser.add_argument("--validate-replicates", default="100")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--states", help="comma-separated state prefixes to leave out (default: every one)")
    parser.add_argument("--tiesim", default="build/tiesim")
    parser.add_argument("-o", "--output", default="out/loso")
    args = parser.parse_args()

    scenario = pathlib.Path(args.scenario).resolve()
    out = pathlib.Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    states = targets_by_state(scenario)
    chosen = args.states.split(",") if args.states else sorted(states)
    free = [arg for f in args.free for arg in ("--free", f)]

    def fit(name, removed):
        directory = out / name
        directory.mkdir(parents=True, exist_ok=True)
        overlay = directory / "without.toml"
        removed_paths = ", ".join('"targets.' + t + '"' for t in removed)
        overlay.write_text(f'extends = "{scenario}"\nremove = [{removed_paths}]\n', encoding="utf-8")
        run([args.tiesim, "calibrate", str(overlay), *free, "--budget", args.budget, "--replicates", args.replicates,
             "--seed", args.seed, "-o", str(directory / "fit")])
        sets = fitted_values(directory / "fit" / "fit.toml")
        run([args.tiesim, "validate", str(scenario), "--replicates", args.validate_replicates, "--seed", args.seed,
             *[a for s in sets for a in ("--set", s)], "-o", str(directory / "validate")])
        with open(directory / "validate" / "validation.csv", newline="", encoding="utf-8") as f:
            return sets, {row["target"]: row for row in csv.DictReader(f)}

    rows, summary = [], []
    sets, everything = fit("all", [])
    for state in chosen:
        sets, result = fit(state, states[state])
        mine = [result[t] for t in states[state]]
        passed = sum(row["pass"] == "true" for row in mine)
        for row in mine:
            rows.append([state, row["target"], row["hit_rate"], row["threshold"], row["pass"],
                         everything[row["target"]]["hit_rate"], " ".join(sets)])
        summary.append([state, len(mine), passed, "true" if passed == len(mine) else "false"])
        print(f"{state}: {passed}/{len(mine)} targets met out of sample", flush=True)

    with open(out / "loso.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["state", "target", "hit_rate", "share", "pass", "hit_rate_in_sample", "fitted"])
        writer.writerows(rows)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["state", "targets", "passed", "all_passed"])
        writer.writerows(summary)
    whole = sum(s[3] == "true" for s in summary)
    print(f"{whole} of {len(summary)} states' records met out of sample; "
          f"{sum(s[2] for s in summary)} of {sum(s[1] for s in summary)} targets")


if __name__ == "__main__":
    main()
