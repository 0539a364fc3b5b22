#include "experiment/experiment.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/rng.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "output/csv.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"
#include "scenario/reader.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_runs = 100'000'000;
constexpr std::size_t max_points = 10'000'000;  // each point is held in memory with its role
constexpr const char* flags_experiment = "command line";  // the name of the experiment made from sweep's flags
constexpr std::uintmax_t max_file_bytes = 64u << 20;  // an experiment file or a design table

Diagnostic plain(const std::string& file, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

/// Reads a design table: a header of parameter paths, then one row of numbers per point.
std::vector<std::vector<double>> read_table(const fs::path& path, const std::string& shown,
                                            const std::vector<ParameterRange>& parameters) {
  // a directory, pipe, device or socket is refused before it is opened; the read is bounded too
  if (const auto problem = input_file_problem(path); !problem.empty())
    throw InputError(plain(shown, "cannot read the design table: " + problem + (problem == "no such file" ? "" : ", expected a CSV file"),
                           "the path is relative to the experiment file"));
  const auto contents = read_limited(path, max_file_bytes);
  if (!contents) throw InputError(plain(shown, "cannot read the design table", "the path is relative to the experiment file"));
  if (contents->size() > max_file_bytes)
    throw InputError(plain(shown, "the design table is more than " + std::to_string(max_file_bytes >> 20) + " MiB", "is this the right file?"));
  // a spreadsheet may have written it: a byte-order mark and CRLF line ends are taken, quotes are honoured
  std::istringstream in(contents->rfind("\xEF\xBB\xBF", 0) == 0 ? contents->substr(3) : *contents);
  std::string line;
  std::vector<std::vector<double>> rows;
  auto next_line = [&] {
    if (!std::getline(in, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  };
  if (!next_line()) throw InputError(plain(shown, "the design table is empty"));
  const auto header = split_csv_line(line);
  if (header.size() != parameters.size())
    throw InputError(Diagnostic{shown, 1, 1, "expected one column per parameter (" + std::to_string(parameters.size()) + "), got " +
                                                 std::to_string(header.size()), ""});
  for (std::size_t k = 0; k < header.size(); ++k)
    if (header[k] != parameters[k].path)
      throw InputError(Diagnostic{shown, 1, 1, "column " + std::to_string(k + 1) + " is '" + header[k] + "', expected '" +
                                                   parameters[k].path + "'", "columns follow the order of [[parameters]]"});
  int number = 1;
  while (next_line()) {
    ++number;
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    if (cells.size() != parameters.size())
      throw InputError(Diagnostic{shown, number, 1, "expected one number per parameter (" + std::to_string(parameters.size()) + "), got " +
                                                      std::to_string(cells.size()), ""});
    std::vector<double> row;
    for (const auto& cell : cells) {
      char* end = nullptr;
      const double value = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || !std::isfinite(value))
        throw InputError(Diagnostic{shown, number, 1, "'" + cell + "' is not a finite number", ""});
      row.push_back(value);
    }
    rows.push_back(row);
  }
  return rows;
}

class ExperimentReader {
 public:
  ExperimentReader(Experiment& experiment, const toml::table& root, const fs::path& file)
      : experiment_(experiment), root_(root), file_(file) {}

  void read(const std::vector<std::string>& command_line) {
    TableReader root(root_, "", diagnostics_);
    const toml::table* settings = root.table("experiment");
    if (!settings) {
      if (!root.has("experiment")) root.missing("experiment", "an [experiment] table naming the scenario");
      diagnostics_.throw_if_any();
    }
    TableReader reader(*settings, "experiment", diagnostics_);
    auto scenario = reader.required_string("scenario");
    experiment_.replicates = static_cast<int>(reader.integer("replicates", 1, 1'000'000).value_or(1));
    const auto seed = reader.integer("seed", 0, std::numeric_limits<long long>::max());
    experiment_.seed = static_cast<std::uint64_t>(seed.value_or(1));
    experiment_.common_random_numbers = reader.boolean("common_random_numbers").value_or(true);
    experiment_.overrides = reader.strings("set").value_or(std::vector<std::string>{});
    reader.string("name");
    reader.finish();
    // "" would name the experiment's own directory
    if (scenario && scenario->empty()) reader.error("scenario", "expected a scenario file path, got an empty string");
    for (const auto& setting : command_line) experiment_.overrides.push_back(setting);
    diagnostics_.throw_if_any();

    // the scenario, with the fixed overrides: its ids and targets are what the metrics refer to
    experiment_.scenario_path = (file_.parent_path() / *scenario).lexically_normal().string();
    try {
      experiment_.base = load_scenario(experiment_.scenario_path, experiment_.overrides);
    } catch (const InputError& error) {
      throw placed(error, [&](const Diagnostic& diagnostic) -> Place {
        if (diagnostic.file == experiment_.scenario_path) return {settings->get("scenario"), "experiment.scenario"};
        return {set_entry(*settings, diagnostic.file), "experiment.set"};
      });
    }

    read_parameters(root);
    diagnostics_.throw_if_any();
    read_design(root);
    read_metrics(root);
    root.finish();
    diagnostics_.throw_if_any();
    check_parameter_paths();
  }

 private:
  /// A value of this file and its name in messages, where an error found elsewhere is shown.
  struct Place {
    const toml::node* node = nullptr;
    std::string key;
  };

  /// `error` with each diagnostic that has no line of its own (a file that cannot be read, an override the
  /// scenario refuses) moved to the value of this file that caused it, as `place` finds it; the rest unchanged.
  InputError placed(const InputError& error, const std::function<Place(const Diagnostic&)>& place) const {
    auto diagnostics = error.diagnostics();
    for (auto& diagnostic : diagnostics) {
      if (diagnostic.line != 0) continue;
      const Place where = place(diagnostic);
      if (!where.node) continue;
      const toml::source_region& source = where.node->source();
      const bool override = diagnostic.file.rfind("--set ", 0) == 0;
      const std::string about = override ? diagnostic.file.substr(6) : diagnostic.file;
      if (source.path && *source.path == flags_experiment) {
        // made from flags: its lines mean nothing to the user, the flag does
        if (where.key == "parameters.path") diagnostic.file = "--vary " + about;
        continue;
      }
      // the message keeps the file or overridden path it was about, unless it names it already
      const bool named = diagnostic.file == file_.string() || diagnostic.message.find(about) != std::string::npos;
      diagnostic.message = where.key + ": " + (named ? "" : "'" + about + "': ") + diagnostic.message;
      diagnostic.file = source.path ? *source.path : file_.string();
      diagnostic.line = static_cast<int>(source.begin.line);
      diagnostic.column = static_cast<int>(source.begin.column);
    }
    return InputError(diagnostics);
  }

  /// The entry of the experiment's `set` whose override `origin` ("--set PATH") names; nullptr for one given on
  /// the command line.
  static const toml::node* set_entry(const toml::table& settings, const std::string& origin) {
    const toml::node* set = settings.get("set");
    auto matches = [&](const toml::node& entry) {
      const auto text = entry.value<std::string>();
      return text && override_origin(text->substr(0, text->find('='))) == origin;
    };
    if (set && set->is_string()) return matches(*set) ? set : nullptr;
    if (const toml::array* list = set ? set->as_array() : nullptr)
      for (const auto& entry : *list)
        if (matches(entry)) return &entry;
    return nullptr;
  }

  void read_parameters(TableReader& root) {
    const toml::node* node = root.node("parameters");
    if (!node) {
      root.missing("parameters", "at least one [[parameters]] table with a path and a range");
      return;
    }
    const toml::array* array = node->as_array();
    if (!array || array->empty()) {
      diagnostics_.error(node->source(), "parameters: expected [[parameters]] tables, one per varied parameter");
      return;
    }
    for (const auto& element : *array) {
      if (!element.is_table()) {
        diagnostics_.error(place_of(&element, *node), "parameters: expected tables in [[parameters]]");
        continue;
      }
      TableReader reader(*element.as_table(), "parameters", diagnostics_);
      ParameterRange parameter;
      parameter.path = reader.required_string("path").value_or("");
      if (parameter.path.find('.') == std::string::npos && !parameter.path.empty())
        reader.error("path", "'" + shortened(parameter.path) + "' is not a parameter path", "paths look like actors.A.compliance");
      else if (!parameter.path.empty())
        // the path is a column of runs.csv and of a design table: each of its parts follows the rule of ids
        for (std::size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
          end = parameter.path.find('.', start);
          const auto part = std::string_view(parameter.path).substr(start, end == std::string::npos ? std::string::npos : end - start);
          if (const auto problem = id_problem(part, "each part of a parameter path"); !problem.empty()) {
            reader.error("path", "'" + shortened(parameter.path) + "': " + problem, "paths look like actors.A.compliance");
            break;
          }
        }
      for (const auto& other : experiment_.parameters)
        if (other.path == parameter.path) reader.error("path", "'" + shortened(parameter.path) + "' is varied twice");
      if (const toml::node* values = reader.node("values")) {
        const toml::array* list = values->as_array();
        if (!list || list->empty()) reader.error("values", "expected a non-empty list of numbers");
        else
          for (const auto& value : *list) {
            auto number = value.value<double>();
            if (!number || value.is_boolean() || !std::isfinite(*number)) reader.error("values", "expected finite numbers");
            else parameter.values.push_back(*number);
          }
      }
      auto low = reader.number("low", Range{});
      auto high = reader.number("high", Range{});
      if (parameter.values.empty() && !table_design()) {
        if (!reader.has("low")) reader.missing("low", "the lower end of the range (or 'values')");
        if (!reader.has("high")) reader.missing("high", "the upper end of the range (or 'values')");
      }
      if (low && high && *low > *high) reader.error("high", "the range's low (" + format_number(*low) + ") is above its high (" + format_number(*high) + ")");
      parameter.low = low.value_or(parameter.values.empty() ? 0.0 : *std::min_element(parameter.values.begin(), parameter.values.end()));
      parameter.high = high.value_or(parameter.values.empty() ? 0.0 : *std::max_element(parameter.values.begin(), parameter.values.end()));
      parameter.steps = static_cast<int>(reader.integer("steps", 1, 100000).value_or(3));
      reader.finish();
      experiment_.parameters.push_back(parameter);
      parameter_tables_.push_back(element.as_table());
    }
  }

  /// Whether the design is a table of points, which needs no ranges (read ahead of [design]).
  bool table_design() const {
    const toml::node* kind = root_.at_path("design.kind").node();
    return kind && kind->value<std::string>() == "table";
  }

  void read_design(TableReader& root) {
    DesignOptions& options = experiment_.design_options;
    options.seed = experiment_.seed;
    if (const toml::table* table = root.table("design")) {
      TableReader reader(*table, "design", diagnostics_);
      const std::vector<std::string> kinds = {"grid", "random", "lhs", "sobol", "morris", "table"};
      const std::string kind = reader.string("kind").value_or("grid");
      auto it = std::find(kinds.begin(), kinds.end(), kind);
      if (it == kinds.end()) reader.error("kind", "unknown design '" + kind + "'", suggestion(kind, kinds));
      else options.kind = static_cast<DesignKind>(it - kinds.begin());
      options.samples = static_cast<int>(reader.integer("samples", 1, 10'000'000).value_or(10));
      options.morris_levels = static_cast<int>(reader.integer("levels", 2, 1000).value_or(4));
      if (options.morris_levels % 2 != 0) reader.error("levels", "Morris levels must be even, so that Δ = p / (2 (p − 1)) lands on the grid");
      if (auto seed = reader.integer("seed", 0, std::numeric_limits<long long>::max())) options.seed = static_cast<std::uint64_t>(*seed);
      auto table_path = reader.string("table");
      if (options.kind == DesignKind::table && !table_path) reader.missing("table", "the CSV file of points");
      reader.finish();
      diagnostics_.throw_if_any();
      if (options.kind == DesignKind::table) {
        const std::string shown = (file_.parent_path() / *table_path).lexically_normal().string();
        try {
          options.table = read_table(file_.parent_path() / *table_path, shown, experiment_.parameters);
        } catch (const InputError& error) {
          throw placed(error, [&](const Diagnostic& diagnostic) -> Place {
            return {diagnostic.file == shown ? table->get("table") : nullptr, "design.table"};
          });
        }
      }
    }
    if (options.kind != DesignKind::grid && options.kind != DesignKind::table)
      for (std::size_t k = 0; k < experiment_.parameters.size(); ++k) {
        const auto& parameter = experiment_.parameters[k];
        // at the parameter's values, not at the top of the file
        const toml::table& table = *parameter_tables_[k];
        if (!parameter.values.empty() && parameter.low == parameter.high)
          diagnostics_.error(place_of(table.get("values"), table), "parameters.values: '" + parameter.path + "' has no range; a " +
                                                                      std::string(design_kind_name(options.kind)) + " design samples between low and high");
      }
    const toml::node* design_node = root_.get("design");
    if (options.kind == DesignKind::sobol && experiment_.parameters.size() > max_sobol_parameters)
      diagnostics_.error(design_node ? place_of(design_node->as_table() ? design_node->as_table()->get("kind") : nullptr, *design_node)
                                     : root.raw().source(), "parameters: " + std::to_string(experiment_.parameters.size()) + " parameters; a sobol design takes at most " +
                                                  std::to_string(max_sobol_parameters), "use a morris or lhs design");
    diagnostics_.throw_if_any();
    try {
      make_design_within_limits(options);
    } catch (const InputError& error) {
      // shown at [design], or at the first parameter when the file has none
      const toml::node* design = root_.get("design");
      const toml::node* where = design ? design : parameter_tables_.empty() ? nullptr : parameter_tables_.front();
      throw placed(error, [&](const Diagnostic& diagnostic) -> Place {
        return {diagnostic.file == file_.string() ? where : nullptr, design ? "design" : "parameters"};
      });
    }
  }

  void make_design_within_limits(const DesignOptions& options) {
    // counted before the design is made: a grid of many long axes would not fit in memory
    const std::size_t points = design_point_count(experiment_.parameters, options);
    if (points == 0) throw InputError(plain(file_.string(), "the design has no points", "give the table rows, or samples ≥ 1"));
    const auto replicates = static_cast<std::size_t>(experiment_.replicates);
    if (points > max_points || points > max_runs / replicates)
      throw InputError(plain(file_.string(), (points > max_points ? std::to_string(points) + " design points; at most " + std::to_string(max_points)
                                                                  : std::to_string(points * replicates) + " runs; at most " + std::to_string(max_runs)) +
                                                 " are allowed", "use fewer steps, samples or replicates"));
    experiment_.design = make_design(experiment_.parameters, options);
    if (experiment_.design.points.empty())
      throw InputError(plain(file_.string(), "the design has no points", "give the table rows, or samples ≥ 1"));
  }

  void read_metrics(TableReader& root) {
    const toml::node* node = root.node("metrics");
    const Model& model = experiment_.base.model;
    if (!node) {
      // by default, every target of the scenario
      for (std::size_t t = 0; t < experiment_.base.targets.size(); ++t) {
        Metric metric;
        metric.name = experiment_.base.targets[t].id;
        metric.kind = MetricKind::target;
        metric.target = static_cast<int>(t);
        experiment_.metrics.push_back(metric);
      }
      if (experiment_.metrics.empty()) root.missing("metrics", "[[metrics]] tables (the scenario has no targets to record by default)");
      return;
    }
    const toml::array* array = node->as_array();
    if (!array) {
      diagnostics_.error(node->source(), "metrics: expected [[metrics]] tables");
      return;
    }
    for (const auto& element : *array) {
      if (!element.is_table()) {
        diagnostics_.error(place_of(&element, *node), "metrics: expected tables in [[metrics]]");
        continue;
      }
      TableReader reader(*element.as_table(), "metrics", diagnostics_);
      Metric metric;
      metric.name = reader.required_string("name").value_or("");
      if (const auto problem = column_name_problem(metric.name, "a metric name"); reader.has("name") && !problem.empty())
        reader.error("name", problem, "it becomes a column of runs.csv");
      for (const auto& other : experiment_.metrics)
        if (other.name == metric.name) reader.error("name", "metric '" + metric.name + "' is defined twice");
      const std::vector<std::string> kinds = {"value", "first_below", "target"};
      const std::string kind = reader.string("kind").value_or("value");
      auto it = std::find(kinds.begin(), kinds.end(), kind);
      if (it == kinds.end()) {
        reader.error("kind", "unknown metric kind '" + kind + "'", suggestion(kind, kinds));
        reader.accept_all();  // which other keys belong depends on the kind
        reader.finish();
        continue;
      }
      metric.kind = static_cast<MetricKind>(it - kinds.begin());
      if (metric.kind == MetricKind::target) {
        std::vector<std::string> ids;
        for (const auto& target : experiment_.base.targets) ids.push_back(target.id);
        metric.target = lookup_id(reader, "target", ids, "target", true).value_or(-1);
      } else {
        if (auto probes = read_probes(reader, model, true)) metric.probe = probes->front();
        if (metric.kind == MetricKind::value) {
          if (!reader.has("date")) reader.missing("date", "the date the value is read at");
          metric.step = read_step(reader, "date", model).value_or(0);
        } else {
          if (metric.probe.quantity != Quantity::level) reader.error("quantity", "first_below follows a tie's level: give a channel");
          metric.step = reader.has("after") ? read_step(reader, "after", model).value_or(0) : 0;
          // above 0 (nothing falls below the bottom rung) and at most the top (or it is below from the start)
          Range ladder = Range::above(0);
          if (metric.probe.channel >= 0) ladder.high = model.channels[static_cast<std::size_t>(metric.probe.channel)].top_level();
          metric.level = reader.number("level", ladder).value_or(0);
          if (!reader.has("level")) reader.missing("level", "the level the tie falls below");
        }
      }
      reader.finish();
      experiment_.metrics.push_back(metric);
    }
  }

  /// A number strictly between `low` and `high` that is not whole, if there is one.
  static std::optional<double> fraction_between(double low, double high) {
    for (double share : {0.5, 0.25, 0.375, 0.125}) {
      const double value = low + (high - low) * share;
      if (value > low && value < high && value != std::round(value)) return value;
    }
    return std::nullopt;
  }

  /// Whether the scenario takes only whole numbers at parameter k: a fraction inside its range is refused
  /// while the same value rounded is taken. Such a parameter's design values are rounded to the nearest
  /// whole number (halves away from zero), so that no run fails for a fraction.
  bool takes_whole_numbers(std::size_t k) const {
    const auto& parameter = experiment_.parameters[k];
    const auto fraction = fraction_between(parameter.low, parameter.high);
    if (!fraction) return false;  // no fraction to take: low and high are whole and next to each other, or equal
    return !loads(parameter.path, *fraction) && loads(parameter.path, std::round(*fraction));
  }

  bool loads(const std::string& path, double value) const {
    auto overrides = experiment_.overrides;
    overrides.push_back(path + "=" + format_number(value));
    try {
      load_scenario(experiment_.scenario_path, overrides);
    } catch (const InputError&) {
      return false;
    }
    return true;
  }

  /// Every path must name a numeric value the scenario accepts: tried with the range's ends (with a
  /// table's first row). A path that takes whole numbers gets its design values rounded, before any run
  /// starts. A later table row the scenario refuses fails only its own runs.
  void check_parameter_paths() {
    for (std::size_t k = 0; k < experiment_.parameters.size(); ++k) {
      auto& parameter = experiment_.parameters[k];
      const bool table = experiment_.design_options.kind == DesignKind::table;
      if (!table && takes_whole_numbers(k)) {
        parameter.whole = true;
        if (std::ceil(parameter.low) > std::floor(parameter.high)) {
          const toml::node* where = parameter_tables_[k]->get("low");
          throw InputError(Diagnostic{where ? *where->source().path : file_.string(), where ? static_cast<int>(where->source().begin.line) : 0,
                                      where ? static_cast<int>(where->source().begin.column) : 0,
                                      "parameters.low: '" + parameter.path + "' takes whole numbers, and its range " + format_number(parameter.low) +
                                          " to " + format_number(parameter.high) + " holds none",
                                      "widen the range to include a whole number"});
        }
        for (auto& point : experiment_.design.points) point[k] = std::round(point[k]);
      }
      const std::vector<double> tried = table ? std::vector<double>{experiment_.design.points.front()[k]}
                                        : parameter.whole ? std::vector<double>{std::round(parameter.low), std::round(parameter.high)}
                                                          : std::vector<double>{parameter.low, parameter.high};
      for (double value : tried) {
        auto overrides = experiment_.overrides;
        overrides.push_back(parameter.path + "=" + format_number(value));
        try {
          load_scenario(experiment_.scenario_path, overrides);
        } catch (const InputError& error) {
          auto diagnostics = error.diagnostics();
          for (auto& diagnostic : diagnostics)
            if (diagnostic.hint.empty()) diagnostic.hint = "while trying parameter '" + parameter.path + "' = " + format_number(value);
          throw placed(InputError(diagnostics), [&](const Diagnostic& diagnostic) -> Place {
            return {diagnostic.file == override_origin(parameter.path) ? parameter_tables_[k]->get("path") : nullptr, "parameters.path"};
          });
        }
      }
    }
  }

  Experiment& experiment_;
  const toml::table& root_;
  fs::path file_;
  Diagnostics diagnostics_;
  std::vector<const toml::table*> parameter_tables_;  // one per parameter, for messages
};

Experiment parse_experiment(const std::string& text, const fs::path& path, const std::string& shown,
                            const std::vector<std::string>& overrides) {
  Experiment experiment;
  experiment.path = shown;
  experiment.sha256 = sha256_hex(text);
  toml::table root;
  check_toml_nesting(text, shown);  // toml++ would exhaust the stack on keys nested thousands deep
  try {
    root = toml::parse(text, shown);
  } catch (const toml::parse_error& error) {
    Diagnostics diagnostics;
    diagnostics.error(error.source(), "TOML syntax error: " + std::string(error.description()));
    diagnostics.throw_if_any();
  }
  ExperimentReader(experiment, root, path).read(overrides);
  return experiment;
}

}  // namespace

std::uint64_t Experiment::run_seed(std::size_t point, int replicate) const {
  if (common_random_numbers) return replicate_seed(seed, static_cast<std::uint64_t>(replicate));
  return combine_key({seed, static_cast<std::uint64_t>(point), static_cast<std::uint64_t>(replicate)}) >> 11;
}

std::vector<std::string> Experiment::point_overrides(std::size_t point) const {
  auto result = overrides;
  for (std::size_t k = 0; k < parameters.size(); ++k) result.push_back(parameters[k].path + "=" + format_number(design.points[point][k]));
  return result;
}

Experiment load_experiment(const fs::path& path, const std::vector<std::string>& overrides) {
  // anything but a regular file is refused before it is opened: a named pipe would block the read forever
  if (const auto problem = input_file_problem(path); !problem.empty())
    throw InputError(plain(path.string(), "cannot read experiment file: " + problem + (problem == "no such file" ? "" : ", expected a .toml file")));
  const auto text = read_limited(path, max_file_bytes);
  if (!text) throw InputError(plain(path.string(), "cannot read experiment file: permission denied or unreadable"));
  if (text->size() > max_file_bytes)
    throw InputError(plain(path.string(), "the experiment file is more than " + std::to_string(max_file_bytes >> 20) + " MiB",
                           "is this the right file?"));
  return load_experiment_text(*text, path, overrides);
}

Experiment load_experiment_text(const std::string& text, const fs::path& path, const std::vector<std::string>& overrides) {
  if (text.find('\0') != std::string::npos) throw InputError(plain(path.string(), "not a TOML file: it contains NUL bytes"));
  return parse_experiment(text, path, path.string(), overrides);
}

Experiment quick_experiment(const std::string& scenario, const std::vector<std::string>& vary,
                            const std::vector<std::string>& overrides, int replicates, std::uint64_t seed) {
  // the flags become an experiment file, so that they are checked exactly as a file would be
  std::ostringstream text;
  text << "[experiment]\nscenario = " << toml::value<std::string>(fs::absolute(scenario).string()) << "\nreplicates = " << replicates
       << "\nseed = " << seed << "\n[design]\nkind = \"grid\"\n";
  for (const auto& spec : vary) {
    // PATH=LOW:HIGH[:STEPS]
    const auto equals = spec.find('=');
    std::vector<std::string> parts;
    if (equals != std::string::npos) {
      std::stringstream stream(spec.substr(equals + 1));
      std::string part;
      while (std::getline(stream, part, ':')) parts.push_back(part);
    }
    // numbers are decimal, as in TOML and every other flag: "010" is refused, not read as 10 or 8
    const auto low = parts.size() >= 2 ? parse_decimal(parts[0]) : std::nullopt;
    const auto high = parts.size() >= 2 ? parse_decimal(parts[1]) : std::nullopt;
    const auto step_count = parts.size() == 3 ? parse_decimal_integer(parts[2]) : std::optional<long long>(3);
    if (equals == std::string::npos || equals == 0 || spec.back() == ':' || parts.size() < 2 || parts.size() > 3 || !low || !high || !step_count) {
      std::string why;
      for (std::size_t k = 0; k < parts.size() && k < 3 && why.empty(); ++k)
        if (const auto problem = decimal_integer_problem(parts[k]); problem.find("leading zeros") != std::string::npos || problem.find("prefix") != std::string::npos)
          why = ": '" + parts[k] + "': " + problem;
      throw InputError(plain("--vary " + spec, "expected PATH=LOW:HIGH or PATH=LOW:HIGH:STEPS, in decimal numbers" + why, "e.g. --vary actors.A.compliance=0:2:5"));
    }
    const long long steps = *step_count;
    const double low_value = low.value_or(0), high_value = high.value_or(0);
    if (low_value > high_value)
      throw InputError(plain("--vary " + spec, "LOW (" + format_number(low_value) + ") is above HIGH (" + format_number(high_value) + ")"));
    if (steps < 1 || steps > 100000) throw InputError(plain("--vary " + spec, "STEPS must be from 1 to 100000, got " + parts[2]));
    // numbers are written in TOML's own form: ".5" is taken here but not by TOML
    text << "[[parameters]]\npath = " << toml::value<std::string>(spec.substr(0, equals)) << "\nlow = " << format_number(low_value)
         << "\nhigh = " << format_number(high_value) << "\nsteps = " << steps << "\n";
  }
  return parse_experiment(text.str(), fs::current_path() / "command-line.toml", flags_experiment, overrides);
}

}  // namespace tiesim
