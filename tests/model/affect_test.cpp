// Step 5 of a step, affect: a_ij ← clamp(a_ij + α_i (a_ij(0) − a_ij) + β (1 − a_ij²) (1/N) Σ_k a_ik a_kj + shocks),
// with the exogenous events' shocks applied (and clamped) at once. Nothing is reviewed or moves here
// (review_rate 0, no benefit, raising costs more than it brings), so only the update and the events act.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "model/step.hpp"
#include "model/step_support.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::scenario_from;
using tiesim::test::Stepper;

namespace {

constexpr std::uint64_t seed = 29;

std::string still_world(const std::string& model_keys, const std::string& extra) {
  return R"(
[scenario]
start = 2000-01-01
end = 2000-12-01
[model]
reciprocity = 0.0
)" + model_keys + R"(
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
review_rate = 0
benefit = 0
cost_up = 1
)" + extra;
}

}  // namespace

TEST_CASE("structural balance: a friend's enemy becomes less liked", "[affect][balance]") {
  // a_AB = 0.5, a_BC = −0.4, a_AC = 0.2, everything else 0; β = 0.5, no anchoring, N = 3.
  //   (A A)_AC = Σ_k a_Ak a_kC = a_AB a_BC = −0.2, so a_AC ← 0.2 + 0.5 (1 − 0.04) (−0.2) / 3 = 0.2 − 0.032 = 0.168.
  //   (A A)_AB = a_AC a_CB = 0 and (A A)_BC = a_BA a_AC = 0: those two stay as they are.
  const Scenario scenario = scenario_from(still_world("balance = 0.5\n", R"(
[actors.A]
size = 1
anchoring = 0
[actors.B]
size = 1
anchoring = 0
[actors.C]
size = 1
anchoring = 0
[[affect]]
from = "A"
to = "B"
value = 0.5
[[affect]]
from = "B"
to = "C"
value = -0.4
[[affect]]
from = "A"
to = "C"
value = 0.2
)"));
  Stepper run(scenario.model);
  run.advance(seed);
  const auto& affect = run.state.affect;
  CHECK(affect(0, 2) == Approx(0.168).epsilon(1e-12));
  CHECK(affect(0, 1) == 0.5);
  CHECK(affect(1, 2) == -0.4);
  CHECK(affect(1, 0) == 0.0);
  CHECK(affect(2, 0) == 0.0);
  for (int i = 0; i < 3; ++i) CHECK(affect(i, i) == 0.0);
}

TEST_CASE("an event's affect shock acts at once, is clamped, and anchoring pulls affect back", "[affect][anchoring]") {
  // B's anchor toward A is 0.4, α_B = 0.25, no balance. An incident by A against B in February (step 1) with
  // goldstein −10 shifts a_BA by κ · intensity · goldstein / 10 = 0.5 · 1 · (−1) = −0.5 before the update:
  //   step 1: −0.1 + 0.25 (0.4 + 0.1) = 0.025;  step 2: 0.025 + 0.25 · 0.375 = 0.11875
  // The same incident at intensity 5 in April (step 3) shifts it by −2.5, clamped to −1 at once:
  //   step 3 (from 0.11875): −1 + 0.25 (0.4 + 1) = −0.65   (unclamped it would end at −1 after the update)
  const Scenario scenario = scenario_from(still_world("balance = 0.0\nevent_affect_scale = 0.5\n", R"(
[actors.A]
size = 1
anchoring = 0.25
[actors.B]
size = 1
anchoring = 0.25
[[affect]]
from = "B"
to = "A"
value = 0.4
[events.shot]
date = 2000-02-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -10
[events.raid]
date = 2000-04-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -10
intensity = 5
)"));
  Stepper run(scenario.model);
  run.advance(seed);
  CHECK(run.state.affect(1, 0) == 0.4);  // at its anchor: nothing to pull
  run.advance(seed);
  CHECK(run.state.affect(1, 0) == Approx(0.025).epsilon(1e-12));
  run.advance(seed);
  CHECK(run.state.affect(1, 0) == Approx(0.11875).epsilon(1e-12));
  run.advance(seed);
  CHECK(run.state.affect(1, 0) == Approx(-0.65).epsilon(1e-12));
  // only the victim's view changes; A's toward B stays at its anchor 0
  CHECK(run.state.affect(0, 1) == 0.0);
}

// ---- lasting grievance --------------------------------------------------------------------------------

namespace {

// A wrongs B by an incident (goldstein −10, κ = 0.5: a shock of 0.5 · (−10)/10 = −0.5) on `date`. B's
// anchoring is 1, so each step puts a_BA back on its anchor a_BA(0) + g_BA = 0 + g_BA exactly: what B
// feels is its grievance alone, which halves every grievance_half_life (0.5 years).
std::string grievance_world(const std::string& step, const std::string& half_life) {
  return R"(
[scenario]
start = 2000-01-01
end = 2001-12-01
step = ")" + step + R"("
[model]
balance = 0.0
reciprocity = 0.0
event_affect_scale = 0.5
grievance_half_life = )" + half_life + R"(
[actors.A]
size = 1
anchoring = 0
[actors.B]
size = 1
anchoring = 1
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
review_rate = 0
benefit = 0
cost_up = 1
[events.killing]
date = 2000-02-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -10
)";
}

constexpr int A = 0, B = 1;

}  // namespace

TEST_CASE("grievance: an incident lowers the victim's anchor by its shock, halving every half-life", "[affect][grievance]") {
  // monthly steps, so 6 to a half-life: decay 0.5^(1/6) per step. Step 1 holds the incident: the shock
  // takes a_BA to −0.5 and g_BA to −0.5, and the update keeps a_BA on the lowered anchor, −0.5; then g
  // decays. After step 1 + k, a_BA = −0.5 · 0.5^(k/6): −0.25 six steps on, where anchoring alone is back at 0
  const Scenario scenario = scenario_from(grievance_world("month", "0.5"));
  const double decay = std::pow(0.5, 1.0 / 6);
  CHECK(scenario.model.grievance_decay == Approx(decay).epsilon(1e-15));
  Stepper run(scenario.model);
  run.advance(seed);
  CHECK(run.state.affect(B, A) == 0.0);
  CHECK(run.state.grievance(B, A) == 0.0);
  run.advance(seed);
  CHECK(run.state.affect(B, A) == Approx(-0.5).epsilon(1e-12));
  CHECK(run.state.grievance(B, A) == Approx(-0.5 * decay).epsilon(1e-12));
  CHECK(run.state.affect(A, B) == 0.0);  // the author has no grievance
  for (int k = 1; k <= 6; ++k) {
    run.advance(seed);
    INFO(k << " steps after the incident");
    CHECK(run.state.affect(B, A) == Approx(-0.5 * std::pow(0.5, k / 6.0)).epsilon(1e-12));
  }
  CHECK(run.state.affect(B, A) == Approx(-0.25).epsilon(1e-12));

  SECTION("without a grievance half-life anchoring erases the incident within its own step") {
    const Scenario forgetful = scenario_from(grievance_world("month", "0"));
    Stepper plain(forgetful.model);
    CHECK(plain.state.grievance.size() == 0);
    plain.advance(seed);
    plain.advance(seed);
    CHECK(plain.state.affect(B, A) == 0.0);
  }
}

TEST_CASE("grievance: weekly and monthly steps forget it at the same rate per year", "[affect][grievance][step_unit]") {
  // a half-life of 0.5 years: a year takes the grievance, and B's affect with it, to a quarter, whatever the
  // step. The incident is in the step of 2000-02-01 in both (step 1 monthly, step 4 weekly: 2000-01-29)
  const Scenario monthly = scenario_from(grievance_world("month", "0.5"));
  const Scenario weekly = scenario_from(grievance_world("week", "0.5"));
  CHECK(std::pow(weekly.model.grievance_decay, weekly.model.calendar.steps_per_year()) == Approx(0.25).epsilon(1e-12));
  CHECK(std::pow(monthly.model.grievance_decay, 12.0) == Approx(0.25).epsilon(1e-12));
  Stepper month(monthly.model), week(weekly.model);
  month.advance_until(2, seed);
  week.advance_until(5, seed);
  const double month_start = month.state.affect(B, A), week_start = week.state.affect(B, A);
  REQUIRE(month_start == Approx(-0.5));
  REQUIRE(week_start == Approx(-0.5));
  month.advance_until(2 + 12, seed);
  week.advance_until(5 + 52, seed);
  CHECK(month.state.affect(B, A) / month_start == Approx(0.25).epsilon(1e-12));
  CHECK(week.state.affect(B, A) / week_start == Approx(std::pow(0.25, 52 / weekly.model.calendar.steps_per_year())).epsilon(1e-12));
  CHECK(week.state.affect(B, A) == Approx(month.state.affect(B, A)).margin(0.001));
}

// ---- bystanders -----------------------------------------------------------------------------------------

namespace {

// four actors in a web of friendship and enmity, trade and embassies reviewed by chance, sanctions, an
// alliance, incidents, a provocation, reciprocity in kind and host consent: everything that couples pairs.
// With `bystander`, a fifth actor Z is added that feels nothing for anyone (and nobody for it), honours
// nothing (compliance 0) and can have no tie with anybody (max_level 0 on every channel, both ways).
std::string busy_world(bool bystander) {
  std::string text = R"(
[scenario]
start = 2000-01-01
end = 2004-12-01
[model]
balance = 0.4
reciprocity = 0.5
event_affect_scale = 0.5
grievance_half_life = 1
memory_half_life = 0.5
[actors.A]
size = 2
compliance = 0.5
reciprocation = 0.5
[actors.B]
size = 1
compliance = 0.3
[actors.C]
size = 1.5
reciprocation = 1
anchoring = 0.05
[actors.D]
size = 0.5
precision = 2
[channels.trade]
kind = "mutual"
levels = ["none", "some", "much"]
review_rate = 0.3
[channels.embassy]
kind = "directed"
levels = ["none", "charge", "ambassador"]
review_rate = 0.2
host_consent = true
[channels.workers]
kind = "directed"
levels = ["none", "few", "many"]
review_rate = 0.25
host_consent = true
reciprocal = "embassy"
[regimes.s]
kind = "sanctions"
members = "*"
targets = "D"
caps = { trade = "some" }
implementation_months = 2
[regimes.pact]
kind = "alliance"
members = ["A", "B"]
[[ties]]
from = ["A", "B", "C", "D"]
to = ["A", "B", "C", "D"]
channel = "*"
level = 2
[[affect]]
from = "A"
to = "B"
value = 0.6
[[affect]]
from = "B"
to = "C"
value = -0.5
[[affect]]
from = "C"
to = "D"
value = 0.4
[[affect]]
from = "D"
to = "A"
value = -0.7
[[affect]]
from = "C"
to = "A"
value = 0.3
[events.incident]
date = 2001-04-01
kind = "incident"
actor = "D"
partner = "C"
goldstein = -9
[events.test]
date = 2002-02-01
kind = "provocation"
actor = "D"
goldstein = -7
[events.tighten]
date = 2002-06-01
kind = "resolution"
regime = "s"
caps = { trade = "none", embassy = "charge" }
)";
  if (bystander)
    text += R"(
[actors.Z]
size = 3
compliance = 0
[[ties]]
from = "Z"
to = "*"
channel = "*"
max_level = 0
both_ways = true
)";
  return text;
}

}  // namespace

TEST_CASE("a bystander changes no other pair's trajectory, bit for bit", "[affect][balance][bystander]") {
  const Scenario plain = scenario_from(busy_world(false));
  const Scenario with_z = scenario_from(busy_world(true));
  REQUIRE(with_z.model.actor_count() == 5);
  const int n = plain.model.actor_count(), channels = plain.model.channel_count();
  for (const std::uint64_t replicate : {std::uint64_t{3}, std::uint64_t{101}}) {
    Stepper a(plain.model), b(with_z.model);
    int moves = 0;
    while (a.state.step < plain.model.calendar.step_count()) {
      moves += static_cast<int>(a.advance_recorded(replicate).size());
      b.advance(replicate);
      INFO("replicate " << replicate << ", after step " << a.state.step - 1);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          REQUIRE(a.state.affect(i, j) == b.state.affect(i, j));  // bit for bit
          for (int c = 0; c < channels; ++c)
            REQUIRE(a.state.level[plain.model.tie_index(i, j, c)] == b.state.level[with_z.model.tie_index(i, j, c)]);
        }
    }
    CHECK(moves > 20);  // the scenario is busy: the property is not vacuous
  }
}
