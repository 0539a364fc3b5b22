#include "model/model.hpp"

#include <cmath>

#include "core/rng.hpp"

namespace tiesim {

Weights& Weights::operator+=(const Weights& other) {
  benefit += other.benefit;
  affinity += other.affinity;
  autonomy += other.autonomy;
  compliance += other.compliance;
  pressure_sensitivity += other.pressure_sensitivity;
  alignment += other.alignment;
  reciprocation += other.reciprocation;
  return *this;
}

namespace {

// Conversions of a rate per month to a step of Δ months. At Δ = 1 exactly each returns its input untouched:
// 1 − (1 − p) is not always p in floating point, and monthly runs must keep their bits.

/// A chance p per month (or a share moved per month): the chance in Δ months, 1 − (1 − p)^Δ.
double chance_per_step(double p, double months) { return months == 1.0 ? p : 1.0 - std::pow(1.0 - p, months); }

/// A share δ kept over a month: the share kept over Δ months, δ^Δ.
double retention_per_step(double kept, double months) { return months == 1.0 ? kept : std::pow(kept, months); }

/// The factor on an inflow into a stock that keeps δ a month, so that its steady state, inflow / (1 − δ), is
/// the same for any step: (1 − δ^Δ) / (1 − δ), and Δ in the limit δ = 1.
double inflow_per_step(double kept, double months) {
  if (months == 1.0) return 1.0;
  return kept < 1.0 ? (1.0 - std::pow(kept, months)) / (1.0 - kept) : months;
}

}  // namespace

void Model::finalize() {
  // rates are given per month (docs/model.md "Step length"); a step is Δ = 12 / (steps per year) months,
  // exactly 1 for a monthly step
  rate_step = 12.0 / calendar.steps_per_year();
  pressure_retention = retention_per_step(parameters.pressure_decay, rate_step);
  pressure_inflow = inflow_per_step(parameters.pressure_decay, rate_step);
  diffusion_step = chance_per_step(parameters.pressure_diffusion, rate_step);
  // affect is a stock anchored with 1 − α kept a month; the balance term flows into it, scaled like pressure's
  // inflow so that the affect an actor settles at (anchor + β f / α) does not depend on the step
  anchoring_step.clear();
  balance_step.clear();
  for (const auto& actor : actors) {
    anchoring_step.push_back(chance_per_step(actor.anchoring, rate_step));
    balance_step.push_back(parameters.balance * inflow_per_step(1.0 - actor.anchoring, rate_step));
  }

  actor_keys.clear();
  channel_keys.clear();
  for (const auto& actor : actors) actor_keys.push_back(name_key(actor.id));
  for (const auto& channel : channels) channel_keys.push_back(name_key(channel.id));

  const int n = actor_count();
  size_factor.clear();
  for (const auto& actor : actors) size_factor.push_back(std::pow(actor.size, parameters.size_exponent));
  // g(y/L) by the expression of utility_terms: std::pow(y / L, θ) with y / L computed in double
  benefit_shape.clear();
  review_draw.clear();
  for (const auto& channel : channels) {
    const double curvature = channel.benefit_curvature > 0 ? channel.benefit_curvature : parameters.benefit_curvature;
    auto& shape = benefit_shape.emplace_back();
    for (int level = 0; level <= channel.top_level(); ++level)
      shape.push_back(std::pow(static_cast<double>(level) / static_cast<double>(channel.top_level()), curvature));
    review_draw.emplace_back(chance_per_step(channel.review_rate, rate_step));
  }
  regime_member.assign(regimes.size(), std::vector<char>(static_cast<std::size_t>(n), 0));
  regime_target.assign(regimes.size(), std::vector<char>(static_cast<std::size_t>(n), 0));
  for (std::size_t r = 0; r < regimes.size(); ++r) {
    for (int member : regimes[r].members) regime_member[r][static_cast<std::size_t>(member)] = 1;
    for (int target : regimes[r].targets) regime_target[r][static_cast<std::size_t>(target)] = 1;
  }

  // reciprocity in kind: which channels answer a partner's moves on each channel, and how fast the memory
  // of those moves fades (a half-life in years, whatever the step)
  answered_by.assign(channels.size(), {});
  any_host_consent = false;
  for (std::size_t c = 0; c < channels.size(); ++c) {
    const int answers = channels[c].reciprocal >= 0 ? channels[c].reciprocal : static_cast<int>(c);
    answered_by[static_cast<std::size_t>(answers)].push_back(static_cast<int>(c));
    any_host_consent = any_host_consent || channels[c].host_consent;
  }
  remembers_moves = false;
  for (const auto& actor : actors) remembers_moves = remembers_moves || actor.weights.reciprocation != 0;
  for (const auto& event : events)
    remembers_moves = remembers_moves || (event.kind == EventKind::role && event.weight_change.reciprocation != 0);
  memory_decay = std::pow(0.5, 1.0 / (calendar.steps_per_year() * parameters.memory_half_life));
  grievance_decay = parameters.grievance_half_life > 0
                        ? std::pow(0.5, 1.0 / (calendar.steps_per_year() * parameters.grievance_half_life))
                        : 0.0;
  uses_agenda = parameters.follow_through || remembers_moves;
  for (const auto& regime : regimes) uses_agenda = uses_agenda || regime.implementation_months > 0;

  // pressure diffusion's links W: alliance and bloc partners weighted by cohesion, rows normalised; an
  // actor with no partners keeps its own pressure
  diffusion_links.resize(0, 0);
  if (parameters.pressure_diffusion > 0) {
    Eigen::MatrixXd links = Eigen::MatrixXd::Zero(n, n);
    for (const auto& regime : regimes) {
      if (regime.kind != RegimeKind::alliance && regime.kind != RegimeKind::bloc) continue;
      for (int i : regime.members)
        for (int k : regime.members)
          if (i != k) links(i, k) += regime.cohesion;
    }
    for (int i = 0; i < n; ++i) {
      double total = 0;  // summed in column order, not by Eigen's vectorised reduction
      for (int k = 0; k < n; ++k) total += links(i, k);
      if (total > 0) links.row(i) /= total;
      else links(i, i) = 1.0;
    }
    diffusion_links = std::move(links);
  }
}

}  // namespace tiesim
