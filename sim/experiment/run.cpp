#include "experiment/run.hpp"

#include "core/rng.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "run/simulate.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {

TrajectorySinks open_sinks(const RecordOptions& record, const std::function<fs::path(TrajectoryFile)>& path_of,
                           bool with_headers, bool gzip) {
  TrajectorySinks sinks;
  for (auto file : trajectory_files) {
    if (!record.wants(file)) continue;
    auto& sink = sinks[static_cast<std::size_t>(file)];
    sink = std::make_unique<CsvFile>(path_of(file), gzip);
    if (with_headers) sink->header(file_header(file));
  }
  return sinks;
}

void close_sinks(TrajectorySinks& sinks) {
  for (auto& sink : sinks)
    if (sink) sink->close();
}

/// Runs one replicate into `writer`, keeping the watched dyad's course in `courses` when there is one.
void simulate_watched(const Model& model, const RunOptions& options, std::uint64_t seed, TrajectoryWriter& writer,
                      std::vector<TieCourse>& courses) {
  if (options.watch.empty()) {
    simulate(model, seed, writer, options.step);
    return;
  }
  DyadWatch watch(model, options.watch[0], options.watch[1], writer);
  simulate(model, seed, watch, options.step);
  courses = watch.courses();
}

}  // namespace

RunResult run_replicates(const Model& model, const RunOptions& options, OutputDirectory& output) {
  return run_replicates([&](int) -> const Model& { return model; }, options, output);
}

RunResult run_replicates(const ReplicateModels& model_of, const RunOptions& options, OutputDirectory& output) {
  RunResult result;
  for (int r = 0; r < options.replicates; ++r)
    result.replicate_seeds.push_back(replicate_seed(options.seed, static_cast<std::uint64_t>(r)));
  for (auto file : trajectory_files)
    if (options.record.wants(file)) result.files.push_back(output_name(file, options.record.gzip));

  result.courses.resize(static_cast<std::size_t>(options.replicates));
  auto courses = [&](int r) -> std::vector<TieCourse>& { return result.courses[static_cast<std::size_t>(r)]; };

  auto staged = [&](TrajectoryFile file) { return output.staged(output_name(file, options.record.gzip)); };

  if (options.replicates == 1) {
    // a single replicate streams straight into the staged files
    const Model& model = model_of(0);
    TrajectorySinks sinks = open_sinks(options.record, staged, true, options.record.gzip);
    TrajectoryWriter writer(model, options.record, sinks, 0, 0, result.replicate_seeds[0]);
    simulate_watched(model, options, result.replicate_seeds[0], writer, courses(0));
    close_sinks(sinks);
    return result;
  }

  // several: each replicate writes its own parts, joined in replicate order afterwards
  const fs::path scratch = output.scratch();
  auto part = [&](int replicate, TrajectoryFile file) {
    return scratch / (std::to_string(replicate) + "." + std::string(file_name(file)));
  };
  result.threads_used = thread_count(options.threads, options.replicates);
  ProgressLine progress("replicates", static_cast<std::size_t>(options.replicates), 0, options.progress);
  for_each_task(options.replicates, result.threads_used, [&](int r) {
    // parts are plain text, compressed once as they are joined
    const Model& model = model_of(r);
    TrajectorySinks sinks = open_sinks(options.record, [&](TrajectoryFile file) { return part(r, file); }, false, false);
    TrajectoryWriter writer(model, options.record, sinks, r, r, result.replicate_seeds[static_cast<std::size_t>(r)]);
    simulate_watched(model, options, result.replicate_seeds[static_cast<std::size_t>(r)], writer, courses(r));
    close_sinks(sinks);
    progress.advance();
  });
  progress.finish();
  for (auto file : trajectory_files) {
    if (!options.record.wants(file)) continue;
    CsvFile joined(staged(file), options.record.gzip);
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
