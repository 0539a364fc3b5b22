/// The `tiesim` program: parses the command line and dispatches to a subcommand.
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>
#include <Eigen/Core>

#include "cli/commands.hpp"
#include "experiment/simulate.hpp"
#include "output/csv.hpp"
#include "scenario/diagnostics.hpp"
#include "version.hpp"

namespace {

extern "C" void on_signal(int) { tiesim::request_stop(); }

void add_overrides(CLI::App* command, std::vector<std::string>& overrides) {
  command->add_option("--set", overrides, "Override a scenario value: PATH=VALUE, e.g. actors.MYS.compliance=0.8 (repeatable)")
      ->allow_extra_args(false);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tiesim;
  // fixed cache sizes make Eigen's blocking, and so its summation order, the same on every machine
  Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024);

  CLI::App app{"tiesim: agent-based simulation of diplomatic balancing under sanctions pressure"};
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.footer("Example:\n  tiesim run scenarios/minimal.toml -o out/minimal --seed 7\n  tiesim check scenarios/malaysia_dprk.toml\n"
             "  tiesim validate scenarios/malaysia_dprk.toml --replicates 200\n"
             "Run 'tiesim COMMAND --help' for a command's options.");

  RunArguments run;
  auto* run_app = app.add_subcommand("run", "Run a scenario's replicates and write ties, dyads, actors and events as CSV");
  run_app->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_app->add_option("-o,--output", run.output, "Output directory (default: out/<scenario name>)");
  run_app->add_option("--seed", run.seed, "Master seed; the same seed gives the same files bit for bit (default 1)");
  run_app->add_option("--replicates", run.replicates, "Number of replicates (default 1)")->check(CLI::Range(1, 1000000));
  run_app->add_option("--threads", run.threads, "Threads (default: every core; results do not depend on it)")->check(CLI::Range(0, 4096));
  run_app->add_option("--every", run.every, "Record every K-th step, and the last (default 1)")->check(CLI::Range(1, 1000000));
  run_app->add_option("--record", run.record, "Files to write, comma-separated (default ties,dyads,actors,events)");
  add_overrides(run_app, run.overrides);
  run_app->add_flag("-q,--quiet", run.quiet, "Print nothing on success");
  run_app->footer("Example:\n  tiesim run scenarios/malaysia_dprk.toml -o out/mys --seed 7 --replicates 20 --set actors.MYS.compliance=0.8");

  ValidateArguments validate;
  auto* validate_app = app.add_subcommand("validate", "Run replicates and report how often each of the scenario's targets is met");
  validate_app->add_option("scenario", validate.scenario, "Scenario file (TOML) with [targets.ID] tables")->required();
  validate_app->add_option("-o,--output", validate.output, "Directory for validation.csv and validation.json (default: out/<scenario name>)");
  validate_app->add_option("--seed", validate.seed, "Master seed (default 1)");
  validate_app->add_option("--replicates", validate.replicates, "Number of replicates (default 200)")->check(CLI::Range(1, 1000000));
  validate_app->add_option("--threads", validate.threads, "Threads (default: every core; results do not depend on it)")->check(CLI::Range(0, 4096));
  add_overrides(validate_app, validate.overrides);
  validate_app->footer("Exit status 0 when every target passes, 1 when any fails, 2 for bad input.\n"
                       "Example:\n  tiesim validate scenarios/malaysia_dprk.toml --replicates 200 --seed 1");

  CalibrateArguments calibrate;
  auto* calibrate_app = app.add_subcommand("calibrate", "Fit free parameters to the scenario's targets and write them as an overlay");
  calibrate_app->add_option("scenario", calibrate.scenario, "Scenario file (TOML) with [targets.ID] tables")->required();
  calibrate_app->add_option("--free", calibrate.free, "A parameter to fit: PATH=LOW:HIGH (repeatable)")->allow_extra_args(false)->required();
  calibrate_app->add_option("-o,--output", calibrate.output, "Output directory (default: out/<scenario name>-calibration)");
  calibrate_app->add_option("--budget", calibrate.budget, "Evaluations of the loss (default 100)")->check(CLI::Range(1, 1000000));
  calibrate_app->add_option("--replicates", calibrate.replicates, "Replicates per evaluation (default 50)")->check(CLI::Range(1, 1000000));
  calibrate_app->add_option("--seed", calibrate.seed, "Master seed, the same for every evaluation (default 1)");
  calibrate_app->add_option("--threads", calibrate.threads, "Threads (default: every core)")->check(CLI::Range(0, 4096));
  add_overrides(calibrate_app, calibrate.overrides);
  calibrate_app->footer("Example:\n  tiesim calibrate scenarios/malaysia_dprk.toml --free actors.MYS.compliance=0.2:2 --budget 60 -o out/fit");

  CheckArguments check;
  auto* check_app = app.add_subcommand("check", "Check a scenario file without running it and summarise it");
  check_app->add_option("scenario", check.scenario, "Scenario file (TOML)")->required();
  add_overrides(check_app, check.overrides);
  check_app->footer("Example:\n  tiesim check scenarios/minimal.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    std::cerr << "tiesim: error: " << error.what() << "\n  hint: run 'tiesim --help' or 'tiesim COMMAND --help'\n";
    return exit_bad_input;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    if (*run_app) return run_command(run);
    if (*check_app) return check_command(check);
    if (*validate_app) return validate_command(validate);
    if (*calibrate_app) return calibrate_command(calibrate);
  } catch (const InputError& error) {
    for (const auto& diagnostic : error.diagnostics()) std::cerr << diagnostic.format() << "\n";
    return exit_bad_input;
  } catch (const Interrupted&) {
    std::cerr << "tiesim: interrupted; no output file was completed, partial files were removed\n";
    return exit_interrupted;
  } catch (const OutputError& error) {
    std::cerr << "tiesim: error: " << error.what() << "\n  no output file was completed; partial files were removed\n";
    return exit_failure;
  } catch (const std::exception& error) {
    std::cerr << "tiesim: internal error: " << error.what() << "\n";
    return exit_failure;
  }
  return exit_failure;
}
