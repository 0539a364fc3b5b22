#include "experiment/design.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "core/rng.hpp"

namespace tiesim {

namespace {

double scale(const ParameterRange& parameter, double unit) { return parameter.low + unit * (parameter.high - parameter.low); }

/// Independent uniform draws for the design, keyed by (seed, purpose, a, b).
double design_uniform(std::uint64_t seed, std::uint64_t purpose, std::uint64_t a, std::uint64_t b) {
  KeyedEngine engine(combine_key({seed, 0x64657369676eULL /* "design" */, purpose, a, b}));
  return boost::random::uniform_01<double>()(engine);
}

Design grid(const std::vector<ParameterRange>& parameters) {
  std::vector<std::vector<double>> axes;
  for (const auto& parameter : parameters) {
    if (!parameter.values.empty()) {
      axes.push_back(parameter.values);
      continue;
    }
    std::vector<double> axis;
    for (int k = 0; k < parameter.steps; ++k)
      axis.push_back(parameter.steps == 1 ? parameter.low : scale(parameter, static_cast<double>(k) / (parameter.steps - 1)));
    axes.push_back(axis);
  }
  Design design;
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    std::vector<double> point;
    for (std::size_t d = 0; d < axes.size(); ++d) point.push_back(axes[d][index[d]]);
    design.points.push_back(point);
    design.roles.emplace_back("grid");
    // odometer: the last parameter turns fastest
    std::size_t d = axes.size();
    while (d > 0 && ++index[d - 1] == axes[d - 1].size()) index[--d] = 0;
    if (d == 0) break;
  }
  return design;
}

Design latin_hypercube(const std::vector<ParameterRange>& parameters, const DesignOptions& options) {
  // each parameter's range is cut into n strata; every stratum is used once, in a random order
  const auto n = static_cast<std::size_t>(options.samples);
  Design design;
  design.points.assign(n, std::vector<double>(parameters.size()));
  for (std::size_t d = 0; d < parameters.size(); ++d) {
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), 0);
    KeyedEngine engine(combine_key({options.seed, 0x6c6873ULL /* "lhs" */, d}));
    for (std::size_t k = n; k > 1; --k) {  // Fisher–Yates with Boost's fixed algorithm
      boost::random::uniform_int_distribution<std::size_t> pick(0, k - 1);
      std::swap(strata[k - 1], strata[pick(engine)]);
    }
    for (std::size_t k = 0; k < n; ++k) {
      const double within = design_uniform(options.seed, 1, d, k);
      design.points[k][d] = scale(parameters[d], (static_cast<double>(strata[k]) + within) / static_cast<double>(n));
    }
  }
  design.roles.assign(n, "lhs");
  return design;
}

Design saltelli(const std::vector<ParameterRange>& parameters, const DesignOptions& options) {
  // A and B are the two halves of a 2d-dimensional Sobol sequence; AB_i is A with column i from B
  const std::size_t d = parameters.size();
  const auto base = sobol_points(static_cast<int>(2 * d), options.samples);
  Design design;
  for (const auto& row : base) {
    std::vector<double> a(d), b(d);
    for (std::size_t k = 0; k < d; ++k) {
      a[k] = scale(parameters[k], row[k]);
      b[k] = scale(parameters[k], row[d + k]);
    }
    design.points.push_back(a);
    design.roles.emplace_back("A");
    design.points.push_back(b);
    design.roles.emplace_back("B");
    for (std::size_t i = 0; i < d; ++i) {
      auto mixed = a;
      mixed[i] = b[i];
      design.points.push_back(mixed);
      design.roles.push_back("AB" + std::to_string(i + 1));
    }
  }
  return design;
}

Design morris(const std::vector<ParameterRange>& parameters, const DesignOptions& options) {
  // each trajectory starts at a random grid point of the lower half and moves one parameter at a time by
  // Δ = p / (2 (p − 1)), in a random order and direction that keeps it inside [0, 1]
  const std::size_t d = parameters.size();
  const int p = options.morris_levels;
  const double delta = p / (2.0 * (p - 1));
  Design design;
  for (int t = 0; t < options.samples; ++t) {
    const auto trajectory = static_cast<std::uint64_t>(t);
    std::vector<double> unit(d);
    for (std::size_t k = 0; k < d; ++k) {
      const int level = static_cast<int>(design_uniform(options.seed, 2, trajectory, k) * (p / 2));
      unit[k] = static_cast<double>(level) / (p - 1);
    }
    std::vector<std::size_t> order(d);
    std::iota(order.begin(), order.end(), 0);
    KeyedEngine engine(combine_key({options.seed, 0x6d6f72726973ULL /* "morris" */, trajectory}));
    for (std::size_t k = d; k > 1; --k) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, k - 1);
      std::swap(order[k - 1], order[pick(engine)]);
    }
    auto emit = [&] {
      std::vector<double> point(d);
      for (std::size_t k = 0; k < d; ++k) point[k] = scale(parameters[k], unit[k]);
      design.points.push_back(point);
      design.roles.push_back("T" + std::to_string(t));
    };
    emit();
    for (std::size_t k : order) {
      unit[k] = unit[k] + delta <= 1.0 + 1e-12 ? unit[k] + delta : unit[k] - delta;
      emit();
    }
  }
  return design;
}

}  // namespace

std::vector<std::vector<double>> sobol_points(int dimension, int count) {
  boost::random::sobol engine(static_cast<std::size_t>(dimension));
  boost::random::uniform_01<double> unit;
  std::vector<std::vector<double>> points(static_cast<std::size_t>(count), std::vector<double>(static_cast<std::size_t>(dimension)));
  for (auto& point : points)
    for (auto& coordinate : point) coordinate = unit(engine);
  return points;
}

std::size_t design_point_count(const std::vector<ParameterRange>& parameters, const DesignOptions& options) {
  constexpr std::size_t most = std::numeric_limits<std::size_t>::max();
  auto times = [](std::size_t a, std::size_t b) { return b != 0 && a > most / b ? most : a * b; };
  const std::size_t d = parameters.size();
  const auto samples = static_cast<std::size_t>(std::max(0, options.samples));
  switch (options.kind) {
    case DesignKind::grid: {
      std::size_t count = 1;
      for (const auto& parameter : parameters)
        count = times(count, parameter.values.empty() ? static_cast<std::size_t>(std::max(0, parameter.steps)) : parameter.values.size());
      return count;
    }
    case DesignKind::random:
    case DesignKind::latin_hypercube: return samples;
    case DesignKind::sobol: return times(samples, d + 2);
    case DesignKind::morris: return times(samples, d + 1);
    case DesignKind::table: return options.table.size();
  }
  return 0;
}

Design make_design(const std::vector<ParameterRange>& parameters, const DesignOptions& options) {
  switch (options.kind) {
    case DesignKind::grid: return grid(parameters);
    case DesignKind::random: {
      Design design;
      for (int k = 0; k < options.samples; ++k) {
        std::vector<double> point;
        for (std::size_t d = 0; d < parameters.size(); ++d)
          point.push_back(scale(parameters[d], design_uniform(options.seed, 0, static_cast<std::uint64_t>(k), d)));
        design.points.push_back(point);
        design.roles.emplace_back("random");
      }
      return design;
    }
    case DesignKind::latin_hypercube: return latin_hypercube(parameters, options);
    case DesignKind::sobol: return saltelli(parameters, options);
    case DesignKind::morris: return morris(parameters, options);
    case DesignKind::table: {
      Design design;
      design.points = options.table;
      design.roles.assign(options.table.size(), "table");
      return design;
    }
  }
  return {};
}

std::string_view design_kind_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::random: return "random";
    case DesignKind::latin_hypercube: return "lhs";
    case DesignKind::sobol: return "sobol";
    case DesignKind::morris: return "morris";
    case DesignKind::table: return "table";
  }
  return "grid";
}

}  // namespace tiesim
