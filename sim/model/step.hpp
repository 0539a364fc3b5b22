#pragma once
/// One step of the model: step(model, state, workspace, seed, record, options).
///
/// The step follows docs/model.md "One step", one file per stage:
///   1. exogenous events                          model/events.cpp
///   2. shared quantities of the step's decisions  model/situation.cpp (coefficients of U: model/coefficients.hpp)
///      and pressure                               model/pressure.cpp
///   3. review draws                               model/review.cpp
///      decisions, row by row                      model/decide.cpp (U(y) and the logit choice: model/decision.hpp)
///   4. applying the changes, endogenous events    model/apply.cpp
///   5. affect                                     model/affect.cpp
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "model/decision.hpp"
#include "model/model.hpp"
#include "model/state.hpp"
#include "model/workspace.hpp"

namespace tiesim {

/// One line of events.csv: an exogenous shock or a realised change of a tie.
struct EventRecord {
  Date date;
  int actor = -1, partner = -1, channel = -1;  // −1: none
  int from_level = -1, to_level = -1;          // −1: not a tie change
  std::string cameo;
  double goldstein = 0;
  bool exogenous = false;
  bool by_host = false;  // a host's cut of its partner's presence: the tie is partner → actor
  std::string event;     // an exogenous event's id in the scenario (a random event's id); empty for a move
  std::string label;     // its label, if it has one
};

/// One tie (from, to, channel); from < 0: none.
struct TieRef {
  int from = -1, to = -1, channel = -1;
};

/// The choice one tie's owner faced in a step, as the decisions weighed it (after the step's events and
/// pressure, at the level the tie had before the step): the levels open, their chances if the tie came up
/// for review, and U of each, term by term (`terms[k]` is U(choice.level[k])).
struct ExplainedChoice {
  Choice choice;
  std::array<UtilityTerms, 3> terms{};
};

/// What a recorded step hands to the output: its events and each actor's utility terms summed over the
/// ties it controls, evaluated at the levels it ended the step with.
struct StepRecord {
  bool with_actor_terms = false;          // set by the caller: the terms cost one more pass over all ties
  TieRef explain;                         // set by the caller: the tie whose choice to explain (tiesim explain)
  std::vector<EventRecord> events;
  std::vector<UtilityTerms> actor_terms;  // N, when with_actor_terms
  ExplainedChoice explained;              // when explain.from ≥ 0
  void clear();
};

/// How step() may run; nothing here changes its results.
struct StepOptions {
  int threads = 1;  // threads for the decisions of one step, for a replicate that runs alone
};

/// Advances `state` by one step (MODEL.md "One step"): events, pressure, decisions, affect. Draws are keyed
/// by `replicate_seed` (see core/rng.hpp). Fills `record` when it is not null. The same inputs give the same
/// state bit for bit, whatever `workspace` held before and whatever `options` say.
void step(const Model& model, State& state, Workspace& workspace, std::uint64_t replicate_seed, StepRecord* record,
          const StepOptions& options = {});

/// The choice each tie (i, j, c) would face if it came up for review in `state` (before the next step's
/// events), computed as step() computes it: index Model::tie_index(i, j, c); ties to oneself have count 0.
/// For tests and the NumPy cross-check of the decision rule (tests/bench/reference_step.py).
std::vector<Choice> choice_table(const Model& model, const State& state);

}  // namespace tiesim
