/// The `tiesim` program: parses the command line and dispatches to a subcommand.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/text.hpp"
#include "experiment/distributed.hpp"
#ifdef TIESIM_COMMAND_LINE_FUZZ
#include "experiment/calibration.hpp"
#include "experiment/sweep.hpp"
#endif
#include "run/simulate.hpp"
#include "output/csv.hpp"
#include "scenario/diagnostics.hpp"
#include "core/version.hpp"

namespace {

extern "C" void on_signal(int) { tiesim::request_stop(); }

/// Every numeric flag is checked as text, by one rule: an integer in decimal as TOML writes it, in range.
/// CLI11 alone would read "010" as octal 8 and "0x10" as 16, and answer "2.5" with "not in range".
CLI::Validator whole_number(long long low, long long high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        const std::string expected = "expected an integer from " + std::to_string(low) + " to " + std::to_string(high) + ", got '" + text + "'";
        if (const auto problem = tiesim::decimal_integer_problem(text); !problem.empty()) return expected + ": " + problem;
        const auto value = tiesim::parse_decimal_integer(text);
        if (!value || *value < low || *value > high) return expected;
        return {};
      },
      std::to_string(low) + ".." + std::to_string(high));
}

const CLI::Validator seed_range = whole_number(0, std::numeric_limits<long long>::max());

/// A hold-out date given as an empty string would silently mean no hold-out.
const CLI::Validator until_not_empty(
    [](std::string& text) -> std::string { return text.empty() ? "expected a calendar date YYYY-MM-DD, got an empty string" : ""; }, "DATE");

/// An output path given as an empty string would silently become the default.
const CLI::Validator not_empty([](std::string& text) -> std::string { return text.empty() ? "expected a path, got an empty string" : ""; }, "");

void add_overrides(CLI::App* command, std::vector<std::string>& overrides) {
  command->add_option("--set", overrides, "Override a scenario value: PATH=VALUE, e.g. actors.A.compliance=0.8 (repeatable)")
      ->allow_extra_args(false);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tiesim;
  // under mpirun: MPI starts here and ends when main returns
  start_distributed(argc, argv);
  struct StopDistributed {
    ~StopDistributed() { stop_distributed(); }
  } stop_distributed_at_exit;
  CLI::App app{"tiesim: agent-based simulation of diplomatic balancing under sanctions pressure"};
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.footer("Example:\n  tiesim run scenarios/minimal.toml -o out/minimal --seed 7\n  tiesim check scenarios/minimal.toml\n"
             "  tiesim validate scenarios/minimal.toml --replicates 200\n"
             "Run 'tiesim COMMAND --help' for a command's options.");

  RunArguments run;
  auto* run_app = app.add_subcommand("run", "Run a scenario's replicates, write ties, dyads, actors and events as CSV, and summarise its focal dyad");
  run_app->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_app->add_option("-o,--output", run.output, "Output directory (default: out/<scenario name>)")->check(not_empty);
  run_app->add_option("--seed", run.seed, "Master seed; the same seed gives the same files bit for bit (default 1)")->check(seed_range);
  run_app->add_option("--replicates", run.replicates, "Number of replicates (default 1)")->check(whole_number(1, 1000000));
  run_app->add_option("--threads", run.threads, "Threads (default: every core; results do not depend on it)")->check(whole_number(0, 4096));
  run_app->add_option("--every", run.every, "Record every K-th step, and the last (default 1)")->check(whole_number(1, 1000000));
  run_app->add_option("--record", run.record,
                      "Files to write, comma-separated, of changes,ties,dyads,actors,events (default changes,events; "
                      "ties.csv is the full panel that changes.csv rebuilds)");
  run_app->add_flag("--gzip", run.gzip, "Write every file gzip-compressed (*.csv.gz, read as they are by pandas and readr)");
  run_app->add_option("--actors", run.record_actors, "Record only rows involving these actors in ties, dyads and actors.csv: ID,ID (default all)");
  run_app->add_option("--channels", run.record_channels, "Record only these channels' rows in ties.csv: ID,ID (default all)");
  add_overrides(run_app, run.overrides);
  run_app->add_option("--posterior", run.posterior,
                       "posterior.csv of 'calibrate --method abc-smc': each replicate draws a particle by weight and runs with its "
                       "values (recorded in replicates.csv and run.json)")
      ->check(not_empty);
  run_app->add_flag("-q,--quiet", run.quiet, "Print nothing on success");
  run_app->footer("Examples:\n  tiesim run scenarios/minimal.toml -o out/minimal --seed 7 --replicates 20 --set actors.MID.compliance=0.8\n"
                  "  tiesim run scenarios/minimal.toml --posterior out/posterior/posterior.csv --replicates 100 -o out/predictive"
                  "   # parameters drawn per replicate");

  ValidateArguments validate;
  auto* validate_app = app.add_subcommand("validate", "Run replicates and report how often each of the scenario's targets is met");
  validate_app->add_option("scenario", validate.scenario, "Scenario file (TOML) with [targets.ID] tables")->required();
  validate_app->add_option("-o,--output", validate.output, "Directory for validation.csv and validation.json (default: out/<scenario name>)")->check(not_empty);
  validate_app->add_option("--seed", validate.seed, "Master seed (default 1)")->check(seed_range);
  validate_app->add_option("--replicates", validate.replicates, "Number of replicates (default 200)")->check(whole_number(1, 1000000));
  validate_app->add_option("--threads", validate.threads, "Threads (default: every core; results do not depend on it)")->check(whole_number(0, 4096));
  validate_app->add_option("--until", validate.until,
                           "Hold-out date YYYY-MM-DD: targets ending after it are listed apart, as out of sample (default: none)")
      ->check(until_not_empty);
  add_overrides(validate_app, validate.overrides);
  validate_app->add_option("--posterior", validate.posterior,
                           "posterior.csv of 'calibrate --method abc-smc': each replicate draws a particle by weight and runs with its values")
      ->check(not_empty);
  validate_app->footer("Exit status 0 when every target passes, 1 when any fails (out-of-sample targets count too), 2 for bad input.\n"
                       "Examples:\n  tiesim validate scenarios/minimal.toml --replicates 200 --seed 1\n"
                       "  tiesim validate scenarios/minimal.toml --until 2005-12-31   # targets ending after 2005 listed out of sample\n"
                       "  tiesim validate scenarios/minimal.toml --posterior out/posterior/posterior.csv   # parameters drawn per replicate");

  ExplainArguments explain;
  auto* explain_app = app.add_subcommand("explain", "Why a tie moved or held in one step: each utility term of lowering, keeping and raising it");
  explain_app->add_option("scenario", explain.scenario, "Scenario file (TOML)")->required();
  explain_app->add_option("--from", explain.from, "The actor whose tie it is")->required();
  explain_app->add_option("--to", explain.to, "Its partner")->required();
  explain_app->add_option("--channel", explain.channel, "The tie's channel")->required();
  explain_app->add_option("--date", explain.date, "A date YYYY-MM-DD inside the run: the step containing it is explained")->required();
  explain_app->add_option("--seed", explain.seed, "Master seed, as for run (default 1)")->check(seed_range);
  explain_app->add_option("--replicates", explain.replicates, "Number of replicates (default 100)")->check(whole_number(1, 1000000));
  explain_app->add_option("--threads", explain.threads, "Threads (default: every core; results do not depend on it)")->check(whole_number(0, 4096));
  add_overrides(explain_app, explain.overrides);
  explain_app->footer("Writes no file. Example:\n  tiesim explain scenarios/minimal.toml --from MID --to PAR --channel trade --date 2005-03-15");

  CalibrateArguments calibrate;
  auto* calibrate_app = app.add_subcommand("calibrate", "Fit free parameters to the scenario's targets and write them as an overlay");
  calibrate_app->add_option("scenario", calibrate.scenario, "Scenario file (TOML) with [targets.ID] tables")->required();
  calibrate_app->add_option("--free", calibrate.free,
                             "A parameter to fit: PATH=LOW:HIGH, or PATH=LOW:HIGH:log for a log scale (LOW > 0); with abc-smc, "
                             "its uniform or log-uniform prior (repeatable)")
      ->allow_extra_args(false)->required();
  calibrate_app->add_option("-o,--output", calibrate.output, "Output directory (default: out/<scenario name>-calibration)")->check(not_empty);
  calibrate_app->add_option("--method", calibrate.method,
                            "direct: the best point by DIRECT-L (default); abc-smc: a posterior by approximate Bayesian computation");
  calibrate_app->add_option("--budget", calibrate.budget, "Evaluations of the loss (default 100 for direct; no limit for abc-smc)")
      ->check(whole_number(1, 100000000));
  calibrate_app->add_option("--particles", calibrate.particles, "abc-smc: particles per generation (default 100)")->check(whole_number(2, 1000000));
  calibrate_app->add_option("--generations", calibrate.generations, "abc-smc: at most this many generations, the prior sample the first")
      ->check(whole_number(1, 10000));
  calibrate_app->add_option("--tolerance", calibrate.tolerance, "abc-smc: stop once a generation is accepted within this loss");
  calibrate_app->add_option("--distance", calibrate.distance,
                            "abc-smc: shortfall (the loss over R replicates, default) or record (the weighted share of targets "
                            "one simulated history misses: at --tolerance 0, the posterior given the record)");
  calibrate_app->add_option("--replicates", calibrate.replicates, "Replicates per evaluation (default 50; 1 with --distance record)")
      ->check(whole_number(1, 1000000));
  calibrate_app->add_option("--seed", calibrate.seed, "Master seed, the same for every evaluation (default 1)")->check(seed_range);
  calibrate_app->add_option("--threads", calibrate.threads, "Threads (default: every core)")->check(whole_number(0, 4096));
  calibrate_app->add_option("--until", calibrate.until,
                            "Hold-out date YYYY-MM-DD: fit only the targets ending on or before it (default: every target)")
      ->check(until_not_empty);
  add_overrides(calibrate_app, calibrate.overrides);
  calibrate_app->footer("Examples:\n  tiesim calibrate scenarios/minimal.toml --free actors.MID.pressure_sensitivity=0.5:4 --budget 30 -o out/fit\n"
                        "  tiesim calibrate scenarios/minimal.toml --free actors.MID.pressure_sensitivity=0.5:4 --until 2005-12-31 -o out/fit\n"
                        "  (then 'tiesim validate out/fit/fit.toml --until 2005-12-31' for the hit rates of the targets held out)\n"
                        "  tiesim calibrate scenarios/minimal.toml --method abc-smc --free actors.MID.pressure_sensitivity=0.25:4:log "
                        "--particles 50 --generations 4 --replicates 20 -o out/posterior");

  SweepArguments sweep;
  auto* sweep_app = app.add_subcommand("sweep", "Run an experiment: a design of parameter points, replicates each, one row of runs.csv per run");
  sweep_app->add_option("experiment", sweep.experiment, "Experiment file (TOML); or use --scenario and --vary");
  sweep_app->add_option("--scenario", sweep.scenario, "Quick sweep without a file: the scenario");
  sweep_app->add_option("--vary", sweep.vary, "Quick sweep: PATH=LOW:HIGH[:STEPS], a grid (repeatable)")->allow_extra_args(false);
  sweep_app->add_option("--replicates", sweep.replicates, "Quick sweep: replicates per point (default 1)")->check(whole_number(1, 1000000));
  sweep_app->add_option("--seed", sweep.seed, "Quick sweep: master seed (default 1)")->check(seed_range);
  sweep_app->add_option("-o,--output", sweep.output, "Output directory (default: out/<name>-sweep)")->check(not_empty);
  sweep_app->add_option("--threads", sweep.threads, "Threads (default: every core; results do not depend on it)")->check(whole_number(0, 4096));
  sweep_app->add_option("--shard", sweep.shard, "Run only shard K of N (K/N, from 1), for job arrays; join with 'tiesim merge'");
  add_overrides(sweep_app, sweep.overrides);
  sweep_app->add_flag("--resume", sweep.resume, "Continue a stopped sweep in its output directory");
  sweep_app->add_flag("--gzip", sweep.gzip, "Write runs.csv.gz");
  sweep_app->add_flag("-q,--quiet", sweep.quiet, "No progress line (it is off anyway when stderr is not a terminal)");
  sweep_app->footer("Examples:\n  tiesim sweep experiments/compliance.toml -o out/compliance\n"
                    "  tiesim sweep --scenario scenarios/minimal.toml --vary actors.MID.compliance=0:2:5 --replicates 10\n"
                    "  tiesim sweep experiments/compliance.toml --shard 2/4 -o out/part2   # then: tiesim merge out/all out/part*");

  SensitivityArguments sensitivity;
  auto* sensitivity_app = app.add_subcommand("sensitivity", "Sobol or Morris sensitivity indices of every metric of a sweep");
  sensitivity_app->add_option("runs", sensitivity.runs, "runs.csv (or runs.csv.gz) of a Sobol or Morris sweep")->required();
  sensitivity_app->add_option("-o,--output", sensitivity.output, "Output CSV (default: sensitivity.csv beside runs.csv)")->check(not_empty);
  sensitivity_app->add_option("--bootstrap", sensitivity.bootstrap, "Bootstrap resamples for Sobol intervals (default 1000)")->check(whole_number(0, 1000000));
  sensitivity_app->add_option("--seed", sensitivity.seed, "Seed of the bootstrap (default 1)")->check(seed_range);
  sensitivity_app->footer("Example:\n  tiesim sensitivity out/compliance/runs.csv");

  MergeArguments merge;
  auto* merge_app = app.add_subcommand("merge", "Join the shard directories of one sweep into one result");
  merge_app->add_option("output", merge.output, "Output directory")->required()->check(not_empty);
  merge_app->add_option("shards", merge.shards, "Shard directories, in any order")->required();
  merge_app->footer("Example:\n  tiesim merge out/all out/part1 out/part2");

  CheckArguments check;
  auto* check_app = app.add_subcommand("check", "Check a scenario file without running it and summarise it");
  check_app->add_option("scenario", check.scenario, "Scenario file (TOML)")->required();
  add_overrides(check_app, check.overrides);
  check_app->footer("Example:\n  tiesim check scenarios/minimal.toml");

  // `generate world`: nested so that other generators (a ring, a star, …) can join it later
  GenerateWorldArguments world;
  auto* generate_app = app.add_subcommand("generate", "Write a synthetic scenario file");
  generate_app->require_subcommand(1);
  auto* world_app = generate_app->add_subcommand("world", "A synthetic world: blocs, alliances, a sanctions target and its regime");
  world_app->add_option("--actors", world.actors, "Number of actors N (4 to 2000), ids A001 …")->required()->check(whole_number(4, 2000));
  world_app->add_option("--channels", world.channels, "Number of channels C (1 to 64; default 6)")->check(whole_number(1, 64));
  world_app->add_option("--years", world.years, "Years simulated, in monthly steps (1 to 1000; default 20)")->check(whole_number(1, 1000));
  world_app->add_option("--seed", world.seed, "Seed; the same options give the same file (default 1)")->check(seed_range);
  world_app->add_option("-o,--output", world.output, "Scenario file to write (default: standard output)")->check(not_empty);
  world_app->footer("Example:\n  tiesim generate world --actors 193 --channels 9 --years 50 -o world.toml\n  tiesim check world.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    // an unknown first word is most likely a mistyped command: say so, with the closest one
    std::vector<std::string> commands;
    for (const auto* command : app.get_subcommands({})) commands.push_back(command->get_name());
    if (argc > 1 && argv[1][0] != '-' && std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      std::cerr << "tiesim: error: unknown command '" << argv[1] << "'\n  hint: " << suggestion(argv[1], commands) << "\n";
      return exit_bad_input;
    }
    // a command that needs a subcommand got none (CLI11 says only "A subcommand is required"): name the
    // command, and the word that stood where the subcommand should be
    if (std::string_view(error.what()).find("subcommand is required") != std::string_view::npos) {
      const bool in_generate = argc > 1 && std::string_view(argv[1]) == "generate";
      const int first = in_generate ? 2 : 1;
      const std::string where = in_generate ? "tiesim generate" : "tiesim";
      std::vector<std::string> names = commands;
      if (in_generate) {
        names.clear();
        for (const auto* command : generate_app->get_subcommands({})) names.push_back(command->get_name());
      }
      if (argc <= first)
        std::cerr << where << ": error: expected a command\n";
      else if (argv[first][0] == '-')
        std::cerr << where << ": error: unknown option '" << argv[first] << "' before a command\n";
      else
        std::cerr << where << ": error: unknown command '" << argv[first] << "'\n";
      std::cerr << "  hint: " << suggestion(argc > first && argv[first][0] != '-' ? argv[first] : "", names) << "\n";
      return exit_bad_input;
    }
    std::cerr << "tiesim: error: " << error.what() << "\n  hint: run 'tiesim --help' or 'tiesim COMMAND --help'\n";
    return exit_bad_input;
  }

#ifdef TIESIM_COMMAND_LINE_FUZZ
  // the command-line fuzz target (tests/fuzz/fuzz_command_line.cpp): every check of the arguments that needs
  // no file, and no command run
  try {
    if (*sweep_app && !sweep.shard.empty()) parse_shard(sweep.shard);
    if (*calibrate_app)
      for (const auto& text : calibrate.free) parse_free_parameter(text);
  } catch (const InputError&) {
    return exit_bad_input;
  }
  return exit_ok;
#endif

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // over a file size limit (ulimit -f) a write fails with EFBIG and is reported, instead of a silent kill
  std::signal(SIGXFSZ, SIG_IGN);
  // what a command prints is part of its result: a failed write (a full disk, /dev/full) fails the command
  auto flushed = [](int status) {
    if (std::cout.flush()) return status;
    std::cerr << "tiesim: error: cannot write to standard output\n";
    return status == exit_ok ? exit_failure : status;
  };
  // what a failed write leaves: a sweep keeps its partial runs.csv for --resume, any other command removes its files
  auto after_failure = [&]() -> std::string {
    if (*sweep_app) return "  runs.csv.partial keeps every run finished in order: continue with --resume once the cause is fixed\n";
    return "  no output file was completed; partial files were removed\n";
  };
  // launched as many processes by mpirun or srun, a build without MPI would run the whole command in each
  if (!built_with_mpi() && launched_process_count() > 1) {
    std::cerr << "tiesim: error: started as " << launched_process_count() << " processes by an MPI launcher, but this tiesim was built without MPI: "
              << "each would run the whole command into the same directory\n  hint: run it once without mpirun (it uses every core with "
              << "--threads), split a sweep with --shard K/N, or build with -DTIESIM_MPI=ON\n";
    return exit_bad_input;
  }
  const bool lead = process_rank() == 0;  // under mpirun, only rank 0 speaks
  if (process_count() > 1 && !*sweep_app && !(*calibrate_app && calibrate.method == "abc-smc")) {
    if (lead)
      std::cerr << "tiesim: error: only 'sweep' and 'calibrate --method abc-smc' run across MPI ranks\n  hint: run other commands without mpirun\n";
    return exit_bad_input;
  }
  try {
    if (*run_app) return flushed(run_command(run));
    if (*check_app) return flushed(check_command(check));
    if (*validate_app) return flushed(validate_command(validate));
    if (*explain_app) return flushed(explain_command(explain));
    if (*calibrate_app) return flushed(calibrate_command(calibrate));
    if (*sweep_app) return flushed(sweep_command(sweep));
    if (*sensitivity_app) return flushed(sensitivity_command(sensitivity));
    if (*merge_app) return flushed(merge_command(merge));
    if (*world_app) return flushed(generate_world_command(world));
  } catch (const InputError& error) {
    if (lead) {
      for (const auto& diagnostic : error.diagnostics()) std::cerr << diagnostic.format() << "\n";
      if (*sweep_app) release_ranks();  // a sweep's other ranks wait for work that will not come
    }
    return exit_bad_input;
  } catch (const Interrupted&) {
    if (*sweep_app)
      std::cerr << "tiesim: interrupted; runs.csv.partial holds every run finished in order: continue with --resume\n";
    else
      std::cerr << "tiesim: interrupted; no output file was completed, partial files were removed\n";
    return exit_interrupted;
  } catch (const OutputError& error) {
    std::cerr << "tiesim: error: " << error.what() << "\n" << after_failure();
    return exit_failure;
  } catch (const std::filesystem::filesystem_error& error) {
    // a file system refusal (read-only, full, removed underneath) is a failure of the run, never an internal error
    std::string text = error.what();
    if (text.rfind("filesystem error: ", 0) == 0) text.erase(0, 18);
    std::cerr << "tiesim: error: " << text << "\n" << after_failure();
    return exit_failure;
  } catch (const std::exception& error) {
    std::cerr << "tiesim: internal error: " << error.what() << "\n";
    return exit_failure;
  }
  return exit_failure;
}
