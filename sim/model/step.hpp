#pragma once
/// The mutable state of a run and the step that advances it: step(model, state, seed, record).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/date.hpp"
#include "model/decision.hpp"
#include "model/model.hpp"

namespace tiesim {

/// A role in effect: weights added to an actor's until a step.
struct ActiveRole {
  int actor;
  int until_step;  // last step in effect; −1: no end
  Weights change;
};

/// An agreement in effect: a pair's benefit of a channel multiplied by 1 + bonus until a step.
struct ActiveAgreement {
  int actor, partner, channel;
  int until_step;  // −1: no end
  double bonus;
};

/// A reporting deadline still to come: enforcement rises by `boost` at `step`.
struct PendingReport {
  int regime;
  int step;
  double boost;
};

/// Everything that changes during a run. Plain data; `step` is the only function that advances it.
struct State {
  int step = 0;                       // next step to run; negative during spin-up
  std::vector<std::uint8_t> level;    // x_ijc, N x N x C (Model::tie_index); mutual ties stored both ways
  Eigen::MatrixXd affect;             // a_ij ∈ [−1, 1], N x N, diagonal 0
  Eigen::VectorXd pressure;           // p_i ≥ 0, N
  std::vector<double> enforcement;    // e_r(t), R; 0 while a regime is not in force
  std::vector<int> caps;              // current caps, R x C (index r * C + c)
  std::vector<double> benefit_bonus;  // agreement bonus of tie (i, j, c), N x N x C
  std::vector<Weights> weights;       // effective weights (base plus active roles), N
  std::vector<ActiveRole> roles;
  std::vector<ActiveAgreement> agreements;
  std::vector<PendingReport> reports;
  std::vector<std::uint8_t> moved;    // tie (i, j, c) changed in the last step, N x N x C (follow-through)
};

/// The state at the start of spin-up (step = −spinup_steps).
State initial_state(const Model& model);

/// One line of events.csv: an exogenous shock or a realised change of a tie.
struct EventRecord {
  Date date;
  int actor = -1, partner = -1, channel = -1;  // −1: none
  int from_level = -1, to_level = -1;          // −1: not a tie change
  std::string cameo;
  double goldstein = 0;
  bool exogenous = false;
};

/// What a recorded step hands to the output: its events and each actor's utility terms summed over the
/// ties it controls, evaluated at the levels it ended the step with.
struct StepRecord {
  bool with_actor_terms = false;          // set by the caller: the terms cost one more pass over all ties
  std::vector<EventRecord> events;
  std::vector<UtilityTerms> actor_terms;  // N, when with_actor_terms
  void clear();
};

/// Advances `state` by one step (MODEL.md "One step"): events, pressure, decisions, affect.
/// Draws are keyed by `replicate_seed` (see core/rng.hpp). Fills `record` when it is not null.
void step(const Model& model, State& state, std::uint64_t replicate_seed, StepRecord* record);

/// The choice each tie (i, j, c) would face if it came up for review in `state` (before the next step's
/// events), computed as step() computes it: index Model::tie_index(i, j, c); ties to oneself have count 0.
/// For tests and the NumPy cross-check of the decision rule (tests/bench/reference_step.py).
std::vector<Choice> choice_table(const Model& model, const State& state);

/// Threads step() may use for the decisions of one step (default 1), for a replicate that runs alone.
/// Results do not depend on it: rows of decisions are made in parallel and applied in a fixed order.
void set_step_threads(int threads);
int step_threads();

/// The tie index of i toward j: weighted mean of level / L over i's directed and the pair's mutual
/// channels, in [0, 1].
double tie_index(const Model& model, const State& state, int from, int to);

/// Nullopt when every invariant holds: levels within their ladders, mutual ties symmetric, affect in
/// [−1, 1] with a zero diagonal, pressure ≥ 0, nothing NaN. Otherwise a description of the first breach.
std::optional<std::string> check_invariants(const Model& model, const State& state);

}  // namespace tiesim
