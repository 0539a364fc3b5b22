#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

#include "experiment/sweep.hpp"
#include "run/simulate.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/reader.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::read_text;
using tiesim::test::source_path;
using tiesim::test::TempDir;

namespace {

std::string experiment_text(const std::string& design, const std::string& extra = "") {
  return "[experiment]\nscenario = \"" + source_path("scenarios/minimal.toml").generic_string() + "\"\nreplicates = 3\nseed = 5\n" + design +
         R"(
[[parameters]]
path = "actors.MID.pressure_sensitivity"
low = 0.5
high = 4

[[parameters]]
path = "regimes.un_sanctions.enforcement"
low = 0.2
high = 2

[[metrics]]
name = "trade_cut"
kind = "first_below"
from = "MID"
to = "PAR"
channel = "trade"
level = 1

[[metrics]]
name = "pressure"
kind = "value"
quantity = "pressure"
from = "MID"
date = 2008-01-01
)" + extra;
}

SweepOptions quiet(int threads) {
  SweepOptions options;
  options.threads = threads;
  options.quiet = true;
  return options;
}

/// "file.toml:LINE:" of the first line of `text` holding `needle`.
std::string place(const std::string& file, const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  return file + ":" + std::to_string(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1) + ":";
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

/// Runs the experiment as `count` shards into DIR/shard0 … and returns their directories.
std::vector<std::filesystem::path> run_shards(const Experiment& experiment, int count, const TempDir& dir) {
  std::vector<std::filesystem::path> shards;
  for (int k = 0; k < count; ++k) {
    SweepOptions options = quiet(1);
    options.shard_index = k;
    options.shard_count = count;
    shards.push_back(dir / ("shard" + std::to_string(k)));
    run_sweep(experiment, options, shards.back());
  }
  return shards;
}

}  // namespace

TEST_CASE("sweeps give the same runs.csv on 1 and 2 threads", "[sweep][determinism]") {
  TempDir dir;
  const Experiment experiment = load_experiment(dir.write("e.toml", experiment_text("[design]\nkind = \"lhs\"\nsamples = 12\n")));
  run_sweep(experiment, quiet(1), dir / "one");
  run_sweep(experiment, quiet(2), dir / "two");
  const std::string one = read_text(dir / "one" / "runs.csv");
  CHECK(one == read_text(dir / "two" / "runs.csv"));
  // header, then 12 points × 3 replicates in run order
  CHECK(one.substr(0, one.find('\n')) ==
        "run,point,replicate,seed,role,actors.MID.pressure_sensitivity,regimes.un_sanctions.enforcement,trade_cut,pressure,status");
  CHECK(std::count(one.begin(), one.end(), '\n') == 1 + 36);
  CHECK(one.find("\n35,11,2,") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "one" / "manifest.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "one" / "runs.csv.partial"));
}

TEST_CASE("common random numbers: replicate r has the same seed at every point", "[sweep]") {
  TempDir dir;
  const Experiment shared = load_experiment(dir.write("a.toml", experiment_text("[design]\nkind = \"grid\"\n")));
  CHECK(shared.run_seed(0, 1) == shared.run_seed(5, 1));
  CHECK(shared.run_seed(0, 1) != shared.run_seed(0, 2));
  const Experiment independent = load_experiment(dir.write("b.toml", [] {
    auto text = experiment_text("[design]\nkind = \"grid\"\n");
    return text.insert(text.find("seed = 5\n") + 9, "common_random_numbers = false\n");
  }()));
  CHECK(independent.run_seed(0, 1) != independent.run_seed(5, 1));
}

TEST_CASE("a sweep stopped at any point resumes to the same bytes", "[sweep][resume]") {
  TempDir dir;
  const Experiment experiment = load_experiment(dir.write("e.toml", experiment_text("[design]\nkind = \"random\"\nsamples = 40\n")));
  run_sweep(experiment, quiet(2), dir / "whole");
  const std::string whole = read_text(dir / "whole" / "runs.csv");
  for (int stop_after : {1, 17, 60, 119}) {
    INFO("stop after " << stop_after << " rows");
    const auto out = dir / ("stopped" + std::to_string(stop_after));
    // a watcher asks for a stop once enough rows are on disk; whatever prefix results must resume exactly
    std::atomic<bool> done{false};
    std::thread watcher([&] {
      while (!done) {
        const std::string partial = read_text(out / "runs.csv.partial");
        if (std::count(partial.begin(), partial.end(), '\n') > stop_after) request_stop();
        std::this_thread::yield();
      }
    });
    bool interrupted = false;
    try {
      run_sweep(experiment, quiet(2), out);
    } catch (const Interrupted&) {
      interrupted = true;
    }
    done = true;
    watcher.join();
    clear_stop();
    if (interrupted) {
      CHECK(std::filesystem::exists(out / "manifest.partial.json"));
      CHECK_FALSE(std::filesystem::exists(out / "runs.csv"));
      // a torn last line, as a kill mid-write would leave, is cut on resume
      std::ofstream(out / "runs.csv.partial", std::ios::app) << "999,99,0,123,ran";
    }
    SweepOptions resume = quiet(1);
    resume.resume = true;
    run_sweep(experiment, resume, out);
    CHECK(read_text(out / "runs.csv") == whole);
  }
}

TEST_CASE("shards merge into the single-process result", "[sweep][shard]") {
  TempDir dir;
  const Experiment experiment = load_experiment(dir.write("e.toml", experiment_text("[design]\nkind = \"grid\"\n")));
  run_sweep(experiment, quiet(2), dir / "whole");
  const auto shards = run_shards(experiment, 3, dir);
  merge_shards({shards[2], shards[0], shards[1]}, dir / "merged");
  CHECK(read_text(dir / "merged" / "runs.csv") == read_text(dir / "whole" / "runs.csv"));
  CHECK_THAT(error_of([&] { merge_shards({shards[0], shards[1]}, dir / "incomplete"); }), Catch::Contains("shard 3/3 is missing"));
  CHECK_THAT(error_of([&] { merge_shards({shards[0], shards[0], shards[1]}, dir / "twice"); }), Catch::Contains("given twice"));
}

TEST_CASE("every column name a sweep writes is read back as itself by its own readers", "[sweep][output]") {
  // names at the edges of the rule for columns: 64 characters, leading '-' or '_', digits only, a fixed
  // column's name with something more
  const std::vector<std::string> names = {std::string(64, 'm'), "-lead", "_under", "2017", "status_2", "Run-2"};
  std::string metrics;
  for (const auto& name : names) {
    CHECK(column_name_problem(name, "a metric name").empty());
    metrics += "\n[[metrics]]\nname = \"" + name + "\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2008-01-01\n";
  }
  TempDir dir;
  const Experiment experiment = load_experiment(dir.write("e.toml", experiment_text("[design]\nkind = \"grid\"\n", metrics)));
  const auto shards = run_shards(experiment, 2, dir);
  merge_shards(shards, dir / "merged");
  const RunsTable table = parse_runs_table(read_text(dir / "merged" / "runs.csv"), "runs.csv");
  std::vector<std::string> expected = {"run", "point", "replicate", "seed", "role"};
  for (const auto& parameter : experiment.parameters) expected.push_back(parameter.path);
  for (const auto& metric : experiment.metrics) expected.push_back(metric.name);
  expected.push_back("status");
  CHECK(table.header == expected);
  CHECK(table.rows.size() == experiment.design.points.size() * 3);
}

TEST_CASE("a parameter the scenario takes as a whole number gets whole values in any design, and no run fails", "[sweep]") {
  TempDir dir;
  for (const std::string kind : {"lhs", "random", "sobol", "morris", "grid"}) {
    INFO(kind);
    const std::string text = "[experiment]\nscenario = \"" + source_path("scenarios/minimal.toml").generic_string() +
                             "\"\nreplicates = 1\n[design]\nkind = \"" + kind + "\"\nsamples = 4\n"
                             "[[parameters]]\npath = \"scenario.spinup_steps\"\nlow = 0\nhigh = 11\nsteps = 4\n"
                             "[[parameters]]\npath = \"actors.MID.compliance\"\nlow = 0\nhigh = 1.5\n"
                             "[[metrics]]\nname = \"p\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2006-01-01\n";
    const Experiment experiment = load_experiment(dir.write(kind + ".toml", text));
    CHECK(experiment.parameters[0].whole);
    CHECK_FALSE(experiment.parameters[1].whole);
    bool fractional_compliance = false;
    for (const auto& point : experiment.design.points) {
      CHECK(point[0] == std::round(point[0]));
      fractional_compliance |= point[1] != std::round(point[1]);
    }
    CHECK(fractional_compliance);  // the other parameter is left alone
    const SweepSummary summary = run_sweep(experiment, quiet(1), dir / kind);
    CHECK(summary.runs_failed == 0);
  }
}

TEST_CASE("a design table saved by a spreadsheet (BOM, CRLF, quotes) gives the same points", "[sweep]") {
  TempDir dir;
  const std::string experiment = "[experiment]\nscenario = \"" + source_path("scenarios/minimal.toml").generic_string() +
                                 "\"\n[design]\nkind = \"table\"\ntable = \"points.csv\"\n[[parameters]]\npath = \"actors.MID.anchoring\"\n"
                                 "[[parameters]]\npath = \"actors.MID.compliance\"\n"
                                 "[[metrics]]\nname = \"p\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2005-01-01\n";
  dir.write("points.csv", "actors.MID.anchoring,actors.MID.compliance\n0.1,1\n0.2,0.5\n");
  const auto plain = load_experiment(dir.write("e.toml", experiment)).design.points;
  dir.write("points.csv", "\xEF\xBB\xBF\"actors.MID.anchoring\",actors.MID.compliance\r\n\"0.1\",1\r\n0.2,0.5\r\n");
  CHECK(load_experiment(dir.write("e.toml", experiment)).design.points == plain);
  CHECK(plain == std::vector<std::vector<double>>{{0.1, 1}, {0.2, 0.5}});
  dir.write("points.csv", "actors.MID.anchoring,actors.MID.compliance\n0.1\n");
  CHECK_THAT(error_of([&] { load_experiment(dir / "e.toml"); }), Catch::Contains("points.csv:2:1: error: expected one number per parameter (2), got 1"));
}

TEST_CASE("merge refuses shards that were edited, cut or mixed, and writes nothing", "[sweep][shard][bad-input]") {
  TempDir dir;
  const Experiment experiment = load_experiment(dir.write("e.toml", experiment_text("[design]\nkind = \"grid\"\n")));
  const auto shards = run_shards(experiment, 2, dir);
  const std::string first = read_text(shards[0] / "runs.csv"), second = read_text(shards[1] / "runs.csv");
  const std::string manifest = read_text(shards[0] / "manifest.json");
  auto refused = [&](const std::string& expected) {
    const auto target = dir / "merged";
    CHECK_THAT(error_of([&] { merge_shards(shards, target); }), Catch::Contains(expected));
    CHECK_FALSE(std::filesystem::exists(target / "runs.csv"));
    dir.write("shard0/runs.csv", first);
    dir.write("shard1/runs.csv", second);
    dir.write("shard0/manifest.json", manifest);
  };
  dir.write("shard0/manifest.json", "{not json");
  refused("shard0/manifest.json:1:3: error: not a manifest of tiesim sweep: invalid JSON");  // at the "o" of a bad "null"
  dir.write("shard0/manifest.json", "{\n  \"key\": \"abc\",\n  \"shard\": {\"index\": 1, \"count\": 2},\n  \"runs\": 4,\n}\n");
  refused("shard0/manifest.json:5:1: error: not a manifest of tiesim sweep: invalid JSON");  // a trailing comma
  dir.write("shard0/manifest.json", "[1, 2]");
  refused("shard0/manifest.json: error: not a manifest of tiesim sweep: not a JSON object");
  REQUIRE(manifest.find("\"key\": ") != std::string::npos);
  dir.write("shard0/manifest.json", std::string(manifest).replace(manifest.find("\"key\": "), 7, "\"kee\": "));
  refused("shard0/manifest.json: error: not a manifest of tiesim sweep: no \"key\"");
  dir.write("shard0/manifest.json", std::string(manifest).replace(manifest.find("\"key\": "), 7, "\"key\": 7, \"x\": "));
  refused("shard0/manifest.json: error: \"key\": expected a non-empty string");
  REQUIRE(manifest.find("\"index\": 1") != std::string::npos);
  dir.write("shard0/manifest.json", std::string(manifest).replace(manifest.find("\"index\": 1"), 10, "\"index\": \"1\""));
  refused("\"shard.index\" is not a whole number");
  dir.write("shard0/manifest.json", std::string(manifest).replace(manifest.find("\"index\": 1"), 10, "\"index\": -1"));
  refused("\"shard.index\" is not a whole number");
  REQUIRE(manifest.find("\"shard\": {") != std::string::npos);
  dir.write("shard0/manifest.json", std::string(manifest).replace(manifest.find("\"shard\": {"), 10, "\"shards\": {"));
  refused("not a manifest of tiesim sweep: no \"shard\"");
  dir.write("shard1/runs.csv", second + second.substr(second.find('\n') + 1, second.find('\n', second.find('\n') + 1) - second.find('\n')));
  refused("expected run");  // a row repeated at the end
  dir.write("shard0/runs.csv", first.substr(0, first.rfind('\n', first.size() - 2) + 1));
  refused("shard0/runs.csv");  // its last row removed: shard 1's first row is then out of place
  dir.write("shard1/runs.csv", second.substr(0, second.size() - 5));
  refused("the last line has no line end");
  dir.write("shard1/runs.csv", std::string(second).replace(second.rfind(",ok\n"), 4, ",fine\n"));
  refused("status: expected 'ok' or 'error: …', got 'fine'");
  merge_shards(shards, dir / "merged");  // restored: the shards merge again
  CHECK(std::filesystem::exists(dir / "merged" / "runs.csv"));
}

TEST_CASE("a failing run is recorded and the sweep goes on", "[sweep]") {
  TempDir dir;
  dir.write("points.csv", "actors.MID.anchoring\n0.1\n1.5\n0.2\n");
  const Experiment experiment = load_experiment(dir.write("e.toml", "[experiment]\nscenario = \"" +
                                                                        source_path("scenarios/minimal.toml").generic_string() +
                                                                        "\"\n[design]\nkind = \"table\"\ntable = \"points.csv\"\n"
                                                                        "[[parameters]]\npath = \"actors.MID.anchoring\"\n"
                                                                        "[[metrics]]\nname = \"p\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2005-01-01\n"));
  const auto summary = run_sweep(experiment, quiet(2), dir / "out");
  CHECK(summary.runs_failed == 1);
  const std::string runs = read_text(dir / "out" / "runs.csv");
  CHECK(runs.find("\n1,1,0,") != std::string::npos);
  CHECK_THAT(runs, Catch::Contains("expected a number from 0 to 1, got 1.5"));
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 4);
  CHECK_THAT(runs, Catch::Contains("\n2,2,0,") && Catch::Contains(",ok\n"));
}

TEST_CASE("bad experiments are refused with their place and a suggestion", "[sweep][bad-input]") {
  TempDir dir;
  SECTION("an unknown parameter path") {
    auto text = experiment_text("");
    text.replace(text.find("pressure_sensitivity\""), 21, "presure_sensitivity\"");
    const auto message = error_of([&] { load_experiment(dir.write("e.toml", text)); });
    // placed at the path in the experiment file, not at a "--set" the user never typed
    CHECK_THAT(message, Catch::Contains(place("e.toml", text, "\"actors.MID.presure_sensitivity\"")) &&
                            Catch::Contains("error: parameters.path: unknown key 'actors.MID.presure_sensitivity'") &&
                            Catch::Contains("did you mean 'pressure_sensitivity'"));
  }
  SECTION("a range the scenario refuses, and the same from sweep's flags") {
    auto text = experiment_text("");
    text.replace(text.find("low = 0.5"), 9, "low = -1.0");
    const auto message = error_of([&] { load_experiment(dir.write("e.toml", text)); });
    CHECK_THAT(message, Catch::Contains(place("e.toml", text, "\"actors.MID.pressure_sensitivity\"")) &&
                            Catch::Contains("expected a number from 0 to") && Catch::Contains("= -1"));
    const auto flags = error_of([&] {
      quick_experiment(source_path("scenarios/minimal.toml").string(), {"actors.MID.pressure_sensitivity=-1:1"}, {}, 1, 1);
    });
    CHECK_THAT(flags, Catch::StartsWith("--vary actors.MID.pressure_sensitivity: error:") && Catch::Contains("expected a number from 0 to"));
  }
  SECTION("an unreadable scenario or design table, placed where the experiment names it") {
    const auto scenario = error_of([&] { load_experiment(dir.write("e.toml", "[experiment]\nscenario = \"nowhere.toml\"\n")); });
    CHECK_THAT(scenario, Catch::Contains("e.toml:2:12: error: experiment.scenario: cannot read scenario") && Catch::Contains("no such file"));
    auto text = experiment_text("[design]\nkind = \"table\"\ntable = \"nowhere.csv\"\n");
    const auto table = error_of([&] { load_experiment(dir.write("e.toml", text)); });
    CHECK_THAT(table, Catch::Contains(place("e.toml", text, "\"nowhere.csv\"")) && Catch::Contains("error: design.table:") &&
                          Catch::Contains("cannot read the design table"));
  }
  SECTION("a range with low above high") {
    auto text = experiment_text("");
    text.replace(text.find("low = 0.5"), 9, "low = 5.0");
    const auto message = error_of([&] { load_experiment(dir.write("e.toml", text)); });
    CHECK_THAT(message, Catch::Contains(place("e.toml", text, "high = 4")) && Catch::Contains("low (5) is above its high (4)"));
  }
  SECTION("a design with no points") {
    dir.write("empty.csv", "actors.MID.anchoring\n");
    const auto message = error_of([&] {
      load_experiment(dir.write("e.toml", "[experiment]\nscenario = \"" + source_path("scenarios/minimal.toml").generic_string() +
                                              "\"\n[design]\nkind = \"table\"\ntable = \"empty.csv\"\n[[parameters]]\npath = \"actors.MID.anchoring\"\n"
                                              "[[metrics]]\nname = \"p\"\nkind = \"value\"\nquantity = \"pressure\"\nfrom = \"MID\"\ndate = 2005-01-01\n"));
    });
    CHECK_THAT(message, Catch::Contains("the design has no points"));
  }
  SECTION("a metric naming an unknown actor") {
    auto text = experiment_text("");
    text.replace(text.find("to = \"PAR\""), 10, "to = \"PAA\"");
    const auto message = error_of([&] { load_experiment(dir.write("e.toml", text)); });
    CHECK_THAT(message, Catch::Contains(place("e.toml", text, "to = \"PAA\"")) && Catch::Contains("unknown actor 'PAA'") &&
                            Catch::Contains("did you mean 'PAR'"));
  }
  SECTION("an unknown channel in a metric") {
    auto text = experiment_text("");
    text.replace(text.find("channel = \"trade\""), 17, "channel = \"trades\"");
    CHECK_THAT(error_of([&] { load_experiment(dir.write("e.toml", text)); }), Catch::Contains("unknown channel 'trades'"));
  }
  SECTION("a shard beyond its count") {
    CHECK_THAT(error_of([] { parse_shard("3/2"); }), Catch::Contains("1 ≤ K ≤ N"));
    CHECK_THAT(error_of([] { parse_shard("0/2"); }), Catch::Contains("1 ≤ K ≤ N"));
    CHECK_THAT(error_of([] { parse_shard("x"); }), Catch::Contains("K/N"));
    CHECK(parse_shard("2/2") == std::make_pair(1, 2));
  }
  SECTION("resuming into another experiment's directory, or running over a finished one") {
    const Experiment first = load_experiment(dir.write("a.toml", experiment_text("[design]\nkind = \"grid\"\n")));
    run_sweep(first, quiet(1), dir / "out");
    const std::string before = read_text(dir / "out" / "runs.csv");
    auto other_text = experiment_text("[design]\nkind = \"grid\"\n");
    other_text.replace(other_text.find("high = 4"), 8, "high = 3");
    const Experiment other = load_experiment(dir.write("b.toml", other_text));
    SweepOptions resume = quiet(1);
    resume.resume = true;
    CHECK_THAT(error_of([&] { run_sweep(other, resume, dir / "out"); }), Catch::Contains("holds another experiment"));
    CHECK_THAT(error_of([&] { run_sweep(first, quiet(1), dir / "out"); }), Catch::Contains("already holds a sweep"));
    CHECK(read_text(dir / "out" / "runs.csv") == before);
    // a manifest that is not JSON is named, with the place of the fault, and left as it was
    dir.write("out/manifest.json", "{\"key\": ");
    CHECK_THAT(error_of([&] { run_sweep(first, resume, dir / "out"); }),
               Catch::Contains("out/manifest.json:1:9: error: not a manifest of tiesim sweep: invalid JSON"));
    CHECK(read_text(dir / "out" / "manifest.json") == "{\"key\": ");
  }
}
