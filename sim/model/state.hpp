#pragma once
/// The mutable state of a run: plain data that only step() advances (model/step.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "model/model.hpp"

namespace tiesim {

/// A role in effect: weights added to an actor's until a step.
struct ActiveRole {
  int actor;
  int until_step;  // last step in effect; −1: no end
  Weights change;
};

/// An agreement in effect: a pair's benefit of a channel multiplied by 1 + bonus until a step.
struct ActiveAgreement {
  int actor, partner, channel;
  int until_step;  // last step in effect; −1: no end
  double bonus;
};

/// A reporting deadline still to come: enforcement rises by `boost` in step `step`.
struct PendingReport {
  int regime;
  int step;
  double boost;
};

/// A regime's implementation deadline: in step `step` the ties it caps above their cap come up for review.
struct PendingImplementation {
  int regime;
  int step;
};

/// Everything that changes during a run.
struct State {
  int step = 0;                       // next step to run; negative during spin-up
  std::vector<std::uint8_t> level;    // x_ijc, N x N x C (Model::tie_index); mutual ties stored both ways
  Eigen::MatrixXd affect;             // a_ij ∈ [−1, 1], N x N, diagonal 0
  Eigen::VectorXd pressure;           // p_i ≥ 0, N
  std::vector<double> enforcement;    // e_r(t), R; 0 while a regime is not in force
  std::vector<int> caps;              // current caps, R x C (index r * C + c)
  std::vector<double> benefit_bonus;  // Σ bonus of the agreements in effect on tie (i, j, c), N x N x C
  std::vector<Weights> weights;       // effective weights: base plus the roles in effect, N
  std::vector<ActiveRole> roles;
  std::vector<ActiveAgreement> agreements;
  std::vector<PendingReport> reports;
  std::vector<PendingImplementation> implementations;
  Eigen::MatrixXd grievance;          // g_ij ≤ 0: i's lasting grievance against j, lowering its affect anchor, N x N
                                      // (empty unless the model has a grievance half-life)
  std::vector<std::uint8_t> agenda;   // tie (i, j, c) is reviewed for certain in the next step, N x N x C:
                                      // it moved (follow-through) or i answers j's move in kind
  std::vector<double> memory;         // m_ijc: i's fading memory of j's moves that channel c answers, in
                                      // ladder shares (− cuts, + openings), N x N x C; empty unless remembered
};

/// The state at the start of spin-up (step = −spinup_steps).
State initial_state(const Model& model);

/// The tie index of i toward j: weighted mean of level / L over i's directed and the pair's mutual
/// channels, in [0, 1].
double tie_index(const Model& model, const State& state, int from, int to);

/// Nullopt when every invariant holds: levels within their ladders, mutual ties symmetric, affect in
/// [−1, 1] with a zero diagonal, pressure ≥ 0, nothing NaN. Otherwise a description of the first breach.
std::optional<std::string> check_invariants(const Model& model, const State& state);

}  // namespace tiesim
