"""Forecast table: how often, and when, each tie with a focal partner moves after a cut-off date.

From the events.csv of a multi-replicate `tiesim run`, for every tie between the focal actor and each of the
listed partners (both directions; a mutual channel once per pair), the share of replicates in which the tie
moves after the cut-off, the share in which it is cut, and the median date of the first move and of the
first cut among the replicates where they happen; `by_host` is the share in which the host cut the tie (an
expulsion or a revoked consent). A host's expulsion (cause "host") is a move of the
guest's tie: events.csv gives it with actor = host and partner = guest.

    tiesim run scenarios/malaysia_dprk_forecast.toml --replicates 200 --seed 1 --record events -o out/forecast
    /usr/bin/python3 analysis/forecast_table.py out/forecast/events.csv

Steps are recorded at their first day, so the default cut-off 2017-02-28 counts the moves of March 2017 and
later: the February 2017 step, which holds the recall of 2017-02-20, is the record's, not the forecast's.
"""
import argparse
import json
import pathlib
import sys

import pandas as pd

MUTUAL = {"trade", "culture", "security"}  # the reference scenario's mutual channels (run.json overrides)


def mutual_channels(events_path: pathlib.Path) -> set:
    """The mutual channels, read from run.json beside events.csv when it lists them."""
    run_json = events_path.with_name("run.json")
    try:
        channels = json.loads(run_json.read_text())["effective"]["channels"]
        return {cid for cid, c in channels.items() if c.get("kind") == "mutual"}
    except (OSError, KeyError, ValueError, AttributeError):
        return MUTUAL


def tie_rows(events: pd.DataFrame, mutual: set) -> pd.DataFrame:
    """One row per move with the tie it moved: owner `from`, partner `to` (mutual: the pair, sorted)."""
    moves = events[events["cause"] != "exogenous"].copy()
    host = moves["cause"] == "host"
    moves["from"] = moves["actor"].where(~host, moves["partner"])
    moves["to"] = moves["partner"].where(~host, moves["actor"])
    is_mutual = moves["channel"].isin(mutual)
    low = moves[["from", "to"]].min(axis=1)
    high = moves[["from", "to"]].max(axis=1)
    moves.loc[is_mutual, "from"] = low[is_mutual]
    moves.loc[is_mutual, "to"] = high[is_mutual]
    moves["down"] = moves["to_level"] < moves["from_level"]
    return moves


def table(moves: pd.DataFrame, focal: str, partners: list, channels: list, replicates: int, after: str,
          mutual: set) -> pd.DataFrame:
    later = moves[moves["date"] > after]
    rows = []
    for partner in partners:
        for channel in channels:
            directions = [(min(focal, partner), max(focal, partner))] if channel in mutual else [(focal, partner), (partner, focal)]
            for owner, other in directions:
                tie = later[(later["from"] == owner) & (later["to"] == other) & (later["channel"] == channel)]
                first = tie.groupby("replicate")["date"].min()
                first_cut = tie[tie["down"]].groupby("replicate")["date"].min()
                ups = tie[~tie["down"]]["replicate"].nunique()
                expelled = tie[tie["cause"] == "host"]["replicate"].nunique()
                rows.append({
                    "tie": f"{owner}-{other}" if channel in mutual else f"{owner}->{other}",
                    "channel": channel,
                    "moved": len(first) / replicates,
                    "cut": len(first_cut) / replicates,
                    "raised": ups / replicates,
                    "by_host": expelled / replicates,
                    "median_first_move": median_date(first),
                    "median_first_cut": median_date(first_cut),
                })
    return pd.DataFrame(rows)


def median_date(dates: pd.Series) -> str:
    """The median of dates (YYYY-MM-DD strings), to the month; '' when there are none."""
    if dates.empty:
        return ""
    return pd.to_datetime(dates).sort_values().quantile(0.5, interpolation="lower").strftime("%Y-%m")


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table (pandas' to_markdown needs the tabulate package, which Debian's python3 lacks)."""
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=pathlib.Path, help="events.csv of a multi-replicate run")
    parser.add_argument("--focal", default="PRK", help="the actor whose ties are tabled (default PRK)")
    parser.add_argument("--partners", default="MYS,CHN,RUS,LAO,VNM,KHM,IDN",
                        help="comma-separated partners (default: Malaysia and the states that kept their ties)")
    parser.add_argument("--channels", default="embassy,visa,trade,workers,aviation,port,culture,security")
    parser.add_argument("--after", default="2017-02-28", help="count moves dated after this day (default 2017-02-28)")
    parser.add_argument("--replicates", type=int, default=0, help="replicates in the run (default: read from run.json)")
    parser.add_argument("--format", choices=["markdown", "csv"], default="markdown")
    args = parser.parse_args(argv)

    events = pd.read_csv(args.events, dtype={"cameo": str})
    events = events.rename(columns={"from": "from_level", "to": "to_level"})
    replicates = args.replicates
    if replicates <= 0:
        try:
            replicates = int(json.loads(args.events.with_name("run.json").read_text())["replicates"])
        except (OSError, KeyError, ValueError, TypeError):
            replicates = int(events["replicate"].max()) + 1
    mutual = mutual_channels(args.events)
    result = table(tie_rows(events, mutual), args.focal, args.partners.split(","), args.channels.split(","),
                   replicates, args.after, mutual)
    result = result[(result["moved"] > 0) | result["tie"].str.contains("MYS")]
    for column in ("moved", "cut", "raised", "by_host"):
        result[column] = (100 * result[column]).map(lambda v: f"{v:.1f}%")
    if args.format == "csv":
        result.to_csv(sys.stdout, index=False)
    else:
        print(f"{replicates} replicates; moves after {args.after}; ties of {args.focal} with {args.partners}"
              " (ties that never move are left out, except Malaysia's)\n")
        print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
