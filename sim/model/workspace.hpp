#pragma once
/// Scratch memory of step(): buffers that would otherwise be allocated anew every step. A caller makes one
/// Workspace per replicate that runs at a time and passes it to every step; its content between steps means
/// nothing, so results never depend on it (nor on which workspace a step gets).
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "model/decision.hpp"

namespace tiesim {

/// What every decision of a step shares, derived once from the state after the step's events
/// (model/situation.cpp).
struct Situation {
  std::vector<char> sanctioned;        // j is a target of a sanctions regime in force, N
  std::vector<char> targeted;          // j is a target of a binding regime in force (may cap ties), N
  std::vector<int> binding_regimes;    // sanctions and commitments in force
  Eigen::MatrixXd hostility;           // Σ_k f_ik max(0, −a_kj), N x N
  std::vector<char> forced_review;     // pair (i, j) reviews all its ties this step, N x N
};

/// The outcome of a tie's review draw (model/review.cpp).
enum ReviewFlag : std::uint64_t {
  not_reviewed = 0,
  reviewed = 1,
  redraw = 2,  // the integer draw maps to 1.0, which uniform_01 rejects: draw again with a whole engine
};

/// What the review draws of a step share, by channel and by actor. Arrays of actors are padded with zeros
/// to a multiple of 8, so that the vector loops of row_reviews run whole (the padding's draws are made and
/// never read).
struct ReviewPlan {
  std::size_t padded = 0;                  // actors, rounded up to a multiple of 8
  std::vector<std::uint64_t> actor_keys;   // padded
  std::vector<std::uint64_t> row_keys;     // padded: mix64(step key ^ actor key)
  std::vector<std::uint64_t> review_salts; // per channel: channel key ^ review · constant
  std::vector<std::uint64_t> choice_salts; // per channel: channel key ^ choice · constant
  std::vector<std::uint64_t> host_review_salts, host_choice_salts, consent_salts;  // per channel, the same
  std::vector<int> host_channels;          // the channels with host consent
  std::vector<std::uint64_t> below, one;   // per channel: UniformBelow's thresholds for its review rate
  std::vector<char> mutual;                // per channel
  bool any_mutual = false;
  std::vector<std::uint64_t> all_mask, directed_mask;  // per word of 64 channels: every channel, the directed ones
};

/// A decision of actor i's row that changes a tie (or lowers a mutual one): made while deciding rows, applied
/// afterwards in row order (model/apply.cpp).
struct Change {
  int partner, channel, from, to;
  int wish_i = -1, wish_j = -1;  // a mutual tie's two wishes
  bool by_host = false;          // row i, as host, cuts partner j's tie (j, i, channel)
};

/// Scratch space of one thread deciding rows (see model/review.cpp).
struct RowScratch {
  std::vector<std::uint64_t> directed, transposed, mutual;  // pair keys by partner, padded
  std::vector<ReviewFlag> flags;                            // review flags, channel by channel, C x padded
  std::vector<std::uint64_t> flagged;                       // bit masks of flagged channels, words x padded
  std::vector<CapBinding> caps_i, caps_j;
};

/// All of step()'s scratch space.
struct Workspace {
  Situation situation;
  Eigen::VectorXd pressure_shock;       // lobbying of this step, N
  Eigen::MatrixXd affect_shock;         // affect shocks of this step's realised changes, N x N
  // pressure
  Eigen::VectorXd regime_pressure, secondary_pressure, diffused_pressure;  // N
  std::vector<int> targets, senders;
  // situation and affect: the operands of the step's matrix products, and the next affect (swapped in)
  Eigen::MatrixXd friends, hostile, balance, next_affect;
  Eigen::VectorXd anchoring;  // α_i of one step, N
  Eigen::VectorXd balance_rate;  // β of one step, per actor, N
  Eigen::VectorXd anchor;     // a column of a_ij(0) + g_ij, N
  // decisions
  ReviewPlan plan;
  std::vector<std::vector<Change>> changes;  // per row; cleared each step, their capacity kept
  std::vector<RowScratch> workers;           // one per thread deciding rows
};

}  // namespace tiesim
