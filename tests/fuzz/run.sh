#!/usr/bin/env bash
# Fuzzes the scenario and experiment loaders, the runs.csv reader, --set overrides on a scenario and the
# command line, with libFuzzer (clang; ASan + UBSan).
#
#   bash tests/fuzz/run.sh SECONDS [TARGET...]     TARGET: scenario, experiment, runs, overrides, command_line
#                                                  (default all five)
#   FUZZ_RUNS=10000000 bash tests/fuzz/run.sh 7200  stop each target at 10 million executions, or 2 hours
#
# Builds the `fuzz` preset (build/fuzz), then runs each target for SECONDS (or until FUZZ_RUNS executions, if
# that comes first), side by side when there are cores for it (FUZZ_JOBS=1 to run them one after the other). The corpus grows in build/fuzz/corpus/TARGET and
# is kept between runs; the seeds are the shipped scenarios and experiments, tests/data/ and tests/fuzz/seeds/.
# Prints each target's executions and any crash, hang, leak or out-of-memory input (kept in
# build/fuzz/artifacts/TARGET/); exits 1 if there was one. A crashing input belongs in
# tests/data/fuzz-regressions/TARGET/ once fixed: ctest replays every file there (test fuzz.regressions).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

seconds=${1:-}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: bash tests/fuzz/run.sh SECONDS [scenario|experiment|runs|overrides|command_line ...]" >&2
  exit 2
fi
shift
runs=${FUZZ_RUNS:--1}
if ! [[ "$runs" =~ ^(-1|[0-9]+)$ ]]; then
  echo "fuzz: FUZZ_RUNS must be a number of executions, not '$runs'" >&2
  exit 2
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario experiment runs overrides command_line)

for tool in clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing (apt-get install clang libclang-rt-14-dev cmake ninja-build)" >&2; exit 2; }
done
echo "fuzz: building the fuzz preset (build/fuzz)"
mkdir -p build
cmake --preset fuzz >build/fuzz-configure.log 2>&1 || { cat build/fuzz-configure.log >&2; rm -f build/fuzz-configure.log; exit 2; }
rm -f build/fuzz-configure.log
cmake --build --preset fuzz --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null || {
  echo "fuzz: the build failed; run 'cmake --build --preset fuzz' to see why" >&2
  exit 2
}

fuzz=$root/build/fuzz
seed_files() {  # the seed inputs of target $1, one path per line
  case $1 in
    scenario)
      ls scenarios/*.toml tests/fuzz/seeds/scenario/* 2>/dev/null
      find tests/data -path tests/data/fuzz-regressions -prune -o -type f -name '*.toml' -print
      ls tests/data/fuzz-regressions/scenario/* 2>/dev/null ;;
    experiment)
      ls scenarios/experiments/*.toml tests/fuzz/seeds/experiment/*.toml tests/data/fuzz-regressions/experiment/* 2>/dev/null
      ls tests/data/bad/experiments/*.toml ;;
    runs)
      ls tests/fuzz/seeds/runs/* tests/data/fuzz-regressions/runs/* 2>/dev/null ;;
    overrides)
      ls tests/fuzz/seeds/overrides/* tests/data/fuzz-regressions/overrides/* 2>/dev/null ;;
    command_line)
      ls tests/fuzz/seeds/command_line/* 2>/dev/null ;;
  esac
}

run_target() {  # target: runs it for $seconds, leaves its log in $fuzz/logs/TARGET.log
  local target=$1
  local seeds=$fuzz/seeds/$target corpus=$fuzz/corpus/$target artifacts=$fuzz/artifacts/$target/
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus" "$artifacts" "$fuzz/logs"
  local k=0
  while IFS= read -r file; do cp "$file" "$seeds/$k-$(basename "$file")"; k=$((k + 1)); done < <(seed_files "$target")
  # no controlling terminal and no stdin: an input naming /dev/tty or /dev/stdin cannot block the fuzzer
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    setsid "$fuzz/fuzz_$target" "$corpus" "$seeds" \
      -dict="$root/tests/fuzz/tiesim.dict" -max_total_time="$seconds" -runs="$runs" -timeout=30 -rss_limit_mb=3072 \
      -max_len=8192 -artifact_prefix="$artifacts" -print_final_stats=1 </dev/null >"$fuzz/logs/$target.log" 2>&1
}

jobs=${FUZZ_JOBS:-$(nproc)}
echo "fuzz: running ${targets[*]} for $seconds s each"
pids=()
for target in "${targets[@]}"; do
  if [ "$jobs" -gt 1 ]; then
    run_target "$target" &
    pids+=($!)
  else
    run_target "$target"
  fi
done
for pid in "${pids[@]}"; do wait "$pid"; done

failed=0
for target in "${targets[@]}"; do
  log=$fuzz/logs/$target.log
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(ls "$fuzz/corpus/$target" | wc -l)
  findings=$(ls "$fuzz/artifacts/$target" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true)
  if [ -z "$findings" ] && grep -q 'libFuzzer: run interrupted' "$log"; then
    failed=1
    echo "fuzz_$target: INTERRUPTED by a signal after ${executions:-?} executions (${rate:-?}/s), no crash until then"
  elif [ -n "$findings" ] || ! grep -q '^Done [0-9]* runs' "$log"; then
    failed=1
    echo "fuzz_$target: FAILED after ${executions:-?} executions; see $log"
    grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|tiesim fuzz:|uncaught exception|==ERROR' "$log" | sed 's/^/  /'
    for file in $findings; do echo "  input: build/fuzz/artifacts/$target/$file"; done
  else
    echo "fuzz_$target: ${executions:-?} executions (${rate:-?}/s), corpus $corpus inputs, no crash"
  fi
done
exit $failed
