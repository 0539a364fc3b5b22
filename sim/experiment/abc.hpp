#pragma once
/// Approximate Bayesian Computation by sequential Monte Carlo (ABC-SMC), on any distance function.
///
/// The sampler knows nothing of scenarios: it draws parameter values, asks a distance callback how far the
/// data simulated with them lie from the observed data, and keeps the draws that come close enough. The
/// calibration (experiment/calibration.hpp) gives it the targets' shortfall as the distance; the tests give it
/// toy distances whose posterior is known in closed form.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tiesim {

/// A prior: uniform on [low, high], or log-uniform (uniform in the logarithm, low > 0) when `log`.
struct Prior {
  double low = 0, high = 1;
  bool log = false;
};

/// The distance between the data simulated with `values` (one per prior) and the observed data, the
/// simulation's randomness keyed by `seed`. Called concurrently from several threads: it must be safe so.
using AbcDistance = std::function<double(const std::vector<double>& values, std::uint64_t seed)>;

struct AbcOptions {
  int particles = 100;
  int generations = 0;              // at most this many, the prior sample being the first (0: no limit)
  std::optional<double> tolerance;  // the last generation is accepted within this distance
  long long budget = 0;             // distance evaluations in all (0: no limit); at least `particles`
  double quantile = 0.5;            // each tolerance is this quantile of the previous generation's distances
  std::uint64_t seed = 1;
  int threads = 0;                  // 0: every core; the result does not depend on it
  /// Called on the calling thread after each batch of evaluations: runs so far, generation, its tolerance.
  std::function<void(long long runs, int generation, double tolerance)> report;
};

struct AbcParticle {
  std::vector<double> values;  // one per prior, on the prior's own scale
  double weight = 0;           // the weights of a generation sum to 1
  double distance = 0;
};

struct AbcGeneration {
  double tolerance = 0;        // +infinity for the prior sample, which accepts every draw
  int accepted = 0;
  long long attempts = 0;      // distance evaluations this generation used (its runs)
  double effective_size = 0;   // Kish's effective sample size of its weights, 1 / Σ w²
  bool complete = true;        // false for a generation the budget cut short (its particles are not kept)
};

struct AbcResult {
  std::vector<AbcParticle> particles;       // the last complete generation
  std::vector<AbcGeneration> generations;   // every generation, an incomplete last one included
  long long runs = 0;                       // distance evaluations in all
  std::string stopped;                      // why the sampler stopped, in words
};

/// Toni et al. (2009) ABC-SMC. Generation 0 is `particles` draws from the prior, all accepted. Each later
/// generation t sets its tolerance to the weighted `quantile` of generation t − 1's distances (an adaptive
/// schedule, as in Del Moral et al. 2012; clamped to `tolerance` when it would fall below it; when the
/// quantile does not fall and a `tolerance` below the last is asked for, the largest distance of t − 1 below
/// the last tolerance, so that a distance of few values still steps down to it), then proposes
/// by drawing a particle of t − 1 by weight and moving it by a Gaussian kernel with twice the weighted
/// covariance of t − 1 (Beaumont et al. 2009), redrawn until it lies in the prior's support; it keeps the
/// proposals within the tolerance until it has `particles` of them. Weights are Beaumont et al.'s importance
/// weights, prior over the proposal's density, with each kernel normalised to its mass inside the support.
///
/// Log-uniform priors are handled on the log scale, where they are uniform: the kernel moves the logarithm.
///
/// Deterministic for a seed and independent of thread count: proposal k of generation t is drawn from a
/// stream keyed by (seed, t, k), its distance gets a seed keyed the same way, and proposals are evaluated in
/// parallel batches but accepted in the order of k. Under mpirun every process runs the sampler and
/// evaluates its share of each batch (k modulo the number of processes); the distances are shared, so every
/// process holds the same particles, the same as one process's. Stops after `generations` generations,
/// after the one at `tolerance`, when the budget would be exceeded (the unfinished generation is dropped),
/// or when the tolerance no longer falls.
AbcResult abc_smc(const std::vector<Prior>& priors, const AbcOptions& options, const AbcDistance& distance);

/// What a posterior says about each parameter, against its prior.
struct ParameterSummary {
  double mean = 0;               // weighted posterior mean, on the prior's own scale
  double low = 0, high = 0;      // the posterior's central 90% interval (weighted 5% and 95% quantiles)
  /// The posterior 90% interval's width over the prior's 90% interval's width, measured on the prior's
  /// scale (the logarithm for a log-uniform prior): about 1 when the data say nothing of the parameter.
  double width_ratio = 0;
  bool constrained = false;      // width_ratio ≤ unconstrained_ratio
};

/// The width ratio above which a parameter counts as not constrained by the data.
inline constexpr double unconstrained_ratio = 0.8;

struct Identifiability {
  std::vector<ParameterSummary> parameters;     // one per prior
  std::vector<std::vector<double>> correlation; // weighted posterior correlations, on the priors' scales
};

Identifiability identifiability(const std::vector<Prior>& priors, const std::vector<AbcParticle>& particles);

/// The weighted q-quantile of values: the smallest value whose cumulative weight (in increasing order of
/// value) reaches q of the total.
double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q);

}  // namespace tiesim
