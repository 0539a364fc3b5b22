#include "cli/commands.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <sstream>

#include "experiment/run.hpp"
#include "experiment/simulate.hpp"
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
  out << "\nties      " << ties << " (ordered pairs × channels)\n";
  std::cout << out.str();
  return exit_ok;
}

}  // namespace tiesim
