#include "model/step.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "core/rng.hpp"

namespace tiesim {

namespace {

double clamp_affect(double value) { return std::clamp(value, -1.0, 1.0); }

/// Effective weights: base weights plus every role in effect.
void refresh_weights(const Model& model, State& state) {
  for (int i = 0; i < model.actor_count(); ++i) state.weights[static_cast<std::size_t>(i)] = model.actors[static_cast<std::size_t>(i)].weights;
  for (const auto& role : state.roles) state.weights[static_cast<std::size_t>(role.actor)] += role.change;
}

/// Quantities derived from the state once per step and shared by every decision (and by the utility
/// terms written to actors.csv).
struct Situation {
  std::vector<char> sanctioned;             // j is a target of a sanctions regime in force, N
  std::vector<char> targeted;               // j is a target of a binding regime in force (may cap ties), N
  Eigen::MatrixXd hostility;                // Σ_k f_ik max(0, −a_kj), N x N
  std::vector<int> binding_regimes;         // sanctions and commitments in force
  std::vector<char> forced_review;          // pair (i, j) reviews all its ties this step, N x N
};

Situation derive_situation(const Model& model, const State& state, std::vector<char> forced_review) {
  const int n = model.actor_count();
  Situation situation;
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

  // friends' weights f_ik = max(0, a_ik) s_k, normalised over k; an actor with no friends has f = 0
  Eigen::MatrixXd friends = state.affect.cwiseMax(0.0);
  for (int k = 0; k < n; ++k) friends.col(k) *= model.actors[static_cast<std::size_t>(k)].size;
  for (int i = 0; i < n; ++i) {
    const double total = friends.row(i).sum();
    if (total > 0) friends.row(i) /= total;
  }
  // how hostile i's friends are, on average, toward j: one matrix product, not a loop over k
  situation.hostility = friends * (-state.affect).cwiseMax(0.0);
  situation.forced_review = std::move(forced_review);
  return situation;
}

/// The coefficients of U for tie (i, j, c) as i sees it. `caps` receives the regimes' caps that bind it.
/// Called for every tie that comes up for review, so it reads tables made once per model (size factors,
/// g(y/L), regime membership) instead of searching lists; each coefficient is the same product as before.
TieContext tie_context(const Model& model, const State& state, const Situation& situation, int i, int j, int c,
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
  return context;
}

void force_review(std::vector<char>& forced, int n, int a, int b) {
  if (a < 0 || b < 0) return;
  forced[static_cast<std::size_t>(a * n + b)] = 1;
  forced[static_cast<std::size_t>(b * n + a)] = 1;
}

/// Step 1: the exogenous events of this step, dated and random, in order. Returns the pairs whose ties
/// all come up for review.
std::vector<char> apply_events(const Model& model, State& state, std::uint64_t replicate_seed,
                               Eigen::VectorXd& pressure_shock, StepRecord* record) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const Parameters& parameters = model.parameters;
  std::vector<char> forced(static_cast<std::size_t>(n * n), 0);
  const int now = state.step;

  // expire roles and agreements whose time is over
  bool roles_changed = false;
  std::erase_if(state.roles, [&](const ActiveRole& role) {
    const bool over = role.until_step >= 0 && now > role.until_step;
    roles_changed = roles_changed || over;
    return over;
  });
  std::erase_if(state.agreements, [&](const ActiveAgreement& agreement) {
    if (agreement.until_step < 0 || now <= agreement.until_step) return false;
    state.benefit_bonus[model.tie_index(agreement.actor, agreement.partner, agreement.channel)] -= agreement.bonus;
    state.benefit_bonus[model.tie_index(agreement.partner, agreement.actor, agreement.channel)] -= agreement.bonus;
    return true;
  });

  // regimes coming into force by their own date, and reporting deadlines falling due
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (regime.binds() && regime.in_force_step > 0 && regime.in_force_step == now && state.enforcement[r] <= 0)
      state.enforcement[r] = regime.enforcement;
  }
  std::erase_if(state.reports, [&](const PendingReport& report) {
    if (report.step != now) return false;
    state.enforcement[static_cast<std::size_t>(report.regime)] += report.boost;
    return true;
  });

  auto log = [&](const Event& event, int channel) {
    if (record)
      record->events.push_back({event.date, event.actor, event.partner, channel, -1, -1, event.cameo,
                                event.goldstein, true});
  };
  auto shock_affect = [&](int from, int to, double amount) {
    state.affect(from, to) = clamp_affect(state.affect(from, to) + amount);
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
        force_review(forced, n, event.actor, event.partner);
        log(event, -1);
        break;
      case EventKind::agreement:
        state.benefit_bonus[model.tie_index(event.actor, event.partner, event.channel)] += event.benefit;
        state.benefit_bonus[model.tie_index(event.partner, event.actor, event.channel)] += event.benefit;
        state.agreements.push_back({event.actor, event.partner, event.channel, event.until_step, event.benefit});
        shock_affect(event.actor, event.partner, shock);
        shock_affect(event.partner, event.actor, shock);
        force_review(forced, n, event.actor, event.partner);
        log(event, event.channel);
        break;
      case EventKind::role:
        state.roles.push_back({event.actor, event.until_step, event.weight_change});
        roles_changed = true;
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

  if (roles_changed) refresh_weights(model, state);
  return forced;
}

/// Σ_c v_c x_ijc / L_c: how much i keeps with j that sanctions scrutiny sees.
double exposure(const Model& model, const State& state, int i, int j) {
  double total = 0;
  for (int c = 0; c < model.channel_count(); ++c) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    total += channel.visibility * state.level[model.tie_index(i, j, c)] / channel.top_level();
  }
  return total;
}

/// Step 2: p_i ← δ p_i + Σ_r e_r exposure_ir + Σ_k ψ_k s_k dep_ik exposure_i + lobbying, then diffusion
/// along alliance and bloc links in Friedkin–Johnsen form: p ← (1 − μ) p + μ W p.
void update_pressure(const Model& model, State& state, const Eigen::VectorXd& pressure_shock) {
  const int n = model.actor_count();
  const Parameters& parameters = model.parameters;
  Eigen::VectorXd regime_pressure = Eigen::VectorXd::Zero(n);
  std::vector<char> sanctioned(static_cast<std::size_t>(n), 0);
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (regime.kind != RegimeKind::sanctions || state.enforcement[r] <= 0) continue;
    for (int target : regime.targets) sanctioned[static_cast<std::size_t>(target)] = 1;
    for (int i : regime.members) {
      double exposed = 0;
      for (int target : regime.targets)
        if (target != i) exposed += exposure(model, state, i, target);
      regime_pressure(i) += state.enforcement[r] * exposed;
    }
  }
  // secondary pressure: senders press those who depend on them, for what they keep with any target
  Eigen::VectorXd secondary = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    double exposed = 0;
    for (int j = 0; j < n; ++j)
      if (j != i && sanctioned[static_cast<std::size_t>(j)]) exposed += exposure(model, state, i, j);
    if (exposed <= 0) continue;
    for (int k = 0; k < n; ++k) {
      const auto& sender = model.actors[static_cast<std::size_t>(k)];
      if (k == i || sender.pressure_strength <= 0) continue;
      secondary(i) += sender.pressure_strength * sender.size * tie_index(model, state, i, k) * exposed;
    }
  }
  state.pressure = parameters.pressure_decay * state.pressure + regime_pressure + secondary + pressure_shock;

  if (parameters.pressure_diffusion > 0) {
    // W is fixed by the scenario: made once in Model::finalize()
    state.pressure = (1.0 - parameters.pressure_diffusion) * state.pressure +
                     parameters.pressure_diffusion * (model.diffusion_links * state.pressure);
  }
  state.pressure = state.pressure.cwiseMax(0.0);
}

double uniform(KeyedEngine& engine) { return boost::random::uniform_01<double>()(engine); }

/// Step 3 and 4: every tie up for review chooses among its neighbouring levels; changes are applied
/// together at the end (synchronous update), logged, and shock the partner's affect.
///
/// This loop runs N (N − 1) C times a step and, at ordinary review rates, almost every pass only draws
/// "not reviewed". So that draw is made as cheap as its keying allows: the keys are built in stages (the
/// step's key, then each actor's row, then the ordered pair, then channel and purpose, one mix each, with
/// the channel and purpose folded into one constant per channel), and the draw is compared as an integer
/// with a threshold made once per model (UniformBelow) instead of being converted to a double. The
/// draws, and so the results, are exactly those of a plain uniform_01(engine) < review_rate.
void decide(const Model& model, State& state, const Situation& situation, std::uint64_t replicate_seed,
            Eigen::MatrixXd& affect_shock, StepRecord* record) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const double reciprocity = model.parameters.reciprocity;
  const Date today = model.calendar.date_of(state.step);
  const std::uint64_t step_key = combine_key({replicate_seed, static_cast<std::uint64_t>(static_cast<std::int64_t>(state.step))});
  std::vector<std::uint64_t> row_keys(static_cast<std::size_t>(n));
  for (int a = 0; a < n; ++a) row_keys[static_cast<std::size_t>(a)] = mix64(step_key ^ model.actor_keys[static_cast<std::size_t>(a)]);
  std::vector<std::uint8_t> next = state.level;
  std::vector<CapBinding> caps_i, caps_j;

  // per channel, what its draws need: a draw's key is mix64(pair ^ channel key ^ purpose · constant)
  struct ChannelDraws {
    bool mutual;
    std::uint64_t review_salt, choice_salt;
    const UniformBelow* review;
  };
  std::vector<ChannelDraws> channels;
  bool any_mutual = false;
  for (int c = 0; c < channel_count; ++c) {
    const std::uint64_t key = model.channel_keys[static_cast<std::size_t>(c)];
    const bool mutual = model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual;
    any_mutual = any_mutual || mutual;
    channels.push_back({mutual, key ^ (static_cast<std::uint64_t>(DrawPurpose::review) * 0xd1b54a32d192ed03ULL),
                        key ^ (static_cast<std::uint64_t>(DrawPurpose::choice) * 0xd1b54a32d192ed03ULL),
                        &model.review_draw[static_cast<std::size_t>(c)]});
  }

  auto pair_key = [&](int a, int b) { return mix64(row_keys[static_cast<std::size_t>(a)] ^ model.actor_keys[static_cast<std::size_t>(b)]); };
  // i's choice for tie (i, j, c); `pair` is pair_key(i, j)
  auto choose = [&](int i, int j, int c, std::uint64_t pair, std::vector<CapBinding>& caps) {
    const TieContext context = tie_context(model, state, situation, i, j, c, caps);
    KeyedEngine engine(mix64(pair ^ channels[static_cast<std::size_t>(c)].choice_salt));
    const double precision = model.actors[static_cast<std::size_t>(i)].precision;
    return draw_level(choice_probabilities(context, precision), uniform(engine));
  };
  auto log_change = [&](int actor, int partner, int c, int from, int to) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    const bool up = to > from;
    const double goldstein = up ? channel.goldstein_up : channel.goldstein_down;
    if (record)
      record->events.push_back({today, actor, partner, c, from, to, up ? channel.cameo_up : channel.cameo_down,
                                goldstein, false});
    return goldstein;
  };

  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      const bool forced = situation.forced_review[static_cast<std::size_t>(i * n + j)] != 0;
      // a mutual tie's review is keyed by the unordered pair, a directed tie's by its owner first;
      // mutual ties are decided once per pair, from the row of its first actor (j > i)
      const std::uint64_t directed_key = pair_key(i, j);
      std::uint64_t mutual_key = directed_key;
      if (any_mutual && j > i && model.actor_keys[static_cast<std::size_t>(i)] > model.actor_keys[static_cast<std::size_t>(j)])
        mutual_key = pair_key(j, i);
      const std::size_t ties = model.tie_index(i, j, 0);
      for (int c = 0; c < channel_count; ++c) {
        const ChannelDraws& draws = channels[static_cast<std::size_t>(c)];
        if (draws.mutual && j < i) continue;
        if (!forced) {  // a forced review needs no draw
          KeyedEngine review(mix64((draws.mutual ? mutual_key : directed_key) ^ draws.review_salt));
          if (!(*draws.review)(review)) continue;
        }
        const auto tie = ties + static_cast<std::size_t>(c);
        const int current = state.level[tie];

        if (!draws.mutual) {
          const int chosen = choose(i, j, c, directed_key, caps_i);
          if (chosen == current) continue;
          next[tie] = static_cast<std::uint8_t>(chosen);
          affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
          continue;
        }
        // mutual: both state a wish; either can lower the tie, raising it needs both
        const int wish_i = choose(i, j, c, directed_key, caps_i);
        const int wish_j = choose(j, i, c, pair_key(j, i), caps_j);
        const int chosen = std::min(wish_i, wish_j);
        if (chosen == current) continue;
        next[tie] = next[model.tie_index(j, i, c)] = static_cast<std::uint8_t>(chosen);
        if (chosen > current) {
          const double goldstein = log_change(i, j, c, current, chosen);
          affect_shock(i, j) += reciprocity * goldstein / 10.0;
          affect_shock(j, i) += reciprocity * goldstein / 10.0;
        } else {
          // each side that asked for the cut is its author, and the other side resents it
          if (wish_i == chosen) affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
          if (wish_j == chosen) affect_shock(i, j) += reciprocity * log_change(j, i, c, current, chosen) / 10.0;
        }
      }
    }
  }
  state.level = std::move(next);
}

/// Step 5: a_ij ← clamp(a_ij + α_i (a_ij(0) − a_ij) + β (1 − a_ij²) (1/N) Σ_k a_ik a_kj + shocks).
/// Anchoring after Friedkin & Johnsen (1990); the balance term is the bounded form of Kułakowski et al.
/// (2005) of dX/dt = X² (Marvel et al. 2011), computed as one matrix product.
void update_affect(const Model& model, State& state, const Eigen::MatrixXd& affect_shock) {
  const int n = model.actor_count();
  const Eigen::MatrixXd& a = state.affect;
  const Eigen::MatrixXd balance = (a * a) / static_cast<double>(n);
  Eigen::MatrixXd next(n, n);
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) {
      if (i == j) {
        next(i, j) = 0;
        continue;
      }
      const double anchoring = model.actors[static_cast<std::size_t>(i)].anchoring;
      const double value = a(i, j) + anchoring * (model.affect_anchor(i, j) - a(i, j)) +
                           model.parameters.balance * (1.0 - a(i, j) * a(i, j)) * balance(i, j) + affect_shock(i, j);
      next(i, j) = clamp_affect(value);
    }
  }
  state.affect = std::move(next);
}

/// Each actor's utility terms at its current levels, summed over the ties it controls.
void record_actor_terms(const Model& model, const State& state, const Situation& situation, StepRecord& record) {
  const int n = model.actor_count();
  record.actor_terms.assign(static_cast<std::size_t>(n), UtilityTerms{});
  std::vector<CapBinding> caps;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      for (int c = 0; c < model.channel_count(); ++c) {
        TieContext context = tie_context(model, state, situation, i, j, c, caps);
        record.actor_terms[static_cast<std::size_t>(i)] += utility_terms(context, context.current);
      }
    }
}

}  // namespace

void StepRecord::clear() {
  events.clear();
  actor_terms.clear();
}

State initial_state(const Model& model) {
  const int n = model.actor_count();
  const auto channel_count = static_cast<std::size_t>(model.channel_count());
  State state;
  state.step = -model.spinup_steps;
  state.level = model.initial_levels;
  state.affect = model.affect_anchor;
  state.pressure = Eigen::VectorXd::Zero(n);
  state.enforcement.assign(model.regimes.size(), 0.0);
  state.caps.assign(model.regimes.size() * channel_count, uncapped);
  for (std::size_t r = 0; r < model.regimes.size(); ++r) {
    const auto& regime = model.regimes[r];
    if (!regime.binds()) continue;
    if (regime.in_force_step <= 0) state.enforcement[r] = regime.enforcement;
    for (std::size_t c = 0; c < channel_count; ++c) state.caps[r * channel_count + c] = regime.caps[c];
  }
  state.benefit_bonus.assign(state.level.size(), 0.0);
  state.weights.resize(static_cast<std::size_t>(n));
  refresh_weights(model, state);
  return state;
}

void step(const Model& model, State& state, std::uint64_t replicate_seed, StepRecord* record) {
  const int n = model.actor_count();
  if (record) record->clear();
  Eigen::VectorXd pressure_shock = Eigen::VectorXd::Zero(n);
  // 1. exogenous events (none during spin-up: their steps are ≥ 0)
  std::vector<char> forced = apply_events(model, state, replicate_seed, pressure_shock, record);
  // 2. pressure
  update_pressure(model, state, pressure_shock);
  // 3-4. decisions and their events
  const Situation situation = derive_situation(model, state, std::move(forced));
  Eigen::MatrixXd affect_shock = Eigen::MatrixXd::Zero(n, n);
  decide(model, state, situation, replicate_seed, affect_shock, record);
  if (record && record->with_actor_terms) record_actor_terms(model, state, situation, *record);
  // 5. affect
  update_affect(model, state, affect_shock);
  ++state.step;
}

double tie_index(const Model& model, const State& state, int from, int to) {
  double weighted = 0, total = 0;
  for (int c = 0; c < model.channel_count(); ++c) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    weighted += channel.index_weight * state.level[model.tie_index(from, to, c)] / channel.top_level();
    total += channel.index_weight;
  }
  return total > 0 ? weighted / total : 0.0;
}

std::optional<std::string> check_invariants(const Model& model, const State& state) {
  const int n = model.actor_count();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int c = 0; c < model.channel_count(); ++c) {
        const auto& channel = model.channels[static_cast<std::size_t>(c)];
        const int level = state.level[model.tie_index(i, j, c)];
        const auto where = " at step " + std::to_string(state.step) + ": " + model.actors[static_cast<std::size_t>(i)].id +
                           "->" + model.actors[static_cast<std::size_t>(j)].id + " " + channel.id;
        if (level > channel.top_level()) return "level above the ladder" + where;
        if (i == j && level != 0) return "tie to itself" + where;
        if (channel.kind == ChannelKind::mutual && level != state.level[model.tie_index(j, i, c)])
          return "mutual tie not symmetric" + where;
      }
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(state.pressure(i)) || state.pressure(i) < 0)
      return "pressure negative or not finite for " + model.actors[static_cast<std::size_t>(i)].id;
    for (int j = 0; j < n; ++j) {
      const double a = state.affect(i, j);
      if (!std::isfinite(a) || a < -1 || a > 1) return "affect out of [-1, 1] or not finite";
      if (i == j && a != 0) return "affect toward itself is not 0";
    }
  }
  for (double e : state.enforcement)
    if (!std::isfinite(e) || e < 0) return "enforcement negative or not finite";
  return std::nullopt;
}

}  // namespace tiesim
