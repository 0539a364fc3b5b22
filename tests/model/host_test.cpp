// Host consent (model/decide.cpp, model/apply.cpp): on a host-consent channel, i's tie (i, j, c) is i's
// presence in j, a rise i chooses needs j's consent, and j may cut the presence itself — an expulsion,
// logged with j as its author. Precision is high (1000), so every choice is the best level; the arithmetic
// is in each case's comment.
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

constexpr std::uint64_t seed = 47;
constexpr int A = 0, B = 1;

// A keeps (or wants) a mission in B. The mission brings no benefit and costs nothing to move, so each side
// values level y at its affect times y/L (w^E a σ y/L with w^E = σ = 1): A's wish follows a_AB, and B as host
// answers by a_BA. B can keep no mission in A (max_level 0), so A's mission is the only move. Nothing is reviewed by chance (review_rate 0); an incident on the first date puts the
// pair's ties up for review in step 0 with no affect shock (κ = 0).
std::string hosted_world(double guest_affect, double host_affect, int mission_level, bool host_consent) {
  return R"(
[scenario]
start = 2000-01-01
end = 2000-12-01
[model]
balance = 0.0
event_affect_scale = 0.0
reciprocity = 0.5
[actors.A]
size = 1
precision = 1000
anchoring = 0
[actors.B]
size = 1
precision = 1000
anchoring = 0
[channels.mission]
kind = "directed"
levels = ["none", "open"]
benefit = 0
salience = 1
cost_up = 0
cost_down = 0
review_rate = 0
goldstein_expel = -8
host_consent = )" + std::string(host_consent ? "true" : "false") + R"(
[events.meeting]
date = 2000-01-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -1
[[ties]]
from = "A"
to = "B"
channel = "mission"
level = )" + std::to_string(mission_level) + R"(
[[ties]]
from = "B"
to = "A"
channel = "mission"
max_level = 0
[[affect]]
from = "A"
to = "B"
value = )" + std::to_string(guest_affect) + R"(
[[affect]]
from = "B"
to = "A"
value = )" + std::to_string(host_affect) + "\n";
}

/// The tie changes (not exogenous events) in `events`.
std::vector<EventRecord> changes(const std::vector<EventRecord>& events) {
  std::vector<EventRecord> out;
  for (const auto& event : events)
    if (!event.exogenous) out.push_back(event);
  return out;
}

}  // namespace

TEST_CASE("host consent: the host's ceiling bounds the owner's wish to rise", "[host][decide]") {
  // A (a_AB = 0.5) wants its mission opened: 0.5 · 1 > 0. B answers among {0, 1} by a_BA · y.
  SECTION("a host that refuses (a_BA = −0.5: −0.5 < 0) keeps the level at 0") {
    const Scenario scenario = scenario_from(hosted_world(0.5, -0.5, 0, true));
    Stepper run(scenario.model);
    for (int step = 0; step < 3; ++step) {
      const auto events = changes(run.advance_recorded(seed));
      INFO("step " << step);
      CHECK(level_of(scenario.model, run.state, A, B, 0) == 0);
      CHECK(events.empty());
    }
  }
  SECTION("a host that consents (a_BA = 0.5 > 0) lets it rise, and the rise is the owner's move") {
    const Scenario scenario = scenario_from(hosted_world(0.5, 0.5, 0, true));
    Stepper run(scenario.model);
    const auto events = changes(run.advance_recorded(seed));
    CHECK(level_of(scenario.model, run.state, A, B, 0) == 1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].actor == A);
    CHECK_FALSE(events[0].by_host);
  }
  SECTION("without host consent the same refusing partner cannot stop it") {
    const Scenario scenario = scenario_from(hosted_world(0.5, -0.5, 0, false));
    Stepper run(scenario.model);
    run.advance(seed);
    CHECK(level_of(scenario.model, run.state, A, B, 0) == 1);
  }
}

TEST_CASE("host consent: an expulsion is logged with the host as its author and shocks the guest", "[host][apply]") {
  // A keeps its mission (a_AB = 0.5 > 0); B reviews it among {0, 1} and, with a_BA = −0.5, cuts it to 0.
  // The event: actor B, partner A, cameo_expel "166" (the default), goldstein_expel −8, by the host.
  // A's affect toward B: 0.5 + ρ · goldstein_expel / 10 = 0.5 + 0.5 · (−8) / 10 = 0.1 (no anchoring, no
  // balance, no event shock); B's own affect is not touched.
  const Scenario scenario = scenario_from(hosted_world(0.5, -0.5, 1, true));
  Stepper run(scenario.model);
  const auto events = changes(run.advance_recorded(seed));
  CHECK(level_of(scenario.model, run.state, A, B, 0) == 0);
  REQUIRE(events.size() == 1);
  CHECK(events[0].actor == B);
  CHECK(events[0].partner == A);
  CHECK(events[0].channel == 0);
  CHECK(events[0].from_level == 1);
  CHECK(events[0].to_level == 0);
  CHECK(events[0].cameo == "166");
  CHECK(events[0].goldstein == -8.0);
  CHECK(events[0].by_host);
  CHECK(run.state.affect(A, B) == Approx(0.1).epsilon(1e-12));
  CHECK(run.state.affect(B, A) == -0.5);

  SECTION("a host that welcomes the mission does not expel it") {
    const Scenario welcoming = scenario_from(hosted_world(0.5, 0.5, 1, true));
    Stepper kept(welcoming.model);
    CHECK(changes(kept.advance_recorded(seed)).empty());
    CHECK(level_of(welcoming.model, kept.state, A, B, 0) == 1);
    CHECK(kept.state.affect(A, B) == 0.5);
  }
}
