// [rules.W], [rules.affect] and [actors.ID.covariates]: weights and starting affect set by one rule from data.
// Expected values are computed by hand (a calculator), not by the code under test.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "model/state.hpp"
#include "scenario/diagnostic_checks.hpp"
#include "scenario/loader.hpp"
#include "support.hpp"

namespace {

using Catch::Matchers::Contains;
using tiesim::test::error_containing;
using tiesim::test::errors_of;
using tiesim::test::locate;
using tiesim::test::Place;
using tiesim::test::scenario_from;
using tiesim::test::single_error;
using tiesim::test::TempDir;

// A, B: compliance from the rule; C, D, E give their own. A and B are allies; E has no covariates at all.
const std::string world = R"toml([scenario]
start = 2000-01-01
end = 2000-12-01

[model]
affect_default = 0.05

[actors.A]
size = 1
[actors.A.covariates]
us_ally = 1
un_distance_us = 0.5
ideal_point = -1

[actors.B]
size = 1
covariates = { us_ally = 0, un_distance_us = 2, ideal_point = 0.5 }

[actors.C]
size = 2
compliance = 0.3
covariates = { ideal_point = 2 }

[actors.D]
size = 1
compliance = 0.1
covariates = { ideal_point = 0.5 }

[actors.E]
size = 1
compliance = 0.2
pressure_strength = 3

[channels.trade]
kind = "mutual"
levels = ["none", "some"]

[regimes.pact]
kind = "alliance"
members = ["A", "B"]

[rules.compliance]
base = 0.8
us_ally = 0.6
un_distance_us = -0.4

[rules.pressure_strength]
base = 0.25
)toml";

const std::string affect_rule = R"toml(
[rules.affect]
covariate = "ideal_point"
neutral_distance = 1.5
slope = 0.4
alliance = 0.3
)toml";

enum { A, B, C, D, E };

double compliance(const tiesim::Model& model, int actor) { return model.actors[static_cast<std::size_t>(actor)].weights.compliance; }

/// `text` with `from` (which must occur once) replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

/// The place of the value after `key_and_equals` (which must occur once in `text`).
Place value_at(const std::string& text, const std::string& key_and_equals) {
  Place place = locate(text, key_and_equals, text.find("[rules."));
  place.column += static_cast<int>(key_and_equals.size());
  return place;
}

}  // namespace

TEST_CASE("rules: a weight rule gives each actor base × exp(Σ coef × covariate)", "[scenario][rules]") {
  const auto model = scenario_from(world).model;
  // A: 0.8 × exp(0.6 × 1 − 0.4 × 0.5) = 0.8 × exp(0.4); B: 0.8 × exp(0.6 × 0 − 0.4 × 2) = 0.8 × exp(−0.8)
  CHECK(compliance(model, A) == Approx(1.1934597581130164).epsilon(1e-14));
  CHECK(compliance(model, B) == Approx(0.35946317129377725).epsilon(1e-14));
  // a rule without coefficients is one value for every actor that does not give its own
  for (int actor : {A, B, C, D}) CHECK(model.actors[static_cast<std::size_t>(actor)].pressure_strength == 0.25);
  // weights no rule names keep their defaults
  CHECK(model.actors[A].weights.benefit == 1);
  CHECK(model.actors[A].weights.autonomy == 0);
  // the run starts from the resolved weights
  const auto state = tiesim::initial_state(model);
  CHECK(state.weights[A].compliance == compliance(model, A));
}

TEST_CASE("rules: a linear rule gives base + Σ coef × covariate, which can be exactly 0", "[scenario][rules]") {
  const auto model = scenario_from(world, {"rules.pressure_strength.link=\"linear\"", "rules.pressure_strength.base=1",
                                           "rules.pressure_strength.ideal_point=1"})
                         .model;
  CHECK(model.actors[A].pressure_strength == 0.0);  // 1 + 1 × (−1): the log link could only come near 0
  CHECK(model.actors[B].pressure_strength == 1.5);  // 1 + 1 × 0.5
  CHECK(model.actors[C].pressure_strength == 3.0);  // 1 + 1 × 2
  CHECK(model.actors[E].pressure_strength == 3);    // its own value still wins
}

TEST_CASE("rules: an actor's own value wins over the rule, and needs none of its covariates", "[scenario][rules]") {
  const auto model = scenario_from(world).model;
  CHECK(compliance(model, C) == 0.3);  // has a covariate, but not the rule's
  CHECK(compliance(model, D) == 0.1);
  CHECK(compliance(model, E) == 0.2);  // has no covariates at all
  CHECK(model.actors[E].pressure_strength == 3);
}

TEST_CASE("rules: --set on a rule's path changes every weight it sets", "[scenario][rules]") {
  SECTION("the base") {
    const auto model = scenario_from(world, {"rules.compliance.base=2"}).model;
    CHECK(compliance(model, A) == Approx(2.9836493952825407).epsilon(1e-14));  // 2 × exp(0.4)
    CHECK(compliance(model, B) == Approx(0.8986579282344431).epsilon(1e-14));  // 2 × exp(−0.8)
    CHECK(compliance(model, C) == 0.3);
  }
  SECTION("a coefficient") {
    const auto model = scenario_from(world, {"rules.compliance.us_ally=0"}).model;
    CHECK(compliance(model, A) == Approx(0.6549846024623855).epsilon(1e-14));  // 0.8 × exp(−0.2)
    CHECK(compliance(model, B) == Approx(0.35946317129377725).epsilon(1e-14));
  }
  SECTION("a new coefficient, on a covariate the actors have") {
    const auto model = scenario_from(world, {"rules.pressure_strength.ideal_point=1"}).model;
    // 0.25 × exp(x): A −1, B 0.5, C 2, D 0.5
    CHECK(model.actors[A].pressure_strength == Approx(0.09196986029286058).epsilon(1e-14));
    CHECK(model.actors[B].pressure_strength == Approx(0.41218031767503205).epsilon(1e-14));
    CHECK(model.actors[C].pressure_strength == Approx(1.8472640247326626).epsilon(1e-14));
    CHECK(model.actors[E].pressure_strength == 3);
  }
}

TEST_CASE("rules: the affect rule sets starting affect from the distance of two actors' covariates", "[scenario][rules]") {
  // ideal points: A −1, B 0.5, C 2, D 0.5; E has none. a = 0.4 × (1.5 − |x_i − x_j|), + 0.3 for A and B (allies)
  SECTION("with the alliance term") {
    const auto model = scenario_from(world + affect_rule).model;
    const auto& a = model.affect_anchor;
    CHECK(a(A, B) == Approx(0.3).margin(1e-15));  // distance 1.5: 0, + 0.3 allied
    CHECK(a(B, A) == Approx(0.3).margin(1e-15));
    CHECK(a(A, C) == Approx(-0.6).margin(1e-15));  // distance 3
    CHECK(a(C, A) == Approx(-0.6).margin(1e-15));
    CHECK(a(A, D) == Approx(0).margin(1e-15));  // distance 1.5, not allied
    CHECK(a(B, D) == Approx(0.6).margin(1e-15));  // distance 0
    CHECK(a(C, D) == Approx(0).margin(1e-15));
    for (int other : {A, B, C, D}) {
      CHECK(a(E, other) == 0.05);  // E lacks the covariate: affect_default
      CHECK(a(other, E) == 0.05);
    }
    for (int actor : {A, B, C, D, E}) CHECK(a(actor, actor) == 0);
    // the run starts from it
    CHECK(tiesim::initial_state(model).affect(A, C) == a(A, C));
  }
  SECTION("without it") {
    const auto model = scenario_from(world + replaced(affect_rule, "alliance = 0.3\n", "")).model;
    CHECK(model.affect_anchor(A, B) == Approx(0).margin(1e-15));
    CHECK(model.affect_anchor(A, C) == Approx(-0.6).margin(1e-15));
  }
  SECTION("clamped to −1 … 1") {
    const auto model = scenario_from(world + replaced(affect_rule, "slope = 0.4", "slope = 1")).model;
    CHECK(model.affect_anchor(A, C) == -1);  // 1 × (1.5 − 3) = −1.5
    CHECK(model.affect_anchor(B, D) == 1);   // 1 × 1.5
    CHECK(model.affect_anchor(A, B) == Approx(0.3).margin(1e-15));
  }
  SECTION("an [[affect]] entry overrides it, one way") {
    const auto model = scenario_from(world + affect_rule + "\n[[affect]]\nfrom = \"A\"\nto = \"C\"\nvalue = 0.7\n").model;
    CHECK(model.affect_anchor(A, C) == 0.7);
    CHECK(model.affect_anchor(C, A) == Approx(-0.6).margin(1e-15));
  }
  SECTION("--set on its slope") {
    const auto model = scenario_from(world + affect_rule, {"rules.affect.slope=0.2"}).model;
    CHECK(model.affect_anchor(A, C) == Approx(-0.3).margin(1e-15));
    CHECK(model.affect_anchor(B, D) == Approx(0.3).margin(1e-15));
  }
}

TEST_CASE("rules: bad rules and covariates are errors at their place", "[scenario][rules]") {
  TempDir dir;
  SECTION("a rule for an unknown weight") {
    const std::string text = replaced(world, "[rules.pressure_strength]", "[rules.pressure_strenght]");
    const auto file = dir.write("unknown.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[rules.pressure_strenght]"));
    CHECK_THAT(error.message, Contains("unknown rule 'pressure_strenght'"));
    CHECK(error.hint == "did you mean 'pressure_strength'?");
  }
  SECTION("a rule for anchoring") {
    const std::string text = replaced(world, "[rules.pressure_strength]", "[rules.anchoring]");
    const auto error = single_error(dir.write("anchoring.toml", text));
    CHECK_THAT(error.message, Contains("rules.anchoring") && Contains("cannot be set by a rule"));
  }
  SECTION("an actor without a covariate the rule uses: at the actor, naming rule and covariate") {
    const std::string text = replaced(world, "un_distance_us = 0.5\n", "");
    const auto file = dir.write("lacks.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[actors.A.covariates]"));
    CHECK_THAT(error.message, Contains("actors.A") && Contains("rules.compliance") && Contains("'un_distance_us'"));
    CHECK_THAT(error.hint, Contains("[actors.A.covariates]"));
  }
  SECTION("an actor without covariates at all: at its table") {
    const std::string text = replaced(world, "compliance = 0.2\n", "");
    const auto file = dir.write("none.toml", text);
    const auto errors = errors_of(file);
    REQUIRE(errors.size() == 2);  // us_ally and un_distance_us
    CHECK_AT(errors[0], file, locate(text, "[actors.E]"));
    CHECK_THAT(errors[0].message, Contains("actors.E") && Contains("'un_distance_us'"));
    CHECK_THAT(errors[1].message, Contains("'us_ally'"));
  }
  SECTION("a covariate that is not a number") {
    const std::string text = replaced(world, "us_ally = 1\n", "us_ally = \"yes\"\n");
    const auto file = dir.write("string.toml", text);
    const auto error = single_error(file);  // not again as missing where the rule reads it
    CHECK_AT(error, file, locate(text, "\"yes\""));
    CHECK_THAT(error.message, Contains("actors.A.covariates.us_ally: expected a finite number, got a string"));
  }
  SECTION("a covariate that is not finite") {
    const std::string text = replaced(world, "ideal_point = -1", "ideal_point = nan");
    const auto file = dir.write("nan.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "nan"));
    CHECK_THAT(error.message, Contains("actors.A.covariates.ideal_point: expected a finite number, got NaN"));
  }
  SECTION("a covariate name that is not an id") {
    const std::string text = replaced(world, "ideal_point = -1", "\"ideal point\" = -1");
    const auto error = single_error(dir.write("name.toml", text));
    CHECK_THAT(error.message, Contains("actors.A.covariates.ideal point") && Contains("holds a space"));
  }
  SECTION("a negative base") {
    const std::string text = replaced(world, "base = 0.8", "base = -0.8");
    const auto file = dir.write("negative.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-0.8"));
    CHECK_THAT(error.message, Contains("rules.compliance.base: expected a number from 0 to 1000000"));
  }
  SECTION("a coefficient naming a covariate no actor has") {
    const std::string text = replaced(world, "us_ally = 0.6", "us_aly = 0.6");
    const auto file = dir.write("nobody.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, value_at(text, "us_aly = "));
    CHECK_THAT(error.message, Contains("rules.compliance.us_aly: no actor has a covariate 'us_aly'"));
    CHECK(error.hint == "did you mean 'us_ally'?");
  }
  SECTION("a weight the rule takes above 10^6: at the term that adds most, naming actor and rule") {
    const std::string text = replaced(world, "us_ally = 0.6", "us_ally = 20");
    const auto file = dir.write("huge.toml", text);
    const auto error = single_error(file);  // A: 0.8 × exp(20 − 0.2) ≈ 3.2e8; B: 0.8 × exp(−0.8)
    CHECK_AT(error, file, value_at(text, "us_ally = "));
    CHECK_THAT(error.message, Contains("rules.compliance: gives actor A a compliance of") && Contains("at most 10^6"));
  }
  SECTION("a weight the rule takes to infinity") {
    const auto errors = errors_of(dir.write("inf.toml", world), {"rules.compliance.us_ally=1e308", "actors.A.covariates.us_ally=1e308"});
    const auto error = error_containing(errors, "gives actor A");
    CHECK_AT_OVERRIDE(error, "rules.compliance.us_ally");
    CHECK_THAT(error.message, Contains("no finite number"));
  }
  SECTION("an affect rule whose covariate no actor has") {
    const std::string text = world + replaced(affect_rule, "\"ideal_point\"", "\"ideal_pont\"");
    const auto file = dir.write("affect.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"ideal_pont\""));
    CHECK_THAT(error.message, Contains("rules.affect.covariate: no actor has a covariate 'ideal_pont'"));
    CHECK(error.hint == "did you mean 'ideal_point'?");
  }
  SECTION("an affect rule without its keys") {
    const std::string text = world + "\n[rules.affect]\ncovariate = \"ideal_point\"\n";
    const auto errors = errors_of(dir.write("keys.toml", text));
    REQUIRE(errors.size() == 2);
    CHECK_THAT(errors[0].message, Contains("'neutral_distance'"));
    CHECK_THAT(errors[1].message, Contains("'slope'"));
  }
}
