#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "output/json.hpp"
#include "output/run_json.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::read_text;
using tiesim::test::scenario_from;
using tiesim::test::TempDir;

namespace {

// sets few values, so that most parameters are left at their defaults
const std::string sparse = R"toml([scenario]
name = "sparse"
start = 2000-01-01
end = 2001-12-01

[model]
pressure_decay = 0.7

[actors.AAA]
size = 2
compliance = 0.5

[actors.BBB]
size = 1

[channels.trade]
kind = "mutual"
levels = ["none", "small", "large"]
review_rate = 0.2

[regimes.embargo]
kind = "sanctions"
members = ["AAA"]
targets = ["BBB"]
caps = { trade = "small" }
in_force = 2000-06-15

[regimes.pact]
kind = "alliance"
members = ["AAA", "BBB"]
)toml";

/// run.json of `scenario`, parsed.
nlohmann::json run_json_of(const Scenario& scenario) {
  TempDir dir;
  RunMetadata metadata;
  metadata.command = "run";
  metadata.seed = 3;
  metadata.replicates = 1;
  metadata.replicate_seeds = {42};
  metadata.files = {"ties.csv"};
  write_run_json(dir / "run.json", scenario, metadata);
  return nlohmann::json::parse(read_text(dir / "run.json"));
}

}  // namespace

TEST_CASE("run.json shows the weights a rule gave, not the rule", "[output][run_json]") {
  // AAA keeps its own compliance; BBB's is 0.4 × exp(0.5 × 2) = 1.0873127313836182, its reciprocation 0.3
  const auto json = run_json_of(scenario_from(sparse + R"toml(
[actors.BBB.covariates]
exposure = 2

[rules.compliance]
base = 0.4
exposure = 0.5

[rules.reciprocation]
base = 0.3
)toml"));
  const nlohmann::json& actors = json.at("effective").at("actors");
  CHECK(actors.at("AAA").at("compliance") == 0.5);
  CHECK(actors.at("BBB").at("compliance").get<double>() == Approx(1.0873127313836182).epsilon(1e-14));
  CHECK(actors.at("AAA").at("reciprocation") == 0.3);
  CHECK(actors.at("BBB").at("reciprocation") == 0.3);
}

TEST_CASE("run.json holds every effective parameter, defaults included", "[output][run_json]") {
  const nlohmann::json json = run_json_of(scenario_from(sparse));
  const nlohmann::json& effective = json.at("effective");
  // left out of the file: the defaults of docs/scenario.md
  CHECK_FALSE(json.at("document").at("model").contains("balance"));
  CHECK(effective.at("model").at("balance") == 0.1);
  CHECK(effective.at("model").at("benefit_curvature") == 0.5);
  CHECK(effective.at("model").at("follow_through") == false);
  CHECK(effective.at("scenario").at("step") == "month");
  CHECK(effective.at("scenario").at("spinup_steps") == 0);
  const nlohmann::json& aaa = effective.at("actors").at("AAA");
  CHECK(aaa.at("anchoring") == 0.1);
  CHECK(aaa.at("precision") == 5);
  CHECK(aaa.at("affinity") == 1);
  CHECK(aaa.at("pressure_strength") == 0);
  CHECK(aaa.at("reciprocation") == 0);
  CHECK(effective.at("actors").at("BBB").at("name") == "BBB");
  const nlohmann::json& trade = effective.at("channels").at("trade");
  CHECK(trade.at("visibility") == 0.5);
  CHECK(trade.at("index_weight") == 1);
  CHECK(trade.at("benefit_curvature") == 0.5);  // the model's θ, which the channel does not override
  CHECK(trade.at("cameo_up") == "050");
  CHECK(effective.at("regimes").at("embargo").at("enforcement") == 1);
  CHECK(effective.at("regimes").at("embargo").at("caps") == nlohmann::json{{"trade", 1}});
  CHECK(effective.at("regimes").at("embargo").at("in_force") == "2000-06-01");  // the step holding 15 June binds
  CHECK(effective.at("regimes").at("pact").at("cohesion") == 0.5);
  // and what the file did set
  CHECK(effective.at("model").at("pressure_decay") == 0.7);
  CHECK(aaa.at("compliance") == 0.5);
  CHECK(trade.at("review_rate") == 0.2);
  CHECK(json.at("seed") == 3);
  CHECK(json.at("replicate_seeds") == nlohmann::json{42});
}

TEST_CASE("run.json shows --set values among the effective parameters", "[output][run_json]") {
  const nlohmann::json json = run_json_of(scenario_from(sparse, {"model.balance=0.3", "actors.BBB.precision=2"}));
  CHECK(json.at("overrides") == nlohmann::json{"model.balance=0.3", "actors.BBB.precision=2"});
  CHECK(json.at("effective").at("model").at("balance") == 0.3);
  CHECK(json.at("effective").at("actors").at("BBB").at("precision") == 2);
  CHECK(json.at("document").at("model").at("balance") == 0.3);
}

TEST_CASE("json_document keeps key order and numbers, and read_json reads it back", "[output][json]") {
  nlohmann::ordered_json document;
  document["zeta"] = {{"b", 0.1}, {"a", 1e-300}};
  document["alpha"] = nlohmann::ordered_json::array({3, "x\n\"", true, nullptr});
  document["nested"] = {{"deeper", {{"z", 2.5}, {"y", -7}}}};
  CHECK(json_document(document) ==
        "{\n  \"zeta\": {\"b\": 0.1, \"a\": 1e-300},\n  \"alpha\": [3, \"x\\n\\\"\", true, null],\n"
        "  \"nested\": {\"deeper\": {\"z\": 2.5, \"y\": -7}}\n}\n");
  CHECK(json_document(document, 2) ==
        "{\n  \"zeta\": {\n    \"b\": 0.1,\n    \"a\": 1e-300\n  },\n  \"alpha\": [3, \"x\\n\\\"\", true, null],\n"
        "  \"nested\": {\n    \"deeper\": {\"z\": 2.5, \"y\": -7}\n  }\n}\n");
  TempDir dir;
  for (int levels : {1, 2, 3}) {
    CHECK(read_json(dir.write("doc.json", json_document(document, levels)), "a test document", "") == document);
  }
  // a NaN has no JSON form: null
  CHECK(json_document(nlohmann::ordered_json{{"x", std::nan("")}}) == "{\n  \"x\": null\n}\n");
}

TEST_CASE("read_json names the file and the place of a fault", "[output][json][bad-input]") {
  TempDir dir;
  auto message_of = [&](const std::string& text) {
    try {
      read_json(dir.write("bad.json", text), "a test document", "write it again");
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message_of("{\n  \"a\": 1,\n  \"b\": tru\n}"),
             Catch::Contains("bad.json:3:") && Catch::Contains("error: not a test document: invalid JSON") &&
                 Catch::Contains("hint: write it again"));
  CHECK_THAT(message_of(""), Catch::Contains("bad.json:1:1: error: not a test document: invalid JSON"));
  CHECK_THAT(message_of(std::string("{\"a\": \"\xff\"}")), Catch::Contains("bad.json:1:") && Catch::Contains("invalid JSON"));
  std::string error;
  try {
    read_json(dir / "absent.json", "a test document", "");
  } catch (const InputError& e) {
    error = e.what();
  }
  CHECK_THAT(error, Catch::Contains("absent.json: error: cannot read a test document"));
}
