#include "cli/commands.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <tuple>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <algorithm>
#include <filesystem>

#include "core/rng.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "model/step.hpp"

#include "experiment/run.hpp"
#include "experiment/calibration.hpp"
#include "experiment/distributed.hpp"
#include "experiment/explain.hpp"
#include "experiment/posterior.hpp"
#include "experiment/sensitivity.hpp"
#include "run/simulate.hpp"
#include "experiment/sweep.hpp"
#include "experiment/validation.hpp"
#include "output/run_json.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/generate.hpp"
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

/// The indices of a comma-separated list of ids among `ids`, sorted; every unknown id is added to `problems`
/// with a suggestion. An empty list selects nothing (the caller treats it as "all").
std::vector<int> select_ids(const std::string& option, const std::string& list, const std::vector<std::string>& ids,
                            std::string_view what, std::vector<Diagnostic>& problems) {
  std::vector<int> selected;
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto it = std::find(ids.begin(), ids.end(), item);
    if (it == ids.end()) problems.push_back(argument_problem(option, "unknown " + std::string(what) + " '" + item + "'", suggestion(item, ids)));
    else selected.push_back(static_cast<int>(it - ids.begin()));
  }
  if (!list.empty() && selected.empty() && problems.empty())
    problems.push_back(argument_problem(option, "no " + std::string(what) + " given", "give ids separated by commas"));
  std::sort(selected.begin(), selected.end());
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  return selected;
}

}  // namespace

int run_command(const RunArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  // everything is checked before the output directory is touched
  RunOptions options;
  options.seed = arguments.seed;
  options.replicates = arguments.replicates;
  options.threads = arguments.threads;
  options.record = parse_record(arguments.record, arguments.every);
  options.record.gzip = arguments.gzip;
  options.progress = !arguments.quiet;
  // threads asked for beyond one per replicate go to each replicate's decisions (results do not depend on
  // it). Only when asked for (--threads N): a step's decisions are a third of its work, and on a machine
  // whose cores are busy with other work, a helper thread per step costs more than it saves.
  if (arguments.threads > 0) options.step.threads = std::max(1, arguments.threads / std::max(1, arguments.replicates));
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  {
    std::vector<std::string> actor_ids, channel_ids;
    for (const auto& actor : scenario.model.actors) actor_ids.push_back(actor.id);
    for (const auto& channel : scenario.model.channels) channel_ids.push_back(channel.id);
    std::vector<Diagnostic> problems;
    options.record.actors = select_ids("--actors", arguments.record_actors, actor_ids, "actor", problems);
    options.record.channels = select_ids("--channels", arguments.record_channels, channel_ids, "channel", problems);
    if (!problems.empty()) throw InputError(std::move(problems));
  }
  // the focal dyad's ties are watched as the run goes, for the summary printed at the end
  if (!arguments.quiet) options.watch = scenario.focal;
  std::optional<PosteriorSample> posterior;
  std::optional<PosteriorRuns> draws;
  if (!arguments.posterior.empty()) {
    posterior = read_posterior(arguments.posterior);
    draws = posterior_runs(arguments.scenario, arguments.overrides, scenario, *posterior, options.seed, options.replicates, arguments.threads);
  }
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name : arguments.output;

  OutputDirectory output(directory);
  RunMetadata metadata;
  const RunResult result = draws ? run_replicates([&](int r) -> const Model& { return draws->model(r); }, options, output)
                                 : run_replicates(scenario.model, options, output);
  metadata.command = "run";
  metadata.seed = options.seed;
  metadata.replicates = options.replicates;
  metadata.replicate_seeds = result.replicate_seeds;
  metadata.record = options.record;
  metadata.files = result.files;
  if (draws) {
    // one row per replicate: the particle it drew and the values that particle set, joined to the other
    // files on `replicate`
    const std::string name = arguments.gzip ? "replicates.csv.gz" : "replicates.csv";
    CsvFile csv(output.staged(name), arguments.gzip);
    std::string header = "replicate,seed,particle";
    for (const auto& path : posterior->parameters) header += "," + path;
    csv.header(header);
    for (int r = 0; r < options.replicates; ++r) {
      const auto& particle = posterior->particles[draws->particle_of[static_cast<std::size_t>(r)]];
      csv.field(r).field(static_cast<unsigned long long>(result.replicate_seeds[static_cast<std::size_t>(r)])).field(particle.id);
      for (double value : particle.values) csv.field(value);
      csv.end_row();
    }
    csv.close();
    metadata.files.push_back(name);
    metadata.posterior = posterior_record(*posterior, *draws);
  }
  write_run_json(output.staged("run.json"), scenario, metadata);
  output.commit();

  if (!arguments.quiet) {
    if (!options.watch.empty())
      std::cout << dyad_summary(scenario.model, options.watch[0], options.watch[1], result.courses, options.seed) << "\n";
    std::cout << "wrote " << directory << "/ (";
    for (const auto& file : metadata.files) std::cout << file << ", ";
    std::cout << "run.json): " << options.replicates << " replicate" << (options.replicates == 1 ? "" : "s") << " of "
              << scenario.model.calendar.step_count() << " steps in " << format_number(std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count() * 100) / 100)
              << " s\n";
    if (draws)
      std::cout << "parameters drawn from " << arguments.posterior << ": " << draws->models.size() << " of its " << posterior->particles.size()
                << " particles\n";
    // the plot of the focal dyad: the scenario's [plot] focal, else its first two actors
    const Model& model = scenario.model;
    const int a = scenario.focal.empty() ? 0 : scenario.focal[0], b = scenario.focal.empty() ? std::min(1, model.actor_count() - 1) : scenario.focal[1];
    const std::string& from = model.actors[static_cast<std::size_t>(a)].id;
    const std::string& to = model.actors[static_cast<std::size_t>(b)].id;
    if ((options.record.wants(TrajectoryFile::ties) || options.record.wants(TrajectoryFile::changes)) && model.actor_count() > 1)
      std::cout << "plot: analysis/plot_trajectories.py " << directory << " --from " << from << " --to " << to << " --scenario "
                << arguments.scenario << " -o " << directory << "/trajectories.png\n";
  }
  return exit_ok;
}

int validate_command(const ValidateArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  for (const auto& warning : scenario.warnings) std::cerr << warning.format() << "\n";
  if (scenario.targets.empty())
    throw InputError(argument_problem(arguments.scenario, "the scenario has no [targets.ID] tables to validate",
                                      "see docs/scenario.md, section targets"));
  std::optional<Holdout> holdout;
  if (!arguments.until.empty()) holdout = read_holdout(arguments.until, scenario.model.calendar);
  // without a hold-out every target is in sample, and nothing of the output changes
  const std::vector<char> in_sample = holdout ? holdout->in_sample(scenario.targets) : std::vector<char>(scenario.targets.size(), 1);
  std::optional<PosteriorSample> posterior;
  std::optional<PosteriorRuns> draws;
  if (!arguments.posterior.empty()) {
    posterior = read_posterior(arguments.posterior);
    draws = posterior_runs(arguments.scenario, arguments.overrides, scenario, *posterior, arguments.seed, arguments.replicates, arguments.threads);
  }
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name : arguments.output;
  OutputDirectory output(directory);

  ProgressLine progress("replicates", static_cast<std::size_t>(arguments.replicates));
  const ValidationResult result =
      draws ? validate([&](int r) -> const Model& { return draws->model(r); }, scenario.targets, arguments.seed, arguments.replicates,
                       arguments.threads, &progress, true)
            : validate(scenario.model, scenario.targets, arguments.seed, arguments.replicates, arguments.threads, &progress, true);
  progress.finish();

  {
    CsvFile csv(output.staged("validation.csv"));
    csv.header(std::string("target,kind,expected,hit_rate,threshold,pass,hits,replicates,label") + (holdout ? ",sample" : ""));
    for (std::size_t t = 0; t < scenario.targets.size(); ++t) {
      const Target& target = scenario.targets[t];
      const TargetOutcome& outcome = result.outcomes[t];
      csv.field(target.id).field(target_kind_name(target.kind)).field(target.expected).field(outcome.hit_rate());
      csv.field(target.share).field(outcome.hit_rate() >= target.share ? "true" : "false");
      csv.field(outcome.hits).field(outcome.replicates).field(target.label);
      if (holdout) csv.field(in_sample[t] ? "in" : "out");
      csv.end_row();
    }
    csv.close();
  }
  {
    // every replicate's hits, so that two validations with the same seed (and posterior) can be compared
    // replicate by replicate: a base scenario and its counterfactual (analysis/paired_effects.py)
    CsvFile csv(output.staged("hits.csv"));
    std::string header = draws ? "replicate,seed,particle" : "replicate,seed";
    for (const Target& target : scenario.targets) header += "," + target.id;
    csv.header(header);
    for (int r = 0; r < arguments.replicates; ++r) {
      csv.field(r).field(static_cast<unsigned long long>(replicate_seed(arguments.seed, static_cast<std::uint64_t>(r))));
      if (draws) csv.field(posterior->particles[draws->particle_of[static_cast<std::size_t>(r)]].id);
      for (std::size_t t = 0; t < scenario.targets.size(); ++t) csv.field(static_cast<int>(result.hits[static_cast<std::size_t>(r)][t]));
      csv.end_row();
    }
    csv.close();
  }
  // a level target over several pairs is met when every pair meets it; each pair's own hit rate shows which
  // pair misses (the table's "(+N)": N more pairs than the one it names)
  bool any_pairs = false;
  for (const auto& pairs : result.pairs) any_pairs = any_pairs || !pairs.empty();
  if (any_pairs) {
    CsvFile csv(output.staged("pairs.csv"));
    csv.header("target,from,to,channel,hit_rate,hits,replicates");
    const Model& model = scenario.model;
    for (std::size_t t = 0; t < scenario.targets.size(); ++t)
      for (std::size_t p = 0; p < result.pairs[t].size(); ++p) {
        const Probe& probe = scenario.targets[t].probes[p];
        // a tie index or affect has no channel, a pressure no partner: those cells are empty
        csv.field(scenario.targets[t].id).field(model.actors[static_cast<std::size_t>(probe.from)].id);
        csv.field(probe.to >= 0 ? model.actors[static_cast<std::size_t>(probe.to)].id : std::string());
        csv.field(probe.channel >= 0 ? model.channels[static_cast<std::size_t>(probe.channel)].id : std::string());
        csv.field(result.pairs[t][p].hit_rate()).field(result.pairs[t][p].hits).field(result.pairs[t][p].replicates).end_row();
      }
    csv.close();
  }
  // side effects: the ties that moved though no target reads them
  const std::vector<UnwatchedMove> unwatched = unwatched_moves(scenario.model, scenario.targets, result);
  {
    const Model& model = scenario.model;
    CsvFile csv(output.staged("unwatched_moves.csv"));
    csv.header("from,to,channel,moved,rose,fell,replicates");
    const double count = arguments.replicates;
    for (const auto& tie : unwatched) {
      csv.field(model.actors[static_cast<std::size_t>(tie.from)].id).field(model.actors[static_cast<std::size_t>(tie.to)].id);
      csv.field(model.channels[static_cast<std::size_t>(tie.channel)].id).field(tie.moves.moved / count);
      csv.field(tie.moves.rose / count).field(tie.moves.fell / count).field(arguments.replicates).end_row();
    }
    csv.close();
  }
  RunMetadata metadata;
  metadata.command = "validate";
  metadata.seed = arguments.seed;
  metadata.replicates = arguments.replicates;
  for (int r = 0; r < arguments.replicates; ++r) metadata.replicate_seeds.push_back(replicate_seed(arguments.seed, static_cast<std::uint64_t>(r)));
  metadata.files = {"validation.csv", "hits.csv", "unwatched_moves.csv"};
  if (any_pairs) metadata.files.push_back("pairs.csv");
  if (holdout) {
    HoldoutRecord record;
    record.until = holdout->until.iso();
    for (std::size_t t = 0; t < scenario.targets.size(); ++t)
      (in_sample[t] ? record.in_sample : record.out_of_sample).push_back(scenario.targets[t].id);
    metadata.holdout = record;
  }
  if (draws) metadata.posterior = posterior_record(*posterior, *draws);
  write_run_json(output.staged("validation.json"), scenario, metadata);
  output.commit();

  // the table: one line per target; with a hold-out, the targets in sample first, then those out of sample
  std::size_t width = 6;
  for (const auto& target : scenario.targets) width = std::max(width, target.id.size());
  std::ostringstream table;
  auto block = [&](char sample) {
    table << std::left << std::setw(static_cast<int>(width)) << "target" << "  hit rate  needed  result  expected\n";
    int passed = 0, failed = 0;
    for (std::size_t t = 0; t < scenario.targets.size(); ++t) {
      if (in_sample[t] != sample) continue;
      const Target& target = scenario.targets[t];
      const double rate = result.outcomes[t].hit_rate();
      const bool pass = rate >= target.share;
      (pass ? passed : failed) += 1;
      char numbers[64];
      std::snprintf(numbers, sizeof numbers, "  %7.1f%%  %5.0f%%  %-6s  ", 100 * rate, 100 * target.share, pass ? "pass" : "FAIL");
      table << std::left << std::setw(static_cast<int>(width)) << target.id << numbers << target.expected << "\n";
    }
    table << passed << " passed, " << failed << " failed";
    return failed;
  };
  int failed = 0;
  if (holdout) {
    const auto inside = static_cast<std::size_t>(std::count(in_sample.begin(), in_sample.end(), 1));
    table << "in sample: " << inside << " target" << (inside == 1 ? "" : "s") << " ending on or before " << holdout->until.iso() << "\n";
    failed += block(1);
    table << " in sample\n\nout of sample: " << in_sample.size() - inside << " target" << (in_sample.size() - inside == 1 ? "" : "s")
          << " ending after " << holdout->until.iso() << "\n";
    failed += block(0);
    table << " out of sample";
  } else {
    failed += block(1);
  }
  table << " (" << arguments.replicates << " replicates, seed " << arguments.seed << ", ";
  if (draws)
    table << "parameters drawn from " << draws->models.size() << " of the " << posterior->particles.size() << " particles of "
          << arguments.posterior << ", ";
  table
        << format_number(std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count() * 10) / 10)
        << " s); table in " << directory << "/validation.csv\n";
  if (any_pairs) table << "(+N): the target holds for N more pairs than the one named, all of them in every hit; each pair's own hit rate is in pairs.csv\n";
  // what moved that no target looks at: in a quarter of the replicates or more, the ten most frequent
  const auto often = static_cast<std::size_t>(std::count_if(unwatched.begin(), unwatched.end(), [&](const UnwatchedMove& tie) {
    return 4 * tie.moves.moved >= arguments.replicates;
  }));
  if (often > 0) {
    table << "moves no target watches, in a quarter of the replicates or more: " << often << " tie" << (often == 1 ? "" : "s");
    for (std::size_t k = 0; k < std::min<std::size_t>(often, 10); ++k) {
      const UnwatchedMove& tie = unwatched[k];
      const bool mutual = scenario.model.channels[static_cast<std::size_t>(tie.channel)].kind == ChannelKind::mutual;
      char share[16];
      std::snprintf(share, sizeof share, "%.0f%%", 100.0 * tie.moves.moved / arguments.replicates);
      table << (k == 0 ? ": " : ", ") << scenario.model.actors[static_cast<std::size_t>(tie.from)].id << (mutual ? "-" : "->")
            << scenario.model.actors[static_cast<std::size_t>(tie.to)].id << " " << scenario.model.channels[static_cast<std::size_t>(tie.channel)].id
            << " " << share;
    }
    table << (often > 10 ? ", …" : "") << " (all in unwatched_moves.csv)\n";
  }
  std::cout << table.str();
  // a miss out of sample fails the validation too: validate reports, it does not excuse
  return failed == 0 ? exit_ok : exit_failure;
}

namespace {

/// `calibrate --method abc-smc`: a posterior, its generations and what it says of each parameter.
int calibrate_abc_command(const CalibrateArguments& arguments, const CalibrationOptions& options, const Scenario& scenario,
                          std::chrono::steady_clock::time_point clock_start) {
  AbcOptions abc;
  abc.particles = arguments.particles.value_or(100);
  abc.generations = arguments.generations.value_or(0);
  abc.budget = arguments.budget.value_or(0);
  if (arguments.tolerance) {
    const auto tolerance = parse_decimal(*arguments.tolerance);
    if (!tolerance || *tolerance < 0)
      throw InputError(argument_problem("--tolerance", "expected a decimal number of 0 or more, got '" + *arguments.tolerance + "'",
                                        "a loss, e.g. 0.01"));
    abc.tolerance = *tolerance;
  }
  if (!arguments.budget && !arguments.generations && !arguments.tolerance)
    throw InputError(argument_problem("--method abc-smc", "no stopping rule", "give --generations G, --tolerance EPS or --budget N (or several)"));
  if (arguments.budget && *arguments.budget < abc.particles)
    throw InputError(argument_problem("--budget", "a budget of " + std::to_string(*arguments.budget) + " runs cannot draw the " +
                                                      std::to_string(abc.particles) + " particles of the prior sample",
                                      "give --budget " + std::to_string(abc.particles) + " or more, or fewer --particles"));
  for (std::size_t k = 0; k < options.free.size(); ++k)
    if (!(options.free[k].low < options.free[k].high))
      throw InputError(argument_problem("--free " + arguments.free[k], "a prior needs LOW below HIGH", "fix the value with --set instead"));
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name + "-calibration" : arguments.output;
  const AbcCalibration calibration = calibrate_abc(arguments.scenario, options, abc);
  if (process_rank() > 0) return exit_ok;  // under mpirun every rank holds the posterior; rank 0 writes it
  const AbcResult& result = calibration.result;
  std::vector<Prior> priors;
  for (const auto& free : options.free) priors.push_back(free.prior());
  const Identifiability report = identifiability(priors, result.particles);
  OutputDirectory output(directory);
  {
    CsvFile csv(output.staged("posterior.csv"));
    std::string header = "particle,weight";
    for (const auto& free : options.free) header += "," + free.path;
    csv.header(header + ",distance");
    for (std::size_t i = 0; i < result.particles.size(); ++i) {
      csv.field(static_cast<long long>(i)).field(result.particles[i].weight);
      for (double value : result.particles[i].values) csv.field(value);
      csv.field(result.particles[i].distance).end_row();
    }
    csv.close();
  }
  {
    CsvFile csv(output.staged("generations.csv"));
    csv.header("generation,tolerance,accepted,runs,acceptance_rate,effective_size,complete");
    for (std::size_t g = 0; g < result.generations.size(); ++g) {
      const AbcGeneration& generation = result.generations[g];
      csv.field(static_cast<long long>(g)).field(generation.tolerance).field(generation.accepted).field(generation.attempts);
      csv.field(generation.attempts > 0 ? static_cast<double>(generation.accepted) / static_cast<double>(generation.attempts) : 0.0);
      csv.field(generation.effective_size).field(generation.complete ? "true" : "false").end_row();
    }
    csv.close();
  }
  {
    CsvFile csv(output.staged("identifiability.csv"));
    std::string header = "parameter,scale,prior_low,prior_high,posterior_mean,posterior_q05,posterior_q95,width_ratio,ruled_out,constrained";
    for (const auto& free : options.free) header += ",correlation_" + free.path;
    csv.header(header);
    for (std::size_t k = 0; k < options.free.size(); ++k) {
      const FreeParameter& free = options.free[k];
      const ParameterSummary& summary = report.parameters[k];
      csv.field(free.path).field(free.log ? "log" : "linear").field(free.low).field(free.high).field(summary.mean);
      csv.field(summary.low).field(summary.high).field(summary.width_ratio).field(std::max(0.0, 1.0 - summary.width_ratio));
      csv.field(summary.constrained ? "true" : "false");
      for (double correlation : report.correlation[k]) csv.field(correlation);
      csv.end_row();
    }
    csv.close();
  }
  output.commit();

  // the generations, then each parameter against its prior, then the correlations
  long long accepted = 0;
  for (const auto& generation : result.generations) accepted += generation.accepted;
  std::cout << "ABC-SMC: " << result.particles.size() << " particles, " << result.runs << " runs of " << options.replicates
            << (options.replicates == 1 ? " replicate" : " replicates")
            << (options.distance == CalibrationOptions::Distance::record ? ", distance from the record" : "") << "; stopped: " << result.stopped << "\n";
  std::cout << "generation  tolerance  accepted     runs  acceptance  ESS\n";
  for (std::size_t g = 0; g < result.generations.size(); ++g) {
    const AbcGeneration& generation = result.generations[g];
    char line[160];
    std::snprintf(line, sizeof line, "%10zu  %9.4g  %8d  %7lld  %9.1f%%  %5.1f%s\n", g, generation.tolerance, generation.accepted,
                  generation.attempts, generation.attempts > 0 ? 100.0 * generation.accepted / static_cast<double>(generation.attempts) : 0.0,
                  generation.effective_size, generation.complete ? "" : "  (cut short by the budget, not kept)");
    std::cout << line;
  }
  const AbcGeneration& kept = *std::find_if(result.generations.rbegin(), result.generations.rend(), [](const AbcGeneration& g) { return g.complete; });
  std::cout << "runs per accepted particle: " << format_number(std::round(100.0 * static_cast<double>(result.runs) / static_cast<double>(accepted)) / 100)
            << " over all generations, " << format_number(std::round(100.0 * static_cast<double>(kept.attempts) / kept.accepted) / 100)
            << " in the last kept\n";
  std::size_t width = 9;
  for (const auto& free : options.free) width = std::max(width, free.path.size());
  std::cout << "\n" << std::left << std::setw(static_cast<int>(width)) << "parameter"
            << "        mean         5%        95%  prior low prior high  scale   width  constrained\n";
  std::vector<std::string> loose;
  for (std::size_t k = 0; k < options.free.size(); ++k) {
    const FreeParameter& free = options.free[k];
    const ParameterSummary& summary = report.parameters[k];
    char numbers[200];
    std::snprintf(numbers, sizeof numbers, "  %10.4g %10.4g %10.4g %10.4g %10.4g  %-6s  %4.0f%%  %s", summary.mean, summary.low, summary.high,
                  free.low, free.high, free.log ? "log" : "linear", 100 * summary.width_ratio, summary.constrained ? "yes" : "NO");
    std::cout << std::left << std::setw(static_cast<int>(width)) << free.path << numbers << "\n";
    if (!summary.constrained) loose.push_back(free.path);
  }
  std::cout << "(width: the posterior's 90% interval over the prior's, on the prior's scale; above "
            << format_number(100 * unconstrained_ratio) << "% the targets leave the parameter free)\n";
  if (!loose.empty()) {
    std::cout << "not constrained by the targets:";
    for (const auto& path : loose) std::cout << " " << path;
    std::cout << "\n";
  }
  if (options.free.size() > 1) {
    std::cout << "posterior correlations:\n";
    for (std::size_t a = 0; a < options.free.size(); ++a)
      for (std::size_t b = a + 1; b < options.free.size(); ++b) {
        char number[32];
        std::snprintf(number, sizeof number, "%+.2f", report.correlation[a][b]);
        std::cout << "  " << options.free[a].path << " ~ " << options.free[b].path << "  " << number << "\n";
      }
  }
  std::cout << "wrote " << directory << "/posterior.csv, generations.csv, identifiability.csv in "
            << format_number(std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count() * 10) / 10) << " s\n";
  return exit_ok;
}

}  // namespace

int calibrate_command(const CalibrateArguments& arguments) {
  const auto clock_start = std::chrono::steady_clock::now();
  const std::vector<std::string> methods = {"direct", "abc-smc"};
  if (std::find(methods.begin(), methods.end(), arguments.method) == methods.end())
    throw InputError(argument_problem("--method", "unknown method '" + arguments.method + "'", suggestion(arguments.method, methods)));
  const bool abc = arguments.method == "abc-smc";
  if (!abc)
    for (const auto& [given, name] : {std::pair{arguments.particles.has_value(), "--particles"}, {arguments.generations.has_value(), "--generations"},
                                      {arguments.tolerance.has_value(), "--tolerance"}, {arguments.distance.has_value(), "--distance"}})
      if (given) throw InputError(argument_problem(name, "only for --method abc-smc", "add --method abc-smc, or leave it out"));
  CalibrationOptions options;
  const std::vector<std::string> distances = {"shortfall", "record"};
  const std::string distance = arguments.distance.value_or("shortfall");
  if (std::find(distances.begin(), distances.end(), distance) == distances.end())
    throw InputError(argument_problem("--distance", "unknown distance '" + distance + "'", suggestion(distance, distances)));
  if (distance == "record") {
    options.distance = CalibrationOptions::Distance::record;
    // one history against the record: at tolerance 0 a particle is kept with the probability that the model
    // reproduces the record, the likelihood; R histories that must all reproduce it would raise it to the R-th power
    if (arguments.replicates && *arguments.replicates != 1)
      throw InputError(argument_problem("--replicates", "--distance record compares one simulated history with the record",
                                        "leave --replicates out (or give 1); more particles give a finer posterior"));
  }
  options.replicates = arguments.replicates.value_or(distance == "record" ? 1 : 50);
  for (const auto& text : arguments.free) options.free.push_back(parse_free_parameter(text));
  if (options.free.empty()) throw InputError(argument_problem("--free", "nothing to fit", "give at least one --free PATH=LOW:HIGH"));
  options.overrides = arguments.overrides;
  options.budget = arguments.budget.value_or(100);
  options.seed = arguments.seed;
  options.threads = arguments.threads;
  options.progress = process_rank() == 0;
  // checked in full (paths, targets) before any output exists
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  if (!arguments.until.empty()) options.holdout = read_holdout(arguments.until, scenario.model.calendar);
  if (abc) return calibrate_abc_command(arguments, options, scenario, clock_start);
  const std::string directory = arguments.output.empty() ? "out/" + scenario.model.name + "-calibration" : arguments.output;
  const CalibrationResult result = calibrate(arguments.scenario, options);
  OutputDirectory output(directory);
  const Evaluation& best = result.history[result.best];
  const std::vector<char> in_sample =
      options.holdout ? options.holdout->in_sample(result.targets) : std::vector<char>(result.targets.size(), 1);

  {
    CsvFile history(output.staged("history.csv"));
    std::string header = "evaluation,loss";
    for (const auto& free : options.free) header += "," + free.path;
    if (options.holdout) header += ",out_of_sample_loss";
    history.header(header);
    for (std::size_t k = 0; k < result.history.size(); ++k) {
      history.field(static_cast<long long>(k)).field(result.history[k].loss);
      for (double value : result.history[k].values) history.field(value);
      if (options.holdout) history.field(result.history[k].out_of_sample_loss);
      history.end_row();
    }
    history.close();
  }
  {
    CsvFile fit(output.staged("fit.csv"));
    fit.header(std::string("target,kind,expected,hit_rate,threshold,pass,weight") + (options.holdout ? ",sample" : ""));
    for (std::size_t t = 0; t < result.targets.size(); ++t) {
      const Target& target = result.targets[t];
      const double rate = best.outcomes[t].hit_rate();
      fit.field(target.id).field(target_kind_name(target.kind)).field(target.expected).field(rate).field(target.share);
      fit.field(rate >= target.share ? "true" : "false").field(target.weight);
      if (options.holdout) fit.field(in_sample[t] ? "in" : "out");
      fit.end_row();
    }
    fit.close();
  }
  {
    // an overlay that extends the scenario: running it reproduces the best evaluation
    const auto overlay_dir = std::filesystem::absolute(directory);
    std::ostringstream overlay;
    overlay << "# Fitted by tiesim calibrate: loss " << format_number(best.loss) << " after " << result.history.size()
            << " evaluations (" << result.method << ", " << options.replicates << " replicates each, seed " << options.seed << ").\n";
    if (options.holdout) {
      const auto inside = std::count(in_sample.begin(), in_sample.end(), 1);
      overlay << "# Fitted to the " << inside << " targets ending on or before " << options.holdout->until.iso() << "; the "
              << static_cast<long>(in_sample.size()) - inside << " later ones were held out (their loss here: "
              << format_number(best.out_of_sample_loss) << ").\n";
    }
    overlay << "# Redo: tiesim calibrate " << arguments.scenario;
    for (const auto& text : arguments.free) overlay << " --free " << text;
    for (const auto& text : arguments.overrides) overlay << " --set '" << text << "'";
    overlay << " --budget " << options.budget << " --replicates " << options.replicates << " --seed " << options.seed;
    if (options.holdout) overlay << " --until " << options.holdout->until.iso();
    overlay << "\n";
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

  std::cout << "best of " << result.history.size() << " evaluations: loss " << format_number(best.loss);
  if (options.holdout) std::cout << " in sample (held-out targets' loss there: " << format_number(best.out_of_sample_loss) << ")";
  std::cout << "\n";
  for (std::size_t k = 0; k < options.free.size(); ++k) std::cout << "  " << options.free[k].path << " = " << format_number(best.values[k]) << "\n";
  // met and counted per side of the hold-out (without one, every target is in sample)
  int met[2] = {0, 0}, counted[2] = {0, 0};
  for (std::size_t t = 0; t < result.targets.size(); ++t) {
    const int side = in_sample[t] ? 1 : 0;
    met[side] += best.outcomes[t].hit_rate() >= result.targets[t].share ? 1 : 0;
    counted[side] += 1;
  }
  if (options.holdout)
    std::cout << met[1] << " of " << counted[1] << " targets in sample (ending on or before " << options.holdout->until.iso()
              << ") and " << met[0] << " of " << counted[0] << " held out met at the best point; wrote ";
  else
    std::cout << met[1] << " of " << counted[1] << " targets met at the best point; wrote ";
  std::cout << directory << "/fit.toml (overlay), fit.csv, history.csv in "
            << format_number(std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count() * 10) / 10) << " s\n";
  return exit_ok;
}

int sweep_command(const SweepArguments& arguments) {
  const bool quick = arguments.experiment.empty();
  if (quick && (arguments.scenario.empty() || arguments.vary.empty()))
    throw InputError(argument_problem("sweep", "give an experiment file, or --scenario and at least one --vary",
                                      "e.g. tiesim sweep --scenario scenarios/minimal.toml --vary actors.MID.compliance=0:2:5"));
  if (!quick && (!arguments.scenario.empty() || !arguments.vary.empty()))
    throw InputError(argument_problem("sweep", "--scenario and --vary are for a sweep without an experiment file"));
  const Experiment experiment = quick ? quick_experiment(arguments.scenario, arguments.vary, arguments.overrides, arguments.replicates, arguments.seed)
                                      : load_experiment(arguments.experiment, arguments.overrides);
  if (!arguments.quiet && process_rank() == 0)
    for (const auto& parameter : experiment.parameters)
      if (parameter.whole)
        std::cerr << "tiesim: note: '" << parameter.path << "' takes whole numbers: its design values are rounded to the nearest (halves away from zero)\n";
  SweepOptions options;
  options.threads = arguments.threads;
  options.quiet = arguments.quiet;
  options.resume = arguments.resume;
  options.gzip = arguments.gzip;
  if (!arguments.shard.empty()) std::tie(options.shard_index, options.shard_count) = parse_shard(arguments.shard);
  const std::string stem = quick ? experiment.base.model.name : std::filesystem::path(arguments.experiment).stem().string();
  std::string directory = arguments.output.empty() ? "out/" + stem + "-sweep" : arguments.output;
  if (arguments.output.empty() && options.shard_count > 1) directory += "-shard" + std::to_string(options.shard_index + 1);

  const SweepSummary summary = run_sweep(experiment, options, directory);
  if (process_rank() > 0) return exit_ok;  // the ranks that computed have nothing to say
  if (!arguments.quiet) {
    std::cout << "wrote " << directory << "/" << (options.gzip ? "runs.csv.gz" : "runs.csv") << " and manifest.json: "
              << summary.runs_done << " runs (" << experiment.design.points.size() << " points × " << experiment.replicates
              << " replicates" << (options.shard_count > 1 ? ", shard " + arguments.shard : std::string()) << ")";
    if (summary.runs_failed > 0) std::cout << ", " << summary.runs_failed << " failed (see the status column)";
    std::cout << "\n";
    const auto kind = experiment.design_options.kind;
    if (kind == DesignKind::sobol || kind == DesignKind::morris)
      std::cout << "indices: tiesim sensitivity " << directory << "/runs.csv\n";
    if (!experiment.metrics.empty() && !experiment.parameters.empty())
      std::cout << "plot: analysis/plot_sweep.py " << directory << "/runs.csv --metric " << experiment.metrics.front().name
                << " --param " << experiment.parameters.front().path << " -o " << directory << "/sweep.png\n";
  }
  return summary.runs_failed > 0 ? exit_failure : exit_ok;
}

int sensitivity_command(const SensitivityArguments& arguments) {
  std::vector<std::string> notes;
  const auto indices = analyse_runs(arguments.runs, arguments.bootstrap, arguments.seed, &notes);
  for (const auto& text : notes) std::cerr << "tiesim: note: " << text << "\n";
  const std::filesystem::path runs(arguments.runs);
  const std::filesystem::path target = arguments.output.empty() ? runs.parent_path() / "sensitivity.csv" : std::filesystem::path(arguments.output);
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec) || !target.has_filename())
    throw InputError(argument_problem("-o", "'" + target.string() + "' is a directory; expected the CSV file to write",
                                      "e.g. -o " + (target / "sensitivity.csv").string()));
  OutputDirectory output(target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path());
  {
    CsvFile csv(output.staged(target.filename().string()));
    csv.header("metric,parameter,method,index,value,lo,hi");
    for (const auto& index : indices) {
      csv.field(index.metric).field(index.parameter).field(index.method).field(index.index);
      auto number = [&](double value) { std::isnan(value) ? csv.empty() : csv.field(value); };
      number(index.value);
      number(index.low);
      number(index.high);
      csv.end_row();
    }
    csv.close();
  }
  output.commit();
  std::cout << "wrote " << target.string() << ": " << indices.size() << " indices\n";
  std::cout << "plot: analysis/plot_sensitivity.py " << target.string() << " -o " << (target.parent_path() / "sensitivity.png").string() << "\n";
  return exit_ok;
}

int merge_command(const MergeArguments& arguments) {
  std::vector<std::filesystem::path> shards(arguments.shards.begin(), arguments.shards.end());
  merge_shards(shards, arguments.output);
  std::cout << "wrote " << arguments.output << "/runs.csv and manifest.json from " << shards.size() << " shards\n";
  return exit_ok;
}

int check_command(const CheckArguments& arguments) {
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  // a target that is always met loads, but is surely not what was meant
  for (const auto& warning : scenario.warnings) std::cerr << warning.format() << "\n";
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

int explain_command(const ExplainArguments& arguments) {
  const Scenario scenario = load_scenario(arguments.scenario, arguments.overrides);
  const Model& model = scenario.model;
  std::vector<std::string> actor_ids, channel_ids;
  for (const auto& actor : model.actors) actor_ids.push_back(actor.id);
  for (const auto& channel : model.channels) channel_ids.push_back(channel.id);
  // every mistake of the command line at once, each naming its flag
  std::vector<Diagnostic> problems;
  auto find_id = [&](const std::string& option, const std::string& id, const std::vector<std::string>& ids, const std::string& what) {
    const auto it = std::find(ids.begin(), ids.end(), id);
    if (it != ids.end()) return static_cast<int>(it - ids.begin());
    problems.push_back(argument_problem(option, "unknown " + what + " '" + id + "'", suggestion(id, ids)));
    return -1;
  };
  ExplainRequest request;
  request.tie.from = find_id("--from", arguments.from, actor_ids, "actor");
  request.tie.to = find_id("--to", arguments.to, actor_ids, "actor");
  request.tie.channel = find_id("--channel", arguments.channel, channel_ids, "channel");
  if (request.tie.from >= 0 && request.tie.from == request.tie.to)
    problems.push_back(argument_problem("--to", "'" + arguments.to + "' is the --from actor too; a tie joins two actors", "give another actor"));
  const Calendar& calendar = model.calendar;
  const std::string range = calendar.start.iso() + " to " + calendar.date_of(calendar.step_count() - 1).iso();
  if (const auto date = Date::parse(arguments.date); !date)
    problems.push_back(argument_problem("--date", "expected a calendar date YYYY-MM-DD, got '" + arguments.date + "'",
                                        "did you mean a date from " + range + "? e.g. --date " + calendar.start.iso()));
  else if (*date < calendar.start || calendar.step_of(*date) >= calendar.step_count())
    problems.push_back(argument_problem("--date", "date " + date->iso() + " is outside the run (steps dated " + range + ")",
                                        "did you mean " + (*date < calendar.start ? calendar.start : calendar.date_of(calendar.step_count() - 1)).iso() +
                                            "? give a date inside the run"));
  else
    request.step = calendar.step_of(*date);
  if (!problems.empty()) throw InputError(std::move(problems));
  request.seed = arguments.seed;
  request.replicates = arguments.replicates;
  request.threads = arguments.threads;
  std::cout << explain_report(model, request, explain_tie(model, request));
  return exit_ok;
}

int generate_world_command(const GenerateWorldArguments& arguments) {
  WorldOptions options;
  options.actors = arguments.actors;
  options.channels = arguments.channels;
  options.years = arguments.years;
  options.seed = arguments.seed;
  std::vector<Diagnostic> problems;
  for (const auto& problem : world_option_problems(options))
    problems.push_back(argument_problem("generate world", problem, "see 'tiesim generate world --help'"));
  if (!problems.empty()) throw InputError(std::move(problems));
  const std::string text = generate_world(options);
  if (arguments.output.empty()) {
    std::cout << text;
    return exit_ok;
  }
  // written whole or not at all: a half-written scenario would be a confusing input later
  const std::filesystem::path path(arguments.output);
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw OutputError("cannot write '" + arguments.output + "'");
    }
  }
  std::error_code renamed;
  std::filesystem::rename(partial, path, renamed);
  if (renamed) {
    std::filesystem::remove(partial, renamed);
    throw OutputError("cannot write '" + arguments.output + "'");
  }
  std::cerr << "wrote " << arguments.output << ": " << options.actors << " actors, " << options.channels << " channels, "
            << options.years << " years (seed " << options.seed << ")\n";
  return exit_ok;
}

}  // namespace tiesim
