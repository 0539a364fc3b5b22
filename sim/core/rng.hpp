#pragma once
/// Counter-based random numbers keyed by what a draw is for.
///
/// Every draw of a run comes from an engine keyed by (replicate seed, step, purpose, actor, partner,
/// channel). Nothing is drawn in sequence from a shared generator, so results cannot depend on thread
/// count or on the order of loops, and two scenario variants run with the same seed make the same draw for
/// the same decision wherever their states coincide (common random numbers). Keys use hashes of ids, not
/// positions, so adding an actor to a variant changes no other actor's draws.
///
/// Boost.Random's distributions are used over these engines: unlike the standard library's, their
/// algorithms are fixed, so the same key gives the same value on every platform.
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace tiesim {

/// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Combines words into one key; order matters.
constexpr std::uint64_t combine_key(std::initializer_list<std::uint64_t> words) {
  std::uint64_t key = 0x6a09e667f3bcc909ULL;
  for (auto word : words) key = mix64(key ^ mix64(word + 0x9e3779b97f4a7c15ULL));
  return key;
}

/// FNV-1a of a name, for keying draws by id.
constexpr std::uint64_t name_key(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char ch : name) hash = (hash ^ ch) * 0x100000001b3ULL;
  return hash;
}

/// The seed of replicate `replicate` of a run with master seed `master`. Kept below 2^53 so that R, which
/// reads integers as doubles, reads the `seed` column exactly.
constexpr std::uint64_t replicate_seed(std::uint64_t master, std::uint64_t replicate) {
  return combine_key({master, replicate}) >> 11;
}

/// A UniformRandomBitGenerator whose n-th output is mix64 of (key, n): cheap to create, so a fresh
/// engine can serve every single decision.
class KeyedEngine {
 public:
  using result_type = std::uint64_t;
  explicit constexpr KeyedEngine(std::uint64_t key) : key_(key) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  constexpr result_type operator()() { return output(key_, ++counter_); }
  /// The n-th output (from 1) of an engine with key `key`, for code that computes many draws at once.
  static constexpr result_type output(std::uint64_t key, std::uint64_t n) { return mix64(key + n * 0x9e3779b97f4a7c15ULL); }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

/// What a draw is for; part of every key.
enum class DrawPurpose : std::uint64_t {
  review = 1,
  choice = 2,
  random_event = 3,
  host_review = 4,  // a host's review of a guest's presence (host-consent channels)
  host_choice = 5,  // the host's choice in that review
  consent = 6,      // the host's answer to a guest's rise
};

/// `boost::random::uniform_01<double>()(engine) < p`, decided on the engine's integer outputs.
///
/// Why: a tie's review is "a uniform draw below the review rate", made for every tie in every step, and
/// converting each 64-bit output to a double costs more than the draw itself. uniform_01 maps an output u
/// to double(u) · 2^-64 and draws again when that rounds to 1; double(u) never decreases as u grows, so the
/// draw is below p exactly when u is below a threshold found once per p. Same results, bit for bit (checked
/// against Boost in tests/core/rng_test.cpp).
class UniformBelow {
 public:
  explicit UniformBelow(double p) : one_(first_at_least(1.0)), below_(p >= 1.0 ? one_ : first_at_least(p)) {}
  /// For KeyedEngine, or any engine with the same full 64-bit range (tests script their outputs).
  template <class Engine>
  bool operator()(Engine& engine) const {
    static_assert(Engine::min() == KeyedEngine::min() && Engine::max() == KeyedEngine::max());
    for (;;) {
      const std::uint64_t u = engine();
      if (u < below_) return true;
      if (u < one_) return false;
      // u maps to 1.0: uniform_01 rejects it and draws again
    }
  }
  /// For draws made in batches: an output below below() is a draw below p; from one() on, uniform_01
  /// rejects it and draws again.
  std::uint64_t below() const { return below_; }
  std::uint64_t one() const { return one_; }

 private:
  /// uniform_01's map from an engine output to [0, 1], before its rejection of 1.
  static double to_unit(std::uint64_t u) {
    const double factor = 1.0 / (static_cast<double>(KeyedEngine::max() - KeyedEngine::min()) + 1.0);
    return static_cast<double>(u) * factor;
  }
  /// The smallest output that maps to `value` or more (2^64 − 1 when none does, which only 1.0 can reach).
  static std::uint64_t first_at_least(double value) {
    std::uint64_t low = 0, high = KeyedEngine::max();  // to_unit(high) = 1 ≥ value for every value ≤ 1
    if (value <= 0) return 0;
    while (low < high) {
      const std::uint64_t middle = low + (high - low) / 2;
      if (to_unit(middle) >= value) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  std::uint64_t one_;    // outputs from here on map to 1.0 and are drawn again
  std::uint64_t below_;  // outputs below this map below p
};

}  // namespace tiesim
