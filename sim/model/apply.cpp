/// Step 4: the decided changes take effect together (synchronous update), in the order of rows, partners and
/// channels. Each is an endogenous event (actor, partner, channel, from, to, CAMEO code, Goldstein weight
/// g), and the side it was done to feels it:
///
///   a_ji += ρ g / 10            for a move by i on tie (i, j, c)        (retaliation can emerge: MODEL.md 4)
///   a_ij, a_ji += ρ g / 10      for a mutual tie raised by both
///   a lowered mutual tie: each side that asked for the cut is its author, and the other side feels it
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
                                goldstein, false});
    return goldstein;
  };
  if (follow_through) std::fill(state.moved.begin(), state.moved.end(), std::uint8_t{0});
  for (int i = 0; i < n; ++i) {
    for (const Change& change : workspace.changes[static_cast<std::size_t>(i)]) {
      const int j = change.partner, c = change.channel, current = change.from, chosen = change.to;
      const bool mutual = model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual;
      if (follow_through) {
        state.moved[model.tie_index(i, j, c)] = 1;
        if (mutual) state.moved[model.tie_index(j, i, c)] = 1;
      }
      if (!mutual) {
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
        if (change.wish_i == chosen) affect_shock(j, i) += reciprocity * log_change(i, j, c, current, chosen) / 10.0;
        if (change.wish_j == chosen) affect_shock(i, j) += reciprocity * log_change(j, i, c, current, chosen) / 10.0;
      }
    }
  }
}

}  // namespace tiesim
