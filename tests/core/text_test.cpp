#include <catch2/catch.hpp>

#include "core/text.hpp"

using namespace tiesim;

TEST_CASE("integers are decimal as TOML writes them: no leading zeros, prefixes or fractions", "[text]") {
  CHECK(parse_decimal_integer("10") == 10);
  CHECK(parse_decimal_integer("0") == 0);
  CHECK(parse_decimal_integer("-7") == -7);
  CHECK(parse_decimal_integer("9223372036854775807") == 9223372036854775807LL);
  CHECK_FALSE(parse_decimal_integer("9223372036854775808"));  // beyond 64 bits
  // refused rather than read as octal 8 (as strtol with base 0 does) or as 10
  CHECK_FALSE(parse_decimal_integer("010"));
  CHECK_THAT(decimal_integer_problem("010"), Catch::Contains("leading zeros"));
  CHECK_THAT(decimal_integer_problem("0x10"), Catch::Contains("decimal"));
  CHECK_THAT(decimal_integer_problem("0b11"), Catch::Contains("decimal"));
  CHECK(decimal_integer_problem("2.5") == "not an integer");
  CHECK(decimal_integer_problem("1e3") == "not an integer");
  CHECK(decimal_integer_problem("ten") == "not a number");
  CHECK_FALSE(decimal_integer_problem("+5").empty());
  CHECK_FALSE(decimal_integer_problem(" 5").empty());
  CHECK_FALSE(decimal_integer_problem("").empty());
}

TEST_CASE("numbers are decimal as TOML writes them, and '.5' is taken", "[text]") {
  CHECK(parse_decimal("0.5") == 0.5);
  CHECK(parse_decimal(".5") == 0.5);
  CHECK(parse_decimal("-2") == -2.0);
  CHECK(parse_decimal("1e3") == 1000.0);
  CHECK(parse_decimal("2.5E-1") == 0.25);
  for (const char* text : {"010", "01.5", "0x1p3", "inf", "nan", "1e999", "1.", ".", "", "1e", "5 ", "1_000"}) {
    INFO(text);
    CHECK_FALSE(parse_decimal(text));
  }
}
