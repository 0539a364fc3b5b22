#include "experiment/posterior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"

namespace tiesim {

namespace {

const char* const what_it_is = "expected the posterior.csv of 'tiesim calibrate --method abc-smc'";

/// One field of a line and the column (1-based, in characters) it starts at.
struct Field {
  std::string text;
  int column = 1;
};

/// Splits a CSV line (RFC 4180 quoting, as CsvFile writes it) into its fields with their columns.
std::vector<Field> split_fields(std::string_view line) {
  std::vector<Field> fields(1);
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char ch = line[k];
    if (quoted) {
      if (ch == '"' && k + 1 < line.size() && line[k + 1] == '"') fields.back().text += '"', ++k;
      else if (ch == '"') quoted = false;
      else fields.back().text += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.push_back({{}, static_cast<int>(k) + 2});
    } else {
      fields.back().text += ch;
    }
  }
  return fields;
}

}  // namespace

PosteriorSample parse_posterior(std::string_view text, const std::string& shown) {
  auto problem = [&](int line, int column, std::string message, std::string hint = {}) {
    return InputError(Diagnostic{shown, line, column, std::move(message), std::move(hint)});
  };
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw problem(0, 0, "empty file: no header and no particles", what_it_is);
  if (const auto nul = text.find('\0'); nul != std::string_view::npos)
    throw problem(static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n')) + 1, 0,
                  "not a text file: it contains NUL bytes", what_it_is);
  PosteriorSample sample;
  sample.path = shown;
  sample.sha256 = sha256_hex(text);
  int weight_field = -1, particle_field = -1, distance_field = -1;
  std::vector<int> parameter_fields;
  std::size_t field_count = 0;
  int line = 0;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();  // a last line without its line end, as an editor may leave it
    std::string_view content = text.substr(start, end - start);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);  // edited on Windows
    start = end + 1;
    ++line;
    const std::vector<Field> fields = split_fields(content);
    if (line == 1) {
      field_count = fields.size();
      for (std::size_t k = 0; k < fields.size(); ++k) {
        const Field& field = fields[k];
        if (field.text.empty()) throw problem(line, field.column, "column " + std::to_string(k + 1) + " has no name", what_it_is);
        for (std::size_t j = 0; j < k; ++j)
          if (fields[j].text == field.text) throw problem(line, field.column, "column '" + field.text + "' appears twice");
        if (field.text == "weight") weight_field = static_cast<int>(k);
        else if (field.text == "particle") particle_field = static_cast<int>(k);
        else if (field.text == "distance") distance_field = static_cast<int>(k);
        else {
          parameter_fields.push_back(static_cast<int>(k));
          sample.parameters.push_back(field.text);
          sample.header_columns.push_back(field.column);
        }
      }
      if (weight_field < 0)
        throw problem(line, 1, "no 'weight' column", "expected a header such as particle,weight,model.reciprocity,distance");
      if (parameter_fields.empty())
        throw problem(line, 1, "no parameter columns: every column is particle, weight or distance",
                      "a parameter column is named by its scenario path, e.g. model.reciprocity");
      continue;
    }
    if (content.empty()) continue;  // a blank line, as an editor may leave at the end
    if (fields.size() != field_count)
      throw problem(line, 1, "expected " + std::to_string(field_count) + " fields, as in the header, got " + std::to_string(fields.size()));
    PosteriorSample::Particle particle;
    particle.line = line;
    // every cell a finite decimal number, as calibrate writes them
    for (int k = 0; k < static_cast<int>(fields.size()); ++k) {
      const Field& field = fields[static_cast<std::size_t>(k)];
      const std::string name = k == weight_field ? "weight" : k == particle_field ? "particle" : k == distance_field ? "distance"
                                                                                                                       : std::string();
      const std::string column_name =
          name.empty() ? sample.parameters[static_cast<std::size_t>(std::find(parameter_fields.begin(), parameter_fields.end(), k) -
                                                                     parameter_fields.begin())]
                       : name;
      if (k == particle_field) {
        const auto id = parse_decimal_integer(field.text);
        if (!id || *id < 0)
          throw problem(line, field.column, "column 'particle': expected a whole number of 0 or more, got '" + field.text + "'");
        particle.id = *id;
        continue;
      }
      const auto value = parse_decimal(field.text);
      if (!value)
        throw problem(line, field.column, "column '" + column_name + "': expected a finite decimal number, got '" + field.text + "'");
      if (k == weight_field) {
        if (*value < 0) throw problem(line, field.column, "column 'weight': a weight cannot be negative, got " + field.text);
        particle.weight = *value;
      } else if (k != distance_field) {
        particle.values.push_back(*value);
        particle.columns.push_back(field.column);
      }
    }
    if (particle_field < 0) particle.id = static_cast<long long>(sample.particles.size());
    for (const auto& earlier : sample.particles)
      if (earlier.id == particle.id)
        throw problem(line, fields[static_cast<std::size_t>(particle_field)].column,
                      "particle " + std::to_string(particle.id) + " appears twice (first on line " + std::to_string(earlier.line) + ")");
    sample.particles.push_back(std::move(particle));
  }
  if (sample.particles.empty()) throw problem(0, 0, "no particles: the file has a header and no rows", what_it_is);
  double total = 0;
  for (const auto& particle : sample.particles) total += particle.weight;
  if (!(total > 0)) throw problem(0, 0, "every weight is 0: no particle can be drawn", "give at least one particle a weight above 0");
  if (!std::isfinite(total)) throw problem(0, 0, "the weights sum to more than the largest number", "scale them down (they need not sum to 1)");
  return sample;
}

PosteriorSample read_posterior(const std::filesystem::path& path) {
  auto problem = [&](std::string message, std::string hint = {}) {
    return InputError(Diagnostic{path.string(), 0, 0, std::move(message), std::move(hint)});
  };
  // anything but a regular file is refused before it is opened: a named pipe would block the read forever
  if (const auto why = input_file_problem(path); !why.empty())
    throw problem("cannot read posterior: " + why, why == "no such file" ? "give the posterior.csv that 'tiesim calibrate --method abc-smc' wrote"
                                                                        : what_it_is);
  const auto text = read_limited(path, std::numeric_limits<std::uintmax_t>::max() - 1);
  if (!text) throw problem("cannot read posterior: permission denied or unreadable");
  return parse_posterior(*text, path.string());
}

std::size_t draw_particle(const PosteriorSample& sample, std::uint64_t seed, int replicate) {
  // a stream of its own, apart from the replicate's seed (which the simulation's draws are keyed by)
  KeyedEngine engine(combine_key({seed, static_cast<std::uint64_t>(replicate), name_key("posterior draw")}));
  const double unit = static_cast<double>(engine() >> 11) * 0x1.0p-53;  // in [0, 1), the same on every platform
  double total = 0;
  for (const auto& particle : sample.particles) total += particle.weight;
  const double target = unit * total;
  double cumulative = 0;
  std::size_t last_positive = 0;
  for (std::size_t k = 0; k < sample.particles.size(); ++k) {
    if (sample.particles[k].weight <= 0) continue;  // a weight of 0 is never drawn
    cumulative += sample.particles[k].weight;
    last_positive = k;
    if (target < cumulative) return k;
  }
  return last_positive;  // only when rounding left the running sum a hair below the total
}

PosteriorRuns posterior_runs(const std::filesystem::path& scenario, const std::vector<std::string>& overrides, const Scenario& base,
                             const PosteriorSample& sample, std::uint64_t seed, int replicates, int threads) {
  // a column also given with --set: which one the user meant is not ours to guess
  for (const auto& setting : overrides) {
    const std::string path = setting.substr(0, setting.find('='));
    for (std::size_t k = 0; k < sample.parameters.size(); ++k)
      if (sample.parameters[k] == path)
        throw InputError(Diagnostic{sample.path, 1, sample.header_columns[k],
                                    "column '" + path + "' is also given with --set " + setting + ": each replicate's value would replace it",
                                    "leave out the --set, or drop the column"});
  }
  PosteriorRuns runs;
  std::vector<std::optional<std::size_t>> model_index(sample.particles.size());
  for (int r = 0; r < replicates; ++r) {
    const std::size_t particle = draw_particle(sample, seed, r);
    if (!model_index[particle]) model_index[particle] = runs.models.size(), runs.models.emplace_back();
    runs.particle_of.push_back(particle);
    runs.model_of.push_back(*model_index[particle]);
  }
  // every particle loaded, each by itself; the first problem in the file's order is the one reported,
  // whichever thread found it
  std::vector<std::vector<Diagnostic>> problems(sample.particles.size());
  for_each_task(static_cast<int>(sample.particles.size()), thread_count(threads, static_cast<int>(sample.particles.size())), [&](int task) {
    const auto p = static_cast<std::size_t>(task);
    const PosteriorSample::Particle& particle = sample.particles[p];
    auto settings = overrides;
    for (std::size_t k = 0; k < sample.parameters.size(); ++k) settings.push_back(sample.parameters[k] + "=" + format_number(particle.values[k]));
    const std::string which = "particle " + std::to_string(particle.id);
    try {
      Scenario loaded = load_scenario(scenario, settings);
      const Model& model = loaded.model;
      bool same = model.calendar.step_count() == base.model.calendar.step_count() && model.calendar.start == base.model.calendar.start &&
                  model.actor_count() == base.model.actor_count() && model.channel_count() == base.model.channel_count() &&
                  loaded.targets.size() == base.targets.size();
      for (std::size_t t = 0; same && t < loaded.targets.size(); ++t) same = loaded.targets[t].id == base.targets[t].id;
      if (!same) {
        problems[p].push_back(Diagnostic{sample.path, particle.line, 1,
                                         which + " changes the scenario's calendar, actors, channels or targets: a posterior sets parameters only",
                                         "a parameter column names a value such as model.reciprocity or actors.ID.compliance"});
        return;
      }
      if (model_index[p]) runs.models[*model_index[p]] = std::move(loaded.model);
    } catch (const InputError& error) {
      // shown at the cell whose value the scenario refused, not as the --set it became
      for (Diagnostic diagnostic : error.diagnostics()) {
        for (std::size_t k = 0; k < sample.parameters.size(); ++k)
          if (diagnostic.file == override_origin(sample.parameters[k])) {
            diagnostic.file = sample.path;
            diagnostic.line = particle.line;
            diagnostic.column = particle.columns[k];
            diagnostic.message = "column '" + sample.parameters[k] + "' (" + which + "): " + diagnostic.message;
          }
        problems[p].push_back(std::move(diagnostic));
      }
    }
  });
  for (auto& found : problems)
    if (!found.empty()) throw InputError(std::move(found));
  return runs;
}

PosteriorRecord posterior_record(const PosteriorSample& sample, const PosteriorRuns& runs) {
  PosteriorRecord record;
  record.path = sample.path;
  record.sha256 = sample.sha256;
  record.particles = static_cast<long long>(sample.particles.size());
  record.parameters = sample.parameters;
  record.values.assign(sample.parameters.size(), {});
  for (const std::size_t particle : runs.particle_of) {
    record.particle.push_back(sample.particles[particle].id);
    for (std::size_t k = 0; k < sample.parameters.size(); ++k) record.values[k].push_back(sample.particles[particle].values[k]);
  }
  return record;
}

}  // namespace tiesim
