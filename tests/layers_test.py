#!/usr/bin/python3
"""The layers of sim/, drawn from its includes.

    layers_test.py SIM_DIR       prints the layer graph; fails, naming file and line, on an include of a higher layer
                                 (and on a library of sim/CMakeLists.txt that links a higher layer)
    layers_test.py --self-test   checks that a copy of a small tree with a bad include is refused

Layers, lowest first; a file may include its own layer and those below it. sim/CMakeLists.txt builds one library
per layer in the same order, each linking only the ones below.
"""
import os
import re
import shutil
import sys
import tempfile

LAYERS = ["core", "model", "scenario", "run", "output", "experiment", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCE_SUFFIXES = (".hpp", ".cpp", ".h", ".cc", ".in")


def check(sim_dir):
    """Returns (problems, edges): problems as 'file:line: message', edges as {(from, to): count}."""
    problems = []
    edges = {}
    rank = {layer: k for k, layer in enumerate(LAYERS)}
    for root, _, files in sorted(os.walk(sim_dir)):
        for name in sorted(files):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(root, name)
            shown = os.path.relpath(path, os.path.dirname(os.path.abspath(sim_dir)))
            parts = os.path.relpath(path, sim_dir).split(os.sep)
            if len(parts) < 2:
                continue  # sim/CMakeLists.txt and the like
            layer = parts[0]
            if layer not in rank:
                problems.append(f"{shown}:1: '{layer}/' is not a layer; layers, lowest first: {' -> '.join(LAYERS)}")
                continue
            with open(path, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = match.group(1)
                    included = target.split("/")[0]
                    if "/" not in target or included not in rank:
                        problems.append(f'{shown}:{number}: #include "{target}" names no layer; write "layer/file", '
                                        f"one of {', '.join(LAYERS)}")
                        continue
                    edges[(layer, included)] = edges.get((layer, included), 0) + 1
                    if rank[included] > rank[layer]:
                        problems.append(f'{shown}:{number}: {layer}/ includes "{target}" of the higher layer '
                                        f"{included}/ ({' -> '.join(LAYERS)}); move the code to where it belongs")
    return problems, edges


def check_build(sim_dir):
    """Problems of sim/CMakeLists.txt: a layer's library linking a higher one, or a source built into another layer."""
    path = os.path.join(sim_dir, "CMakeLists.txt")
    if not os.path.exists(path):
        return []
    text = re.sub(r"#[^\n]*", "", open(path, encoding="utf-8").read())
    problems = []
    rank = {layer: k for k, layer in enumerate(LAYERS)}
    for command, target, body in re.findall(r"(add_library|target_link_libraries)\(\s*tiesim_(\w+)([^)]*)\)", text):
        if target not in rank:
            continue
        if command == "target_link_libraries":
            for linked in re.findall(r"\btiesim_(\w+)", body):
                if linked in rank and rank[linked] > rank[target]:
                    problems.append(f"sim/CMakeLists.txt: tiesim_{target} links tiesim_{linked}, a higher layer")
        else:
            for source in re.findall(r"(\w+)/[\w.]+\.cpp", body):
                if source != target:
                    problems.append(f"sim/CMakeLists.txt: tiesim_{target} builds a file of {source}/")
    return problems


def draw(edges):
    """The graph: for each layer, the layers it includes, with the number of include lines."""
    lines = []
    for layer in LAYERS:
        uses = [f"{to} ({edges[(layer, to)]})" for to in reversed(LAYERS) if to != layer and (layer, to) in edges]
        lines.append(f"  {layer:<10} -> {', '.join(uses) if uses else '(nothing)'}")
    return "\n".join(lines)


def main(sim_dir):
    problems, edges = check(sim_dir)
    problems += check_build(sim_dir)
    print("layers, lowest first: " + " -> ".join(LAYERS))
    print("includes between layers (include lines):")
    print(draw(edges))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s): the layers are broken", file=sys.stderr)
        return 1
    print("every include is of its own layer or a lower one")
    return 0


def self_test():
    """The check must refuse a higher include, an include naming no layer and an unknown folder, and accept the rest."""
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        sim = os.path.join(scratch, "sim")

        def write(relative, text):
            path = os.path.join(sim, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)

        write("core/date.hpp", "#pragma once\n#include <string>\n")
        write("model/model.hpp", '#pragma once\n#include "core/date.hpp"\n')
        write("output/csv.hpp", '#pragma once\n#include "model/model.hpp"\n')
        problems, _ = check(sim)
        if problems:
            failures.append(f"a good tree was refused: {problems}")

        write("output/trajectory.hpp", '#pragma once\n#include "output/csv.hpp"\n\n#include "experiment/run.hpp"\n')
        problems, _ = check(sim)
        expected = 'sim/output/trajectory.hpp:4: output/ includes "experiment/run.hpp" of the higher layer experiment/'
        if not any(problem.startswith(expected) for problem in problems):
            failures.append(f"an include of a higher layer was not reported as '{expected}…': {problems}")
        os.remove(os.path.join(sim, "output/trajectory.hpp"))

        write("model/step.cpp", '#include "version.hpp"\n')
        problems, _ = check(sim)
        if not any(problem.startswith("sim/model/step.cpp:1:") and "names no layer" in problem for problem in problems):
            failures.append(f"an include naming no layer was not reported: {problems}")
        os.remove(os.path.join(sim, "model/step.cpp"))

        write("engine/solver.cpp", '#include "core/date.hpp"\n')
        problems, _ = check(sim)
        if not any("'engine/' is not a layer" in problem for problem in problems):
            failures.append(f"a folder outside the layers was not reported: {problems}")
        shutil.rmtree(os.path.join(sim, "engine"))

        write("CMakeLists.txt", "add_library(tiesim_model STATIC model/model.cpp output/csv.cpp)\n"
                                "target_link_libraries(tiesim_model PUBLIC tiesim_core tiesim_output)\n")
        problems = check_build(sim)
        if sorted(problems) != ["sim/CMakeLists.txt: tiesim_model builds a file of output/",
                                "sim/CMakeLists.txt: tiesim_model links tiesim_output, a higher layer"]:
            failures.append(f"a library linking a higher layer, or building another layer's file, was not reported: "
                            f"{problems}")
        os.remove(os.path.join(sim, "CMakeLists.txt"))

        # and the program itself exits 1 on a bad tree
        write("core/text.cpp", '#include "cli/commands.hpp"\n')
        if main(sim) != 1:
            failures.append("main() did not exit 1 on a core/ file including cli/")
    for failure in failures:
        print("self-test: " + failure, file=sys.stderr)
    if not failures:
        print("self-test passed: bad includes are refused with file and line")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        sys.exit(self_test())
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
