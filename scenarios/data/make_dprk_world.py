#!/usr/bin/env python3
"""Write scenarios/dprk_world.toml, the DPRK and its partners 2000-2021, from the data in scenarios/data/.

    python3 scenarios/data/make_dprk_world.py > scenarios/dprk_world.toml

Every actor's weights come from one rule per weight ([rules.*] in the output) applied to covariates read
from the datasets; nothing about a single state is set by hand except what the record documents (a tie's
level in 2000, a dated exogenous shock). The same global parameters, channels, sanctions regime and
resolutions as scenarios/malaysia_dprk.toml are copied from that file, comments and citations included,
so both scenarios test one mechanism. docs/world_scenario.md explains each rule and the results.

Deterministic: the output depends only on the files read (ctest `scenario.dprk_world_generated` checks
that the checked-in scenario is this script's output).
"""
import csv
import datetime
import math
import pathlib
import re
import sys
import tomllib

DATA = pathlib.Path(__file__).resolve().parent
WORLD = DATA / "dprk_world"
REFERENCE = DATA.parent / "malaysia_dprk.toml"

START_YEAR = 2000
SIZE_YEAR = 2010             # the middle of the sanctions period, as in the reference scenario
UN_SESSIONS = range(55, 71)  # sessions 55-70 open Sept 2000 - Sept 2015: every vote before the cut-off
CUTOFF = datetime.date(2017, 2, 20)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fmt(x):
    """A number as TOML writes it, short and exact enough to regenerate the same bits."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    return repr(round(x, 6))


def toml_value(v):
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, (datetime.date,)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return fmt(v)


# ---------------------------------------------------------------------------------------------------------
# Data

actors = read_csv(WORLD / "actors.csv")
ids = [a["iso3"] for a in actors]
codes = {r["iso3c"]: int(r["ccode"]) for r in read_csv(DATA / "cow_codes.csv") if r["iso3c"]}
ccode = {i: codes[i] for i in ids}
by_ccode = {c: i for i, c in ccode.items()}

cinc = {by_ccode[int(r["ccode"])]: float(r["cinc"]) for r in read_csv(DATA / "national_capabilities.csv")
        if int(r["year"]) == SIZE_YEAR and int(r["ccode"]) in by_ccode}
largest = max(cinc.values())
size = {i: float(f"{100 * cinc[i] / largest:.2g}") for i in ids}

ideal = {i: [] for i in ids}
for r in read_csv(DATA / "un_ideal_points.csv"):
    c = int(r["ccode"])
    if c in by_ccode and int(r["session"]) in UN_SESSIONS:
        ideal[by_ccode[c]].append(float(r["ideal_point"]))
ideal = {i: sum(v) / len(v) for i, v in ideal.items()}
# Centred on the median state's distance, so a rule's `base` is the weight of a typical state.
distance_us = {i: abs(ideal[i] - ideal["USA"]) for i in ids}
typical_distance = round(sorted(distance_us.values())[len(ids) // 2], 2)

# ATOP: alliances with a defence or consultation promise in effect in START_YEAR, members in this world.
# An alliance is a defence pact when any member promises defence (ATOP codes obligations per member: in
# the US-Japan treaty of 1960 only the US promises to defend).
atop = read_csv(DATA / "alliances.csv")
defence = {(r["atopid"], r["phase"]) for r in atop if r["defense"] == "1"}
alliances = {}
for r in atop:
    member = int(r["member"])
    entered, left = int(r["yrent"]), int(r["yrexit"])
    if member not in by_ccode or entered > START_YEAR or (left and left < START_YEAR):
        continue
    if (r["atopid"], r["phase"]) in defence:
        alliances.setdefault((int(r["atopid"]), int(r["phase"])), set()).add(by_ccode[member])
alliances = {k: sorted(v) for k, v in sorted(alliances.items()) if len(v) >= 2}
us_ally = {i: int(any("USA" in m and i in m and i != "USA" for m in alliances.values())) for i in ids}

# COW diplomatic exchange, the observation of START_YEAR: DR_at_1 is the partner's mission in Pyongyang,
# DR_at_2 the DPRK's in the partner's capital. Code 9 ("other": an interests section, a trade office) is
# read as the lowest rung.
def embassies(year):
    levels = {}
    for r in read_csv(DATA / "diplomatic_exchange_731.csv"):
        if int(r["year"]) == year and int(r["ccode2"]) in by_ccode:
            partner = by_ccode[int(r["ccode2"])]
            rung = lambda code: 1 if int(code) == 9 else int(code)
            levels[(partner, "PRK")] = rung(r["DR_at_1"])
            levels[("PRK", partner)] = rung(r["DR_at_2"])
    return levels


embassy_2000, embassy_2005 = embassies(START_YEAR), embassies(2005)
EMBASSY_LEVELS = ["none", "charge", "minister", "ambassador"]
record_2000 = read_csv(WORLD / "dprk_ties_2000.csv")
# The documented record corrects COW where they disagree (each row cites its source).
embassy_start = dict(embassy_2000)
for r in record_2000:
    if r["channel"] == "embassy":
        pair = (r["iso3"], "PRK") if r["direction"] == "to_prk" else ("PRK", r["iso3"])
        embassy_start[pair] = EMBASSY_LEVELS.index(r["level"])
seats = read_csv(WORLD / "unsc_seats.csv")
reference = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
reference_text = REFERENCE.read_text(encoding="utf-8")


def blocks(text):
    """The reference file cut into its tables: header line -> the text from it to the next header, with
    the comment lines just above the next header left to that header (they introduce it)."""
    lines = text.splitlines()
    heads = [k for k, line in enumerate(lines) if re.match(r"^\[\[?[A-Za-z_.0-9-]+\]\]?", line)]
    out = []
    for n, k in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        while end - 1 > k and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
            end -= 1
        begin = k
        while begin - 1 >= 0 and lines[begin - 1].startswith("#") and (n == 0 or begin - 1 >= out[-1][2]):
            begin -= 1
        out.append((lines[k].split("]")[0] + "]", "\n".join(lines[begin:end]), end))
    return [(h, body) for h, body, _ in out]


reference_blocks = blocks(reference_text)


def reference_block(header):
    found = [body for h, body in reference_blocks if h == header]
    assert len(found) == 1, header
    return found[0]


# ---------------------------------------------------------------------------------------------------------
# Output

out = []
w = out.append

w("""# The DPRK and its partners, 2000-2021: the second reference scenario, the test of the first.
#
# GENERATED by scenarios/data/make_dprk_world.py from the data in scenarios/data/ (README.md there gives
# each dataset's source, version and citation); edit the data or the script, not this file.
#
# 47 states with a DPRK tie or a DPRK decision in the record. Their weights are not set one by one: each
# weight is one rule ([rules.*] below) of covariates read from data, and the rules' few coefficients are
# what `tiesim calibrate` fits, against every state's targets at once (docs/world_scenario.md). The global
# parameters, channels, the UN sanctions regime, the resolutions and the DPRK's tests are those of
# scenarios/malaysia_dprk.toml, copied with their comments, so both scenarios test one mechanism.
#
# Training record: nothing dated after 2017-02-20, neither event nor target. What each state did
# afterwards is for the model to say and is judged from outside.
""")

w("[scenario]")
w('name = "dprk_world"')
w('description = "The DPRK and 46 partners under UN sanctions, 2000-2017 (training) and to 2021 (forecast)"')
w("start = 2000-01-01")
w("end = 2021-12-01")
w('step = "month"')
w("spinup_steps = 0             # the ties of 2000 are the record's (COW, the documented record), not an")
w("                             # equilibrium the model finds for itself")
w("")
w(reference_block("[model]").replace("[model]", "[model]", 1))
w("")

# --- rules -------------------------------------------------------------------------------------------------
w(f"""# ---------------------------------------------------------------------------------------------------------
# Weights by rule. Covariates, per actor (see [actors.*.covariates]):
#   un_distance_us  mean |ideal point - the US's| over UNGA sessions 55-70 (2000-2015) [UNGA], less the
#                   median state's ({typical_distance}): about -1.7 for the European states, -1.3 for Japan and
#                   South Korea, +0.9 for Iran and the DPRK. Distance from the sanctions' sponsors stands for
#                   how much a state shares the non-proliferation order the resolutions defend.
#   us_ally         1 for a defence pact with the US in force in 2000 [ATOP]
#   log_size        ln(size): larger states feel less of any given scrutiny
#   tcog            1 for the three members of the Trilateral Co-ordination and Oversight Group (US, Japan,
#                   South Korea, 1999-2003), the states whose DPRK policy presses third states
#   ideal_point     the same mean ideal point, for the starting affect of every pair
""")
RULES = {  # the values marked "fitted" are the best of 400 evaluations of the joint calibration in
           # docs/world_scenario.md (tiesim calibrate ... --budget 400 --replicates 20 --seed 1)
    "compliance": ("log", 0.076852, {"un_distance_us": -0.111111, "us_ally": 0.2},
                   "fitted base and distance: voting with the US in the UNGA goes with honouring its sanctions"),
    "pressure_sensitivity": ("log", 0.075, {"un_distance_us": 0.944444, "us_ally": 1.5, "log_size": -0.416667},
                             "fitted: exposure to US finance and markets; allies and small states feel most"),
    "autonomy": ("log", 0.6, {"un_distance_us": 0.3},
                 "non-aligned states value keeping doors open"),
    "alignment": ("log", 0.3, {"us_ally": 0.7},
                  "allies hear their allies' hostility to a partner"),
    "pressure_strength": ("linear", 0.0, {"tcog": 0.001111},
                          "fitted: only the three states that press third parties over the DPRK"),
}
for weight, (link, base, coefs, why) in RULES.items():
    w(f"[rules.{weight}]           # {why}")
    if link != "log":
        w(f'link = "{link}"')
    w(f"base = {fmt(base)}")
    for k, v in coefs.items():
        w(f"{k} = {fmt(v)}")
    w("")
w("""[rules.affect]               # starting affect and anchor of every pair from UN voting [UNGA]: states that
covariate = "ideal_point"    # vote alike like each other; an alliance adds warmth [ATOP]
neutral_distance = 2.222222    # fitted. The US's distance from Western Europe is ~1.6, from most of Asia
slope = 0.25                   # and Africa ~3.5: affect +0.15 and -0.3; the DPRK with Iran or Syria ~0: +0.55
alliance = 0.2
""")
w("# Pairs whose hostility UN voting cannot show (scenarios/data/dprk_world/affect.csv, each with its source).")
for r in read_csv(WORLD / "affect.csv"):
    w(f'[[affect]]                   # {r["source"]}\nfrom = "{r["from"]}"\nto = "{r["to"]}"\nvalue = {r["value"]}\n')

# --- actors -------------------------------------------------------------------------------------------------
w("""# ---------------------------------------------------------------------------------------------------------
# Actors. size: COW CINC share in 2010 [NMC], rescaled so the largest (China) is 100, two significant
# figures, as in the reference scenario. Weights not listed come from the rules above; benefit, affinity,
# anchoring, precision and reciprocation are the reference scenario's values for every state.
""")
for a in actors:
    i = a["iso3"]
    w(f"[actors.{i}]")
    w(f'name = "{a["name"]}"')
    w(f"size = {fmt(size[i])}               # CINC {cinc[i]:.4f} [NMC]")
    w("benefit = 1.0")
    w("affinity = 2.0")
    w("anchoring = 0.1")
    w("precision = 25")
    w("reciprocation = 0.25")
    cov = {"un_distance_us": round(distance_us[i] - typical_distance, 4), "us_ally": us_ally[i], "log_size": round(math.log(size[i]), 4),
           "tcog": int(a["tcog"]), "ideal_point": round(ideal[i], 4)}
    w(f"covariates = {toml_value(cov)}")
    w("")

# --- channels (the reference's) -----------------------------------------------------------------------------
w("# ---------------------------------------------------------------------------------------------------------")
w("# Channels: scenarios/malaysia_dprk.toml's, unchanged.")
for name in reference["channels"]:
    w(reference_block(f"[channels.{name}]"))
    w("")

# --- ties ---------------------------------------------------------------------------------------------------
w("""# ---------------------------------------------------------------------------------------------------------
# Starting ties, 2000. The DPRK's: embassies from COW diplomatic exchange 2000 [DIPEX], every other channel
# from the documented record (scenarios/data/dprk_world/dprk_ties_2000.csv, each row with its source).
# Ties between other states by rule, since no dataset here covers them: ambassadors both ways, and trade
# by a gravity rule on CINC, level = round(9 + log10(cinc_i cinc_j)) within 1-6, a rung more within a region
# (USA-JAPAN: massive; two small states on two continents: small).
""")
others = [i for i in ids if i != "PRK"]
w("[[ties]]")
w(f"from = {toml_value(others)}")
w(f"to = {toml_value(others)}")
w('channel = "embassy"')
w('level = "ambassador"')
w("")
region = {a["iso3"]: a["region"] for a in actors}
by_level = {}
for k, i in enumerate(others):
    for j in others[k + 1:]:
        level = round(9 + math.log10(cinc[i] * cinc[j]) + (0.5 if region[i] == region[j] else -0.5))
        by_level.setdefault(min(6, max(1, level)), []).append((i, j))
for level, pairs in sorted(by_level.items()):
    for i, j in pairs:
        w(f'[[ties]]\nfrom = "{i}"\nto = "{j}"\nchannel = "trade"\nlevel = {level}\n')
for (i, j), level in sorted(embassy_2000.items()):
    if level:
        w(f'[[ties]]                     # [DIPEX] {START_YEAR}\nfrom = "{i}"\nto = "{j}"\nchannel = "embassy"\nlevel = {level}\n')
for r in record_2000:
    i, j = (r["iso3"], "PRK") if r["direction"] != "from_prk" else ("PRK", r["iso3"])
    w(f'[[ties]]                     # {r["source"]}\nfrom = "{i}"\nto = "{j}"\nchannel = "{r["channel"]}"\nlevel = "{r["level"]}"\n')
w("# Ties between other states that the rule above gets wrong: pairs without relations or under embargo")
w("# (scenarios/data/dprk_world/ties_2000.csv, each with its source).")
for r in read_csv(WORLD / "ties_2000.csv"):
    w(f'[[ties]]                     # {r["source"]}\nfrom = "{r["from"]}"\nto = "{r["to"]}"\nchannel = "{r["channel"]}"\nlevel = "{r["level"]}"'
      + ("\nboth_ways = true" if r["both_ways"] == "true" and r["channel"] != "trade" else "") + "\n")
landlocked = [a["iso3"] for a in actors if a["landlocked"] == "1"]
w("[[ties]]                     # a landlocked state has no ports to open (CIA World Factbook)")
w(f"from = {toml_value(landlocked)}")
w('to = "*"')
w('channel = "port"')
w("max_level = 0")
w("")

# --- regimes ------------------------------------------------------------------------------------------------
w("""# ---------------------------------------------------------------------------------------------------------
# Regimes. The UN sanctions and Malaysia's Strategic Trade Act are the reference scenario's; the blocs are
# their members in this world; every defence pact of ATOP in force in 2000 with two or more members here is
# an alliance (its id the ATOP id), with the default cohesion.
""")
w(reference_block("[regimes.unsc_dprk]"))
w("")
w(reference_block("[regimes.mys_strategic_trade_act]"))
w("")
asean = [a["iso3"] for a in actors if a["region"] == "southeast_asia"]
eu = ["DEU", "GBR", "SWE", "POL", "CZE", "BGR", "ROU", "ESP", "ITA", "MLT"]
w(f'[regimes.asean]\nkind = "bloc"\nname = "ASEAN"\nmembers = {toml_value(asean)}\ncohesion = 0.3              # the reference\'s: the "ASEAN way" of non-interference\n')
w(f'[regimes.eu]\nkind = "bloc"\nname = "European Union (members by 2007)"\nmembers = {toml_value(eu)}\ncohesion = 0.5              # the default: a common foreign and security policy, national embassies\n')
for (atopid, phase), members in alliances.items():
    w(f'[regimes.atop_{atopid}]\nkind = "alliance"\nname = "ATOP {atopid} (defence pact)"\nmembers = {toml_value(members)}\n')

# --- events -------------------------------------------------------------------------------------------------
w("""# ---------------------------------------------------------------------------------------------------------
# Events: the reference scenario's exogenous shocks dated 2000-01-01 to 2017-02-20 (resolutions, tests,
# incidents, agreements, lobbying), its comments kept. Its Security Council seats are replaced by one role
# per elected member of this world (scenarios/data/dprk_world/unsc_seats.csv, from the UN's list of
# members), each worth what the reference gives Malaysia's seat. Then the shocks of the wider record
# (scenarios/data/dprk_world/events.toml).
""")
start, seat_role = datetime.date(START_YEAR, 1, 1), reference["events"]["mys_unsc_seat"]
for name, e in reference["events"].items():
    if start <= e["date"] <= CUTOFF and not name.endswith("_unsc_seat"):
        w(reference_block(f"[events.{name}]"))
        w("")
for name, e in reference["random_events"].items():
    if e.get("until", CUTOFF) >= start:
        w(reference_block(f"[random_events.{name}]").replace("from = 1990-01-01", f"from = {start}"))
        w("")
for s in seats:
    since = datetime.date.fromisoformat(s["from"])
    if since > CUTOFF:
        continue
    w(f'[events.unsc_seat_{s["iso3"].lower()}_{since.year}]\nlabel = "{s["iso3"]} on the Security Council"\n'
      f'date = {s["from"]}\nkind = "role"\nactor = "{s["iso3"]}"\nuntil = {s["until"]}\n'
      f'compliance = {fmt(seat_role["compliance"])}\npressure_sensitivity = {fmt(seat_role["pressure_sensitivity"])}\n')
w((WORLD / "events.toml").read_text(encoding="utf-8"))

# --- targets ------------------------------------------------------------------------------------------------
w("""# ---------------------------------------------------------------------------------------------------------
# Targets. A target's id begins with the state it is about (lower case), so leave-one-state-out can set a
# state's record aside (analysis/leave_one_state_out.py), and its weight is 1 / its state's count of targets. First the reference scenario's Malaysian targets,
# their windows cut to start in 2000; then the wider record (scenarios/data/dprk_world/targets.toml).
""")


def about(t):
    """The state a target is about: the first of its `from`, or of its `to` when that is the DPRK."""
    first = lambda v: v if isinstance(v, str) else v[0]
    state = first(t["from"]) if "from" in t else first(t["first"]["from"])
    if state == "PRK" and "to" in t:
        state = first(t["to"])
    return state.lower()


def clip(d):
    return max(d, start)


for name, t in reference["targets"].items():
    t = dict(t)
    if "during" in t:
        if t["during"][1] < start:
            continue
        t["during"] = [clip(t["during"][0]), t["during"][1]]
    for key in ("baseline", "after"):
        if key in t:
            t[key] = clip(t[key])
    if "window" in t:
        t["window"] = [clip(t["window"][0]), t["window"][1]]
    w(f"[targets.{about(t)}_{name}]")
    for k, v in t.items():
        w(f"{k} = {toml_value(v)}")
    w("")
w("""# The wider record (scenarios/data/dprk_world/dprk_record.csv and dprk_kept.csv, each row with its source;
# Malaysia's own rows are the targets above). A dated change to a new level is a `first_change` in its month
# and the months either side (its year, for a year-dated fact), looked for from a year before; a change the
# ladder cannot show (a diplomat expelled, the mission kept) is left out. A tie documented as kept is a
# `level` target over the years it is documented, up to the cut-off.
""")
record = [r for r in read_csv(WORLD / "dprk_record.csv") if r["iso3"] != "MYS"]
kept = [r for r in read_csv(WORLD / "dprk_kept.csv") if r["iso3"] != "MYS"]
levels_of = {name: c["levels"] for name, c in reference["channels"].items()}
current = {}
for r in record_2000:
    current[(r["iso3"], r["channel"], r["direction"])] = levels_of[r["channel"]].index(r["level"])
for (i, j), level in embassy_start.items():
    current[(i if j == "PRK" else j, "embassy", "to_prk" if j == "PRK" else "from_prk")] = level


def pair(r):
    return ("PRK", r["iso3"]) if r["direction"] == "from_prk" else (r["iso3"], "PRK")


def month_window(text):
    """A fact's window: its month and the months either side, or its year."""
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    year, month = parts[0], parts[1]
    first = datetime.date(year - (month == 1), 12 if month == 1 else month - 1, 1)
    after_next = datetime.date(year + (month >= 11), (month + 1) % 12 + 1, 1)
    return first, after_next - datetime.timedelta(days=1)


def bound(text, end):
    parts = [int(x) for x in text.split("-")]
    if end:
        day = datetime.date(parts[0], 12, 31) if len(parts) == 1 else \
            (datetime.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1) - datetime.timedelta(days=1)
             if len(parts) == 2 else datetime.date(*parts))
        return min(day, CUTOFF)
    return max(datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1), start)


used = set()
for r in sorted(record, key=lambda r: r["date"]):
    key = (r["iso3"], r["channel"], r["direction"])
    level = levels_of[r["channel"]].index(r["to_level"])
    if level == current.get(key, 0):
        continue
    current[key] = level
    first, last = month_window(r["date"])
    i, j = pair(r)
    name = f'{r["iso3"].lower()}_{r["channel"]}_{r["direction"]}_{r["change"]}_{r["date"].replace("-", "")[:6]}'
    assert name not in used, name
    used.add(name)
    w(f"[targets.{name}]")
    w(f'label = {toml_value(r["fact"] + " (" + r["source"] + ")")}')
    w(f'kind = "first_change"\nfrom = "{i}"\nto = "{j}"\nchannel = "{r["channel"]}"\ndirection = "{r["change"]}"')
    w(f"after = {max(start, first.replace(year=first.year - 1))}\nwindow = [{max(first, start)}, {min(last, CUTOFF)}]\n")
w("""# Missions that did not exist: a pair with no mission either year in COW 2000 and 2005 [DIPEX], that the
# record does not open by 2005, has none through 2005. A tie that never was is as much a fact as one kept.
""")
opened = {pair(r) for r in record if r["channel"] == "embassy" and r["change"] == "up" and r["date"][:4] <= "2005"}
for (i, j), level in sorted(embassy_start.items()):
    if level or embassy_2005.get((i, j), 0) or (i, j) in opened:
        continue
    state, direction = (i, "to_prk") if j == "PRK" else (j, "from_prk")
    name = f"{state.lower()}_embassy_{direction}_none_2000_2005"
    w(f"[targets.{name}]")
    w(f'label = "No {i} mission in {j} in 2000 or 2005 [DIPEX]"')
    w(f'kind = "level"\nfrom = "{i}"\nto = "{j}"\nchannel = "embassy"\nduring = [{start}, 2005-12-31]\nvalue = "none"\n')
for r in kept:
    i, j = pair(r)
    name = f'{r["iso3"].lower()}_{r["channel"]}_{r["direction"]}_kept'
    assert name not in used, name
    used.add(name)
    w(f"[targets.{name}]")
    w(f'label = {toml_value(r["fact"] + " (" + r["source"] + ")")}')
    w(f'kind = "level"\nfrom = "{i}"\nto = "{j}"\nchannel = "{r["channel"]}"')
    w(f'during = [{bound(r["during_from"], False)}, {bound(r["during_to"], True)}]\ncompare = ">="\nvalue = "{r["level_at_least"]}"\n')


# Every state counts once in the calibration loss: a target's weight is 1 / the number of its state's
# targets, so the 19 Malaysian facts or China's 14 kept ties weigh as much as Thailand's 3.
text = "\n".join(out).rstrip("\n")
states = re.findall(r"^\[targets\.([a-z]+)_", text, flags=re.M)
count = {state: states.count(state) for state in states}
text = re.sub(r"^(\[targets\.([a-z]+)_[^\]]*\])$",
              lambda m: f"{m.group(1)}\nweight = {fmt(1 / count[m.group(2)])}", text, flags=re.M)
print(text)
