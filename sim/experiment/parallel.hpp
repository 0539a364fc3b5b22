#pragma once
/// Runs independent tasks on a few threads. Each task writes only its own results, so the outcome never
/// depends on the thread count or on which thread ran what.
#include <functional>

namespace tiesim {

/// The number of threads to use for `requested` (0: every core) and `tasks` tasks.
int thread_count(int requested, int tasks);

/// Calls task(k) for k in [0, count) on `threads` threads. The first exception stops the others from
/// starting new tasks and is rethrown here.
void for_each_task(int count, int threads, const std::function<void(int)>& task);

}  // namespace tiesim
