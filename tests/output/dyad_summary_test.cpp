#include <catch2/catch.hpp>

#include "experiment/run.hpp"
#include "output/dyad_summary.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::source_path;
using tiesim::test::TempDir;

namespace {

/// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  return found;
}

/// `line` split at runs of spaces.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> found;
  std::istringstream in(line);
  for (std::string word; in >> word;) found.push_back(word);
  return found;
}

}  // namespace

TEST_CASE("a watched run keeps each focal tie's first rise and fall, as worked out by hand", "[run][summary]") {
  // tests/data/focal_dyad.toml says why each tie does what it does; its only moves are at step 5
  const Scenario scenario = load_scenario(source_path("tests/data/focal_dyad.toml"));
  REQUIRE(scenario.focal == std::vector<int>{0, 1});
  const std::vector<DyadTie> ties = dyad_ties(scenario.model, 0, 1);
  // embassy A→B, B→A; visa A→B, B→A; trade (mutual) once
  REQUIRE(ties.size() == 5);
  CHECK((ties[4].from == 0 && ties[4].to == 1 && ties[4].channel == 2));
  for (int threads : {1, 2}) {
    TempDir dir;
    OutputDirectory output(dir / "out");
    RunOptions options;
    options.replicates = 6;
    options.threads = threads;
    options.watch = scenario.focal;
    const RunResult result = run_replicates(scenario.model, options, output);
    REQUIRE(result.courses.size() == 6);
    for (const auto& courses : result.courses) {
      REQUIRE(courses.size() == 5);
      // start, end, first rise, first fall
      CHECK((courses[0].start == 1 && courses[0].end == 0 && courses[0].first_rise == -1 && courses[0].first_fall == 5));
      CHECK((courses[1].start == 1 && courses[1].end == 1 && courses[1].first_rise == -1 && courses[1].first_fall == -1));
      CHECK((courses[2].start == 0 && courses[2].end == 1 && courses[2].first_rise == 5 && courses[2].first_fall == -1));
      CHECK((courses[3].start == 0 && courses[3].end == 1 && courses[3].first_rise == 5 && courses[3].first_fall == -1));
      CHECK((courses[4].start == 0 && courses[4].end == 0 && courses[4].first_rise == -1 && courses[4].first_fall == -1));
    }
  }
}

TEST_CASE("the focal dyad summary: shares, median dates and levels over the replicates", "[summary]") {
  const Scenario scenario = load_scenario(source_path("tests/data/focal_dyad.toml"));
  const Model& model = scenario.model;
  // three replicates made up by hand, one course per tie of dyad_ties(model, 0, 1)
  const TieCourse still{1, 1, -1, -1}, closed{0, 0, -1, -1};
  std::vector<std::vector<TieCourse>> courses = {
      {{1, 0, -1, 7}, still, {0, 1, 2, -1}, {0, 0, -1, -1}, closed},
      {{1, 0, -1, 2}, still, {0, 1, 9, -1}, {0, 0, -1, -1}, closed},
      {{1, 1, 4, 3}, still, {0, 0, -1, -1}, {0, 0, -1, -1}, {0, 1, 11, -1}},
  };
  const std::string text = dyad_summary(model, 0, 1, courses, 42);
  CHECK(text.rfind("The A–B ties in 3 replicates (seed 42), 2000-01-01 to 2000-12-01", 0) == 0);
  // the embassy A→B moved in all three, rose in one (step 4, 2000-05-01), fell in all three: the median of
  // steps 2, 3 and 7 is step 3 (2000-04-01); it ends at "none" in two of three
  CHECK(words(lines_starting(text, "A→B embassy").at(0)) ==
        std::vector<std::string>{"A→B", "embassy", "open", "100%", "33%", "2000-05-01", "100%", "2000-04-01", "none", "67%"});
  CHECK(words(lines_starting(text, "B→A embassy").at(0)) == std::vector<std::string>{"B→A", "embassy", "open", "0%", "0%", "0%", "open"});
  // the visa A→B rose in two (steps 2 and 9: an even count's median is the earlier, 2000-03-01)
  CHECK(words(lines_starting(text, "A→B visa").at(0)) ==
        std::vector<std::string>{"A→B", "visa", "required", "67%", "67%", "2000-03-01", "0%", "waived", "67%"});
  CHECK(words(lines_starting(text, "A–B trade").at(0)) ==
        std::vector<std::string>{"A–B", "trade", "none", "33%", "33%", "2000-12-01", "0%", "none", "67%"});
  // the events of the pair or of no actor, in date order; C's test is not the pair's
  CHECK(lines_starting(text, "2000-06-15") == std::vector<std::string>{"2000-06-15  B's clash with A"});
  CHECK(lines_starting(text, "2000-09-10") == std::vector<std::string>{"2000-09-10  Resolution on C"});
  CHECK(text.find("C's test") == std::string::npos);

  // a share is never rounded to 0% or 100% unless it is exactly that: 1 of 300 and 299 of 300
  std::vector<std::vector<TieCourse>> many(300, courses[1]);
  many[0] = courses[2];
  const std::string rare = dyad_summary(model, 0, 1, many, 1);
  CHECK(words(lines_starting(rare, "A→B embassy").at(0)).at(4) == "<1%");
  CHECK(words(lines_starting(rare, "A→B embassy").at(0)).at(9) == ">99%");
}
