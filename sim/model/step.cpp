#include "model/step.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

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

/// Fills `situation` (its forced_review is filled by apply_events). Its buffers are kept from step to step.
void derive_situation(const Model& model, const State& state, Situation& situation) {
  const int n = model.actor_count();
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

  // friends' weights f_ik = max(0, a_ik) s_k, normalised over k; an actor with no friends has f = 0.
  // Column by column (Eigen's storage order) rather than row by row: each row's total is still summed
  // over k from the first column on, as row(i).sum() sums it, so the weights are the same doubles.
  static thread_local Eigen::MatrixXd friends, hostile;
  friends = state.affect.cwiseMax(0.0);
  for (int k = 0; k < n; ++k) friends.col(k) *= model.actors[static_cast<std::size_t>(k)].size;
  Eigen::VectorXd total = friends.col(0);
  for (int k = 1; k < n; ++k) total += friends.col(k);
  // rows without friends are all zeros and divided by 1 (exact), so no test is needed inside the loop
  const Eigen::ArrayXd divisor = (total.array() > 0).select(total.array(), 1.0);
  for (int k = 0; k < n; ++k) friends.col(k).array() /= divisor;
  // how hostile i's friends are, on average, toward j: one matrix product, not a loop over k
  // (max(0, −A) made into a kept matrix: Eigen would evaluate it into a temporary before the product anyway)
  hostile = (-state.affect).cwiseMax(0.0);
  situation.hostility.noalias() = friends * hostile;
}

/// The coefficients of U for tie (i, j, c) as i sees it. `caps` receives the regimes' caps that bind it.
/// Called for every tie that comes up for review, so it reads tables made once per model (size factors,
/// g(y/L), regime membership) instead of searching lists; each coefficient is the same product as before.
#if defined(__GNUC__)
[[gnu::always_inline]]
#endif
inline TieContext tie_context(const Model& model, const State& state, const Situation& situation, int i, int j, int c,
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

/// Step 1: the exogenous events of this step, dated and random, in order. Fills `forced` (N x N) with the
/// pairs whose ties all come up for review.
void apply_events(const Model& model, State& state, std::uint64_t replicate_seed, std::vector<char>& forced,
                  Eigen::VectorXd& pressure_shock, StepRecord* record) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const Parameters& parameters = model.parameters;
  forced.assign(static_cast<std::size_t>(n * n), 0);
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
  // buffers kept from step to step (one set per thread): a handful of allocations per step cost more than
  // this function's arithmetic at the reference scenario's size
  static thread_local Eigen::VectorXd regime_pressure, secondary;
  static thread_local std::vector<char> sanctioned;
  static thread_local std::vector<int> targets, senders;
  regime_pressure.setZero(n);
  sanctioned.assign(static_cast<std::size_t>(n), 0);
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
  // secondary pressure: senders press those who depend on them, for what they keep with any target.
  // Targets and senders are few: listed once (in index order, so sums run in the same order) instead of
  // testing every actor for every actor.
  targets.clear();
  senders.clear();
  for (int j = 0; j < n; ++j)
    if (sanctioned[static_cast<std::size_t>(j)]) targets.push_back(j);
  for (int k = 0; k < n; ++k)
    if (model.actors[static_cast<std::size_t>(k)].pressure_strength > 0) senders.push_back(k);
  secondary.setZero(n);
  for (int i = 0; i < n && !targets.empty(); ++i) {
    double exposed = 0;
    for (int j : targets)
      if (j != i) exposed += exposure(model, state, i, j);
    if (exposed <= 0) continue;
    for (int k : senders) {
      const auto& sender = model.actors[static_cast<std::size_t>(k)];
      if (k == i) continue;
      secondary(i) += sender.pressure_strength * sender.size * tie_index(model, state, i, k) * exposed;
    }
  }
  state.pressure = parameters.pressure_decay * state.pressure + regime_pressure + secondary + pressure_shock;

  if (parameters.pressure_diffusion > 0) {
    // W is fixed by the scenario: made once in Model::finalize(). (Keep this expression as it is: Eigen
    // evaluates μ (W p) as one product with μ applied inside its kernel, and W p first, then μ, would
    // round differently.)
    state.pressure = (1.0 - parameters.pressure_diffusion) * state.pressure +
                     parameters.pressure_diffusion * (model.diffusion_links * state.pressure);
  }
  state.pressure = state.pressure.cwiseMax(0.0);
}

double uniform(KeyedEngine& engine) { return boost::random::uniform_01<double>()(engine); }

#if defined(__GNUC__)
#define TIESIM_ALWAYS_INLINE __attribute__((always_inline))
#else
#define TIESIM_ALWAYS_INLINE
#endif

// Built for AVX2 and AVX-512 too where the compiler can (GCC on x86-64), the best chosen at load time.
// Not under ThreadSanitizer: the clones' resolver runs while the program is being loaded, before the TSan
// runtime is set up, and its instrumented code crashes every program at start.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define TIESIM_VECTOR_CLONES __attribute__((target_clones("default", "avx2", "arch=x86-64-v4")))
#else
#define TIESIM_VECTOR_CLONES
#endif

/// What the review draws of a step share, by channel and by actor. Arrays of actors are padded with zeros
/// to a multiple of 8, so that the vector loops of row_reviews run whole (the padding's draws are made and
/// never read).
struct ReviewPlan {
  std::size_t padded = 0;                  // actors, rounded up to a multiple of 8
  std::vector<std::uint64_t> actor_keys;   // padded
  std::vector<std::uint64_t> row_keys;     // padded: mix64(step key ^ actor key)
  std::vector<std::uint64_t> salts;        // per channel: channel key ^ review · constant
  std::vector<std::uint64_t> below, one;   // per channel: UniformBelow's thresholds for its review rate
  std::vector<char> mutual;                // per channel
  bool any_mutual = false;
};

/// Row i's pair keys and review draws (see decide). Out, each `padded` long per partner j:
///   directed[j] = pair_key(i, j) = mix64(row_keys[i] ^ actor_keys[j])
///   transposed[j] = pair_key(j, i), and mutual[j] = the unordered pair's key (the smaller id key first),
///       both for j > i only
///   flags[c · padded + j]: (for j > i only, if c is mutual) the review draw of tie (i, j, c) is the first output of
///       KeyedEngine(mix64(pair key ^ salt_c)), compared as an integer with the thresholds of the channel's
///       review rate (UniformBelow): 1 reviewed, 0 not, 2 the output maps to 1.0, which uniform_01
///       rejects and draws again (once in 2^54 draws; the caller redraws those in full)
///   flagged[w · padded + j]: bit c − 64w set when flags[c · padded + j] is not 0 (channels in words of 64)
///
/// At ordinary review rates nearly every tie of a step only draws "not reviewed", so this is most of a
/// step's work. It is plain integer arithmetic in flat loops, which the compiler vectorises (each clone for
/// its instruction set); integers give the same flags whichever clone runs.
TIESIM_VECTOR_CLONES
void row_reviews(const ReviewPlan& plan, int i, std::uint64_t* __restrict directed, std::uint64_t* __restrict transposed,
                 std::uint64_t* __restrict mutual, std::uint64_t* __restrict flags, std::uint64_t* __restrict flagged) {
  const std::size_t padded = plan.padded;
  const std::uint64_t* __restrict actor_keys = plan.actor_keys.data();
  const std::uint64_t* __restrict row_keys = plan.row_keys.data();
  const std::uint64_t own_key = actor_keys[i], own_row = row_keys[i];
  // a mutual tie is decided in the row of its first actor: only partners j > i need its keys and draws
  // (from a multiple of 4 below, so that loops still run whole vectors: 4 lanes of AVX2, and AVX-512
  // finishes an odd half vector with AVX2)
  const std::size_t after = static_cast<std::size_t>(i + 1) / 4 * 4;
  for (std::size_t j = 0; j < padded; ++j) directed[j] = mix64(own_row ^ actor_keys[j]);
  if (plan.any_mutual) {
    for (std::size_t j = after; j < padded; ++j) transposed[j] = mix64(row_keys[j] ^ own_key);
    for (std::size_t j = after; j < padded; ++j) mutual[j] = own_key <= actor_keys[j] ? directed[j] : transposed[j];
  }
  for (std::size_t k = 0; k < padded * ((plan.salts.size() + 63) / 64); ++k) flagged[k] = 0;
  for (std::size_t c = 0; c < plan.salts.size(); ++c) {
    const std::uint64_t* __restrict keys = plan.mutual[c] ? mutual : directed;
    const std::uint64_t salt = plan.salts[c], below = plan.below[c], one = plan.one[c];
    std::uint64_t* __restrict channel_flags = flags + c * padded;
    std::uint64_t* __restrict word = flagged + (c / 64) * padded;
    const unsigned bit = c % 64;
    for (std::size_t j = plan.mutual[c] ? after : 0; j < padded; ++j) {
      const std::uint64_t u = KeyedEngine::output(mix64(keys[j] ^ salt), 1);
      const std::uint64_t flag = u < below ? 1 : u < one ? 0 : 2;
      channel_flags[j] = flag;
      word[j] |= static_cast<std::uint64_t>(flag != 0) << bit;
    }
  }
}

/// Whether any of `count` bytes is not 0, eight at a time.
bool nonzero_bytes(const std::uint8_t* bytes, std::size_t count) {
  std::size_t k = 0;
  for (; k + 8 <= count; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + k, sizeof word);
    if (word != 0) return true;
  }
  for (; k < count; ++k)
    if (bytes[k] != 0) return true;
  return false;
}

/// Bit k set where bytes[k] is not 0, for k < count ≤ 64. Eight bytes at a time, so that it is quick when
/// all are 0, as nearly all are (ties that moved last step, for follow-through).
std::uint64_t nonzero_bits(const std::uint8_t* bytes, int count) {
  std::uint64_t bits = 0;
  int k = 0;
  for (; k + 8 <= count; k += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + k, sizeof word);
    if (word == 0) continue;
    for (int b = k; b < k + 8; ++b) bits |= static_cast<std::uint64_t>(bytes[b] != 0) << b;
  }
  for (; k < count; ++k) bits |= static_cast<std::uint64_t>(bytes[k] != 0) << k;
  return bits;
}

/// A decision of actor i's row that changes a tie (or lowers a mutual one), made in phase A, applied in B.
struct Change {
  int partner, channel, from, to;
  int wish_i = -1, wish_j = -1;  // a mutual tie's two wishes
};

/// Scratch space of one thread deciding rows (see row_reviews).
struct RowScratch {
  std::vector<std::uint64_t> directed, transposed, mutual;  // pair keys by partner
  std::vector<std::uint64_t> flags;                         // review flags, channel by channel
  std::vector<std::uint64_t> flagged;                       // per partner: bit masks of flagged channels
  std::vector<CapBinding> caps_i, caps_j;
};

/// Per channel, what its draws need: a draw's key is mix64(pair key ^ channel key ^ purpose · constant).
struct ChannelDraws {
  bool mutual;
  std::uint64_t review_salt, choice_salt;
};

/// decide's buffers, kept from step to step, one set per thread: allocated anew each step, they cost about
/// as much as all the decisions of a small scenario.
struct DecideBuffers {
  std::vector<std::uint64_t> row_keys;
  std::vector<ChannelDraws> channels;
  ReviewPlan plan;
  std::vector<std::vector<Change>> changes;  // per row; cleared each step, their capacity kept
  RowScratch scratch;                        // the calling thread's
};

std::atomic<int> step_thread_count{1};

/// Calls row(i, scratch) for every actor i on up to `threads` threads; rows share nothing they write.
/// One thread uses `own` scratch space; helpers have their own.
template <class Row>
void for_each_row(int n, int threads, RowScratch& own, Row&& row) {
  threads = std::clamp(threads, 1, n);
  if (threads == 1) {
    for (int i = 0; i < n; ++i) row(i, own);
    return;
  }
  std::atomic<int> next{0};
  std::exception_ptr failure;  // the first exception of a helper, rethrown here
  std::mutex failure_mutex;
  auto work = [&](RowScratch& scratch) {
    for (int i = next++; i < n; i = next++) row(i, scratch);
  };
  {
    std::vector<std::jthread> helpers;
    for (int t = 1; t < threads; ++t)
      helpers.emplace_back([&] {
        try {
          RowScratch scratch;
          work(scratch);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          next = n;  // the others stop taking rows
        }
      });
    work(own);
  }  // the helpers join here
  if (failure) std::rethrow_exception(failure);
}

/// Step 3 and 4: every tie up for review chooses among its neighbouring levels; changes are applied
/// together at the end (synchronous update), logged, and shock the partner's affect.
///
/// Phase A decides each actor's row: its ties' review draws, then the choices of those reviewed. It only
/// reads the state, so rows may run on several threads. Phase B applies the changes in the order of the
/// rows, partners and channels — the order of the single loop this replaced — so events and affect shocks
/// are added in the same order whatever the thread count, and results are the same bit for bit.
///
/// Draws are keyed (core/rng.hpp): the step's key, then each actor's row, then the ordered pair, then the
/// channel and purpose, one mix each, with channel and purpose folded into one constant per channel. A
/// review is "a uniform draw below the review rate", decided on the integer draw (UniformBelow).
void decide(const Model& model, State& state, const Situation& situation, std::uint64_t replicate_seed,
            Eigen::MatrixXd& affect_shock, StepRecord* record) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const double reciprocity = model.parameters.reciprocity;
  const bool follow_through = model.parameters.follow_through;
  const Date today = model.calendar.date_of(state.step);
  const std::uint64_t step_key = combine_key({replicate_seed, static_cast<std::uint64_t>(static_cast<std::int64_t>(state.step))});
  static thread_local DecideBuffers buffers;
  std::vector<std::uint64_t>& row_keys = buffers.row_keys;
  row_keys.resize(static_cast<std::size_t>(n));
  for (int a = 0; a < n; ++a) row_keys[static_cast<std::size_t>(a)] = mix64(step_key ^ model.actor_keys[static_cast<std::size_t>(a)]);
  // pair_key(a, b) = mix64(row_keys[a] ^ actor_keys[b]), made a row at a time by row_reviews

  std::vector<ChannelDraws>& channels = buffers.channels;
  channels.clear();
  bool any_mutual = false;
  for (int c = 0; c < channel_count; ++c) {
    const std::uint64_t key = model.channel_keys[static_cast<std::size_t>(c)];
    const bool mutual = model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual;
    any_mutual = any_mutual || mutual;
    channels.push_back({mutual, key ^ (static_cast<std::uint64_t>(DrawPurpose::review) * 0xd1b54a32d192ed03ULL),
                        key ^ (static_cast<std::uint64_t>(DrawPurpose::choice) * 0xd1b54a32d192ed03ULL)});
  }
  ReviewPlan& plan = buffers.plan;
  const std::size_t padded = plan.padded = (static_cast<std::size_t>(n) + 7) / 8 * 8;
  plan.actor_keys.assign(padded, 0);
  plan.row_keys.assign(padded, 0);
  std::copy(model.actor_keys.begin(), model.actor_keys.end(), plan.actor_keys.begin());
  std::copy(row_keys.begin(), row_keys.end(), plan.row_keys.begin());
  plan.salts.clear();
  plan.below.clear();
  plan.one.clear();
  plan.mutual.clear();
  for (int c = 0; c < channel_count; ++c) {
    plan.salts.push_back(channels[static_cast<std::size_t>(c)].review_salt);
    plan.below.push_back(model.review_draw[static_cast<std::size_t>(c)].below());
    plan.one.push_back(model.review_draw[static_cast<std::size_t>(c)].one());
    plan.mutual.push_back(channels[static_cast<std::size_t>(c)].mutual);
  }
  plan.any_mutual = any_mutual;
  // per word of 64 channels: every channel, and the directed ones
  std::vector<std::uint64_t> channel_mask((static_cast<std::size_t>(channel_count) + 63) / 64, 0), directed_mask(channel_mask);
  for (int c = 0; c < channel_count; ++c) {
    channel_mask[static_cast<std::size_t>(c / 64)] |= std::uint64_t{1} << (c % 64);
    if (!channels[static_cast<std::size_t>(c)].mutual) directed_mask[static_cast<std::size_t>(c / 64)] |= std::uint64_t{1} << (c % 64);
  }

  // i's choice for tie (i, j, c); `pair` is pair_key(i, j)
  auto choose = [&](int i, int j, int c, std::uint64_t pair, std::vector<CapBinding>& caps) TIESIM_ALWAYS_INLINE {
    const TieContext context = tie_context(model, state, situation, i, j, c, caps);
    KeyedEngine engine(mix64(pair ^ channels[static_cast<std::size_t>(c)].choice_salt));
    const double precision = model.actors[static_cast<std::size_t>(i)].precision;
    return draw_level(choice_probabilities(context, precision), uniform(engine));
  };

  // ---- phase A: each row's decisions
  std::vector<std::vector<Change>>& changes = buffers.changes;
  changes.resize(static_cast<std::size_t>(n));
  for (auto& row : changes) row.clear();
  const bool parallel = static_cast<std::size_t>(n) * static_cast<std::size_t>(n) * static_cast<std::size_t>(channel_count) >= 20000;  // below this, threads cost more than they save
  for_each_row(n, parallel ? step_thread_count.load() : 1, buffers.scratch, [&](int i, RowScratch& scratch) {
    std::vector<Change>& out = changes[static_cast<std::size_t>(i)];
    // the row's pair keys: a directed tie's by its owner first, pair_key(i, j); a mutual tie's by the
    // unordered pair, pair_key of whichever has the smaller id key first. Mutual ties are decided once,
    // in the row of the pair's first actor (j > i); the others' draws are made and never read.
    scratch.directed.resize(padded);
    scratch.transposed.resize(padded);
    scratch.mutual.resize(padded);
    scratch.flags.resize(padded * static_cast<std::size_t>(channel_count));
    const std::size_t words = (static_cast<std::size_t>(channel_count) + 63) / 64;
    scratch.flagged.resize(padded * words);
    row_reviews(plan, i, scratch.directed.data(), scratch.transposed.data(), scratch.mutual.data(), scratch.flags.data(),
                scratch.flagged.data());

    // follow-through: a tie that moved last step is on the agenda again, whatever its review draw. Few
    // ties move in a step, so most rows have none: looked for once per row, not once per pair
    const std::uint8_t* row_moved = follow_through ? state.moved.data() + model.tie_index(i, 0, 0) : nullptr;
    if (row_moved && !nonzero_bytes(row_moved, static_cast<std::size_t>(n) * static_cast<std::size_t>(channel_count))) row_moved = nullptr;
    const char* forced_row = &situation.forced_review[static_cast<std::size_t>(i) * static_cast<std::size_t>(n)];
    const bool plain_row = words == 1 && !row_moved;  // then a pair has work only if forced or flagged
    for (int j = 0; j < n; ++j) {
      const bool forced = forced_row[j] != 0;  // an event of the pair: all its ties, no draw needed
      if (plain_row && !forced && scratch.flagged[static_cast<std::size_t>(j)] == 0) continue;  // nearly every pair
      if (i == j) continue;
      const std::size_t ties = model.tie_index(i, j, 0);
      const std::uint8_t* moved = row_moved ? row_moved + (ties - model.tie_index(i, 0, 0)) : nullptr;
      // the channels to decide, 64 to a word: all when forced; else those whose review draw came up, and
      // (follow-through) those that moved last step. Mutual ties only from the pair's first actor (j > i).
      for (std::size_t w = 0; w < words; ++w) {
        const int first = static_cast<int>(64 * w);
        std::uint64_t pending = scratch.flagged[w * padded + static_cast<std::size_t>(j)];
        if (forced) pending = channel_mask[w];
        else if (moved) pending |= nonzero_bits(moved + first, std::min(channel_count - first, 64));
        if (j < i) pending &= directed_mask[w];
        for (; pending; pending &= pending - 1) {
          const int c = first + std::countr_zero(pending);
          const bool mutual = channels[static_cast<std::size_t>(c)].mutual;
          if (!forced && !(moved && moved[c])) {
            const std::uint64_t flag = scratch.flags[static_cast<std::size_t>(c) * padded + static_cast<std::size_t>(j)];
            if (flag == 2) {  // the first draw was rejected: the whole draw, as a plain engine makes it
              const auto& keys = mutual ? scratch.mutual : scratch.directed;
              KeyedEngine review(mix64(keys[static_cast<std::size_t>(j)] ^ channels[static_cast<std::size_t>(c)].review_salt));
              if (!model.review_draw[static_cast<std::size_t>(c)](review)) continue;
            }
          }
          const int current = state.level[ties + static_cast<std::size_t>(c)];
          if (!mutual) {
            const int chosen = choose(i, j, c, scratch.directed[static_cast<std::size_t>(j)], scratch.caps_i);
            if (chosen != current) out.push_back({j, c, current, chosen});
            continue;
          }
          // mutual: both state a wish; either can lower the tie, raising it needs both
          const int wish_i = choose(i, j, c, scratch.directed[static_cast<std::size_t>(j)], scratch.caps_i);
          const int wish_j = choose(j, i, c, scratch.transposed[static_cast<std::size_t>(j)], scratch.caps_j);
          const int chosen = std::min(wish_i, wish_j);
          if (chosen != current) out.push_back({j, c, current, chosen, wish_i, wish_j});
        }
      }
    }
  });

  // ---- phase B: apply, log and shock affect, in row order
  auto log_change = [&](int actor, int partner, int c, int from, int to) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    const bool up = to > from;
    const double goldstein = up ? channel.goldstein_up : channel.goldstein_down;
    if (record)
      record->events.push_back({today, actor, partner, c, from, to, up ? channel.cameo_up : channel.cameo_down,
                                goldstein, false});
    return goldstein;
  };
  if (follow_through) std::fill(state.moved.begin(), state.moved.end(), std::uint8_t{0});
  for (int i = 0; i < n; ++i) {
    for (const Change& change : changes[static_cast<std::size_t>(i)]) {
      const int j = change.partner, c = change.channel, current = change.from, chosen = change.to;
      if (follow_through) {
        state.moved[model.tie_index(i, j, c)] = 1;
        if (channels[static_cast<std::size_t>(c)].mutual) state.moved[model.tie_index(j, i, c)] = 1;
      }
      if (!channels[static_cast<std::size_t>(c)].mutual) {
        state.level[model.tie_index(i, j, c)] = static_cast<std::uint8_t>(chosen);
        affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
        continue;
      }
      state.level[model.tie_index(i, j, c)] = state.level[model.tie_index(j, i, c)] = static_cast<std::uint8_t>(chosen);
      if (chosen > current) {
        const double goldstein = log_change(i, j, c, current, chosen);
        affect_shock(i, j) += reciprocity * goldstein / 10.0;
        affect_shock(j, i) += reciprocity * goldstein / 10.0;
      } else {
        // each side that asked for the cut is its author, and the other side resents it
        if (change.wish_i == chosen) affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
        if (change.wish_j == chosen) affect_shock(i, j) += reciprocity * log_change(j, i, c, current, chosen) / 10.0;
      }
    }
  }
}

/// Step 5: a_ij ← clamp(a_ij + α_i (a_ij(0) − a_ij) + β (1 − a_ij²) (1/N) Σ_k a_ik a_kj + shocks).
/// Anchoring after Friedkin & Johnsen (1990); the balance term is the bounded form of Kułakowski et al.
/// (2005) of dX/dt = X² (Marvel et al. 2011), computed as one matrix product.
void update_affect(const Model& model, State& state, const Eigen::MatrixXd& affect_shock) {
  const int n = model.actor_count();
  const Eigen::MatrixXd& a = state.affect;
  const Eigen::MatrixXd balance = (a * a) / static_cast<double>(n);
  Eigen::VectorXd anchoring(n);
  for (int i = 0; i < n; ++i) anchoring(i) = model.actors[static_cast<std::size_t>(i)].anchoring;
  const double beta = model.parameters.balance;
  static thread_local Eigen::MatrixXd next;  // swapped with the state's: the two buffers take turns
  next.resize(n, n);
  // a column at a time with no test inside (so the compiler vectorises it); the diagonal is set to 0
  // afterwards. Each entry is the same expression as before, so the same double.
  for (int j = 0; j < n; ++j) {
    const double* a_col = a.col(j).data();
    const double* anchor_col = model.affect_anchor.col(j).data();
    const double* balance_col = balance.col(j).data();
    const double* shock_col = affect_shock.col(j).data();
    double* out = next.col(j).data();
    for (int i = 0; i < n; ++i) {
      const double value = a_col[i] + anchoring(i) * (anchor_col[i] - a_col[i]) +
                           beta * (1.0 - a_col[i] * a_col[i]) * balance_col[i] + shock_col[i];
      out[i] = clamp_affect(value);
    }
    out[j] = 0;
  }
  state.affect.swap(next);
}

/// Each actor's utility terms at its current levels, summed over the ties it controls.
void record_actor_terms(const Model& model, const State& state, const Situation& situation, StepRecord& record) {
  const int n = model.actor_count();
  record.actor_terms.assign(static_cast<std::size_t>(n), UtilityTerms{});
  std::vector<CapBinding> caps;
  // one pass over every tie of a recorded step: tie_context and the terms are inlined, and each actor's
  // sums are kept in a local (added to in the same order, so the same doubles)
  for (int i = 0; i < n; ++i) {
    UtilityTerms sum;
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      for (int c = 0; c < model.channel_count(); ++c) {
        const TieContext context = tie_context(model, state, situation, i, j, c, caps);
        sum += utility_terms_inline(context, context.current);
      }
    }
    record.actor_terms[static_cast<std::size_t>(i)] = sum;
  }
}

}  // namespace

std::vector<Choice> choice_table(const Model& model, const State& state) {
  const int n = model.actor_count();
  Situation situation;
  situation.forced_review.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0);
  derive_situation(model, state, situation);
  std::vector<Choice> table(state.level.size());
  std::vector<CapBinding> caps;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      for (int c = 0; c < model.channel_count(); ++c) {
        const TieContext context = tie_context(model, state, situation, i, j, c, caps);
        table[model.tie_index(i, j, c)] = choice_probabilities(context, model.actors[static_cast<std::size_t>(i)].precision);
      }
    }
  return table;
}

void set_step_threads(int threads) { step_thread_count.store(std::max(1, threads)); }
int step_threads() { return step_thread_count.load(); }

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
  state.moved.assign(state.level.size(), 0);
  state.weights.resize(static_cast<std::size_t>(n));
  refresh_weights(model, state);
  return state;
}

void step(const Model& model, State& state, std::uint64_t replicate_seed, StepRecord* record) {
  const int n = model.actor_count();
  if (record) record->clear();
  // kept from step to step (one per thread), zeroed each step: allocations cost more than they hold
  static thread_local Eigen::VectorXd pressure_shock;
  static thread_local Eigen::MatrixXd affect_shock;
  pressure_shock.setZero(n);
  // 1. exogenous events (none during spin-up: their steps are ≥ 0)
  static thread_local Situation situation;  // buffers kept from step to step
  apply_events(model, state, replicate_seed, situation.forced_review, pressure_shock, record);
  // 2. pressure
  update_pressure(model, state, pressure_shock);
  // 3-4. decisions and their events
  derive_situation(model, state, situation);
  affect_shock.setZero(n, n);
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
        // the place is spelled out only for a breach: a million ties would otherwise build a million strings
        const auto where = [&] {
          return " at step " + std::to_string(state.step) + ": " + model.actors[static_cast<std::size_t>(i)].id + "->" +
                 model.actors[static_cast<std::size_t>(j)].id + " " + channel.id;
        };
        if (level > channel.top_level()) return "level above the ladder" + where();
        if (i == j && level != 0) return "tie to itself" + where();
        if (channel.kind == ChannelKind::mutual && level != state.level[model.tie_index(j, i, c)])
          return "mutual tie not symmetric" + where();
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
