#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>

#include "output/csv.hpp"
#include "support.hpp"

using namespace tiesim;

TEST_CASE("numbers print as the shortest text that reads back exactly", "[csv]") {
  for (double value : {0.1, 1.0 / 3.0, -2.5e-300, 123456789.125, 1e22, 0.30000000000000004}) {
    const std::string text = format_number(value);
    double back = 0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    CHECK(back == value);
  }
  CHECK(format_number(0.5) == "0.5");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(3.0) == "3");
}

TEST_CASE("fields with commas, quotes or line breaks are quoted", "[csv]") {
  test::TempDir dir;
  {
    CsvFile file(dir / "x.csv");
    file.header("a,b,c");
    file.field("plain").field("with, comma").field("say \"hi\"").end_row();
    file.field(1).empty().field(2.5).end_row();
    file.close();
  }
  CHECK(test::read_text(dir / "x.csv") == "a,b,c\nplain,\"with, comma\",\"say \"\"hi\"\"\"\n1,,2.5\n");
}

TEST_CASE("a file that cannot be created is an OutputError", "[csv]") {
  test::TempDir dir;
  CHECK_THROWS_AS(CsvFile(dir / "missing" / "x.csv"), OutputError);
}

TEST_CASE("a full disk is reported, not ignored", "[csv]") {
  // /dev/full accepts the open and fails every write with ENOSPC
  if (!std::filesystem::exists("/dev/full")) return;
  CsvFile file("/dev/full");
  file.header("a");
  CHECK_THROWS_AS(file.close(), OutputError);
}
