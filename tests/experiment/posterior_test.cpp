#include <catch2/catch.hpp>

#include "experiment/posterior.hpp"
#include "experiment/validation.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::source_path;
using tiesim::test::TempDir;

namespace {

// MID's weight on material benefit: at 1 (minimal.toml's own) MID cuts its trade with the sanctioned PAR in
// almost every replicate, at 50 in few, so a replicate's outcome shows which particle it drew
const std::string two_benefits = "particle,weight,actors.MID.benefit,distance\n0,WEIGHT0,1,0.01\n1,WEIGHT1,50,0.02\n";

std::string with_weights(const std::string& first, const std::string& second) {
  std::string text = two_benefits;
  text.replace(text.find("WEIGHT0"), 7, first);
  text.replace(text.find("WEIGHT1"), 7, second);
  return text;
}

/// The diagnostic parse_posterior throws for `text`.
Diagnostic refusal(const std::string& text) {
  try {
    parse_posterior(text, "p.csv");
  } catch (const InputError& error) {
    return error.diagnostics().front();
  }
  FAIL("accepted: " << text);
  return {};
}

}  // namespace

TEST_CASE("a posterior is read with its columns, lines and hash", "[posterior]") {
  const PosteriorSample sample = parse_posterior(with_weights("0.25", "0.75"), "p.csv");
  REQUIRE(sample.parameters == std::vector<std::string>{"actors.MID.benefit"});
  REQUIRE(sample.header_columns == std::vector<int>{17});
  REQUIRE(sample.particles.size() == 2);
  CHECK(sample.particles[1].id == 1);
  CHECK(sample.particles[1].weight == 0.75);
  CHECK(sample.particles[1].values == std::vector<double>{50});
  CHECK(sample.particles[1].line == 3);
  CHECK(sample.particles[1].columns == std::vector<int>{8});  // "1,0.75,50": the value starts at column 8
  CHECK(sample.sha256.size() == 64);
  // without a particle column, particles are numbered by row from 0
  const PosteriorSample plain = parse_posterior("weight,model.reciprocity\n1,0.2\n2,0.3\n", "p.csv");
  CHECK(plain.particles[1].id == 1);
  CHECK(plain.particles[1].values == std::vector<double>{0.3});
}

TEST_CASE("bad posteriors are refused at their line and column", "[posterior]") {
  struct Case {
    std::string text;
    int line, column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", 0, 0, "empty file"},
      {"particle,weight,model.reciprocity\n", 0, 0, "no particles"},
      {"particle,model.reciprocity\n0,0.2\n", 1, 1, "no 'weight' column"},
      {"particle,weight,distance\n0,1,0.1\n", 1, 1, "no parameter columns"},
      {"weight,model.reciprocity,model.reciprocity\n1,0.2,0.3\n", 1, 26, "appears twice"},
      {"weight,model.reciprocity\n1,0.2\n-0.5,0.3\n", 3, 1, "a weight cannot be negative"},
      {"weight,model.reciprocity\n0,0.2\n0,0.3\n", 0, 0, "every weight is 0"},
      {"weight,model.reciprocity\n1,abc\n", 2, 3, "column 'model.reciprocity': expected a finite decimal number, got 'abc'"},
      {"weight,model.reciprocity\n1,nan\n", 2, 3, "expected a finite decimal number"},
      {"weight,model.reciprocity\n1,\n", 2, 3, "got ''"},
      {"weight,model.reciprocity\n1,0.2,3\n", 2, 1, "expected 2 fields, as in the header, got 3"},
      {"particle,weight,model.reciprocity\n0,1,0.2\n0,1,0.3\n", 3, 1, "particle 0 appears twice"},
  };
  for (const auto& one : cases) {
    INFO(one.text);
    const Diagnostic diagnostic = refusal(one.text);
    CHECK(diagnostic.line == one.line);
    CHECK(diagnostic.column == one.column);
    CHECK_THAT(diagnostic.message, Catch::Contains(one.message));
  }
}

TEST_CASE("draws follow the weights, by a stream of the seed and replicate alone", "[posterior]") {
  const PosteriorSample first_only = parse_posterior(with_weights("1", "0"), "p.csv");
  for (int r = 0; r < 1000; ++r) REQUIRE(draw_particle(first_only, 7, r) == 0);
  const PosteriorSample second_only = parse_posterior(with_weights("0", "3"), "p.csv");
  for (int r = 0; r < 1000; ++r) REQUIRE(draw_particle(second_only, 7, r) == 1);
  // 1 : 3: a quarter of the draws take the first; 4000 draws put the share within ±0.03 (4.4 standard errors)
  const PosteriorSample quarter = parse_posterior(with_weights("1", "3"), "p.csv");
  int first = 0;
  for (int r = 0; r < 4000; ++r) first += draw_particle(quarter, 11, r) == 0 ? 1 : 0;
  CHECK(std::abs(first / 4000.0 - 0.25) < 0.03);
  // a replicate's draw depends on the seed and its number only: the same in any order, different seeds differ
  int differ = 0;
  for (int r = 0; r < 100; ++r) {
    REQUIRE(draw_particle(quarter, 11, r) == draw_particle(quarter, 11, r));
    differ += draw_particle(quarter, 11, r) != draw_particle(quarter, 12, r) ? 1 : 0;
  }
  CHECK(differ > 10);
}

TEST_CASE("each replicate runs with the particle it drew", "[validate][posterior]") {
  TempDir dir;
  const auto scenario = source_path("scenarios/minimal.toml");
  const Scenario base = load_scenario(scenario);
  const int replicates = 60;
  // the two particles by themselves, with the seeds a posterior run gives its replicates
  const Scenario low = load_scenario(scenario, {"actors.MID.benefit=1"});
  const Scenario high = load_scenario(scenario, {"actors.MID.benefit=50"});
  const ValidationResult at_low = validate(low.model, base.targets, 3, replicates, 2);
  const ValidationResult at_high = validate(high.model, base.targets, 3, replicates, 2);
  const double low_rate = at_low.outcomes[0].hit_rate(), high_rate = at_high.outcomes[0].hit_rate();
  REQUIRE(low_rate > 0.9);   // the trade cut: nearly always at benefit 1
  REQUIRE(high_rate < 0.3);  // and seldom at 50

  SECTION("weights 1 and 0: every replicate uses the first, as --set would") {
    const PosteriorSample sample = read_posterior(dir.write("p.csv", with_weights("1", "0")));
    const PosteriorRuns runs = posterior_runs(scenario, {}, base, sample, 3, replicates, 2);
    REQUIRE(runs.models.size() == 1);
    for (int r = 0; r < replicates; ++r) REQUIRE(runs.particle_of[static_cast<std::size_t>(r)] == 0);
    const ValidationResult result = validate([&](int r) -> const Model& { return runs.model(r); }, base.targets, 3, replicates, 2);
    CHECK(result.hits == at_low.hits);
  }

  SECTION("equal weights: each replicate's outcome is its particle's, and the hit rate lies between") {
    const PosteriorSample sample = read_posterior(dir.write("p.csv", with_weights("1", "1")));
    const PosteriorRuns runs = posterior_runs(scenario, {}, base, sample, 3, replicates, 2);
    REQUIRE(runs.models.size() == 2);
    int drew_low = 0;
    for (int r = 0; r < replicates; ++r) drew_low += runs.particle_of[static_cast<std::size_t>(r)] == 0 ? 1 : 0;
    REQUIRE(drew_low > 15);
    REQUIRE(drew_low < 45);
    for (int threads : {1, 2}) {
      const ValidationResult result =
          validate([&](int r) -> const Model& { return runs.model(r); }, base.targets, 3, replicates, threads);
      for (int r = 0; r < replicates; ++r) {
        const auto k = static_cast<std::size_t>(r);
        REQUIRE(result.hits[k] == (runs.particle_of[k] == 0 ? at_low.hits[k] : at_high.hits[k]));
      }
      CHECK(result.outcomes[0].hit_rate() < low_rate);
      CHECK(result.outcomes[0].hit_rate() > high_rate);
    }
    // what run.json records: the particle column's value and its values, per replicate
    const PosteriorRecord record = posterior_record(sample, runs);
    REQUIRE(record.particle.size() == static_cast<std::size_t>(replicates));
    for (int r = 0; r < replicates; ++r) {
      const auto k = static_cast<std::size_t>(r);
      CHECK(record.values[0][k] == (runs.particle_of[k] == 0 ? 1.0 : 50.0));
      CHECK(record.particle[k] == static_cast<long long>(runs.particle_of[k]));
    }
  }

  SECTION("a value the scenario refuses is shown at its cell, naming the column") {
    const PosteriorSample sample = read_posterior(dir.write("p.csv", "particle,weight,actors.MID.benefit\n0,1,1\n1,1,-4\n"));
    try {
      posterior_runs(scenario, {}, base, sample, 3, replicates, 2);
      FAIL("accepted a negative benefit");
    } catch (const InputError& error) {
      const Diagnostic& diagnostic = error.diagnostics().front();
      CHECK(diagnostic.line == 3);
      CHECK(diagnostic.column == 5);
      CHECK_THAT(diagnostic.message, Catch::StartsWith("column 'actors.MID.benefit' (particle 1): "));
    }
  }

  SECTION("a column also given with --set is refused at the header") {
    const PosteriorSample sample = read_posterior(dir.write("p.csv", with_weights("1", "1")));
    try {
      posterior_runs(scenario, {"actors.MID.benefit=2"}, base, sample, 3, replicates, 2);
      FAIL("accepted a column also set");
    } catch (const InputError& error) {
      CHECK(error.diagnostics().front().line == 1);
      CHECK(error.diagnostics().front().column == 17);
    }
  }
}
