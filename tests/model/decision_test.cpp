#include <catch2/catch.hpp>

#include <cmath>

#include "model/decision.hpp"

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
