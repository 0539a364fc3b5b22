#include "experiment/sensitivity.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include <boost/random/uniform_int_distribution.hpp>

#include "core/date.hpp"
#include "core/rng.hpp"
#include "experiment/sweep.hpp"
#include "output/csv.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"

namespace tiesim {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

double variance(const std::vector<double>& values) {
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double sum = 0;
  for (double value : values) sum += (value - mean) * (value - mean);
  return sum / static_cast<double>(values.size());
}

/// S1 and ST of every parameter from the blocks listed in `rows`.
void saltelli_estimates(const std::vector<std::vector<double>>& outputs, const std::vector<std::size_t>& rows, std::size_t d,
                        std::vector<double>& first, std::vector<double>& total) {
  std::vector<double> pooled;
  for (std::size_t j : rows) {
    pooled.push_back(outputs[j][0]);
    pooled.push_back(outputs[j][1]);
  }
  const double var = variance(pooled);
  // centred outputs: the first-order estimator is not invariant to a shift (dates are ~2000 as numbers)
  const double centre = std::accumulate(pooled.begin(), pooled.end(), 0.0) / static_cast<double>(pooled.size());
  const auto n = static_cast<double>(rows.size());
  first.assign(d, 0.0);
  total.assign(d, 0.0);
  for (std::size_t i = 0; i < d; ++i) {
    double s1 = 0, st = 0;
    for (std::size_t j : rows) {
      const double a = outputs[j][0] - centre, b = outputs[j][1] - centre, ab = outputs[j][2 + i] - centre;
      s1 += b * (ab - a);
      st += (a - ab) * (a - ab);
    }
    first[i] = var > 0 ? s1 / n / var : not_a_number;
    total[i] = var > 0 ? st / (2 * n) / var : not_a_number;
  }
}

double percentile(std::vector<double> values, double share) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return not_a_number;
  std::sort(values.begin(), values.end());
  const double position = share * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const auto above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

std::string read_maybe_gzip(const std::filesystem::path& path) {
  gzFile in = gzopen(path.c_str(), "rb");  // reads plain files too
  if (!in) return {};
  std::string text;
  char chunk[1 << 16];
  int count;
  while ((count = gzread(in, chunk, sizeof chunk)) > 0) text.append(chunk, static_cast<std::size_t>(count));
  gzclose(in);
  return text;
}

/// A metric value as a number: a date counts as a decimal year; empty is NaN.
double metric_number(const std::string& text) {
  if (text.empty()) return not_a_number;
  if (auto date = Date::parse(text)) {
    const auto ymd = date->ymd();
    const Date start = Date::from_ymd(static_cast<int>(ymd.year()), 1, 1);
    const Date next = Date::from_ymd(static_cast<int>(ymd.year()) + 1, 1, 1);
    return static_cast<int>(ymd.year()) + static_cast<double>((date->days - start.days).count()) /
                                               static_cast<double>((next.days - start.days).count());
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return *end == '\0' ? value : not_a_number;
}

Diagnostic bad_runs(const std::filesystem::path& path, int line, std::string message, std::string hint = {}) {
  return Diagnostic{path.string(), line, line > 0 ? 1 : 0, std::move(message), std::move(hint)};
}

}  // namespace

std::vector<SensitivityIndex> sobol_indices(const std::vector<std::vector<double>>& outputs,
                                            const std::vector<std::string>& parameters, int resamples,
                                            std::uint64_t seed, double confidence) {
  const std::size_t d = parameters.size();
  std::vector<std::size_t> all(outputs.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<double> first, total;
  saltelli_estimates(outputs, all, d, first, total);

  // bootstrap: resample the base samples j with replacement
  std::vector<std::vector<double>> first_draws(d), total_draws(d);
  for (int b = 0; b < resamples; ++b) {
    KeyedEngine engine(combine_key({seed, 0x626f6f74ULL /* "boot" */, static_cast<std::uint64_t>(b)}));
    boost::random::uniform_int_distribution<std::size_t> pick(0, outputs.size() - 1);
    std::vector<std::size_t> rows(outputs.size());
    for (auto& row : rows) row = pick(engine);
    std::vector<double> f, t;
    saltelli_estimates(outputs, rows, d, f, t);
    for (std::size_t i = 0; i < d; ++i) {
      first_draws[i].push_back(f[i]);
      total_draws[i].push_back(t[i]);
    }
  }
  const double tail = (1 - confidence) / 2;
  std::vector<SensitivityIndex> indices;
  for (std::size_t i = 0; i < d; ++i) {
    const bool bootstrapped = resamples > 0;
    indices.push_back({"", parameters[i], "sobol", "S1", first[i], bootstrapped ? percentile(first_draws[i], tail) : not_a_number,
                       bootstrapped ? percentile(first_draws[i], 1 - tail) : not_a_number});
    indices.push_back({"", parameters[i], "sobol", "ST", total[i], bootstrapped ? percentile(total_draws[i], tail) : not_a_number,
                       bootstrapped ? percentile(total_draws[i], 1 - tail) : not_a_number});
  }
  return indices;
}

std::vector<SensitivityIndex> morris_indices(const std::vector<MorrisTrajectory>& trajectories,
                                             const std::vector<std::string>& parameters) {
  const std::size_t d = parameters.size();
  std::vector<std::vector<double>> effects(d);
  for (const auto& trajectory : trajectories)
    for (std::size_t k = 1; k < trajectory.unit_points.size(); ++k) {
      // the one coordinate that moved, and by how much
      for (std::size_t i = 0; i < d; ++i) {
        const double step = trajectory.unit_points[k][i] - trajectory.unit_points[k - 1][i];
        if (std::abs(step) < 1e-12) continue;
        const double effect = (trajectory.outputs[k] - trajectory.outputs[k - 1]) / step;
        if (!std::isnan(effect)) effects[i].push_back(effect);
      }
    }
  std::vector<SensitivityIndex> indices;
  for (std::size_t i = 0; i < d; ++i) {
    const auto& e = effects[i];
    double mu_star = not_a_number, sigma = not_a_number;
    if (!e.empty()) {
      mu_star = 0;
      double mean = 0;
      for (double effect : e) mu_star += std::abs(effect), mean += effect;
      mu_star /= static_cast<double>(e.size());
      mean /= static_cast<double>(e.size());
      if (e.size() > 1) {
        double sum = 0;
        for (double effect : e) sum += (effect - mean) * (effect - mean);
        sigma = std::sqrt(sum / static_cast<double>(e.size() - 1));
      }
    }
    indices.push_back({"", parameters[i], "morris", "mu_star", mu_star, not_a_number, not_a_number});
    indices.push_back({"", parameters[i], "morris", "sigma", sigma, not_a_number, not_a_number});
  }
  return indices;
}

std::vector<SensitivityIndex> analyse_runs(const std::filesystem::path& runs, int resamples, std::uint64_t seed,
                                           std::vector<std::string>* notes) {
  std::error_code ec;
  if (std::filesystem::is_directory(runs, ec))
    throw InputError(bad_runs(runs, 0, "is a directory", "give the sweep's runs.csv: " + (runs / "runs.csv").string()));
  // a named pipe or a device is refused before it is opened: reading one could block forever
  if (const auto problem = input_file_problem(runs); !problem.empty()) throw InputError(bad_runs(runs, 0, problem == "no such file" ? problem : problem + ", expected a runs.csv file"));
  return analyse_runs_text(read_maybe_gzip(runs), runs.string(), resamples, seed, notes);
}

std::vector<SensitivityIndex> analyse_runs_text(const std::string& text, const std::string& shown, int resamples, std::uint64_t seed,
                                                std::vector<std::string>* notes) {
  const std::filesystem::path runs(shown);
  const RunsTable table = parse_runs_table(text, shown);
  const auto& header = table.header;
  // parameters are paths (they contain a dot), metrics are names (they never do)
  std::vector<std::size_t> parameter_columns, metric_columns;
  for (std::size_t k = 5; k + 1 < header.size(); ++k) (header[k].find('.') != std::string::npos ? parameter_columns : metric_columns).push_back(k);
  if (parameter_columns.empty() || metric_columns.empty())
    throw InputError(bad_runs(runs, 1, "found no parameter columns (paths with dots) or no metric columns"));
  if (table.rows.empty()) throw InputError(bad_runs(runs, 0, "no runs", "is the sweep complete? (merge all shards, or --resume it)"));

  // per point: role, unit-free parameter values, and metric sums over its successful replicates
  struct Point {
    std::string role;
    std::vector<double> values;
    std::vector<double> sums;
    std::vector<int> counts;
    int replicates = 0;
  };
  std::map<std::size_t, Point> points;
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    const auto& fields = table.rows[row];
    const int line = static_cast<int>(row + 2);
    auto cell = [&](std::size_t k, bool metric) {
      const double value = metric_number(fields[k]);
      const bool fine = metric ? fields[k].empty() || std::isfinite(value) : std::isfinite(value) && !Date::parse(fields[k]);
      if (!fine)
        throw InputError(bad_runs(runs, line, header[k] + ": expected " + (metric ? "a number, a date or nothing" : "a finite number") +
                                                  ", got '" + fields[k] + "'"));
      return value;
    };
    const std::size_t id = std::stoul(fields[1]);  // a whole number: parse_runs_table checked it
    if (!points.empty() && id != points.rbegin()->first && id != points.rbegin()->first + 1)
      throw InputError(bad_runs(runs, line, "point " + fields[1] + " follows point " + std::to_string(points.rbegin()->first),
                                "rows of one point are consecutive and points are numbered in order"));
    Point& point = points[id];
    std::vector<double> values;
    for (auto k : parameter_columns) values.push_back(cell(k, false));
    if (point.replicates == 0) {
      point.role = fields[4];
      point.values = values;
      point.sums.assign(metric_columns.size(), 0.0);
      point.counts.assign(metric_columns.size(), 0);
    } else if (fields[4] != point.role || values != point.values) {
      throw InputError(bad_runs(runs, line, "point " + fields[1] + " has another role or other parameter values than on its first row"));
    }
    point.replicates += 1;
    if (fields.back() != "ok") continue;
    for (std::size_t m = 0; m < metric_columns.size(); ++m) {
      const double value = cell(metric_columns[m], true);
      if (std::isnan(value)) continue;
      point.sums[m] += value;
      point.counts[m] += 1;
    }
  }
  for (const auto& [id, point] : points)
    if (point.replicates != points.begin()->second.replicates)
      throw InputError(bad_runs(runs, 0, "point " + std::to_string(id) + " has " + std::to_string(point.replicates) + " rows, point " +
                                             std::to_string(points.begin()->first) + " has " + std::to_string(points.begin()->second.replicates),
                                "every point has the same number of replicates: is the sweep complete?"));
  std::vector<std::string> parameters;
  for (auto k : parameter_columns) parameters.push_back(header[k]);
  const std::size_t d = parameters.size();
  auto mean_of = [](const Point& point, std::size_t m) {
    return point.counts[m] > 0 ? point.sums[m] / point.counts[m] : not_a_number;
  };

  // a metric without a value at some points is said so, by name, never dropped in silence
  auto note = [&](std::size_t m, const std::string& what) {
    if (notes) notes->push_back("metric '" + header[metric_columns[m]] + "' " + what);
  };
  auto points_without = [&](std::size_t m) {
    std::size_t missing = 0;
    for (const auto& [id, point] : points) missing += std::isnan(mean_of(point, m)) ? 1 : 0;
    return missing;
  };
  auto why_missing = [&](std::size_t m) {
    return "it has no value at " + std::to_string(points_without(m)) + " of " + std::to_string(points.size()) +
           " points (what it records never happened there, or every run there failed)";
  };

  std::vector<SensitivityIndex> result;
  const std::string& first_role = points.begin()->second.role;
  if (first_role == "A") {
    // blocks of d + 2 points: A, B, AB1 … ABd
    std::vector<Point*> ordered;
    for (auto& [id, point] : points) ordered.push_back(&point);
    if (ordered.size() % (d + 2) != 0)
      throw InputError(bad_runs(runs, 0, "a Sobol sweep has (d + 2) points per base sample; found " + std::to_string(ordered.size()) + " points for d = " + std::to_string(d),
                                "is the sweep complete? (merge all shards, or --resume it)"));
    for (std::size_t k = 0; k < ordered.size(); ++k) {
      const std::size_t at = k % (d + 2);
      const std::string expected = at == 0 ? "A" : at == 1 ? "B" : "AB" + std::to_string(at - 1);
      if (ordered[k]->role != expected)
        throw InputError(bad_runs(runs, 0, "point " + std::to_string(k) + " has role '" + ordered[k]->role + "', expected '" + expected + "'",
                                  "a Sobol sweep's points come in blocks A, B, AB1 … ABd"));
    }
    for (std::size_t m = 0; m < metric_columns.size(); ++m) {
      std::vector<std::vector<double>> outputs;
      bool complete = true;
      for (std::size_t j = 0; j < ordered.size(); j += d + 2) {
        std::vector<double> block;
        for (std::size_t k = 0; k < d + 2; ++k) block.push_back(mean_of(*ordered[j + k], m));
        complete &= std::none_of(block.begin(), block.end(), [](double v) { return std::isnan(v); });
        outputs.push_back(block);
      }
      if (!complete) {
        // Sobol's estimators need every point of a block
        note(m, "got no indices: " + why_missing(m));
        continue;
      }
      for (auto index : sobol_indices(outputs, parameters, resamples, seed)) {
        index.metric = header[metric_columns[m]];
        result.push_back(index);
      }
    }
  } else if (!first_role.empty() && first_role[0] == 'T') {
    // trajectories: consecutive points sharing a role; unit coordinates from each parameter's observed range
    std::vector<double> low(d, std::numeric_limits<double>::infinity()), high(d, -std::numeric_limits<double>::infinity());
    for (const auto& [id, point] : points)
      for (std::size_t i = 0; i < d; ++i) low[i] = std::min(low[i], point.values[i]), high[i] = std::max(high[i], point.values[i]);
    for (std::size_t m = 0; m < metric_columns.size(); ++m) {
      const std::size_t missing = points_without(m);
      if (missing == points.size()) {
        note(m, "got no indices: " + why_missing(m));
        continue;
      }
      if (missing > 0) note(m, "got indices from part of its elementary effects only: " + why_missing(m));
      std::vector<MorrisTrajectory> trajectories;
      std::string current;
      for (const auto& [id, point] : points) {
        if (point.role != current) trajectories.emplace_back(), current = point.role;
        std::vector<double> unit(d);
        for (std::size_t i = 0; i < d; ++i) unit[i] = high[i] > low[i] ? (point.values[i] - low[i]) / (high[i] - low[i]) : 0.0;
        trajectories.back().unit_points.push_back(unit);
        trajectories.back().outputs.push_back(mean_of(point, m));
      }
      for (auto index : morris_indices(trajectories, parameters)) {
        index.metric = header[metric_columns[m]];
        result.push_back(index);
      }
    }
  } else {
    throw InputError(bad_runs(runs, 2, "sensitivity needs a Sobol (design kind \"sobol\") or Morris (\"morris\") sweep; this one is '" + first_role + "'"));
  }
  return result;
}

}  // namespace tiesim
