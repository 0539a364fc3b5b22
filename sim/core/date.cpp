#include "core/date.hpp"

#include <charconv>
#include <cstdio>

namespace tiesim {

using namespace std::chrono;

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  return Date{sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}}};
}

std::optional<Date> Date::parse(std::string_view text) {
  // strict YYYY-MM-DD
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, value);
    if (ec != std::errc{} || ptr != text.data() + pos + len) return std::nullopt;
    return value;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *m < 1 || *d < 1) return std::nullopt;
  year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                     std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{sys_days{ymd}};
}

std::string Date::iso() const {
  auto date = ymd();
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::optional<StepUnit> parse_step_unit(std::string_view name) {
  if (name == "day") return StepUnit::day;
  if (name == "week") return StepUnit::week;
  if (name == "month") return StepUnit::month;
  if (name == "quarter") return StepUnit::quarter;
  if (name == "year") return StepUnit::year;
  return std::nullopt;
}

std::string_view step_unit_name(StepUnit unit) {
  switch (unit) {
    case StepUnit::day: return "day";
    case StepUnit::week: return "week";
    case StepUnit::month: return "month";
    case StepUnit::quarter: return "quarter";
    case StepUnit::year: return "year";
  }
  return "month";
}

namespace {
// adds whole months; a day past the end of the target month is clamped to its last day
Date add_months(Date date, int months) {
  auto ymd = date.ymd();
  auto shifted = year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  auto last = year_month_day_last{shifted.year(), month_day_last{shifted.month()}}.day();
  auto day = ymd.day() <= last ? ymd.day() : last;
  return Date{sys_days{shifted / day}};
}
}  // namespace

Date Calendar::date_of(int step) const {
  switch (unit) {
    case StepUnit::day: return Date{start.days + std::chrono::days{step}};
    case StepUnit::week: return Date{start.days + std::chrono::days{7 * step}};
    case StepUnit::month: return add_months(start, step);
    case StepUnit::quarter: return add_months(start, 3 * step);
    case StepUnit::year: return add_months(start, 12 * step);
  }
  return start;
}

int Calendar::step_of(Date date) const {
  // estimate from the mean step length, then correct; exact for every unit
  double mean_days = 365.2425 / steps_per_year();
  int step = static_cast<int>(static_cast<double>((date.days - start.days).count()) / mean_days);
  while (date_of(step) > date) --step;
  while (date_of(step + 1) <= date) ++step;
  return step;
}

int Calendar::step_count() const { return end < start ? 0 : step_of(end) + 1; }

double Calendar::steps_per_year() const {
  switch (unit) {
    case StepUnit::day: return 365.2425;
    case StepUnit::week: return 365.2425 / 7.0;
    case StepUnit::month: return 12.0;
    case StepUnit::quarter: return 4.0;
    case StepUnit::year: return 1.0;
  }
  return 12.0;
}

}  // namespace tiesim
