#pragma once
/// The one way tiesim runs work on several threads: independent tasks, each writing only its own results,
/// so the outcome never depends on the thread count or on which thread ran what.
#include <functional>

namespace tiesim {

/// The number of threads to use for `requested` (0: every core) and `tasks` tasks.
int thread_count(int requested, int tasks);

/// Calls task(k, worker) for k in [0, count) on `threads` threads; `worker` ∈ [0, threads) names the thread
/// that runs it (the caller is worker 0), so a caller can give each thread its own scratch space. The first
/// exception stops the others from starting new tasks and is rethrown here.
void for_each_task(int count, int threads, const std::function<void(int task, int worker)>& task);

/// The same, for tasks that need no scratch space of their own.
void for_each_task(int count, int threads, const std::function<void(int task)>& task);

}  // namespace tiesim
