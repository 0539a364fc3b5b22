#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "experiment/simulate.hpp"
#include "experiment/validation.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::scenario_from;

namespace {

// A's and C's embassies toward B cost more than they bring and are never reviewed, save when an incident of
// their pair forces it: A's falls in the first step, C's in the second, each for certain (precision 200)
const std::string forced_closures = R"(
[scenario]
start = 2000-01-01
end = 2000-06-01
[actors.A]
size = 1
precision = 200
[actors.B]
size = 1
precision = 200
[actors.C]
size = 1
precision = 200
[channels.embassy]
kind = "directed"
levels = ["none", "open"]
benefit = 0
upkeep = 5
review_rate = 0
[[ties]]
from = "*"
to = "*"
channel = "embassy"
level = 1
[events.first]
date = 2000-01-01
kind = "incident"
actor = "A"
partner = "B"
goldstein = -1
[events.second]
date = 2000-02-01
kind = "incident"
actor = "C"
partner = "B"
goldstein = -1
[targets.closes_at_once]
kind = "first_change"
from = "A"
to = "B"
channel = "embassy"
direction = "down"
window = [2000-01-01, 2000-01-01]
[targets.a_before_c]
kind = "order"
first = { from = "A", to = "B", channel = "embassy", direction = "down" }
second = { from = "C", to = "B", channel = "embassy", direction = "down" }
[targets.closed_after_first_step]
kind = "level"
from = "A"
to = "B"
channel = "embassy"
date = 2000-01-01
value = "none"
)";

}  // namespace

TEST_CASE("a change in the first step counts for first_change and order targets", "[validation]") {
  const Scenario scenario = scenario_from(forced_closures);
  REQUIRE(scenario.targets.size() == 3);
  TargetObserver observer(scenario.model, scenario.targets);
  simulate(scenario.model, 1, observer);
  const std::vector<char> hits = observer.hits();
  // the level after step 0 shows the closure happened in step 0, so the other two must see it there too
  CHECK(hits[2] == 1);
  CHECK(hits[0] == 1);
  CHECK(hits[1] == 1);
}
