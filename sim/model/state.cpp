#include "model/state.hpp"

#include <cmath>

#include "model/stages.hpp"

namespace tiesim {

State initial_state(const Model& model) {
  const int n = model.actor_count();
  const auto channel_count = static_cast<std::size_t>(model.channel_count());
  State state;
  state.step = -model.spinup_steps;
  state.level = model.initial_levels;
  state.affect = model.affect_anchor;
  state.pressure = Eigen::VectorXd::Zero(n);
  state.enforcement.assign(model.regimes.size(), 0.0);
  state.caps.assign(model.regimes.size() * channel_count, uncapped);
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (!regime.binds()) continue;
    if (regime.in_force_step <= 0) state.enforcement[r] = regime.enforcement;
    for (std::size_t c = 0; c < channel_count; ++c) state.caps[r * channel_count + c] = regime.caps[c];
  }
  state.benefit_bonus.assign(state.level.size(), 0.0);
  state.agenda.assign(state.level.size(), 0);
  if (model.remembers_moves) state.memory.assign(state.level.size(), 0.0);
  if (model.grievance_decay > 0) state.grievance = Eigen::MatrixXd::Zero(n, n);
  state.weights.resize(static_cast<std::size_t>(n));
  refresh_weights(model, state);
  return state;
}

double tie_index(const Model& model, const State& state, int from, int to) {
  double weighted = 0, total = 0;
  for (int c = 0; c < model.channel_count(); ++c) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    weighted += channel.index_weight * state.level[model.tie_index(from, to, c)] / channel.top_level();
    total += channel.index_weight;
  }
  return total > 0 ? weighted / total : 0.0;
}

std::optional<std::string> check_invariants(const Model& model, const State& state) {
  const int n = model.actor_count();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int c = 0; c < model.channel_count(); ++c) {
        const auto& channel = model.channels[static_cast<std::size_t>(c)];
        const int level = state.level[model.tie_index(i, j, c)];
        // the place is spelled out only for a breach: a million ties would otherwise build a million strings
        const auto where = [&] {
          return " at step " + std::to_string(state.step) + ": " + model.actors[static_cast<std::size_t>(i)].id + "->" +
                 model.actors[static_cast<std::size_t>(j)].id + " " + channel.id;
        };
        if (level > channel.top_level()) return "level above the ladder" + where();
        if (i == j && level != 0) return "tie to itself" + where();
        if (channel.kind == ChannelKind::mutual && level != state.level[model.tie_index(j, i, c)])
          return "mutual tie not symmetric" + where();
      }
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(state.pressure(i)) || state.pressure(i) < 0)
      return "pressure negative or not finite for " + model.actors[static_cast<std::size_t>(i)].id;
    for (int j = 0; j < n; ++j) {
      const double a = state.affect(i, j);
      if (!std::isfinite(a) || a < -1 || a > 1) return "affect out of [-1, 1] or not finite";
      if (i == j && a != 0) return "affect toward itself is not 0";
    }
  }
  for (double e : state.enforcement)
    if (!std::isfinite(e) || e < 0) return "enforcement negative or not finite";
  return std::nullopt;
}

}  // namespace tiesim
