/// Step 3b: every tie up for review chooses its next level. Owner i of tie (i, j, c) draws y among
/// {x − 1, x, x + 1} ∩ [0, L_c] with
///
///   P(y) ∝ exp(λ_i U_ijc(y))                      (model/decision.hpp; coefficients: model/coefficients.hpp)
///
/// from its own engine, KeyedEngine(mix64(pair_key(i, j) ^ choice_salt_c)). A mutual tie is decided once,
/// in the row of the pair's first actor: both sides state a wish and the tie becomes min(y_i, y_j) — either
/// side can lower it, raising it needs both.
///
/// On a host-consent channel, i's tie (i, j, c) is i's presence in j, and j is its host: a rise that i
/// chooses needs j's consent, j's choice among {x, x + 1} by its own utility (host_context), and j reviews
/// the presence itself, choosing among {x − 1, x}: a cut is an expulsion or a revoked permit, made by j.
///
/// Rows only read the state, so they may run on several threads; each writes its own list of changes, and
/// model/apply.cpp applies them in row order, so results do not depend on the thread count.
#include <algorithm>
#include <bit>

#include <boost/random/uniform_01.hpp>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "model/coefficients.hpp"
#include "model/review.hpp"
#include "model/stages.hpp"

namespace tiesim {

void decide(const Model& model, const State& state, Workspace& workspace, const StepOptions& options) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const ReviewPlan& plan = workspace.plan;
  const Situation& situation = workspace.situation;
  const std::size_t padded = plan.padded;
  const std::size_t words = (static_cast<std::size_t>(channel_count) + 63) / 64;

  auto precision = [&](int actor) { return model.actors[static_cast<std::size_t>(actor)].precision; };
  auto uniform = [](std::uint64_t key) {
    KeyedEngine engine(key);
    return boost::random::uniform_01<double>()(engine);
  };
  // i's choice for tie (i, j, c); `pair` is pair_key(i, j)
  auto choose = [&](int i, int j, int c, std::uint64_t pair, std::vector<CapBinding>& caps) {
    const TieContext context = tie_context(model, state, situation, i, j, c, caps);
    return draw_level(choice_probabilities(context, precision(i)), uniform(mix64(pair ^ plan.choice_salts[static_cast<std::size_t>(c)])));
  };
  // host j's answer to i's rise of tie (i, j, c) from `current`: the level it lets i have
  auto consent = [&](int i, int j, int c, int current, std::vector<CapBinding>& caps) {
    const TieContext context = host_context(model, state, situation, j, i, c, caps);
    const std::uint64_t pair = mix64(plan.row_keys[static_cast<std::size_t>(j)] ^ plan.actor_keys[static_cast<std::size_t>(i)]);
    return draw_level(choice_among(context, precision(j), current, current + 1),
                      uniform(mix64(pair ^ plan.consent_salts[static_cast<std::size_t>(c)])));
  };

  auto& changes = workspace.changes;
  changes.resize(static_cast<std::size_t>(n));
  for (auto& row : changes) row.clear();
  // below this size, threads cost more than they save
  const bool large = static_cast<std::size_t>(n) * static_cast<std::size_t>(n) * static_cast<std::size_t>(channel_count) >= 20000;
  const int threads = large ? thread_count(options.threads, n) : 1;
  if (workspace.workers.size() < static_cast<std::size_t>(threads)) workspace.workers.resize(static_cast<std::size_t>(threads));

  for_each_task(n, threads, [&](int i, int worker) {
    RowScratch& scratch = workspace.workers[static_cast<std::size_t>(worker)];
    std::vector<Change>& out = changes[static_cast<std::size_t>(i)];
    scratch.directed.resize(padded);
    scratch.transposed.resize(padded);
    scratch.mutual.resize(padded);
    scratch.flags.resize(padded * static_cast<std::size_t>(channel_count));
    scratch.flagged.resize(padded * words);
    row_reviews(plan, i, scratch.directed.data(), scratch.transposed.data(), scratch.mutual.data(), scratch.flags.data(),
                scratch.flagged.data());

    // follow-through: a tie that moved last step is on the agenda again, whatever its review draw. Few
    // ties move in a step, so most rows have none: looked for once per row, not once per pair
    const std::uint8_t* row_moved = model.uses_agenda ? state.agenda.data() + model.tie_index(i, 0, 0) : nullptr;
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
        if (forced) pending = plan.all_mask[w];
        else if (moved) pending |= nonzero_bits(moved + first, std::min(channel_count - first, 64));
        if (j < i) pending &= plan.directed_mask[w];
        for (; pending; pending &= pending - 1) {
          const int c = first + std::countr_zero(pending);
          const bool mutual = plan.mutual[static_cast<std::size_t>(c)];
          if (!forced && !(moved && moved[c])) {
            const ReviewFlag flag = scratch.flags[static_cast<std::size_t>(c) * padded + static_cast<std::size_t>(j)];
            if (flag == redraw) {  // the whole draw, as a plain engine makes it
              const auto& keys = mutual ? scratch.mutual : scratch.directed;
              KeyedEngine review(mix64(keys[static_cast<std::size_t>(j)] ^ plan.review_salts[static_cast<std::size_t>(c)]));
              if (!model.review_draw[static_cast<std::size_t>(c)](review)) continue;
            }
          }
          const int current = state.level[ties + static_cast<std::size_t>(c)];
          if (!mutual) {
            int chosen = choose(i, j, c, scratch.directed[static_cast<std::size_t>(j)], scratch.caps_i);
            if (chosen > current && model.channels[static_cast<std::size_t>(c)].host_consent)
              chosen = std::min(chosen, consent(i, j, c, current, scratch.caps_j));
            if (chosen != current) out.push_back({j, c, current, chosen});
            continue;
          }
          const int wish_i = choose(i, j, c, scratch.directed[static_cast<std::size_t>(j)], scratch.caps_i);
          const int wish_j = choose(j, i, c, scratch.transposed[static_cast<std::size_t>(j)], scratch.caps_j);
          const int chosen = std::min(wish_i, wish_j);
          if (chosen != current) out.push_back({j, c, current, chosen, wish_i, wish_j});
        }
      }
    }

    // i as host: its review of each partner's presence on the host-consent channels
    for (int c : plan.host_channels) {
      const auto channel = static_cast<std::size_t>(c);
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        const int current = state.level[model.tie_index(j, i, c)];
        if (current == 0) continue;  // nothing to cut
        const std::uint64_t pair = scratch.directed[static_cast<std::size_t>(j)];  // pair_key(i, j)
        const bool certain = forced_row[j] != 0 || (row_moved && row_moved[model.tie_index(i, j, c) - model.tie_index(i, 0, 0)]);
        if (!certain) {
          KeyedEngine review(mix64(pair ^ plan.host_review_salts[channel]));
          if (!model.review_draw[channel](review)) continue;
        }
        const TieContext context = host_context(model, state, situation, i, j, c, scratch.caps_i);
        const int chosen = draw_level(choice_among(context, precision(i), current - 1, current),
                                      uniform(mix64(pair ^ plan.host_choice_salts[channel])));
        if (chosen < current) out.push_back({j, c, current, chosen, -1, -1, true});
      }
    }
  });
}

}  // namespace tiesim
