#include "model/decision.hpp"

#include <algorithm>
#include <cmath>

namespace tiesim {

UtilityTerms& UtilityTerms::operator+=(const UtilityTerms& other) {
  benefit += other.benefit;
  affinity += other.affinity;
  autonomy += other.autonomy;
  violation += other.violation;
  scrutiny += other.scrutiny;
  alignment += other.alignment;
  adjustment += other.adjustment;
  return *this;
}

namespace {

/// U(y) term by term. Inlined into choice_probabilities, which evaluates it for up to three levels of every
/// tie that comes up for review: as a call it cost more than the arithmetic (and the terms are the same
/// doubles either way: without -ffast-math the compiler may not reorder them).
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline UtilityTerms evaluate(const TieContext& tie, int level) {
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
  return terms;
}

}  // namespace

UtilityTerms utility_terms(const TieContext& tie, int level) { return evaluate(tie, level); }

Choice choice_probabilities(const TieContext& tie, double precision) {
  Choice choice;
  std::array<double, 3> utility{};
  for (int level = std::max(0, tie.current - 1); level <= std::min(tie.top, tie.current + 1); ++level) {
    choice.level[static_cast<std::size_t>(choice.count)] = level;
    utility[static_cast<std::size_t>(choice.count)] = evaluate(tie, level).total();
    ++choice.count;
  }
  // subtract the maximum before exponentiating, so a large λ cannot overflow
  const auto count = static_cast<std::size_t>(choice.count);
  const double best = *std::max_element(utility.begin(), utility.begin() + static_cast<std::ptrdiff_t>(count));
  double sum = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double scaled = precision * (utility[k] - best);
    // λ = ∞ would give 0 · ∞ for the best level; treat the best as weight 1
    choice.probability[k] = utility[k] == best ? 1.0 : std::exp(scaled);
    sum += choice.probability[k];
  }
  for (std::size_t k = 0; k < count; ++k) choice.probability[k] /= sum;
  return choice;
}

int draw_level(const Choice& choice, double uniform) {
  double cumulative = 0;
  for (int k = 0; k < choice.count - 1; ++k) {
    cumulative += choice.probability[static_cast<std::size_t>(k)];
    if (uniform < cumulative) return choice.level[static_cast<std::size_t>(k)];
  }
  return choice.level[static_cast<std::size_t>(choice.count - 1)];
}

}  // namespace tiesim
