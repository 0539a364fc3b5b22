#pragma once
/// Sensitivity indices from sweep results: Sobol (Saltelli design) and Morris elementary effects.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tiesim {

/// One index of one parameter for one metric; `low`/`high` bound its confidence interval (NaN: none).
struct SensitivityIndex {
  std::string metric;
  std::string parameter;
  std::string method;  // "sobol" or "morris"
  std::string index;   // "S1", "ST", "mu_star", "sigma"
  double value = 0;
  double low = 0, high = 0;
};

/// Model outputs of a Saltelli design: outputs[j] = {f(A_j), f(B_j), f(AB_j1), …, f(AB_jd)}.
/// First-order indices by Saltelli et al. (2010), total indices by Jansen (1999), with percentile
/// bootstrap intervals over the base samples (`resamples` draws, keyed by `seed`).
std::vector<SensitivityIndex> sobol_indices(const std::vector<std::vector<double>>& outputs,
                                            const std::vector<std::string>& parameters, int resamples,
                                            std::uint64_t seed, double confidence = 0.95);

/// One Morris trajectory: its d + 1 points in unit coordinates (each differs from the previous in one
/// parameter) and the output at each.
struct MorrisTrajectory {
  std::vector<std::vector<double>> unit_points;
  std::vector<double> outputs;
};

/// μ* (mean absolute elementary effect, Campolongo et al. 2007) and σ (their standard deviation,
/// Morris 1991) per parameter.
std::vector<SensitivityIndex> morris_indices(const std::vector<MorrisTrajectory>& trajectories,
                                             const std::vector<std::string>& parameters);

/// Reads runs.csv (or runs.csv.gz) of a Sobol or Morris sweep and computes every metric's indices. Metric
/// values are averaged over the replicates of each point first; dates (first_below metrics) count as
/// decimal years; failed runs and empty values are left out of the averages. Throws InputError for a file
/// that is not the runs.csv of such a sweep. A metric that gets no indices, or indices from part of the
/// points only, is not dropped in silence: `notes` (when given) receives a sentence per such metric, naming it
/// and saying why.
std::vector<SensitivityIndex> analyse_runs(const std::filesystem::path& runs, int resamples, std::uint64_t seed,
                                           std::vector<std::string>* notes = nullptr);

/// The same for the text of a runs.csv, named `shown` in messages.
std::vector<SensitivityIndex> analyse_runs_text(const std::string& text, const std::string& shown, int resamples, std::uint64_t seed,
                                                std::vector<std::string>* notes = nullptr);

}  // namespace tiesim
