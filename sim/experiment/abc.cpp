#include "experiment/abc.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <Eigen/Dense>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "experiment/distributed.hpp"

namespace tiesim {

namespace {

// what a stream is for, part of its key: proposals, the simulator's seeds, the kernels' mass in the support
constexpr std::uint64_t proposal_stream = 0xab5c'0001, simulation_stream = 0xab5c'0002, support_stream = 0xab5c'0003;
// draws per particle that estimate the share of its kernel inside the prior's support
constexpr int support_draws = 1000;
// perturbations redrawn before a kernel that never lands in the support is taken for a bug
constexpr int max_redraws = 1'000'000;

using Vector = Eigen::VectorXd;

/// The priors on the scale where each is uniform (the logarithm for a log-uniform one).
struct Box {
  Vector low, high;
  explicit Box(const std::vector<Prior>& priors) : low(priors.size()), high(priors.size()) {
    for (std::size_t k = 0; k < priors.size(); ++k) {
      low[static_cast<Eigen::Index>(k)] = priors[k].log ? std::log(priors[k].low) : priors[k].low;
      high[static_cast<Eigen::Index>(k)] = priors[k].log ? std::log(priors[k].high) : priors[k].high;
    }
  }
  bool contains(const Vector& x) const { return (x.array() >= low.array()).all() && (x.array() <= high.array()).all(); }
};

/// From the uniform scale back to the prior's own, kept inside [low, high] against exp's rounding.
std::vector<double> to_values(const std::vector<Prior>& priors, const Vector& x) {
  std::vector<double> values(priors.size());
  for (std::size_t k = 0; k < priors.size(); ++k) {
    const double v = x[static_cast<Eigen::Index>(k)];
    values[k] = priors[k].log ? std::clamp(std::exp(v), priors[k].low, priors[k].high) : v;
  }
  return values;
}

Vector standard_normals(KeyedEngine& engine, Eigen::Index n) {
  boost::random::normal_distribution<double> normal;
  Vector z(n);
  for (Eigen::Index k = 0; k < n; ++k) z[k] = normal(engine);
  return z;
}

/// A generation's particles on the uniform scale, with their normalised weights.
struct Population {
  std::vector<Vector> points;
  std::vector<double> weights;
  std::vector<double> distances;
};

/// The perturbation kernel of Beaumont et al. (2009): a Gaussian with twice the population's weighted
/// covariance, as its Cholesky factor, and the share of each particle's kernel inside the support.
struct Kernel {
  Eigen::MatrixXd chol;           // lower triangular L, covariance L Lᵀ
  std::vector<double> log_mass;   // log of the share of N(x_j, LLᵀ) inside the box, per particle j
};

Kernel make_kernel(const Population& population, const Box& box, std::uint64_t seed, int generation, int threads) {
  const auto d = box.low.size();
  Vector mean = Vector::Zero(d);
  for (std::size_t j = 0; j < population.points.size(); ++j) mean += population.weights[j] * population.points[j];
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(d, d);
  for (std::size_t j = 0; j < population.points.size(); ++j) {
    const Vector centred = population.points[j] - mean;
    covariance += population.weights[j] * centred * centred.transpose();
  }
  covariance *= 2.0;
  // a population collapsed onto one value of a parameter would give a kernel that never moves it: keep a
  // trace of the prior's width on the diagonal
  for (Eigen::Index k = 0; k < d; ++k) covariance(k, k) += 1e-12 * (box.high[k] - box.low[k]) * (box.high[k] - box.low[k]);
  Kernel kernel;
  Eigen::LLT<Eigen::MatrixXd> llt(covariance);
  if (llt.info() == Eigen::Success) {
    kernel.chol = llt.matrixL();
  } else {
    // not positive definite by rounding: the diagonal alone
    kernel.chol = covariance.diagonal().cwiseSqrt().asDiagonal();
  }
  // the kernel truncated to the support is the kernel over its mass inside; that mass is estimated by draws
  kernel.log_mass.resize(population.points.size());
  for_each_task(static_cast<int>(population.points.size()), threads, [&](int j) {
    KeyedEngine engine(combine_key({seed, support_stream, static_cast<std::uint64_t>(generation), static_cast<std::uint64_t>(j)}));
    int inside = 0;
    for (int m = 0; m < support_draws; ++m)
      inside += box.contains(population.points[static_cast<std::size_t>(j)] + kernel.chol * standard_normals(engine, d)) ? 1 : 0;
    kernel.log_mass[static_cast<std::size_t>(j)] = std::log(std::max(inside, 1) / static_cast<double>(support_draws));
  });
  return kernel;
}

std::vector<double> normalised(const std::vector<double>& log_weights) {
  const double top = *std::max_element(log_weights.begin(), log_weights.end());
  std::vector<double> weights(log_weights.size());
  double total = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) total += weights[i] = std::exp(log_weights[i] - top);
  for (double& weight : weights) weight /= total;
  return weights;
}

double effective_size(const std::vector<double>& weights) {
  double squares = 0;
  for (double weight : weights) squares += weight * weight;
  return squares > 0 ? 1.0 / squares : 0.0;
}

}  // namespace

double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  // ties broken by index, so that the answer never depends on the sort's algorithm
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b] || (values[a] == values[b] && a < b); });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0;
  for (std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total) return values[i];
  }
  return values[order.back()];
}

AbcResult abc_smc(const std::vector<Prior>& priors, const AbcOptions& options, const AbcDistance& distance) {
  if (priors.empty()) throw std::invalid_argument("abc_smc: no parameter");
  if (options.particles < 2) throw std::invalid_argument("abc_smc: fewer than 2 particles");
  if (options.budget > 0 && options.budget < options.particles) throw std::invalid_argument("abc_smc: a budget below one prior sample");
  for (const auto& prior : priors)
    if (!(prior.low < prior.high) || (prior.log && prior.low <= 0)) throw std::invalid_argument("abc_smc: an empty prior");
  const Box box(priors);
  const auto d = box.low.size();
  const int threads = thread_count(options.threads, std::numeric_limits<int>::max());
  const int ranks = process_count(), rank = process_rank();  // under mpirun, the processes share each batch
  const auto n = static_cast<std::size_t>(options.particles);

  AbcResult result;
  Population previous;
  Kernel kernel;
  double previous_acceptance = 1.0;
  for (int generation = 0;; ++generation) {
    // the tolerance of this generation, or a reason to stop before it
    double tolerance = std::numeric_limits<double>::infinity();
    bool last = false;
    if (generation > 0) {
      tolerance = weighted_quantile(previous.distances, previous.weights, options.quantile);
      const double last_tolerance = result.generations.back().tolerance;
      if (options.tolerance && tolerance >= last_tolerance && last_tolerance > *options.tolerance) {
        // a distance of few values (the share of targets a history misses) stalls the quantile on one value;
        // on the way to a requested tolerance, the next value down the population holds is the next step
        double below = -std::numeric_limits<double>::infinity();
        for (double value : previous.distances)
          if (value < last_tolerance) below = std::max(below, value);
        if (below > -std::numeric_limits<double>::infinity()) tolerance = below;
      }
      if (options.tolerance && tolerance <= *options.tolerance) {
        tolerance = *options.tolerance;
        last = true;
      }
      if (tolerance >= result.generations.back().tolerance) {
        result.stopped = "the tolerance no longer falls (the " + std::to_string(static_cast<int>(100 * options.quantile)) +
                         "% quantile of the distances equals the last tolerance)";
        break;
      }
      kernel = make_kernel(previous, box, options.seed, generation, options.threads);
    }
    if (options.generations > 0 && generation + 1 == options.generations) last = true;

    // proposal k of this generation, from its own stream
    std::vector<double> cumulative(previous.weights.size());
    std::partial_sum(previous.weights.begin(), previous.weights.end(), cumulative.begin());
    auto propose = [&](long long k) {
      KeyedEngine engine(combine_key({options.seed, proposal_stream, static_cast<std::uint64_t>(generation), static_cast<std::uint64_t>(k)}));
      boost::random::uniform_01<double> uniform;
      if (generation == 0) {
        Vector x(d);
        for (Eigen::Index i = 0; i < d; ++i) x[i] = box.low[i] + uniform(engine) * (box.high[i] - box.low[i]);
        return x;
      }
      const double u = uniform(engine) * cumulative.back();
      const auto ancestor = std::min<std::size_t>(
          static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin()), n - 1);
      // the kernel truncated to the support, by rejection: the ancestor stays, the step is drawn again
      for (int tries = 0; tries < max_redraws; ++tries) {
        Vector x = previous.points[ancestor] + kernel.chol * standard_normals(engine, d);
        if (box.contains(x)) return x;
      }
      throw std::runtime_error("abc_smc: a perturbation kernel never lands inside the prior's support");
    };

    Population current;
    AbcGeneration record;
    record.tolerance = tolerance;
    long long next = 0;  // the next proposal index to evaluate
    bool out_of_budget = false;
    while (current.points.size() < n) {
      const long long left = options.budget > 0 ? options.budget - result.runs - next : std::numeric_limits<long long>::max();
      if (left <= 0) {
        out_of_budget = true;
        break;
      }
      // a batch sized to finish the generation at the last generation's acceptance rate, at least one
      // proposal per thread of every rank; its size changes only how much is evaluated, never which proposals
      // are accepted
      const double needed = static_cast<double>(n - current.points.size()) / std::max(previous_acceptance, 0.01);
      const long long batch =
          std::min<long long>(left, std::max<long long>(static_cast<long long>(threads) * ranks, static_cast<long long>(std::ceil(needed * 1.1))));
      std::vector<Vector> proposals(static_cast<std::size_t>(batch));
      for (long long k = 0; k < batch; ++k) proposals[static_cast<std::size_t>(k)] = propose(next + k);
      // every rank draws every proposal and evaluates those it owns; the distances, and a 1 for each proposal
      // whose evaluation failed, are then shared, so every rank accepts the same particles
      std::vector<double> shared(2 * static_cast<std::size_t>(batch), 0.0);
      std::vector<std::exception_ptr> failures(static_cast<std::size_t>(batch));
      auto evaluate = [&](std::size_t k) {  // proposal k of the batch, its simulation keyed by (seed, generation, index)
        const auto index = static_cast<std::uint64_t>(next) + k;
        return distance(to_values(priors, proposals[k]),
                        combine_key({options.seed, simulation_stream, static_cast<std::uint64_t>(generation), index}) >> 11);
      };
      const int owned = static_cast<int>((batch - rank + ranks - 1) / ranks);
      for_each_task(owned, options.threads, [&](int task) {
        const auto k = static_cast<std::size_t>(rank) + static_cast<std::size_t>(task) * static_cast<std::size_t>(ranks);
        try {
          shared[k] = evaluate(k);
        } catch (...) {
          failures[k] = std::current_exception();
          shared[static_cast<std::size_t>(batch) + k] = 1;
        }
      });
      share_owned_entries(shared);
      const std::vector<double> distances(shared.begin(), shared.begin() + batch);
      // the first failure by index is every rank's: its owner rethrows it, the others meet it again, since a
      // distance fails the same way for the same values and seed
      for (long long k = 0; k < batch; ++k) {
        if (shared[static_cast<std::size_t>(batch + k)] == 0) continue;
        if (failures[static_cast<std::size_t>(k)]) std::rethrow_exception(failures[static_cast<std::size_t>(k)]);
        (void)evaluate(static_cast<std::size_t>(k));
        throw std::runtime_error("abc_smc: a proposal's distance failed on another process but not on this one");
      }
      // accepted in the order of the index: what a batch evaluated past the last particle needed is dropped
      long long used = batch;
      for (long long k = 0; k < batch; ++k) {
        const double value = distances[static_cast<std::size_t>(k)];
        if (std::isnan(value)) throw std::runtime_error("abc_smc: the distance is not a number");
        if (value <= tolerance) {
          current.points.push_back(proposals[static_cast<std::size_t>(k)]);
          current.distances.push_back(value);
          if (current.points.size() == n) {
            used = k + 1;
            break;
          }
        }
      }
      next += used;
      if (options.report) options.report(result.runs + next, generation, tolerance);
    }
    result.runs += next;
    record.attempts = next;
    record.accepted = static_cast<int>(current.points.size());
    if (out_of_budget) {
      record.complete = false;
      result.generations.push_back(record);
      result.stopped = "the budget of " + std::to_string(options.budget) + " runs is spent";
      break;
    }

    // the importance weights: prior (constant on the support) over the proposal's density
    if (generation == 0) {
      current.weights.assign(n, 1.0 / static_cast<double>(n));
    } else {
      std::vector<double> log_weights(n);
      const Eigen::MatrixXd& chol = kernel.chol;
      for_each_task(static_cast<int>(n), options.threads, [&](int i) {
        std::vector<double> terms(n);
        for (std::size_t j = 0; j < n; ++j) {
          const Vector z = chol.triangularView<Eigen::Lower>().solve(current.points[static_cast<std::size_t>(i)] - previous.points[j]);
          terms[j] = std::log(previous.weights[j]) - 0.5 * z.squaredNorm() - kernel.log_mass[j];
        }
        const double top = *std::max_element(terms.begin(), terms.end());
        double sum = 0;
        for (double term : terms) sum += std::exp(term - top);
        log_weights[static_cast<std::size_t>(i)] = -(top + std::log(sum));
      });
      current.weights = normalised(log_weights);
    }
    record.effective_size = effective_size(current.weights);
    result.generations.push_back(record);
    previous_acceptance = static_cast<double>(n) / static_cast<double>(next);
    previous = std::move(current);
    if (last) {
      result.stopped = options.tolerance && tolerance <= *options.tolerance
                           ? "the tolerance reached the one asked for"
                           : "the last of " + std::to_string(options.generations) + " generations is done";
      break;
    }
  }

  for (std::size_t i = 0; i < previous.points.size(); ++i)
    result.particles.push_back({to_values(priors, previous.points[i]), previous.weights[i], previous.distances[i]});
  return result;
}

Identifiability identifiability(const std::vector<Prior>& priors, const std::vector<AbcParticle>& particles) {
  Identifiability report;
  const std::size_t d = priors.size();
  std::vector<double> weights;
  for (const auto& particle : particles) weights.push_back(particle.weight);
  // every measure on the scale where the prior is uniform
  std::vector<std::vector<double>> scaled(d);
  for (std::size_t k = 0; k < d; ++k)
    for (const auto& particle : particles) scaled[k].push_back(priors[k].log ? std::log(particle.values[k]) : particle.values[k]);
  std::vector<double> means(d, 0.0);
  for (std::size_t k = 0; k < d; ++k) {
    ParameterSummary summary;
    for (std::size_t i = 0; i < particles.size(); ++i) {
      summary.mean += weights[i] * particles[i].values[k];
      means[k] += weights[i] * scaled[k][i];
    }
    std::vector<double> values;
    for (const auto& particle : particles) values.push_back(particle.values[k]);
    summary.low = weighted_quantile(values, weights, 0.05);
    summary.high = weighted_quantile(values, weights, 0.95);
    auto scale = [&](double v) { return priors[k].log ? std::log(v) : v; };
    summary.width_ratio = (scale(summary.high) - scale(summary.low)) / (0.9 * (scale(priors[k].high) - scale(priors[k].low)));
    summary.constrained = summary.width_ratio <= unconstrained_ratio;
    report.parameters.push_back(summary);
  }
  report.correlation.assign(d, std::vector<double>(d, 0.0));
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = a; b < d; ++b) {
      double ab = 0, aa = 0, bb = 0;
      for (std::size_t i = 0; i < particles.size(); ++i) {
        const double x = scaled[a][i] - means[a], y = scaled[b][i] - means[b];
        ab += weights[i] * x * y;
        aa += weights[i] * x * x;
        bb += weights[i] * y * y;
      }
      // computed once per pair, so that the matrix is symmetric to the bit
      report.correlation[a][b] = report.correlation[b][a] = aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : (a == b ? 1.0 : 0.0);
    }
  return report;
}

}  // namespace tiesim
