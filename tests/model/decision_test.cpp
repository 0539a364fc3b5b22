#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "model/decision.hpp"
#include "model/step_support.hpp"
#include "support.hpp"

using namespace tiesim;

namespace {
// a tie at level 1 of 0..2 with every term of U switched on
TieContext example_tie(const std::vector<CapBinding>& caps) {
  TieContext tie;
  tie.current = 1;
  tie.top = 2;
  tie.curvature = 0.5;
  tie.benefit_scale = 2.0;
  tie.affinity_slope = 0.5;
  tie.autonomy_value = 0.3;
  tie.compliance = 1.0;
  tie.caps = caps;
  tie.scrutiny_slope = 0.4;
  tie.alignment_slope = 0.2;
  tie.cost_up = 0.1;
  tie.cost_down = 0.2;
  return tie;
}
}  // namespace

TEST_CASE("utility terms match a hand computation", "[decision]") {
  const std::vector<CapBinding> caps = {{0.5, 0}};
  const TieContext tie = example_tie(caps);
  // U(0): only the cost of moving down one level
  CHECK(utility_terms(tie, 0).total() == Approx(-0.2));
  // U(1) = 2·√½ + 0.5·½ + 0.3 − 1·0.5·1 − 0.4·½ − 0.2·½
  const UtilityTerms at_one = utility_terms(tie, 1);
  CHECK(at_one.benefit == Approx(2 * std::sqrt(0.5)));
  CHECK(at_one.affinity == Approx(0.25));
  CHECK(at_one.autonomy == Approx(0.3));
  CHECK(at_one.violation == Approx(-0.5));
  CHECK(at_one.scrutiny == Approx(-0.2));
  CHECK(at_one.alignment == Approx(-0.1));
  CHECK(at_one.adjustment == Approx(0.0));
  CHECK(at_one.total() == Approx(1.1642135623730951));
  // U(2) = 2 + 0.5 + 0.3 − 1.0 − 0.4 − 0.2 − 0.1
  CHECK(utility_terms(tie, 2).total() == Approx(1.1));
}

TEST_CASE("logit choice probabilities match a hand computation", "[decision]") {
  const std::vector<CapBinding> caps = {{0.5, 0}};
  const Choice choice = choice_probabilities(example_tie(caps), 2.0);
  REQUIRE(choice.count == 3);
  CHECK(choice.level[0] == 0);
  CHECK(choice.level[2] == 2);
  // P(y) = exp(2 U(y)) / Σ exp(2 U), computed by hand from the utilities above
  CHECK(choice.probability[0] == Approx(0.033588011866401646).epsilon(1e-12));
  CHECK(choice.probability[1] == Approx(0.5141917952478385).epsilon(1e-12));
  CHECK(choice.probability[2] == Approx(0.4522201928857598).epsilon(1e-12));
}

TEST_CASE("the choice set stays within the ladder", "[decision]") {
  std::vector<CapBinding> none;
  TieContext tie = example_tie(none);
  tie.current = 0;
  Choice at_bottom = choice_probabilities(tie, 1.0);
  CHECK(at_bottom.count == 2);
  CHECK(at_bottom.level[0] == 0);
  CHECK(at_bottom.level[1] == 1);
  tie.current = 2;
  Choice at_top = choice_probabilities(tie, 1.0);
  CHECK(at_top.count == 2);
  CHECK(at_top.level[1] == 2);
}

TEST_CASE("precision 0 chooses at random, a huge precision chooses the best", "[decision]") {
  std::vector<CapBinding> caps = {{0.5, 0}};
  const TieContext tie = example_tie(caps);
  const Choice uniform = choice_probabilities(tie, 0.0);
  for (int k = 0; k < 3; ++k) CHECK(uniform.probability[static_cast<std::size_t>(k)] == Approx(1.0 / 3));
  const Choice sharp = choice_probabilities(tie, 1e300);
  CHECK(sharp.probability[1] == 1.0);
  CHECK(sharp.probability[0] == 0.0);
  CHECK(sharp.probability[2] == 0.0);
  CHECK(std::isfinite(sharp.probability[0]));
}

TEST_CASE("probabilities sum to one and rise with utility", "[decision][property]") {
  // a fixed sweep over coefficient values: every combination must give a proper distribution, and raising
  // the benefit of the tie can only raise the chance of the top level
  std::vector<CapBinding> caps = {{1.0, 1}};
  for (double benefit : {0.0, 0.5, 3.0, 50.0})
    for (double affinity : {-2.0, 0.0, 2.0})
      for (double precision : {0.0, 0.3, 5.0, 300.0})
        for (int current : {0, 1, 2}) {
          TieContext tie = example_tie(caps);
          tie.benefit_scale = benefit;
          tie.affinity_slope = affinity;
          tie.current = current;
          const Choice choice = choice_probabilities(tie, precision);
          double sum = 0;
          for (int k = 0; k < choice.count; ++k) {
            REQUIRE(choice.probability[static_cast<std::size_t>(k)] >= 0.0);
            sum += choice.probability[static_cast<std::size_t>(k)];
          }
          REQUIRE(sum == Approx(1.0).epsilon(1e-12));
          TieContext richer = tie;
          richer.benefit_scale = benefit + 1.0;
          const Choice more = choice_probabilities(richer, precision);
          REQUIRE(more.probability[static_cast<std::size_t>(more.count - 1)] >=
                  choice.probability[static_cast<std::size_t>(choice.count - 1)] - 1e-15);
        }
}

TEST_CASE("drawing inverts the cumulative distribution", "[decision]") {
  Choice choice;
  choice.count = 3;
  choice.level = {0, 1, 2};
  choice.probability = {0.2, 0.5, 0.3};
  CHECK(draw_level(choice, 0.0) == 0);
  CHECK(draw_level(choice, 0.1999) == 0);
  CHECK(draw_level(choice, 0.2001) == 1);
  CHECK(draw_level(choice, 0.6999) == 1);
  CHECK(draw_level(choice, 0.7001) == 2);
  CHECK(draw_level(choice, 0.999999) == 2);
}

namespace {

/// The seed of the randomised property tests: fixed, so that a failure repeats, and changed with the
/// environment variable TIESIM_TEST_SEED to look at other samples. Every failure prints it.
std::uint64_t property_seed() {
  const char* text = std::getenv("TIESIM_TEST_SEED");
  if (text && *text) return std::strtoull(text, nullptr, 0);
  return 20170213;
}

/// Random coefficients spanning every range the loader accepts (and beyond, for the products of ranges):
/// magnitudes drawn log-uniformly so that tiny and huge values are both common.
struct TieSampler {
  std::mt19937_64 engine;
  std::vector<CapBinding> caps;

  double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine); }
  double magnitude(double low_exponent, double high_exponent) {
    if (unit() < 0.1) return 0.0;
    return std::pow(10.0, low_exponent + (high_exponent - low_exponent) * unit());
  }
  double signed_magnitude(double low_exponent, double high_exponent) {
    return (unit() < 0.5 ? -1.0 : 1.0) * magnitude(low_exponent, high_exponent);
  }
  int integer(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine); }

  TieContext tie() {
    TieContext tie;
    tie.top = unit() < 0.5 ? integer(1, 3) : integer(1, 255);
    tie.current = integer(0, tie.top);
    tie.curvature = std::max(1e-6, unit());
    tie.shape = nullptr;
    tie.benefit_scale = magnitude(-6, 60);     // w^B b_c (1 + bonus) s_j^γ: up to 1e6 · 1e6 · 1e3 · 1e48
    tie.upkeep_slope = magnitude(-6, 12);
    tie.affinity_slope = signed_magnitude(-6, 6);
    tie.autonomy_value = magnitude(-6, 12);
    tie.compliance = magnitude(-6, 6);
    caps.clear();
    for (int k = integer(0, 3); k > 0; --k) caps.push_back({magnitude(-3, 9), integer(0, tie.top)});
    tie.caps = caps;
    tie.scrutiny_slope = magnitude(-6, 30);
    tie.alignment_slope = magnitude(-6, 6);
    tie.cost_up = magnitude(-6, 6);
    tie.cost_down = magnitude(-6, 6);
    return tie;
  }
  double precision() {
    const double pick = unit();
    if (pick < 0.1) return 0.0;
    if (pick < 0.15) return 1e300;
    return magnitude(-3, 3);  // the loader's range is [0, 1000]
  }
};

}  // namespace

TEST_CASE("random ties: a proper distribution over the neighbouring levels", "[decision][property]") {
  const std::uint64_t seed = property_seed();
  INFO("TIESIM_TEST_SEED=" << seed);
  TieSampler sample{std::mt19937_64(seed), {}};
  for (int trial = 0; trial < 20000; ++trial) {
    const TieContext tie = sample.tie();
    const double precision = sample.precision();
    INFO("trial " << trial << ": level " << tie.current << " of 0.." << tie.top << ", precision " << precision);
    const Choice choice = choice_probabilities(tie, precision);
    // the levels: x − 1, x, x + 1 within the ladder, in order
    const int lowest = std::max(0, tie.current - 1), highest = std::min(tie.top, tie.current + 1);
    REQUIRE(choice.count == highest - lowest + 1);
    double sum = 0;
    for (int k = 0; k < choice.count; ++k) {
      const double p = choice.probability[static_cast<std::size_t>(k)];
      REQUIRE(choice.level[static_cast<std::size_t>(k)] == lowest + k);
      REQUIRE(std::isfinite(p));
      REQUIRE(p >= 0.0);
      REQUIRE(p <= 1.0);
      REQUIRE(std::isfinite(utility_terms(tie, choice.level[static_cast<std::size_t>(k)]).total()));
      sum += p;
    }
    REQUIRE(sum == Approx(1.0).epsilon(1e-12));
    // the best level is always the most likely; precision 0 is uniform
    int best = 0;
    for (int k = 1; k < choice.count; ++k)
      if (utility_terms(tie, choice.level[static_cast<std::size_t>(k)]).total() >
          utility_terms(tie, choice.level[static_cast<std::size_t>(best)]).total())
        best = k;
    for (int k = 0; k < choice.count; ++k)
      REQUIRE(choice.probability[static_cast<std::size_t>(best)] >= choice.probability[static_cast<std::size_t>(k)]);
    if (precision == 0)
      for (int k = 0; k < choice.count; ++k) REQUIRE(choice.probability[static_cast<std::size_t>(k)] == Approx(1.0 / choice.count));
    // every draw lands on a level of the choice, and u = 0 on the lowest level that has any chance
    for (double u : {0.0, sample.unit(), sample.unit(), std::nextafter(1.0, 0.0)}) {
      const int level = draw_level(choice, u);
      REQUIRE(level >= lowest);
      REQUIRE(level <= highest);
    }
    int first_possible = 0;
    while (choice.probability[static_cast<std::size_t>(first_possible)] == 0.0) ++first_possible;
    REQUIRE(draw_level(choice, 0.0) == choice.level[static_cast<std::size_t>(first_possible)]);
  }
}

TEST_CASE("random ties: more benefit never makes the highest level less likely", "[decision][property]") {
  const std::uint64_t seed = property_seed() + 1;
  INFO("TIESIM_TEST_SEED=" << seed - 1);
  TieSampler sample{std::mt19937_64(seed), {}};
  for (int trial = 0; trial < 20000; ++trial) {
    const TieContext tie = sample.tie();
    const double precision = sample.precision();
    TieContext richer = tie;
    richer.benefit_scale = 2 * tie.benefit_scale + 1;
    INFO("trial " << trial << ": level " << tie.current << " of 0.." << tie.top << ", benefit " << tie.benefit_scale
                  << ", precision " << precision);
    const Choice before = choice_probabilities(tie, precision);
    const Choice after = choice_probabilities(richer, precision);
    const auto top = static_cast<std::size_t>(before.count - 1);
    REQUIRE(after.probability[top] >= before.probability[top] - 1e-12);
    // and more precision never makes the best level less likely
    const Choice sharper = choice_probabilities(tie, precision * 2 + 0.5);
    int best = 0;
    for (int k = 1; k < before.count; ++k)
      if (utility_terms(tie, before.level[static_cast<std::size_t>(k)]).total() >
          utility_terms(tie, before.level[static_cast<std::size_t>(best)]).total())
        best = k;
    REQUIRE(sharper.probability[static_cast<std::size_t>(best)] >= before.probability[static_cast<std::size_t>(best)] - 1e-12);
  }
}

TEST_CASE("a feasibility ceiling removes the levels above it from the choice", "[decision][max_level]") {
  // the example tie's best level is 2 (U(2) = 1.1 vs U(1) = 1.164 at λ = 2 gives 2 a share); with a
  // ceiling of 1 the choice is among {0, 1} only, in the ratio exp(2 (U(1) − U(0))) = exp(2 · 1.3642)
  const std::vector<CapBinding> caps = {{0.5, 0}};
  TieContext tie = example_tie(caps);
  tie.ceiling = 1;
  const Choice choice = choice_probabilities(tie, 2.0);
  REQUIRE(choice.count == 2);
  CHECK(choice.level[0] == 0);
  CHECK(choice.level[1] == 1);
  CHECK(choice.probability[1] / choice.probability[0] == Approx(std::exp(2 * (1.1642135623730951 + 0.2))).epsilon(1e-12));
  SECTION("a tie at its ceiling of 0 cannot move at all") {
    tie.current = 0;
    tie.ceiling = 0;
    const Choice stuck = choice_probabilities(tie, 2.0);
    REQUIRE(stuck.count == 1);
    CHECK(stuck.level[0] == 0);
    CHECK(stuck.probability[0] == 1.0);
  }
}

TEST_CASE("a tie never rises above its pair's max_level, even when everything favours it", "[decision][max_level]") {
  // a large benefit, warm affect both ways, every tie reviewed every step at high precision and no cost:
  // unbounded, both ties climb to the top (3) in three steps. With max_level 1 on the mutual trade tie
  // and 2 on A's embassy in B (not B's in A), they stop there, for every one of 24 steps
  const std::string world = R"(
[scenario]
start = 2000-01-01
end = 2001-12-01
[model]
balance = 0.0
[actors.A]
size = 1
precision = 1000
[actors.B]
size = 1
precision = 1000
[channels.trade]
kind = "mutual"
levels = ["none", "some", "more", "all"]
benefit = 5
review_rate = 1
[channels.embassy]
kind = "directed"
levels = ["none", "charge", "minister", "ambassador"]
benefit = 5
review_rate = 1
[[affect]]
from = "*"
to = "*"
value = 1
)";
  const std::string ceilings = R"(
[[ties]]
from = "A"
to = "B"
channel = "trade"
max_level = 1
[[ties]]
from = "A"
to = "B"
channel = "embassy"
max_level = "minister"
)";
  const Scenario bounded = tiesim::test::scenario_from(world + ceilings);
  const Scenario open = tiesim::test::scenario_from(world);
  tiesim::test::Stepper run(bounded.model), free_run(open.model);
  const auto level = [](const Scenario& s, const State& state, int i, int j, int c) { return tiesim::test::level_of(s.model, state, i, j, c); };
  for (int step = 0; step < 24; ++step) {
    run.advance(5);
    free_run.advance(5);
    INFO("after step " << step);
    CHECK(level(bounded, run.state, 0, 1, 0) <= 1);
    CHECK(level(bounded, run.state, 1, 0, 0) <= 1);
    CHECK(level(bounded, run.state, 0, 1, 1) <= 2);
  }
  CHECK(level(bounded, run.state, 0, 1, 0) == 1);
  CHECK(level(bounded, run.state, 0, 1, 1) == 2);
  CHECK(level(bounded, run.state, 1, 0, 1) == 3);  // B's embassy in A has no ceiling
  CHECK(level(open, free_run.state, 0, 1, 0) == 3);
  CHECK(level(open, free_run.state, 0, 1, 1) == 3);
}
