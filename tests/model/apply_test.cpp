// Steps 3-4 of a step as they leave the state: realised changes, their affect shocks on the partner
// (retaliation, reciprocity · goldstein / 10), mutual ties lowered by either side, and follow-through.
// Precision is high (1000), so every choice is the best level; the arithmetic is in each case's comment.
#include <catch2/catch.hpp>

#include <cmath>
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

// ---- reciprocity in kind ----------------------------------------------------------------------------------

namespace {

// A's embassy in B and B's in A, both at the top of a three-rung ladder (L = 2), with no benefit and no
// adjustment cost. A (a_AB = −1) lowers its embassy a rung (2 → 1, the choice set is x − 1..x + 1) when the incident in step 0 puts the pair's ties up
// for review; B (a_BA = `b_affect`) values its own at b_affect · y/2 and is reviewed only when something
// puts it on the agenda (review_rate 0). ρ = 0 and κ = 0, so no affect changes: only the memory of A's cut
// can move B. Memory half-life 0.5 years.
std::string reciprocating_world(double reciprocation, double b_affect, double b_precision, const std::string& step) {
  return R"(
[scenario]
start = 2000-01-01
end = 2001-12-01
step = ")" + step + R"("
[model]
balance = 0.0
reciprocity = 0.0
event_affect_scale = 0.0
memory_half_life = 0.5
[actors.A]
size = 1
precision = 1000
anchoring = 0
[actors.B]
size = 1
precision = )" + std::to_string(b_precision) + R"(
anchoring = 0
reciprocation = )" + std::to_string(reciprocation) + R"(
[channels.embassy]
kind = "directed"
levels = ["none", "charge", "ambassador"]
benefit = 0
salience = 1
cost_up = 0
cost_down = 0
review_rate = 0
[events.meeting]
date = 2000-01-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -1
[[ties]]
from = "A"
to = "B"
channel = "embassy"
level = 2
both_ways = true
[[affect]]
from = "A"
to = "B"
value = -1
[[affect]]
from = "B"
to = "A"
value = )" + std::to_string(b_affect) + "\n";
}

/// m_BA,embassy: B's memory of A's moves on the embassy channel.
double memory_of(const Model& model, const State& state) { return state.memory[model.tie_index(B, A, 0)]; }

}  // namespace

TEST_CASE("reciprocity: a partner's cut is remembered as Δ/L and lowers U by w^R m y/L", "[apply][reciprocity]") {
  // A cuts 2 → 1 in step 0: m_BA = Δ/L = −1/2. B's utility for its embassy is then (affect 0, so)
  //   U(y) = w^R m y/L = 0.4 · (−0.5) · y/2 = −0.1 y,
  // and at precision λ = 1 the logit gives ln p(y)/p(y−1) = λ (U(y) − U(y−1)) = −0.1 for each rung
  const Scenario scenario = scenario_from(reciprocating_world(0.4, 0.0, 1.0, "month"));
  Stepper run(scenario.model);
  CHECK(memory_of(scenario.model, run.state) == 0.0);
  run.advance(seed);
  REQUIRE(level_of(scenario.model, run.state, A, B, 0) == 1);
  CHECK(memory_of(scenario.model, run.state) == Approx(-0.5).epsilon(1e-12));
  const Choice choice = tiesim::test::choice_of(scenario.model, run.state, B, A, 0);
  REQUIRE(choice.count == 2);  // {1, 2}, from level 2
  CHECK(choice.level[0] == 1);
  CHECK(choice.level[1] == 2);
  CHECK(std::log(choice.probability[1] / choice.probability[0]) == Approx(-0.1).epsilon(1e-9));

  SECTION("it fades by half every memory_half_life: 6 monthly steps for half a year") {
    // no move after step 0; each step multiplies m by 0.5^(1/(12 · 0.5)) = 0.5^(1/6)
    for (int k = 1; k <= 6; ++k) {
      run.advance(seed);
      INFO("step " << k);
      CHECK(memory_of(scenario.model, run.state) == Approx(-0.5 * std::pow(0.5, k / 6.0)).epsilon(1e-12));
    }
    CHECK(memory_of(scenario.model, run.state) == Approx(-0.25).epsilon(1e-12));
    // so the term has halved too: ln p(2)/p(1) = 0.4 · (−0.25) / 2 = −0.05
    const Choice later = tiesim::test::choice_of(scenario.model, run.state, B, A, 0);
    CHECK(std::log(later.probability[1] / later.probability[0]) == Approx(-0.05).epsilon(1e-9));
  }
  SECTION("without the weight the memory is not kept and the choice is even") {
    const Scenario indifferent = scenario_from(reciprocating_world(0.0, 0.0, 1.0, "month"));
    Stepper plain(indifferent.model);
    plain.advance(seed);
    CHECK(plain.state.memory.empty());
    const Choice even = tiesim::test::choice_of(indifferent.model, plain.state, B, A, 0);
    CHECK(even.probability[0] == Approx(0.5));
  }
}

TEST_CASE("reciprocity: a partner's opening is remembered with the opposite sign", "[apply][reciprocity]") {
  // the same world with A's embassy at 0 and A now warm (a_AB = 1): it opens 0 → 1, m_BA = +1/2
  std::string text = reciprocating_world(0.4, 0.0, 1.0, "month");
  text.replace(text.find("value = -1"), 10, "value = 1");
  text += "[[ties]]\nfrom = \"A\"\nto = \"B\"\nchannel = \"embassy\"\nlevel = 0\n";
  const Scenario scenario = scenario_from(text);
  Stepper run(scenario.model);
  run.advance(seed);
  REQUIRE(level_of(scenario.model, run.state, A, B, 0) == 1);
  CHECK(memory_of(scenario.model, run.state) == Approx(0.5).epsilon(1e-12));
  // U(y) = 0.4 · 0.5 · y/2 = 0.1 y: ln p(2)/p(1) = +0.1
  const Choice choice = tiesim::test::choice_of(scenario.model, run.state, B, A, 0);
  CHECK(std::log(choice.probability[1] / choice.probability[0]) == Approx(0.1).epsilon(1e-9));
}

TEST_CASE("reciprocity: a large w^R answers a partner's cut within one step", "[apply][reciprocity][retaliation]") {
  // B likes A a little (a_BA = 0.2: U(y) = 0.1 y without memory) and is reviewed only through its agenda.
  // After A's cut in step 0 (weekly steps), m = −0.5 and with w^R = 10, U(y) = 0.2 · y/2 + 10 · (−0.5) · y/2
  // = −2.4 y: B's embassy is on its agenda in step 1, a week later, and B lowers it a rung, 2 → 1
  const Scenario scenario = scenario_from(reciprocating_world(10.0, 0.2, 1000.0, "week"));
  Stepper run(scenario.model);
  run.advance(seed);
  REQUIRE(level_of(scenario.model, run.state, A, B, 0) == 1);
  CHECK(level_of(scenario.model, run.state, B, A, 0) == 2);  // step 0: B's review came before the cut
  const auto events = changes(run.advance_recorded(seed));
  CHECK(level_of(scenario.model, run.state, B, A, 0) == 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].actor == B);
  CHECK(events[0].partner == A);
  CHECK(events[0].to_level == 1);

  SECTION("without reciprocation B keeps its embassy: nothing puts it up for review") {
    const Scenario calm = scenario_from(reciprocating_world(0.0, 0.2, 1000.0, "week"));
    Stepper plain(calm.model);
    for (int k = 0; k < 4; ++k) plain.advance(seed);
    CHECK(level_of(calm.model, plain.state, B, A, 0) == 2);
  }
}

TEST_CASE("reciprocity: weekly and monthly steps forget at the same rate per year", "[apply][reciprocity][step_unit]") {
  // the memory's decay per step is 0.5^(years per step / half-life): over one year, 0.5^(1 / 0.5) = 0.25
  // whatever the step. The cut happens in step 0 of each run; the memory is −0.5 just after it
  const Scenario weekly = scenario_from(reciprocating_world(0.4, 0.0, 1.0, "week"));
  const Scenario monthly = scenario_from(reciprocating_world(0.4, 0.0, 1.0, "month"));
  CHECK(std::pow(weekly.model.memory_decay, weekly.model.calendar.steps_per_year()) == Approx(0.25).epsilon(1e-12));
  CHECK(std::pow(monthly.model.memory_decay, 12.0) == Approx(0.25).epsilon(1e-12));
  CHECK(weekly.model.memory_decay > monthly.model.memory_decay);  // a week forgets less than a month
  Stepper week(weekly.model), month(monthly.model);
  week.advance(seed);
  month.advance(seed);
  REQUIRE(memory_of(weekly.model, week.state) == Approx(-0.5));
  REQUIRE(memory_of(monthly.model, month.state) == Approx(-0.5));
  // 2000-01-01 + 12 months and + 52 weeks (2000-12-30, two days short of a year)
  for (int k = 0; k < 12; ++k) month.advance(seed);
  for (int k = 0; k < 52; ++k) week.advance(seed);
  const double year_week = 52 / weekly.model.calendar.steps_per_year();
  CHECK(memory_of(monthly.model, month.state) == Approx(-0.5 * 0.25).epsilon(1e-12));
  CHECK(memory_of(weekly.model, week.state) == Approx(-0.5 * std::pow(0.25, year_week)).epsilon(1e-12));
  CHECK(memory_of(weekly.model, week.state) == Approx(memory_of(monthly.model, month.state)).margin(0.002));
}
