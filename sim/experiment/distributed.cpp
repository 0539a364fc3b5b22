#include "experiment/distributed.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/text.hpp"
#include "run/simulate.hpp"

#ifdef TIESIM_WITH_MPI
#include <mpi.h>
#endif

namespace tiesim {

bool built_with_mpi() {
#ifdef TIESIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

int launched_process_count() {
  auto count_in = [](const char* name) -> long long {
    const char* text = std::getenv(name);
    const auto value = text ? parse_decimal_integer(text) : std::nullopt;
    return value && *value > 0 ? *value : 1;
  };
  long long count = 1;
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE"}) count = std::max(count, count_in(name));
  // srun with PMIx names no size of its own; the step's task count is it (a batch script alone is one task)
  if (std::getenv("PMIX_RANK")) count = std::max(count, count_in("SLURM_STEP_NUM_TASKS"));
  return static_cast<int>(std::min<long long>(count, 1 << 30));
}

#ifdef TIESIM_WITH_MPI

namespace {
enum Tag : int { request = 1, assign = 2, result = 3, stop = 4 };
bool started = false;
}  // namespace

void start_distributed(int& argc, char**& argv) {
  // only under a launcher: a plain `tiesim` never touches MPI
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
  if (!launched || started) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  started = true;
}

void stop_distributed() {
  if (started) MPI_Finalize();
  started = false;
}

int process_rank() {
  int rank = 0;
  if (started) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int process_count() {
  int size = 1;
  if (started) MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

void coordinate_runs(std::size_t first, std::size_t end, const RunWork& work,
                     const std::function<void(std::size_t, std::string, bool)>& deliver) {
  std::atomic<std::size_t> next{first};
  std::mutex finished_mutex;
  std::vector<std::tuple<std::size_t, std::string, bool>> finished;  // from the local thread
  std::atomic<bool> local_done{false};

  // rank 0 computes too, on a thread of its own; MPI stays on this thread (MPI_THREAD_FUNNELED)
  std::thread local([&] {
    for (std::size_t run = next++; run < end && !stop_requested(); run = next++) {
      auto [row, failed] = work.compute(run);
      std::lock_guard lock(finished_mutex);
      finished.emplace_back(run, std::move(row), failed);
    }
    local_done = true;
  });

  int waiting = process_count() - 1;  // ranks not yet told to stop
  std::vector<char> buffer;
  while (waiting > 0 || !local_done) {
    {
      std::lock_guard lock(finished_mutex);
      for (auto& [run, row, failed] : finished) deliver(run, std::move(row), failed);
      finished.clear();
    }
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // a blocking probe would spin a core
      continue;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    buffer.resize(static_cast<std::size_t>(count) + 1);
    MPI_Recv(buffer.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.MPI_TAG == request) {
      const std::size_t run = stop_requested() ? end : next++;
      if (run < end) {
        const auto id = static_cast<unsigned long long>(run);
        MPI_Send(&id, 1, MPI_UNSIGNED_LONG_LONG, status.MPI_SOURCE, assign, MPI_COMM_WORLD);
      } else {
        MPI_Send(nullptr, 0, MPI_CHAR, status.MPI_SOURCE, stop, MPI_COMM_WORLD);
        --waiting;
      }
    } else if (status.MPI_TAG == result) {
      // [run id: 8 bytes][failed: 1 byte][row text]
      unsigned long long id = 0;
      std::memcpy(&id, buffer.data(), sizeof id);
      deliver(static_cast<std::size_t>(id), std::string(buffer.data() + 9, static_cast<std::size_t>(count) - 9), buffer[8] != 0);
    }
  }
  local.join();
  for (auto& [run, row, failed] : finished) deliver(run, std::move(row), failed);
  if (stop_requested()) throw Interrupted();
}

void serve_runs(const RunWork& work) {
  std::vector<char> message;
  while (true) {
    MPI_Send(nullptr, 0, MPI_CHAR, 0, request, MPI_COMM_WORLD);
    MPI_Status status;
    unsigned long long id = 0;
    MPI_Recv(&id, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == stop) return;
    auto [row, failed] = work.compute(static_cast<std::size_t>(id));
    message.resize(9 + row.size());
    std::memcpy(message.data(), &id, sizeof id);
    message[8] = failed ? 1 : 0;
    std::memcpy(message.data() + 9, row.data(), row.size());
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, result, MPI_COMM_WORLD);
  }
}

void release_ranks() {
  if (!started || process_rank() != 0) return;
  // each waiting rank has sent (or will send) one request; answer it with stop
  for (int rank = 1; rank < process_count(); ++rank) MPI_Send(nullptr, 0, MPI_CHAR, rank, stop, MPI_COMM_WORLD);
}

void share_owned_entries(std::vector<double>& values) {
  if (!started || process_count() == 1) return;
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

#else  // a single process

void start_distributed(int&, char**&) {}
void stop_distributed() {}
int process_rank() { return 0; }
int process_count() { return 1; }
void coordinate_runs(std::size_t, std::size_t, const RunWork&, const std::function<void(std::size_t, std::string, bool)>&) {}
void serve_runs(const RunWork&) {}
void release_ranks() {}
void share_owned_entries(std::vector<double>&) {}

#endif

}  // namespace tiesim
