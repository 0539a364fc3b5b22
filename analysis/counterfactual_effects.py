#!/usr/bin/python3
"""A counterfactual's effect on the base scenario's own targets, paired by replicate and posterior draw.

A variant file (`extends` the base, `remove`s events, changes values) usually also removes the base's targets
that its world is not meant to have, and adds targets of its own. Compared on their own targets, base and
variant answer different questions. This script scores the variant's world by the base's targets: for each
VARIANT it writes an overlay that extends the variant and puts back every base target the variant removed
(`scored.toml`), validates the base and each overlay with the same --seed, --replicates and --posterior, and
gives each target's paired effect (analysis/paired_effects.py: variant − base in hit rate, a 90% bootstrap
interval, the replicates turned each way). The variant's own targets are validated too and listed after.

    analysis/counterfactual_effects.py scenarios/malaysia_dprk_no_2270.toml scenarios/malaysia_dprk_no_incident.toml \\
        --posterior out/post/posterior.csv --replicates 200 --seed 1 -o out/counterfactuals

Writes, in OUT: base/ (the base's validation, hits.csv included) and, per variant, VARIANT/scored.toml, the
validation of that overlay and VARIANT/effects.csv (paired_effects.py's columns). A base target that the
variant removes and then defines again under the same id means something else there: it is not put back,
and it is named as not compared. Exits 2 on a variant that does not extend a scenario, 1 if tiesim fails.
"""

import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import paired_effects  # noqa: E402

PROG = "counterfactual_effects.py"
ROOT = pathlib.Path(__file__).resolve().parent.parent


class Refused(Exception):
    pass


def toml_value(value):
    """A value read by tomllib, written back as TOML (scenario files hold no times of day)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML basic-string escapes
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise Refused(f"cannot write {value!r} back as TOML")


def toml_key(key):
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def read_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise Refused(f"{path}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        raise Refused(f"{path}: {e}")


def base_of(variant):
    """The base a variant extends, and the base's targets (through the base's own extends chain)."""
    document = read_toml(variant)
    extends = document.get("extends")
    if not isinstance(extends, str) or not extends:
        raise Refused(f"{variant}: a counterfactual must `extends` the base scenario it is compared with")
    base = (pathlib.Path(variant).resolve().parent / extends).resolve()
    targets = {}
    chain = [base]
    while True:
        layer = read_toml(chain[-1])
        parent = layer.get("extends")
        if not isinstance(parent, str) or not parent:
            break
        chain.append((chain[-1].parent / parent).resolve())
    for path in reversed(chain):  # the base's own file last: its values win, as the loader merges them
        layer = read_toml(path)
        for removed in layer.get("remove", []):
            if removed.startswith("targets."):
                targets.pop(removed.split(".", 1)[1], None)
        for key, table in layer.get("targets", {}).items():
            targets[key] = {**targets.get(key, {}), **table}
    return base, document, targets


def scored_overlay(variant, out):
    """Writes out/scored.toml: the variant's world with the base's targets it removed put back."""
    base, document, base_targets = base_of(variant)
    removed = [r.split(".", 1)[1] for r in document.get("remove", []) if r.startswith("targets.")]
    own = document.get("targets", {})
    restored = [t for t in removed if t in base_targets and t not in own]
    redefined = [t for t in removed if t in own]
    lines = [f"# {variant} scored by the base's targets (written by {PROG})",
             f"extends = {toml_value(str(pathlib.Path(variant).resolve()))}", ""]
    for target in restored:
        lines.append(f"[targets.{toml_key(target)}]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in base_targets[target].items()]
        lines.append("")
    out.mkdir(parents=True, exist_ok=True)
    (out / "scored.toml").write_text("\n".join(lines))
    return base, redefined


def validate(tiesim, scenario, out, arguments):
    command = [tiesim, "validate", str(scenario), "--seed", str(arguments.seed), "--replicates", str(arguments.replicates),
               "-o", str(out)]
    if arguments.posterior:
        command += ["--posterior", arguments.posterior]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 1: some target missed, a result here
        sys.stderr.write(result.stderr)
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}")
    return out / "hits.csv"


def main(argv=None):
    p = argparse.ArgumentParser(prog=PROG, description="Counterfactuals scored by the base's targets, paired by replicate.")
    p.add_argument("variants", nargs="+", metavar="VARIANT.toml")
    p.add_argument("--posterior", metavar="FILE", help="posterior.csv: each replicate draws its parameters from it")
    p.add_argument("--replicates", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tiesim", default=os.environ.get("TIESIM", str(ROOT / "build" / "tiesim")))
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    a = p.parse_args(argv)
    out = pathlib.Path(a.output)
    try:
        plans = []
        for variant in a.variants:
            name = pathlib.Path(variant).stem
            base, redefined = scored_overlay(variant, out / name)
            plans.append((variant, name, base, redefined))
        bases = {plan[2] for plan in plans}
        if len(bases) != 1:
            raise Refused("the variants extend different bases: " + ", ".join(sorted(str(b) for b in bases)))
        base_hits = validate(a.tiesim, bases.pop(), out / "base", a)
        for variant, name, _, redefined in plans:
            hits = validate(a.tiesim, out / name / "scored.toml", out / name, a)
            rows, only = paired_effects.effects(str(base_hits), str(hits))
            rows = [row for row in rows if row["target"] not in redefined]
            paired_effects.write_effects(rows, out / name / "effects.csv")
            print(f"\n{name}: the variant's world minus the base's, on the base's targets")
            paired_effects.print_effects(rows, [t for t in only if t not in redefined])
            if redefined:
                print(f"removed by the variant and defined anew (another question, not compared): {', '.join(redefined)}")
    except (Refused, paired_effects.Refused) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
