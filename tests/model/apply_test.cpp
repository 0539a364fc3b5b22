// Steps 3-4 of a step as they leave the state: realised changes, their affect shocks on the partner
// (retaliation, reciprocity · goldstein / 10), mutual ties lowered by either side, and follow-through.
// Precision is high (1000), so every choice is the best level; the arithmetic is in each case's comment.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "model/step.hpp"
#include "model/step_support.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::level_of;
using tiesim::test::scenario_from;
using tiesim::test::Stepper;

namespace {

constexpr std::uint64_t seed = 31;
constexpr int A = 0, B = 1;

std::string two_actors(const std::string& model_keys, const std::string& extra) {
  return R"(
[scenario]
start = 2000-01-01
end = 2000-12-01
[model]
balance = 0.0
)" + model_keys + R"(
[actors.A]
size = 1
precision = 1000
anchoring = 0
[actors.B]
size = 1
precision = 1000
anchoring = 0
)" + extra;
}

/// The tie changes (not exogenous events) in `events`.
std::vector<EventRecord> changes(const std::vector<EventRecord>& events) {
  std::vector<EventRecord> out;
  for (const auto& event : events)
    if (!event.exogenous) out.push_back(event);
  return out;
}

// an embassy ladder with concave benefit (θ = 0.5) and a cost of 0.2 per level raised. From level 0:
//   g(1/3) − 0 − 0.2 = 0.577 − 0.2 > 0: up to 1;  g(2/3) − g(1/3) − 0.2 = 0.816 − 0.577 − 0.2 = 0.039 > 0: up to 2;
//   g(1) − g(2/3) − 0.2 = 1 − 0.816 − 0.2 = −0.016 < 0: it stops at 2.
// Nothing is reviewed by chance (review_rate 0); an incident on the first date puts the pair's ties up for
// review in step 0, with no affect shock (κ = 0) and no reciprocity.
std::string climbing_world() {
  return two_actors("event_affect_scale = 0.0\nreciprocity = 0.0\n", R"(
[channels.embassy]
kind = "directed"
levels = ["none", "charge", "minister", "ambassador"]
benefit_curvature = 0.5
cost_up = 0.2
salience = 0
review_rate = 0
[events.meeting]
date = 2000-01-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -1
)");
}

}  // namespace

TEST_CASE("follow-through: a tie that moved is reviewed again the next step, until it stops", "[apply][follow_through]") {
  const Scenario followed = scenario_from(climbing_world(), {"model.follow_through=true"});
  const Scenario plain = scenario_from(climbing_world(), {"model.follow_through=false"});
  SECTION("with follow-through the tie climbs a rung a step while each rung is worth its cost") {
    Stepper run(followed.model);
    const std::vector<int> level = {1, 2, 2, 2};
    const std::vector<std::size_t> change_count = {2, 2, 0, 0};  // A's and B's embassies, then none
    for (std::size_t step = 0; step < level.size(); ++step) {
      const auto events = changes(run.advance_recorded(seed));
      INFO("step " << step);
      CHECK(level_of(followed.model, run.state, A, B, 0) == level[step]);
      CHECK(level_of(followed.model, run.state, B, A, 0) == level[step]);
      CHECK(events.size() == change_count[step]);
    }
  }
  SECTION("without it the forced review moves it once and nothing reviews it again") {
    Stepper run(plain.model);
    for (int step = 0; step < 4; ++step) {
      run.advance(seed);
      INFO("step " << step);
      CHECK(level_of(plain.model, run.state, A, B, 0) == 1);
      CHECK(level_of(plain.model, run.state, B, A, 0) == 1);
    }
  }
}

TEST_CASE("a mutual tie cut by one side: the other side's affect falls by reciprocity · goldstein / 10",
          "[apply][retaliation][mutual]") {
  // trade brings no benefit, so each side values it at w^E a σ = a (σ = 1): A (a_AB = −1) wants it closed,
  // B (a_BA = 0.2) wants it kept; the tie becomes min(0, 1) = 0, authored by A alone. B's affect toward A:
  //   0.2 + ρ · goldstein_down / 10 = 0.2 + 0.5 · (−6) / 10 = −0.1; A's, whose wish it was, is unchanged.
  const Scenario scenario = scenario_from(two_actors("reciprocity = 0.5\n", R"(
[channels.trade]
kind = "mutual"
levels = ["none", "open"]
benefit = 0
salience = 1
review_rate = 1
goldstein_up = 4
goldstein_down = -6
[[ties]]
from = "A"
to = "B"
channel = "trade"
level = 1
[[affect]]
from = "A"
to = "B"
value = -1
[[affect]]
from = "B"
to = "A"
value = 0.2
)"));
  Stepper run(scenario.model);
  const auto events = changes(run.advance_recorded(seed));
  CHECK(level_of(scenario.model, run.state, A, B, 0) == 0);
  CHECK(level_of(scenario.model, run.state, B, A, 0) == 0);
  REQUIRE(events.size() == 1);
  CHECK(events[0].actor == A);
  CHECK(events[0].partner == B);
  CHECK(events[0].from_level == 1);
  CHECK(events[0].to_level == 0);
  CHECK(events[0].goldstein == -6.0);
  CHECK(run.state.affect(B, A) == Approx(-0.1).epsilon(1e-12));
  CHECK(run.state.affect(A, B) == -1.0);
}

TEST_CASE("an upgrade warms the partner, who answers it the next step", "[apply][retaliation]") {
  // an embassy with no benefit and a cost of 0.1 to raise: A (a_AB = 0.6) opens one in B, since 0.6 − 0.1 > 0;
  // B (a_BA = 0) would not (0 − 0.1 < 0). The upgrade raises a_BA by ρ · goldstein_up / 10 = 0.5 · 4 / 10 = 0.2,
  // so in step 1 B opens its own (0.2 − 0.1 > 0), raising a_AB to 0.6 + 0.2 = 0.8.
  const Scenario scenario = scenario_from(two_actors("reciprocity = 0.5\n", R"(
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
benefit = 0
salience = 1
cost_up = 0.1
review_rate = 1
goldstein_up = 4
[[affect]]
from = "A"
to = "B"
value = 0.6
)"));
  Stepper run(scenario.model);
  run.advance(seed);
  CHECK(level_of(scenario.model, run.state, A, B, 0) == 1);
  CHECK(level_of(scenario.model, run.state, B, A, 0) == 0);
  CHECK(run.state.affect(B, A) == Approx(0.2).epsilon(1e-12));
  CHECK(run.state.affect(A, B) == 0.6);
  run.advance(seed);
  CHECK(level_of(scenario.model, run.state, A, B, 0) == 1);
  CHECK(level_of(scenario.model, run.state, B, A, 0) == 1);
  CHECK(run.state.affect(A, B) == Approx(0.8).epsilon(1e-12));
}

TEST_CASE("a retaliation shock past −1 is clamped in the affect update", "[apply][retaliation][affect]") {
  // A (a_AB = −1) closes its embassy in B (a_BA = −0.9): ρ = 10 makes the shock 10 · (−6) / 10 = −6, and
  // a_BA ends at clamp(−0.9 − 6) = −1, not below
  const Scenario scenario = scenario_from(two_actors("reciprocity = 10\n", R"(
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
benefit = 0
salience = 1
review_rate = 1
goldstein_down = -6
[[ties]]
from = "A"
to = "B"
channel = "embassy"
level = 1
[[affect]]
from = "A"
to = "B"
value = -1
[[affect]]
from = "B"
to = "A"
value = -0.9
)"));
  Stepper run(scenario.model);
  run.advance(seed);
  CHECK(level_of(scenario.model, run.state, A, B, 0) == 0);
  CHECK(run.state.affect(B, A) == -1.0);
  CHECK_FALSE(check_invariants(scenario.model, run.state).has_value());
}
