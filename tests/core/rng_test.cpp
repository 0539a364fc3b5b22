#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <vector>
#include <set>

#include <boost/random/uniform_01.hpp>

#include "core/rng.hpp"

using namespace tiesim;

TEST_CASE("keyed engines repeat exactly and differ by key", "[rng]") {
  KeyedEngine a(combine_key({1, 2, 3})), b(combine_key({1, 2, 3})), c(combine_key({1, 2, 4}));
  for (int k = 0; k < 100; ++k) {
    const auto x = a(), y = b(), z = c();
    REQUIRE(x == y);
    REQUIRE(x != z);
  }
  CHECK(combine_key({1, 2}) != combine_key({2, 1}));
}

TEST_CASE("the mixers are the published SplitMix64 and FNV-1a", "[rng][determinism]") {
  // SplitMix64 (Steele, Lea & Flood 2014) seeded with 0: its first output is mix64 of the golden gamma
  CHECK(mix64(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);
  // FNV-1a 64-bit of "a" and of "" (the offset basis), from the FNV reference
  CHECK(name_key("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(name_key("") == 0xcbf29ce484222325ULL);
  // the n-th output of an engine is mix64(key + n * gamma)
  KeyedEngine engine(42);
  CHECK(engine() == mix64(42 + 0x9e3779b97f4a7c15ULL));
  CHECK(engine() == mix64(42 + 2 * 0x9e3779b97f4a7c15ULL));
}

TEST_CASE("uniform draws over keyed engines look uniform", "[rng]") {
  // a fixed seed that TIESIM_TEST_SEED can change, to look at other samples
  const char* raised = std::getenv("TIESIM_TEST_SEED");
  const std::uint64_t base = 20240101 + (raised && *raised ? std::strtoull(raised, nullptr, 10) : 0);
  constexpr int draws = 100000, bins = 10;
  int count[bins] = {};
  for (int k = 0; k < draws; ++k) {
    KeyedEngine engine(combine_key({base, static_cast<std::uint64_t>(k)}));
    const double u = boost::random::uniform_01<double>()(engine);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    ++count[static_cast<int>(u * bins)];
  }
  // chi-square with 9 degrees of freedom: 27.9 is the 0.1% critical value
  double chi2 = 0;
  for (int b = 0; b < bins; ++b) chi2 += (count[b] - draws / bins) * (count[b] - draws / bins) / double(draws / bins);
  CHECK(chi2 < 27.9);
}

TEST_CASE("replicate seeds fit in 53 bits and are distinct", "[rng]") {
  std::set<std::uint64_t> seen;
  for (std::uint64_t r = 0; r < 1000; ++r) {
    const auto seed = replicate_seed(7, r);
    REQUIRE(seed < (1ULL << 53));
    seen.insert(seed);
  }
  CHECK(seen.size() == 1000);
}

namespace {
/// An engine over the full 64-bit range that returns the outputs it is given, then repeats the last.
struct ScriptedEngine {
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  std::vector<std::uint64_t> outputs;
  std::size_t next = 0;
  result_type operator()() { return outputs[std::min(next++, outputs.size() - 1)]; }
};
}  // namespace

TEST_CASE("UniformBelow decides uniform_01 < p exactly as Boost does", "[rng][determinism]") {
  const double rates[] = {0.0, 1e-300, 0.02, 0.03, 0.05, 0.08, 0.1, 1.0 / 3, 0.5, 0.999999, 1.0 - 1e-16, 1.0};
  for (double p : rates) {
    INFO("p = " << p);
    const UniformBelow below(p);
    // many keyed draws
    for (std::uint64_t k = 0; k < 20000; ++k) {
      KeyedEngine a(combine_key({99, k})), b(combine_key({99, k}));
      REQUIRE(below(a) == (boost::random::uniform_01<double>()(b) < p));
    }
    // outputs at and around every double boundary near p·2^64, and those that round to 1 (drawn again)
    const double edge = std::ldexp(p, 64);
    const std::uint64_t centre = edge >= 0x1p64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(edge);
    for (std::uint64_t delta : {0ULL, 1ULL, 2ULL, 511ULL, 512ULL, 513ULL, 1023ULL, 1024ULL, 1025ULL, 2048ULL, 4096ULL}) {
      for (std::uint64_t u : {centre - std::min(centre, delta), centre + std::min(~centre, delta)}) {
        for (std::uint64_t second : {0ULL, ~0ULL - 5000, 12345ULL << 40}) {
          ScriptedEngine a{{u, second, 7}}, b{{u, second, 7}};
          REQUIRE(below(a) == (boost::random::uniform_01<double>()(b) < p));
          REQUIRE(a.next == b.next);  // the same number of outputs used
        }
      }
    }
    for (std::uint64_t u : {~0ULL, ~0ULL - 1023, ~0ULL - 1024, ~0ULL - 1025, ~0ULL - 2047}) {
      ScriptedEngine a{{u, 3, 7}}, b{{u, 3, 7}};
      REQUIRE(below(a) == (boost::random::uniform_01<double>()(b) < p));
      REQUIRE(a.next == b.next);
    }
  }
}
