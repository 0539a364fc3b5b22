// Step 2 of a step, pressure: p_i ← δ p_i + Σ_r e_r exposure_ir + Σ_k ψ_k s_k dep_ik exposure_i + lobbying,
// then p ← (1 − μ) p + μ W p. Each case is small enough to work out by hand; nothing is reviewed
// (review_rate 0), so the ties, hence the exposures, stay as written.
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

constexpr std::uint64_t seed = 23;

std::string header(const std::string& model_keys) {
  return R"(
[scenario]
start = 2000-01-01
end = 2000-12-01
[model]
balance = 0.0
)" + model_keys;
}

std::string actor(const std::string& id, const std::string& size = "1", const std::string& extra = "") {
  return "[actors." + id + "]\nsize = " + size + "\nanchoring = 0\n" + extra + "\n";
}

}  // namespace

TEST_CASE("secondary pressure is ψ_k s_k tie_index(i, k) exposure_i", "[pressure][secondary]") {
  // K (ψ = 0.5, size 4) sanctions T. Two channels: trade (L = 2, visibility 0.5, index weight 1) and
  // embassy (L = 1, visibility 1, index weight 3).
  //   A keeps trade 1 and an embassy with T: exposure_A = 0.5 · 1/2 + 1 · 1/1 = 1.25,
  //     and trade 2 with K: tie_index(A, K) = (1 · 2/2 + 3 · 0/1) / (1 + 3) = 0.25,
  //     so A's secondary pressure is 0.5 · 4 · 0.25 · 1.25 = 0.625.
  //   C keeps the same with T but nothing with K: dep 0, no pressure.
  //   K is a member but keeps nothing with T: no pressure of either kind. T presses itself on nothing.
  // δ = 0.5: after a second step, p_A = 0.5 · 0.625 + 0.625 = 0.9375.
  const Scenario scenario = scenario_from(header("pressure_decay = 0.5\n") + actor("A") + actor("C") +
                                          actor("K", "4", "pressure_strength = 0.5") + actor("T") + R"(
[channels.trade]
kind = "directed"
levels = ["none", "some", "much"]
visibility = 0.5
index_weight = 1
review_rate = 0
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
visibility = 1
index_weight = 3
review_rate = 0
[regimes.s]
kind = "sanctions"
members = ["K"]
targets = ["T"]
[[ties]]
from = ["A", "C"]
to = "T"
channel = "trade"
level = 1
[[ties]]
from = ["A", "C"]
to = "T"
channel = "embassy"
level = 1
[[ties]]
from = "A"
to = "K"
channel = "trade"
level = 2
)");
  const Model& model = scenario.model;
  constexpr int A = 0, C = 1, K = 2, T = 3;
  Stepper run(model);
  CHECK(tie_index(model, run.state, A, K) == 0.25);
  run.advance(seed);
  CHECK(run.state.pressure(A) == Approx(0.625).epsilon(1e-12));
  CHECK(run.state.pressure(C) == 0.0);
  CHECK(run.state.pressure(K) == 0.0);
  CHECK(run.state.pressure(T) == 0.0);
  run.advance(seed);
  CHECK(run.state.pressure(A) == Approx(0.9375).epsilon(1e-12));
}

TEST_CASE("pressure diffuses along alliance and bloc links weighted by cohesion", "[pressure][diffusion]") {
  // A alone is bound by sanctions (enforcement 2) on T and keeps an embassy there (visibility 1): before
  // diffusion it gets 2 a step. Links: alliance {A, B} cohesion 0.6, bloc {A, B, C} cohesion 0.2, so
  //   W_A = (0, 0.8, 0.2, 0) / 1.0,  W_B = (0.8, 0, 0.2, 0) / 1.0,  W_C = (0.2, 0.2, 0, 0) / 0.4 = (0.5, 0.5, 0, 0),
  //   and T, with no links, keeps its own.
  // μ = 0.5, δ = 0.5.
  //   step 0: p = (2, 0, 0, 0), W p = (0, 1.6, 1, 0), p ← 0.5 p + 0.5 W p = (1, 0.8, 0.5, 0)
  //   step 1: p = 0.5 (1, 0.8, 0.5, 0) + (2, 0, 0, 0) = (2.5, 0.4, 0.25, 0),
  //           W p = (0.8·0.4 + 0.2·0.25, 0.8·2.5 + 0.2·0.25, 0.5·2.5 + 0.5·0.4, 0) = (0.37, 2.05, 1.45, 0),
  //           p ← (1.435, 1.225, 0.85, 0)
  const Scenario scenario = scenario_from(header("pressure_decay = 0.5\npressure_diffusion = 0.5\n") + actor("A") +
                                          actor("B") + actor("C") + actor("T") + R"(
[channels.embassy]
kind = "directed"
levels = ["none", "ambassador"]
visibility = 1
review_rate = 0
[regimes.s]
kind = "sanctions"
members = ["A"]
targets = ["T"]
enforcement = 2
[regimes.pact]
kind = "alliance"
members = ["A", "B"]
cohesion = 0.6
[regimes.region]
kind = "bloc"
members = ["A", "B", "C"]
cohesion = 0.2
[[ties]]
from = "A"
to = "T"
channel = "embassy"
level = 1
)");
  Stepper run(scenario.model);
  run.advance(seed);
  CHECK(run.state.pressure(0) == Approx(1.0).epsilon(1e-12));
  CHECK(run.state.pressure(1) == Approx(0.8).epsilon(1e-12));
  CHECK(run.state.pressure(2) == Approx(0.5).epsilon(1e-12));
  CHECK(run.state.pressure(3) == 0.0);
  run.advance(seed);
  CHECK(run.state.pressure(0) == Approx(1.435).epsilon(1e-12));
  CHECK(run.state.pressure(1) == Approx(1.225).epsilon(1e-12));
  CHECK(run.state.pressure(2) == Approx(0.85).epsilon(1e-12));
  CHECK(run.state.pressure(3) == 0.0);
}
