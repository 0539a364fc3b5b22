#include "run/simulate.hpp"

#include <atomic>

namespace tiesim {

namespace {
std::atomic<bool> stop_flag{false};
}

void request_stop() { stop_flag.store(true); }
bool stop_requested() { return stop_flag.load(std::memory_order_relaxed); }
void clear_stop() { stop_flag.store(false); }

void simulate(const Model& model, std::uint64_t replicate_seed, Observer& observer) {
  State state = initial_state(model);
  while (state.step < 0) {
    if (stop_requested()) throw Interrupted();
    step(model, state, replicate_seed, nullptr);
  }
  StepRecord record;
  const int steps = model.calendar.step_count();
  for (int k = 0; k < steps; ++k) {
    if (stop_requested()) throw Interrupted();
    record.with_actor_terms = observer.wants_terms(k);
    step(model, state, replicate_seed, &record);
    observer.observe(model, state, k, record);
  }
}

}  // namespace tiesim
