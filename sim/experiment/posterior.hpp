#pragma once
/// Posterior predictive runs: replicates that each draw their parameter values from a posterior sample
/// (the posterior.csv of `calibrate --method abc-smc`), so that a band of outcomes carries the uncertainty
/// of the parameters as well as the model's own chance.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "output/run_json.hpp"
#include "scenario/loader.hpp"

namespace tiesim {

/// A weighted sample of parameter values, read back from posterior.csv.
struct PosteriorSample {
  struct Particle {
    long long id = 0;            // the `particle` column; the row's position from 0 when there is none
    double weight = 0;           // ≥ 0; the weights need not sum to 1
    std::vector<double> values;  // one per parameter
    int line = 0;                // the row's line in the file
    std::vector<int> columns;    // each value's column (1-based, in characters) on that line
  };
  std::string path;                     // as given
  std::string sha256;                   // of the file's bytes
  std::vector<std::string> parameters;  // scenario paths, as --set takes them
  std::vector<int> header_columns;      // each parameter's column on line 1
  std::vector<Particle> particles;      // in the file's order
};

/// Parses `text`, shown as `shown` in messages. Columns: `weight` (required), `particle` and `distance`
/// (optional; `distance` is not used), and every other column a parameter named by its scenario path.
/// Throws InputError at the line and column of the first problem: a header without `weight` or without a
/// parameter, an empty or repeated column name, a row of the wrong length, a cell that is not a finite
/// decimal number, a negative weight, a repeated particle, no rows, or weights that are all 0.
PosteriorSample parse_posterior(std::string_view text, const std::string& shown);

/// Reads and parses the file `path`; a missing file, or one that is not a regular file, is an InputError.
PosteriorSample read_posterior(const std::filesystem::path& path);

/// The particle (index into sample.particles) that replicate `replicate` of a run with master seed `seed`
/// uses: drawn by weight from a random stream keyed by (seed, replicate) alone, so it depends neither on the
/// thread count nor on how many replicates run.
std::size_t draw_particle(const PosteriorSample& sample, std::uint64_t seed, int replicate);

/// The replicates of a posterior predictive run, each with the model of the particle it drew.
struct PosteriorRuns {
  std::vector<std::size_t> particle_of;  // per replicate: index into sample.particles
  std::vector<std::size_t> model_of;     // per replicate: index into models
  std::vector<Model> models;             // one per particle drawn, in order of first draw

  const Model& model(int replicate) const { return models[model_of[static_cast<std::size_t>(replicate)]]; }
};

/// Loads the scenario once per particle, with `overrides` and then the particle's values as --set values,
/// and keeps the models of the particles the replicates draw. Every particle is checked, drawn or not, so a
/// posterior is refused or accepted whatever the replicate count. Throws InputError at the cell of a value
/// the scenario refuses (naming its column), at the header for a column also given with --set, and at the
/// row of a particle whose values change the scenario's calendar, actors, channels or targets (`base`, the
/// scenario loaded with `overrides` alone, is what they are compared with).
PosteriorRuns posterior_runs(const std::filesystem::path& scenario, const std::vector<std::string>& overrides, const Scenario& base,
                             const PosteriorSample& sample, std::uint64_t seed, int replicates, int threads);

/// What run.json and validation.json record of the draws.
PosteriorRecord posterior_record(const PosteriorSample& sample, const PosteriorRuns& runs);

}  // namespace tiesim
