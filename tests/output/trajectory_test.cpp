// What output/trajectory.cpp writes for the mechanisms of host consent and reciprocity: a host's cut as an
// events.csv row with cause "host", authored by the host, and the reciprocity term as actors.csv's last column.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "experiment/run.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::read_text;
using tiesim::test::scenario_from;
using tiesim::test::TempDir;

namespace {

// A keeps a mission in B, which B (a_BA = −0.5, no benefit) expels in step 0, when an incident puts the
// pair's ties up for review. A weighs reciprocation (w^R = 0.5) and answers the mission channel on its visas
// for B's citizens (one rung, L = 1), which it keeps in step 0 (a_AB = 0.5 > 0, no memory yet). After the
// step A's memory is m = −1/1 and its visa tie at 1 gives w^R m y/L = 0.5 · (−1) · 1 = −0.5; B, which does
// not weigh reciprocation, shows 0.
const std::string world = R"(
[scenario]
name = "hosted"
start = 2000-01-01
end = 2000-03-01
[model]
balance = 0.0
event_affect_scale = 0.0
[actors.A]
size = 1
precision = 1000
anchoring = 0
reciprocation = 0.5
[actors.B]
size = 1
precision = 1000
anchoring = 0
[channels.mission]
kind = "directed"
levels = ["none", "open"]
benefit = 0
salience = 1
review_rate = 0
host_consent = true
[channels.visas]
kind = "directed"
levels = ["none", "waived"]
benefit = 0
salience = 1
review_rate = 0
reciprocal = "mission"
[events.meeting]
date = 2000-01-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -1
[[ties]]
from = "A"
to = "B"
channel = "*"
level = 1
[[affect]]
from = "A"
to = "B"
value = 0.5
[[affect]]
from = "B"
to = "A"
value = -0.5
)";

std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    if (!line.empty() && line.back() == ',') fields.emplace_back();  // getline drops a last empty field
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

TEST_CASE("trajectory: a host's cut is an event with cause 'host' and reciprocity is actors.csv's last column",
          "[output][trajectory][host][reciprocity]") {
  const Scenario scenario = scenario_from(world);
  TempDir dir;
  RunOptions options;
  options.seed = 3;
  options.threads = 1;
  options.record.files.fill(true);  // actors.csv is not in the default record
  {
    OutputDirectory output(dir / "out");
    run_replicates(scenario.model, options, output);
    output.commit();
  }
  const auto events = rows_of(read_text(dir / "out" / "events.csv"));
  REQUIRE(events.size() >= 2);
  const std::vector<std::string> header = events[0];
  REQUIRE(header.size() == 13);
  REQUIRE(header[10] == "cause");
  int host_rows = 0;
  for (std::size_t r = 1; r < events.size(); ++r) {
    REQUIRE(events[r].size() == 13);
    if (events[r][10] != "host") continue;
    ++host_rows;
    // run, replicate, date, actor, partner, channel, from, to, cameo, goldstein, cause, event, label: a move
    // names no event of the scenario
    CHECK(events[r][11].empty());
    CHECK(events[r][12].empty());
    CHECK(events[r][2] == "2000-01-01");
    CHECK(events[r][3] == "B");
    CHECK(events[r][4] == "A");
    CHECK(events[r][5] == "mission");
    CHECK(events[r][6] == "1");
    CHECK(events[r][7] == "0");
    CHECK(events[r][8] == "166");
    CHECK(events[r][9] == "-7");
  }
  CHECK(host_rows == 1);

  const auto actors = rows_of(read_text(dir / "out" / "actors.csv"));
  REQUIRE(!actors.empty());
  REQUIRE(actors[0].back() == "reciprocity");
  int checked = 0;
  for (std::size_t r = 1; r < actors.size(); ++r) {
    if (actors[r][2] != "0") continue;  // step 0
    REQUIRE(actors[r].size() == actors[0].size());
    CHECK(actors[r].back() == (actors[r][4] == "A" ? "-0.5" : "0"));
    ++checked;
  }
  CHECK(checked == 2);
}
