#pragma once
/// Calendar dates and the step calendar of a run.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tiesim {

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
struct Date {
  std::chrono::sys_days days{};

  static Date from_ymd(int year, unsigned month, unsigned day);
  /// Parses "YYYY-MM-DD"; nullopt when the text is not a valid date.
  static std::optional<Date> parse(std::string_view text);
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{days}; }
  /// "YYYY-MM-DD"
  std::string iso() const;

  auto operator<=>(const Date&) const = default;
};

/// Length of one step.
enum class StepUnit { day, week, month, quarter, year };

/// nullopt when the name is not a step unit.
std::optional<StepUnit> parse_step_unit(std::string_view name);
std::string_view step_unit_name(StepUnit unit);

/// Maps step numbers to dates: step k covers [date_of(k), date_of(k + 1)).
/// Negative steps are the spin-up before the start.
struct Calendar {
  Date start;
  Date end;                        // last date simulated, inclusive
  StepUnit unit = StepUnit::month;

  Date date_of(int step) const;
  /// Number of recorded steps: those whose first date is on or before `end`.
  int step_count() const;
  /// The step whose span contains `date` (may be negative or ≥ step_count()).
  int step_of(Date date) const;
  /// Steps per year, used to turn yearly rates into per-step rates.
  double steps_per_year() const;
};

}  // namespace tiesim
