#!/usr/bin/python3
"""A plain vectorised NumPy implementation of tiesim's step, checked against the C++ one and timed against it.

Usage: /usr/bin/python3 tests/bench/reference_step.py DUMP_DIR [--repeats R]

DUMP_DIR is written by `tiesim_bench_dump SCENARIO DUMP_DIR [REPEATS] [--at DATE]` (tests/bench/dump.cpp): a
state of the scenario's first replicate one step before the end of its spin-up (or, with --at, at the start of
the step that contains DATE), the choice every tie would face in that state as step() computes it, the next
step's dated events and what is in effect (roles, agreements, reports), the state one step later, and the C++
timings. ctest runs it as model.numpy_reference on tests/data/numpy_reference.toml at a step with a dated
event of every kind.

This file follows docs/model.md, not the C++ code: the step's events, pressure, then the situation (friends'
hostility), then every tie's utility at its three candidate levels and the logit choice, the keyed review and
choice draws (core/rng.hpp), synchronous application with mutual ties at the lower wish, reciprocity shocks,
and the affect update. The events' bookkeeping is the one docs/model.md describes, made precise in three
points (each check below that depends on one names it in its output, as "needs: ..."):
  [report]    a reporting deadline raises enforcement after the step's dated events, so that a report due in
              the step of its own resolution counts in that step;
  [roles]     a role changes the weights at once: for the events after it in the same step, and no longer in
              the first step after its `until`;
  [agreement] a tie's agreement bonus is the sum of the bonuses of the agreements in effect (not a running
              total that adds and subtracts them).
It checks
  1. the choice probabilities of every tie in the dumped state: |NumPy − C++| ≤ 1e-12;
  2. one whole step, events included: enforcement, caps, weights and agreement bonuses after the events, the
     same levels, and affect and pressure within 1e-12 (pressure relative to max(1, |p|));
and prints the CPU time of each against the C++ CPU timings (median of R runs), as a ratio NumPy / C++.

Tolerance. Levels, caps, weights and bonuses must be equal: they are integers, or sums of at most two
doubles (base + one role, or two agreements), which IEEE arithmetic rounds the same in any order. Affect,
pressure, enforcement and probabilities are O(1) sums of a few dozen products (N = 5, C = 3 here) that the
engine adds in its own fixed order and NumPy in another (BLAS for A·A and W·p, pairwise sums), and
exp() of two libms may differ by an ulp: their differences are a few ulps of 1, ~1e-15, so 1e-12 leaves a
margin of 1000 while any modelling difference (a term, an event, a step out of order) moves them by more
than 1e-6. A level could differ only if a uniform fell within 1e-12 of a cumulative probability, about once
in 10^12 decisions.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

TOLERANCE = 1e-12
UNCAPPED = 1 << 20                         # model.hpp's `uncapped`
WEIGHTS = ("benefit", "affinity", "autonomy", "compliance", "pressure_sensitivity", "alignment")
U64 = np.uint64
MIX_1, MIX_2 = U64(0xBF58476D1CE4E5B9), U64(0x94D049BB133111EB)
GAMMA = U64(0x9E3779B97F4A7C15)           # KeyedEngine's increment
PURPOSE = 0xD1B54A32D192ED03               # draw purpose multiplier: review 1, choice 2
REVIEW_SALT, CHOICE_SALT = U64(1 * PURPOSE % 2**64), U64(2 * PURPOSE % 2**64)
GAMMA_2 = U64(2 * 0x9E3779B97F4A7C15 % 2**64)


# ---------------------------------------------------------------------------------------------- keyed draws
def mix64(z):
    """SplitMix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    z = np.asarray(z, dtype=U64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> U64(30))) * MIX_1
        z = (z ^ (z >> U64(27))) * MIX_2
    return z ^ (z >> U64(31))


def combine_key(words):
    key = U64(0x6A09E667F3BCC909)
    for word in words:
        with np.errstate(over="ignore"):
            key = mix64(key ^ mix64(U64(word) + GAMMA))
    return key


def uniform(keys):
    """boost::uniform_01 over KeyedEngine(key): double(first output) · 2^-64 (redrawn if it rounds to 1)."""
    with np.errstate(over="ignore"):
        out = mix64(keys + GAMMA).astype(np.float64) * 2.0**-64
        again = out >= 1.0
        if again.any():
            out[again] = mix64(keys[again] + GAMMA_2).astype(np.float64) * 2.0**-64
    return out


# ---------------------------------------------------------------------------------------------- the model
class World:
    def __init__(self, directory):
        d = Path(directory)
        self.meta = meta = json.loads((d / "meta.json").read_text())
        self.n, self.c, self.r = n, c, r = meta["n"], meta["c"], meta["r"]
        par = meta["parameters"]
        self.decay, self.diffusion = par["pressure_decay"], par["pressure_diffusion"]
        self.balance, self.reciprocity = par["balance"], par["reciprocity"]
        self.follow_through = par["follow_through"]
        self.seed, self.step = int(meta["seed"]), meta["step"]
        actors, channels, regimes = meta["actors"], meta["channels"], meta["regimes"]
        self.size = np.array([a["size"] for a in actors])
        self.size_factor = self.size ** par["size_exponent"]
        self.precision = np.array([a["precision"] for a in actors])
        self.anchoring = np.array([a["anchoring"] for a in actors])
        self.strength = np.array([a["pressure_strength"] for a in actors])
        self.actor_keys = np.array([int(a["key"]) for a in actors], dtype=U64)
        self.channel_keys = np.array([int(ch["key"]) for ch in channels], dtype=U64)
        field = lambda name: np.array([ch[name] for ch in channels], dtype=float)
        self.mutual = np.array([ch["mutual"] for ch in channels])
        self.top = field("top")
        for name in ("visibility", "salience", "benefit", "curvature", "upkeep", "openness", "cost_up", "cost_down",
                     "review_rate", "index_weight", "goldstein_up", "goldstein_down"):
            setattr(self, name, field(name))
        self.kind = [g["kind"] for g in regimes]
        self.cohesion = np.array([g["cohesion"] for g in regimes])
        self.regime_enforcement = np.array([g["enforcement"] for g in regimes])
        self.in_force_step = [g["in_force_step"] for g in regimes]
        self.event_affect_scale = par["event_affect_scale"]
        self.events, self.roles = meta["events"], meta["roles"]
        self.agreements, self.reports = meta["agreements"], meta["reports"]
        load = lambda name, dtype, shape: np.fromfile(d / f"{name}.bin", dtype=dtype).reshape(shape)
        self.level = load("level", np.uint8, (n, n, c)).astype(np.int64)
        self.moved = load("moved", np.uint8, (n, n, c)).astype(bool)
        self.affect = load("affect", np.float64, (n, n))
        self.anchor = load("anchor", np.float64, (n, n))
        self.pressure = load("pressure", np.float64, (n,))
        self.bonus = load("bonus", np.float64, (n, n, c))
        self.weights = load("weights", np.float64, (n, 6))  # benefit affinity autonomy compliance sensitivity alignment
        self.base_weights = load("base_weights", np.float64, (n, 6))
        self.enforcement = load("enforcement", np.float64, (r,))
        self.caps = load("caps", np.int32, (r, c)).astype(np.int64)
        self.members = load("members", np.uint8, (r, n)).astype(bool)
        self.targets = load("targets", np.uint8, (r, n)).astype(bool)
        self.cpp_probability = load("choice_probability", np.float64, (n, n, c, 3))
        self.cpp_level = load("choice_level", np.int32, (n, n, c, 3))
        self.cpp_count = load("choice_count", np.uint8, (n, n, c))
        self.next_level = load("next_level", np.uint8, (n, n, c)).astype(np.int64)
        self.next_affect = load("next_affect", np.float64, (n, n))
        self.next_pressure = load("next_pressure", np.float64, (n,))
        self.next_enforcement = load("next_enforcement", np.float64, (r,))
        self.next_caps = load("next_caps", np.int32, (r, c)).astype(np.int64)
        self.next_bonus = load("next_bonus", np.float64, (n, n, c))
        self.next_weights = load("next_weights", np.float64, (n, 6))
        # pressure diffusion's W: alliance and bloc partners weighted by cohesion, rows normalised
        links = np.zeros((n, n))
        for g in range(r):
            if self.kind[g] in ("alliance", "bloc"):
                m = self.members[g]
                links += self.cohesion[g] * np.outer(m, m)
        np.fill_diagonal(links, 0.0)
        totals = links.sum(axis=1)
        self.links = np.where(totals[:, None] > 0, links / np.where(totals > 0, totals, 1.0)[:, None], np.eye(n))

    # ---- step 2: pressure
    def exposure(self, level):
        """Σ_c v_c x_ijc / L_c for every pair."""
        return (level * (self.visibility / self.top)).sum(axis=2)

    def pressure_update(self, level, pressure, enforcement, shock):
        n = self.n
        exposure = self.exposure(level)
        np.fill_diagonal(exposure, 0.0)
        regime = np.zeros(n)
        sanctioned = np.zeros(n, dtype=bool)
        for g in range(self.r):
            if self.kind[g] != "sanctions" or enforcement[g] <= 0:
                continue
            sanctioned |= self.targets[g]
            regime += np.where(self.members[g], enforcement[g] * exposure[:, self.targets[g]].sum(axis=1), 0.0)
        exposed = exposure[:, sanctioned].sum(axis=1)
        tie_index = (level * (self.index_weight / self.top)).sum(axis=2) / self.index_weight.sum()
        senders = self.strength * self.size
        np.fill_diagonal(tie_index, 0.0)
        secondary = np.where(exposed > 0, (tie_index * senders[None, :]).sum(axis=1) * exposed, 0.0)
        p = self.decay * pressure + regime + secondary + shock
        if self.diffusion > 0:
            p = (1.0 - self.diffusion) * p + self.diffusion * (self.links @ p)
        return np.maximum(p, 0.0)

    # ---- step 3: every tie's choice
    def choices(self, level, affect, pressure, weights=None, bonus=None, enforcement=None, caps=None):
        """Probabilities and levels of every tie's three candidates x−1, x, x+1 (invalid ones have p = 0), in the
        dumped state or in the one given."""
        n, c = self.n, self.c
        w = self.weights if weights is None else weights
        bonus = self.bonus if bonus is None else bonus
        enforcement = self.enforcement if enforcement is None else enforcement
        all_caps = self.caps if caps is None else caps
        binding = [g for g in range(self.r) if self.kind[g] in ("sanctions", "commitment") and enforcement[g] > 0]
        sanctioned = np.zeros(n, dtype=bool)
        for g in binding:
            if self.kind[g] == "sanctions":
                sanctioned |= self.targets[g]
        friends = np.maximum(affect, 0.0) * self.size[None, :]
        totals = friends.sum(axis=1)
        friends = friends / np.where(totals > 0, totals, 1.0)[:, None]
        hostility = friends @ np.maximum(-affect, 0.0)

        benefit_scale = (w[:, 0, None, None] * self.benefit[None, None, :] * (1.0 + bonus)
                         * self.size_factor[None, :, None])
        upkeep = w[:, 0, None, None] * self.upkeep[None, None, :]
        affinity = (w[:, 1, None] * affect)[:, :, None] * self.salience[None, None, :]
        autonomy = w[:, 2, None, None] * self.openness[None, None, :]
        compliance = w[:, 3, None, None]
        scrutiny = np.where(sanctioned[None, :, None],
                            (w[:, 4] * pressure)[:, None, None] * self.visibility[None, None, :], 0.0)
        alignment = (w[:, 5, None] * hostility)[:, :, None] * self.visibility[None, None, :]

        candidates = level[..., None] + np.array([-1, 0, 1])
        valid = (candidates >= 0) & (candidates <= self.top[None, None, :, None])
        y = np.clip(candidates, 0, self.top[None, None, :, None].astype(np.int64))
        share = y / self.top[None, None, :, None]
        gain = np.where(y > 0, benefit_scale[..., None] * share ** self.curvature[None, None, :, None], 0.0)
        excess = np.zeros(y.shape)
        for g in binding:
            bound = (self.members[g][:, None] & self.targets[g][None, :])[:, :, None, None]
            caps = all_caps[g][None, None, :, None]
            capped = bound & (caps < self.top[None, None, :, None])
            excess = excess + np.where(capped, enforcement[g] * np.maximum(y - caps, 0), 0.0)
        # the terms of U(y) (docs/model.md), added up in the order of UtilityTerms::total()
        adjustment = (-self.cost_up[None, None, :, None] * np.maximum(y - level[..., None], 0)
                      - self.cost_down[None, None, :, None] * np.maximum(level[..., None] - y, 0))
        utility = ((gain - upkeep[..., None] * share) + affinity[..., None] * share
                   + np.where(y > 0, autonomy[..., None], 0.0) - compliance[..., None] * excess
                   - scrutiny[..., None] * share - alignment[..., None] * share + adjustment)
        utility = np.where(valid, utility, -np.inf)
        best = utility.max(axis=3, keepdims=True)
        weight = np.where(utility == best, 1.0,
                          np.exp(np.where(valid, self.precision[:, None, None, None] * (utility - best), -np.inf)))
        probability = weight / weight.sum(axis=3, keepdims=True)
        return probability, candidates, valid

    # ---- the keyed draws of a step
    def keys(self):
        step_key = combine_key([self.seed, self.step % (1 << 64)])  # the step about to run, as an unsigned word
        row = mix64(step_key ^ self.actor_keys)
        pair = mix64(row[:, None] ^ self.actor_keys[None, :])        # pair_key(i, j)
        first = self.actor_keys[:, None] <= self.actor_keys[None, :]
        unordered = np.where(first, pair, pair.T)                     # the smaller id key first
        return pair, unordered

    # ---- step 1: the step's events
    def apply_events(self):
        """The dated events of the step about to run, and what expires or falls due in it. Returns the state they
        leave: affect, enforcement, caps, bonus, weights, the pairs whose ties are all reviewed, and the lobbying
        pressure."""
        n, now = self.n, self.step
        affect, enforcement, caps = self.affect.copy(), self.enforcement.copy(), self.caps.copy()
        forced = np.zeros((n, n), dtype=bool)
        pressure_shock = np.zeros(n)
        # [roles] roles past their `until` end now; weights follow every change of the roles at once
        roles = [role for role in self.roles if role["until_step"] < 0 or now <= role["until_step"]]

        def weights_now():
            w = self.base_weights.copy()
            for role in roles:
                w[role["actor"]] += np.array(role["change"])
            return w
        weights = weights_now()
        # [agreement] agreements past their `until` end now; a tie's bonus is the sum over those in effect
        agreements = [a for a in self.agreements if a["until_step"] < 0 or now <= a["until_step"]]

        def bonus_now():
            bonus = np.zeros((n, n, self.c))
            for a in agreements:
                bonus[a["actor"], a["partner"], a["channel"]] += a["bonus"]
                bonus[a["partner"], a["actor"], a["channel"]] += a["bonus"]
            return bonus
        reports = list(self.reports)
        # regimes coming into force by their own date
        for g in range(self.r):
            if self.kind[g] in ("sanctions", "commitment") and 0 < self.in_force_step[g] == now and enforcement[g] <= 0:
                enforcement[g] = self.regime_enforcement[g]

        def shock_affect(i, j, amount):
            affect[i, j] = min(max(affect[i, j] + amount, -1.0), 1.0)

        for e in self.events:
            shock = self.event_affect_scale * e["intensity"] * e["goldstein"] / 10.0
            kind, actor, partner = e["kind"], e["actor"], e["partner"]
            if kind == "resolution":
                g = e["regime"]
                if e["sets_enforcement"]:
                    enforcement[g] = e["enforcement"]
                elif enforcement[g] <= 0:
                    enforcement[g] = self.regime_enforcement[g]
                for ch, cap in enumerate(e["caps"]):
                    if cap >= 0:
                        caps[g, ch] = min(caps[g, ch], cap)
                if e["report_step"] >= 0:
                    reports.append({"regime": g, "step": e["report_step"], "boost": e["report_boost"]})
            elif kind == "provocation":      # others turn against the author as much as they value the norms
                for i in range(n):
                    if i != actor:
                        shock_affect(i, actor, shock * weights[i, 3])
            elif kind == "incident":
                shock_affect(partner, actor, shock)
                forced[actor, partner] = forced[partner, actor] = True
            elif kind == "agreement":
                agreements.append({"actor": actor, "partner": partner, "channel": e["channel"],
                                   "until_step": e["until_step"], "bonus": e["benefit"]})
                shock_affect(actor, partner, shock)
                shock_affect(partner, actor, shock)
                forced[actor, partner] = forced[partner, actor] = True
            elif kind == "role":
                roles.append({"actor": actor, "until_step": e["until_step"], "change": e["weight_change"]})
                weights = weights_now()
            elif kind == "lobbying":
                pressure_shock[partner] += e["pressure"]
                if e["against"] >= 0:
                    shock_affect(partner, e["against"], -e["affect"])
                    forced[partner, e["against"]] = forced[e["against"], partner] = True
        # [report] deadlines falling due in this step, after its dated events
        for report in reports:
            if report["step"] == now:
                enforcement[report["regime"]] += report["boost"]
        return affect, enforcement, caps, bonus_now(), weights, forced, pressure_shock

    def step_once(self):
        """One whole step from the dumped state; returns levels, affect, pressure and the events' bookkeeping."""
        n, c = self.n, self.c
        level = self.level
        affect, enforcement, caps, bonus, weights, forced, pressure_shock = self.apply_events()
        pressure = self.pressure_update(level, self.pressure, enforcement, pressure_shock)
        probability, candidates, valid = self.choices(level, affect, pressure, weights, bonus, enforcement, caps)
        pair, unordered = self.keys()
        review_keys = mix64(np.where(self.mutual[None, None, :], unordered[..., None], pair[..., None])
                            ^ (self.channel_keys ^ REVIEW_SALT)[None, None, :])
        reviewed = uniform(review_keys) < self.review_rate[None, None, :]
        if self.follow_through:
            reviewed |= self.moved
        reviewed |= forced[:, :, None]                                        # an event of the pair: all its ties
        off_diagonal = ~np.eye(n, dtype=bool)[:, :, None]
        upper = np.triu(np.ones((n, n), dtype=bool), 1)[:, :, None]
        reviewed &= off_diagonal & np.where(self.mutual[None, None, :], upper, True)
        # every tie's wish: the level drawn from its own choice (inverse of the cumulative distribution)
        u = uniform(mix64(pair[..., None] ^ (self.channel_keys ^ CHOICE_SALT)[None, None, :]))
        cumulative = np.cumsum(np.where(valid, probability, 0.0), axis=3)
        count = valid.sum(axis=3)
        first_valid = np.argmax(valid, axis=3)
        k = np.where(u[..., None] < cumulative, np.arange(3), 3).min(axis=3)   # the first k with u < cumulative
        k = np.minimum(np.maximum(k, first_valid), first_valid + count - 1)     # … among the valid ones, else the last
        wish = np.take_along_axis(candidates, k[..., None], axis=3)[..., 0]
        wish_back = np.transpose(wish, (1, 0, 2))                             # j's wish toward i
        chosen = np.where(self.mutual[None, None, :], np.minimum(wish, wish_back), wish)
        change = reviewed & (chosen != level)
        new_level = np.where(change, chosen, level)
        new_level = np.where(self.mutual[None, None, :] & np.transpose(change, (1, 0, 2)), np.transpose(chosen, (1, 0, 2)), new_level)
        # reciprocity: a move by i toward j shocks a_ji; for a mutual cut, each side that asked for it
        i, j, ch = np.nonzero(change)                                         # in (i, j, c) order, as step() applies them
        up = chosen[i, j, ch] > level[i, j, ch]
        gold = np.where(up, self.goldstein_up[ch], self.goldstein_down[ch])
        amount = self.reciprocity * gold / 10.0
        mutual = self.mutual[ch]
        # the shocks of change k, in step()'s order: directed (j, i); mutual up (i, j) then (j, i);
        # mutual down (j, i) if i wished the cut, then (i, j) if j did
        wish_i, wish_j = wish[i, j, ch], wish_back[i, j, ch]
        rows, cols, values, order = [], [], [], []
        sequence = np.arange(len(i))
        for cond, r_, c_, slot in ((~mutual, j, i, 0), (mutual & up, i, j, 0), (mutual & up, j, i, 1),
                                   (mutual & ~up & (wish_i == chosen[i, j, ch]), j, i, 0),
                                   (mutual & ~up & (wish_j == chosen[i, j, ch]), i, j, 1)):
            rows.append(r_[cond]); cols.append(c_[cond]); values.append(amount[cond]); order.append(2 * sequence[cond] + slot)
        rows, cols, values, order = (np.concatenate(x) for x in (rows, cols, values, order))
        sort = np.argsort(order, kind="stable")
        shock = np.zeros((n, n))
        np.add.at(shock, (rows[sort], cols[sort]), values[sort])
        # step 5: affect
        balance = (affect @ affect) / n
        new_affect = np.clip(affect + self.anchoring[:, None] * (self.anchor - affect)
                             + self.balance * (1.0 - affect * affect) * balance + shock, -1.0, 1.0)
        np.fill_diagonal(new_affect, 0.0)
        return new_level, new_affect, pressure, enforcement, caps, bonus, weights


def timed(function, repeats):
    """Median CPU time of this process (as the C++ side measures it): other processes sharing the cores do not
    inflate it. Run with OPENBLAS_NUM_THREADS=1 (run.sh does) so that NumPy, like step(), uses one core."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    world = World(args.dump)
    meta = world.meta
    n, c = world.n, world.c
    failures = 0

    # 1. the choice probabilities of every tie
    probability, candidates, valid = world.choices(world.level, world.affect, world.pressure)
    off = ~np.eye(n, dtype=bool)
    count = valid.sum(axis=3)
    if not np.array_equal(count[off], world.cpp_count[off].astype(count.dtype)):
        print("FAIL: the candidate levels differ"); failures += 1
    # C++ lists a tie's candidates first to last; NumPy keeps slots x−1, x, x+1
    numpy_packed = np.zeros_like(world.cpp_probability)
    order = np.argsort(~valid, axis=3, kind="stable")
    numpy_packed = np.take_along_axis(np.where(valid, probability, 0.0), order, axis=3)
    difference = np.abs(numpy_packed - world.cpp_probability)[off]
    worst = float(difference.max()) if difference.size else 0.0
    ties = int(off.sum()) * c
    print(f"choice probabilities: {ties} ties of {n} actors x {c} channels, max |NumPy - C++| = {worst:.3g} "
          f"({'ok' if worst <= TOLERANCE else 'FAIL'}, tolerance {TOLERANCE:g})")
    failures += worst > TOLERANCE

    # 2. one whole step, with its events
    if meta["random_events"]:
        print("one step: skipped (random events may fall in it, and Boost's Poisson draws are not reimplemented here)")
    else:
        new_level, new_affect, new_pressure, enforcement, caps, bonus, weights = world.step_once()
        kinds = sorted({e["kind"] for e in world.events})
        print(f"one step (step {world.step}): {len(world.events)} dated events ({', '.join(kinds) or 'none'}), "
              f"{int((new_level != world.level).sum())} tie entries changed")

        def check(what, error, tolerance, needs=()):
            """Prints one comparison; `needs` names the points of the docstring it depends on."""
            ok = error <= tolerance
            print(f"  {what:<44} max |NumPy - C++| = {error:<10.3g} tolerance {tolerance:<6g} "
                  f"{'ok' if ok else 'FAIL'}{'' if ok or not needs else '  (needs: ' + ', '.join(needs) + ')'}")
            return 0 if ok else 1
        scale = np.maximum(1.0, np.abs(world.next_pressure))
        failures += check("enforcement after the events", float(np.abs(enforcement - world.next_enforcement).max(initial=0)),
                          TOLERANCE, ["report"])
        failures += check("caps after the events", float(np.abs(caps - world.next_caps).max(initial=0)), 0)
        failures += check("weights after the events", float(np.abs(weights - world.next_weights).max()), 0, ["roles"])
        failures += check("agreement bonuses (sum of those in effect)", float(np.abs(bonus - world.next_bonus).max()), 0,
                          ["agreement"])
        # pressure reads enforcement; affect and levels read everything above
        every = ["report", "roles", "agreement"]
        failures += check("pressure (relative to max(1, |p|))", float((np.abs(new_pressure - world.next_pressure) / scale).max()),
                          TOLERANCE, ["report"])
        failures += check("affect", float(np.abs(new_affect - world.next_affect).max()), TOLERANCE, every)
        failures += check("levels (ties whose level differs)", float((new_level != world.next_level).sum()), 0, every)

    # speed: the same work in NumPy and in C++ (medians); not measured with --repeats 0
    if args.repeats > 0 and meta["cpp_step_seconds"] > 0:
        choices_s = timed(lambda: world.choices(world.level, world.affect, world.pressure), args.repeats)
        step_s = timed(world.step_once, args.repeats)
        cpp_choices, cpp_step = meta["cpp_choices_seconds"], meta["cpp_step_seconds"]
        print(f"speed: every tie's choice  NumPy {choices_s * 1e3:9.3f} ms   C++ {cpp_choices * 1e3:9.3f} ms   "
              f"ratio NumPy/C++ {choices_s / cpp_choices:7.1f}")
        print(f"speed: one step            NumPy {step_s * 1e3:9.3f} ms   C++ {cpp_step * 1e3:9.3f} ms   "
              f"ratio NumPy/C++ {step_s / cpp_step:7.1f}")
    print("reference_step: " + ("all checks passed" if failures == 0 else f"{failures} check(s) FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
