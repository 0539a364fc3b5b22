#include "model/decision.hpp"

#include <algorithm>
#include <cmath>

namespace tiesim {

UtilityTerms utility_terms(const TieContext& tie, int level) { return utility_terms_inline(tie, level); }

Choice choice_probabilities(const TieContext& tie, double precision) {
  return choice_among(tie, precision, std::max(0, tie.current - 1), std::min({tie.top, tie.ceiling, tie.current + 1}));
}

Choice choice_among(const TieContext& tie, double precision, int low, int high) {
  Choice choice;
  std::array<double, 3> utility{};
  for (int level = low; level <= high; ++level) {
    choice.level[static_cast<std::size_t>(choice.count)] = level;
    utility[static_cast<std::size_t>(choice.count)] = utility_terms_inline(tie, level).total();
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
