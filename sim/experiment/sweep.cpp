#include "experiment/sweep.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include "core/progress.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "experiment/distributed.hpp"
#include "core/parallel.hpp"
#include "run/simulate.hpp"
#include "experiment/validation.hpp"
#include "output/csv.hpp"
#include "core/version.hpp"
#include "output/json.hpp"
#include "output/output_directory.hpp"
#include "output/run_json.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/document.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {

Diagnostic plain(const std::string& file, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

/// The whole of a file the sweep wrote (a manifest, runs.csv); "" when it does not exist. Anything but a
/// regular file under that name is refused before it is opened: a named pipe would block forever.
std::string read_text(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  if (const auto problem = input_file_problem(path); !problem.empty())
    throw InputError(plain(path.string(), "cannot read it: " + problem + ", expected a file", "a sweep's directory holds the files tiesim wrote there"));
  auto text = read_limited(path, std::numeric_limits<std::uintmax_t>::max() - 1);
  if (!text) throw InputError(plain(path.string(), "cannot read it: permission denied or unreadable"));
  return std::move(*text);
}

/// Writes `text` to `path` through a temporary name, so the file appears whole.
/// Writes `text` to `path` through a temporary name, so the file appears whole. A failure names its cause
/// (a full disk, a file size limit) and leaves no temporary file behind.
void write_whole(const fs::path& path, const std::string& text) {
  const fs::path staged = path.parent_path() / ("." + path.filename().string() + ".partial-" + std::to_string(::getpid()));
  std::FILE* out = std::fopen(staged.c_str(), "wb");
  int error = out ? 0 : errno;
  if (out) {
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) error = errno;
    if (std::fflush(out) != 0 && error == 0) error = errno;
    if (std::fclose(out) != 0 && error == 0) error = errno;
  }
  std::error_code ec;
  if (error == 0) fs::rename(staged, path, ec);
  if (error != 0 || ec) {
    std::error_code ignored;
    fs::remove(staged, ignored);
    throw OutputError("cannot write '" + path.string() + "': " + (error != 0 ? std::string(std::strerror(error)) : ec.message()));
  }
}

/// Everything that makes two sweeps the same experiment: resume and merge refuse anything else.
std::string experiment_key(const Experiment& experiment) {
  std::string material = std::string(version) + "\n" + experiment.sha256 + "\n";
  for (const auto& setting : experiment.overrides) material += setting + "\n";
  for (const auto& file : experiment.base.document.files) material += file.sha256 + "\n";
  return sha256_hex(material);
}

/// Metrics of one run, read as it goes: values at their step, first crossings, target hits.
class MetricObserver : public Observer {
 public:
  MetricObserver(const Experiment& experiment, const Scenario& scenario)
      : experiment_(experiment), targets_(scenario.model, scenario.targets), values_(experiment.metrics.size()) {
    for (const auto& metric : experiment.metrics) needs_targets_ |= metric.kind == MetricKind::target;
  }
  void start(const Model& model, const State& state) override {
    if (needs_targets_) targets_.start(model, state);
  }
  bool wants_terms(int) const override { return false; }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override {
    if (needs_targets_) targets_.observe(model, state, step, record);
    for (std::size_t m = 0; m < experiment_.metrics.size(); ++m) {
      const Metric& metric = experiment_.metrics[m];
      if (metric.kind == MetricKind::value && step == metric.step) values_[m] = probe_value(model, state, metric.probe);
      if (metric.kind == MetricKind::first_below && !values_[m] && step >= metric.step &&
          probe_value(model, state, metric.probe) < metric.level)
        values_[m] = static_cast<double>(step);
    }
    if (step == model.calendar.step_count() - 1)
      if (auto breach = check_invariants(model, state)) throw std::runtime_error("numeric failure: " + *breach);
  }
  /// The metric fields of the row, comma-separated.
  std::string fields(const Model& model) const {
    std::string text;
    const auto hits = needs_targets_ ? targets_.hits() : std::vector<char>{};
    for (std::size_t m = 0; m < experiment_.metrics.size(); ++m) {
      const Metric& metric = experiment_.metrics[m];
      text += ',';
      if (metric.kind == MetricKind::target) text += hits[static_cast<std::size_t>(metric.target)] ? "1" : "0";
      else if (!values_[m]) continue;  // never happened: empty
      else if (metric.kind == MetricKind::first_below) text += model.calendar.date_of(static_cast<int>(*values_[m])).iso();
      else text += format_number(*values_[m]);
    }
    return text;
  }

 private:
  const Experiment& experiment_;
  TargetObserver targets_;
  bool needs_targets_ = false;
  std::vector<std::optional<double>> values_;
};

struct RunRow {
  std::string text;  // with its line end
  bool failed = false;
};

/// One row of runs.csv. Never throws for a failing run (only when interrupted): the failure is the row.
RunRow run_row(const Experiment& experiment, std::size_t run, std::optional<std::pair<std::size_t, Scenario>>& cache) {
  const std::size_t point = run / static_cast<std::size_t>(experiment.replicates);
  const int replicate = static_cast<int>(run % static_cast<std::size_t>(experiment.replicates));
  const std::uint64_t seed = experiment.run_seed(point, replicate);
  std::string row = std::to_string(run) + "," + std::to_string(point) + "," + std::to_string(replicate) + "," +
                    std::to_string(seed) + "," + experiment.design.roles[point];
  for (double value : experiment.design.points[point]) row += "," + format_number(value);
  std::string metrics, status = "ok";
  try {
    if (!cache || cache->first != point) cache.emplace(point, load_scenario(experiment.scenario_path, experiment.point_overrides(point)));
    MetricObserver observer(experiment, cache->second);
    simulate(cache->second.model, seed, observer);
    metrics = observer.fields(cache->second.model);
  } catch (const Interrupted&) {
    throw;
  } catch (const InputError& error) {
    status = "error: " + error.diagnostics().front().message;
  } catch (const std::exception& error) {
    status = std::string("error: ") + error.what();
  }
  if (status != "ok") metrics.assign(experiment.metrics.size(), ',');
  // one line per run, always: resume and merge count rows by line ends
  std::replace_if(status.begin(), status.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
  return {row + metrics + "," + CsvFile::escaped(status) + "\n", status != "ok"};
}

/// The runs of an experiment as work for threads or ranks; each copy keeps its own cache of the last
/// point's scenario, so it must be used by one thread at a time.
RunWork sweep_work(const Experiment& experiment) {
  auto cache = std::make_shared<std::optional<std::pair<std::size_t, Scenario>>>();
  return {[&experiment, cache](std::size_t run) {
    RunRow row = run_row(experiment, run, *cache);
    return std::make_pair(std::move(row.text), row.failed);
  }};
}

std::string manifest_json(const Experiment& experiment, const SweepOptions& options, const std::string& started,
                          const std::string& finished, double elapsed, std::size_t failed) {
  using nlohmann::ordered_json;
  ordered_json manifest;
  manifest["program"] = {{"name", "tiesim"}, {"version", version}};
  manifest["key"] = experiment_key(experiment);
  manifest["experiment"] = {{"path", experiment.path}, {"sha256", experiment.sha256}};
  ordered_json files = ordered_json::array();
  for (const auto& file : experiment.base.document.files) files.push_back({{"path", file.path}, {"sha256", file.sha256}});
  manifest["scenario"] = {{"path", experiment.scenario_path}, {"files", files}};
  manifest["overrides"] = experiment.overrides;
  manifest["design"] = {{"kind", design_kind_name(experiment.design_options.kind)},
                        {"samples", experiment.design_options.samples},
                        {"levels", experiment.design_options.morris_levels},
                        {"seed", experiment.design_options.seed},
                        {"points", experiment.design.points.size()}};
  ordered_json parameters = ordered_json::array();
  for (const auto& parameter : experiment.parameters) {
    ordered_json entry = {{"path", parameter.path}, {"low", parameter.low}, {"high", parameter.high}};
    if (parameter.whole) entry["whole"] = true;
    parameters.push_back(std::move(entry));
  }
  manifest["parameters"] = parameters;
  ordered_json metrics = ordered_json::array();
  for (const auto& metric : experiment.metrics) metrics.push_back(metric.name);
  manifest["metrics"] = metrics;
  manifest["replicates"] = experiment.replicates;
  manifest["seed"] = experiment.seed;
  manifest["common_random_numbers"] = experiment.common_random_numbers;
  manifest["runs"] = experiment.run_count();
  manifest["shard"] = {{"index", options.shard_index + 1}, {"count", options.shard_count}};
  manifest["started"] = started;
  manifest["finished"] = finished;
  manifest["elapsed_seconds"] = elapsed;
  manifest["failed_runs"] = failed;
  return json_document(manifest);
}

/// What resume and merge need of a manifest.json: which experiment, which shard, how many runs.
struct ManifestFields {
  std::string key;
  std::size_t shard_index = 0, shard_count = 0, runs = 0;
};

/// Reads a manifest written by tiesim sweep; one that is not JSON or lacks a field is an InputError naming the
/// file and what is wrong.
ManifestFields read_manifest(const fs::path& path) {
  const std::string hint = "was it edited? run or --resume that shard again";
  const nlohmann::ordered_json manifest = read_json(path, "a manifest of tiesim sweep", hint);
  auto refuse = [&](const std::string& message) { return InputError(plain(path.string(), message, hint)); };
  if (!manifest.is_object()) throw refuse("not a manifest of tiesim sweep: not a JSON object");
  // a manifest that lacks one of these was not written by tiesim sweep, or was edited
  auto field = [&](const nlohmann::ordered_json& object, const std::string& key, const std::string& name) {
    const auto found = object.find(key);
    if (found == object.end()) throw refuse("not a manifest of tiesim sweep: no \"" + name + "\"");
    return *found;
  };
  auto number = [&](const nlohmann::ordered_json& object, const std::string& key, const std::string& name) {
    const nlohmann::ordered_json value = field(object, key, name);
    if (!value.is_number_unsigned()) throw refuse("\"" + name + "\" is not a whole number");
    return value.get<std::size_t>();
  };
  ManifestFields fields;
  const nlohmann::ordered_json key = field(manifest, "key", "key");
  if (!key.is_string() || key.get_ref<const std::string&>().empty()) throw refuse("\"key\": expected a non-empty string");
  fields.key = key.get<std::string>();
  const nlohmann::ordered_json shard = field(manifest, "shard", "shard");
  if (!shard.is_object()) throw refuse("\"shard\" is not an object");
  fields.shard_index = number(shard, "index", "shard.index");
  fields.shard_count = number(shard, "count", "shard.count");
  fields.runs = number(manifest, "runs", "runs");
  return fields;
}

/// Counts complete rows after the header and cuts off a final partial line; returns the row count.
std::size_t complete_prefix(const fs::path& path) {
  const std::string text = read_text(path);
  const auto last = text.rfind('\n');
  const std::size_t keep = last == std::string::npos ? 0 : last + 1;
  std::error_code ec;
  if (keep != text.size()) fs::resize_file(path, keep, ec);
  if (ec) throw OutputError("cannot cut the torn last line of '" + path.string() + "': " + ec.message() + "; make the directory writable and --resume again");
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(keep), '\n'));
  return lines > 0 ? lines - 1 : 0;
}

/// Writes the gzip copy; a failure names its cause and removes the incomplete copy.
void gzip_file(const fs::path& from, const fs::path& to) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  int error = in ? 0 : errno;
  gzFile out = in ? gzopen(to.c_str(), "wb6") : nullptr;
  if (in && !out) error = errno;
  bool ok = in && out;
  if (ok) {
    char chunk[1 << 16];
    std::size_t count;
    while (ok && (count = std::fread(chunk, 1, sizeof chunk, in)) > 0) {
      ok = gzwrite(out, chunk, static_cast<unsigned>(count)) == static_cast<int>(count);
      if (!ok) error = errno;
    }
  }
  if (in) std::fclose(in);
  // gzclose flushes what is buffered: a full disk often shows only here
  if (out && gzclose(out) != Z_OK && ok) ok = false, error = errno;
  if (!ok) {
    std::error_code ignored;
    fs::remove(to, ignored);
    throw OutputError("cannot write '" + to.string() + "': " + (error != 0 ? std::strerror(error) : "compression failed"));
  }
}

}  // namespace

std::string runs_header(const Experiment& experiment) {
  std::string header = "run,point,replicate,seed,role";
  for (const auto& parameter : experiment.parameters) header += "," + CsvFile::escaped(parameter.path);
  for (const auto& metric : experiment.metrics) header += "," + metric.name;
  return header + ",status";
}

namespace {

std::optional<std::size_t> whole_number(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RunsTable parse_runs_table(std::string_view text, const std::string& shown, std::size_t first_run) {
  auto problem = [&](std::size_t line, std::string message, std::string hint = {}) {
    return InputError(Diagnostic{shown, static_cast<int>(line), 1, std::move(message), std::move(hint)});
  };
  if (text.empty()) throw InputError(Diagnostic{shown, 0, 0, "empty file", "expected the runs.csv of a sweep"});
  // strtod would stop at a NUL inside a value and take what came before it
  if (const auto nul = text.find('\0'); nul != std::string_view::npos)
    throw problem(static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n')) + 1,
                  "not a text file: it contains NUL bytes", "expected the runs.csv of a sweep");
  RunsTable table;
  std::size_t line = 0;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    ++line;
    if (end == std::string_view::npos)
      throw problem(line, "the last line has no line end: the sweep was stopped while writing it", "finish it with tiesim sweep --resume");
    std::string_view content = text.substr(start, end - start);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);  // edited on Windows
    start = end + 1;
    auto fields = split_csv_line(content);
    if (line == 1) {
      const std::vector<std::string> leading = {"run", "point", "replicate", "seed", "role"};
      if (fields.size() < leading.size() + 1 || !std::equal(leading.begin(), leading.end(), fields.begin()) || fields.back() != "status")
        throw problem(line, "not a runs.csv of tiesim sweep: expected columns run,point,replicate,seed,role,…,status");
      for (std::size_t k = 0; k < fields.size(); ++k) {
        if (fields[k].empty()) throw problem(line, "column " + std::to_string(k + 1) + " has no name");
        if (std::find(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(k), fields[k]) != fields.begin() + static_cast<std::ptrdiff_t>(k))
          throw problem(line, "column '" + fields[k] + "' appears twice");
      }
      table.header = std::move(fields);
      continue;
    }
    if (fields.size() != table.header.size())
      throw problem(line, "expected " + std::to_string(table.header.size()) + " fields, as in the header, got " + std::to_string(fields.size()));
    const std::size_t expected = first_run + table.rows.size();
    if (whole_number(fields[0]) != expected)
      throw problem(line, "expected run " + std::to_string(expected) + ", got '" + fields[0] + "'",
                    "rows were removed, reordered or added; rerun or --resume the sweep, and join shards with tiesim merge");
    for (std::size_t k = 1; k <= 3; ++k)
      if (!whole_number(fields[k])) throw problem(line, table.header[k] + ": expected a whole number, got '" + fields[k] + "'");
    if (fields.back() != "ok" && fields.back().rfind("error", 0) != 0)
      throw problem(line, "status: expected 'ok' or 'error: …', got '" + fields.back() + "'");
    table.rows.push_back(std::move(fields));
  }
  return table;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  // decimal, as every numeric flag: stoi would take " 2", "+2" and "02"
  const auto index_read = slash == std::string::npos ? std::nullopt : parse_decimal_integer(std::string_view(text).substr(0, slash));
  const auto count_read = slash == std::string::npos ? std::nullopt : parse_decimal_integer(std::string_view(text).substr(slash + 1));
  const bool ok = index_read && count_read && *count_read <= 1'000'000;
  const int index = ok ? static_cast<int>(*index_read) : 0, count = ok ? static_cast<int>(*count_read) : 0;
  if (!ok || count < 1 || index < 1 || index > count)
    throw InputError(plain("--shard " + text, "expected K/N with 1 ≤ K ≤ N, e.g. --shard 2/8", "K counts from 1, as Slurm's array indices may"));
  return {index - 1, count};
}

std::pair<std::size_t, std::size_t> shard_runs(std::size_t run_count, int shard_index, int shard_count) {
  const auto count = static_cast<std::size_t>(shard_count);
  return {run_count * static_cast<std::size_t>(shard_index) / count, run_count * static_cast<std::size_t>(shard_index + 1) / count};
}

SweepSummary run_sweep(const Experiment& experiment, const SweepOptions& options, const fs::path& directory) {
  // under mpirun, ranks other than 0 only compute what rank 0 hands them
  if (process_rank() > 0) {
    serve_runs(sweep_work(experiment));
    return {};
  }
  const auto clock_start = std::chrono::steady_clock::now();
  const std::string started = utc_now();
  const fs::path runs_path = directory / "runs.csv.partial";
  const fs::path partial_manifest = directory / "manifest.partial.json";
  const fs::path manifest = directory / "manifest.json";
  const std::string key = experiment_key(experiment);
  // not a structured binding: lambdas below capture these, which clang before 16 refuses
  const auto shard_range = shard_runs(experiment.run_count(), options.shard_index, options.shard_count);
  const std::size_t first_run = shard_range.first, end_run = shard_range.second;

  // the directory: new, or a stopped sweep of this very experiment when resuming; never overwritten
  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec))
    throw InputError(plain(directory.string(), "output exists and is not a directory"));
  for (const fs::path& existing : {manifest, partial_manifest}) {
    if (!fs::exists(existing, ec)) continue;
    if (!options.resume)
      throw InputError(plain(directory.string(), "the directory already holds a sweep; nothing was overwritten",
                             "add --resume to continue it, or choose another -o"));
    const ManifestFields found = read_manifest(existing);
    if (found.key != key || found.shard_index != static_cast<std::size_t>(options.shard_index + 1) ||
        found.shard_count != static_cast<std::size_t>(options.shard_count))
      throw InputError(plain(existing.string(), "--resume: the directory holds another experiment (or another shard, or another program version)",
                             "resume with the same experiment file, scenario, --set values and --shard, or choose another -o"));
    if (existing == manifest) {
      SweepSummary done;
      done.runs_done = end_run - first_run;
      return done;  // already complete
    }
  }
  if (options.resume && !fs::exists(partial_manifest, ec))
    throw InputError(plain(directory.string(), "--resume: no stopped sweep in this directory", "run without --resume to start one"));
  if (!options.resume && fs::exists(directory / "runs.csv", ec))
    throw InputError(plain(directory.string(), "the directory already holds runs.csv; nothing was overwritten", "choose another -o"));
  fs::create_directories(directory, ec);
  if (ec) throw InputError(plain(directory.string(), "cannot create output directory: " + ec.message(), "choose another -o"));
  // a sweep killed with SIGKILL leaves hidden partial files nothing else would remove
  remove_stale_files(directory);

  std::size_t done = 0;
  std::FILE* out = nullptr;
  if (options.resume) {
    // stopped between its last two renames: the runs are complete, only the manifest's name is missing
    if (!fs::exists(runs_path, ec) && fs::exists(directory / ".manifest.json.complete", ec) &&
        (fs::exists(directory / "runs.csv", ec) || fs::exists(directory / "runs.csv.gz", ec))) {
      fs::rename(directory / ".manifest.json.complete", manifest);
      fs::remove(partial_manifest, ec);
      SweepSummary complete;
      complete.runs_done = end_run - first_run;
      return complete;
    }
    if (!fs::exists(runs_path, ec))
      throw InputError(plain(runs_path.string(), "--resume: the stopped sweep's runs.csv.partial is missing", "start the sweep again in another -o"));
    done = complete_prefix(runs_path);
    out = std::fopen(runs_path.c_str(), "ab");
    if (!out) throw OutputError("cannot append to '" + runs_path.string() + "': " + std::strerror(errno) + "; make the directory writable and --resume again");
    // stopped before even its header reached the disk: complete_prefix left the file empty
    if (out && fs::file_size(runs_path, ec) == 0 && !ec) std::fprintf(out, "%s\n", runs_header(experiment).c_str());
  } else {
    out = std::fopen(runs_path.c_str(), "wb");
    if (out) std::fprintf(out, "%s\n", runs_header(experiment).c_str());
  }
  if (!out) throw InputError(plain(directory.string(), "cannot write in the output directory", "choose another -o"));
  // the header on disk before anything else: a sweep killed before its first row must not resume without it
  if (std::fflush(out) != 0) {
    std::fclose(out);
    throw OutputError("cannot write '" + runs_path.string() + "' (disk full?)");
  }
  write_whole(partial_manifest, manifest_json(experiment, options, started, "", 0, 0));

  // runs finish out of order; rows are written strictly in run order, so memory stays bounded by the
  // handful of runs in flight
  std::mutex mutex;
  std::map<std::size_t, std::string> finished;
  std::size_t next_to_write = first_run + done;
  std::size_t failed = 0;
  bool write_failed = false;
  int write_error = 0;  // errno of the first failed write, for the message
  std::atomic<std::size_t> next_run{first_run + done};
  const std::size_t total = end_run - first_run;
  ProgressLine progress("runs", total, done, !options.quiet);

  auto deliver = [&](std::size_t run, std::string text, bool run_failed) {
    std::lock_guard lock(mutex);
    failed += run_failed ? 1 : 0;
    finished.emplace(run, std::move(text));
    // after a failed write nothing more is written (stdio drops what it could not write, and a later write
    // that succeeded would leave a gap), so the file stays a prefix that --resume can continue; no new runs start
    for (auto it = finished.find(next_to_write); it != finished.end(); it = finished.find(next_to_write)) {
      if (!write_failed && std::fwrite(it->second.data(), 1, it->second.size(), out) != it->second.size()) write_failed = true, write_error = errno;
      finished.erase(it);
      ++next_to_write;
    }
    if (!write_failed && std::fflush(out) != 0) write_failed = true, write_error = errno;
    if (write_failed) next_run.store(end_run);
    progress.update(next_to_write - first_run);
  };

  std::exception_ptr stopped;
  try {
    if (process_count() > 1) {
      coordinate_runs(first_run + done, end_run, sweep_work(experiment), deliver);
    } else {
      const int threads = thread_count(options.threads, static_cast<int>(std::min<std::size_t>(total - done, 1 << 20)) + 1);
      for_each_task(threads, threads, [&](int) {
        const RunWork work = sweep_work(experiment);
        for (std::size_t run = next_run++; run < end_run; run = next_run++) {
          auto [text, run_failed] = work.compute(run);
          deliver(run, std::move(text), run_failed);
        }
      });
    }
  } catch (const Interrupted&) {
    stopped = std::current_exception();
  }
  const bool closed = std::fclose(out) == 0;
  if (!closed && !write_failed) write_error = errno;
  if (write_failed || !closed)
    throw OutputError("cannot write '" + runs_path.string() + "': " + (write_error != 0 ? std::strerror(write_error) : "disk full?") +
                      "; resume with --resume once there is room");
  progress.finish();
  if (stopped) std::rethrow_exception(stopped);

  // complete: first everything that needs room on the disk (the gzip copy, the manifest), under temporary
  // names, so that a full disk leaves a stopped sweep --resume can finish; then the renames, runs first
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  const fs::path staged_manifest = directory / ".manifest.json.complete";
  if (options.gzip) gzip_file(runs_path, directory / ".runs.csv.gz.partial");
  write_whole(staged_manifest, manifest_json(experiment, options, started, utc_now(), elapsed, failed));
  auto rename = [](const fs::path& from, const fs::path& to) {
    std::error_code error;
    fs::rename(from, to, error);
    if (error) throw OutputError("cannot rename '" + from.string() + "' to '" + to.filename().string() + "': " + error.message());
  };
  if (options.gzip) {
    rename(directory / ".runs.csv.gz.partial", directory / "runs.csv.gz");
    fs::remove(runs_path, ec);
  } else {
    rename(runs_path, directory / "runs.csv");
    fs::remove(directory / ".runs.csv.gz.partial", ec);  // left by an earlier --gzip attempt that failed
  }
  rename(staged_manifest, manifest);
  fs::remove(partial_manifest, ec);
  SweepSummary summary;
  summary.runs_done = total;
  summary.runs_failed = failed;
  summary.elapsed_seconds = elapsed;
  return summary;
}

void merge_shards(const std::vector<fs::path>& shards, const fs::path& directory) {
  if (shards.empty()) throw InputError(plain("merge", "no shard directories given"));
  struct Shard {
    fs::path path;
    std::string key;
    std::size_t index = 0, count = 0, runs = 0;
  };
  std::vector<Shard> given;
  for (const auto& path : shards) {
    std::error_code ec;
    const fs::path manifest = path / "manifest.json";
    if (!fs::exists(manifest, ec))
      throw InputError(plain(path.string(), "not a finished sweep (no manifest.json)", "finish or --resume that shard first"));
    if (!fs::exists(path / "runs.csv", ec)) throw InputError(plain(path.string(), "no runs.csv (merge reads uncompressed shards)"));
    const ManifestFields fields = read_manifest(manifest);
    Shard shard;
    shard.path = path;
    shard.key = fields.key;
    shard.index = fields.shard_index;
    shard.count = fields.shard_count;
    shard.runs = fields.runs;
    given.push_back(std::move(shard));
  }
  const Shard& first = given.front();
  std::map<std::size_t, const Shard*> by_index;  // a map: the count is read from a file and may be absurd
  for (const Shard& shard : given) {
    if (shard.key != first.key || shard.count != first.count || shard.runs != first.runs)
      throw InputError(plain(shard.path.string(), "belongs to another experiment than " + first.path.string()));
    if (shard.index < 1 || shard.index > first.count || !by_index.emplace(shard.index, &shard).second)
      throw InputError(plain(shard.path.string(), "shard " + std::to_string(shard.index) + " is given twice or is out of range"));
  }
  std::vector<const Shard*> order;
  for (std::size_t index = 1; index <= first.count; ++index) {
    const auto found = by_index.find(index);
    if (found == by_index.end())
      throw InputError(plain("merge", "shard " + std::to_string(index) + "/" + std::to_string(first.count) + " is missing"));
    order.push_back(found->second);
  }

  // every row checked before anything is written: the shards must hold runs 0 … runs − 1, in order, once each
  std::vector<std::string> texts;
  std::vector<std::string> header;
  std::size_t next_run = 0;
  for (const Shard* shard : order) {
    const fs::path part = shard->path / "runs.csv";
    texts.push_back(read_text(part));
    const RunsTable table = parse_runs_table(texts.back(), part.string(), next_run);
    if (header.empty()) header = table.header;
    else if (table.header != header) throw InputError(Diagnostic{part.string(), 1, 1, "the header differs from the first shard's", ""});
    const auto [from, to] = shard_runs(first.runs, static_cast<int>(shard->index - 1), static_cast<int>(first.count));
    if (table.rows.size() != to - from)
      throw InputError(plain(part.string(), "holds " + std::to_string(table.rows.size()) + " runs; shard " + std::to_string(shard->index) + "/" +
                                                std::to_string(first.count) + " has " + std::to_string(to - from)));
    next_run += table.rows.size();
  }

  std::error_code ec;
  fs::create_directories(directory, ec);
  if (fs::exists(directory / "runs.csv", ec)) throw InputError(plain(directory.string(), "already holds runs.csv; nothing was overwritten"));
  remove_stale_files(directory);
  std::string joined;
  for (std::size_t index = 0; index < texts.size(); ++index)
    joined += index == 0 ? texts[index] : texts[index].substr(texts[index].find('\n') + 1);
  write_whole(directory / "runs.csv", joined);
  // the first shard's manifest, marked as the whole experiment
  nlohmann::ordered_json merged = read_json(order.front()->path / "manifest.json", "a manifest of tiesim sweep", "");
  merged["shard"] = {{"index", 0}, {"count", first.count}, {"merged", true}};
  write_whole(directory / "manifest.json", json_document(merged));
}

}  // namespace tiesim
