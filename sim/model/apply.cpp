/// Step 4: the decided changes take effect together (synchronous update): first the owners' moves, in the
/// order of rows, partners and channels, then the hosts' cuts (a host's cut lowers the level to at most its
/// choice, so the order cannot matter). Each is an endogenous event (actor, partner, channel, from, to, CAMEO
/// code, Goldstein weight g), and the side it was done to feels it:
///
///   a_ji += ρ g / 10            for a move by i on tie (i, j, c)        (retaliation can emerge: MODEL.md 4)
///   a_ij, a_ji += ρ g / 10      for a mutual tie raised by both
///   a lowered mutual tie: each side that asked for the cut is its author, and the other side feels it
///   a_ij += ρ g_expel / 10      for host j's cut of i's tie (i, j, c)
///
/// and remembers it, for reciprocity in kind: the partner Y of each move's author X keeps
///
///   m_YXc' ← decay · m_YXc' + Δ / L_c     for every channel c' that answers c (its `reciprocal`)
///
/// with Δ the signed change in rungs and decay = 0.5^(years per step / memory half-life); if Y weighs
/// reciprocation, those ties of Y toward X are on its agenda next step (an answer within a step). With
/// follow-through, a tie that moved is on its owner's agenda too.
#include "model/stages.hpp"

namespace tiesim {

void apply_changes(const Model& model, State& state, Workspace& workspace, StepRecord* record) {
  const int n = model.actor_count();
  const double reciprocity = model.parameters.reciprocity;
  const bool follow_through = model.parameters.follow_through;
  const Date today = model.calendar.date_of(state.step);
  Eigen::MatrixXd& affect_shock = workspace.affect_shock;
  affect_shock.setZero(n, n);

  auto log_change = [&](int actor, int partner, int c, int from, int to) {
    const auto& channel = model.channels[static_cast<std::size_t>(c)];
    const bool up = to > from;
    const double goldstein = up ? channel.goldstein_up : channel.goldstein_down;
    if (record)
      record->events.push_back({today, actor, partner, c, from, to, up ? channel.cameo_up : channel.cameo_down,
                                goldstein, false, false, {}, {}});
    return goldstein;
  };
  // the partner of a move's author remembers it, on every channel that answers the one that moved
  auto remember = [&](int author, int partner, int c, int from, int to) {
    if (state.memory.empty()) return;
    const double change = static_cast<double>(to - from) / model.channels[static_cast<std::size_t>(c)].top_level();
    const bool answers = state.weights[static_cast<std::size_t>(partner)].reciprocation > 0;
    for (int answer : model.answered_by[static_cast<std::size_t>(c)]) {
      const auto tie = model.tie_index(partner, author, answer);
      state.memory[tie] += change;
      if (answers) state.agenda[tie] = 1;
    }
  };

  if (model.uses_agenda)
    std::fill(state.agenda.begin(), state.agenda.end(), std::uint8_t{0});
  for (double& m : state.memory) m *= model.memory_decay;

  // the owners' moves
  for (int i = 0; i < n; ++i) {
    for (const Change& change : workspace.changes[static_cast<std::size_t>(i)]) {
      if (change.by_host) continue;
      const int j = change.partner, c = change.channel, current = change.from, chosen = change.to;
      const bool mutual = model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual;
      if (follow_through) {
        state.agenda[model.tie_index(i, j, c)] = 1;
        if (mutual) state.agenda[model.tie_index(j, i, c)] = 1;
      }
      if (!mutual) {
        state.level[model.tie_index(i, j, c)] = static_cast<std::uint8_t>(chosen);
        affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
        remember(i, j, c, current, chosen);
        continue;
      }
      state.level[model.tie_index(i, j, c)] = state.level[model.tie_index(j, i, c)] = static_cast<std::uint8_t>(chosen);
      if (chosen > current) {
        const double goldstein = log_change(i, j, c, current, chosen);
        affect_shock(i, j) += reciprocity * goldstein / 10.0;
        affect_shock(j, i) += reciprocity * goldstein / 10.0;
        remember(i, j, c, current, chosen);
        remember(j, i, c, current, chosen);
      } else {
        if (change.wish_i == chosen) {
          affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
          remember(i, j, c, current, chosen);
        }
        if (change.wish_j == chosen) {
          affect_shock(i, j) += reciprocity * log_change(j, i, c, current, chosen) / 10.0;
          remember(j, i, c, current, chosen);
        }
      }
    }
  }

  // the hosts' cuts: host i lowers its partner j's tie (j, i, c), to at most its choice
  for (int i = 0; i < n; ++i) {
    for (const Change& change : workspace.changes[static_cast<std::size_t>(i)]) {
      if (!change.by_host) continue;
      const int j = change.partner, c = change.channel;
      const auto tie = model.tie_index(j, i, c);
      const int before = state.level[tie];
      if (change.to >= before) continue;  // its owner cut as far this step
      state.level[tie] = static_cast<std::uint8_t>(change.to);
      const auto& channel = model.channels[static_cast<std::size_t>(c)];
      if (record) {
        record->events.push_back({today, i, j, c, before, change.to, channel.cameo_expel, channel.goldstein_expel, false, true, {}, {}});
      }
      affect_shock(j, i) += reciprocity * channel.goldstein_expel / 10.0;
      if (follow_through) state.agenda[tie] = 1;
      remember(i, j, c, before, change.to);
    }
  }
}

}  // namespace tiesim
