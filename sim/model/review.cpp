/// Step 3a: which ties come up for review. Tie (i, j, c) is reviewed when
///
///   u < r_c,   u = uniform_01(KeyedEngine(mix64(pair_key ^ review_salt_c))),   r_c = 1 − (1 − review_rate_c)^Δ
///   pair_key(i, j) = mix64(row_key_i ^ actor_key_j),   row_key_i = mix64(step_key ^ actor_key_i)
///   step_key = combine_key(replicate seed, step)
///
/// (r_c the chance in a step of Δ months, Model::finalize(); review_rate_c itself for a monthly step), with a
/// mutual tie keyed by its unordered pair (the smaller id key first), so both sides share one draw.
/// On a host-consent channel the host j reviews i's presence (i, j, c) with its own draw, keyed by
/// pair_key(j, i) and the host_review salt, at the channel's review rate.
/// Keys are hashes of ids, not positions (core/rng.hpp): adding an actor or a channel changes no other
/// tie's draws. An event involving a pair puts all its ties up for review (forced_review), and with
/// follow-through a tie that moved last step is reviewed again, and so is a tie whose owner answers its
/// partner's last move in kind (the agenda); neither needs a draw.
#include "model/review.hpp"

#include <cstring>

#include "core/rng.hpp"
#include "core/vector_clones.hpp"
#include "model/stages.hpp"

namespace tiesim {

void plan_reviews(const Model& model, const State& state, std::uint64_t replicate_seed, ReviewPlan& plan) {
  const int n = model.actor_count();
  const int channel_count = model.channel_count();
  const std::uint64_t step_key = combine_key({replicate_seed, static_cast<std::uint64_t>(static_cast<std::int64_t>(state.step))});
  const std::size_t padded = plan.padded = (static_cast<std::size_t>(n) + 7) / 8 * 8;
  plan.actor_keys.assign(padded, 0);
  plan.row_keys.assign(padded, 0);
  std::copy(model.actor_keys.begin(), model.actor_keys.end(), plan.actor_keys.begin());
  for (int a = 0; a < n; ++a)
    plan.row_keys[static_cast<std::size_t>(a)] = mix64(step_key ^ model.actor_keys[static_cast<std::size_t>(a)]);

  // a draw's key folds channel and purpose into one salt per channel: mix64(pair key ^ channel key ^ purpose · constant)
  plan.review_salts.clear();
  plan.choice_salts.clear();
  plan.host_review_salts.clear();
  plan.host_choice_salts.clear();
  plan.consent_salts.clear();
  plan.host_channels.clear();
  plan.below.clear();
  plan.one.clear();
  plan.mutual.clear();
  plan.any_mutual = false;
  const std::size_t words = (static_cast<std::size_t>(channel_count) + 63) / 64;
  plan.all_mask.assign(words, 0);
  plan.directed_mask.assign(words, 0);
  for (int c = 0; c < channel_count; ++c) {
    const std::uint64_t key = model.channel_keys[static_cast<std::size_t>(c)];
    const bool mutual = model.channels[static_cast<std::size_t>(c)].kind == ChannelKind::mutual;
    plan.review_salts.push_back(key ^ (static_cast<std::uint64_t>(DrawPurpose::review) * 0xd1b54a32d192ed03ULL));
    plan.choice_salts.push_back(key ^ (static_cast<std::uint64_t>(DrawPurpose::choice) * 0xd1b54a32d192ed03ULL));
    plan.host_review_salts.push_back(key ^ (static_cast<std::uint64_t>(DrawPurpose::host_review) * 0xd1b54a32d192ed03ULL));
    plan.host_choice_salts.push_back(key ^ (static_cast<std::uint64_t>(DrawPurpose::host_choice) * 0xd1b54a32d192ed03ULL));
    plan.consent_salts.push_back(key ^ (static_cast<std::uint64_t>(DrawPurpose::consent) * 0xd1b54a32d192ed03ULL));
    if (model.channels[static_cast<std::size_t>(c)].host_consent) plan.host_channels.push_back(c);
    plan.below.push_back(model.review_draw[static_cast<std::size_t>(c)].below());
    plan.one.push_back(model.review_draw[static_cast<std::size_t>(c)].one());
    plan.mutual.push_back(mutual);
    plan.any_mutual = plan.any_mutual || mutual;
    plan.all_mask[static_cast<std::size_t>(c / 64)] |= std::uint64_t{1} << (c % 64);
    if (!mutual) plan.directed_mask[static_cast<std::size_t>(c / 64)] |= std::uint64_t{1} << (c % 64);
  }
}

// At ordinary review rates nearly every tie of a step only draws "not reviewed", so this is most of a step's
// work. It is plain integer arithmetic in flat loops, which the compiler vectorises (each clone for its
// instruction set); integers give the same flags whichever clone runs. A review is decided on the first
// integer output of the tie's engine against the channel's thresholds (UniformBelow): below `below`
// reviewed, below `one` not, else uniform_01 would reject the draw (once in 2^54) and the caller redraws it
// in full.
TIESIM_VECTOR_CLONES
void row_reviews(const ReviewPlan& plan, int i, std::uint64_t* __restrict directed, std::uint64_t* __restrict transposed,
                 std::uint64_t* __restrict mutual, ReviewFlag* __restrict flags, std::uint64_t* __restrict flagged) {
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
  for (std::size_t k = 0; k < padded * ((plan.review_salts.size() + 63) / 64); ++k) flagged[k] = 0;
  for (std::size_t c = 0; c < plan.review_salts.size(); ++c) {
    const std::uint64_t* __restrict keys = plan.mutual[c] ? mutual : directed;
    const std::uint64_t salt = plan.review_salts[c], below = plan.below[c], one = plan.one[c];
    ReviewFlag* __restrict channel_flags = flags + c * padded;
    std::uint64_t* __restrict word = flagged + (c / 64) * padded;
    const unsigned bit = c % 64;
    for (std::size_t j = plan.mutual[c] ? after : 0; j < padded; ++j) {
      const std::uint64_t u = KeyedEngine::output(mix64(keys[j] ^ salt), 1);
      const ReviewFlag flag = u < below ? reviewed : u < one ? not_reviewed : redraw;
      channel_flags[j] = flag;
      word[j] |= static_cast<std::uint64_t>(flag != not_reviewed) << bit;
    }
  }
}

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

}  // namespace tiesim
