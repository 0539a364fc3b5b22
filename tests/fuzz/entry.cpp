#include "entry.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/sensitivity.hpp"
#include "run/simulate.hpp"
#include "experiment/sweep.hpp"
#include "experiment/validation.hpp"
#include "model/step.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace tiesim::fuzz {

namespace {

// a loaded scenario is run only when one run is cheap: ordered pairs × channels × steps
constexpr double max_simulated_ties = 50'000;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "tiesim fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Feeds the targets' observer and checks every invariant after every step.
class CheckingObserver : public Observer {
 public:
  CheckingObserver(const Model& model, const std::vector<Target>& targets) : targets_(model, targets) {}
  void start(const Model& model, const State& state) override {
    if (auto breach = check_invariants(model, state)) finding("invariant broken after spin-up: " + *breach);
    targets_.start(model, state);
  }
  bool wants_terms(int step) const override { return step % 2 == 0; }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override {
    if (auto breach = check_invariants(model, state)) finding("invariant broken: " + *breach);
    for (const auto& terms : record.actor_terms)
      if (!std::isfinite(terms.total())) finding("utility terms not finite at step " + std::to_string(step));
    targets_.observe(model, state, step, record);
  }
  std::vector<char> hits() const { return targets_.hits(); }

 private:
  TargetObserver targets_;
};

}  // namespace

std::filesystem::path scenario_input_path() { return std::filesystem::path(TIESIM_SOURCE_DIR) / "scenarios" / "fuzz-input.toml"; }

std::filesystem::path experiment_input_path() {
  return std::filesystem::path(TIESIM_SOURCE_DIR) / "scenarios" / "experiments" / "fuzz-input.toml";
}

namespace {

/// Runs a loaded scenario when one run is cheap, checking every invariant on every step.
void run_checked(const Scenario& scenario) {
  const Model& model = scenario.model;
  const double ties = static_cast<double>(model.actor_count()) * model.actor_count() * model.channel_count();
  const double steps = static_cast<double>(model.spinup_steps) + model.calendar.step_count();
  if (ties * steps > max_simulated_ties) return;
  CheckingObserver observer(model, scenario.targets);
  simulate(model, 7, observer);
  if (observer.hits().size() != scenario.targets.size()) finding("one hit per target expected");
}

}  // namespace

void overrides_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t at = 0; at < text.size() && overrides.size() < 64;) {
    const auto end = text.find('\n', at);
    overrides.push_back(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  try {
    run_checked(load_scenario(std::filesystem::path(TIESIM_SOURCE_DIR) / "scenarios" / "minimal.toml", overrides));
  } catch (const InputError& error) {
    if (error.diagnostics().empty()) finding("an InputError without a diagnostic");
  }
}

void scenario_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t at = 0; text.compare(at, 7, "#--set ") == 0;) {
    const auto end = text.find('\n', at);
    overrides.push_back(text.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  try {
    const Scenario scenario = load_scenario_text(text, scenario_input_path(), overrides);
    const Model& model = scenario.model;
    const double ties = static_cast<double>(model.actor_count()) * model.actor_count() * model.channel_count();
    const double steps = static_cast<double>(model.spinup_steps) + model.calendar.step_count();
    if (ties * steps > max_simulated_ties) return;
    CheckingObserver observer(model, scenario.targets);
    simulate(model, 7, observer);
    if (observer.hits().size() != scenario.targets.size()) finding("one hit per target expected");
  } catch (const InputError& error) {
    if (error.diagnostics().empty()) finding("an InputError without a diagnostic");
  }
}

void experiment_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Experiment experiment = load_experiment_text(text, experiment_input_path());
    if (experiment.run_count() == 0) finding("an experiment without runs was accepted");
    (void)runs_header(experiment);
    (void)experiment.point_overrides(experiment.design.points.size() - 1);
    (void)experiment.run_seed(0, experiment.replicates - 1);
  } catch (const InputError& error) {
    if (error.diagnostics().empty()) finding("an InputError without a diagnostic");
  }
}

void runs_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const RunsTable table = parse_runs_table(text, "fuzz-runs.csv");
    for (const auto& row : table.rows)
      if (row.size() != table.header.size()) finding("a row with another field count than the header was accepted");
    for (const auto& index : analyse_runs_text(text, "fuzz-runs.csv", 20, 1))
      if (index.metric.empty() || index.parameter.empty()) finding("an index without its metric or parameter");
  } catch (const InputError& error) {
    if (error.diagnostics().empty()) finding("an InputError without a diagnostic");
  }
}

void input(const std::string& kind, const std::uint8_t* data, std::size_t size) {
  if (kind == "scenario") scenario_input(data, size);
  else if (kind == "experiment") experiment_input(data, size);
  else if (kind == "runs") runs_input(data, size);
  else if (kind == "overrides") overrides_input(data, size);
  else finding("unknown kind of input '" + kind + "'");
}

}  // namespace tiesim::fuzz
