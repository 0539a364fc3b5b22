#include <catch2/catch.hpp>

#include "core/sha256.hpp"
#include "experiment/run.hpp"
#include "scenario/generate.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::read_text;
using tiesim::test::source_path;
using tiesim::test::TempDir;

namespace {

/// Runs a loaded scenario into a fresh directory and returns the text of each recorded trajectory file.
std::map<std::string, std::string> run_model(const Model& model, const RunOptions& options, const TempDir& dir,
                                             const std::string& name) {
  {
    OutputDirectory output(dir / name);
    run_replicates(model, options, output);
    output.commit();
  }
  std::map<std::string, std::string> files;
  for (auto file : trajectory_files)
    if (options.record.wants(file)) files[std::string(file_name(file))] = read_text(dir / name / std::string(file_name(file)));
  return files;
}

/// Runs a scenario of the source tree with every file recorded.
std::map<std::string, std::string> run_files(const std::string& scenario_path, std::uint64_t seed, int replicates,
                                             int threads, const TempDir& dir, const std::string& name) {
  RunOptions options;
  options.seed = seed;
  options.replicates = replicates;
  options.threads = threads;
  options.record.files = {true, true, true, true, true};
  return run_model(load_scenario(source_path(scenario_path)).model, options, dir, name);
}

/// SHA-256 of the recorded files concatenated in the order ties, dyads, actors, events.
std::string files_hash(const std::map<std::string, std::string>& files) {
  std::string all;
  for (auto file : trajectory_files)
    if (auto it = files.find(std::string(file_name(file))); it != files.end()) all += it->second;
  return sha256_hex(all);
}

/// The golden value of tests/data/golden/NAME.sha256 (its first word), shared with tests/cli/golden_test.sh.
std::string golden(const std::string& name) {
  const std::string text = read_text(source_path("tests/data/golden/" + name + ".sha256"));
  return text.substr(0, text.find(' '));
}

}  // namespace

TEST_CASE("the same seed gives the same bytes, whatever the thread count", "[run][determinism]") {
  TempDir dir;
  const auto once = run_files("scenarios/minimal.toml", 7, 4, 1, dir, "a");
  const auto again = run_files("scenarios/minimal.toml", 7, 4, 1, dir, "b");
  const auto threaded = run_files("scenarios/minimal.toml", 7, 4, 2, dir, "c");
  for (const auto& [name, text] : once) {
    INFO(name);
    CHECK(text.size() > 100);
    CHECK(text == again.at(name));
    CHECK(text == threaded.at(name));
  }
}

TEST_CASE("another seed gives another run", "[run][determinism]") {
  TempDir dir;
  const auto seven = run_files("scenarios/minimal.toml", 7, 1, 1, dir, "a");
  const auto eight = run_files("scenarios/minimal.toml", 8, 1, 1, dir, "b");
  CHECK(seven.at("events.csv") != eight.at("events.csv"));
  CHECK(seven.at("ties.csv") != eight.at("ties.csv"));
}

TEST_CASE("replicates are the rows of single runs with their seeds, in order", "[run]") {
  TempDir dir;
  const auto both = run_files("scenarios/minimal.toml", 5, 2, 2, dir, "both");
  const auto single = run_files("scenarios/minimal.toml", 5, 1, 1, dir, "single");
  // replicate 0 of a two-replicate run is the one-replicate run
  const std::string& joined = both.at("dyads.csv");
  const std::string& alone = single.at("dyads.csv");
  REQUIRE(joined.size() > alone.size());
  CHECK(joined.compare(0, alone.size(), alone) == 0);
  CHECK(joined.find("\n1,1,0,2000-01-01,") != std::string::npos);
}

TEST_CASE("the reference run's bytes match the golden hash", "[run][determinism][golden]") {
  // Changes only when the model changes on purpose; the commit that changes it says so and updates this.
  // Same in Debug and Release, with 1 and with 2 threads.
  TempDir dir;
  for (int threads : {1, 2}) {
    const auto files = run_files("scenarios/minimal.toml", 7, 3, threads, dir, "golden" + std::to_string(threads));
    CHECK(sha256_hex(files.at("ties.csv") + files.at("dyads.csv") + files.at("actors.csv") + files.at("events.csv")) ==
          "28bf21801b970eed5753c31935a9f4518553ef16a97624a0aaadb8b8926290ad");
  }
}

TEST_CASE("the reference scenario and a 400-actor world give the program's golden bytes", "[run][determinism][golden]") {
  // The same runs as tests/cli/golden_test.sh, which checks the tiesim program against the same values: the
  // library gives the same bits to every caller, whatever it set before (Eigen's cache sizes, say), since
  // the step's products sum in a fixed order (core/fixed_order.hpp). Re-golden only when the model changes on
  // purpose, in a commit that says so.
  Eigen::setCpuCacheSizes(4 * 1024, 64 * 1024, 256 * 1024);  // not what any machine detects by itself
  TempDir dir;
  for (int threads : {1, 2}) {
    INFO("threads " << threads);
    RunOptions options;
    options.seed = 7;
    options.replicates = 2;
    options.threads = threads;
    options.record.every = 12;
    options.record.files = {true, true, true, true, false};  // the golden files: ties, dyads, actors, events
    CHECK(files_hash(run_model(load_scenario(source_path("scenarios/malaysia_dprk.toml")).model, options, dir,
                               "reference" + std::to_string(threads))) == golden("reference"));
  }
  WorldOptions world;
  world.actors = 400;
  world.channels = 6;
  world.years = 1;
  world.seed = 11;
  const Scenario scenario = load_scenario(dir.write("world.toml", generate_world(world)));
  for (int step_threads : {1, 3}) {
    INFO("step threads " << step_threads);
    RunOptions options;
    options.seed = 5;
    options.step.threads = step_threads;
    options.record.every = 1000;
    options.record.files = {false, true, false, true};  // dyads, events
    CHECK(files_hash(run_model(scenario.model, options, dir, "world" + std::to_string(step_threads))) == golden("world400"));
  }
}

TEST_CASE("headers are exactly those of the documented schema", "[run][output]") {
  TempDir dir;
  const auto files = run_files("scenarios/minimal.toml", 1, 1, 1, dir, "h");
  auto header = [&](const std::string& name) { return files.at(name).substr(0, files.at(name).find('\n')); };
  CHECK(header("ties.csv") == "run,replicate,seed,step,date,from,to,channel,level,level_name,value");
  CHECK(header("dyads.csv") == "run,replicate,step,date,from,to,affect,tie_index");
  CHECK(header("actors.csv") == "run,replicate,step,date,actor,pressure,benefit,affinity,autonomy,violation,scrutiny,alignment,reciprocity");
  CHECK(header("events.csv") == "run,replicate,date,actor,partner,channel,from,to,cameo,goldstein,cause,event,label");
}
