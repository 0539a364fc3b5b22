// Step 1 of a step, the exogenous events: roles, agreements, lobbying, reporting deadlines, provocations and
// random events, each on a world small enough to work out by hand. Steps are monthly from 2000-01-01, so
// step k is month k + 1 of 2000. Nothing is reviewed (review_rate 0) unless an event forces it, so the state
// changes only where an event acts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <numeric>
#include <string>
#include <vector>

#include "model/step.hpp"
#include "model/step_support.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::agreement_bonus;
using tiesim::test::choice_of;
using tiesim::test::effective_weights;
using tiesim::test::level_of;
using tiesim::test::scenario_from;
using tiesim::test::Stepper;

namespace {

// two actors with an embassy in each other that nothing reviews; no anchoring, balance or reciprocity, so
// affect moves only by the events' own shocks
std::string quiet_world(const std::string& extra) {
  return R"(
[scenario]
start = 2000-01-01
end = 2000-12-01
[model]
balance = 0.0
reciprocity = 0.0
event_affect_scale = 0.5
[actors.A]
size = 1
precision = 1000
anchoring = 0
[actors.B]
size = 1
precision = 1000
anchoring = 0
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
review_rate = 0
[[ties]]
from = "*"
to = "*"
channel = "*"
level = 1
)" + extra;
}

constexpr int A = 0, B = 1, C = 2;
constexpr int embassy = 0;
constexpr std::uint64_t seed = 17;

/// The number of exogenous events in `events`.
int exogenous_count(const std::vector<EventRecord>& events) {
  int count = 0;
  for (const auto& event : events) count += event.exogenous ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("a role adds its weights while in effect and takes them away after its end", "[events][roles]") {
  // in effect from March (step 2) to the step containing 2000-05-15 (step 4, May)
  const Scenario scenario = scenario_from(quiet_world(R"(
[events.seat]
date = 2000-03-01
kind = "role"
actor = "A"
until = 2000-05-15
compliance = 2
benefit = 0.5
)"));
  // the same world with a precision of 1 for A, to read w^B off A's choice: U(0) = 0 and
  // U(1) = w^B b_c g(1) s_B^γ = w^B (affect is 0), so P(keep) = 1 / (1 + e^−w^B)
  Model probe = scenario.model;
  probe.actors[A].precision = 1;
  Stepper run(scenario.model);
  const std::vector<double> compliance = {0, 0, 2, 2, 2, 0, 0};
  const std::vector<double> benefit = {1, 1, 1.5, 1.5, 1.5, 1, 1};
  for (std::size_t step = 0; step < compliance.size(); ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(effective_weights(run.state, A).compliance == compliance[step]);
    CHECK(effective_weights(run.state, A).benefit == benefit[step]);
    CHECK(effective_weights(run.state, B).compliance == 0.0);  // only its actor's weights change
    const Choice choice = choice_of(probe, run.state, A, B, embassy);
    REQUIRE(choice.count == 2);
    CHECK(choice.probability[1] == Approx(1 / (1 + std::exp(-benefit[step]))).epsilon(1e-12));
  }
}

TEST_CASE("an agreement multiplies the pair's benefit by 1 + bonus until it expires", "[events][agreements]") {
  // in effect from February (step 1) to the step containing 2000-04-10 (step 3, April)
  const Scenario scenario = scenario_from(quiet_world(R"(
[events.deal]
date = 2000-02-01
kind = "agreement"
actor = "A"
partner = "B"
channel = "embassy"
benefit = 0.5
until = 2000-04-10
)"), {"model.event_affect_scale=0"});
  // the same world with a precision of 1 for A, to read the bonus off A's choice: U(0) = 0 and
  // U(1) = w^B b_c (1 + bonus) g(1) s_B^γ = 1 + bonus (affect stays 0), so P(keep) = 1 / (1 + e^−(1 + bonus))
  Model probe = scenario.model;
  probe.actors[A].precision = 1;
  const double keep_without = 1 / (1 + std::exp(-1.0));   // 0.7311
  const double keep_with = 1 / (1 + std::exp(-1.5));      // 0.8176
  Stepper run(scenario.model);
  const std::vector<double> bonus = {0, 0.5, 0.5, 0.5, 0, 0};
  for (std::size_t step = 0; step < bonus.size(); ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(agreement_bonus(scenario.model, run.state, A, B, embassy) == bonus[step]);
    CHECK(agreement_bonus(scenario.model, run.state, B, A, embassy) == bonus[step]);
    const Choice choice = choice_of(probe, run.state, A, B, embassy);
    REQUIRE(choice.count == 2);
    REQUIRE(choice.level[1] == 1);
    CHECK(choice.probability[1] == Approx(bonus[step] > 0 ? keep_with : keep_without).epsilon(1e-12));
  }
}

TEST_CASE("two overlapping agreements leave no bonus once both have ended", "[events][agreements]") {
  // 0.5 from February to April (steps 1-3), 0.25 from March to June (steps 2-5)
  const Scenario scenario = scenario_from(quiet_world(R"(
[events.first]
date = 2000-02-01
kind = "agreement"
actor = "A"
partner = "B"
channel = "embassy"
benefit = 0.5
until = 2000-04-10
[events.second]
date = 2000-03-01
kind = "agreement"
actor = "B"
partner = "A"
channel = "embassy"
benefit = 0.25
until = 2000-06-10
)"));
  Stepper run(scenario.model);
  const std::vector<double> bonus = {0, 0.5, 0.75, 0.75, 0.25, 0.25, 0, 0};
  for (std::size_t step = 0; step < bonus.size(); ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(agreement_bonus(scenario.model, run.state, A, B, embassy) == bonus[step]);
    CHECK(agreement_bonus(scenario.model, run.state, B, A, embassy) == bonus[step]);
  }
}

TEST_CASE("lobbying presses its target, sours it on a third state and puts that pair's ties up for review",
          "[events][lobbying]") {
  // A lobbies B about C in March (step 2). Embassies bring no benefit, so a tie is worth w^E a σ = a: B keeps
  // its embassy in C while it likes C (a = 0.3) and closes it once the campaign has turned it (0.3 − 0.4).
  const Scenario scenario = scenario_from(quiet_world(R"(
[actors.C]
size = 1
precision = 1000
anchoring = 0
[[affect]]
from = "B"
to = "C"
value = 0.3
both_ways = true
[events.campaign]
date = 2000-03-01
kind = "lobbying"
actor = "A"
partner = "B"
against = "C"
pressure = 2
affect = 0.4
)"), {"model.pressure_decay=0.5", "channels.embassy.benefit=0", "channels.embassy.salience=1"});
  Stepper run(scenario.model);
  run.advance_until(2, seed);
  CHECK(run.state.pressure(B) == 0.0);
  CHECK(level_of(scenario.model, run.state, B, C, embassy) == 1);
  run.advance(seed);  // March
  // p_B = δ · 0 + 2; nobody else is pressed
  CHECK(run.state.pressure(B) == 2.0);
  CHECK(run.state.pressure(A) == 0.0);
  CHECK(run.state.pressure(C) == 0.0);
  CHECK(run.state.affect(B, C) == Approx(-0.1).epsilon(1e-12));
  CHECK(run.state.affect(C, B) == 0.3);
  // review rate 0: only the forced review can have closed it; C still likes B and keeps its own
  CHECK(level_of(scenario.model, run.state, B, C, embassy) == 0);
  CHECK(level_of(scenario.model, run.state, C, B, embassy) == 1);
  // the shock was once: pressure decays by δ = 0.5 a step
  run.advance(seed);
  CHECK(run.state.pressure(B) == 1.0);
  run.advance(seed);
  CHECK(run.state.pressure(B) == 0.5);
}

namespace {

// A is bound by sanctions on B (enforcement 1) and keeps its embassy in B (visibility 1): with no decay its
// pressure is e · exposure = e · v x / L = e. A resolution in March tightens them with a report due on `due`.
Scenario reporting_world(const std::string& due) {
  return scenario_from(quiet_world(R"(
[regimes.s]
kind = "sanctions"
members = ["A"]
targets = ["B"]
enforcement = 1
[events.tighten]
date = 2000-03-01
kind = "resolution"
regime = "s"
report_due = )" + due + R"(
report_boost = 10
)"), {"model.pressure_decay=0", "channels.embassy.visibility=1"});
}

}  // namespace

TEST_CASE("a report due raises enforcement by its boost in the step of its date", "[events][reports]") {
  const Scenario scenario = reporting_world("2000-04-01");  // step 3
  Stepper run(scenario.model);
  const std::vector<double> pressure = {1, 1, 1, 11, 11};  // e · 1, then (1 + 10) · 1
  for (std::size_t step = 0; step < pressure.size(); ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(run.state.enforcement[0] == pressure[step]);
    CHECK(run.state.pressure(A) == pressure[step]);
    CHECK(run.state.pressure(B) == 0.0);  // the target is not a member
  }
}

TEST_CASE("a report due in its resolution's own step is not lost", "[events][reports][bug]") {
  // resolution on 2000-03-01, report due 2000-03-20: both in step 2 (March)
  const Scenario scenario = reporting_world("2000-03-20");
  Stepper run(scenario.model);
  const std::vector<double> pressure = {1, 1, 11, 11};
  for (std::size_t step = 0; step < pressure.size(); ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(run.state.enforcement[0] == pressure[step]);
    CHECK(run.state.pressure(A) == pressure[step]);
  }
}

TEST_CASE("a provocation sees exactly the roles in effect when it happens", "[events][roles][bug]") {
  // A's compliance is 0 but 1 while it holds a seat, in March and April (steps 2 and 3). B tests in March
  // (same date as the seat, after it in the file), in April, and in May once the seat is over. Each test
  // shifts a_AB by κ · goldstein / 10 · w^C_A = 0.5 · (−4) / 10 · w^C_A = −0.2 w^C_A.
  const Scenario scenario = scenario_from(quiet_world(R"(
[events.seat]
date = 2000-03-01
kind = "role"
actor = "A"
until = 2000-04-15
compliance = 1
[events.test_march]
date = 2000-03-01
kind = "provocation"
actor = "B"
goldstein = -4
[events.test_april]
date = 2000-04-10
kind = "provocation"
actor = "B"
goldstein = -4
[events.test_may]
date = 2000-05-10
kind = "provocation"
actor = "B"
goldstein = -4
)"));
  Stepper run(scenario.model);
  run.advance_until(2, seed);
  REQUIRE(run.state.affect(A, B) == 0.0);
  double before = run.state.affect(A, B);
  run.advance(seed);  // March: the seat has begun, A's compliance is 1
  CHECK(run.state.affect(A, B) - before == Approx(-0.2).epsilon(1e-12));
  before = run.state.affect(A, B);
  run.advance(seed);  // April: still in effect
  CHECK(run.state.affect(A, B) - before == Approx(-0.2).epsilon(1e-12));
  before = run.state.affect(A, B);
  run.advance(seed);  // May: the seat is over, A's compliance is back to 0
  CHECK(run.state.affect(A, B) == before);
  CHECK(run.state.affect(A, B) == Approx(-0.4).epsilon(1e-12));
  CHECK(run.state.affect(B, A) == 0.0);  // the author's own affect is untouched
}

TEST_CASE("the agreement bonus is exactly the sum of the agreements in effect", "[events][agreements][bug]") {
  // 0.1 in February to April (steps 1-3), 0.2 in March to May (2-4), 0.3 in April to June (3-5). Added and
  // subtracted in turn these do not come back: (((0 + 0.1) + 0.2) + 0.3) − 0.1 = 0.5000000000000001, then
  // 0.3000000000000001, then 1.1e-16 instead of 0.5, 0.3 and 0.
  double running = 0;
  running += 0.1;
  running += 0.2;
  running += 0.3;
  running -= 0.1;
  REQUIRE(running != 0.0 + 0.2 + 0.3);  // so this test can tell the two ways apart
  running -= 0.2;
  running -= 0.3;
  REQUIRE(running != 0.0);

  const Scenario scenario = scenario_from(quiet_world(R"(
[events.first]
date = 2000-02-01
kind = "agreement"
actor = "A"
partner = "B"
channel = "embassy"
benefit = 0.1
until = 2000-04-10
[events.second]
date = 2000-03-01
kind = "agreement"
actor = "A"
partner = "B"
channel = "embassy"
benefit = 0.2
until = 2000-05-10
[events.third]
date = 2000-04-01
kind = "agreement"
actor = "B"
partner = "A"
channel = "embassy"
benefit = 0.3
until = 2000-06-10
)"));
  // the agreements in effect after each step; their sum is exact whatever the order for one or two of them,
  // and for three it may be the sum in any order (0.1 + 0.2 + 0.3 rounds one way, 0.3 + 0.2 + 0.1 another)
  const std::vector<std::vector<double>> in_effect = {{}, {0.1}, {0.1, 0.2}, {0.1, 0.2, 0.3}, {0.2, 0.3}, {0.3}, {}, {}};
  Stepper run(scenario.model);
  for (std::size_t step = 0; step < in_effect.size(); ++step) {
    run.advance(seed);
    std::vector<double> sums, order = in_effect[step];
    std::sort(order.begin(), order.end());
    do sums.push_back(std::accumulate(order.begin(), order.end(), 0.0));
    while (std::next_permutation(order.begin(), order.end()));
    std::sort(sums.begin(), sums.end());
    sums.erase(std::unique(sums.begin(), sums.end()), sums.end());
    const double forward = agreement_bonus(scenario.model, run.state, A, B, embassy);
    const double backward = agreement_bonus(scenario.model, run.state, B, A, embassy);
    // all 17 digits, so that a failure shows the residue, not two equal-looking roundings
    INFO("after step " << step << std::setprecision(17) << ": bonus " << forward << " and " << backward
                       << ", expected " << sums.front() << (sums.size() > 1 ? " or " + std::to_string(sums.size() - 1) + " other roundings" : ""));
    CHECK(std::find(sums.begin(), sums.end(), forward) != sums.end());
    CHECK(backward == forward);
  }
}

namespace {

// a border incident of B against A at `rate` a year, i.e. rate / 12 a month; no affect shock, so every step
// is alike and only the count varies
Scenario incident_world(const std::string& rate, const std::string& window = "") {
  return scenario_from(quiet_world(R"(
[random_events.border]
kind = "incident"
actor = "B"
partner = "A"
goldstein = -2
rate = )" + rate + "\n" + window),
                       {"model.event_affect_scale=0"});
}

/// Exogenous events per step over the first `steps` steps.
std::vector<int> counts_per_step(const Model& model, std::uint64_t replicate, int steps) {
  Stepper run(model);
  std::vector<int> counts;
  for (int step = 0; step < steps; ++step) counts.push_back(exogenous_count(run.advance_recorded(replicate)));
  return counts;
}

/// A fixed seed that TIESIM_TEST_SEED can change, to look at other samples.
std::uint64_t base_seed() {
  const char* text = std::getenv("TIESIM_TEST_SEED");
  return text && *text ? std::strtoull(text, nullptr, 10) : 1;
}

}  // namespace

TEST_CASE("a random event's count is a draw keyed by the seed", "[events][random]") {
  const Scenario scenario = incident_world("12");  // one a month on average
  const std::vector<int> first = counts_per_step(scenario.model, 5, 12);
  CHECK(counts_per_step(scenario.model, 5, 12) == first);  // same seed, same counts
  CHECK(counts_per_step(scenario.model, 6, 12) != first);  // another seed, other counts (12 Poisson(1) draws)
  int total = 0;
  for (int count : first) total += count;
  CHECK(total > 0);
  // the events are the incident itself, dated on its step
  Stepper run(scenario.model);
  for (int step = 0; step < 12; ++step) {
    for (const auto& event : run.advance_recorded(5)) {
      if (!event.exogenous) continue;
      CHECK(event.actor == B);
      CHECK(event.partner == A);
      CHECK(event.goldstein == -2.0);
      CHECK(event.date == scenario.model.calendar.date_of(step));
    }
  }
}

TEST_CASE("a random event at rate 0 or outside its window never happens", "[events][random]") {
  const Scenario never = incident_world("0");
  const Scenario spring = incident_world("120", "from = 2000-04-01\nuntil = 2000-06-01\n");  // steps 3-5, 10 a month
  for (std::uint64_t replicate = 1; replicate <= 20; ++replicate) {
    INFO("seed " << replicate);
    for (int count : counts_per_step(never.model, replicate, 12)) CHECK(count == 0);
    const std::vector<int> counts = counts_per_step(spring.model, replicate, 12);
    for (int step = 0; step < 12; ++step) {
      if (step >= 3 && step <= 5) CHECK(counts[static_cast<std::size_t>(step)] > 0);  // P(0 of Poisson(10)) = 4.5e-5
      else CHECK(counts[static_cast<std::size_t>(step)] == 0);
    }
  }
}

TEST_CASE("a random event's count has the mean and variance of its Poisson rate", "[events][random]") {
  // rate 12 a year = 1 a step. Over n = 4000 seeds the mean of a Poisson(1) count has standard error
  // 1/√n = 0.016 and its sample variance (fourth central moment λ + 3λ² = 4) √((4 − 1)/n) = 0.027: the
  // tolerances are five of each
  const Scenario scenario = incident_world("12");
  const int n = 4000;
  double sum = 0, sum_squares = 0;
  const std::uint64_t first = base_seed();
  for (std::uint64_t replicate = first; replicate < first + n; ++replicate) {
    Stepper run(scenario.model);
    const double count = exogenous_count(run.advance_recorded(replicate));
    sum += count;
    sum_squares += count * count;
  }
  const double mean = sum / n;
  const double variance = sum_squares / n - mean * mean;
  INFO("TIESIM_TEST_SEED=" << first << ": mean " << mean << ", variance " << variance);
  CHECK(std::abs(mean - 1.0) < 0.08);
  CHECK(std::abs(variance - 1.0) < 0.15);
}

TEST_CASE("an agreement is suspended when a party's affect turns or the other strikes it", "[events][agreement]") {
  // suspend_below = 0: A's affect toward B starts at 0.3; the agreement (bonus 0.5) begins in step 1. A
  // provocation by B in step 3 moves a_AB by κ · goldstein/10 · w^C_A = 0.5 · (−10/10) · 1 = −0.5, to −0.2: below
  // 0, so A suspends the agreement in that step's events and the bonus is exactly 0 again. In a second world the
  // affect stays positive, but B strikes A in an incident: A suspends as well.
  const std::string agreement = R"(
[[affect]]
from = "*"
to = "*"
value = 0.3
[events.deal]
date = 2000-02-01
kind = "agreement"
actor = "A"
partner = "B"
channel = "embassy"
benefit = 0.5
goldstein = 0
)";
  const std::string turned = R"(
[events.test]
date = 2000-04-01
kind = "provocation"
actor = "B"
goldstein = -10
)";
  const std::string struck = R"(
[events.strike]
date = 2000-04-01
kind = "incident"
actor = "B"
partner = "A"
goldstein = -1
)";
  for (const auto& [name, shock] : {std::pair{"affect", turned}, std::pair{"incident", struck}}) {
    INFO(name);
    const Scenario scenario = scenario_from(quiet_world(agreement + shock), {"model.suspend_below=0.0", "actors.A.compliance=1"});
    Stepper run(scenario.model);
    run.advance(1);
    run.advance(1);  // step 1: the agreement begins
    CHECK(agreement_bonus(scenario.model, run.state, 0, 1, 0) == 0.5);
    run.advance(1);
    const auto events = run.advance_recorded(1);  // step 3: the shock, then the suspension
    CHECK(agreement_bonus(scenario.model, run.state, 0, 1, 0) == 0.0);
    CHECK(agreement_bonus(scenario.model, run.state, 1, 0, 0) == 0.0);
    CHECK(run.state.agreements.empty());
    const auto suspension = std::find_if(events.begin(), events.end(), [](const EventRecord& e) { return e.cameo == "160"; });
    REQUIRE(suspension != events.end());
    CHECK(suspension->actor == 0);  // A suspends
    CHECK(suspension->partner == 1);
    CHECK(!suspension->exogenous);
  }
  // with the default (−1) nothing is suspended
  const Scenario kept = scenario_from(quiet_world(agreement + turned), {"actors.A.compliance=1"});
  Stepper run(kept.model);
  run.advance_until(4, 1);
  CHECK(agreement_bonus(kept.model, run.state, 0, 1, 0) == 0.5);
}

// ---- implementation deadlines ------------------------------------------------------------------------

namespace {

// quiet_world plus a second channel, culture, and sanctions by A on B that a resolution on 2000-03-01
// (step 2) caps at 'none' on the embassy only. A dislikes B (a_AB = −1) and nothing brings A any benefit,
// so whenever A's embassy or culture tie in B comes up for review A lowers it; review_rate 0 means only the
// implementation deadline can put a tie up.
Scenario implementing_world(const std::string& months) {
  return scenario_from(quiet_world(R"(
[channels.culture]
kind = "directed"
levels = ["none", "exchanges"]
review_rate = 0
benefit = 0
[[ties]]
from = "*"
to = "*"
channel = "culture"
level = 1
[[affect]]
from = "A"
to = "B"
value = -1
[regimes.s]
kind = "sanctions"
members = ["A"]
targets = ["B"]
implementation_months = )" + months + R"(
[events.tighten]
date = 2000-03-01
kind = "resolution"
regime = "s"
caps = { embassy = "none" }
)"), {"channels.embassy.benefit=0"});
}

}  // namespace

TEST_CASE("implementation: a tie above a new cap is reviewed implementation_months after the resolution, not before",
          "[events][implementation]") {
  // resolution in step 2 + 3 months = step 5 (2000-06-01): A's embassy in B (1, above the cap 0) is reviewed
  // there and cut; culture (uncapped) and B's embassy in A (B is no member) are never reviewed
  const Scenario scenario = implementing_world("3");
  Stepper run(scenario.model);
  for (int step = 0; step <= 7; ++step) {
    run.advance(seed);
    INFO("after step " << step);
    CHECK(level_of(scenario.model, run.state, A, B, embassy) == (step < 5 ? 1 : 0));
    CHECK(level_of(scenario.model, run.state, A, B, 1) == 1);
    CHECK(level_of(scenario.model, run.state, B, A, embassy) == 1);
  }
  SECTION("with implementation_months 0 the capped tie waits for a routine review, here never") {
    const Scenario routine = implementing_world("0");
    Stepper plain(routine.model);
    plain.advance_until(12, seed);
    CHECK(level_of(routine.model, plain.state, A, B, embassy) == 1);
  }
  SECTION("a fractional month rounds to the nearest step: 1.4 months is step 3") {
    const Scenario soon = implementing_world("1.4");
    Stepper fast(soon.model);
    fast.advance_until(3, seed);
    CHECK(level_of(soon.model, fast.state, A, B, embassy) == 1);
    fast.advance(seed);
    CHECK(level_of(soon.model, fast.state, A, B, embassy) == 0);
  }
}
