#pragma once
/// `tiesim sweep`: every run of an experiment, one row of runs.csv each, written as runs finish.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/experiment.hpp"

namespace tiesim {

struct SweepOptions {
  int threads = 0;          // 0: every core
  bool quiet = false;       // no progress line
  bool resume = false;      // continue a stopped sweep in the same directory
  int shard_index = 0;      // this process runs shard `shard_index` of `shard_count` (0-based)
  int shard_count = 1;
  bool gzip = false;        // write runs.csv.gz
};

/// "K/N" (1-based K) → (K − 1, N). Throws InputError unless 1 ≤ K ≤ N.
std::pair<int, int> parse_shard(const std::string& text);

/// The runs a shard owns: [first, last) of the run ids, contiguous so shards join by concatenation.
std::pair<std::size_t, std::size_t> shard_runs(std::size_t run_count, int shard_index, int shard_count);

struct SweepSummary {
  std::size_t runs_done = 0;    // in this shard, including those resumed
  std::size_t runs_failed = 0;
  double elapsed_seconds = 0;
};

/// Runs the experiment (or this process's shard of it) into `directory`. runs.csv is written in run-id order
/// under a temporary name as runs complete, so an interrupted sweep leaves a valid prefix that `resume`
/// continues; the finished files are renamed into place. Throws Interrupted after a stop request, leaving the
/// prefix. A run that fails is recorded with its error in the `status` column and the sweep goes on.
SweepSummary run_sweep(const Experiment& experiment, const SweepOptions& options, const std::filesystem::path& directory);

/// Joins the shard directories of one experiment into `directory`: runs.csv is the same bytes a single
/// process would have written. Throws InputError when the shards do not form one complete experiment.
void merge_shards(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& directory);

/// The header of runs.csv for an experiment.
std::string runs_header(const Experiment& experiment);

/// A runs.csv read back by `sensitivity` and `merge`. It may have been edited, cut short or joined with
/// another sweep's rows, so every row is checked before anything is computed from it.
struct RunsTable {
  std::vector<std::string> header;             // run, point, replicate, seed, role, parameters…, metrics…, status
  std::vector<std::vector<std::string>> rows;  // rows[k] is run first_run + k, on line k + 2 of the file
};

/// Parses `text` (named `shown` in messages) as runs.csv whose rows are runs first_run, first_run + 1, …
/// Throws InputError, with the line, at the first line that is not such a row.
RunsTable parse_runs_table(std::string_view text, const std::string& shown, std::size_t first_run = 0);

}  // namespace tiesim
