#pragma once
/// The coefficients of U(y) for one tie (i, j, c) as i sees it in this step (the terms themselves are in
/// model/decision.hpp):
///
///   benefit_scale    w^B_i b_c (1 + agreement bonus_ijc) s_j^γ      times g(y/L)
///   upkeep_slope     w^B_i k_c                                      times y/L, subtracted
///   affinity_slope   w^E_i a_ij σ_c                                  times y/L
///   autonomy_value   w^A_i o_c                                      if y > 0
///   caps, compliance e_r and cap_rc of every binding regime with i a member and j a target; w^C_i
///   scrutiny_slope   w^P_i p_i v_c, if j is a sanctions target       times y/L, subtracted
///   alignment_slope  w^L_i Σ_k f_ik max(0, −a_kj) v_c                 times y/L, subtracted
///   cost_up/down     adjustment costs of the channel
///   reciprocity_slope  w^R_i m_ijc                                 times y/L (m < 0 after j's cuts)
///   ceiling          the pair's feasibility ceiling on the tie (Model::max_levels)
///
/// A host j answering for i's presence on a host-consent channel (i's tie (i, j, c)) weighs the same terms
/// from its own side: host_context is tie_context(j, i, c) with the guest's level and ceiling, less what only
/// the owner pays — the upkeep of the presence and the cost of raising it. The host still pays cost_down to cut
/// it: an expulsion costs the expelling state too.
///
/// Inline: it runs for every tie that comes up for review, and reads tables made once per model (size
/// factors, g(y/L), regime membership) instead of searching lists.
#include <vector>

#include "model/decision.hpp"
#include "model/model.hpp"
#include "model/state.hpp"
#include "model/workspace.hpp"

namespace tiesim {

/// The coefficients of U for tie (i, j, c). `caps` receives the regimes' caps that bind it.
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline TieContext tie_context(const Model& model, const State& state, const Situation& situation, int i, int j, int c,
                              std::vector<CapBinding>& caps) {
  const auto& channel = model.channels[static_cast<std::size_t>(c)];
  const auto& weights = state.weights[static_cast<std::size_t>(i)];
  const auto tie = model.tie_index(i, j, c);
  const int channel_count = model.channel_count();
  const int top = channel.top_level();
  caps.clear();
  if (situation.targeted[static_cast<std::size_t>(j)]) {  // most partners are nobody's target
    for (int r : situation.binding_regimes) {
      const auto regime = static_cast<std::size_t>(r);
      const int cap = state.caps[static_cast<std::size_t>(r * channel_count + c)];
      if (cap < top && model.regime_member[regime][static_cast<std::size_t>(i)] && model.regime_target[regime][static_cast<std::size_t>(j)])
        caps.push_back({state.enforcement[regime], cap});
    }
  }
  TieContext context;
  context.current = state.level[tie];
  context.top = top;
  context.ceiling = model.max_levels[tie];
  context.curvature = channel.benefit_curvature > 0 ? channel.benefit_curvature : model.parameters.benefit_curvature;
  context.shape = model.benefit_shape[static_cast<std::size_t>(c)].data();
  context.benefit_scale = weights.benefit * channel.benefit * (1.0 + state.benefit_bonus[tie]) *
                          model.size_factor[static_cast<std::size_t>(j)];
  context.upkeep_slope = weights.benefit * channel.upkeep;
  context.affinity_slope = weights.affinity * state.affect(i, j) * channel.salience;
  context.autonomy_value = weights.autonomy * channel.openness;
  context.compliance = weights.compliance;
  context.caps = caps;
  context.scrutiny_slope = situation.sanctioned[static_cast<std::size_t>(j)]
                               ? weights.pressure_sensitivity * state.pressure(i) * channel.visibility
                               : 0.0;
  context.alignment_slope = weights.alignment * situation.hostility(i, j) * channel.visibility;
  context.cost_up = channel.cost_up;
  context.cost_down = channel.cost_down;
  if (!state.memory.empty()) context.reciprocity_slope = weights.reciprocation * state.memory[tie];
  return context;
}

/// The coefficients of U for host j weighing guest i's presence on host-consent channel c, at the level of
/// i's tie (i, j, c).
inline TieContext host_context(const Model& model, const State& state, const Situation& situation, int host, int guest,
                               int c, std::vector<CapBinding>& caps) {
  TieContext context = tie_context(model, state, situation, host, guest, c, caps);
  const auto guest_tie = model.tie_index(guest, host, c);
  context.current = state.level[guest_tie];
  context.ceiling = model.max_levels[guest_tie];
  context.upkeep_slope = 0;  // the guest keeps its mission, workers or flights at its own cost
  context.cost_up = 0;       // letting a guest rise costs the host nothing to do
  return context;
}

}  // namespace tiesim
