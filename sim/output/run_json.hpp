#pragma once
/// run.json: what a run was, so it can be redone: scenario files and hashes, every parameter after
/// overrides, seeds, program version. Nothing in it depends on the clock or the thread count, so two runs
/// of the same inputs leave byte-identical directories; the time taken is printed instead.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/run.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

/// JSON string literal with escapes.
std::string json_string(std::string_view text);

/// A temporal hold-out as recorded: the date and the ids of the targets on either side of it.
struct HoldoutRecord {
  std::string until;            // YYYY-MM-DD
  std::vector<std::string> in_sample, out_of_sample;
};

struct RunMetadata {
  std::string command;          // "run", "validate", …
  RunOptions options;
  RunResult result;
  std::optional<HoldoutRecord> holdout;  // `validate --until`; absent otherwise
};

/// Writes run.json for `scenario` to `path`.
void write_run_json(const std::filesystem::path& path, const Scenario& scenario, const RunMetadata& metadata);

/// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace tiesim
