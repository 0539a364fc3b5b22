#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "run/simulate.hpp"
#include "experiment/validation.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::scenario_from;

namespace {

// Targets judged on series written by hand. A probe's `from` is its index among the series; each series lists
// the value before step 0, then the value after each step: {start, after 0, after 1, ...}.

Probe probe(int index) {
  Probe result;
  result.quantity = Quantity::tie_index;
  result.from = index;
  result.to = 99;
  return result;
}

bool met(const Target& target, const std::vector<Series>& series) {
  return target_met(target, [&](const Probe& p) -> const Series& { return series.at(static_cast<std::size_t>(p.from)); });
}

Target level(int first_step, int last_step, Comparison comparison, double threshold, int probes = 1) {
  Target target;
  target.kind = TargetKind::level;
  for (int k = 0; k < probes; ++k) target.probes.push_back(probe(k));
  target.first_step = first_step;
  target.last_step = last_step;
  target.comparison = comparison;
  target.threshold = threshold;
  return target;
}

Target first_change(Direction direction, int first_step, int last_step, int after_step) {
  Target target;
  target.kind = TargetKind::first_change;
  target.probes = {probe(0)};
  target.direction = direction;
  target.first_step = first_step;
  target.last_step = last_step;
  target.after_step = after_step;
  return target;
}

// probes[0] is series 0, `second` series 1
Target order(Direction first, Direction second, int after_step = 0) {
  Target target;
  target.kind = TargetKind::order;
  target.probes = {probe(0)};
  target.direction = first;
  target.second = probe(1);
  target.second_direction = second;
  target.after_step = after_step;
  target.last_step = 1000;  // no `by`: the first change may come at any step of these series
  return target;
}

Target change(int a_first, int a_last, int b_first, int b_last, double min_change, double max_change) {
  Target target;
  target.kind = TargetKind::change;
  target.probes = {probe(0)};
  target.period_a_first = a_first;
  target.period_a_last = a_last;
  target.period_b_first = b_first;
  target.period_b_last = b_last;
  target.min_change = min_change;
  target.max_change = max_change;
  return target;
}

// the subject is series 0, the others series 1, 2, ...
Target rank(int at_step, int others, int min_rank, int max_rank) {
  Target target;
  target.kind = TargetKind::rank;
  target.probes = {probe(0)};
  for (int k = 1; k <= others; ++k) target.among.push_back(probe(k));
  target.first_step = target.last_step = at_step;
  target.min_rank = min_rank;
  target.max_rank = max_rank;
  return target;
}

constexpr double inf = std::numeric_limits<double>::infinity();

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

TEST_CASE("a level target reads the value after its step", "[validation][targets]") {
  // before step 0: 5; after steps 0..3: 1, 2, 2, 0
  const std::vector<Series> series = {{{5, 1, 2, 2, 0}}};
  SECTION("at a date") {
    CHECK(met(level(0, 0, Comparison::equal, 1), series));
    CHECK_FALSE(met(level(0, 0, Comparison::equal, 5), series));  // the state before step 0 is not step 0's
    CHECK(met(level(3, 3, Comparison::less, 0.5), series));
    CHECK_FALSE(met(level(3, 3, Comparison::greater_equal, 0.5), series));
    CHECK(met(level(2, 2, Comparison::not_equal, 1), series));
    CHECK_FALSE(met(level(1, 1, Comparison::not_equal, 2), series));
  }
  SECTION("throughout a window: every step of it") {
    CHECK(met(level(1, 2, Comparison::equal, 2), series));
    CHECK_FALSE(met(level(0, 2, Comparison::equal, 2), series));  // fails at its first step only
    CHECK_FALSE(met(level(1, 3, Comparison::equal, 2), series));  // fails at its last step only
    CHECK(met(level(0, 3, Comparison::less_equal, 2), series));
    CHECK_FALSE(met(level(0, 3, Comparison::greater, 0), series));
  }
  SECTION("every probe must meet it") {
    const std::vector<Series> two = {{{5, 1, 2, 2, 0}}, {{5, 3, 3, 3, 3}}};
    CHECK(met(level(1, 2, Comparison::greater_equal, 2, 2), two));
    CHECK_FALSE(met(level(0, 2, Comparison::greater_equal, 2, 2), two));  // probe 0 is 1 after step 0
    CHECK_FALSE(met(level(3, 3, Comparison::greater_equal, 2, 2), two));
    // each pair on its own: the first fails after step 0, the second meets it throughout
    CHECK_FALSE(level_probe_met(level(0, 2, Comparison::greater_equal, 2, 2), two[0]));
    CHECK(level_probe_met(level(0, 2, Comparison::greater_equal, 2, 2), two[1]));
  }
  SECTION("with a baseline: the threshold is added to each probe's own value after the baseline step") {
    // probe 0: 1 after step 0, so the threshold is 1 + 1 = 2; probe 1: 3 after step 0, threshold 4
    const std::vector<Series> two = {{{5, 1, 2, 2, 0}}, {{9, 3, 4, 4, 4}}};
    Target gained_one = level(1, 2, Comparison::greater_equal, 1, 2);
    gained_one.baseline_step = 0;
    CHECK(met(gained_one, two));
    gained_one.last_step = 3;  // probe 0 falls to 0
    CHECK_FALSE(met(gained_one, two));
    Target gained_two = level(1, 2, Comparison::greater_equal, 2, 2);
    gained_two.baseline_step = 0;
    CHECK_FALSE(met(gained_two, two));
    // a fall below the baseline: after step 3 probe 0 is 2 below its value after step 1
    Target fell = level(3, 3, Comparison::less_equal, -2);
    fell.baseline_step = 1;
    CHECK(met(fell, series));
    fell.threshold = -2.5;
    CHECK_FALSE(met(fell, series));
  }
}

TEST_CASE("a first_change target finds the first step that moved in its direction", "[validation][targets]") {
  // before step 0: 3; after steps 0..4: 3, 2, 2, 1, 2 (down in steps 1 and 3, up in step 4)
  const std::vector<Series> series = {{{3, 3, 2, 2, 1, 2}}};
  SECTION("the first change must fall in the window") {
    CHECK(met(first_change(Direction::down, 1, 1, 0), series));
    CHECK(met(first_change(Direction::down, 0, 2, 0), series));
    CHECK_FALSE(met(first_change(Direction::down, 0, 0, 0), series));
    CHECK_FALSE(met(first_change(Direction::down, 2, 4, 0), series));  // a later change does not count
  }
  SECTION("only changes at or after `after` count") {
    CHECK(met(first_change(Direction::down, 3, 3, 2), series));
    CHECK_FALSE(met(first_change(Direction::down, 1, 1, 2), series));
    CHECK(met(first_change(Direction::down, 1, 1, 1), series));  // a change in the `after` step itself counts
  }
  SECTION("direction") {
    CHECK(met(first_change(Direction::up, 4, 4, 0), series));
    CHECK_FALSE(met(first_change(Direction::up, 0, 3, 0), series));
    CHECK(met(first_change(Direction::any, 1, 1, 0), series));
    CHECK(met(first_change(Direction::any, 4, 4, 4), series));
  }
  SECTION("no change at all misses every window") {
    const std::vector<Series> flat = {{{2, 2, 2, 2}}};
    CHECK_FALSE(met(first_change(Direction::any, 0, 2, 0), flat));
  }
  SECTION("a change in the first observed step is one from the state before it") {
    const std::vector<Series> at_once = {{{3, 2, 2, 2}}};
    CHECK(met(first_change(Direction::down, 0, 0, 0), at_once));
    CHECK_FALSE(met(first_change(Direction::down, 1, 2, 0), at_once));
    CHECK_FALSE(met(first_change(Direction::up, 0, 2, 0), at_once));
    // unchanged in step 0: the first change is step 1's
    const std::vector<Series> later = {{{2, 2, 1, 1}}};
    CHECK_FALSE(met(first_change(Direction::down, 0, 0, 0), later));
    CHECK(met(first_change(Direction::down, 1, 1, 0), later));
  }
}

TEST_CASE("an order target needs the first change strictly before the second", "[validation][targets]") {
  const Series down_in_0 = {{3, 2, 2, 2, 2}}, down_in_1 = {{3, 3, 2, 2, 2}}, never = {{3, 3, 3, 3, 3}};
  CHECK(met(order(Direction::down, Direction::down), {down_in_0, down_in_1}));
  CHECK_FALSE(met(order(Direction::down, Direction::down), {down_in_1, down_in_0}));
  CHECK_FALSE(met(order(Direction::down, Direction::down), {down_in_1, down_in_1}));  // the same step is not before
  CHECK(met(order(Direction::down, Direction::down), {down_in_1, never}));            // the second never happens
  CHECK_FALSE(met(order(Direction::down, Direction::down), {never, never}));          // nor the first
  CHECK_FALSE(met(order(Direction::down, Direction::down), {never, down_in_0}));
  SECTION("each change in its own direction") {
    const Series down_then_up = {{3, 2, 2, 3, 3}};  // down in step 0, up in step 2
    CHECK(met(order(Direction::down, Direction::up), {down_in_1, down_then_up}));
    CHECK_FALSE(met(order(Direction::down, Direction::down), {down_in_1, down_then_up}));
    CHECK(met(order(Direction::down, Direction::up), {down_in_1, never}));
  }
  SECTION("only changes at or after `after` count") {
    const Series twice = {{3, 2, 2, 2, 1}};  // down in steps 0 and 3
    const Series in_2 = {{3, 3, 3, 2, 2}};   // down in step 2
    CHECK(met(order(Direction::down, Direction::down, 0), {twice, in_2}));
    CHECK_FALSE(met(order(Direction::down, Direction::down, 1), {twice, in_2}));
  }
}

TEST_CASE("a change target compares the means of two periods, relative to the first", "[validation][targets]") {
  // before step 0: 100 (never read); after steps 0..3: 4, 3, 2, 1
  const std::vector<Series> series = {{{100, 4, 3, 2, 1}}};
  SECTION("between two dates: (2 - 4) / 4 = -0.5") {
    CHECK(met(change(0, 0, 2, 2, -0.6, -0.4), series));
    CHECK(met(change(0, 0, 2, 2, -0.5, -0.5), series));  // both bounds inclusive
    CHECK_FALSE(met(change(0, 0, 2, 2, -0.4, inf), series));
    CHECK_FALSE(met(change(0, 0, 2, 2, -inf, -0.6), series));
  }
  SECTION("between two periods: means 3.5 and 1.5, (1.5 - 3.5) / 3.5 = -4/7") {
    CHECK(met(change(0, 1, 2, 3, -0.58, -0.57), series));
    CHECK_FALSE(met(change(0, 1, 2, 3, -0.57, 0), series));
  }
  SECTION("relative to the magnitude of a negative first mean") {
    const std::vector<Series> negative = {{{0, -2, -1}}};  // (-1 - -2) / 2 = +0.5
    CHECK(met(change(0, 0, 1, 1, 0.49, 0.51), negative));
    CHECK_FALSE(met(change(0, 0, 1, 1, -inf, 0), negative));
  }
  SECTION("from a zero first mean: infinite in the direction of the move, 0 when nothing moved") {
    const std::vector<Series> rise = {{{0, 0, 1}}}, fall = {{{0, 0, -1}}}, flat = {{{7, 0, 0}}};
    CHECK(met(change(0, 0, 1, 1, 1000, inf), rise));
    CHECK_FALSE(met(change(0, 0, 1, 1, -inf, 1000), rise));
    CHECK(met(change(0, 0, 1, 1, -inf, -1000), fall));
    CHECK_FALSE(met(change(0, 0, 1, 1, -1000, inf), fall));
    CHECK(met(change(0, 0, 1, 1, 0, 0), flat));
    CHECK_FALSE(met(change(0, 0, 1, 1, 0.01, inf), flat));
  }
}

TEST_CASE("a rank target counts the others at or above the subject after its step", "[validation][targets]") {
  // after step 1: subject 2, others 3 and 1; before step 0 the subject was the highest
  const std::vector<Series> series = {{{9, 0, 2}}, {{0, 0, 3}}, {{0, 0, 1}}};
  CHECK(met(rank(1, 2, 2, 2), series));
  CHECK(met(rank(1, 2, 1, 3), series));
  CHECK_FALSE(met(rank(1, 2, 1, 1), series));
  CHECK_FALSE(met(rank(1, 2, 3, 3), series));
  SECTION("at the step asked for, not another") {
    // after step 0 all three are 0: the subject ranks last
    CHECK(met(rank(0, 2, 3, 3), series));
    CHECK_FALSE(met(rank(0, 2, 1, 2), series));
  }
  SECTION("a tie ranks above the subject") {
    const std::vector<Series> tied = {{{0, 2}}, {{0, 2}}, {{0, 1}}};
    CHECK(met(rank(0, 2, 2, 2), tied));
    CHECK_FALSE(met(rank(0, 2, 1, 1), tied));
  }
  SECTION("alone, the subject ranks first") {
    CHECK(met(rank(1, 0, 1, 1), series));
  }
}

TEST_CASE("the target observer refuses steps out of sequence", "[validation]") {
  const Scenario scenario = scenario_from(forced_closures);
  const State state = initial_state(scenario.model);
  const StepRecord record;
  SECTION("a step before start()") {
    TargetObserver observer(scenario.model, scenario.targets);
    CHECK_THROWS_AS(observer.observe(scenario.model, state, 0, record), std::logic_error);
  }
  SECTION("a skipped step") {
    TargetObserver observer(scenario.model, scenario.targets);
    observer.start(scenario.model, state);
    observer.observe(scenario.model, state, 0, record);
    CHECK_THROWS_AS(observer.observe(scenario.model, state, 2, record), std::logic_error);
  }
}

TEST_CASE("validate counts each pair of a level target over several pairs on its own", "[validation]") {
  // the middle power's embassies in the great power and in the pariah, both at charge or above through 2005
  const Scenario scenario = scenario_from("extends = \"" + tiesim::test::source_path("scenarios/minimal.toml").generic_string() + "\"\n" + R"(
[targets.both_hold]
kind = "level"
from = "MID"
to = ["BIG", "PAR"]
channel = "embassy"
during = [2001-01-01, 2005-12-01]
compare = ">="
value = "charge"
)");
  std::size_t t = 0;
  while (scenario.targets[t].id != "both_hold") ++t;
  const ValidationResult result = validate(scenario.model, scenario.targets, 3, 60, 1);
  REQUIRE(result.pairs[t].size() == 2);
  int all = 0;  // replicates in which both pairs met it, counted from the pairs' own hits
  for (std::size_t r = 0; r < result.hits.size(); ++r) all += result.hits[r][t];
  CHECK(result.outcomes[t].hits == all);
  for (const auto& pair : result.pairs[t]) {
    CHECK(pair.replicates == 60);
    CHECK(pair.hits >= result.outcomes[t].hits);  // a target met is every pair met
  }
  // single-pair and other targets have no per-pair counts
  for (std::size_t u = 0; u < scenario.targets.size(); ++u)
    if (u != t) CHECK(result.pairs[u].empty());
}

TEST_CASE("watched ties are those a target reads; moves are counted per tie", "[validation]") {
  const Scenario scenario = scenario_from("extends = \"" + tiesim::test::source_path("scenarios/minimal.toml").generic_string() + "\"\n" + R"(
remove = ["targets.trade_cut_under_sanctions", "targets.embassies_hold"]
[targets.index]
kind = "level"
quantity = "tie_index"
from = "BIG"
to = "MID"
date = 2004-01-01
compare = ">="
value = 0
[targets.trade]
kind = "level"
from = "PAR"
to = "MID"
channel = "trade"
date = 2004-01-01
compare = ">="
value = 0
)");
  const Model& model = scenario.model;
  auto id = [&](const std::string& actor) {
    for (int i = 0; i < model.actor_count(); ++i)
      if (model.actors[static_cast<std::size_t>(i)].id == actor) return i;
    return -1;
  };
  const int mid = id("MID"), big = id("BIG"), par = id("PAR");
  int embassy = 0, trade = 1;
  if (model.channels[0].id != "embassy") std::swap(embassy, trade);
  REQUIRE(model.channels[static_cast<std::size_t>(trade)].kind == ChannelKind::mutual);
  const std::vector<char> watched = watched_ties(model, scenario.targets);
  // the tie index BIG → MID reads every channel of BIG → MID, and the mutual trade both ways
  CHECK(watched[model.tie_index(big, mid, embassy)] == 1);
  CHECK(watched[model.tie_index(big, mid, trade)] == 1);
  CHECK(watched[model.tie_index(mid, big, trade)] == 1);
  CHECK(watched[model.tie_index(mid, big, embassy)] == 0);  // the other direction of a directed channel
  // a level of the mutual trade PAR – MID, either way round
  CHECK(watched[model.tie_index(par, mid, trade)] == 1);
  CHECK(watched[model.tie_index(mid, par, trade)] == 1);
  CHECK(watched[model.tie_index(mid, par, embassy)] == 0);
  CHECK(watched[model.tie_index(par, big, embassy)] == 0);

  // the moves, counted from the states the observer sees: every replicate's moved is its rose or its fell
  const ValidationResult result = validate(model, scenario.targets, 5, 30, 1, nullptr, true);
  REQUIRE(result.moves.size() == watched.size());
  int moved_somewhere = 0;
  for (const auto& tie : result.moves) {
    CHECK(tie.moved <= 30);
    CHECK(tie.moved >= std::max(tie.rose, tie.fell));
    CHECK(tie.moved <= tie.rose + tie.fell);
    moved_somewhere += tie.moved > 0;
  }
  CHECK(moved_somewhere > 0);  // the sanctions move the middle power's trade with the pariah
  CHECK(result.moves[model.tie_index(mid, par, trade)].fell > 0);
  CHECK(validate(model, scenario.targets, 5, 30, 1).moves.empty());  // not counted unless asked

  // by hand: a tie that rises in step 0 and falls back in step 1, one that only falls, one that never moves
  State state = initial_state(model);
  const StepRecord record;
  TargetObserver observer(model, scenario.targets, true);
  const std::size_t up_down = model.tie_index(mid, big, embassy), down = model.tie_index(par, big, embassy);
  const std::size_t still = model.tie_index(big, par, embassy);
  state.level[up_down] = 1;
  state.level[down] = 2;
  observer.start(model, state);
  state.level[up_down] = 2;
  observer.observe(model, state, 0, record);
  state.level[up_down] = 1;
  state.level[down] = 0;
  observer.observe(model, state, 1, record);
  CHECK(observer.moves()[up_down] == 3);  // rose (1) and fell (2)
  CHECK(observer.moves()[down] == 2);
  CHECK(observer.moves()[still] == 0);
}
