/// One step (docs/model.md "One step"): the stages in order, each in its own file (see model/step.hpp).
#include "model/step.hpp"

#include "model/coefficients.hpp"
#include "model/stages.hpp"

namespace tiesim {

namespace {

/// Each actor's utility terms at its current levels, summed over the ties it controls.
void record_actor_terms(const Model& model, const State& state, const Situation& situation, StepRecord& record) {
  const int n = model.actor_count();
  record.actor_terms.assign(static_cast<std::size_t>(n), UtilityTerms{});
  std::vector<CapBinding> caps;
  for (int i = 0; i < n; ++i) {
    UtilityTerms sum;  // a local, added to in tie order
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      for (int c = 0; c < model.channel_count(); ++c) {
        const TieContext context = tie_context(model, state, situation, i, j, c, caps);
        sum += utility_terms_inline(context, context.current);
      }
    }
    record.actor_terms[static_cast<std::size_t>(i)] = sum;
  }
}

/// The choice tie `tie` faces now, by the same coefficients and utility as decide() uses for it.
ExplainedChoice explain_choice(const Model& model, const State& state, const Situation& situation, const TieRef& tie) {
  std::vector<CapBinding> caps;
  const TieContext context = tie_context(model, state, situation, tie.from, tie.to, tie.channel, caps);
  ExplainedChoice explained;
  explained.choice = choice_probabilities(context, model.actors[static_cast<std::size_t>(tie.from)].precision);
  for (int k = 0; k < explained.choice.count; ++k)
    explained.terms[static_cast<std::size_t>(k)] = utility_terms_inline(context, explained.choice.level[static_cast<std::size_t>(k)]);
  return explained;
}

}  // namespace

void step(const Model& model, State& state, Workspace& workspace, std::uint64_t replicate_seed, StepRecord* record,
          const StepOptions& options) {
  if (record) record->clear();
  // 1. exogenous events (none during spin-up: their steps are ≥ 0)
  apply_events(model, state, replicate_seed, workspace, record);
  // 2. what the decisions share, and pressure
  derive_situation(model, state, workspace);
  update_pressure(model, state, workspace);
  // 3. review draws and decisions
  plan_reviews(model, state, replicate_seed, workspace.plan);
  decide(model, state, workspace, options);
  // decide() only read the state: the explained choice is the one its decisions faced
  if (record && record->explain.from >= 0) record->explained = explain_choice(model, state, workspace.situation, record->explain);
  // 4. the changes take effect and are felt
  apply_changes(model, state, workspace, record);
  if (record && record->with_actor_terms) record_actor_terms(model, state, workspace.situation, *record);
  // 5. affect
  update_affect(model, state, workspace);
  ++state.step;
}

std::vector<Choice> choice_table(const Model& model, const State& state) {
  const int n = model.actor_count();
  Workspace workspace;
  workspace.situation.forced_review.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0);
  derive_situation(model, state, workspace);
  std::vector<Choice> table(state.level.size());
  std::vector<CapBinding> caps;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      for (int c = 0; c < model.channel_count(); ++c) {
        const TieContext context = tie_context(model, state, workspace.situation, i, j, c, caps);
        table[model.tie_index(i, j, c)] = choice_probabilities(context, model.actors[static_cast<std::size_t>(i)].precision);
      }
    }
  return table;
}

void StepRecord::clear() {
  events.clear();
  actor_terms.clear();
}

}  // namespace tiesim
