/// Step 2a: what every decision of the step shares, from the state after its events.
///
///   sanctioned_j   j is a target of a sanctions regime in force
///   targeted_j     j is a target of a binding regime (sanctions or commitment) in force
///   f_ik           max(0, a_ik) s_k / Σ_k' max(0, a_ik') s_k'    friends' weights; 0 for an actor with no friends
///   H_ij           Σ_k f_ik max(0, −a_kj)                        how hostile i's friends are to j: H = F · max(0, −A)
#include "core/fixed_order.hpp"
#include "model/stages.hpp"

namespace tiesim {

void derive_situation(const Model& model, const State& state, Workspace& workspace) {
  const int n = model.actor_count();
  Situation& situation = workspace.situation;
  situation.binding_regimes.clear();
  situation.sanctioned.assign(static_cast<std::size_t>(n), 0);
  situation.targeted.assign(static_cast<std::size_t>(n), 0);
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (!regime.binds() || state.enforcement[r] <= 0) continue;
    situation.binding_regimes.push_back(static_cast<int>(r));
    for (int target : regime.targets) situation.targeted[static_cast<std::size_t>(target)] = 1;
    if (regime.kind == RegimeKind::sanctions)
      for (int target : regime.targets) situation.sanctioned[static_cast<std::size_t>(target)] = 1;
  }

  // friends' weights, column by column (Eigen's storage order): each row's total is still summed over k
  // from the first column on
  Eigen::MatrixXd& friends = workspace.friends;
  friends = state.affect.cwiseMax(0.0);
  for (int k = 0; k < n; ++k) friends.col(k) *= model.actors[static_cast<std::size_t>(k)].size;
  Eigen::VectorXd total = friends.col(0);
  for (int k = 1; k < n; ++k) total += friends.col(k);
  // rows without friends are all zeros and divided by 1 (exact), so no test is needed inside the loop
  const Eigen::ArrayXd divisor = (total.array() > 0).select(total.array(), 1.0);
  for (int k = 0; k < n; ++k) friends.col(k).array() /= divisor;
  // one matrix product, not a loop over k, in a fixed order of summation (core/fixed_order.hpp)
  workspace.hostile = (-state.affect).cwiseMax(0.0);
  multiply_fixed_order(friends, workspace.hostile, situation.hostility);
}

}  // namespace tiesim
