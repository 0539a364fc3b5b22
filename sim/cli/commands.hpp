#pragma once
/// The subcommands of the `tiesim` program, each a function of its parsed arguments returning the exit status.
#include <cstdint>
#include <optional>
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
  std::string record = "changes,events";  // ties, dyads and actors are panels (ties is rebuilt from changes)
  bool gzip = false;                             // write every file as *.csv.gz
  std::string record_actors;    // --actors ID,ID: only rows involving these actors (empty: all)
  std::string record_channels;  // --channels ID,ID: only ties.csv rows of these channels (empty: all)
  std::vector<std::string> overrides;
  std::string posterior;        // --posterior FILE: each replicate draws its parameters from it (empty: none)
  bool quiet = false;
};

struct GenerateWorldArguments {
  int actors = 0;       // required
  int channels = 6;
  int years = 20;
  std::uint64_t seed = 1;
  std::string output;   // empty: standard output
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
  std::string until;   // YYYY-MM-DD: targets ending after it form an out-of-sample block (empty: none)
  std::string posterior;  // --posterior FILE: each replicate draws its parameters from it (empty: none)
};

struct CalibrateArguments {
  std::string scenario;
  std::string output;  // empty: out/<scenario name>-calibration
  std::vector<std::string> free;  // PATH=LOW:HIGH[:log]
  std::vector<std::string> overrides;
  std::string method = "direct";  // direct (one best point) or abc-smc (a posterior)
  std::optional<int> budget;      // evaluations; direct's default 100, abc-smc's none
  std::optional<int> particles;   // abc-smc only (default 100)
  std::optional<int> generations; // abc-smc only
  std::optional<std::string> tolerance;  // abc-smc only, a decimal
  std::optional<std::string> distance;   // abc-smc only: shortfall (hit rates against shares, default) or record
  std::optional<int> replicates;         // default 50; 1 with --distance record
  std::uint64_t seed = 1;
  int threads = 0;
  std::string until;   // YYYY-MM-DD: fit only the targets ending on or before it (empty: all)
};

struct ExplainArguments {
  std::string scenario;
  std::string from, to, channel;  // the tie (--from, --to, --channel)
  std::string date;               // YYYY-MM-DD: the step whose choice is explained
  std::uint64_t seed = 1;
  int replicates = 100;
  int threads = 0;
  std::vector<std::string> overrides;
};

struct SweepArguments {
  std::string experiment;            // an experiment file, or empty for a quick sweep from flags
  std::string scenario;              // quick sweep: the scenario
  std::vector<std::string> vary;     // quick sweep: PATH=LOW:HIGH[:STEPS]
  int replicates = 1;                // quick sweep
  std::uint64_t seed = 1;            // quick sweep
  std::string output;                // empty: out/<experiment or scenario name>-sweep
  std::vector<std::string> overrides;
  int threads = 0;
  bool quiet = false;
  bool resume = false;
  bool gzip = false;
  std::string shard;                 // "K/N"
};

struct SensitivityArguments {
  std::string runs;
  std::string output;                // empty: sensitivity.csv beside runs.csv
  int bootstrap = 1000;
  std::uint64_t seed = 1;
};

struct MergeArguments {
  std::string output;
  std::vector<std::string> shards;
};

int run_command(const RunArguments& arguments);
int sweep_command(const SweepArguments& arguments);
int sensitivity_command(const SensitivityArguments& arguments);
int merge_command(const MergeArguments& arguments);
int calibrate_command(const CalibrateArguments& arguments);
/// Exit 0 when every target passes, 1 when any fails.
int validate_command(const ValidateArguments& arguments);
int check_command(const CheckArguments& arguments);
/// `tiesim explain`: the utility terms of one tie's choice in one step (experiment/explain.hpp); writes no file.
int explain_command(const ExplainArguments& arguments);
/// `tiesim generate world`: writes a synthetic scenario (scenario/generate.hpp).
int generate_world_command(const GenerateWorldArguments& arguments);

}  // namespace tiesim
