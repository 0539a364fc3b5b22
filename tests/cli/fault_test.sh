#!/usr/bin/env bash
# Faults around the program rather than in its input: a read-only output directory, a full disk, a file size
# limit, a standard output that cannot be written, runs killed by SIGINT, SIGTERM and SIGKILL mid-way, and a
# sweep killed and resumed. Each must end with a clear message and a non-zero exit (130 when interrupted),
# and never leave a file under its final name that is not whole.
#
# File systems are mounted (a read-only tmpfs, a read-only bind mount, a tiny tmpfs) inside a private mount
# namespace (unshare -m), so they vanish with the script whatever happens. Without the privilege to mount,
# those checks fall back to `chattr +i` or are skipped with the reason printed.
#
# Run by ctest with TIESIM set to the binary; the last line is "N passed, M failed", the exit status non-zero
# when any check failed.
set -u

TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MINIMAL="$ROOT/scenarios/minimal.toml"
MALAYSIA="$ROOT/scenarios/malaysia_dprk.toml"
SOBOL="$ROOT/scenarios/experiments/minimal_sobol.toml"

# a private mount namespace: every mount below disappears when this script ends
if [ -z "${TIESIM_FAULT_NAMESPACE:-}" ] && [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
  TIESIM_FAULT_NAMESPACE=1 exec unshare -m --propagation private bash "$0" "$@"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-fault-test.XXXXXX") || exit 1
mounts=()
cleanup() {
  local k
  for ((k = ${#mounts[@]} - 1; k >= 0; k--)); do umount -l "${mounts[k]}" 2>/dev/null; done
  chattr -R -i "$TMP" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

. "$HERE/lib.sh"
skipped=0
skip() {
  skipped=$((skipped + 1))
  echo "SKIP: $*"
}
expect_failure() {  # any failure status, but not a crash (a signal) and not success
  if [ "$status" -ne 0 ] && [ "$status" -lt 128 ]; then pass; else fail "$command: exit status $status, expected a handled failure"; fi
}
# expect_no_final_names DIR NAME...: none of the final file names exist in DIR (hidden partial files may)
expect_no_final_names() {
  local dir=$1 name found=""
  shift
  for name in "$@"; do [ -e "$dir/$name" ] && found="$found $name"; done
  if [ -z "$found" ]; then pass; else fail "$command: final-named files in $dir:$found"; fi
}
expect_same_file() {
  if cmp -s "$1" "$2"; then pass; else fail "$command: $2 differs from $1"; fi
}
# the manifest without what differs between any two sweeps: when it started and how long it took
manifest_body() { grep -vE '"(started|finished|elapsed_seconds)"' "$1"; }

RUN_FILES=(changes.csv ties.csv dyads.csv actors.csv events.csv run.json)
RECORD_ALL=(--record changes,ties,dyads,actors,events)  # every file, so runs are long enough to interrupt

# mount_tmpfs DIR OPTIONS: a tmpfs at DIR, remembered for the cleanup; fails quietly without the privilege
mount_tmpfs() {
  mkdir -p "$1"
  mount -t tmpfs -o "$2" tiesim-fault "$1" 2>/dev/null || return 1
  mounts+=("$1")
}
can_mount=no
if mount_tmpfs "$TMP/probe" size=64k; then can_mount=yes; fi

# ---- a read-only output directory ---------------------------------------------------------------------------
if [ "$can_mount" = yes ]; then
  # a read-only file system: the directory cannot even be created
  mount_tmpfs "$TMP/ro" ro,size=64k
  invoke run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/ro/out" --seed 7
  expect_status 2
  expect_stderr_regex "cannot write output directory '$TMP/ro/out': .*[Rr]ead-only file system"
  expect_clean_stderr
  expect_absent "$TMP/ro/out"
  invoke sweep "$SOBOL" -o "$TMP/ro/sweep" --quiet
  expect_status 2
  expect_stderr_regex "$TMP/ro/sweep: error: cannot create output directory: .*[Rr]ead-only file system"
  expect_absent "$TMP/ro/sweep"

  # an existing directory on a read-only bind mount (root ignores permission bits, not a read-only mount)
  mkdir -p "$TMP/rw/out" "$TMP/rw/sweep" "$TMP/robind"
  mount --bind "$TMP/rw" "$TMP/robind" && mounts+=("$TMP/robind") && mount -o remount,bind,ro "$TMP/robind"
  invoke run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/robind/out" --seed 7
  expect_status 2
  expect_stderr_regex "cannot write output directory '$TMP/robind/out'.*permission denied or read-only"
  expect_clean_stderr
  expect_listing "$TMP/rw/out" ""
  invoke sweep "$SOBOL" -o "$TMP/robind/sweep" --quiet
  expect_status 2
  expect_stderr_regex "$TMP/robind/sweep: error: cannot write in the output directory"
  expect_clean_stderr
  expect_listing "$TMP/rw/sweep" ""
  invoke generate world --actors 8 -o "$TMP/robind/world.toml"
  expect_status 1
  expect_stderr_regex "cannot write '$TMP/robind/world.toml'"
  expect_listing "$TMP/rw" "out sweep"
elif chattr +i "$TMP" 2>/dev/null; then
  # no mounting here: an immutable directory refuses new entries, even to root
  chattr -i "$TMP"
  mkdir -p "$TMP/immutable/out"
  chattr +i "$TMP/immutable/out"
  invoke run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/immutable/out" --seed 7
  expect_status 2
  expect_stderr_regex "cannot write output directory '$TMP/immutable/out'.*permission denied or read-only"
  expect_clean_stderr
  expect_listing "$TMP/immutable/out" ""
  chattr -i "$TMP/immutable/out"
else
  skip "read-only output directory: cannot mount (no CAP_SYS_ADMIN) and chattr +i is not supported here"
fi

# ---- a full disk ---------------------------------------------------------------------------------------------
# reference results, on a disk with room
invoke run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/reference-run" --seed 7 --replicates 3 --quiet
expect_status 0
invoke sweep "$SOBOL" -o "$TMP/reference-sweep" --quiet
expect_status 0

if [ "$can_mount" = yes ]; then
  # a file system of 64 KiB: the run's files (about 500 KiB) cannot fit
  mount_tmpfs "$TMP/small" size=64k
  for replicates in 1 3; do
    invoke run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/small/run" --seed 7 --replicates "$replicates"
    expect_status 1
    expect_stderr_regex "No space left on device"
    expect_stderr_regex "no output file was completed"
    expect_clean_stderr
    expect_listing "$TMP/small/run" ""  # partial files and the scratch folder are removed too
    rm -rf "$TMP/small/run"
  done

  # a sweep fills the disk: runs.csv never appears, and once there is room --resume finishes it
  mount_tmpfs "$TMP/tiny" size=16k
  invoke sweep "$SOBOL" -o "$TMP/tiny/sweep" --quiet --threads 2
  expect_status 1
  expect_stderr_regex "No space left|disk full"
  expect_stderr_regex "resume with --resume"
  expect_clean_stderr
  expect_no_final_names "$TMP/tiny/sweep" runs.csv manifest.json
  mount -o remount,size=4m "$TMP/tiny"
  invoke sweep "$SOBOL" -o "$TMP/tiny/sweep" --quiet --resume
  expect_status 0
  expect_same_file "$TMP/reference-sweep/runs.csv" "$TMP/tiny/sweep/runs.csv"

  # the disk fills while the sweep writes its gzip copy: the message names the cause and keeps runs.csv.partial
  # for --resume, without claiming it was removed; no partial copy is left, and --resume finishes the copy
  pages=$(($(stat -c %s "$TMP/reference-sweep/runs.csv") / 4096 + 2))  # runs.csv.partial and the manifest, no more
  mount_tmpfs "$TMP/gzfull" "size=$((pages * 4096))"
  invoke sweep "$SOBOL" -o "$TMP/gzfull/sweep" --quiet --gzip
  expect_status 1
  expect_stderr_regex "cannot write '.*/gzfull/sweep/\.runs\.csv\.gz\.partial': No space left on device"
  expect_stderr_regex "runs\.csv\.partial keeps every run finished in order: continue with --resume"
  if grep -q "partial files were removed" "$TMP/stderr"; then fail "$command: claims partial files were removed"; else pass; fi
  expect_clean_stderr
  expect_listing "$TMP/gzfull/sweep" "manifest.partial.json runs.csv.partial"
  mount -o remount,size=1m "$TMP/gzfull"
  invoke sweep "$SOBOL" -o "$TMP/gzfull/sweep" --quiet --gzip --resume
  expect_status 0
  expect_listing "$TMP/gzfull/sweep" "manifest.json runs.csv.gz"
  if [ "$(gzip -dc "$TMP/gzfull/sweep/runs.csv.gz")" = "$(cat "$TMP/reference-sweep/runs.csv")" ]; then pass; else fail "$command: runs.csv.gz differs"; fi
else
  skip "full disk on a small tmpfs: cannot mount here (the file size limit below still runs)"
fi

# a file size limit (ulimit -f, in KiB): the write fails with EFBIG, reported like a full disk
command="run with ulimit -f 64"
(ulimit -f 64 && exec "$TIESIM" run "$MINIMAL" --record ties,dyads,actors,events -o "$TMP/limited-run" --seed 7 --replicates 3) >"$TMP/stdout" 2>"$TMP/stderr"
status=$?
expect_status 1
expect_stderr_regex "File too large"
expect_stderr_regex "no output file was completed"
expect_clean_stderr
expect_listing "$TMP/limited-run" ""
command="sweep with ulimit -f 16"
(ulimit -f 16 && exec "$TIESIM" sweep "$SOBOL" -o "$TMP/limited-sweep" --quiet) >"$TMP/stdout" 2>"$TMP/stderr"
status=$?
expect_status 1
expect_stderr_regex "disk full|File too large"
expect_clean_stderr
expect_no_final_names "$TMP/limited-sweep" runs.csv manifest.json
invoke sweep "$SOBOL" -o "$TMP/limited-sweep" --quiet --resume
expect_status 0
expect_same_file "$TMP/reference-sweep/runs.csv" "$TMP/limited-sweep/runs.csv"

# standard output on a full device: what a command prints is part of its result
command="check > /dev/full"
"$TIESIM" check "$MINIMAL" >/dev/full 2>"$TMP/stderr"
status=$?
expect_status 1
expect_stderr_regex "cannot write to standard output"
command="generate world > /dev/full"
"$TIESIM" generate world --actors 20 >/dev/full 2>"$TMP/stderr"
status=$?
expect_status 1
expect_stderr_regex "cannot write to standard output"

# ---- signals mid-run -----------------------------------------------------------------------------------------
# in_progress DIR: the output directory shows work under way (a staged file or a replicate's part over 1 KiB)
in_progress() { [ -n "$(find "$1" -type f -size +1k 2>/dev/null | head -n 1)" ]; }
# sweep_started DIR: a sweep has set up its directory (its partial manifest exists), rows or not
sweep_started() { [ -e "$1/manifest.partial.json" ]; }
# sweep_rows DIR: a sweep has written a few rows
sweep_rows() { [ -e "$1/runs.csv.partial" ] && [ "$(wc -l <"$1/runs.csv.partial")" -ge 6 ]; }

# start_and_signal SIGNAL READY DIR ARGS...: starts tiesim ARGS in the background, sends SIGNAL once `READY DIR`
# holds, and waits; sets $status (128 + n for a process killed by signal n)
start_and_signal() {
  local signal=$1 ready=$2 dir=$3 pid waited=0
  shift 3
  command="tiesim $* (then SIG$signal when $ready)"
  "$TIESIM" "$@" >"$TMP/stdout" 2>"$TMP/stderr" &
  pid=$!
  until "$ready" "$dir"; do
    sleep 0.05
    waited=$((waited + 1))
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -gt 1200 ]; then break; fi
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -s "$signal" "$pid"
    signalled=yes
  else
    signalled=no  # it finished first: this check cannot say anything
  fi
  wait "$pid" 2>/dev/null
  status=$?
}

for signal in INT TERM; do
  dir="$TMP/signal-$signal"
  start_and_signal "$signal" in_progress "$dir" run "$MALAYSIA" -o "$dir" --seed 7 --replicates 50 --every 12 --threads 2 "${RECORD_ALL[@]}"
  if [ "$signalled" = no ]; then
    fail "$command: the run finished before SIG$signal could be sent; use a longer run"
    continue
  fi
  expect_status 130
  expect_stderr_regex "interrupted; no output file was completed, partial files were removed"
  expect_clean_stderr
  expect_listing "$dir" ""
done

dir="$TMP/signal-KILL"
start_and_signal KILL in_progress "$dir" run "$MALAYSIA" -o "$dir" --seed 7 --replicates 50 --every 12 --threads 2 "${RECORD_ALL[@]}"
if [ "$signalled" = yes ]; then
  expect_status 137
  expect_no_final_names "$dir" "${RUN_FILES[@]}"
  # what a killed run leaves is hidden and named as partial
  leftovers=$(ls "$dir" 2>/dev/null)
  if [ -z "$leftovers" ]; then pass; else fail "$command: visible files left behind: $leftovers"; fi
  # the next run into that directory removes them, and says so
  invoke run "$MINIMAL" -o "$dir" --seed 7 --quiet "${RECORD_ALL[@]}"
  expect_status 0
  expect_stderr_regex "removed [0-9]+ stale files? of stopped processes from '$dir'"
  expect_listing "$dir" "$(printf '%s\n' "${RUN_FILES[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
else
  fail "$command: the run finished before SIGKILL could be sent; use a longer run"
fi

# ---- a sweep killed, then resumed, ends byte-identical to one never stopped -----------------------------------
vary=(--scenario "$MALAYSIA" --vary actors.MYS.compliance=0:2:6 --vary actors.MYS.pressure_sensitivity=0:3:4 --replicates 3 --seed 11)
invoke sweep "${vary[@]}" -o "$TMP/sweep-reference" --quiet --threads 2
expect_status 0
# stopped as soon as it has started (before its first row can be on disk), and once it has written rows
for stop in TERM:sweep_started TERM:sweep_rows INT:sweep_rows KILL:sweep_started KILL:sweep_rows; do
  signal=${stop%%:*}
  dir="$TMP/sweep-$signal-${stop#*:}"
  start_and_signal "$signal" "${stop#*:}" "$dir" sweep "${vary[@]}" -o "$dir" --quiet --threads 2
  if [ "$signalled" = no ]; then
    fail "$command: the sweep finished before SIG$signal could be sent; use a longer sweep"
    continue
  fi
  if [ "$signal" = KILL ]; then
    expect_status 137
  else
    expect_status 130
    expect_stderr_regex "interrupted; runs.csv.partial holds every run finished in order: continue with --resume"
    expect_clean_stderr
  fi
  expect_no_final_names "$dir" runs.csv manifest.json
  invoke sweep "${vary[@]}" -o "$dir" --quiet --threads 2 --resume
  expect_status 0
  expect_clean_stderr
  expect_same_file "$TMP/sweep-reference/runs.csv" "$dir/runs.csv"
  if [ "$(manifest_body "$TMP/sweep-reference/manifest.json")" = "$(manifest_body "$dir/manifest.json")" ]; then
    pass
  else
    fail "$command: manifest.json differs from an uninterrupted sweep's (beyond its times)"
  fi
  expect_listing "$dir" "manifest.json runs.csv"
done

# a stopped sweep whose runs.csv.partial ends in a torn line and cannot be changed (read-only): --resume says
# why, with status 1, never "internal error"; once it can be changed, --resume finishes it
dir="$TMP/sweep-immutable"
start_and_signal TERM sweep_rows "$dir" sweep "${vary[@]}" -o "$dir" --quiet --threads 2
if [ "$signalled" = yes ] && printf '999,99,0,123,ran' >>"$dir/runs.csv.partial" && chattr +i "$dir/runs.csv.partial" 2>/dev/null; then
  invoke sweep "${vary[@]}" -o "$dir" --quiet --threads 2 --resume
  expect_status 1
  expect_stderr_regex "cannot cut the torn last line of '$dir/runs.csv.partial': Operation not permitted"
  expect_stderr_regex "continue with --resume once the cause is fixed"
  expect_clean_stderr
  chattr -i "$dir/runs.csv.partial"
  invoke sweep "${vary[@]}" -o "$dir" --quiet --threads 2 --resume
  expect_status 0
  expect_same_file "$TMP/sweep-reference/runs.csv" "$dir/runs.csv"
  expect_listing "$dir" "manifest.json runs.csv"
else
  chattr -i "$dir/runs.csv.partial" 2>/dev/null
  skip "a read-only runs.csv.partial: chattr +i is not available here"
fi

if [ "$skipped" -gt 0 ]; then echo "($skipped group(s) skipped, see SKIP above)"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
