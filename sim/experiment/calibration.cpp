#include "experiment/calibration.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>
#include <utility>

#include <nlopt.hpp>

#include "core/text.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

namespace {

Diagnostic free_problem(const std::string& text, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.file = "--free " + text;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}


}  // namespace

FreeParameter parse_free_parameter(const std::string& text) {
  const auto equals = text.find('=');
  const auto colon = text.find(':', equals == std::string::npos ? 0 : equals);
  if (equals == std::string::npos || equals == 0 || colon == std::string::npos)
    throw InputError(free_problem(text, "expected PATH=LOW:HIGH or PATH=LOW:HIGH:log", "e.g. --free actors.A.compliance=0:2"));
  FreeParameter free;
  free.path = text.substr(0, equals);
  const auto scale = text.find(':', colon + 1);
  auto low = parse_decimal(text.substr(equals + 1, colon - equals - 1));
  auto high = parse_decimal(text.substr(colon + 1, scale == std::string::npos ? std::string::npos : scale - colon - 1));
  if (!low || !high) throw InputError(free_problem(text, "LOW and HIGH must be finite decimal numbers", "e.g. 0.5:2"));
  if (*low > *high) throw InputError(free_problem(text, "LOW (" + format_number(*low) + ") is above HIGH (" + format_number(*high) + ")"));
  if (scale != std::string::npos) {
    const std::string word = text.substr(scale + 1);
    if (word != "log") throw InputError(free_problem(text, "unknown scale '" + word + "' after LOW:HIGH", "write :log for a log scale, or nothing"));
    if (*low <= 0) throw InputError(free_problem(text, "a log scale needs LOW above 0, got " + format_number(*low), "e.g. 0.01:10:log"));
    free.log = true;
  }
  free.low = *low;
  free.high = *high;
  return free;
}

double FreeParameter::at(double unit) const {
  if (!log) return low + unit * (high - low);
  // kept inside the range against exp's rounding
  return std::clamp(std::exp(std::log(low) + unit * (std::log(high) - std::log(low))), low, high);
}

double calibration_loss(const std::vector<Target>& targets, const std::vector<TargetOutcome>& outcomes,
                        const std::vector<char>& counted) {
  double shortfall = 0, misses = 0, weights = 0;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    if (!counted.empty() && !counted[t]) continue;
    const double rate = outcomes[t].hit_rate();
    shortfall += targets[t].weight * std::max(0.0, targets[t].share - rate);
    misses += targets[t].weight * (1.0 - rate);
    weights += targets[t].weight;
  }
  return weights > 0 ? (shortfall + 0.01 * misses) / weights : 0.0;
}

double record_distance(const std::vector<Target>& targets, const std::vector<TargetOutcome>& outcomes,
                       const std::vector<char>& counted) {
  double misses = 0, weights = 0;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    if (!counted.empty() && !counted[t]) continue;
    misses += targets[t].weight * (1.0 - outcomes[t].hit_rate());
    weights += targets[t].weight;
  }
  return weights > 0 ? misses / weights : 0.0;
}

std::vector<std::string> free_overrides(const std::vector<FreeParameter>& free, const std::vector<double>& values) {
  std::vector<std::string> overrides;
  for (std::size_t k = 0; k < free.size(); ++k) overrides.push_back(free[k].path + "=" + format_number(values[k]));
  return overrides;
}

namespace {

/// The scenario with the free parameters at `values`; an error is shown as the --free the user typed, not as
/// the --set it became.
Scenario load_at(const std::filesystem::path& scenario, const CalibrationOptions& options, const std::vector<double>& values) {
  auto overrides = options.overrides;
  for (auto& setting : free_overrides(options.free, values)) overrides.push_back(std::move(setting));
  try {
    return load_scenario(scenario, overrides);
  } catch (const InputError& error) {
    auto diagnostics = error.diagnostics();
    for (auto& diagnostic : diagnostics)
      for (std::size_t k = 0; k < options.free.size(); ++k)
        if (diagnostic.file == override_origin(options.free[k].path)) {
          diagnostic.file = "--free " + options.free[k].path;
          if (diagnostic.hint.empty()) diagnostic.hint = "tried " + options.free[k].path + " = " + format_number(values[k]);
        }
    throw InputError(diagnostics);
  }
}

/// Checks every free path before anything runs, at both ends of its range with the others at their
/// midpoints, so that bad input fails fast and not in the middle of the search; returns the targets.
std::vector<Target> check_calibration(const std::filesystem::path& scenario, const CalibrationOptions& options) {
  const std::size_t n = options.free.size();
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < k; ++j)
      if (options.free[j].path == options.free[k].path)
        throw InputError(free_problem(options.free[k].path, "'" + options.free[k].path + "' is given twice", "give each free parameter once"));
  std::vector<double> middle;
  for (const auto& free : options.free) middle.push_back(free.at(0.5));
  auto check = [&](const std::vector<double>& values) { return load_at(scenario, options, values); };
  for (std::size_t k = 0; k < n; ++k)
    for (double end : {options.free[k].low, options.free[k].high}) {
      auto values = middle;
      values[k] = end;
      check(values);
    }
  const Scenario loaded = check(middle);
  if (loaded.targets.empty()) {
    Diagnostic diagnostic;
    diagnostic.file = scenario.string();
    diagnostic.message = "the scenario has no [targets.ID] tables to calibrate against";
    throw InputError(diagnostic);
  }
  if (options.holdout) {
    const auto in_sample = options.holdout->in_sample(loaded.targets);
    if (std::find(in_sample.begin(), in_sample.end(), 1) == in_sample.end()) {
      // name the target that ends first, so the user knows how late the date must be
      const auto earliest = std::min_element(loaded.targets.begin(), loaded.targets.end(), [](const Target& a, const Target& b) {
        return target_end_step(a) < target_end_step(b);
      });
      Diagnostic diagnostic;
      diagnostic.file = "--until";
      diagnostic.message = "no target ends on or before " + options.holdout->until.iso() + ", so there is nothing to fit";
      const auto& calendar = loaded.model.calendar;
      const Date step_end{calendar.date_of(target_end_step(*earliest) + 1).days - std::chrono::days{1}};
      diagnostic.hint = "the earliest target, '" + earliest->id + "', ends on " + std::min(step_end, calendar.end).iso() +
                        ": give that date or a later one";
      throw InputError(diagnostic);
    }
  }
  return loaded.targets;
}

/// The loss of one evaluation's outcomes: over the in-sample targets, and over the held-out ones.
std::pair<double, double> losses(const std::vector<Target>& targets, const std::vector<TargetOutcome>& outcomes,
                                 const std::optional<Holdout>& holdout) {
  if (!holdout) return {calibration_loss(targets, outcomes), 0.0};
  // the held-out targets are judged on the same replicates but never steer the search
  const auto in_sample = holdout->in_sample(targets);
  std::vector<char> out_of_sample(in_sample.size());
  for (std::size_t t = 0; t < in_sample.size(); ++t) out_of_sample[t] = in_sample[t] ? 0 : 1;
  return {calibration_loss(targets, outcomes, in_sample), calibration_loss(targets, outcomes, out_of_sample)};
}

}  // namespace

CalibrationResult calibrate(const std::filesystem::path& scenario, const CalibrationOptions& options) {
  CalibrationResult result;
  result.method = "NLopt GN_DIRECT_L";
  const std::size_t n = options.free.size();
  const auto evaluations = static_cast<std::size_t>(n == 0 ? 1 : options.budget);
  ProgressLine progress("evaluations", evaluations, 0, options.progress);
  double best_loss_so_far = 0;

  auto evaluate = [&](const std::vector<double>& values) {
    const Scenario loaded = load_at(scenario, options, values);
    Evaluation evaluation;
    evaluation.values = values;
    evaluation.outcomes = validate(loaded.model, loaded.targets, options.seed, options.replicates, options.threads).outcomes;
    std::tie(evaluation.loss, evaluation.out_of_sample_loss) = losses(loaded.targets, evaluation.outcomes, options.holdout);
    result.history.push_back(evaluation);
    if (result.history.size() == 1 || evaluation.loss < best_loss_so_far) best_loss_so_far = evaluation.loss;
    char best[48];
    std::snprintf(best, sizeof best, "best loss %.4g", best_loss_so_far);
    progress.update(std::min(result.history.size(), evaluations), best);
    return evaluation.loss;
  };

  result.targets = check_calibration(scenario, options);

  if (n == 0) {
    evaluate({});
  } else {
    // the search runs on the unit cube; parameters are mapped onto their ranges
    nlopt::opt optimizer(nlopt::GN_DIRECT_L, static_cast<unsigned>(n));
    optimizer.set_lower_bounds(std::vector<double>(n, 0.0));
    optimizer.set_upper_bounds(std::vector<double>(n, 1.0));
    optimizer.set_maxeval(options.budget);
    // values each valid at the ends of its range may still be refused together (a [rules.W] weight, base ×
    // exp(Σ coef × x), above 10^6 only when two coefficients are both high): the search stops with that error,
    // shown as check() shows it. NLopt turns any other exception from the objective into "nlopt failure".
    std::optional<InputError> refused;
    auto objective = [&](const std::vector<double>& unit) {
      std::vector<double> values(n);
      for (std::size_t k = 0; k < n; ++k)
        values[k] = options.free[k].at(unit[k]);
      try {
        return evaluate(values);
      } catch (const InputError& error) {
        // the values together are at fault, not one of them: name them all
        std::string tried;
        for (std::size_t k = 0; k < n; ++k) tried += (k ? ", " : "") + options.free[k].path + " = " + format_number(values[k]);
        auto diagnostics = error.diagnostics();
        for (auto& diagnostic : diagnostics) diagnostic.hint += (diagnostic.hint.empty() ? "" : "; ") + std::string("the search tried ") + tried;
        refused = InputError(diagnostics);
        throw nlopt::forced_stop();
      }
    };
    using Objective = decltype(objective);
    optimizer.set_min_objective(
        [](const std::vector<double>& unit, std::vector<double>&, void* data) { return (*static_cast<Objective*>(data))(unit); },
        &objective);
    std::vector<double> start(n, 0.5);
    double best_loss = 0;
    try {
      optimizer.optimize(start, best_loss);
    } catch (const nlopt::roundoff_limited&) {
      // the search stopped for precision; what it evaluated stands
    } catch (const nlopt::forced_stop&) {
    }
    if (refused) throw *refused;
  }
  // the first evaluation with the lowest loss: deterministic when several tie
  for (std::size_t k = 1; k < result.history.size(); ++k)
    if (result.history[k].loss < result.history[result.best].loss) result.best = k;
  return result;
}

AbcCalibration calibrate_abc(const std::filesystem::path& scenario, const CalibrationOptions& options, AbcOptions abc) {
  AbcCalibration calibration;
  calibration.targets = check_calibration(scenario, options);
  std::vector<Prior> priors;
  for (const auto& free : options.free) priors.push_back(free.prior());
  abc.seed = options.seed;
  abc.threads = options.threads;
  // the progress line counts runs against the budget, or against the generations' particles without one
  const auto total = static_cast<std::size_t>(abc.budget > 0 ? abc.budget : static_cast<long long>(abc.particles) * std::max(abc.generations, 1));
  ProgressLine progress("runs", total, 0, options.progress);
  abc.report = [&](long long runs, int generation, double tolerance) {
    std::string extra = "generation " + std::to_string(generation);
    if (std::isfinite(tolerance)) extra += ", tolerance " + format_number(tolerance);
    progress.update(std::min(static_cast<std::size_t>(runs), total), extra);
  };
  // one proposal per task: its replicates run one after the other on that task's thread
  calibration.result = abc_smc(priors, abc, [&](const std::vector<double>& values, std::uint64_t seed) {
    const Scenario loaded = load_at(scenario, options, values);
    const auto outcomes = validate(loaded.model, loaded.targets, seed, options.replicates, 1).outcomes;
    if (options.distance == CalibrationOptions::Distance::record)
      return record_distance(loaded.targets, outcomes, options.holdout ? options.holdout->in_sample(loaded.targets) : std::vector<char>{});
    return losses(loaded.targets, outcomes, options.holdout).first;
  });
  progress.finish();
  return calibration;
}

}  // namespace tiesim
