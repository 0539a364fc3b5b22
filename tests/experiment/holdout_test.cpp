// The temporal hold-out of `calibrate --until` and `validate --until`: where each kind of target ends, how a
// date splits targets into in and out of sample, and that held-out targets stay out of the loss.
#include <catch2/catch.hpp>

#include <algorithm>

#include "experiment/calibration.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::source_path;
using tiesim::test::TempDir;

namespace {

std::string extends_minimal() { return "extends = \"" + source_path("scenarios/minimal.toml").generic_string() + "\"\n"; }

// one target of each kind, each ending on a different month of 2007; a later date elsewhere in each (a window's
// start, a baseline, a period a) would show up if the end were taken from the wrong field
const char* targets_of_every_kind = R"(
[targets.level_window]
kind = "level"
from = "MID"
to = "BIG"
channel = "embassy"
during = [2001-01-01, 2007-01-15]
compare = ">="
value = 0

[targets.level_baseline]
kind = "level"
quantity = "tie_index"
from = "MID"
to = "BIG"
date = 2002-01-01
baseline = 2007-02-10
compare = ">="
value = -1

[targets.first_change_window]
kind = "first_change"
from = "MID"
to = "PAR"
channel = "trade"
after = 2001-01-01
window = [2005-01-01, 2007-03-31]

[targets.order_by]
kind = "order"
after = 2001-01-01
by = 2007-04-01
first = { from = "MID", to = "PAR", channel = "trade", direction = "down" }
second = { from = "MID", to = "BIG", channel = "trade", direction = "down" }

[targets.order_open]
kind = "order"
after = 2001-01-01
first = { from = "MID", to = "PAR", channel = "trade", direction = "down" }
second = { from = "MID", to = "BIG", channel = "trade", direction = "down" }

[targets.change_period_b]
kind = "change"
from = "MID"
to = "PAR"
channel = "trade"
periods = [[2003-01-01, 2003-12-31], [2004-01-01, 2007-05-31]]
max = 10

[targets.rank_date]
kind = "rank"
quantity = "tie_index"
from = "MID"
to = "PAR"
among = ["BIG"]
date = 2007-06-01
)";

const Target& find(const std::vector<Target>& targets, const std::string& id) {
  return *std::find_if(targets.begin(), targets.end(), [&](const Target& target) { return target.id == id; });
}

/// The diagnostics of an InputError thrown by `action`, or nothing when none is thrown.
template <typename Action>
std::vector<Diagnostic> input_errors(Action action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.diagnostics();
  }
  return {};
}

}  // namespace

TEST_CASE("each kind of target ends at the last step it looks at", "[holdout]") {
  const Scenario scenario = test::scenario_from(extends_minimal() + targets_of_every_kind);
  const Calendar& calendar = scenario.model.calendar;
  auto step_of = [&](int year, unsigned month) { return calendar.step_of(Date::from_ymd(year, month, 1)); };
  CHECK(target_end_step(find(scenario.targets, "level_window")) == step_of(2007, 1));
  CHECK(target_end_step(find(scenario.targets, "level_baseline")) == step_of(2007, 2));
  CHECK(target_end_step(find(scenario.targets, "first_change_window")) == step_of(2007, 3));
  CHECK(target_end_step(find(scenario.targets, "order_by")) == step_of(2007, 4));
  CHECK(target_end_step(find(scenario.targets, "change_period_b")) == step_of(2007, 5));
  CHECK(target_end_step(find(scenario.targets, "rank_date")) == step_of(2007, 6));
  // an order without 'by' looks for the first change up to the run's end
  CHECK(target_end_step(find(scenario.targets, "order_open")) == calendar.step_count() - 1);
}

TEST_CASE("a hold-out date splits the targets by where they end", "[holdout]") {
  const Scenario scenario = test::scenario_from(extends_minimal() + targets_of_every_kind);
  const auto& targets = scenario.targets;
  auto in_sample_ids = [&](const std::string& until) {
    const Holdout holdout = read_holdout(until, scenario.model.calendar);
    std::vector<std::string> ids;
    for (const auto& target : targets)
      if (holdout.in_sample(target)) ids.push_back(target.id);
    return ids;
  };
  // minimal.toml's own targets end in December 2005
  const std::vector<std::string> minimal = {"trade_cut_under_sanctions", "embassies_hold"};
  CHECK(in_sample_ids("2006-12-31") == minimal);
  // a month's step is in sample only once the month is over: the April target needs the 30th
  std::vector<std::string> to_march = minimal;
  for (const char* id : {"level_window", "level_baseline", "first_change_window"}) to_march.push_back(id);
  CHECK(in_sample_ids("2007-03-31") == to_march);
  CHECK(in_sample_ids("2007-04-29") == to_march);
  auto to_april = to_march;
  to_april.push_back("order_by");
  CHECK(in_sample_ids("2007-04-30") == to_april);
  // by mid-2007 everything is in sample but the open order, which ends with the run
  const auto mid_2007 = in_sample_ids("2007-06-30");
  CHECK(mid_2007.size() == targets.size() - 1);
  CHECK(std::find(mid_2007.begin(), mid_2007.end(), "order_open") == mid_2007.end());
  // the run's last date ends its last step, though that month runs on past it
  CHECK(in_sample_ids(scenario.model.calendar.end.iso()).size() == targets.size());
  // the vector form agrees with the single-target form
  const Holdout holdout = read_holdout("2007-03-31", scenario.model.calendar);
  const auto marks = holdout.in_sample(targets);
  CHECK(std::count(marks.begin(), marks.end(), 1) == static_cast<long>(to_march.size()));
}

TEST_CASE("a bad --until is named, with what was expected", "[holdout]") {
  const Scenario scenario = test::scenario_from(extends_minimal());
  for (const std::string text : {"2007-13-01", "2007-02-30", "07-01-01", "2007/01/01", "tomorrow", "1999-12-31", "2010-01-01"}) {
    INFO(text);
    const auto diagnostics = input_errors([&] { read_holdout(text, scenario.model.calendar); });
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].file == "--until");
    const bool expected_said = diagnostics[0].message.find("expected a calendar date YYYY-MM-DD") != std::string::npos ||
                               diagnostics[0].message.find("outside the run (2000-01-01 to 2009-12-01)") != std::string::npos;
    CHECK(expected_said);
  }
  CHECK(input_errors([&] { read_holdout("2000-01-01", scenario.model.calendar); }).empty());
  CHECK(input_errors([&] { read_holdout("2009-12-01", scenario.model.calendar); }).empty());
}

TEST_CASE("an order's 'by' bounds its first change and is checked", "[holdout]") {
  const std::string order = R"(
[targets.order]
kind = "order"
after = 2003-01-01
by = BY
first = { from = "MID", to = "PAR", channel = "trade", direction = "down" }
second = { from = "MID", to = "BIG", channel = "trade", direction = "down" }
)";
  auto with_by = [&](const std::string& by) {
    std::string text = order;
    text.replace(text.find("BY"), 2, by);
    return extends_minimal() + text;
  };
  const auto before_after = input_errors([&] { test::scenario_from(with_by("2002-12-01")); });
  REQUIRE(before_after.size() == 1);
  CHECK(before_after[0].message.find("'by' is before 'after'") != std::string::npos);
  CHECK(before_after[0].line > 0);
  CHECK(input_errors([&] { test::scenario_from(with_by("2012-01-01")); }).size() == 1);

  // MID cuts its trade with PAR at some point in 2003-2005 in most replicates, and with BIG seldom: the later
  // 'by', the more replicates meet the order, and 'by' the run's end is the same as no 'by'
  auto hits = [](const Scenario& scenario) { return validate(scenario.model, scenario.targets, 1, 40, 2).outcomes.back().hits; };
  const int same_month = hits(test::scenario_from(with_by("2003-01-01")));
  const int mid_2004 = hits(test::scenario_from(with_by("2004-06-01")));
  const int run_end = hits(test::scenario_from(with_by("2009-12-01")));
  CHECK(same_month < 5);
  CHECK(mid_2004 > same_month + 10);
  CHECK(run_end > mid_2004 + 5);
  const Scenario open = test::scenario_from(extends_minimal() + R"(
[targets.order]
kind = "order"
after = 2003-01-01
first = { from = "MID", to = "PAR", channel = "trade", direction = "down" }
second = { from = "MID", to = "BIG", channel = "trade", direction = "down" }
)");
  CHECK(hits(open) == run_end);
}

TEST_CASE("a target after --until does not enter the calibration loss", "[holdout][calibration]") {
  // one target met in every replicate, and one after it that no replicate meets (MID's pressure never reaches 10^9)
  TempDir dir;
  const auto scenario = dir.write("holdout.toml", extends_minimal() + R"(
[targets.trade_cut_under_sanctions]
share = 0
weight = 0

[targets.embassies_hold]
share = 0
weight = 0

[targets.always]
kind = "level"
from = "MID"
to = "BIG"
channel = "embassy"
during = [2000-01-01, 2004-12-01]
compare = ">="
value = 0

[targets.never]
kind = "level"
quantity = "pressure"
from = "MID"
date = 2006-01-01
compare = ">="
value = 1e9
)");
  CalibrationOptions options;
  options.free = {parse_free_parameter("actors.MID.pressure_sensitivity=0.5:4")};
  options.budget = 3;
  options.replicates = 10;
  const CalibrationResult all = calibrate(scenario, options);
  CHECK(all.history[all.best].loss > 0.4);  // the impossible target counts: half the weight, never met

  const Scenario loaded = load_scenario(scenario);
  options.holdout = read_holdout("2005-12-31", loaded.model.calendar);
  const CalibrationResult held = calibrate(scenario, options);
  REQUIRE(held.history.size() == all.history.size());
  for (const auto& evaluation : held.history) {
    CHECK(evaluation.loss == 0.0);
    // the held-out target is still judged, apart: never met, so its own loss is its share and its misses
    CHECK(evaluation.out_of_sample_loss == Approx(0.9 + 0.01));
    CHECK(evaluation.outcomes.back().hits == 0);
  }

  // a date before every weighted target leaves nothing to fit: an error naming --until, and the earliest end
  options.holdout = read_holdout("2000-06-30", loaded.model.calendar);
  const auto diagnostics = input_errors([&] { calibrate(scenario, options); });
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].file == "--until");
  CHECK(diagnostics[0].hint.find("2004-12-31") != std::string::npos);
}

TEST_CASE("the loss counts only the marked targets", "[holdout][calibration]") {
  std::vector<Target> targets(3);
  targets[2].weight = 2;
  const std::vector<TargetOutcome> outcomes = {{50, 100}, {100, 100}, {0, 100}};
  // the first alone: shortfall 0.4 and misses 0.5
  CHECK(calibration_loss(targets, outcomes, {1, 0, 0}) == Approx(0.4 + 0.01 * 0.5));
  // the last two: shortfalls 0 and 2 × 0.9, misses 0 and 2 × 1, over weight 3
  CHECK(calibration_loss(targets, outcomes, {0, 1, 1}) == Approx((1.8 + 0.01 * 2) / 3));
  CHECK(calibration_loss(targets, outcomes, {0, 0, 0}) == 0.0);
  CHECK(calibration_loss(targets, outcomes, {}) == calibration_loss(targets, outcomes, {1, 1, 1}));
}
