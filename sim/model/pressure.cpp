/// Step 2b: pressure, the scrutiny i feels for what it keeps with sanctions targets.
///
///   p_i ← δ p_i + Σ_r e_r exposure_ir + Σ_k ψ_k s_k dep_ik exposure_i + lobbying_i
///   exposure_ir = Σ_{j ∈ targets(r)} Σ_c v_c x_ijc / L_c          (r a sanctions regime with i a member;
///                 plus, on host-consent channels, v_c x_jic / L_c: what the target keeps in i)
///   exposure_i  = the same over every target of a sanctions regime in force
///   dep_ik      = tie_index(i, k)                                  (secondary pressure by sender k)
/// then diffusion along alliance and bloc links in Friedkin–Johnsen form, p ← (1 − μ) p + μ W p, and p ≥ 0.
/// δ and μ are given per month; a step of Δ months uses δ^Δ and 1 − (1 − μ)^Δ, and multiplies the two exposure
/// inflows by (1 − δ^Δ) / (1 − δ), so that steady pressure does not depend on the step (Model::finalize()).
#include "core/fixed_order.hpp"
#include "model/stages.hpp"

namespace tiesim {

namespace {

/// Σ_c v_c x_ijc / L_c: how much i keeps with j that sanctions scrutiny sees — and, on host-consent
/// channels, what j keeps in i (its workers, flights, ships, mission), which i lets in.
double exposure(const Model& model, const State& state, int i, int j) {
  double total = 0;
  for (int c = 0; c < model.channel_count(); ++c) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    total += channel.visibility * state.level[model.tie_index(i, j, c)] / channel.top_level();
  }
  if (model.any_host_consent)
    for (int c = 0; c < model.channel_count(); ++c) {
      const auto& channel = model.channels[static_cast<std::size_t>(c)];
      if (channel.host_consent) total += channel.visibility * state.level[model.tie_index(j, i, c)] / channel.top_level();
    }
  return total;
}

}  // namespace

void update_pressure(const Model& model, State& state, Workspace& workspace) {
  const int n = model.actor_count();
  const Parameters& parameters = model.parameters;
  const std::vector<char>& sanctioned = workspace.situation.sanctioned;
  Eigen::VectorXd& regime_pressure = workspace.regime_pressure;
  regime_pressure.setZero(n);
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (regime.kind != RegimeKind::sanctions || state.enforcement[r] <= 0) continue;
    for (int i : regime.members) {
      double exposed = 0;
      for (int target : regime.targets)
        if (target != i) exposed += exposure(model, state, i, target);
      regime_pressure(i) += state.enforcement[r] * exposed;
    }
  }
  // secondary pressure: senders press those who depend on them, for what they keep with any target.
  // Targets and senders are few: listed once (in index order, so sums run in the same order) instead of
  // testing every actor for every actor.
  std::vector<int>& targets = workspace.targets;
  std::vector<int>& senders = workspace.senders;
  targets.clear();
  senders.clear();
  for (int j = 0; j < n; ++j)
    if (sanctioned[static_cast<std::size_t>(j)]) targets.push_back(j);
  for (int k = 0; k < n; ++k)
    if (model.actors[static_cast<std::size_t>(k)].pressure_strength > 0) senders.push_back(k);
  Eigen::VectorXd& secondary = workspace.secondary_pressure;
  secondary.setZero(n);
  for (int i = 0; i < n && !targets.empty(); ++i) {
    double exposed = 0;
    for (int j : targets)
      if (j != i) exposed += exposure(model, state, i, j);
    if (exposed <= 0) continue;
    for (int k : senders) {
      const auto& sender = model.actors[static_cast<std::size_t>(k)];
      if (k == i) continue;
      secondary(i) += sender.pressure_strength * sender.size * tie_index(model, state, i, k) * exposed;
    }
  }
  // δ, μ and the inflow's factor are those of one step (Model::finalize()): the inflows are exposures held
  // through the step, a lobbying shock comes once
  state.pressure = model.pressure_retention * state.pressure + model.pressure_inflow * regime_pressure +
                   model.pressure_inflow * secondary + workspace.pressure_shock;

  if (parameters.pressure_diffusion > 0) {
    // W is fixed by the scenario: made once in Model::finalize(); W p in a fixed order (core/fixed_order.hpp)
    multiply_fixed_order(model.diffusion_links, state.pressure, workspace.diffused_pressure);
    state.pressure = (1.0 - model.diffusion_step) * state.pressure + model.diffusion_step * workspace.diffused_pressure;
  }
  state.pressure = state.pressure.cwiseMax(0.0);
}

}  // namespace tiesim
