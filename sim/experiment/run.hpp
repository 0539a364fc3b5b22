#pragma once
/// `tiesim run`: the replicates of one scenario, written to one output directory.
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "output/dyad_summary.hpp"
#include "output/output_directory.hpp"
#include "output/trajectory.hpp"
#include "run/simulate.hpp"

namespace tiesim {

struct RunOptions {
  std::uint64_t seed = 1;  // master seed; replicate r uses replicate_seed(seed, r)
  int replicates = 1;
  int threads = 0;         // 0: every core
  StepOptions step;        // how each replicate steps (threads for one replicate's decisions)
  RecordOptions record;
  bool progress = false;   // a progress line on a terminal while several replicates run
  std::vector<int> watch;  // two actor indices: the dyad whose ties each replicate's course is kept of (empty: none)
};

struct RunResult {
  std::vector<std::uint64_t> replicate_seeds;
  std::vector<std::string> files;  // names written, in order
  int threads_used = 1;
  std::vector<std::vector<TieCourse>> courses;  // per replicate: its DyadWatch::courses() (empty without `watch`)
};

/// Runs every replicate and writes the trajectory files into `output` (staged, not yet committed).
/// Replicates run in parallel; each writes its own part and the parts are joined in replicate order, so
/// the files are the same bytes whatever the thread count.
RunResult run_replicates(const Model& model, const RunOptions& options, OutputDirectory& output);
/// The same, replicate r running `model_of(r)` (a posterior predictive run); the models differ only in
/// parameter values, so every replicate's rows share one header.
RunResult run_replicates(const ReplicateModels& model_of, const RunOptions& options, OutputDirectory& output);

}  // namespace tiesim
