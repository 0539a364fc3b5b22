#!/usr/bin/python3
"""Each target's effect of a counterfactual, replicate by replicate, with an interval.

Reads the hits.csv of two `tiesim validate` runs with the same --seed and --replicates (and the same
--posterior, if any): a base scenario and a variant. Replicate r of both ran on the same random numbers and
drew the same parameters, so the difference of its hits is the variant's effect on that replicate, with the
dice held fixed; with --posterior, the parameters vary across replicates as the posterior says, so the spread
of the effects includes what the targets leave open about the parameters.

    tiesim validate scenarios/malaysia_dprk.toml --seed 1 --replicates 200 --posterior post/posterior.csv -o out/base
    tiesim validate scenarios/malaysia_dprk_no_2270.toml --seed 1 --replicates 200 --posterior post/posterior.csv -o out/no_2270
    analysis/paired_effects.py out/base/hits.csv out/no_2270/hits.csv -o effects.csv

Writes effects.csv: target, base_rate, variant_rate, effect (variant − base, in hit rate), lo, hi (a 90%
percentile-bootstrap interval over the paired replicates, 2000 resamples, seed 1), up, down (how many
replicates the variant turned from a miss into a hit, and from a hit into a miss), replicates. An effect
whose interval excludes 0 survives the dice and, with a posterior, the parameters' uncertainty.
"""

import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

PROG = "paired_effects.py"
FIXED = ("replicate", "seed", "particle")


class Refused(Exception):
    pass


def read_hits(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise Refused(f"{path}: cannot be read ({e.strerror})")
    if not rows or rows[0][:2] != ["replicate", "seed"]:
        raise Refused(f"{path}: not a hits.csv of tiesim validate (its header starts replicate,seed)")
    header, body = rows[0], rows[1:]
    if not body:
        raise Refused(f"{path}: no replicates")
    fixed = [c for c in header if c in FIXED]
    targets = header[len(fixed):]
    keys = [tuple(row[:len(fixed)]) for row in body]
    try:
        hits = np.array([[int(x) for x in row[len(fixed):]] for row in body], dtype=int)
    except ValueError:
        raise Refused(f"{path}: a hit that is not 0 or 1")
    if hits.shape[1] != len(targets) or not np.isin(hits, (0, 1)).all():
        raise Refused(f"{path}: every row needs a 0 or 1 per target")
    return fixed, keys, targets, hits


def effects(base_path, variant_path, resamples=2000, seed=1):
    fixed_b, keys_b, targets_b, hits_b = read_hits(base_path)
    fixed_v, keys_v, targets_v, hits_v = read_hits(variant_path)
    if fixed_b != fixed_v or keys_b != keys_v:
        raise Refused(f"{variant_path}: its replicates are not {base_path}'s (give both validations the same --seed, "
                      "--replicates and --posterior)")
    rng = np.random.default_rng(seed)
    n = len(keys_b)
    draws = rng.integers(0, n, size=(resamples, n))
    rows = []
    for target in targets_b:
        if target not in targets_v:
            continue
        b = hits_b[:, targets_b.index(target)]
        v = hits_v[:, targets_v.index(target)]
        d = v - b
        means = d[draws].mean(axis=1)
        rows.append({"target": target, "base_rate": b.mean(), "variant_rate": v.mean(), "effect": d.mean(),
                     "lo": float(np.quantile(means, 0.05)), "hi": float(np.quantile(means, 0.95)),
                     "up": int((d > 0).sum()), "down": int((d < 0).sum()), "replicates": n})
    only = sorted(set(targets_b) ^ set(targets_v))
    return rows, only


def print_effects(rows, only):
    width = max([6] + [len(r["target"]) for r in rows])
    print(f"{'target':<{width}}   base  variant   effect  90% interval     up  down")
    for r in rows:
        mark = "" if r["lo"] <= 0 <= r["hi"] else "  *"
        print(f"{r['target']:<{width}}  {r['base_rate']:5.2f}  {r['variant_rate']:7.2f}  {r['effect']:+7.3f}  "
              f"[{r['lo']:+.3f}, {r['hi']:+.3f}]  {r['up']:4d}  {r['down']:4d}{mark}")
    print(f"({rows[0]['replicates'] if rows else 0} paired replicates; * the interval excludes 0)")
    if only:
        print(f"in one file only, not compared: {', '.join(only)}")


def write_effects(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["target"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None):
    p = argparse.ArgumentParser(prog=PROG, description="Paired effects of a counterfactual on each target, from two hits.csv.")
    p.add_argument("base", metavar="BASE/hits.csv")
    p.add_argument("variant", metavar="VARIANT/hits.csv")
    p.add_argument("-o", "--output", metavar="FILE", help="effects.csv to write (default: print only)")
    a = p.parse_args(argv)
    try:
        rows, only = effects(a.base, a.variant)
    except Refused as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    print_effects(rows, only)
    if a.output:
        write_effects(rows, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
