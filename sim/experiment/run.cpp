#include "experiment/run.hpp"

#include "core/rng.hpp"
#include "core/parallel.hpp"
#include "run/simulate.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {

TrajectorySinks open_sinks(const RecordOptions& record, const std::function<fs::path(TrajectoryFile)>& path_of,
                           bool with_headers) {
  TrajectorySinks sinks;
  for (auto file : trajectory_files) {
    if (!record.wants(file)) continue;
    auto& sink = sinks[static_cast<std::size_t>(file)];
    sink = std::make_unique<CsvFile>(path_of(file));
    if (with_headers) sink->header(file_header(file));
  }
  return sinks;
}

void close_sinks(TrajectorySinks& sinks) {
  for (auto& sink : sinks)
    if (sink) sink->close();
}

}  // namespace

RunResult run_replicates(const Model& model, const RunOptions& options, OutputDirectory& output) {
  RunResult result;
  for (int r = 0; r < options.replicates; ++r)
    result.replicate_seeds.push_back(replicate_seed(options.seed, static_cast<std::uint64_t>(r)));
  for (auto file : trajectory_files)
    if (options.record.wants(file)) result.files.emplace_back(file_name(file));

  auto staged = [&](TrajectoryFile file) { return output.staged(std::string(file_name(file))); };

  if (options.replicates == 1) {
    // a single replicate streams straight into the staged files
    TrajectorySinks sinks = open_sinks(options.record, staged, true);
    TrajectoryWriter writer(model, options.record, sinks, 0, 0, result.replicate_seeds[0]);
    simulate(model, result.replicate_seeds[0], writer, options.step);
    close_sinks(sinks);
    return result;
  }

  // several: each replicate writes its own parts, joined in replicate order afterwards
  const fs::path scratch = output.scratch();
  auto part = [&](int replicate, TrajectoryFile file) {
    return scratch / (std::to_string(replicate) + "." + std::string(file_name(file)));
  };
  result.threads_used = thread_count(options.threads, options.replicates);
  for_each_task(options.replicates, result.threads_used, [&](int r) {
    TrajectorySinks sinks = open_sinks(options.record, [&](TrajectoryFile file) { return part(r, file); }, false);
    TrajectoryWriter writer(model, options.record, sinks, r, r, result.replicate_seeds[static_cast<std::size_t>(r)]);
    simulate(model, result.replicate_seeds[static_cast<std::size_t>(r)], writer, options.step);
    close_sinks(sinks);
  });
  for (auto file : trajectory_files) {
    if (!options.record.wants(file)) continue;
    CsvFile joined(staged(file));
    joined.header(file_header(file));
    for (int r = 0; r < options.replicates; ++r) {
      joined.append_file(part(r, file));
      fs::remove(part(r, file));
    }
    joined.close();
  }
  return result;
}

}  // namespace tiesim
