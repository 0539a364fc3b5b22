#pragma once
/// One replicate from spin-up to the end, watched step by step.
#include <cstdint>
#include <functional>
#include <stdexcept>

#include "model/model.hpp"
#include "model/step.hpp"

namespace tiesim {

/// Sees every recorded step of a replicate: the hook for output writers and target checks. The model never
/// knows who is watching.
class Observer {
 public:
  virtual ~Observer() = default;
  /// Called once, after spin-up and before step 0: the state every change of step 0 is measured from.
  virtual void start(const Model& model, const State& state) = 0;
  /// Whether `step` needs the actors' utility terms in its record.
  virtual bool wants_terms(int step) const = 0;
  /// The tie whose choice `step` should explain in its record (tiesim explain); none by default.
  virtual TieRef explains(int /*step*/) const { return {}; }
  /// Called after step `step` (0-based, dated model.calendar.date_of(step)) has been applied.
  virtual void observe(const Model& model, const State& state, int step, const StepRecord& record) = 0;
};

/// Thrown when a stop was requested (Ctrl-C, SIGTERM) while a replicate ran.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Set from a signal handler to ask every running replicate to stop at its next step.
void request_stop();
bool stop_requested();
/// Clears a stop request (for a program, or a test, that goes on after handling one).
void clear_stop();

/// Runs spin-up (not observed), shows `observer` the state it leaves, then runs every step of the calendar,
/// calling `observer` after each.
void simulate(const Model& model, std::uint64_t replicate_seed, Observer& observer, const StepOptions& options = {});

/// The model replicate r runs: the same for every replicate, except in a posterior predictive run, where
/// each replicate runs with the parameters it drew (experiment/posterior.hpp).
using ReplicateModels = std::function<const Model&(int replicate)>;

}  // namespace tiesim
