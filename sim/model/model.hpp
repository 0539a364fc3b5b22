#pragma once
/// The read-only description of a simulated world: actors, channels, regimes, events and parameters.
/// Filled by the scenario loader; never changed while a run steps.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/date.hpp"
#include "core/rng.hpp"

namespace tiesim {

/// An actor's preference weights (the w's of the decision rule).
struct Weights {
  double benefit = 1;               // w^B material benefit
  double affinity = 1;              // w^E likes and dislikes
  double autonomy = 0;              // w^A keeping channels open at all
  double compliance = 0;            // w^C honouring commitments
  double pressure_sensitivity = 0;  // w^P felt scrutiny
  double alignment = 0;             // w^L friends' hostility to a partner
  double reciprocation = 0;         // w^R answering a partner's moves in kind (0: ignores them)

  Weights& operator+=(const Weights& other);
};

struct Actor {
  std::string id;
  std::string name;
  double size = 1;               // s_i > 0, capabilities or market weight
  Weights weights;
  double anchoring = 0.1;        // α_i ∈ [0, 1], pull of affect back to its anchor per month (Model::rate_step)
  double precision = 5;          // λ_i ≥ 0, logit precision
  double pressure_strength = 0;  // ψ_i ≥ 0, secondary pressure this actor puts on third states
};

enum class ChannelKind { mutual, directed };

struct Channel {
  std::string id;
  std::string name;
  ChannelKind kind = ChannelKind::directed;
  std::vector<std::string> level_names;  // levels 0..L, lowest first (L + 1 names)
  std::vector<double> level_values;      // empty, or one value per level (for output)
  std::string unit;
  double visibility = 0.5;   // v_c ∈ [0, 1], sanctions scrutiny drawn
  double salience = 0.5;     // σ_c ∈ [0, 1], signal of warmth or displeasure
  double benefit = 1;        // b_c ≥ 0
  double benefit_curvature = 0;  // θ_c ∈ (0, 1] for this channel; 0: the model's θ
  double upkeep = 0;         // k_c ≥ 0, material cost of holding the tie at its top level (linear in y/L)
  double openness = 0;       // o_c ≥ 0, value of keeping the channel open
  double cost_up = 0;        // per level raised
  double cost_down = 0;      // per level lowered
  double review_rate = 0.1;  // chance per month a tie is reconsidered (converted to a step by Model::finalize)
  double index_weight = 1;   // weight in the dyad's tie index
  std::string cameo_up, cameo_down;
  double goldstein_up = 3.5, goldstein_down = -4.0;
  // host consent (directed channels only): the partner j hosts what i keeps in it — i's mission, workers,
  // flights, ships — and may refuse a rise and expel; a host's cut is logged with cameo_expel
  bool host_consent = false;
  std::string cameo_expel;
  double goldstein_expel = -7.0;
  int reciprocal = -1;  // the channel whose moves by a partner this one answers in kind (its own index by default)

  int top_level() const { return static_cast<int>(level_names.size()) - 1; }  // L_c
};

enum class RegimeKind { sanctions, commitment, alliance, bloc };

/// A cap value meaning "no cap": above every ladder.
inline constexpr int uncapped = 1 << 20;

struct Regime {
  std::string id;
  std::string name;
  RegimeKind kind = RegimeKind::sanctions;
  std::vector<int> members;  // actor indices
  std::vector<int> targets;  // actor indices (sanctions, commitment)
  std::vector<int> caps;     // per channel: highest level allowed toward a target, or `uncapped`
  double enforcement = 1;    // e_r once in force
  int in_force_step = 0;     // first step in which it binds (≤ 0: from the start)
  double cohesion = 0.5;     // alliance, bloc: weight in pressure diffusion
  double implementation_months = 0;  // sanctions, commitment: once in force or tightened, the ties it caps come
                                     // up for review within this many months (0: at their routine reviews)

  bool binds() const { return kind == RegimeKind::sanctions || kind == RegimeKind::commitment; }
};

enum class EventKind { resolution, provocation, incident, agreement, role, lobbying };

/// A dated exogenous shock. Which fields matter depends on `kind` (see docs/scenario.md).
struct Event {
  std::string id;
  std::string label;
  EventKind kind = EventKind::incident;
  Date date;
  int step = 0;
  int actor = -1, partner = -1, against = -1;  // actor indices, −1 when unused
  int regime = -1, channel = -1;
  std::string cameo;       // may be empty
  double goldstein = 0;    // weight of the shock, from `cameo` or given
  double intensity = 1;
  // resolution
  bool sets_enforcement = false;
  double enforcement = 0;
  std::vector<int> caps;   // per channel, `uncapped` where the event sets none
  int report_step = -1;
  double report_boost = 0;
  // agreement, role
  double benefit = 0;
  int until_step = -1;     // −1: no end
  Weights weight_change{0, 0, 0, 0, 0, 0};
  // lobbying
  double pressure = 0;
  double affect = 0;
};

/// An event kind drawn each step from a Poisson rate.
struct RandomEvent {
  std::string id;
  std::string label;
  EventKind kind = EventKind::provocation;  // provocation or incident
  int actor = -1, partner = -1;
  double rate_per_step = 0;
  int from_step = 0, until_step = 0;         // inclusive window
  std::string cameo;
  double goldstein = 0;
  double intensity = 1;
};

/// Global parameters of the dynamics.
struct Parameters {
  double benefit_curvature = 0.5;   // θ ∈ (0, 1]: g(u) = u^θ
  double size_exponent = 0.5;       // γ: partner size enters as s_j^γ
  double pressure_decay = 0.8;      // δ ∈ [0, 1], share of pressure kept over a month
  double pressure_diffusion = 0;    // μ ∈ [0, 1], share of pressure mixed with partners' over a month
  double balance = 0.1;             // β ∈ [0, 1], balance's pull on affect per month
  double reciprocity = 0.5;         // ρ: affect shock per Goldstein/10 of a partner's move
  double event_affect_scale = 0.5;  // κ: affect shock per Goldstein/10 of an exogenous event
  double affect_default = 0;        // starting affect of unlisted pairs
  bool follow_through = false;      // a tie that moved is reviewed again in the next step
  double memory_half_life = 1;      // years for the memory of a partner's moves (reciprocity in kind) to halve
  double grievance_half_life = 0;   // years for an incident's grievance to halve (0: none; the shock fades with anchoring)
  double suspend_below = -1;        // an agreement is suspended when a party's affect toward the other falls below
                                    // this, or the other strikes it in an incident (−1: never)
};

struct Model {
  std::string name;
  std::string description;
  Calendar calendar;
  int spinup_steps = 0;  // the loader's count, or spinup_months in steps of the calendar
  Parameters parameters;

  std::vector<Actor> actors;        // N
  std::vector<Channel> channels;    // C
  std::vector<Regime> regimes;      // R
  std::vector<Event> events;        // sorted by step, then date, then file order
  std::vector<RandomEvent> random_events;

  std::vector<std::uint8_t> initial_levels;  // x_ijc(0), N x N x C, see tie_index()
  std::vector<std::uint8_t> max_levels;      // highest level tie (i, j, c) can take (feasibility), N x N x C
  Eigen::MatrixXd affect_anchor;             // a_ij(0), N x N, diagonal 0

  // derived once by finalize(): hashes of ids for keying random draws
  std::vector<std::uint64_t> actor_keys;    // N
  std::vector<std::uint64_t> channel_keys;  // C
  // derived once by finalize(): what step() would otherwise recompute every step from constant inputs
  // (each computed by the same expression the step used, so results are the same bit for bit). Anything
  // that changes a Model after loading must call finalize() again.
  std::vector<double> size_factor;                 // s_j^γ, N
  std::vector<std::vector<double>> benefit_shape;  // per channel: g_c(y/L) = (y/L)^θ_c for y = 0..L
  std::vector<UniformBelow> review_draw;           // per channel: "a uniform draw below 1 − (1 − review_rate)^Δ"
  std::vector<std::vector<char>> regime_member;    // per regime: 1 for each member, N
  std::vector<std::vector<char>> regime_target;    // per regime: 1 for each target, N
  Eigen::MatrixXd diffusion_links;                 // N x N, row-normalised alliance and bloc links (if μ > 0)
  std::vector<std::vector<int>> answered_by;       // per channel c: the channels whose `reciprocal` is c
  bool any_host_consent = false;                   // some channel has host consent
  bool remembers_moves = false;                    // some actor weighs reciprocation (any role included)
  // rates given per month (the reference period: docs/model.md "Step length"), as they apply in one step of
  // rate_step months; for a step of a month exactly they are the values given, untouched, so monthly runs keep
  // their bits
  double rate_step = 1;                            // Δ: months per step
  double pressure_retention = 0.8;                 // δ^Δ
  double pressure_inflow = 1;                      // (1 − δ^Δ) / (1 − δ) (Δ when δ = 1): steady state kept
  double diffusion_step = 0;                       // 1 − (1 − μ)^Δ
  std::vector<double> anchoring_step;              // per actor: 1 − (1 − α_i)^Δ
  std::vector<double> balance_step;                // per actor: β α_step,i / α_i (β Δ when α_i = 0)
  double memory_decay = 1;                         // per step: 0.5^(years per step / memory_half_life)
  double grievance_decay = 0;                      // per step: 0.5^(years per step / grievance_half_life), 0 if none
  bool uses_agenda = false;                        // some tie may be reviewed for certain next step (State::agenda)

  int actor_count() const { return static_cast<int>(actors.size()); }
  int channel_count() const { return static_cast<int>(channels.size()); }
  /// Position of tie (i, j, c) in N x N x C arrays.
  std::size_t tie_index(int from, int to, int channel) const {
    return (static_cast<std::size_t>(from) * actors.size() + static_cast<std::size_t>(to)) * channels.size() +
           static_cast<std::size_t>(channel);
  }
  /// Computes derived fields; the loader calls it once the model is complete.
  void finalize();
};

}  // namespace tiesim
