#include "cli/commands.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "core/rng.hpp"
#include "experiment/parallel.hpp"

#include "experiment/run.hpp"
#include "experiment/calibration.hpp"
#include "experiment/simulate.hpp"
#include "experiment/validation.hpp"
#include "output/run_json.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

namespace {

Diagnostic argument_problem(const std::string& option, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.file = option;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

RecordOptions parse_record(const std::string& list, int every) {
  RecordOptions record;
  record.every = every;
  record.files = {false, false, false, false};
  std::vector<std::string> names;
  for (auto file : trajectory_files) {
    std::string name(file_name(file));
    names.push_back(name.substr(0, name.size() - 4));
  }
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    bool found = false;
    for (std::size_t k = 0; k < names.size(); ++k)
      if (item == names[k]) record.files[k] = found = true;
    if (!found) throw InputError(argument_problem("--record", "unknown file '" + item + "'", suggestion(item, names)));
  }
  return record;
}

}  // namespace

int run_command(const RunArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  const std::string started = utc_now();
  // everything is checked before the output directory is touched
  RunOptions options;
  options.seed = arguments.seed;
  options.replicates = arguments.replicates;
  options.threads = arguments.threads;
  options.record = parse_record(arguments.record, arguments.every);
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name : arguments.output;

  OutputDirectory output(directory);
  RunMetadata metadata;
  metadata.command = "run";
  metadata.started_utc = started;
  metadata.options = options;
  metadata.result = run_replicates(scenario.model, options, output);
  metadata.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  write_run_json(output.staged("run.json"), scenario, metadata);
  output.commit();

  if (!arguments.quiet) {
    std::cout << "wrote " << directory << "/ (";
    for (const auto& file : metadata.result.files) std::cout << file << ", ";
    std::cout << "run.json): " << options.replicates << " replicate" << (options.replicates == 1 ? "" : "s") << " of "
              << scenario.model.calendar.step_count() << " steps in " << format_number(std::round(metadata.elapsed_seconds * 100) / 100)
              << " s\n";
  }
  return exit_ok;
}

int validate_command(const ValidateArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  const std::string started = utc_now();
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  if (scenario.targets.empty())
    throw InputError(argument_problem(arguments.scenario, "the scenario has no [targets.ID] tables to validate",
                                      "see docs/scenario.md, section targets"));
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name : arguments.output;
  OutputDirectory output(directory);

  const ValidationResult result =
      validate(scenario.model, scenario.targets, arguments.seed, arguments.replicates, arguments.threads);

  {
    CsvFile csv(output.staged("validation.csv"));
    csv.header("target,kind,expected,hit_rate,threshold,pass,hits,replicates,label");
    for (std::size_t t = 0; t < scenario.targets.size(); ++t) {
      const Target& target = scenario.targets[t];
      const TargetOutcome& outcome = result.outcomes[t];
      csv.field(target.id).field(target_kind_name(target.kind)).field(target.expected).field(outcome.hit_rate());
      csv.field(target.share).field(outcome.hit_rate() >= target.share ? "true" : "false");
      csv.field(outcome.hits).field(outcome.replicates).field(target.label).end_row();
    }
    csv.close();
  }
  RunMetadata metadata;
  metadata.command = "validate";
  metadata.started_utc = started;
  metadata.options.seed = arguments.seed;
  metadata.options.replicates = arguments.replicates;
  metadata.options.threads = arguments.threads;
  for (int r = 0; r < arguments.replicates; ++r) metadata.result.replicate_seeds.push_back(replicate_seed(arguments.seed, static_cast<std::uint64_t>(r)));
  metadata.result.files = {"validation.csv"};
  metadata.result.threads_used = thread_count(arguments.threads, arguments.replicates);
  metadata.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  write_run_json(output.staged("validation.json"), scenario, metadata);
  output.commit();

  // the table: one line per target
  std::size_t width = 6;
  for (const auto& target : scenario.targets) width = std::max(width, target.id.size());
  std::ostringstream table;
  table << std::left << std::setw(static_cast<int>(width)) << "target" << "  hit rate  needed  result  expected\n";
  int failed = 0;
  for (std::size_t t = 0; t < scenario.targets.size(); ++t) {
    const Target& target = scenario.targets[t];
    const double rate = result.outcomes[t].hit_rate();
    const bool pass = rate >= target.share;
    failed += pass ? 0 : 1;
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, "  %7.1f%%  %5.0f%%  %-6s  ", 100 * rate, 100 * target.share, pass ? "pass" : "FAIL");
    table << std::left << std::setw(static_cast<int>(width)) << target.id << numbers << target.expected << "\n";
  }
  table << (scenario.targets.size() - static_cast<std::size_t>(failed)) << " passed, " << failed << " failed ("
        << arguments.replicates << " replicates, seed " << arguments.seed << "); table in " << directory << "/validation.csv\n";
  std::cout << table.str();
  return failed == 0 ? exit_ok : exit_failure;
}

int calibrate_command(const CalibrateArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  CalibrationOptions options;
  for (const auto& text : arguments.free) options.free.push_back(parse_free_parameter(text));
  if (options.free.empty()) throw InputError(argument_problem("--free", "nothing to fit", "give at least one --free PATH=LOW:HIGH"));
  options.overrides = arguments.overrides;
  options.budget = arguments.budget;
  options.replicates = arguments.replicates;
  options.seed = arguments.seed;
  options.threads = arguments.threads;
  // checked in full (paths, targets) before any output exists
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name + "-calibration" : arguments.output;
  const CalibrationResult result = calibrate(arguments.scenario, options);
  OutputDirectory output(directory);
  const Evaluation& best = result.history[result.best];

  {
    CsvFile history(output.staged("history.csv"));
    std::string header = "evaluation,loss";
    for (const auto& free : options.free) header += "," + free.path;
    history.header(header);
    for (std::size_t k = 0; k < result.history.size(); ++k) {
      history.field(static_cast<long long>(k)).field(result.history[k].loss);
      for (double value : result.history[k].values) history.field(value);
      history.end_row();
    }
    history.close();
  }
  {
    CsvFile fit(output.staged("fit.csv"));
    fit.header("target,kind,expected,hit_rate,threshold,pass,weight");
    for (std::size_t t = 0; t < result.targets.size(); ++t) {
      const Target& target = result.targets[t];
      const double rate = best.outcomes[t].hit_rate();
      fit.field(target.id).field(target_kind_name(target.kind)).field(target.expected).field(rate).field(target.share);
      fit.field(rate >= target.share ? "true" : "false").field(target.weight).end_row();
    }
    fit.close();
  }
  {
    // an overlay that extends the scenario: running it reproduces the best evaluation
    const auto overlay_dir = std::filesystem::absolute(directory);
    std::ostringstream overlay;
    overlay << "# Fitted by tiesim calibrate: loss " << format_number(best.loss) << " after " << result.history.size()
            << " evaluations (" << result.method << ", " << options.replicates << " replicates each, seed " << options.seed << ").\n";
    overlay << "# Redo: tiesim calibrate " << arguments.scenario;
    for (const auto& text : arguments.free) overlay << " --free " << text;
    for (const auto& text : arguments.overrides) overlay << " --set '" << text << "'";
    overlay << " --budget " << options.budget << " --replicates " << options.replicates << " --seed " << options.seed << "\n";
    overlay << "extends = " << json_string(std::filesystem::relative(std::filesystem::absolute(arguments.scenario), overlay_dir).generic_string()) << "\n";
    for (const auto& text : arguments.overrides) {
      const std::string path = text.substr(0, text.find('='));
      const toml::node* node = scenario.document.root.at_path(path).node();
      if (node) node->visit([&](const auto& value) { overlay << path << " = " << value << "\n"; });
    }
    for (std::size_t k = 0; k < options.free.size(); ++k) overlay << options.free[k].path << " = " << format_number(best.values[k]) << "\n";
    std::ofstream out(output.staged("fit.toml"), std::ios::binary);
    out << overlay.str();
    if (!out) throw OutputError("cannot write fit.toml in '" + directory + "'");
  }
  output.commit();

  std::cout << "best of " << result.history.size() << " evaluations: loss " << format_number(best.loss) << "\n";
  for (std::size_t k = 0; k < options.free.size(); ++k) std::cout << "  " << options.free[k].path << " = " << format_number(best.values[k]) << "\n";
  int failing = 0;
  for (std::size_t t = 0; t < result.targets.size(); ++t) failing += best.outcomes[t].hit_rate() < result.targets[t].share ? 1 : 0;
  std::cout << (result.targets.size() - static_cast<std::size_t>(failing)) << " of " << result.targets.size()
            << " targets met at the best point; wrote " << directory << "/fit.toml (overlay), fit.csv, history.csv in "
            << format_number(std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count() * 10) / 10) << " s\n";
  return exit_ok;
}

int check_command(const CheckArguments& arguments) {
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  const Model& model = scenario.model;
  std::ostringstream out;
  out << "scenario " << model.name << " (" << arguments.scenario << "): OK\n";
  if (!model.description.empty()) out << "  " << model.description << "\n";
  out << "steps     " << model.calendar.step_count() << " × " << step_unit_name(model.calendar.unit) << ", "
      << model.calendar.start.iso() << " to " << model.calendar.end.iso() << ", spin-up " << model.spinup_steps << "\n";
  out << "actors    " << model.actor_count() << ":";
  for (const auto& actor : model.actors) out << " " << actor.id;
  out << "\nchannels  " << model.channel_count() << ":";
  for (const auto& channel : model.channels)
    out << " " << channel.id << " (" << (channel.kind == ChannelKind::mutual ? "mutual" : "directed") << ", 0.."
        << channel.top_level() << ")";
  out << "\nregimes   " << model.regimes.size() << ":";
  const char* kinds[] = {"sanctions", "commitment", "alliance", "bloc"};
  for (const auto& regime : model.regimes)
    out << " " << regime.id << " (" << kinds[static_cast<int>(regime.kind)] << ", " << regime.members.size() << " members)";
  std::map<std::string, int> by_kind;
  const char* event_kinds[] = {"resolution", "provocation", "incident", "agreement", "role", "lobbying"};
  for (const auto& event : model.events) ++by_kind[event_kinds[static_cast<int>(event.kind)]];
  out << "\nevents    " << model.events.size();
  if (!model.events.empty()) {
    out << " (" << model.events.front().date.iso() << " to " << model.events.back().date.iso() << "):";
    for (const auto& [kind, count] : by_kind) out << " " << count << " " << kind;
  }
  out << "\nrandom    " << model.random_events.size() << " event source" << (model.random_events.size() == 1 ? "" : "s");
  for (const auto& random : model.random_events)
    out << " " << random.id << " (" << format_number(random.rate_per_step * model.calendar.steps_per_year()) << "/year)";
  const long long ties = static_cast<long long>(model.actor_count()) * (model.actor_count() - 1) * model.channel_count();
  out << "\ntargets   " << scenario.targets.size();
  out << "\nties      " << ties << " (ordered pairs × channels)\n";
  std::cout << out.str();
  return exit_ok;
}

}  // namespace tiesim
