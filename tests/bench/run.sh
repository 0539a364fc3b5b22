#!/usr/bin/env bash
# Issue #7's performance figures, all of them, in one command:
#
#   bash tests/bench/run.sh            (about five minutes; QUICK=1 for a shorter, noisier pass)
#
# Configures and builds build/bench (Release, -DTIESIM_BENCHMARKS=ON), then prints, with the command behind
# each: tie decisions per second; instructions per tie decision (valgrind --tool=callgrind on a fixed run);
# runs per second of the reference scenario; peak memory and bytes per tie; the 193-actor world on one and
# two threads; the share of a run spent writing output; cost against N as an exponent; and the NumPy
# implementation's agreement and speed ratio. docs/performance.md says what each figure means.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$ROOT/build/bench"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
QUICK=${QUICK:-0}
MIN_TIME=$([ "$QUICK" = 1 ] && echo 0.2 || echo 1)
REFERENCE="$ROOT/scenarios/malaysia_dprk.toml"
PYTHON=/usr/bin/python3

say() { printf '\n== %s\n' "$*"; }
# the tools: GNU time (for peak memory) is installed if missing, as the issue asks; the others are named
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (/usr/bin/time) for peak memory"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi
for tool in valgrind cmake ninja; do command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (bash .ci/setup.sh installs it)"; exit 1; }; done
"$PYTHON" -c 'import numpy' 2>/dev/null || { echo "run.sh: python3-numpy is missing (bash .ci/setup.sh installs it)"; exit 1; }

say "build: $BUILD (Release, TIESIM_BENCHMARKS=ON)"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIESIM_BENCHMARKS=ON -DTIESIM_BUILD_TESTS=OFF >/dev/null
ninja -C "$BUILD" tiesim tiesim_bench tiesim_bench_dump | tail -1
TIESIM="$BUILD/tiesim"
BENCH="$BUILD/tests/bench/tiesim_bench"
DUMP="$BUILD/tests/bench/tiesim_bench_dump"

say "machine"
echo "nproc $(nproc); CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') MHz"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores: compare CPU times, not only wall times)"
echo "compiler: $(c++ --version | head -1); tiesim $("$TIESIM" --version)"

# decisions of a run: N (N - 1) C_directed + N (N - 1) / 2 C_mutual reviews per step, times (spin-up + steps)
decisions() {
  "$TIESIM" check "$1" | "$PYTHON" -c '
import re, sys
text = sys.stdin.read()
n = int(re.search(r"^actors +(\d+)", text, re.M).group(1))
steps = int(re.search(r"^steps +(\d+)", text, re.M).group(1))
spinup = int(re.search(r"spin-up (\d+)", text).group(1))
kinds = re.findall(r"\((directed|mutual), 0\.\.\d+\)", text)
directed, mutual = kinds.count("directed"), kinds.count("mutual")
per_step = n * (n - 1) * directed + n * (n - 1) // 2 * mutual
print(n, len(kinds), directed, mutual, per_step, steps + spinup, per_step * (steps + spinup))'
}
read -r N C CD CM PER_STEP STEPS DECISIONS <<<"$(decisions "$REFERENCE")"

say "1. Google Benchmark (tests/bench/bench.cpp)"
echo "\$ $BENCH --benchmark_min_time=$MIN_TIME"
"$BENCH" --benchmark_min_time="$MIN_TIME" --benchmark_out="$WORK/bench.json" --benchmark_out_format=json 2>/dev/null |
  grep -E '^(Reference|Replicates|WorldStep|Benchmark|---)'

say "2. instructions per tie decision (valgrind --tool=callgrind, a fixed run: the reference scenario, seed 7, no output)"
echo "a tie decision = one tie's review in one step: every directed tie by its owner, every mutual tie once per pair,"
echo "whether or not its review draw brings it up for a choice: N(N-1)·C_directed + N(N-1)/2·C_mutual per step"
echo "reference: N=$N, C=$C ($CD directed, $CM mutual): $PER_STEP decisions per step × $STEPS steps (spin-up included) = $DECISIONS"
callgrind() {  # callgrind ARGS... → instructions counted
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$@" 2>&1 | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' | tail -1
}
echo "\$ valgrind --tool=callgrind --toggle-collect='tiesim::simulate(*' $TIESIM run $REFERENCE --seed 7 --record '' -q -o OUT"
SIM_INSTR=$(callgrind --toggle-collect='tiesim::simulate(*' "$TIESIM" run "$REFERENCE" --seed 7 --record '' -q -o "$WORK/cg1")
echo "\$ valgrind --tool=callgrind $TIESIM run $REFERENCE --seed 7 --record '' -q -o OUT"
ALL_INSTR=$(callgrind "$TIESIM" run "$REFERENCE" --seed 7 --record '' -q -o "$WORK/cg2")

say "3. runs per second, reference scenario (tiesim run, 100 replicates, no output; tiesim validate, 100 replicates)"
timed() {  # timed ARGS... : the best of 3 runs (1 with QUICK=1) by wall time, as "wall user sys maxrss_kb"
  local best="" status
  for _ in 1 2 3; do
    status=0
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || status=$?
    # validate exits 1 when a target fails: a result, not an error
    if [ "$status" -gt 1 ]; then echo "run.sh: failed ($status): $*" >&2; cat "$WORK/stderr" >&2; exit 1; fi
    local line; line=$(tail -1 "$WORK/time")
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then best=$line; fi
    [ "$QUICK" = 1 ] && break
  done
  echo "$best"
}
echo "\$ tiesim run $REFERENCE --replicates 100 --threads 1 (and 2) --record '' -q -o OUT"
RUN_T1=$(timed "$TIESIM" run "$REFERENCE" --replicates 100 --threads 1 --record '' -q -o "$WORK/r")
RUN_T2=$(timed "$TIESIM" run "$REFERENCE" --replicates 100 --threads 2 --record '' -q -o "$WORK/r")
echo "\$ tiesim validate $REFERENCE --replicates 100 --threads 1 (and 2) -o OUT"
VAL_T1=$(timed "$TIESIM" validate "$REFERENCE" --replicates 100 --threads 1 -o "$WORK/v")
VAL_T2=$(timed "$TIESIM" validate "$REFERENCE" --replicates 100 --threads 2 -o "$WORK/v")

say "4. the 193-actor world: 9 channels, 50 years monthly (600 steps, and a 24-step spin-up)"
echo "\$ tiesim generate world --actors 193 --channels 9 --years 50 --seed 1 -o world.toml"
"$TIESIM" generate world --actors 193 --channels 9 --years 50 --seed 1 -o "$WORK/world.toml" 2>/dev/null
read -r WN WC WCD WCM WPER WSTEPS WDECISIONS <<<"$(decisions "$WORK/world.toml")"
echo "\$ tiesim run world.toml --threads 1 (and 2) --record '' -q -o OUT"
WORLD_T1=$(timed "$TIESIM" run "$WORK/world.toml" --threads 1 --record '' -q -o "$WORK/w")
WORLD_T2=$(timed "$TIESIM" run "$WORK/world.toml" --threads 2 --record '' -q -o "$WORK/w")
PANELS=ties,dyads,actors,events  # every panel, as the default wrote before changes.csv
echo "\$ tiesim run world.toml --threads 1 --every 12 --record $PANELS -q -o OUT        (every file, one recorded step a year)"
WORLD_YEARLY=$(timed "$TIESIM" run "$WORK/world.toml" --threads 1 --every 12 --record "$PANELS" -q -o "$WORK/wy")
WORLD_BYTES=$(du -sb "$WORK/wy" | cut -f1); rm -rf "$WORK/wy"
echo "\$ tiesim run world.toml --threads 1 --every 12 --actors A001,A002,A003 --record $PANELS -q -o OUT"
WORLD_SOME=$(timed "$TIESIM" run "$WORK/world.toml" --threads 1 --every 12 --actors A001,A002,A003 --record "$PANELS" -q -o "$WORK/ws")
echo "\$ tiesim run $REFERENCE --threads 1 --record $PANELS -q -o OUT    (the full trajectory: every file, every step)"
REF_FULL=$(timed "$TIESIM" run "$REFERENCE" --threads 1 --record "$PANELS" -q -o "$WORK/rf")
REF_NONE=$(timed "$TIESIM" run "$REFERENCE" --threads 1 --record '' -q -o "$WORK/rn")
# 50 replicates of the reference scenario: bytes written and the CPU share of output, default record
# (changes, events) and the panels, each against --record ''
echo "\$ tiesim run $REFERENCE --replicates 50 --threads 2 [--record $PANELS | --record ''] -q -o OUT"
REF50_DEFAULT=$(timed "$TIESIM" run "$REFERENCE" --replicates 50 --threads 2 -q -o "$WORK/r50")
echo "  default record: $(du -cb "$WORK/r50"/* | tail -n 1 | cut -f1) bytes; wall user sys KiB: $REF50_DEFAULT"
REF50_GZIP=$(timed "$TIESIM" run "$REFERENCE" --replicates 50 --threads 2 --gzip -q -o "$WORK/r50z")
echo "  default record, --gzip: $(du -cb "$WORK/r50z"/* | tail -n 1 | cut -f1) bytes; wall user sys KiB: $REF50_GZIP"
REF50_NONE=$(timed "$TIESIM" run "$REFERENCE" --replicates 50 --threads 2 --record '' -q -o "$WORK/r50n")
echo "  --record '': wall user sys KiB: $REF50_NONE"
if [ -z "${QUICK:-}" ]; then
  REF50_PANELS=$(timed "$TIESIM" run "$REFERENCE" --replicates 50 --threads 2 --record "$PANELS" -q -o "$WORK/r50p")
  echo "  --record $PANELS: $(du -cb "$WORK/r50p"/* | tail -n 1 | cut -f1) bytes; wall user sys KiB: $REF50_PANELS"
fi
rm -rf "$WORK/r50" "$WORK/r50z" "$WORK/r50n" "$WORK/r50p"

say "5. peak memory (/usr/bin/time -v, maximum resident set size) and bytes per tie"
memory() {  # memory N → "ties maxrss_kb" of a generated world of N actors, 9 channels, 2 years, no output
  "$TIESIM" generate world --actors "$1" --channels 9 --years 2 -o "$WORK/m$1.toml" 2>/dev/null
  /usr/bin/time -v "$TIESIM" run "$WORK/m$1.toml" --threads 1 --record '' -q -o "$WORK/mo" 2>"$WORK/mem$1" >/dev/null
  echo "$(( $1 * ($1 - 1) * 9 )) $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/mem$1")"
}
echo "\$ /usr/bin/time -v tiesim run WORLD --record '' -q -o OUT    (generated worlds of 25 to 400 actors, 9 channels)"
MEM=""
for n in 25 100 193 400; do MEM="$MEM $n $(memory "$n")"; done

say "6. NumPy implementation of the step (tests/bench/reference_step.py) on the 193-actor world"
echo "\$ $DUMP world.toml DUMP && OPENBLAS_NUM_THREADS=1 $PYTHON tests/bench/reference_step.py DUMP    (CPU times, one core each)"
"$DUMP" "$WORK/world.toml" "$WORK/dump" | sed 's/^/  /'
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PYTHON" "$ROOT/tests/bench/reference_step.py" "$WORK/dump" --repeats "$([ "$QUICK" = 1 ] && echo 3 || echo 7)" | tee "$WORK/numpy.txt" | sed 's/^/  /'

say "summary"
"$PYTHON" - "$WORK/bench.json" <<EOF
import json, math, sys
bench = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
def secs(t):
    wall, user, system, kb = (float(x) for x in t.split())
    return wall, user + system, kb
def show(label, value, how):
    print(f"{label:<58} {value:<26} {how}")
ref = bench["ReferenceStep"]
show("tie decisions per second, reference step()", f"{ref['decisions/s'] / 1e6:.1f} M/s", "tiesim_bench ReferenceStep")
show("tie decisions per second, whole reference run", f"{bench['ReferenceRun/real_time']['decisions/s'] / 1e6:.1f} M/s", "tiesim_bench ReferenceRun")
for n in (25, 50, 100, 200, 400):
    b = bench[f"WorldStep/actors:{n}"]
    show(f"tie decisions per second, world step N={n}, C=9", f"{b['decisions/s'] / 1e6:.1f} M/s ({b['cpu_time']:.3f} ms/step)", f"tiesim_bench WorldStep/actors:{n} (CPU time)")
show("instructions per tie decision, simulation (callgrind)", f"{$SIM_INSTR / $DECISIONS:.1f}  ({$SIM_INSTR:,} / {$DECISIONS:,})", "callgrind --toggle-collect='tiesim::simulate(*'")
show("instructions per tie decision, whole process", f"{$ALL_INSTR / $DECISIONS:.1f}  ({$ALL_INSTR:,})", "callgrind, whole tiesim run (load, run.json)")
run = bench["ReferenceRun/real_time"]
show("runs per second, reference run (one replicate)", f"{run['runs/s']:.0f} /s wall, {1e3 / run['cpu_time']:.0f} /s CPU", "tiesim_bench ReferenceRun")
for threads in (1, 2):
    for observed in (0, 1):
        b = bench[f"Replicates/threads:{threads}/validate:{observed}/real_time"]
        show(f"runs per second, replicates, {threads} thread(s), {'validate observer' if observed else 'no observer'}", f"{b['runs/s']:.0f} /s", "tiesim_bench Replicates")
for threads, t in ((1, "$RUN_T1"), (2, "$RUN_T2")):
    wall, cpu, kb = secs(t)
    show(f"runs per second, tiesim run --replicates 100 --threads {threads}", f"{100 / wall:.0f} /s (wall {wall:.2f} s)", "tiesim run, best of 3")
for threads, t in ((1, "$VAL_T1"), (2, "$VAL_T2")):
    wall, cpu, kb = secs(t)
    show(f"runs per second, tiesim validate --replicates 100 --threads {threads}", f"{100 / wall:.0f} /s (wall {wall:.2f} s)", "tiesim validate, best of 3")
for threads, t in ((1, "$WORLD_T1"), (2, "$WORLD_T2")):
    wall, cpu, kb = secs(t)
    show(f"world 193 x 9 x 50 years, --threads {threads}, no output", f"wall {wall:.2f} s, CPU {cpu:.2f} s", "tiesim run world.toml --record ''")
w1 = secs("$WORLD_T1"); wy = secs("$WORLD_YEARLY"); ws = secs("$WORLD_SOME")
show("world, yearly recording of every file", f"wall {wy[0]:.2f} s, CPU {wy[1]:.2f} s, {$WORLD_BYTES / 1e9:.2f} GB", "--every 12")
show("  share of the run spent on output (CPU)", f"{(wy[1] - w1[1]) / wy[1]:.0%}", "(CPU yearly - CPU none) / CPU yearly")
show("world, yearly, --actors A001,A002,A003", f"wall {ws[0]:.2f} s, CPU {ws[1]:.2f} s; output {(ws[1] - w1[1]) / ws[1]:.0%}", "--every 12 --actors ...")
rf, rn = secs("$REF_FULL"), secs("$REF_NONE")
show("reference, full trajectory (every step, every file)", f"CPU {rf[1]:.3f} s; output {(rf[1] - rn[1]) / rf[1]:.0%}", "tiesim run vs --record ''")
mem = "$MEM".split()
rows = [(int(mem[k]), int(mem[k + 1]), int(mem[k + 2])) for k in range(0, len(mem), 3)]
for n, ties, kb in rows:
    show(f"peak memory, world N={n} (C=9, {ties:,} ties)", f"{kb / 1024:.1f} MiB, {kb * 1024 / ties:.0f} bytes/tie", "/usr/bin/time -v")
(n0, t0, k0), (n1, t1, k1) = rows[0], rows[-1]
show("  marginal bytes per tie (N=25 to N=400)", f"{(k1 - k0) * 1024 / (t1 - t0):.0f} bytes/tie", "slope of peak memory against ties")
ns = [25, 50, 100, 200, 400]
ts = [bench[f"WorldStep/actors:{n}"]["cpu_time"] for n in ns]  # CPU time: other processes do not inflate it
xs, ys = [math.log(n) for n in ns], [math.log(t) for t in ts]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
local = ", ".join(f"{math.log(ts[k + 1] / ts[k]) / math.log(ns[k + 1] / ns[k]):.2f}" for k in range(len(ns) - 1))
show("cost of a step against N: exponent (least squares, N=25..400)", f"{slope:.2f}", f"local exponents {local}")
EOF
grep -E '^(speed|choice|one step|reference_step)' "$WORK/numpy.txt" | sed 's/^/numpy: /'
