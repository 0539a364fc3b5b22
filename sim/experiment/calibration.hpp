#pragma once
/// `tiesim calibrate`: fit free parameters of a scenario to its targets.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/abc.hpp"
#include "experiment/validation.hpp"

namespace tiesim {

/// A parameter to fit, by its --set path, within [low, high]; with `log`, searched (DIRECT) or given a prior
/// (ABC-SMC) on the scale of its logarithm.
struct FreeParameter {
  std::string path;
  double low = 0, high = 1;
  bool log = false;

  Prior prior() const { return {low, high, log}; }
  /// The value a fraction `unit` ∈ [0, 1] of the way from low to high, on the parameter's scale.
  double at(double unit) const;
};

/// Parses "PATH=LOW:HIGH" or "PATH=LOW:HIGH:log". Throws InputError when malformed, when LOW > HIGH, or
/// when a log scale has LOW ≤ 0.
FreeParameter parse_free_parameter(const std::string& text);

struct CalibrationOptions {
  std::vector<FreeParameter> free;
  std::vector<std::string> overrides;  // fixed --set values applied before the free ones
  int budget = 100;                    // evaluations of the loss
  int replicates = 50;                 // per evaluation, with the same seeds every time
  std::uint64_t seed = 1;
  int threads = 0;
  std::optional<Holdout> holdout;      // --until: only the targets in sample enter the loss
  bool progress = false;               // a progress line on a terminal: evaluation k of n, best loss so far
  /// abc-smc's distance: the loss over the replicates, or the weighted share of targets one history misses
  enum class Distance { shortfall, record } distance = Distance::shortfall;
};

struct Evaluation {
  std::vector<double> values;  // one per free parameter
  double loss = 0;                     // over the targets in sample (all of them without a hold-out)
  double out_of_sample_loss = 0;       // the same loss over the held-out targets (0 without a hold-out)
  std::vector<TargetOutcome> outcomes; // every target, in sample or not
};

struct CalibrationResult {
  std::vector<Target> targets;
  std::vector<Evaluation> history;  // in the order evaluated
  std::size_t best = 0;             // index into history
  std::string method;
};

/// The loss of hit rates against targets: the weighted mean shortfall below each target's share, plus a
/// hundredth of the weighted mean miss rate, which breaks ties between points that all meet every share.
/// With `counted` (one entry per target), only the targets marked 1 count; a loss over no target is 0.
double calibration_loss(const std::vector<Target>& targets, const std::vector<TargetOutcome>& outcomes,
                        const std::vector<char>& counted = {});

/// The weighted share of targets missed (over the replicates, as a mean): with one replicate, how far one
/// simulated history lies from the record, 0 when it reproduces every target. `counted` as above.
double record_distance(const std::vector<Target>& targets, const std::vector<TargetOutcome>& outcomes,
                       const std::vector<char>& counted = {});

/// The --set overrides that put `values` into the free parameters (shortest exact decimal text).
std::vector<std::string> free_overrides(const std::vector<FreeParameter>& free, const std::vector<double>& values);

/// Minimises the loss over the box of the free parameters with NLopt's DIRECT-L (Gablonsky & Kelley
/// 2001): deterministic, derivative-free and global, which suits a loss that is a step function of the
/// parameters (hit rates change in steps of 1/replicates). Every evaluation uses the same replicate seeds
/// (common random numbers), so the loss is a deterministic function of the parameters.
CalibrationResult calibrate(const std::filesystem::path& scenario, const CalibrationOptions& options);

struct AbcCalibration {
  std::vector<Target> targets;
  AbcResult result;
};

/// A posterior over the free parameters by ABC-SMC (experiment/abc.hpp), each free parameter's range its
/// prior. The distance is calibration_loss over `options.replicates` replicates, or with Distance::record
/// record_distance (in-sample targets only with a hold-out); unlike calibrate(), each proposal's replicates get seeds of their own, since the spread
/// of the simulator's outcomes belongs to the likelihood ABC approximates. The seed, threads and progress
/// come from `options`; particles, generations, tolerance and budget (in evaluations) from `abc`.
AbcCalibration calibrate_abc(const std::filesystem::path& scenario, const CalibrationOptions& options, AbcOptions abc);

}  // namespace tiesim
