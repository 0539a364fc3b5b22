#pragma once
/// Scenario files → Model: every value checked for type, range and reference before anything runs.
#include <filesystem>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "scenario/document.hpp"
#include "scenario/targets.hpp"

namespace tiesim {

struct Scenario {
  Model model;
  ScenarioDocument document;  // the merged TOML, for run.json
  std::vector<Target> targets;
  std::vector<Diagnostic> warnings;  // things that work but are surely not meant (a target always met)
  std::string path;           // as given
  std::vector<int> focal;     // [plot] focal: the two actor indices of the focal dyad, or empty
};

/// Loads, merges, overrides and checks a scenario. Throws InputError listing every problem found.
Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// The same for scenario text already in memory (fuzzing, tests): `name` is the path it is shown under and the
/// place a relative `extends` is resolved from; the model's default name is its stem.
Scenario load_scenario_text(const std::string& text, const std::filesystem::path& name,
                            const std::vector<std::string>& overrides = {});

/// Builds the model from an already merged document (used by load_scenario and by tests).
Model build_model(const ScenarioDocument& document, const std::string& default_name);

}  // namespace tiesim
