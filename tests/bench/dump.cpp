/// tiesim_bench_dump SCENARIO OUTDIR [REPEATS] [--at DATE]: the input of tests/bench/reference_step.py.
///
/// Runs the scenario's first replicate (seed 1) to the end of its spin-up but one step, so that the next step
/// has no events (a spin-up step), or with --at to the start of the step that contains DATE, so that the next
/// step is that one, with its events. Writes to OUTDIR:
///   meta.json        sizes, parameters, actors, channels, regimes, id keys, the next step's dated events,
///                    the roles, agreements and reports in effect, and the C++ timings below
///   *.bin            the state (levels, affect, pressure, …) as raw little-endian arrays, row-major
///   choice_*.bin     every tie's choice in that state, as step() computes it (choice_table)
///   next_*.bin       the state after one step()
/// and times, from that state, step() and choice_table() in CPU time (median of REPEATS, default 21; 0: not
/// timed), for the speed ratio.
#include <Eigen/Core>
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
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
  if (repeats <= 0) return 0;
  std::vector<double> times;
  for (int k = 0; k < repeats; ++k) times.push_back(run());
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// Every call of step() goes through here, so that a change of its signature touches one line.
void advance(const Model& model, State& state, std::uint64_t seed) {
  Workspace workspace;  // a fresh one each time: a step's results never depend on its workspace
  step(model, state, workspace, seed, nullptr);
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string weights_json(const Weights& w) {
  return "[" + number(w.benefit) + ", " + number(w.affinity) + ", " + number(w.autonomy) + ", " + number(w.compliance) +
         ", " + number(w.pressure_sensitivity) + ", " + number(w.alignment) + "]";
}

/// The caps an event sets, with −1 where it sets none.
std::string caps_json(const std::vector<int>& caps) {
  std::string out = "[";
  for (std::size_t c = 0; c < caps.size(); ++c) out += (c ? ", " : "") + std::to_string(caps[c] == uncapped ? -1 : caps[c]);
  return out + "]";
}

void write_weights(const fs::path& path, const std::vector<Weights>& all) {
  std::vector<double> flat;
  for (const auto& w : all)
    for (double value : {w.benefit, w.affinity, w.autonomy, w.compliance, w.pressure_sensitivity, w.alignment}) flat.push_back(value);
  write(path, flat.data(), flat.size());
}

/// The dated events of `now`, in the order step() applies them, and what is in effect before it runs.
void write_events_json(std::ostream& meta, const Model& model, const State& state) {
  const char* kinds[] = {"resolution", "provocation", "incident", "agreement", "role", "lobbying"};
  meta << "  \"events\": [\n";
  bool first = true;
  for (const auto& e : model.events) {
    if (e.step != state.step) continue;
    meta << (first ? "" : ",\n") << "    {\"id\": " << json_string(e.id) << ", \"kind\": \"" << kinds[static_cast<int>(e.kind)]
         << "\", \"actor\": " << e.actor << ", \"partner\": " << e.partner << ", \"against\": " << e.against
         << ", \"regime\": " << e.regime << ", \"channel\": " << e.channel << ", \"goldstein\": " << number(e.goldstein)
         << ", \"intensity\": " << number(e.intensity) << ", \"sets_enforcement\": " << (e.sets_enforcement ? "true" : "false")
         << ", \"enforcement\": " << number(e.enforcement) << ", \"caps\": " << caps_json(e.caps)
         << ", \"report_step\": " << e.report_step << ", \"report_boost\": " << number(e.report_boost)
         << ", \"benefit\": " << number(e.benefit) << ", \"until_step\": " << e.until_step
         << ", \"weight_change\": " << weights_json(e.weight_change) << ", \"pressure\": " << number(e.pressure)
         << ", \"affect\": " << number(e.affect) << "}";
    first = false;
  }
  meta << "\n  ],\n  \"roles\": [";
  for (std::size_t k = 0; k < state.roles.size(); ++k)
    meta << (k ? ", " : "") << "{\"actor\": " << state.roles[k].actor << ", \"until_step\": " << state.roles[k].until_step
         << ", \"change\": " << weights_json(state.roles[k].change) << "}";
  meta << "],\n  \"agreements\": [";
  for (std::size_t k = 0; k < state.agreements.size(); ++k) {
    const auto& a = state.agreements[k];
    meta << (k ? ", " : "") << "{\"actor\": " << a.actor << ", \"partner\": " << a.partner << ", \"channel\": " << a.channel
         << ", \"until_step\": " << a.until_step << ", \"bonus\": " << number(a.bonus) << "}";
  }
  meta << "],\n  \"reports\": [";
  for (std::size_t k = 0; k < state.reports.size(); ++k)
    meta << (k ? ", " : "") << "{\"regime\": " << state.reports[k].regime << ", \"step\": " << state.reports[k].step
         << ", \"boost\": " << number(state.reports[k].boost) << "}";
  bool random_events = false;
  for (const auto& random : model.random_events)
    random_events = random_events || (state.step >= random.from_step && state.step <= random.until_step && random.rate_per_step > 0);
  meta << "],\n  \"random_events\": " << (random_events ? "true" : "false") << ",\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::optional<std::string> at;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--at" && k + 1 < argc) at = argv[++k];
    else positional.push_back(arg);
  }
  if (positional.size() < 2 || positional.size() > 3) {
    std::cerr << "usage: tiesim_bench_dump SCENARIO OUTDIR [REPEATS] [--at DATE]\n";
    return 2;
  }
  try {
    const Scenario scenario = load_scenario(positional[0]);
    const Model& model = scenario.model;
    const fs::path dir = positional[1];
    const int repeats = positional.size() > 2 ? std::max(0, std::atoi(positional[2].c_str())) : 21;
    // the step to dump before: one before the end of spin-up, or the one that contains --at
    int target = -1;
    if (at) {
      const auto date = Date::parse(*at);
      if (!date) {
        std::cerr << "tiesim_bench_dump: --at: '" << *at << "' is not a date (YYYY-MM-DD)\n";
        return 2;
      }
      target = model.calendar.step_of(*date);
      if (target < 0 || target >= model.calendar.step_count()) {
        std::cerr << "tiesim_bench_dump: --at: " << *at << " is outside the scenario's run\n";
        return 2;
      }
    }
    fs::create_directories(dir);
    const int n = model.actor_count(), channel_count = model.channel_count();
    const auto regime_count = model.regimes.size();
    const std::uint64_t seed = replicate_seed(1, 0);

    State state = initial_state(model);
    while (state.step < target) advance(model, state, seed);

    // the state
    write(dir / "level.bin", state.level.data(), state.level.size());
    std::vector<std::uint8_t> moved = state.agenda.empty() ? std::vector<std::uint8_t>(state.level.size(), 0) : state.agenda;
    write(dir / "moved.bin", moved.data(), moved.size());
    auto affect = rows(state.affect), anchor = rows(model.affect_anchor);
    write(dir / "affect.bin", affect.data(), affect.size());
    write(dir / "anchor.bin", anchor.data(), anchor.size());
    write(dir / "pressure.bin", state.pressure.data(), static_cast<std::size_t>(n));
    write(dir / "bonus.bin", state.benefit_bonus.data(), state.benefit_bonus.size());
    write_weights(dir / "weights.bin", state.weights);
    std::vector<Weights> base;
    for (const auto& actor : model.actors) base.push_back(actor.weights);
    write_weights(dir / "base_weights.bin", base);
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
    advance(model, next, seed);
    auto next_affect = rows(next.affect);
    write(dir / "next_level.bin", next.level.data(), next.level.size());
    write(dir / "next_affect.bin", next_affect.data(), next_affect.size());
    write(dir / "next_pressure.bin", next.pressure.data(), static_cast<std::size_t>(n));
    write(dir / "next_enforcement.bin", next.enforcement.data(), next.enforcement.size());
    std::vector<std::int32_t> next_caps(next.caps.begin(), next.caps.end());
    write(dir / "next_caps.bin", next_caps.data(), next_caps.size());
    write(dir / "next_bonus.bin", next.benefit_bonus.data(), next.benefit_bonus.size());
    write_weights(dir / "next_weights.bin", next.weights);

    // CPU timings from this state: step() (a fresh copy each time, not timed) and the choices of every tie
    const double step_seconds = median_seconds(repeats, [&] {
      State copy = state;
      const double start = cpu_seconds();
      advance(model, copy, seed);
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
    meta << "{\n  \"scenario\": " << json_string(positional[0]) << ",\n  \"n\": " << n << ", \"c\": " << channel_count
         << ", \"r\": " << regime_count << ",\n  \"seed\": \"" << seed << "\", \"step\": " << state.step
         << ", \"next_is_spinup\": " << (state.step + 1 <= 0 && state.step < 0 ? "true" : "false") << ",\n";
    meta << "  \"parameters\": {\"benefit_curvature\": " << number(p.benefit_curvature) << ", \"size_exponent\": " << number(p.size_exponent)
         << ", \"pressure_decay\": " << number(p.pressure_decay) << ", \"pressure_diffusion\": " << number(p.pressure_diffusion)
         << ", \"balance\": " << number(p.balance) << ", \"reciprocity\": " << number(p.reciprocity)
         << ", \"event_affect_scale\": " << number(p.event_affect_scale)
         << ", \"follow_through\": " << (p.follow_through ? "true" : "false") << "},\n";
    write_events_json(meta, model, state);
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
           << "\", \"cohesion\": " << number(model.regimes[r].cohesion) << ", \"enforcement\": " << number(model.regimes[r].enforcement)
           << ", \"in_force_step\": " << model.regimes[r].in_force_step << "}" << (r + 1 < regime_count ? "," : "") << "\n";
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
