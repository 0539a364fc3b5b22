/// tiesim_bench_dump SCENARIO OUTDIR [REPEATS]: the input of tests/bench/reference_step.py.
///
/// Runs the scenario's first replicate (seed 1) to the end of its spin-up but one step, so that the next step
/// has no events (a spin-up step), and writes to OUTDIR:
///   meta.json        sizes, parameters, actors, channels, regimes, id keys, and the C++ timings below
///   *.bin            the state (levels, affect, pressure, …) as raw little-endian arrays, row-major
///   choice_*.bin     every tie's choice in that state, as step() computes it (choice_table)
///   next_*.bin       the state after one step()
/// and times, from that state, step() and choice_table() in CPU time (median of REPEATS, default 21), for the
/// speed ratio.
#include <Eigen/Core>
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/rng.hpp"
#include "model/step.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace {

using namespace tiesim;
namespace fs = std::filesystem;

template <class T>
void write(const fs::path& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

/// An Eigen matrix in row-major order (i, j).
std::vector<double> rows(const Eigen::MatrixXd& matrix) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < matrix.rows(); ++i)
    for (Eigen::Index j = 0; j < matrix.cols(); ++j) out.push_back(matrix(i, j));
  return out;
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

/// CPU time of this process: other processes sharing the cores do not inflate it (step() runs on one
/// thread here, and so does reference_step.py's NumPy, timed by time.process_time()).
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

template <class F>
double median_seconds(int repeats, F&& run) {
  std::vector<double> times;
  for (int k = 0; k < repeats; ++k) times.push_back(run());
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024);  // as the tiesim program does
  if (argc < 3) {
    std::cerr << "usage: tiesim_bench_dump SCENARIO OUTDIR [REPEATS]\n";
    return 2;
  }
  try {
    const Scenario scenario = load_scenario(argv[1]);
    const Model& model = scenario.model;
    const fs::path dir = argv[2];
    const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 21;
    fs::create_directories(dir);
    const int n = model.actor_count(), channel_count = model.channel_count();
    const auto regime_count = model.regimes.size();
    const std::uint64_t seed = replicate_seed(1, 0);

    State state = initial_state(model);
    while (state.step < -1) step(model, state, seed, nullptr);  // stop one step before the end of spin-up

    // the state
    write(dir / "level.bin", state.level.data(), state.level.size());
    std::vector<std::uint8_t> moved = state.moved.empty() ? std::vector<std::uint8_t>(state.level.size(), 0) : state.moved;
    write(dir / "moved.bin", moved.data(), moved.size());
    auto affect = rows(state.affect), anchor = rows(model.affect_anchor);
    write(dir / "affect.bin", affect.data(), affect.size());
    write(dir / "anchor.bin", anchor.data(), anchor.size());
    write(dir / "pressure.bin", state.pressure.data(), static_cast<std::size_t>(n));
    write(dir / "bonus.bin", state.benefit_bonus.data(), state.benefit_bonus.size());
    std::vector<double> weights;
    for (const auto& w : state.weights)
      for (double value : {w.benefit, w.affinity, w.autonomy, w.compliance, w.pressure_sensitivity, w.alignment}) weights.push_back(value);
    write(dir / "weights.bin", weights.data(), weights.size());
    write(dir / "enforcement.bin", state.enforcement.data(), state.enforcement.size());
    std::vector<std::int32_t> caps(state.caps.begin(), state.caps.end());
    write(dir / "caps.bin", caps.data(), caps.size());
    std::vector<std::uint8_t> members(regime_count * static_cast<std::size_t>(n), 0), targets(members);
    for (std::size_t r = 0; r < regime_count; ++r) {
      for (int i : model.regimes[r].members) members[r * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = 1;
      for (int i : model.regimes[r].targets) targets[r * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = 1;
    }
    write(dir / "members.bin", members.data(), members.size());
    write(dir / "targets.bin", targets.data(), targets.size());

    // every tie's choice in this state
    const auto table = choice_table(model, state);
    std::vector<double> probability;
    std::vector<std::int32_t> level;
    std::vector<std::uint8_t> count;
    for (const auto& choice : table) {
      for (int k = 0; k < 3; ++k) {
        probability.push_back(choice.probability[static_cast<std::size_t>(k)]);
        level.push_back(choice.level[static_cast<std::size_t>(k)]);
      }
      count.push_back(static_cast<std::uint8_t>(choice.count));
    }
    write(dir / "choice_probability.bin", probability.data(), probability.size());
    write(dir / "choice_level.bin", level.data(), level.size());
    write(dir / "choice_count.bin", count.data(), count.size());

    // one step later
    State next = state;
    step(model, next, seed, nullptr);
    auto next_affect = rows(next.affect);
    write(dir / "next_level.bin", next.level.data(), next.level.size());
    write(dir / "next_affect.bin", next_affect.data(), next_affect.size());
    write(dir / "next_pressure.bin", next.pressure.data(), static_cast<std::size_t>(n));

    // CPU timings from this state: step() (a fresh copy each time, not timed) and the choices of every tie
    const double step_seconds = median_seconds(repeats, [&] {
      State copy = state;
      const double start = cpu_seconds();
      step(model, copy, seed, nullptr);
      return cpu_seconds() - start;
    });
    const double choices_seconds = median_seconds(repeats, [&] {
      const double start = cpu_seconds();
      const auto all = choice_table(model, state);
      const double seconds = cpu_seconds() - start;
      if (all.size() != state.level.size()) std::abort();
      return seconds;
    });

    std::ofstream meta(dir / "meta.json");
    const auto& p = model.parameters;
    meta << "{\n  \"scenario\": \"" << argv[1] << "\",\n  \"n\": " << n << ", \"c\": " << channel_count
         << ", \"r\": " << regime_count << ",\n  \"seed\": \"" << seed << "\", \"step\": " << state.step
         << ", \"next_is_spinup\": " << (state.step + 1 <= 0 && state.step < 0 ? "true" : "false") << ",\n";
    meta << "  \"parameters\": {\"benefit_curvature\": " << number(p.benefit_curvature) << ", \"size_exponent\": " << number(p.size_exponent)
         << ", \"pressure_decay\": " << number(p.pressure_decay) << ", \"pressure_diffusion\": " << number(p.pressure_diffusion)
         << ", \"balance\": " << number(p.balance) << ", \"reciprocity\": " << number(p.reciprocity)
         << ", \"follow_through\": " << (p.follow_through ? "true" : "false") << "},\n";
    meta << "  \"actors\": [\n";
    for (int i = 0; i < n; ++i) {
      const auto& a = model.actors[static_cast<std::size_t>(i)];
      meta << "    {\"id\": \"" << a.id << "\", \"key\": \"" << model.actor_keys[static_cast<std::size_t>(i)] << "\", \"size\": " << number(a.size)
           << ", \"precision\": " << number(a.precision) << ", \"anchoring\": " << number(a.anchoring)
           << ", \"pressure_strength\": " << number(a.pressure_strength) << "}" << (i + 1 < n ? "," : "") << "\n";
    }
    meta << "  ],\n  \"channels\": [\n";
    for (int c = 0; c < channel_count; ++c) {
      const auto& ch = model.channels[static_cast<std::size_t>(c)];
      meta << "    {\"id\": \"" << ch.id << "\", \"key\": \"" << model.channel_keys[static_cast<std::size_t>(c)]
           << "\", \"mutual\": " << (ch.kind == ChannelKind::mutual ? "true" : "false") << ", \"top\": " << ch.top_level()
           << ", \"visibility\": " << number(ch.visibility) << ", \"salience\": " << number(ch.salience)
           << ", \"benefit\": " << number(ch.benefit)
           << ", \"curvature\": " << number(ch.benefit_curvature > 0 ? ch.benefit_curvature : p.benefit_curvature)
           << ", \"upkeep\": " << number(ch.upkeep) << ", \"openness\": " << number(ch.openness)
           << ", \"cost_up\": " << number(ch.cost_up) << ", \"cost_down\": " << number(ch.cost_down)
           << ", \"review_rate\": " << number(ch.review_rate) << ", \"index_weight\": " << number(ch.index_weight)
           << ", \"goldstein_up\": " << number(ch.goldstein_up) << ", \"goldstein_down\": " << number(ch.goldstein_down) << "}"
           << (c + 1 < channel_count ? "," : "") << "\n";
    }
    meta << "  ],\n  \"regimes\": [\n";
    const char* kinds[] = {"sanctions", "commitment", "alliance", "bloc"};
    for (std::size_t r = 0; r < regime_count; ++r)
      meta << "    {\"id\": \"" << model.regimes[r].id << "\", \"kind\": \"" << kinds[static_cast<int>(model.regimes[r].kind)]
           << "\", \"cohesion\": " << number(model.regimes[r].cohesion) << "}" << (r + 1 < regime_count ? "," : "") << "\n";
    meta << "  ],\n  \"cpp_step_seconds\": " << number(step_seconds) << ",\n  \"cpp_choices_seconds\": " << number(choices_seconds)
         << ",\n  \"repeats\": " << repeats << "\n}\n";
    std::cout << "wrote " << dir.string() << ": state at step " << state.step << " of " << n << " actors, " << channel_count
              << " channels; C++ step " << step_seconds * 1e3 << " ms, all choices " << choices_seconds * 1e3 << " ms\n";
    return 0;
  } catch (const InputError& error) {
    for (const auto& diagnostic : error.diagnostics()) std::cerr << diagnostic.format() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "tiesim_bench_dump: " << error.what() << "\n";
    return 1;
  }
}
