#pragma once
// The one place where the model tests start a run, advance it and ask it for choices, so that a change of
// initial_state()'s, step()'s or choice_table()'s signature is one change here. Also the readers of state
// the tests share.
#include <cstdint>
#include <vector>

#include "model/model.hpp"
#include "model/step.hpp"

namespace tiesim::test {

/// A run of `model` from its initial state (spin-up included), advanced one step at a time.
class Stepper {
 public:
  explicit Stepper(const Model& model) : model_(&model), state(initial_state(model)) {}

  /// Runs the next step (the one numbered state.step), filling `record` when it is not null.
  void advance(std::uint64_t seed, StepRecord* record = nullptr) { step(*model_, state, workspace_, seed, record); }

  /// Runs the next step and returns its events.
  std::vector<EventRecord> advance_recorded(std::uint64_t seed) {
    StepRecord record;
    advance(seed, &record);
    return record.events;
  }

  /// Runs steps until `step_number` is the next one to run (nothing if it already is or has passed).
  void advance_until(int step_number, std::uint64_t seed) {
    while (state.step < step_number) advance(seed);
  }

  const Model& model() const { return *model_; }

 private:
  const Model* model_;
  Workspace workspace_;

 public:
  State state;
};

/// The choice tie (from, to, channel) would face if it came up for review now.
inline Choice choice_of(const Model& model, const State& state, int from, int to, int channel) {
  return choice_table(model, state)[model.tie_index(from, to, channel)];
}

/// Every tie's choice, as choice_table() gives it (index Model::tie_index).
inline std::vector<Choice> choices(const Model& model, const State& state) { return choice_table(model, state); }

/// The agreement bonus on tie (from, to, channel): its benefit is multiplied by 1 + this.
inline double agreement_bonus(const Model& model, const State& state, int from, int to, int channel) {
  return state.benefit_bonus[model.tie_index(from, to, channel)];
}

/// An actor's weights as the state now has them: its own plus every role in effect.
inline const Weights& effective_weights(const State& state, int actor) {
  return state.weights[static_cast<std::size_t>(actor)];
}

/// The level of tie (from, to, channel).
inline int level_of(const Model& model, const State& state, int from, int to, int channel) {
  return state.level[model.tie_index(from, to, channel)];
}

}  // namespace tiesim::test
