#include <catch2/catch.hpp>

#include "core/date.hpp"

using tiesim::Calendar;
using tiesim::Date;
using tiesim::StepUnit;

TEST_CASE("dates parse strictly and print as ISO", "[date]") {
  REQUIRE(Date::parse("2016-03-02")->iso() == "2016-03-02");
  CHECK_FALSE(Date::parse("2017-02-30"));
  CHECK_FALSE(Date::parse("2016-3-2"));
  CHECK_FALSE(Date::parse("2016-13-01"));
  CHECK_FALSE(Date::parse("20160302xx"));
  CHECK(Date::parse("2016-02-29"));
  CHECK_FALSE(Date::parse("2015-02-29"));
}

TEST_CASE("a monthly calendar maps steps and dates both ways", "[date]") {
  Calendar calendar{*Date::parse("1973-07-01"), *Date::parse("2021-12-01"), StepUnit::month};
  CHECK(calendar.date_of(0).iso() == "1973-07-01");
  CHECK(calendar.date_of(6).iso() == "1974-01-01");
  CHECK(calendar.date_of(-12).iso() == "1972-07-01");
  CHECK(calendar.step_count() == (2021 - 1973) * 12 + 6);
  // an event dated mid-month belongs to the step that starts before it
  CHECK(calendar.step_of(*Date::parse("2017-02-13")) == calendar.step_of(*Date::parse("2017-02-01")));
  CHECK(calendar.step_of(*Date::parse("2017-02-28")) + 1 == calendar.step_of(*Date::parse("2017-03-01")));
  for (int k = -30; k < calendar.step_count(); ++k) REQUIRE(calendar.step_of(calendar.date_of(k)) == k);
}

TEST_CASE("month ends are clamped, not rolled over", "[date]") {
  Calendar calendar{*Date::parse("2000-01-31"), *Date::parse("2000-12-31"), StepUnit::month};
  CHECK(calendar.date_of(1).iso() == "2000-02-29");
  CHECK(calendar.date_of(2).iso() == "2000-03-31");
  for (int k = 0; k < 24; ++k) REQUIRE(calendar.date_of(k) < calendar.date_of(k + 1));
}

TEST_CASE("every step unit round-trips", "[date]") {
  for (auto unit : {StepUnit::day, StepUnit::week, StepUnit::month, StepUnit::quarter, StepUnit::year}) {
    Calendar calendar{*Date::parse("1999-12-31"), *Date::parse("2030-01-01"), unit};
    for (int k = -5; k < std::min(calendar.step_count(), 400); ++k) {
      INFO("unit " << tiesim::step_unit_name(unit) << " step " << k);
      REQUIRE(calendar.step_of(calendar.date_of(k)) == k);
    }
  }
}
