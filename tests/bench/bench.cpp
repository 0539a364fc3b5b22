/// Google Benchmark programs of issue #7 (docs/performance.md says what each figure means):
///   ReferenceStep       the decision kernel: step() on the reference scenario's model, from a settled state
///   ReferenceRun        a whole reference run, spin-up included, observed by nobody (no output)
///   Replicates          runs per second: replicates of the reference scenario on 1 or 2 threads, with
///                       `tiesim validate`'s observation (the targets' series) or none
///   WorldStep/N         step() of a generated world of N actors and 9 channels: cost against N
/// Each reports `decisions/s`: ties reviewed per second, N (N − 1) C_directed + N (N − 1) / 2 C_mutual per step.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/rng.hpp"
#include "core/parallel.hpp"
#include "run/simulate.hpp"
#include "experiment/validation.hpp"
#include "model/step.hpp"
#include "scenario/generate.hpp"
#include "scenario/loader.hpp"

namespace {

using namespace tiesim;

const Scenario& reference() {
  static const Scenario scenario = load_scenario(std::string(TIESIM_SOURCE_DIR) + "/scenarios/malaysia_dprk.toml");
  return scenario;
}

/// A generated world of `actors` actors and 9 channels (two years; only its model is used).
const Scenario& world(int actors) {
  static std::map<int, Scenario> worlds;
  auto it = worlds.find(actors);
  if (it == worlds.end()) {
    WorldOptions options;
    options.actors = actors;
    options.channels = 9;
    options.years = 2;
    const auto path = std::filesystem::temp_directory_path() / ("tiesim-bench-world-" + std::to_string(actors) + ".toml");
    std::ofstream(path) << generate_world(options);
    it = worlds.emplace(actors, load_scenario(path)).first;
    std::filesystem::remove(path);
  }
  return it->second;
}

/// Tie decisions (reviews) of one step: every directed tie by its owner, every mutual tie once per pair.
double decisions_per_step(const Model& model) {
  const double n = model.actor_count();
  double directed = 0, mutual = 0;
  for (const auto& channel : model.channels) (channel.kind == ChannelKind::mutual ? mutual : directed) += 1;
  return n * (n - 1) * directed + n * (n - 1) / 2 * mutual;
}

class NoObserver : public Observer {
 public:
  void start(const Model&, const State&) override {}
  bool wants_terms(int) const override { return false; }
  void observe(const Model&, const State&, int, const StepRecord&) override {}
};

/// step() from a settled state (the end of the spin-up), stepping on: a step is statistically like the next.
void step_benchmark(benchmark::State& bench, const Model& model) {
  const std::uint64_t seed = replicate_seed(1, 0);
  State state = initial_state(model);
  Workspace workspace;
  while (state.step < 0) step(model, state, workspace, seed, nullptr);
  for (auto _ : bench) {
    step(model, state, workspace, seed, nullptr);
    benchmark::DoNotOptimize(state.level.data());
  }
  bench.counters["decisions/s"] = benchmark::Counter(decisions_per_step(model) * static_cast<double>(bench.iterations()),
                                                     benchmark::Counter::kIsRate);
  bench.counters["ties"] = static_cast<double>(model.actor_count()) * (model.actor_count() - 1) * model.channel_count();
}

void ReferenceStep(benchmark::State& bench) { step_benchmark(bench, reference().model); }
BENCHMARK(ReferenceStep)->Unit(benchmark::kMicrosecond);

void ReferenceRun(benchmark::State& bench) {
  const Model& model = reference().model;
  const double steps = model.spinup_steps + model.calendar.step_count();
  std::uint64_t r = 0;
  for (auto _ : bench) {
    NoObserver nobody;
    simulate(model, replicate_seed(1, r++), nobody);
  }
  bench.counters["runs/s"] = benchmark::Counter(static_cast<double>(bench.iterations()), benchmark::Counter::kIsRate);
  bench.counters["decisions/s"] =
      benchmark::Counter(decisions_per_step(model) * steps * static_cast<double>(bench.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(ReferenceRun)->Unit(benchmark::kMillisecond)->UseRealTime();

/// 8 replicates per iteration on `threads` threads; observer 0: none, 1: validate's (the targets' series).
void Replicates(benchmark::State& bench) {
  const Scenario& scenario = reference();
  const int threads = static_cast<int>(bench.range(0));
  const bool observed = bench.range(1) != 0;
  constexpr int replicates = 8;
  std::uint64_t seed = 1;
  for (auto _ : bench) {
    if (observed) {
      benchmark::DoNotOptimize(validate(scenario.model, scenario.targets, seed++, replicates, threads));
    } else {
      for_each_task(replicates, threads, [&](int r) {
        NoObserver nobody;
        simulate(scenario.model, replicate_seed(seed, static_cast<std::uint64_t>(r)), nobody);
      });
      ++seed;
    }
  }
  bench.counters["runs/s"] = benchmark::Counter(static_cast<double>(replicates) * static_cast<double>(bench.iterations()),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(Replicates)->ArgNames({"threads", "validate"})->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();

void WorldStep(benchmark::State& bench) { step_benchmark(bench, world(static_cast<int>(bench.range(0))).model); }
BENCHMARK(WorldStep)->ArgName("actors")->Arg(25)->Arg(50)->Arg(100)->Arg(200)->Arg(400)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
