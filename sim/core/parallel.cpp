#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tiesim {

int thread_count(int requested, int tasks) {
  int threads = requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, std::min(threads, tasks));
}

void for_each_task(int count, int threads, const std::function<void(int task, int worker)>& task) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&](int id) {
    for (int k = next++; k < count && !failed.load(); k = next++) {
      try {
        task(k, id);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
      }
    }
  };
  threads = thread_count(threads, count);
  if (threads <= 1) {
    worker(0);
  } else {
    // the caller works too, as worker 0; the helpers join when `pool` goes out of scope
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
  }
  if (first_error) std::rethrow_exception(first_error);
}

void for_each_task(int count, int threads, const std::function<void(int task)>& task) {
  for_each_task(count, threads, [&](int k, int) { task(k); });
}

}  // namespace tiesim
