#include "run/simulate.hpp"

#include <atomic>

namespace tiesim {

namespace {
std::atomic<bool> stop_flag{false};
}

void request_stop() { stop_flag.store(true); }
bool stop_requested() { return stop_flag.load(std::memory_order_relaxed); }
void clear_stop() { stop_flag.store(false); }

void simulate(const Model& model, std::uint64_t replicate_seed, Observer& observer, const StepOptions& options) {
  State state = initial_state(model);
  Workspace workspace;
  while (state.step < 0) {
    if (stop_requested()) throw Interrupted();
    step(model, state, workspace, replicate_seed, nullptr, options);
  }
  observer.start(model, state);
  StepRecord record;
  const int steps = model.calendar.step_count();
  for (int k = 0; k < steps; ++k) {
    if (stop_requested()) throw Interrupted();
    record.with_actor_terms = observer.wants_terms(k);
    record.explain = observer.explains(k);
    step(model, state, workspace, replicate_seed, &record, options);
    observer.observe(model, state, k, record);
  }
}

}  // namespace tiesim
