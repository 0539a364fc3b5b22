#pragma once
/// The decision rule: the utility of a tie level and the logit choice among the levels within one step.
#include <algorithm>
#include <array>
#include <cmath>
#include <span>

namespace tiesim {

/// The terms of U(y), each a signed contribution (costs are ≤ 0).
struct UtilityTerms {
  double benefit = 0;     // w^B (b_c g(y/L) s_j^γ − k_c y/L): net material benefit
  double affinity = 0;    // w^E a_ij σ_c y/L
  double autonomy = 0;    // w^A o_c [y > 0]
  double violation = 0;   // −w^C Σ_r e_r max(0, y − cap_rc)
  double scrutiny = 0;    // −w^P p_i v_c y/L [j sanctioned]
  double alignment = 0;   // −w^L Σ_k f_ik max(0, −a_kj) v_c y/L
  double adjustment = 0;  // −cost_up max(0, y − x) − cost_down max(0, x − y)
  double reciprocity = 0; // w^R m_ijc y/L: the partner's recent moves answered in kind

  // (reciprocity is added last, so that a scenario without it sums the other terms as it always did)
  double total() const { return benefit + affinity + autonomy + violation + scrutiny + alignment + adjustment + reciprocity; }
  UtilityTerms& operator+=(const UtilityTerms& other) {  // inline: called once per tie of a recorded step
    benefit += other.benefit;
    affinity += other.affinity;
    autonomy += other.autonomy;
    violation += other.violation;
    scrutiny += other.scrutiny;
    alignment += other.alignment;
    adjustment += other.adjustment;
    reciprocity += other.reciprocity;
    return *this;
  }
};

/// A regime's cap on a tie: above `cap` each level costs `enforcement` (times w^C).
struct CapBinding {
  double enforcement;
  int cap;
};

/// Everything about one tie (i, j, c) that stays fixed while i decides it: the coefficients of U.
struct TieContext {
  int current = 0;              // x, the level now
  int top = 1;                  // L_c ≥ 1
  int ceiling = 1 << 20;        // highest level the pair can have (feasibility); at or above L_c: none
  double curvature = 0.5;       // θ of g(u) = u^θ
  const double* shape = nullptr;  // g(y/L) for y = 0..L, precomputed (Model::benefit_shape); null: std::pow
  double benefit_scale = 0;     // w^B b_c (1 + agreement bonus) s_j^γ
  double upkeep_slope = 0;      // w^B k_c
  double affinity_slope = 0;    // w^E a_ij σ_c
  double autonomy_value = 0;    // w^A o_c
  double compliance = 0;        // w^C
  std::span<const CapBinding> caps;
  double scrutiny_slope = 0;    // w^P p_i v_c, 0 unless j is a sanctions target
  double alignment_slope = 0;   // w^L Σ_k f_ik max(0, −a_kj) v_c
  double reciprocity_slope = 0; // w^R m_ijc
  double cost_up = 0, cost_down = 0;
};

/// U(y) term by term.
UtilityTerms utility_terms(const TieContext& tie, int level);

/// The same, defined here so that the hot paths (choice_probabilities, which evaluates up to three levels
/// of every tie that comes up for review, and the actor terms of a recorded step, one per tie) inline it:
/// as a call it cost more than its arithmetic. The terms are the same doubles either way: without
/// -ffast-math the compiler may not reorder them.
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline UtilityTerms utility_terms_inline(const TieContext& tie, int level) {
  const double share = static_cast<double>(level) / static_cast<double>(tie.top);  // y / L
  UtilityTerms terms;
  // concave benefit: the first steps up a ladder are worth most; upkeep grows with the level held
  // (a `shape` table holds the same std::pow(share, curvature), computed once per model, not per decision)
  const double gain = level > 0 ? tie.benefit_scale * (tie.shape ? tie.shape[level] : std::pow(share, tie.curvature)) : 0.0;
  terms.benefit = gain - tie.upkeep_slope * share;
  // signed: warmth makes a salient tie worth more, hostility makes it cost
  terms.affinity = tie.affinity_slope * share;
  terms.autonomy = level > 0 ? tie.autonomy_value : 0.0;
  double excess = 0;
  for (const auto& binding : tie.caps) excess += binding.enforcement * std::max(0, level - binding.cap);
  terms.violation = -tie.compliance * excess;
  terms.scrutiny = -tie.scrutiny_slope * share;
  terms.alignment = -tie.alignment_slope * share;
  terms.adjustment = -tie.cost_up * std::max(0, level - tie.current) - tie.cost_down * std::max(0, tie.current - level);
  terms.reciprocity = tie.reciprocity_slope * share;
  return terms;
}

/// The levels open in one step, {x − 1, x, x + 1} within 0..L, and their logit probabilities
/// P(y) ∝ exp(λ U(y)) (McFadden 1974; quantal response, McKelvey & Palfrey 1995).
struct Choice {
  std::array<int, 3> level{};
  std::array<double, 3> probability{};
  int count = 0;
};

/// λ = 0 gives equal chances; a very large λ picks the best level (ties shared equally).
Choice choice_probabilities(const TieContext& tie, double precision);

/// The same among the levels low..high only (at most three): a host's answer to a rise, {x, x + 1}, or its
/// own review of a guest's presence, {x − 1, x}.
Choice choice_among(const TieContext& tie, double precision, int low, int high);

/// The level drawn by a uniform number u ∈ [0, 1) (inverse of the cumulative distribution).
int draw_level(const Choice& choice, double uniform);

}  // namespace tiesim
