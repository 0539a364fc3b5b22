#!/usr/bin/env bash
# changes.csv holds the whole panel: ties.csv rebuilt from it (analysis/tiesim_plot.py's rebuild_ties) is the
# same bytes, every row, as `tiesim run --record ties`; also compressed, thinned by --every, and with rows
# chosen by --actors and --channels. Run by ctest with TIESIM set to the binary.
set -u
TIESIM=${TIESIM:?set TIESIM to the tiesim binary}
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiesim-changes-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
failed=0

# rebuilt NAME DIR [gz]: DIR's changes.csv rebuilds DIR's ties.csv byte for byte
rebuilt() {
  local name=$1 dir=$2 ext=${3:-}
  if /usr/bin/python3 - "$SOURCE/analysis" "$dir" "$ext" <<'PY'
import gzip, io, os, sys
sys.path.insert(0, sys.argv[1])
import tiesim_plot as tp
directory, ext = sys.argv[2], sys.argv[3]
rebuilt = io.StringIO()
tp.ties_from_changes(os.path.join(directory, "changes.csv" + ext)).to_csv(rebuilt, index=False, lineterminator="\n")
opener = gzip.open if ext else open
with opener(os.path.join(directory, "ties.csv" + ext), "rt", encoding="utf-8", newline="") as f:
    recorded = f.read()
got, want = rebuilt.getvalue().split("\n"), recorded.split("\n")
if len(want) < 10:
    sys.exit(f"ties.csv has only {len(want)} lines")
for k, (a, b) in enumerate(zip(got, want)):
    if a != b:
        sys.exit(f"line {k + 1} differs:\n  rebuilt  {a}\n  recorded {b}")
if len(got) != len(want):
    sys.exit(f"{len(got)} lines rebuilt, {len(want)} recorded")
print(f"{len(want) - 2} rows equal")
PY
  then echo "ok: $name"; else echo "FAIL: $name"; failed=$((failed + 1)); fi
}

run() { "$TIESIM" run "$@" --record changes,ties -q || { echo "FAIL: tiesim run $*"; failed=$((failed + 1)); }; }

run "$SOURCE/scenarios/minimal.toml" -o "$TMP/minimal" --seed 7 --replicates 3
rebuilt "minimal, 3 replicates" "$TMP/minimal"
run "$SOURCE/scenarios/malaysia_dprk.toml" -o "$TMP/reference" --seed 3 --replicates 2
rebuilt "reference, 2 replicates" "$TMP/reference"
run "$SOURCE/scenarios/malaysia_dprk.toml" -o "$TMP/every" --seed 3 --every 7 --actors MYS,PRK --channels embassy
rebuilt "reference, --every 7, two actors, one channel" "$TMP/every"
run "$SOURCE/scenarios/minimal.toml" -o "$TMP/gzip" --seed 7 --replicates 2 --gzip
rebuilt "minimal, gzip" "$TMP/gzip" .gz

# a plot script reads the compressed files as they are: ties.csv.gz, and the panel rebuilt from changes.csv.gz alone
"$TIESIM" run "$SOURCE/scenarios/minimal.toml" -o "$TMP/gzip-default" --seed 7 --replicates 2 --gzip -q
for dir in gzip gzip-default; do
  if /usr/bin/python3 "$SOURCE/analysis/plot_trajectories.py" "$TMP/$dir" --from MID --to BIG -o "$TMP/$dir.png" >"$TMP/plot.log" 2>&1 \
     && [ "$(stat -c %s "$TMP/$dir.png")" -gt 5000 ]; then echo "ok: plot_trajectories.py on $(cd "$TMP/$dir" && echo *.gz)"
  else echo "FAIL: plot_trajectories.py on $dir"; sed 's/^/  /' "$TMP/plot.log"; failed=$((failed + 1)); fi
done

# changes.csv is far smaller than the panel it rebuilds
ties=$(stat -c %s "$TMP/reference/ties.csv") changes=$(stat -c %s "$TMP/reference/changes.csv")
if [ "$changes" -lt $((ties / 10)) ]; then echo "ok: changes.csv $changes bytes, ties.csv $ties"
else echo "FAIL: changes.csv $changes bytes is not under a tenth of ties.csv's $ties"; failed=$((failed + 1)); fi

if [ "$failed" -eq 0 ]; then echo "changes: all passed"; else echo "changes: $failed failed"; exit 1; fi
