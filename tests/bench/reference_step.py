#!/usr/bin/python3
"""A plain vectorised NumPy implementation of tiesim's step, checked against the C++ one and timed against it.

Usage: /usr/bin/python3 tests/bench/reference_step.py DUMP_DIR [--repeats R]

DUMP_DIR is written by `tiesim_bench_dump SCENARIO DUMP_DIR` (tests/bench/dump.cpp): a state of the scenario's
first replicate one step before the end of its spin-up, so that the next step has no exogenous events, the
choice every tie would face in that state as step() computes it, the state one step later, and the C++ timings.

This file follows docs/model.md, not the C++ code: pressure, then the situation (friends' hostility), then every
tie's utility at its three candidate levels and the logit choice, the keyed review and choice draws
(core/rng.hpp), synchronous application with mutual ties at the lower wish, reciprocity shocks, and the
affect update. It checks
  1. the choice probabilities of every tie in the dumped state: |NumPy − C++| ≤ 1e-12;
  2. one whole step: the same levels, and affect and pressure within 1e-12;
and prints the CPU time of each against the C++ CPU timings (median of R runs), as a ratio NumPy / C++.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

TOLERANCE = 1e-12
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
        load = lambda name, dtype, shape: np.fromfile(d / f"{name}.bin", dtype=dtype).reshape(shape)
        self.level = load("level", np.uint8, (n, n, c)).astype(np.int64)
        self.moved = load("moved", np.uint8, (n, n, c)).astype(bool)
        self.affect = load("affect", np.float64, (n, n))
        self.anchor = load("anchor", np.float64, (n, n))
        self.pressure = load("pressure", np.float64, (n,))
        self.bonus = load("bonus", np.float64, (n, n, c))
        self.weights = load("weights", np.float64, (n, 6))  # benefit affinity autonomy compliance sensitivity alignment
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

    def pressure_update(self, level, pressure):
        n = self.n
        exposure = self.exposure(level)
        np.fill_diagonal(exposure, 0.0)
        regime = np.zeros(n)
        sanctioned = np.zeros(n, dtype=bool)
        for g in range(self.r):
            if self.kind[g] != "sanctions" or self.enforcement[g] <= 0:
                continue
            sanctioned |= self.targets[g]
            regime += np.where(self.members[g], self.enforcement[g] * exposure[:, self.targets[g]].sum(axis=1), 0.0)
        exposed = exposure[:, sanctioned].sum(axis=1)
        tie_index = (level * (self.index_weight / self.top)).sum(axis=2) / self.index_weight.sum()
        senders = self.strength * self.size
        np.fill_diagonal(tie_index, 0.0)
        secondary = np.where(exposed > 0, (tie_index * senders[None, :]).sum(axis=1) * exposed, 0.0)
        p = self.decay * pressure + regime + secondary
        if self.diffusion > 0:
            p = (1.0 - self.diffusion) * p + self.diffusion * (self.links @ p)
        return np.maximum(p, 0.0)

    # ---- step 3: every tie's choice
    def choices(self, level, affect, pressure):
        """Probabilities and levels of every tie's three candidates x−1, x, x+1 (invalid ones have p = 0)."""
        n, c = self.n, self.c
        binding = [g for g in range(self.r) if self.kind[g] in ("sanctions", "commitment") and self.enforcement[g] > 0]
        sanctioned = np.zeros(n, dtype=bool)
        for g in binding:
            if self.kind[g] == "sanctions":
                sanctioned |= self.targets[g]
        friends = np.maximum(affect, 0.0) * self.size[None, :]
        totals = friends.sum(axis=1)
        friends = friends / np.where(totals > 0, totals, 1.0)[:, None]
        hostility = friends @ np.maximum(-affect, 0.0)

        w = self.weights
        benefit_scale = (w[:, 0, None, None] * self.benefit[None, None, :] * (1.0 + self.bonus)
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
            caps = self.caps[g][None, None, :, None]
            capped = bound & (caps < self.top[None, None, :, None])
            excess = excess + np.where(capped, self.enforcement[g] * np.maximum(y - caps, 0), 0.0)
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

    def step_once(self):
        n, c = self.n, self.c
        level, affect = self.level, self.affect
        pressure = self.pressure_update(level, self.pressure)
        probability, candidates, valid = self.choices(level, affect, pressure)
        pair, unordered = self.keys()
        review_keys = mix64(np.where(self.mutual[None, None, :], unordered[..., None], pair[..., None])
                            ^ (self.channel_keys ^ REVIEW_SALT)[None, None, :])
        reviewed = uniform(review_keys) < self.review_rate[None, None, :]
        if self.follow_through:
            reviewed |= self.moved
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
        return new_level, new_affect, pressure


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

    # 2. one whole step (a spin-up step: no exogenous events)
    if meta["next_is_spinup"]:
        new_level, new_affect, new_pressure = world.step_once()
        moved = int((new_level != world.level).sum())
        same_levels = int((new_level != world.next_level).sum())
        affect_error = float(np.abs(new_affect - world.next_affect).max())
        pressure_error = float(np.abs(new_pressure - world.next_pressure).max())
        print(f"one step: {moved} tie entries changed; levels differing from C++: {same_levels}; "
              f"max |affect diff| = {affect_error:.3g}; max |pressure diff| = {pressure_error:.3g}")
        if same_levels or affect_error > TOLERANCE or pressure_error > TOLERANCE:
            print("FAIL: the NumPy step differs from the C++ step"); failures += 1
    else:
        print("one step: skipped (the dumped state's next step is not a spin-up step)")

    # speed: the same work in NumPy and in C++ (medians)
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
