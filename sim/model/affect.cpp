/// Step 5: affect, each actor's disposition toward each other.
///
///   a_ij ← clamp(a_ij + α_i (a_ij(0) − a_ij) + β (1 − a_ij²) (1/N_e) Σ_k a_ik a_kj + shock_ij, −1, 1),  a_ii = 0
///
/// With a grievance half-life the anchor is a_ij(0) + g_ij, where g_ij holds the incidents i suffered from j
/// and halves every half-life: anchoring pulls affect back toward a grievance that itself fades slowly, so
/// an assassination still governs the ties it should at their next review, a year on (Friedkin–Johnsen
/// anchoring alone forgets it within months).
///
/// N_e counts the actors engaged in any affect (a row or a column of A not all 0), not every actor: the mean
/// is over the third parties that can transmit balance, so that a bystander, with no affect toward anyone and
/// none toward it, changes no other pair's dynamics (MODEL.md divides by N, and adding bystanders weakened
/// every pair's balance term). When every actor is engaged, N_e = N.
///
/// Anchoring after Friedkin & Johnsen (1990); the balance term is the bounded form of Kułakowski et al.
/// (2005) of dX/dt = X² (Marvel et al. 2011), computed as one matrix product. The shocks are those of the
/// step's realised changes (model/apply.cpp); exogenous events shocked affect directly in step 1.
///
/// α_i and β are given per month. A step of Δ months uses α_step = 1 − (1 − α_i)^Δ, and β α_step / α_i (β Δ
/// when α_i = 0), so that the affect a pair settles at, anchor + β (1 − a²) mean / α, does not depend on the
/// step (Model::finalize()); the shocks are per move and per event, and are not scaled.
#include <algorithm>

#include "core/fixed_order.hpp"
#include "model/stages.hpp"

namespace tiesim {

namespace {

/// The number of actors k with a_kx ≠ 0 or a_xk ≠ 0 for some x.
int engaged_actors(const Eigen::MatrixXd& a) {
  const auto n = a.rows();
  std::vector<char> engaged(static_cast<std::size_t>(n), 0);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (a(i, j) != 0) engaged[static_cast<std::size_t>(i)] = engaged[static_cast<std::size_t>(j)] = 1;
  return static_cast<int>(std::count(engaged.begin(), engaged.end(), 1));
}

}  // namespace

void update_affect(const Model& model, State& state, Workspace& workspace) {
  const int n = model.actor_count();
  const Eigen::MatrixXd& a = state.affect;
  Eigen::MatrixXd& balance = workspace.balance;
  multiply_fixed_order(a, a, balance);  // Σ_k a_ik a_kj, in a fixed order (core/fixed_order.hpp)
  balance /= static_cast<double>(std::max(1, engaged_actors(a)));
  // α_i and β as they apply in one step (Model::finalize()): for a monthly step, the values given
  Eigen::VectorXd& anchoring = workspace.anchoring;
  Eigen::VectorXd& beta = workspace.balance_rate;
  anchoring.resize(n);
  beta.resize(n);
  for (int i = 0; i < n; ++i) {
    anchoring(i) = model.anchoring_step[static_cast<std::size_t>(i)];
    beta(i) = model.balance_step[static_cast<std::size_t>(i)];
  }
  Eigen::MatrixXd& next = workspace.next_affect;  // swapped with the state's: the two buffers take turns
  next.resize(n, n);
  // a column at a time with no test inside (so the compiler vectorises it); the diagonal is set to 0
  // afterwards
  const bool grieves = state.grievance.size() > 0;
  Eigen::VectorXd& anchor = workspace.anchor;
  for (int j = 0; j < n; ++j) {
    const double* a_col = a.col(j).data();
    const double* anchor_col = model.affect_anchor.col(j).data();
    if (grieves) {  // the anchor lowered by the grievance
      anchor = model.affect_anchor.col(j) + state.grievance.col(j);
      anchor_col = anchor.data();
    }
    const double* balance_col = balance.col(j).data();
    const double* shock_col = workspace.affect_shock.col(j).data();
    double* out = next.col(j).data();
    for (int i = 0; i < n; ++i) {
      const double value = a_col[i] + anchoring(i) * (anchor_col[i] - a_col[i]) +
                           beta(i) * (1.0 - a_col[i] * a_col[i]) * balance_col[i] + shock_col[i];
      out[i] = std::clamp(value, -1.0, 1.0);
    }
    out[j] = 0;
  }
  state.affect.swap(next);
  if (grieves) state.grievance *= model.grievance_decay;
}

}  // namespace tiesim
