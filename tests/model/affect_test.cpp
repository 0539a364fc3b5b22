// Step 5 of a step, affect: a_ij ← clamp(a_ij + α_i (a_ij(0) − a_ij) + β (1 − a_ij²) (1/N) Σ_k a_ik a_kj + shocks),
// with the exogenous events' shocks applied (and clamped) at once. Nothing is reviewed or moves here
// (review_rate 0, no benefit, raising costs more than it brings), so only the update and the events act.
#include <catch2/catch.hpp>

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
