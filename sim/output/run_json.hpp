#pragma once
/// run.json: what a run was, so it can be redone: scenario files and hashes, every parameter after
/// overrides, seeds, program version, time taken.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/run.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

/// JSON string literal with escapes.
std::string json_string(std::string_view text);

struct RunMetadata {
  std::string command;          // "run", "validate", …
  std::string started_utc;      // ISO 8601
  double elapsed_seconds = 0;
  RunOptions options;
  RunResult result;
};

/// Writes run.json for `scenario` to `path`.
void write_run_json(const std::filesystem::path& path, const Scenario& scenario, const RunMetadata& metadata);

/// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace tiesim
