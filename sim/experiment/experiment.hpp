#pragma once
/// Experiment files: a scenario, the parameters to vary, a design, replicates, and what to record per run.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/design.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

enum class MetricKind { value, first_below, target };

/// A number (or date) recorded for every run.
struct Metric {
  std::string name;  // column of runs.csv: letters, digits, '_' or '-' (never a dot, unlike parameters)
  MetricKind kind = MetricKind::value;
  Probe probe;       // value, first_below
  int step = 0;      // value: the step read; first_below: the first step searched
  double level = 0;  // first_below: the level the tie falls below
  int target = -1;   // target: index into the scenario's targets
};

struct Experiment {
  std::string path;                      // the experiment file, as given
  std::string sha256;                    // of the experiment file's bytes
  std::string scenario_path;             // resolved relative to the experiment file
  std::vector<std::string> overrides;    // fixed --set values (the file's `set`, then the command line's)
  std::vector<ParameterRange> parameters;
  DesignOptions design_options;
  Design design;
  int replicates = 1;
  std::uint64_t seed = 1;
  bool common_random_numbers = true;     // replicate r uses the same seed at every point
  std::vector<Metric> metrics;
  Scenario base;                         // the scenario with the fixed overrides, for ids and targets

  std::size_t run_count() const { return design.points.size() * static_cast<std::size_t>(replicates); }
  /// The seed of run (point, replicate).
  std::uint64_t run_seed(std::size_t point, int replicate) const;
  /// The --set values of a point: the fixed ones, then each parameter's value.
  std::vector<std::string> point_overrides(std::size_t point) const;
};

/// Reads and checks an experiment file: every parameter path is tried on the scenario and every metric's
/// ids resolved before anything runs. Throws InputError.
Experiment load_experiment(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// The same for an experiment's text already in memory (fuzzing, tests): `path` names it in messages and is
/// where its relative paths (the scenario, a design table) are resolved from. Throws InputError.
Experiment load_experiment_text(const std::string& text, const std::filesystem::path& path,
                                const std::vector<std::string>& overrides = {});

/// A quick sweep without a file: `--scenario`, `--vary PATH=LOW:HIGH[:STEPS]` (a grid) and `--metric` specs.
Experiment quick_experiment(const std::string& scenario, const std::vector<std::string>& vary,
                            const std::vector<std::string>& overrides, int replicates, std::uint64_t seed);

}  // namespace tiesim
