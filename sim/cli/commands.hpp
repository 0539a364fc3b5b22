#pragma once
/// The subcommands of the `tiesim` program, each a function of its parsed arguments returning the exit status.
#include <cstdint>
#include <string>
#include <vector>

namespace tiesim {

/// Exit statuses: 0 success, 1 a failure while running (e.g. disk full), 2 bad input, 130 interrupted.
inline constexpr int exit_ok = 0, exit_failure = 1, exit_bad_input = 2, exit_interrupted = 130;

struct RunArguments {
  std::string scenario;
  std::string output;                // empty: out/<scenario name>
  std::uint64_t seed = 1;
  int replicates = 1;
  int threads = 0;
  int every = 1;
  std::string record = "ties,dyads,actors,events";
  std::vector<std::string> overrides;
  bool quiet = false;
};

struct CheckArguments {
  std::string scenario;
  std::vector<std::string> overrides;
};

struct ValidateArguments {
  std::string scenario;
  std::string output;  // empty: out/<scenario name>
  std::uint64_t seed = 1;
  int replicates = 200;
  int threads = 0;
  std::vector<std::string> overrides;
};

struct CalibrateArguments {
  std::string scenario;
  std::string output;  // empty: out/<scenario name>-calibration
  std::vector<std::string> free;  // PATH=LOW:HIGH
  std::vector<std::string> overrides;
  int budget = 100;
  int replicates = 50;
  std::uint64_t seed = 1;
  int threads = 0;
};

int run_command(const RunArguments& arguments);
int calibrate_command(const CalibrateArguments& arguments);
/// Exit 0 when every target passes, 1 when any fails.
int validate_command(const ValidateArguments& arguments);
int check_command(const CheckArguments& arguments);

}  // namespace tiesim
