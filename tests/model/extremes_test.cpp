// Numeric safety at the edges of every range the loader accepts: each step must keep every invariant
// (check_invariants), every utility term finite, and finish in reasonable time.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "run/simulate.hpp"
#include "model/step.hpp"
#include "scenario/loader.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::source_path;

namespace {

/// Checks every invariant, and that nothing is NaN or infinite, after every step.
class Checker : public Observer {
 public:
  void start(const Model& model, const State& state) override {
    const auto breach = check_invariants(model, state);
    INFO("after spin-up: " << breach.value_or(""));
    REQUIRE_FALSE(breach.has_value());
  }
  bool wants_terms(int) const override { return true; }
  void observe(const Model& model, const State& state, int step, const StepRecord& record) override {
    const auto breach = check_invariants(model, state);
    INFO("step " << step << ": " << breach.value_or(""));
    REQUIRE_FALSE(breach.has_value());
    for (const auto& terms : record.actor_terms) {
      bool terms_finite = std::isfinite(terms.total());
      for (double term : {terms.benefit, terms.affinity, terms.autonomy, terms.violation, terms.scrutiny, terms.alignment,
                          terms.adjustment})
        terms_finite = terms_finite && std::isfinite(term);
      REQUIRE(terms_finite);
    }
    // one check per step, not one per tie: 1,000 actors have a million ties
    bool finite = true;
    for (double bonus : state.benefit_bonus) finite = finite && std::isfinite(bonus);
    for (const auto& weights : state.weights)
      finite = finite && std::isfinite(weights.benefit + weights.affinity + weights.autonomy + weights.compliance +
                                       weights.pressure_sensitivity + weights.alignment);
    for (const auto& event : record.events) finite = finite && std::isfinite(event.goldstein);
    for (double enforcement : state.enforcement) finite = finite && std::isfinite(enforcement);
    REQUIRE(finite);
    ++steps;
    changes += static_cast<long long>(record.events.size());
  }
  int steps = 0;
  long long changes = 0;
};

/// Runs `replicates` replicates and checks them; returns the checker of the last one.
Checker run_checked(const Model& model, int replicates = 2) {
  Checker checker;
  for (int r = 0; r < replicates; ++r) {
    checker = Checker{};
    simulate(model, replicate_seed(3, static_cast<std::uint64_t>(r)), checker);
    REQUIRE(checker.steps == model.calendar.step_count());
  }
  return checker;
}

Scenario minimal(const std::vector<std::string>& overrides) { return load_scenario(source_path("scenarios/minimal.toml"), overrides); }

/// Every actor of minimal.toml with `key` set to `value`.
std::vector<std::string> for_every_actor(const std::string& key, const std::string& value) {
  std::vector<std::string> overrides;
  for (const char* actor : {"MID", "BIG", "PAR"}) overrides.push_back(std::string("actors.") + actor + "." + key + "=" + value);
  return overrides;
}

const std::vector<std::string> weight_keys = {"benefit", "affinity", "autonomy", "compliance", "pressure_sensitivity", "alignment"};

/// A scenario of `n` actors A0, A1, … followed by `body` (channels, ties, regimes, events); `dates` are the
/// [scenario] table's keys after its start.
std::string world(int n, const std::string& body, const std::string& dates = "end = 2000-04-01\n") {
  std::ostringstream text;
  text << "[scenario]\nstart = 2000-01-01\n" << dates << "\n";
  for (int k = 0; k < n; ++k) text << "[actors.A" << k << "]\nsize = " << 1 + k % 7 << "\n";
  text << body;
  return text.str();
}

}  // namespace

TEST_CASE("precision 0 and 1000 keep every invariant", "[extremes]") {
  for (const char* precision : {"0", "1000"}) {
    INFO("precision " << precision);
    run_checked(minimal(for_every_actor("precision", precision)).model);
  }
}

TEST_CASE("weights at 0 and at their maximum keep every invariant", "[extremes]") {
  for (const char* value : {"0", "1e6"}) {
    INFO("every weight " << value);
    std::vector<std::string> overrides;
    for (const auto& key : weight_keys)
      for (const auto& setting : for_every_actor(key, value)) overrides.push_back(setting);
    run_checked(minimal(overrides).model);
  }
  // and everything else at the top of its range: sizes, exponents, channel values, enforcement, shocks
  std::vector<std::string> overrides;
  for (const auto& key : weight_keys)
    for (const auto& setting : for_every_actor(key, "1e6")) overrides.push_back(setting);
  for (const auto& setting : for_every_actor("size", "1e12")) overrides.push_back(setting);
  for (const auto& setting : for_every_actor("pressure_strength", "1e6")) overrides.push_back(setting);
  for (const auto& setting : for_every_actor("precision", "1000")) overrides.push_back(setting);
  for (const auto& setting : for_every_actor("anchoring", "0")) overrides.push_back(setting);
  for (const char* channel : {"embassy", "trade"})
    for (const char* key : {"benefit", "upkeep", "openness", "cost_up", "cost_down", "index_weight"})
      overrides.push_back(std::string("channels.") + channel + "." + key + "=1e6");
  for (const char* setting : {"model.size_exponent=4", "model.pressure_decay=1", "model.pressure_diffusion=1", "model.balance=1",
                              "model.reciprocity=10", "model.event_affect_scale=10", "regimes.un_sanctions.enforcement=1e6"})
    overrides.push_back(setting);
  INFO("every range at its top");
  run_checked(minimal(overrides).model);
}

TEST_CASE("one actor runs: there are no ties to decide", "[extremes]") {
  const Scenario scenario = load_scenario_text(world(1, R"(
[channels.c]
kind = "mutual"
levels = ["no", "yes"]
review_rate = 1
)"),
                                               "one.toml");
  REQUIRE(scenario.model.actor_count() == 1);
  const Checker checker = run_checked(scenario.model);
  CHECK(checker.changes == 0);
}

TEST_CASE("a scenario without events, or without one kind of channel, runs", "[extremes]") {
  SECTION("no dated events") {
    REQUIRE_FALSE(minimal({}).model.events.empty());
    const tiesim::test::TempDir dir;
    const auto variant = dir.write("variant.toml", "extends = \"" + source_path("scenarios/minimal.toml").generic_string() +
                                                       "\"\nremove = [\"events\"]\n");
    const Scenario scenario = load_scenario(variant);
    REQUIRE(scenario.model.events.empty());
    run_checked(scenario.model);
  }
  for (const char* kind : {"mutual", "directed"}) {
    SECTION(std::string("only ") + kind + " channels") {
      std::vector<std::string> overrides = {std::string("channels.embassy.kind=") + kind, std::string("channels.trade.kind=") + kind,
                                            "ties.2.both_ways=false"};  // both_ways is for directed channels only
      const Scenario scenario = minimal(overrides);
      for (const auto& channel : scenario.model.channels)
        REQUIRE(channel.kind == (std::string(kind) == "mutual" ? ChannelKind::mutual : ChannelKind::directed));
      run_checked(scenario.model);
    }
  }
}

TEST_CASE("1,000 actors with one channel step in reasonable time", "[extremes][large]") {
  const auto start = std::chrono::steady_clock::now();
  const Scenario scenario = load_scenario_text(world(1000, R"(
[channels.c]
kind = "mutual"
levels = ["no", "some", "much"]
review_rate = 0.2
[[ties]]
from = "*"
to = "*"
channel = "c"
level = "some"
[regimes.s]
kind = "sanctions"
members = "*"
targets = ["A0"]
caps = { c = "no" }
)",
                                                     "end = 2000-03-01\n"),
                                               "large.toml");
  REQUIRE(scenario.model.actor_count() == 1000);
  const Checker checker = run_checked(scenario.model, 1);
  CHECK(checker.steps == 3);
  CHECK(checker.changes > 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("1,000 actors × 3 steps: " << seconds << " s");
  CHECK(seconds < 120);  // about 1 s in Release, 15 s under ASan: a stall, not a slow machine, fails it
}

TEST_CASE("the highest Poisson rates the loader accepts neither stall nor break invariants", "[extremes]") {
  // 1,000 a year with yearly steps: about 1,000 incidents and provocations every step, at full intensity
  const auto start = std::chrono::steady_clock::now();
  const Scenario scenario = load_scenario_text(world(4, R"(
[channels.c]
kind = "directed"
levels = ["no", "some", "much"]
[channels.m]
kind = "mutual"
levels = ["no", "yes"]
[random_events.clash]
kind = "incident"
actor = "A0"
partner = "A1"
goldstein = -10
intensity = 1000
rate = 1000
[random_events.test]
kind = "provocation"
actor = "A2"
goldstein = -10
intensity = 1000
rate = 1000
[random_events.friendly]
kind = "incident"
actor = "A3"
partner = "A2"
goldstein = 10
intensity = 1000
rate = 1000
[model]
event_affect_scale = 10
reciprocity = 10
)",
                                                     "step = \"year\"\nend = 2030-01-01\nspinup_steps = 3\n"),
                                               "rates.toml");
  REQUIRE(scenario.model.random_events.size() == 3);
  CHECK(scenario.model.random_events.front().rate_per_step == Approx(1000));
  run_checked(scenario.model, 3);

  // beyond the loader's range: a model changed in code with a rate of a million per step still finishes
  Model model = scenario.model;
  for (auto& random : model.random_events) random.rate_per_step = 1e6;
  model.calendar.end = Date::from_ymd(2004, 1, 1);
  model.spinup_steps = 0;
  run_checked(model, 1);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 60);
}
