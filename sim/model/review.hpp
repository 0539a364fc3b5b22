#pragma once
/// Step 3a, the review draws: which ties come up for review in a step (model/review.cpp).
#include <cstddef>
#include <cstdint>

#include "model/workspace.hpp"

namespace tiesim {

/// Row i's pair keys and review draws. Out, each `plan.padded` long per partner j:
///   directed[j] = pair_key(i, j) = mix64(row_keys[i] ^ actor_keys[j])
///   transposed[j] = pair_key(j, i), and mutual[j] = the unordered pair's key (the smaller id key first),
///       both for j > i only
///   flags[c · padded + j]: (for j > i only, if c is mutual) the review draw of tie (i, j, c)
///   flagged[w · padded + j]: bit c − 64w set when flags[c · padded + j] is not `not_reviewed`
void row_reviews(const ReviewPlan& plan, int i, std::uint64_t* __restrict directed, std::uint64_t* __restrict transposed,
                 std::uint64_t* __restrict mutual, ReviewFlag* __restrict flags, std::uint64_t* __restrict flagged);

/// Whether any of `count` bytes is not 0, eight at a time.
bool nonzero_bytes(const std::uint8_t* bytes, std::size_t count);

/// Bit k set where bytes[k] is not 0, for k < count ≤ 64. Eight bytes at a time, so that it is quick when
/// all are 0, as nearly all are (ties that moved last step, for follow-through).
std::uint64_t nonzero_bits(const std::uint8_t* bytes, int count);

}  // namespace tiesim
