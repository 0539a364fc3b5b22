/// Step 1: the exogenous events of the step, in order (docs/model.md "Events").
///
///   resolution    e_r ← given level (or the regime's own), caps_rc ← min(caps_rc, cap_c); a reporting
///                 deadline adds its boost to e_r in the step that holds it, after that step's events (so a
///                 deadline in the resolution's own step counts)
///   provocation   a_i,author += κ · intensity · goldstein/10 · w^C_i   for every other actor i
///   incident      a_partner,actor += κ · intensity · goldstein/10; the pair reviews all its ties; with a
///                 grievance half-life the same shock also lowers the partner's anchor for the author
///                 (g_partner,actor, model/affect.cpp), so the grievance outlasts anchoring
///   agreement     bonus_ijc = bonus_jic = Σ bonus of the agreements in effect on the pair's channel c;
///                 a_ij, a_ji += κ · intensity · goldstein/10; it ends at its `until`, or when either party
///                 suspends it: its affect toward the other is below [model] suspend_below, or the other
///                 strikes it in an incident (logged as the party's move, CAMEO 160)
///   role          weights of the actor = base + Σ changes of its roles in effect, from the role's event on
///                 (events later in the same step see it) to its last step
///   lobbying      p_partner += pressure; a_partner,against −= affect; the pair reviews all its ties
///   random        a Poisson count per step of a provocation or an incident, each from its own stream
///   implementation  a regime with implementation_months, once in force or tightened, puts every tie it caps
///                 above its cap on its owner's agenda (and its host's) in the step that many months later
#include <algorithm>
#include <cmath>

#include <boost/random/poisson_distribution.hpp>

#include "core/cameo.hpp"
#include "core/rng.hpp"
#include "model/stages.hpp"

namespace tiesim {

namespace {

double clamp_affect(double value) { return std::clamp(value, -1.0, 1.0); }

void force_review(std::vector<char>& forced, int n, int a, int b) {
  if (a < 0 || b < 0) return;
  forced[static_cast<std::size_t>(a * n + b)] = 1;
  forced[static_cast<std::size_t>(b * n + a)] = 1;
}

/// Sets the bonus of tie (a, b, c), both ways, to the sum of the agreements in effect on it, in the order
/// they began: recomputed rather than added and subtracted, so it returns exactly to 0 when they end.
void refresh_bonus(const Model& model, State& state, int a, int b, int c) {
  double bonus = 0;
  for (const auto& agreement : state.agreements)
    if (agreement.channel == c && ((agreement.actor == a && agreement.partner == b) || (agreement.actor == b && agreement.partner == a)))
      bonus += agreement.bonus;
  state.benefit_bonus[model.tie_index(a, b, c)] = bonus;
  state.benefit_bonus[model.tie_index(b, a, c)] = bonus;
}

}  // namespace

void refresh_weights(const Model& model, State& state) {
  for (int i = 0; i < model.actor_count(); ++i) state.weights[static_cast<std::size_t>(i)] = model.actors[static_cast<std::size_t>(i)].weights;
  for (const auto& role : state.roles) state.weights[static_cast<std::size_t>(role.actor)] += role.change;
}

void apply_events(const Model& model, State& state, std::uint64_t replicate_seed, Workspace& workspace,
                  StepRecord* record) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const Parameters& parameters = model.parameters;
  std::vector<char>& forced = workspace.situation.forced_review;
  Eigen::VectorXd& pressure_shock = workspace.pressure_shock;
  forced.assign(static_cast<std::size_t>(n * n), 0);
  pressure_shock.setZero(n);
  const int now = state.step;

  // expire roles and agreements whose time is over; weights and bonuses follow at once, so every event of
  // this step sees only what is still in effect
  auto over = [now](int until_step) { return until_step >= 0 && now > until_step; };
  if (std::erase_if(state.roles, [&](const ActiveRole& role) { return over(role.until_step); }) > 0)
    refresh_weights(model, state);
  std::vector<ActiveAgreement> ended;
  std::erase_if(state.agreements, [&](const ActiveAgreement& agreement) {
    if (over(agreement.until_step)) ended.push_back(agreement);
    return over(agreement.until_step);
  });
  for (const auto& agreement : ended) refresh_bonus(model, state, agreement.actor, agreement.partner, agreement.channel);

  // a regime that comes into force or tightens sets its implementation deadline
  auto implement = [&](std::size_t r) {
    const double months = model.regimes[r].implementation_months;
    if (months <= 0) return;
    const int steps = static_cast<int>(std::lround(months * model.calendar.steps_per_year() / 12.0));
    state.implementations.push_back({static_cast<int>(r), now + steps});
  };

  // regimes coming into force by their own date
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (regime.binds() && regime.in_force_step > 0 && regime.in_force_step == now && state.enforcement[r] <= 0) {
      state.enforcement[r] = regime.enforcement;
      implement(r);
    }
  }

  auto log = [&](const Event& event, int channel) {
    if (record)
      record->events.push_back({event.date, event.actor, event.partner, channel, -1, -1, event.cameo,
                                event.goldstein, true, false, event.id, event.label});
  };
  auto shock_affect = [&](int from, int to, double amount) {
    state.affect(from, to) = clamp_affect(state.affect(from, to) + amount);
  };

  // `party` suspends its agreements with `other`: their bonus goes, and the suspension is a logged move
  auto suspend_agreements = [&](int party, int other, Date date) {
    std::vector<ActiveAgreement> suspended;
    std::erase_if(state.agreements, [&](const ActiveAgreement& agreement) {
      const bool between = (agreement.actor == party && agreement.partner == other) ||
                           (agreement.actor == other && agreement.partner == party);
      if (between) suspended.push_back(agreement);
      return between;
    });
    for (const auto& agreement : suspended) {
      refresh_bonus(model, state, agreement.actor, agreement.partner, agreement.channel);
      if (record)
        record->events.push_back({date, party, other, agreement.channel, -1, -1, "160", *goldstein_weight("160"), false, false, {}, {}});
    }
  };

  auto apply = [&](const Event& event) {
    const double shock = parameters.event_affect_scale * event.intensity * event.goldstein / 10.0;
    switch (event.kind) {
      case EventKind::resolution: {
        const auto r = static_cast<std::size_t>(event.regime);
        if (event.sets_enforcement) state.enforcement[r] = event.enforcement;
        else if (state.enforcement[r] <= 0) state.enforcement[r] = model.regimes[r].enforcement;
        for (int c = 0; c < channel_count; ++c) {
          auto& cap = state.caps[r * static_cast<std::size_t>(channel_count) + static_cast<std::size_t>(c)];
          cap = std::min(cap, event.caps[static_cast<std::size_t>(c)]);
        }
        if (event.report_step >= 0) state.reports.push_back({event.regime, event.report_step, event.report_boost});
        implement(r);
        log(event, -1);
        break;
      }
      case EventKind::provocation:
        // others turn against the author in proportion to how much they value the norms it breaks
        for (int i = 0; i < n; ++i)
          if (i != event.actor) shock_affect(i, event.actor, shock * state.weights[static_cast<std::size_t>(i)].compliance);
        log(event, -1);
        break;
      case EventKind::incident:
        shock_affect(event.partner, event.actor, shock);
        if (state.grievance.size() > 0)
          state.grievance(event.partner, event.actor) = clamp_affect(state.grievance(event.partner, event.actor) + shock);
        force_review(forced, n, event.actor, event.partner);
        log(event, -1);
        if (parameters.suspend_below > -1) suspend_agreements(event.partner, event.actor, event.date);
        break;
      case EventKind::agreement:
        state.agreements.push_back({event.actor, event.partner, event.channel, event.until_step, event.benefit});
        refresh_bonus(model, state, event.actor, event.partner, event.channel);
        shock_affect(event.actor, event.partner, shock);
        shock_affect(event.partner, event.actor, shock);
        force_review(forced, n, event.actor, event.partner);
        log(event, event.channel);
        break;
      case EventKind::role:
        state.roles.push_back({event.actor, event.until_step, event.weight_change});
        refresh_weights(model, state);
        log(event, -1);
        break;
      case EventKind::lobbying:
        pressure_shock(event.partner) += event.pressure;
        if (event.against >= 0) {
          shock_affect(event.partner, event.against, -event.affect);
          force_review(forced, n, event.partner, event.against);
        }
        log(event, -1);
        break;
    }
  };

  // dated events of this step, in their order
  auto first = std::lower_bound(model.events.begin(), model.events.end(), now,
                                [](const Event& event, int step) { return event.step < step; });
  for (auto it = first; it != model.events.end() && it->step == now; ++it) apply(*it);

  // random events: a Poisson count per step from each one's own stream
  for (const auto& random : model.random_events) {
    if (now < random.from_step || now > random.until_step || random.rate_per_step <= 0) continue;
    KeyedEngine engine(combine_key({replicate_seed, static_cast<std::uint64_t>(DrawPurpose::random_event),
                                    static_cast<std::uint64_t>(now), name_key(random.id)}));
    boost::random::poisson_distribution<int, double> poisson(random.rate_per_step);
    const int count = poisson(engine);
    Event event;
    event.id = random.id;
    event.kind = random.kind;
    event.label = random.label;
    event.date = model.calendar.date_of(now);
    event.actor = random.actor;
    event.partner = random.partner;
    event.cameo = random.cameo;
    event.goldstein = random.goldstein;
    event.intensity = random.intensity;
    for (int k = 0; k < count; ++k) apply(event);
  }

  // agreements a party no longer wants: its affect toward the other has turned
  if (parameters.suspend_below > -1 && !state.agreements.empty()) {
    const Date today = model.calendar.date_of(now);
    for (std::size_t k = 0; k < state.agreements.size();) {
      const ActiveAgreement agreement = state.agreements[k];
      const bool actor_done = state.affect(agreement.actor, agreement.partner) < parameters.suspend_below;
      if (actor_done || state.affect(agreement.partner, agreement.actor) < parameters.suspend_below) {
        const int party = actor_done ? agreement.actor : agreement.partner;
        suspend_agreements(party, party == agreement.actor ? agreement.partner : agreement.actor, today);
        k = 0;  // the list changed
      } else {
        ++k;
      }
    }
  }

  // implementation deadlines falling due: every capped tie above its cap is reviewed, by its owner (a member)
  // and, on host-consent channels, by the member as host of the target's presence
  std::erase_if(state.implementations, [&](const PendingImplementation& due) {
    if (due.step > now) return false;
    const auto r = static_cast<std::size_t>(due.regime);
    for (int c = 0; c < channel_count; ++c) {
      const int cap = state.caps[r * static_cast<std::size_t>(channel_count) + static_cast<std::size_t>(c)];
      const bool hosted = model.channels[static_cast<std::size_t>(c)].host_consent;
      for (int i : model.regimes[r].members)
        for (int j : model.regimes[r].targets) {
          if (i == j) continue;
          if (state.level[model.tie_index(i, j, c)] > cap || (hosted && state.level[model.tie_index(j, i, c)] > cap))
            state.agenda[model.tie_index(i, j, c)] = 1;
        }
    }
    return true;
  });

  // reporting deadlines falling due in this step, including those its own resolutions just set
  std::erase_if(state.reports, [&](const PendingReport& report) {
    if (report.step > now) return false;
    state.enforcement[static_cast<std::size_t>(report.regime)] += report.boost;
    return true;
  });
}

}  // namespace tiesim
