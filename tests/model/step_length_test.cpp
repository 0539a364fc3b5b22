// Rates are given per month and converted by the step (Model::finalize(), docs/model.md "Step length"): the
// same world run weekly and monthly follows the same mean path.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "run/simulate.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::source_path;

namespace {

// the quantities compared: four tie levels, two actors' pressure, four affects
constexpr int quantity_count = 10;
using Quantities = std::array<double, quantity_count>;
enum Kind { tie, pressure, affect };
constexpr std::array<Kind, quantity_count> kinds{tie, tie, tie, tie, pressure, pressure, affect, affect, affect, affect};

/// Sums the quantities over replicates at the end of each quarter: after the step that ends nearest it.
class QuarterMeans : public Observer {
 public:
  explicit QuarterMeans(const Model& model) {
    for (int year = 2000; year <= 2005; ++year)
      for (unsigned month : {4u, 7u, 10u, 13u}) {
        const Date next = month == 13 ? Date::from_ymd(year + 1, 1, 1) : Date::from_ymd(year, month, 1);
        // the step that ends nearest the quarter's end: the one holding its last day, or the one before
        // when the quarter ends within half a step of its start
        const int holding = model.calendar.step_of(Date{next.days - std::chrono::days{1}});
        const auto late = model.calendar.date_of(holding + 1).days - next.days;
        const auto early = next.days - model.calendar.date_of(holding).days;
        steps.push_back(early < late ? holding - 1 : holding);
      }
    sums.assign(steps.size(), Quantities{});
  }
  void start(const Model&, const State&) override {}
  bool wants_terms(int) const override { return false; }
  void observe(const Model& model, const State& state, int step, const StepRecord&) override {
    for (std::size_t k = 0; k < steps.size(); ++k) {
      if (steps[k] != step) continue;
      const int mid = 0, big = 1, par = 2, embassy = 0, trade = 1;
      const Quantities values{static_cast<double>(state.level[model.tie_index(mid, par, trade)]),
                              static_cast<double>(state.level[model.tie_index(mid, big, trade)]),
                              static_cast<double>(state.level[model.tie_index(mid, par, embassy)]),
                              static_cast<double>(state.level[model.tie_index(par, mid, embassy)]),
                              state.pressure(mid), state.pressure(big),
                              state.affect(mid, par), state.affect(par, mid), state.affect(big, par), state.affect(mid, big)};
      for (int q = 0; q < quantity_count; ++q) sums[k][static_cast<std::size_t>(q)] += values[static_cast<std::size_t>(q)];
    }
  }
  std::vector<int> steps;
  std::vector<Quantities> sums;
};

std::vector<Quantities> mean_path(const Model& model, int replicates) {
  QuarterMeans means(model);
  for (int r = 0; r < replicates; ++r) simulate(model, 1000 + static_cast<std::uint64_t>(r), means);
  for (auto& sum : means.sums)
    for (double& value : sum) value /= replicates;
  return means.sums;
}

/// The largest difference of each kind of quantity between two mean paths, over every quarter; pressure's
/// relative to the first path's value where that is above 1.
std::array<double, 3> largest_gaps(const std::vector<Quantities>& a, const std::vector<Quantities>& b) {
  std::array<double, 3> gaps{};
  for (std::size_t k = 0; k < a.size(); ++k)
    for (int q = 0; q < quantity_count; ++q) {
      auto& gap = gaps[kinds[static_cast<std::size_t>(q)]];
      const double reference = a[k][static_cast<std::size_t>(q)];
      const double scale = kinds[static_cast<std::size_t>(q)] == pressure ? std::max(1.0, reference) : 1.0;
      gap = std::max(gap, std::abs(reference - b[k][static_cast<std::size_t>(q)]) / scale);
    }
  return gaps;
}

}  // namespace

TEST_CASE("a weekly step follows the monthly mean path: rates are per month, converted by the step", "[step][step_length]") {
  const std::filesystem::path file = source_path("tests/data/step_length.toml");
  const Model monthly = load_scenario(file).model;
  const Model weekly = load_scenario(file, {"scenario.step=\"week\""}).model;
  REQUIRE(monthly.spinup_steps == 36);
  REQUIRE(weekly.spinup_steps == 157);  // 36 months are 156.53 weeks, to the nearest week

  // the behaviour before the conversion: the weekly calendar with every rate applied per step as given (the
  // monthly values; this world has no half-life, random event or deadline, which were already converted)
  Model per_step = weekly;
  per_step.calendar.unit = StepUnit::month;
  per_step.finalize();
  per_step.calendar.unit = StepUnit::week;
  REQUIRE(per_step.review_draw[0].below() == monthly.review_draw[0].below());
  REQUIRE(weekly.review_draw[0].below() < monthly.review_draw[0].below());

  // 4000 replicates: the standard error of the gap between two mean tie levels is below 0.02, between two
  // mean affects about 0.005. Tolerances: a tie level 0.1, pressure a tenth of itself (or 0.1 below 1),
  // affect 0.03. Measured: tie 0.050, pressure 0.065, affect 0.0074 with the conversion; tie 1.41, pressure
  // 0.80, affect 0.87 without
  const int replicates = 4000;
  const auto month_path = mean_path(monthly, replicates);
  const auto week_path = mean_path(weekly, replicates);
  const auto old_path = mean_path(per_step, replicates);
  const auto converted = largest_gaps(month_path, week_path);
  const auto unconverted = largest_gaps(month_path, old_path);
  INFO("largest gaps to the monthly path, converted: tie " << converted[tie] << ", pressure " << converted[pressure]
                                                         << ", affect " << converted[affect]);
  INFO("per step as given: tie " << unconverted[tie] << ", pressure " << unconverted[pressure] << ", affect "
                                 << unconverted[affect]);
  CHECK(converted[tie] < 0.1);
  CHECK(converted[pressure] < 0.1);
  CHECK(converted[affect] < 0.03);
  // the same tolerances fail the rates applied per step
  CHECK(unconverted[tie] > 0.1);
  CHECK(unconverted[pressure] > 0.1);
  CHECK(unconverted[affect] > 0.03);
}
