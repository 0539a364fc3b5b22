#pragma once
/// Designs of experiments: which parameter points a sweep runs.
#include <cstdint>
#include <string>
#include <vector>

namespace tiesim {

/// A varied parameter: a --set path with a range, or an explicit list of values.
struct ParameterRange {
  std::string path;
  double low = 0, high = 1;
  std::vector<double> values;  // grid: the values to take (empty: `steps` evenly spaced from low to high)
  int steps = 3;
  bool whole = false;          // the scenario takes whole numbers here: the design's values are rounded
};

enum class DesignKind { grid, random, latin_hypercube, sobol, morris, table };

struct DesignOptions {
  DesignKind kind = DesignKind::grid;
  int samples = 10;          // random, latin_hypercube: points; sobol: base samples N; morris: trajectories r
  int morris_levels = 4;     // p, the levels of the Morris grid (even)
  std::uint64_t seed = 1;    // for random, latin_hypercube and morris
  std::vector<std::vector<double>> table;  // table: the rows given
};

/// The points to run, each with its role in the design (for the sensitivity estimators).
struct Design {
  std::vector<std::vector<double>> points;  // points x parameters, in parameter units
  std::vector<std::string> roles;           // "grid", "A", "B", "AB3" (Saltelli), "T5" (Morris trajectory 5), …
};

/// Builds the design. Points are in a fixed order: grid with the last parameter varying fastest; Sobol
/// blocks [A_j, B_j, AB_j1 … AB_jd] for each base sample j (Saltelli 2010); Morris trajectories one after
/// another, each of d + 1 points that differ in one parameter at a time (Morris 1991; Campolongo et al. 2007).
Design make_design(const std::vector<ParameterRange>& parameters, const DesignOptions& options);

/// How many points make_design would build, computed without building them (saturating at SIZE_MAX), so
/// that a design too large for memory is refused before it is made.
std::size_t design_point_count(const std::vector<ParameterRange>& parameters, const DesignOptions& options);

/// The largest number of parameters a Sobol design takes: Boost's Sobol sequence has at most 3667 dimensions
/// and a Saltelli design uses two per parameter.
inline constexpr std::size_t max_sobol_parameters = 1833;

/// The first `count` points of Boost's Sobol sequence in `dimension` dimensions, in [0, 1).
std::vector<std::vector<double>> sobol_points(int dimension, int count);

std::string_view design_kind_name(DesignKind kind);

}  // namespace tiesim
