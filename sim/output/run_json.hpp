#pragma once
/// run.json: what a run was, so it can be redone: scenario files and hashes, every parameter after
/// overrides, seeds, program version. Nothing in it depends on the clock or the thread count, so two runs
/// of the same inputs leave byte-identical directories; the time taken is printed instead.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "output/json.hpp"
#include "output/trajectory.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

/// A temporal hold-out as recorded: the date and the ids of the targets on either side of it.
struct HoldoutRecord {
  std::string until;            // YYYY-MM-DD
  std::vector<std::string> in_sample, out_of_sample;
};

/// A posterior predictive run's draws (`run --posterior`, `validate --posterior`): the posterior file, and
/// per replicate the particle drawn and the values it set.
struct PosteriorRecord {
  std::string path;                             // the posterior file, as given
  std::string sha256;                           // of its bytes
  long long particles = 0;                      // rows in it
  std::vector<std::string> parameters;          // its parameter columns, scenario paths
  std::vector<long long> particle;              // per replicate: the `particle` value drawn
  std::vector<std::vector<double>> values;      // per parameter, per replicate
};

/// What a command did with a scenario: its seeds and the files it wrote.
struct RunMetadata {
  std::string command;                        // "run", "validate", …
  std::uint64_t seed = 1;                     // master seed
  int replicates = 1;
  std::vector<std::uint64_t> replicate_seeds;
  RecordOptions record;                       // how often, and which rows, were recorded
  std::vector<std::string> files;             // names written, in order
  std::optional<HoldoutRecord> holdout;       // `validate --until`; absent otherwise
  std::optional<PosteriorRecord> posterior;   // `--posterior`; absent otherwise
};

/// Writes run.json for `scenario` to `path`.
void write_run_json(const std::filesystem::path& path, const Scenario& scenario, const RunMetadata& metadata);

/// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace tiesim
