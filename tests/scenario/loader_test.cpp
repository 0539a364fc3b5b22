// Checks of scenario files → Model: every bad value is an InputError naming file, line, column, what was
// expected and, where one fits, a suggestion. Scenarios are small inline texts written to a temp dir.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "scenario/diagnostic_checks.hpp"
#include "scenario/reader.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"
#include "scenario/loader.hpp"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using tiesim::Diagnostic;
using tiesim::test::error_containing;
using tiesim::test::errors_of;
using tiesim::test::locate;
using tiesim::test::Place;
using tiesim::test::single_error;
using tiesim::test::TempDir;



// A complete, valid scenario; error cases append to it or change one line of it.
const std::string valid = R"toml([scenario]
name = "inline"
start = 2000-01-01
end = 2001-12-01
step = "month"

[model]
balance = 0.1

[actors.MYS]
name = "Malaysia"
size = 1.0
compliance = 0.5

[actors.PRK]
size = 0.5

[actors.USA]
size = 10

[channels.trade]
kind = "mutual"
levels = ["none", "small", "large"]

[channels.embassy]
kind = "directed"
levels = ["none", "charge", "ambassador"]

[regimes.unsc]
kind = "sanctions"
members = "*"
targets = "PRK"
caps = { trade = "small" }
)toml";

/// `valid` with `from` (which must occur once) replaced by `to`.
std::string replaced(const std::string& from, const std::string& to) {
  std::string text = valid;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

int actor_index(const tiesim::Model& model, const std::string& id) {
  for (int k = 0; k < model.actor_count(); ++k)
    if (model.actors[static_cast<std::size_t>(k)].id == id) return k;
  FAIL("no actor " << id);
  return -1;
}

}  // namespace

// ---- the valid scenario itself -------------------------------------------------------------------------

TEST_CASE("loader: the inline base scenario loads with every value in place", "[scenario][loader]") {
  TempDir dir;
  const auto file = dir.write("valid.toml", valid + R"toml(
[[ties]]
from = "*"
to = "*"
channel = "embassy"
level = "ambassador"

[[ties]]
from = "MYS"
to = "PRK"
channel = "trade"
level = 2
)toml");
  const auto scenario = tiesim::load_scenario(file);
  const auto& model = scenario.model;
  CHECK(model.name == "inline");
  CHECK(model.actor_count() == 3);
  CHECK(model.channel_count() == 2);
  CHECK(model.calendar.step_count() == 24);
  CHECK(model.actors[0].id == "MYS");
  CHECK(model.actors[0].name == "Malaysia");
  CHECK(model.actors[0].weights.compliance == Approx(0.5));
  CHECK(model.parameters.balance == Approx(0.1));
  REQUIRE(model.regimes.size() == 1);
  CHECK(model.regimes[0].targets == std::vector<int>{1});
  CHECK(model.regimes[0].members == std::vector<int>{0, 2});  // "*" never binds the target itself
  CHECK(model.regimes[0].caps[0] == 1);                        // trade capped at "small"
  const int mys = actor_index(model, "MYS"), prk = actor_index(model, "PRK");
  CHECK(model.initial_levels[model.tie_index(mys, mys, 1)] == 0);  // never tied to itself
  CHECK(model.initial_levels[model.tie_index(mys, prk, 1)] == 2);
  CHECK(model.initial_levels[model.tie_index(mys, prk, 0)] == 2);
  CHECK(model.initial_levels[model.tie_index(prk, mys, 0)] == 2);  // a mutual level is shared
}

// ---- TOML syntax -----------------------------------------------------------------------------------------

TEST_CASE("loader: a TOML syntax error names file, line and column", "[scenario][loader]") {
  TempDir dir;
  SECTION("a bare word where a string is expected") {
    const std::string text = replaced("kind = \"mutual\"", "kind = mutual");
    const auto file = dir.write("bare.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "mutual"));
    CHECK_THAT(error.message, StartsWith("TOML syntax error"));
  }
  SECTION("a key without a value") {
    const std::string text = valid + "\n[actors.KOR]\nsize =\n";
    const auto file = dir.write("novalue.toml", text);
    const auto error = single_error(file);
    const auto key = locate(text, "size =\n");
    CHECK_AT(error, file, (Place{key.line, 7}));
    CHECK_THAT(error.message, Contains("TOML syntax error") && Contains("expected value"));
  }
  SECTION("a key given twice") {
    const std::string text = replaced("size = 0.5\n", "size = 0.5\nsize = 0.6\n");
    const auto file = dir.write("twice.toml", text);
    const auto error = single_error(file);
    CHECK(error.file == file.string());
    CHECK(error.line == locate(text, "size = 0.6").line);
    CHECK(error.column > 0);
    CHECK_THAT(error.message, Contains("TOML syntax error") && Contains("redefine") && Contains("size"));
  }
  SECTION("an impossible date (February 30th)") {
    const std::string text = replaced("start = 2000-01-01", "start = 2017-02-30");
    const auto file = dir.write("feb30.toml", text);
    const auto error = single_error(file);
    CHECK(error.file == file.string());
    CHECK(error.line == locate(text, "start").line);
    CHECK(error.column >= locate(text, "2017").column);
    CHECK_THAT(error.message, Contains("TOML syntax error") && Contains("day"));
  }
  SECTION("an impossible date written as a string") {
    const std::string text = replaced("start = 2000-01-01", "start = \"2017-02-30\"");
    const auto file = dir.write("feb30s.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"2017-02-30\""));
    CHECK_THAT(error.message, Contains("scenario.start") && Contains("expected a date") && Contains("2017-02-30"));
  }
}

TEST_CASE("loader: arrays nested 10000 deep are refused as a syntax error", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[plot]\ndeep = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  const auto file = dir.write("deep.toml", text);
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == locate(text, "deep =").line);
  CHECK(error.column > 8);
  CHECK_THAT(error.message, Contains("nested deeper than"));
}

// ---- unknown keys ------------------------------------------------------------------------------------------

TEST_CASE("loader: an unknown key is located and gets a did-you-mean", "[scenario][loader]") {
  TempDir dir;
  SECTION("at the top level") {
    const std::string text = replaced("[model]", "[modle]");
    const auto file = dir.write("top.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "modle"));
    CHECK_THAT(error.message, Contains("unknown key 'modle'"));
    CHECK(error.hint == "did you mean 'model'?");
  }
  SECTION("in an actor") {
    const std::string text = replaced("compliance = 0.5", "complience = 0.5");
    const auto file = dir.write("actor.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "complience"));
    CHECK_THAT(error.message, Contains("unknown key 'actors.MYS.complience'"));
    CHECK(error.hint == "did you mean 'compliance'?");
  }
  SECTION("in a channel") {
    const std::string channel = valid + "\n[channels.visa]\nkind = \"directed\"\nlevels = [\"no\", \"yes\"]\nvisibilty = 0.3\n";
    const auto file = dir.write("channel.toml", channel);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(channel, "visibilty"));
    CHECK_THAT(error.message, Contains("unknown key 'channels.visa.visibilty'"));
    CHECK(error.hint == "did you mean 'visibility'?");
  }
  SECTION("in an event") {
    const std::string text = valid + R"toml(
[events.test]
date = 2000-06-01
kind = "provocation"
actor = "PRK"
goldstein = -8
intensty = 2
)toml";
    const auto file = dir.write("event.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "intensty"));
    CHECK_THAT(error.message, Contains("unknown key 'events.test.intensty'"));
    CHECK(error.hint == "did you mean 'intensity'?");
  }
  SECTION("in a regime") {
    const std::string text = replaced("members = \"*\"", "members = \"*\"\nenforcment = 0.5");
    const auto file = dir.write("regime.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "enforcment"));
    CHECK_THAT(error.message, Contains("unknown key 'regimes.unsc.enforcment'"));
    CHECK(error.hint == "did you mean 'enforcement'?");
  }
}

// ---- types, ranges, non-finite numbers --------------------------------------------------------------------

TEST_CASE("loader: a value of the wrong type names the expected and the given type", "[scenario][loader]") {
  TempDir dir;
  SECTION("a string for a number") {
    const std::string text = replaced("size = 10", "size = \"big\"");
    const auto file = dir.write("type.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"big\""));
    CHECK_THAT(error.message, Contains("actors.USA.size") && Contains("expected a number") && Contains("got a string"));
  }
  SECTION("a string for a boolean") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"USA\"\nchannel = \"embassy\"\nlevel = 1\nboth_ways = \"yes\"\n";
    const auto file = dir.write("bool.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"yes\""));
    CHECK_THAT(error.message, Contains("ties.both_ways") && Contains("true or false") && Contains("got a string"));
  }
  SECTION("an integer for a date") {
    const std::string text = replaced("end = 2001-12-01", "end = 2001");
    const auto file = dir.write("date.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2001\n"));
    CHECK_THAT(error.message, Contains("scenario.end") && Contains("expected a date") && Contains("an integer"));
  }
  SECTION("a number for a list of level names") {
    const std::string text = replaced("levels = [\"none\", \"small\", \"large\"]", "levels = 3");
    const auto file = dir.write("levels.toml", text);
    const auto errors = errors_of(file);
    const auto error = error_containing(errors, "channels.trade.levels");
    CHECK_AT(error, file, locate(text, "3\n"));
    CHECK_THAT(error.message, Contains("a string or a list of strings") && Contains("an integer"));
  }
}

TEST_CASE("loader: a value out of range names the range", "[scenario][loader]") {
  TempDir dir;
  SECTION("an actor's anchoring above 1") {
    const std::string text = replaced("compliance = 0.5", "compliance = 0.5\nanchoring = 1.5");
    const auto file = dir.write("anchoring.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "1.5"));
    CHECK_THAT(error.message, Contains("actors.MYS.anchoring") && Contains("from 0 to 1") && Contains("got 1.5"));
  }
  SECTION("a negative weight") {
    const std::string text = replaced("compliance = 0.5", "compliance = -0.5");
    const auto file = dir.write("negative.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-0.5"));
    CHECK_THAT(error.message, Contains("actors.MYS.compliance") && Contains("expected a number from 0 to") && Contains("got -0.5"));
  }
  SECTION("a global parameter") {
    const std::string text = replaced("balance = 0.1", "balance = 2");
    const auto file = dir.write("balance.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2\n"));
    CHECK_THAT(error.message, Contains("model.balance") && Contains("from 0 to 1") && Contains("got 2"));
  }
  SECTION("an integer key") {
    const std::string text = replaced("step = \"month\"", "step = \"day\"\nspinup_steps = 10000000");
    const auto file = dir.write("spinup.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "10000000"));
    CHECK_THAT(error.message, Contains("scenario.spinup_steps") && Contains("an integer from 0 to 100000") && Contains("got 10000000"));
  }
  SECTION("a channel ladder of 100000 levels") {
    std::string levels = "levels = [";
    for (int k = 0; k < 100000; ++k) levels += "\"l" + std::to_string(k) + "\", ";
    levels += "]";
    const std::string text = replaced("levels = [\"none\", \"charge\", \"ambassador\"]", levels);
    const auto file = dir.write("ladder.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[\"l0\""));
    CHECK_THAT(error.message, Contains("channels.embassy.levels") && Contains("2 to 256 levels") && Contains("got 100000"));
  }
  SECTION("a run of 10 million days is too long") {
    const std::string text = replaced("start = 2000-01-01\nend = 2001-12-01\nstep = \"month\"",
                                      "start = 0001-01-01\nend = 9999-12-31\nstep = \"day\"");
    const auto file = dir.write("long.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "9999-12-31"));
    CHECK_THAT(error.message, Contains("scenario.end") && Contains("steps; at most 100000"));
  }
}

TEST_CASE("loader: open ranges are described as open", "[scenario][loader]") {
  // benefit_curvature is in (0, 1]: 0 is refused, so the message must not say "from 0 to 1"
  TempDir dir;
  const std::string text = replaced("balance = 0.1", "balance = 0.1\nbenefit_curvature = 0");
  const auto file = dir.write("open.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "0\n", text.find("benefit_curvature")));
  CHECK_THAT(error.message, Contains("model.benefit_curvature") && Contains("got 0"));
  CHECK_THAT(error.message, !Contains("from 0 to 1") && Contains("> 0") && Contains("≤ 1"));
}

TEST_CASE("loader: NaN and infinity are refused where a number is read", "[scenario][loader]") {
  TempDir dir;
  SECTION("nan") {
    const std::string text = replaced("size = 10", "size = nan");
    const auto file = dir.write("nan.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "nan"));
    CHECK_THAT(error.message, Contains("actors.USA.size") && Contains("got nan", Catch::CaseSensitive::No));
  }
  SECTION("inf") {
    const std::string text = replaced("size = 10", "size = 10\nprecision = inf");
    const auto file = dir.write("inf.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "inf"));
    CHECK_THAT(error.message, Contains("actors.USA.precision") && Contains("from 0 to 1000") && Contains("got inf", Catch::CaseSensitive::No));
  }
  SECTION("-inf in an unbounded key") {
    const std::string text = valid + "\n[[affect]]\nfrom = \"MYS\"\nto = \"PRK\"\nvalue = -inf\n";
    const auto file = dir.write("neginf.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-inf"));
    CHECK_THAT(error.message, Contains("affect.value") && Contains("from -1 to 1") && Contains("got -inf", Catch::CaseSensitive::No));
  }
  SECTION("nan in a channel's values") {
    const std::string text = replaced("levels = [\"none\", \"small\", \"large\"]",
                                      "levels = [\"none\", \"small\", \"large\"]\nvalues = [0, nan, 100]");
    const auto file = dir.write("values.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[0, nan"));
    CHECK_THAT(error.message, Contains("channels.trade.values") && Contains("3 finite numbers"));
  }
}

// ---- references --------------------------------------------------------------------------------------------

TEST_CASE("loader: an unknown actor id is located and gets a suggestion", "[scenario][loader]") {
  TempDir dir;
  SECTION("in ties") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRKK\"\nchannel = \"trade\"\nlevel = 1\n";
    const auto file = dir.write("ties.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"PRKK\""));
    CHECK_THAT(error.message, Contains("ties.to") && Contains("unknown actor 'PRKK'"));
    CHECK(error.hint == "did you mean 'PRK'?");
  }
  SECTION("in affect") {
    const std::string text = valid + "\n[[affect]]\nfrom = [\"MYS\", \"USAA\"]\nto = \"PRK\"\nvalue = 0.5\n";
    const auto file = dir.write("affect.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"USAA\"]"));  // the unknown id itself
    CHECK_THAT(error.message, Contains("affect.from") && Contains("unknown actor 'USAA'"));
    CHECK(error.hint == "did you mean 'USA'?");
  }
  SECTION("in a regime") {
    const std::string text = replaced("targets = \"PRK\"", "targets = \"PKR\"");
    const auto file = dir.write("regime.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"PKR\""));
    CHECK_THAT(error.message, Contains("regimes.unsc.targets") && Contains("unknown actor 'PKR'"));
    CHECK(error.hint == "did you mean 'PRK'?");
  }
  SECTION("in an event") {
    const std::string text = valid + "\n[events.test]\ndate = 2000-06-01\nkind = \"provocation\"\nactor = \"PRKorea\"\ngoldstein = -8\n";
    const auto file = dir.write("event.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"PRKorea\""));
    CHECK_THAT(error.message, Contains("events.test.actor") && Contains("unknown actor 'PRKorea'"));
    CHECK_THAT(error.hint, Contains("expected one of") || Contains("did you mean"));
  }
  SECTION("in an event, close to an id") {
    const std::string text = valid + "\n[events.test]\ndate = 2000-06-01\nkind = \"incident\"\nactor = \"PRK\"\npartner = \"MSY\"\ngoldstein = -8\n";
    const auto file = dir.write("partner.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"MSY\""));
    CHECK_THAT(error.message, Contains("events.test.partner") && Contains("unknown actor 'MSY'"));
    CHECK(error.hint == "did you mean 'MYS'?");
  }
}

TEST_CASE("loader: an unknown channel, regime or level is located and gets a suggestion", "[scenario][loader]") {
  TempDir dir;
  SECTION("a channel in ties") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trad\"\nlevel = 1\n";
    const auto file = dir.write("channel.toml", text);
    const auto error = error_containing(errors_of(file), "unknown channel");
    CHECK_AT(error, file, locate(text, "\"trad\""));
    CHECK_THAT(error.message, Contains("ties.channel") && Contains("unknown channel 'trad'"));
    CHECK(error.hint == "did you mean 'trade'?");
  }
  SECTION("a channel in an agreement") {
    const std::string text = valid + R"toml(
[events.deal]
date = 2000-06-01
kind = "agreement"
actor = "MYS"
partner = "USA"
channel = "embasy"
)toml";
    const auto file = dir.write("agreement.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"embasy\""));
    CHECK_THAT(error.message, Contains("events.deal.channel") && Contains("unknown channel 'embasy'"));
    CHECK(error.hint == "did you mean 'embassy'?");
  }
  SECTION("a regime in a resolution") {
    const std::string text = valid + "\n[events.res]\ndate = 2000-06-01\nkind = \"resolution\"\nregime = \"unsk\"\n";
    const auto file = dir.write("regime.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"unsk\""));
    CHECK_THAT(error.message, Contains("events.res.regime") && Contains("unknown regime 'unsk'"));
    CHECK(error.hint == "did you mean 'unsc'?");
  }
  SECTION("a level name not on the ladder") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nlevel = \"larg\"\n";
    const auto file = dir.write("levelname.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"larg\""));
    CHECK_THAT(error.message, Contains("ties.level") && Contains("'larg' is not a level of channel 'trade'") && Contains("0 to 2"));
    CHECK(error.hint == "did you mean 'large'?");
  }
  SECTION("a level number beyond the ladder") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nlevel = 3\n";
    const auto file = dir.write("levelnumber.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "3\n", text.find("level = 3")));
    CHECK_THAT(error.message, Contains("ties.level") && Contains("0 to 2") && Contains("got 3"));
  }
  SECTION("a negative level number") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"embassy\"\nlevel = -1\n";
    const auto file = dir.write("levelnegative.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-1", text.find("level = -1")));
    CHECK_THAT(error.message, Contains("channel 'embassy'") && Contains("got -1"));
  }
  SECTION("a level name in a regime's caps") {
    const std::string text = replaced("caps = { trade = \"small\" }", "caps = { trade = \"smal\" }");
    const auto file = dir.write("caplevel.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"smal\""));
    CHECK_THAT(error.message, Contains("regimes.unsc.caps.trade") && Contains("'smal' is not a level"));
    CHECK(error.hint == "did you mean 'small'?");
  }
}

TEST_CASE("loader: an unknown channel in a regime's caps gets a suggestion", "[scenario][loader]") {
  TempDir dir;
  const std::string text = replaced("caps = { trade = \"small\" }", "caps = { trad = \"small\" }");
  const auto file = dir.write("capchannel.toml", text);
  const auto error = single_error(file);
  INFO(error.format());
  CHECK(error.file == file.string());
  CHECK(error.line == locate(text, "trad =").line);
  // the channel's name (the key) or its cap (the value)
  CHECK((error.column == locate(text, "trad =").column || error.column == locate(text, "\"small\" }").column));
  CHECK_THAT(error.message, Contains("regimes.unsc.caps") && Contains("unknown channel 'trad'"));
  CHECK(error.hint == "did you mean 'trade'?");
}

TEST_CASE("loader: an unknown channel in ties is the only error reported", "[scenario][loader]") {
  // `level` is present; it must not also be reported as an unknown key
  TempDir dir;
  const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trad\"\nlevel = 1\n";
  const auto file = dir.write("channel.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "\"trad\""));
  CHECK_THAT(error.message, Contains("unknown channel 'trad'"));
}

TEST_CASE("loader: an id listed twice in a list is an error", "[scenario][loader]") {
  TempDir dir;
  SECTION("in ties") {
    const std::string text = valid + "\n[[ties]]\nfrom = [\"MYS\", \"USA\", \"MYS\"]\nto = \"PRK\"\nchannel = \"trade\"\nlevel = 1\n";
    const auto file = dir.write("twice.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"MYS\"]"));  // the second listing
    CHECK_THAT(error.message, Contains("ties.from") && Contains("actor 'MYS' is listed twice"));
  }
  SECTION("a level name twice on a ladder") {
    const std::string text = replaced("levels = [\"none\", \"small\", \"large\"]", "levels = [\"none\", \"small\", \"small\"]");
    const auto file = dir.write("levels.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[\"none\", \"small\", \"small\"]"));
    CHECK_THAT(error.message, Contains("channels.trade.levels") && Contains("'small' appears twice"));
  }
}

TEST_CASE("loader: an id with invalid characters is refused", "[scenario][loader]") {
  TempDir dir;
  SECTION("a space") {
    const std::string text = valid + "\n[actors.\"KO R\"]\nsize = 1\n";
    const auto file = dir.write("space.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[actors.\"KO R\"]"));
    CHECK_THAT(error.message, Contains("actors.KO R") && Contains("1 to 64 letters, digits, '_' or '-'"));
    CHECK_THAT(error.hint, Contains("--set"));
  }
  SECTION("a dot inside a quoted key") {
    const std::string text = valid + "\n[channels.\"air.links\"]\nkind = \"mutual\"\nlevels = [\"no\", \"yes\"]\n";
    const auto file = dir.write("dot.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[channels.\"air.links\"]"));
    CHECK_THAT(error.message, Contains("channels.air.links") && Contains("an id must be"));
  }
  SECTION("65 characters") {
    const std::string id(65, 'X');
    const std::string text = valid + "\n[events." + id + "]\ndate = 2000-06-01\nkind = \"provocation\"\nactor = \"PRK\"\ngoldstein = -8\n";
    const auto file = dir.write("long.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[events.XXX"));
    CHECK_THAT(error.message, Contains("events." + id.substr(0, 64) + "… (65 characters)") && Contains("1 to 64"));
  }
}

// ---- dates -------------------------------------------------------------------------------------------------

TEST_CASE("loader: dates are checked against the run", "[scenario][loader]") {
  TempDir dir;
  SECTION("an event after the end of the run") {
    const std::string text = valid + "\n[events.late]\ndate = 2005-01-01\nkind = \"provocation\"\nactor = \"PRK\"\ngoldstein = -8\n";
    const auto file = dir.write("late.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2005-01-01"));
    CHECK_THAT(error.message, Contains("events.late.date") && Contains("2005-01-01 is outside the run (2000-01-01 to 2001-12-01)"));
    CHECK_THAT(error.hint, Contains("scenario.start"));
  }
  SECTION("an event before the start of the run, as a string date") {
    const std::string text = valid + "\n[events.early]\ndate = \"1999-12-31\"\nkind = \"provocation\"\nactor = \"PRK\"\ngoldstein = -8\n";
    const auto file = dir.write("early.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"1999-12-31\""));
    CHECK_THAT(error.message, Contains("1999-12-31 is outside the run"));
  }
  SECTION("a report due before its resolution") {
    const std::string text = valid + R"toml(
[events.res]
date = 2001-03-01
kind = "resolution"
regime = "unsc"
report_due = 2001-01-01
)toml";
    const auto file = dir.write("report.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2001-01-01"));
    CHECK_THAT(error.message, Contains("events.res.report_due") && Contains("before the resolution"));
  }
  SECTION("a role ending before it starts") {
    const std::string text = valid + R"toml(
[events.chair]
date = 2001-03-01
kind = "role"
actor = "MYS"
until = 2000-03-01
compliance = 0.2
)toml";
    const auto file = dir.write("until.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2000-03-01"));
    CHECK_THAT(error.message, Contains("events.chair.until") && Contains("before it starts"));
  }
  SECTION("the run ends before it starts") {
    const std::string text = replaced("end = 2001-12-01", "end = 1999-12-01");
    const auto file = dir.write("end.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "1999-12-01"));
    CHECK_THAT(error.message, Contains("scenario.end") && Contains("ends (1999-12-01) before it starts (2000-01-01)"));
  }
  SECTION("an unknown step unit") {
    const std::string text = replaced("step = \"month\"", "step = \"mnth\"");
    const auto file = dir.write("step.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"mnth\""));
    CHECK_THAT(error.message, Contains("scenario.step") && Contains("unknown step 'mnth'"));
    CHECK(error.hint == "did you mean 'month'?");
  }
}

TEST_CASE("loader: a role without `until` is an error at the event", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[events.chair]\ndate = 2000-03-01\nkind = \"role\"\nactor = \"MYS\"\ncompliance = 0.2\n";
  const auto file = dir.write("role.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "[events.chair]"));
  CHECK_THAT(error.message, Contains("events.chair") && Contains("missing required key 'until'"));
}

/// A role of MYS (compliance 0.5 in `valid`) from `date` to `until` that adds `compliance`.
std::string role(const std::string& id, const std::string& date, const std::string& until, const std::string& compliance) {
  return "\n[events." + id + "]\ndate = " + date + "\nkind = \"role\"\nactor = \"MYS\"\nuntil = " + until +
         "\ncompliance = " + compliance + "\n";
}

/// Where `needle` is in the table [events.`id`] of `text`.
Place in_event(const std::string& text, const std::string& id, const std::string& needle) {
  const auto table = text.find("[events." + id + "]");
  REQUIRE(table != std::string::npos);
  return locate(text, needle, table);
}

TEST_CASE("loader: roles in effect together must keep every weight at or above 0", "[scenario][loader][roles]") {
  TempDir dir;
  // each role alone leaves MYS's compliance (0.5) at or above 0; the error is at the role that, beginning
  // last, takes it below, with the date, the value and every role in effect
  SECTION("two roles that overlap") {
    const std::string text =
        valid + role("a", "2000-03-01", "2000-08-01", "-0.25") + role("b", "2000-06-01", "2000-12-01", "-0.5");
    const auto file = dir.write("two.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, in_event(text, "b", "-0.5"));
    CHECK_THAT(error.message, StartsWith("events.b.compliance: ") && Contains("roles 'a' and 'b' of MYS") &&
                                  Contains("from 2000-06-01") && Contains("compliance weight to -0.25") &&
                                  Contains("base 0.5, 'a' -0.25, 'b' -0.5"));
    CHECK_THAT(error.hint, Contains("until"));
  }
  SECTION("three roles, of which only all three together go below 0") {
    const std::string text = valid + role("a", "2000-02-01", "2000-10-01", "-0.25") +
                             role("b", "2000-03-01", "2000-09-01", "-0.25") + role("c", "2000-05-01", "2000-06-01", "-0.25");
    const auto file = dir.write("three.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, in_event(text, "c", "-0.25"));
    CHECK_THAT(error.message, Contains("roles 'a', 'b' and 'c' of MYS") && Contains("from 2000-05-01") &&
                                  Contains("compliance weight to -0.25"));
  }
  SECTION("two roles that touch in one step: the first's last date is the second's first") {
    const std::string text =
        valid + role("a", "2000-03-01", "2000-06-01", "-0.25") + role("b", "2000-06-01", "2000-09-01", "-0.5");
    const auto file = dir.write("touch.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, in_event(text, "b", "-0.5"));
    CHECK_THAT(error.message, Contains("roles 'a' and 'b' of MYS") && Contains("from 2000-06-01"));
  }
  SECTION("two roles left in effect when a third that held the weight up ends") {
    const std::string text = valid + role("up", "2000-02-01", "2000-05-01", "1") +
                             role("a", "2000-03-01", "2000-08-01", "-0.5") + role("b", "2000-04-01", "2000-08-01", "-0.25");
    const auto file = dir.write("ends.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, in_event(text, "b", "-0.25"));
    CHECK_THAT(error.message, Contains("when role 'up' ends") && Contains("roles 'a' and 'b' of MYS") &&
                                  Contains("from 2000-06-01") && Contains("compliance weight to -0.25"));
  }
  SECTION("a role that alone goes below 0 is reported once, not again for each overlap") {
    const std::string text =
        valid + role("a", "2000-03-01", "2000-08-01", "-0.25") + role("b", "2000-06-01", "2000-12-01", "-0.75");
    const auto file = dir.write("alone.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, in_event(text, "b", "-0.75"));
    CHECK_THAT(error.message, Contains("would make the actor's weight negative"));
  }
}

TEST_CASE("loader: roles that never overlap may each take a weight to 0", "[scenario][loader][roles]") {
  TempDir dir;
  SECTION("a pair, one after the other") {
    const auto file = dir.write("apart.toml", valid + role("a", "2000-03-01", "2000-05-01", "-0.5") +
                                                  role("b", "2000-06-01", "2000-09-01", "-0.5"));
    const auto model = tiesim::load_scenario(file).model;
    REQUIRE(model.events.size() == 2);
    CHECK(model.events[1].weight_change.compliance == -0.5);
  }
  SECTION("three that overlap in pairs, never all three") {
    const auto file = dir.write("pairs.toml", valid + role("a", "2000-02-01", "2000-05-01", "-0.25") +
                                                  role("b", "2000-04-01", "2000-07-01", "-0.25") +
                                                  role("c", "2000-06-01", "2000-09-01", "-0.25"));
    CHECK(tiesim::load_scenario(file).model.events.size() == 3);
  }
  SECTION("a role of another actor does not count") {
    std::string other = role("b", "2000-06-01", "2000-12-01", "-0.5");
    other.replace(other.find("\"MYS\""), 5, "\"USA\"");
    other.replace(other.find("compliance"), 10, "benefit");
    const auto file = dir.write("other.toml", valid + role("a", "2000-03-01", "2000-08-01", "-0.5") + other);
    CHECK(tiesim::load_scenario(file).model.events.size() == 2);
  }
}

TEST_CASE("loader: both_ways on a mutual channel is an error", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nlevel = 1\nboth_ways = true\n";
  const auto file = dir.write("both.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "true"));
  CHECK_THAT(error.message, Contains("ties.both_ways") && Contains("'trade' is mutual"));
  CHECK_THAT(error.hint, Contains("directed channels only"));
}

TEST_CASE("loader: both_ways on a directed channel sets both directions", "[scenario][loader]") {
  TempDir dir;
  const auto file = dir.write("both.toml", valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"embassy\"\nlevel = \"charge\"\nboth_ways = true\n"
                                                   "\n[[ties]]\nfrom = \"MYS\"\nto = \"USA\"\nchannel = \"embassy\"\nlevel = 2\n");
  const auto model = tiesim::load_scenario(file).model;
  const int mys = actor_index(model, "MYS"), prk = actor_index(model, "PRK"), usa = actor_index(model, "USA");
  CHECK(model.initial_levels[model.tie_index(mys, prk, 1)] == 1);
  CHECK(model.initial_levels[model.tie_index(prk, mys, 1)] == 1);
  CHECK(model.initial_levels[model.tie_index(mys, usa, 1)] == 2);
  CHECK(model.initial_levels[model.tie_index(usa, mys, 1)] == 0);  // directed, not both ways
}

// ---- missing required keys ----------------------------------------------------------------------------------

TEST_CASE("loader: a missing required key is reported at its table", "[scenario][loader]") {
  TempDir dir;
  SECTION("scenario.start") {
    const std::string text = replaced("start = 2000-01-01\n", "");
    const auto file = dir.write("start.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[scenario]"));
    CHECK_THAT(error.message, Contains("scenario: missing required key 'start'") && Contains("a date"));
  }
  SECTION("an actor's size") {
    const std::string text = replaced("size = 10\n", "name = \"United States\"\n");
    const auto file = dir.write("size.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "[actors.USA]"));
    CHECK_THAT(error.message, Contains("actors.USA: missing required key 'size'"));
  }
  SECTION("a channel's kind and levels") {
    const std::string text = valid + "\n[channels.visa]\nname = \"Visa waiver\"\n";
    const auto file = dir.write("channel.toml", text);
    const auto errors = errors_of(file);
    CHECK(errors.size() == 2);
    const auto kind = error_containing(errors, "missing required key 'kind'");
    const auto levels = error_containing(errors, "missing required key 'levels'");
    CHECK_AT(kind, file, locate(text, "[channels.visa]"));
    CHECK_AT(levels, file, locate(text, "[channels.visa]"));
    CHECK_THAT(kind.message, Contains("channels.visa"));
  }
  SECTION("an event's kind") {
    const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nactor = \"PRK\"\n";
    const auto file = dir.write("eventkind.toml", text);
    const auto error = error_containing(errors_of(file), "missing required key 'kind'");
    CHECK_AT(error, file, locate(text, "[events.e]"));
  }
}

TEST_CASE("loader: missing top-level tables are reported", "[scenario][loader]") {
  TempDir dir;
  SECTION("[scenario]") {
    const std::string text = valid.substr(valid.find("[model]"));
    const auto file = dir.write("noscenario.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("missing required key 'scenario'"));
  }
  SECTION("actors") {
    std::string text = valid;
    text.erase(text.find("[actors.MYS]"), text.find("[channels.trade]") - text.find("[actors.MYS]"));
    text.erase(text.find("[regimes.unsc]"));
    const auto file = dir.write("noactors.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("missing required key 'actors'"));
  }
  SECTION("channels") {
    std::string text = valid;
    text.erase(text.find("[channels.trade]"));
    const auto file = dir.write("nochannels.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("missing required key 'channels'"));
  }
}

TEST_CASE("loader: missing top-level tables are located in the scenario file", "[scenario][loader]") {
  // the merged root table is built fresh in document.cpp and has no source, so these come out as "<input>"
  TempDir dir;
  const std::string text = valid.substr(valid.find("[model]"));
  const auto file = dir.write("noscenario.toml", text);
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == 1);
  CHECK(error.column == 1);
  CHECK_THAT(error.format(), StartsWith(file.string() + ":1:1: error:"));
}

// ---- events ---------------------------------------------------------------------------------------------

TEST_CASE("loader: an event of an unknown kind gets a suggestion", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nkind = \"provokation\"\nactor = \"PRK\"\ngoldstein = -8\n";
  const auto file = dir.write("kind.toml", text);
  const auto error = error_containing(errors_of(file), "unknown event kind");
  CHECK_AT(error, file, locate(text, "\"provokation\""));
  CHECK_THAT(error.message, Contains("events.e.kind") && Contains("'provokation'"));
  CHECK(error.hint == "did you mean 'provocation'?");
}

TEST_CASE("loader: an event of an unknown or missing kind is the only error reported", "[scenario][loader]") {
  // the keys of the intended kind are then reported as unknown too: noise that hides the real mistake
  TempDir dir;
  SECTION("an unknown kind") {
    const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nkind = \"provokation\"\nactor = \"PRK\"\ngoldstein = -8\n";
    const auto file = dir.write("kind.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("unknown event kind"));
  }
  SECTION("a missing kind") {
    const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nactor = \"PRK\"\ngoldstein = -8\n";
    const auto file = dir.write("nokind.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("missing required key 'kind'"));
  }
  SECTION("a random event of a kind that cannot be random") {
    const std::string text = valid + "\n[random_events.r]\nkind = \"resolution\"\nactor = \"PRK\"\nrate = 1\ngoldstein = -1\n";
    const auto file = dir.write("random.toml", text);
    const auto error = single_error(file);
    CHECK_THAT(error.message, Contains("random events are"));
  }
}

TEST_CASE("loader: an unknown CAMEO code gets a suggestion", "[scenario][loader]") {
  TempDir dir;
  SECTION("in an event") {
    const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nkind = \"provocation\"\nactor = \"PRK\"\ncameo = \"999\"\n";
    const auto file = dir.write("event.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"999\""));
    CHECK_THAT(error.message, Contains("events.e.cameo") && Contains("unknown CAMEO code '999'"));
    CHECK_THAT(error.hint, Contains("goldstein"));
  }
  SECTION("in a channel") {
    const std::string text = replaced("kind = \"directed\"", "kind = \"directed\"\ncameo_down = \"1611\"");
    const auto file = dir.write("channel.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"1611\""));
    CHECK_THAT(error.message, Contains("channels.embassy.cameo_down") && Contains("unknown CAMEO code '1611'"));
    CHECK_FALSE(error.hint.empty());
  }
}

TEST_CASE("loader: an event needs its weight: a CAMEO code or a goldstein value", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[events.e]\ndate = 2000-06-01\nkind = \"provocation\"\nactor = \"PRK\"\n";
  const auto file = dir.write("weight.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "[events.e]"));
  CHECK_THAT(error.message, Contains("missing required key 'cameo'") && Contains("goldstein"));
}

TEST_CASE("loader: a resolution must name a binding regime", "[scenario][loader]") {
  TempDir dir;
  const std::string text = valid + "\n[regimes.nato]\nkind = \"alliance\"\nmembers = [\"USA\"]\n"
                                   "\n[events.res]\ndate = 2000-06-01\nkind = \"resolution\"\nregime = \"nato\"\n";
  const auto file = dir.write("alliance.toml", text);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(text, "\"nato\"\n", text.find("[events.res]")));
  CHECK_THAT(error.message, Contains("events.res.regime") && Contains("alliance or bloc"));
}

TEST_CASE("loader: events on one date keep file order, not id order", "[scenario][loader]") {
  TempDir dir;
  const auto file = dir.write("order.toml", valid + R"toml(
[events.zulu]
date = 2000-06-01
kind = "provocation"
actor = "PRK"
goldstein = -1

[events.alpha]
date = 2000-06-01
kind = "provocation"
actor = "PRK"
goldstein = -2

[events.early]
date = 2000-02-01
kind = "provocation"
actor = "PRK"
goldstein = -3
)toml");
  const auto model = tiesim::load_scenario(file).model;
  REQUIRE(model.events.size() == 3);
  CHECK(model.events[0].id == "early");
  CHECK(model.events[1].id == "zulu");
  CHECK(model.events[2].id == "alpha");
  CHECK(model.events[1].step == model.events[2].step);
  CHECK(model.events[2].goldstein == Approx(-2));
}

// ---- one pass, every error -------------------------------------------------------------------------------

TEST_CASE("loader: every independent error is reported in one pass, each at its place", "[scenario][loader]") {
  TempDir dir;
  SECTION("actors and channels are checked together") {
    std::string text = replaced("compliance = 0.5", "compliance = \"high\"");
    text = text.substr(0, text.find("[channels.trade]")) + "anchoring = 7\n\n" + text.substr(text.find("[channels.trade]"));
    text = text.substr(0, text.find("[channels.embassy]")) + "salience = -1\n\n" + text.substr(text.find("[channels.embassy]"));
    const auto file = dir.write("many.toml", text);
    const auto errors = errors_of(file);
    REQUIRE(errors.size() == 3);
    CHECK_AT(errors[0], file, locate(text, "\"high\""));
    CHECK_THAT(errors[0].message, Contains("actors.MYS.compliance"));
    CHECK_AT(errors[1], file, locate(text, "7\n", text.find("anchoring")));
    CHECK_THAT(errors[1].message, Contains("actors.USA.anchoring"));
    CHECK_AT(errors[2], file, locate(text, "-1\n", text.find("salience")));
    CHECK_THAT(errors[2].message, Contains("channels.trade.salience"));
    // and what() lists every one of them in the same format, one per line
    try {
      (void)tiesim::load_scenario(file);
      FAIL("no InputError");
    } catch (const tiesim::InputError& error) {
      CHECK(std::string(error.what()) == errors[0].format() + "\n" + errors[1].format() + "\n" + errors[2].format());
    }
  }
  SECTION("ties, affect, regimes and events are checked together") {
    std::string text = replaced("targets = \"PRK\"", "targets = \"KOR\"");
    text += "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nlevel = 9\n";
    text += "\n[[affect]]\nfrom = \"MYS\"\nto = \"PRK\"\nvalue = 1.5\n";
    text += "\n[events.e]\ndate = 2000-06-01\nkind = \"provocation\"\nactor = \"CHN\"\ngoldstein = -8\n";
    const auto file = dir.write("many.toml", text);
    const auto errors = errors_of(file);
    REQUIRE(errors.size() == 4);
    CHECK_AT(error_containing(errors, "got 9"), file, locate(text, "9\n", text.find("level = 9")));
    CHECK_AT(error_containing(errors, "affect.value"), file, locate(text, "1.5"));
    CHECK_AT(error_containing(errors, "unknown actor 'KOR'"), file, locate(text, "\"KOR\""));
    CHECK_AT(error_containing(errors, "unknown actor 'CHN'"), file, locate(text, "\"CHN\""));
  }
}

TEST_CASE("loader: a file with 10000 unknown keys reports a bounded number of diagnostics", "[scenario][loader]") {
  // every diagnostic is kept and printed: a 26 MB file of 1.5 million unknown keys takes 13 s and 1.8 GB and
  // prints 1.5 million messages; a cap (say 100, then "and N more") keeps bad input cheap
  TempDir dir;
  std::string text = valid + "\n[plot]\n";
  for (int k = 0; k < 10000; ++k) {
    text += 'k';
    text += std::to_string(k);
    text += " = 1\n";
  }
  const auto file = dir.write("flood.toml", text);
  const auto errors = errors_of(file);
  CHECK_THAT(errors.front().message, Contains("unknown key 'plot.k0'"));
  CHECK(errors.size() <= 101);
}

TEST_CASE("loader: Diagnostic::format prints file:line:column, the message and the hint", "[scenario][loader]") {
  tiesim::Diagnostic diagnostic{"a/b.toml", 12, 7, "actors.X.size: expected a number", "did you mean 'size'?"};
  CHECK(diagnostic.format() == "a/b.toml:12:7: error: actors.X.size: expected a number\n  hint: did you mean 'size'?");
  diagnostic.hint.clear();
  CHECK(diagnostic.format() == "a/b.toml:12:7: error: actors.X.size: expected a number");
  diagnostic.line = 0;
  CHECK(diagnostic.format() == "a/b.toml: error: actors.X.size: expected a number");
}

TEST_CASE("loader: suggestions come from the nearest candidate only when it is close", "[scenario][loader]") {
  CHECK(tiesim::edit_distance("complience", "compliance") == 1);
  CHECK(tiesim::edit_distance("PKR", "PRK") == 1);  // a transposition counts once
  CHECK(tiesim::closest_match("mnth", {"day", "week", "month"}) == "month");
  CHECK(tiesim::closest_match("zzzzzz", {"day", "week", "month"}).empty());
  CHECK(tiesim::suggestion("zzzzzz", {"a", "b"}) == "expected one of: a, b");
  CHECK(tiesim::suggestion("x", {}).empty());
  CHECK(tiesim::closest_match(std::string(1000, 'a'), {"a"}).empty());  // very long words are not compared
}

TEST_CASE("loader: among equally near ids, the one that starts alike and has the same length is suggested", "[scenario][loader]") {
  const std::vector<std::string> ids = {"ARM", "EU", "SRB", "TUR"};
  CHECK(tiesim::closest_match("SER", ids) == "SRB");  // 'EU' is as near, but shorter and starts otherwise
  CHECK(tiesim::closest_match("TRK", ids) == "TUR");  // 'ARM' is as near
  CHECK(tiesim::closest_match("EUU", ids) == "EU");   // nearer still wins
}

TEST_CASE("loader: a very long id is shown cut in messages, control characters escaped", "[scenario][loader]") {
  CHECK(tiesim::shortened("abc") == "abc");
  CHECK(tiesim::shortened("a\nb") == "a\\nb");
  const std::string cut = tiesim::shortened(std::string(10000, 'x'));
  CHECK(cut == std::string(64, 'x') + "… (10000 characters)");
}

// ---- host consent, reciprocity, feasibility ceilings, half-lives, implementation -------------------------

TEST_CASE("loader: the keys of host consent and reciprocity are checked at their place", "[scenario][loader][mechanisms]") {
  TempDir dir;
  SECTION("a reciprocal naming an unknown channel gets a did-you-mean") {
    const std::string text = replaced("kind = \"directed\"\n", "kind = \"directed\"\nreciprocal = \"trad\"\n");
    const auto file = dir.write("reciprocal.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"trad\""));
    CHECK_THAT(error.message, Contains("channels.embassy.reciprocal") && Contains("unknown channel 'trad'"));
    CHECK(error.hint == "did you mean 'trade'?");
  }
  SECTION("a reciprocal naming a channel read after it is found") {
    const std::string text = replaced("kind = \"mutual\"\n", "kind = \"mutual\"\nreciprocal = \"embassy\"\n");
    const auto model = tiesim::load_scenario(dir.write("forward.toml", text)).model;
    CHECK(model.channels[0].reciprocal == 1);
    CHECK(model.channels[1].reciprocal == -1);  // itself
  }
  SECTION("host_consent on a mutual channel") {
    const std::string text = replaced("kind = \"mutual\"\n", "kind = \"mutual\"\nhost_consent = true\n");
    const auto file = dir.write("host.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "true"));
    CHECK_THAT(error.message, Contains("channels.trade.host_consent") && Contains("'trade' is mutual"));
    CHECK_THAT(error.hint, Contains("directed channels"));
  }
  SECTION("an expulsion's Goldstein weight outside −10..10") {
    const std::string text = replaced("kind = \"directed\"\n", "kind = \"directed\"\nhost_consent = true\ngoldstein_expel = -12\n");
    const auto file = dir.write("expel.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-12", text.find("goldstein_expel")));
    CHECK_THAT(error.message, Contains("goldstein_expel") && Contains("-12"));
  }
}

TEST_CASE("loader: max_level is a level of the ladder, and no level starts above it", "[scenario][loader][mechanisms]") {
  TempDir dir;
  const std::string tie = "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"embassy\"\n";
  SECTION("a max_level above the ladder") {
    const std::string text = valid + tie + "max_level = 3\n";
    const auto file = dir.write("ladder.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "3\n", text.find("max_level")));
    CHECK_THAT(error.message, Contains("ties.max_level") && Contains("0 to 2 or one of its names, got 3"));
  }
  SECTION("a level above the max_level of the same entry") {
    const std::string text = valid + tie + "level = \"ambassador\"\nmax_level = \"charge\"\n";
    const auto file = dir.write("one.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"ambassador\"", text.find("level = \"ambassador\"")));
    CHECK_THAT(error.message, Contains("level 2 of channel 'embassy' is above the pair's max_level 1"));
    CHECK_THAT(error.hint, Contains("raise max_level"));
  }
  SECTION("a level above the max_level an earlier entry gave the pair, on a mutual channel the other way round") {
    const std::string text = valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nmax_level = 0\n" +
                             "\n[[ties]]\nfrom = \"PRK\"\nto = \"MYS\"\nchannel = \"trade\"\nlevel = \"small\"\n";
    const auto file = dir.write("two.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "\"small\"\n", text.rfind("[[ties]]")));
    CHECK_THAT(error.message, Contains("the level 1 of PRK → MYS on channel 'trade' would be above its max_level 0") &&
                                  Contains("another [[ties]] entry"));
  }
  SECTION("a max_level below the level an earlier entry gave") {
    const std::string text = valid + tie + "level = 2\n" + tie + "max_level = 1\n";
    const auto file = dir.write("later.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "1\n", text.rfind("max_level")));
    CHECK_THAT(error.message, Contains("ties.max_level") && Contains("level 2") && Contains("max_level 1"));
  }
  SECTION("an entry with only a max_level sets the ceiling, both ways on a mutual channel, and keeps the level") {
    const auto model = tiesim::load_scenario(dir.write("ok.toml", valid + "\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\n"
                                                                          "level = 1\n\n[[ties]]\nfrom = \"MYS\"\nto = \"PRK\"\nchannel = \"trade\"\nmax_level = \"small\"\n"))
                           .model;
    const int mys = actor_index(model, "MYS"), prk = actor_index(model, "PRK"), usa = actor_index(model, "USA");
    CHECK(model.max_levels[model.tie_index(mys, prk, 0)] == 1);
    CHECK(model.max_levels[model.tie_index(prk, mys, 0)] == 1);
    CHECK(model.max_levels[model.tie_index(mys, usa, 0)] == 2);  // the ladder's top
    CHECK(model.initial_levels[model.tie_index(mys, prk, 0)] == 1);
  }
}

TEST_CASE("loader: half-lives are in years, positive, and say so", "[scenario][loader][mechanisms]") {
  TempDir dir;
  SECTION("a memory half-life of 0 or below") {
    for (const std::string value : {"0", "-1.5"}) {
      const std::string text = replaced("balance = 0.1\n", "balance = 0.1\nmemory_half_life = " + value + "\n");
      const auto file = dir.write("memory.toml", text);
      const auto error = single_error(file);
      CHECK_AT(error, file, locate(text, value + "\n", text.find("memory_half_life")));
      CHECK_THAT(error.message, Contains("model.memory_half_life") && Contains("half-life in years > 0, got " + value));
      CHECK_THAT(error.hint, Contains("halves it each year"));
    }
  }
  SECTION("a negative grievance half-life; 0 is accepted and means none") {
    const std::string text = replaced("balance = 0.1\n", "balance = 0.1\ngrievance_half_life = -2\n");
    const auto file = dir.write("grievance.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-2"));
    CHECK_THAT(error.message, Contains("model.grievance_half_life") && Contains("≥ 0, got -2"));
    CHECK_THAT(error.hint, Contains("turns lasting grievance off"));
    const auto off = tiesim::load_scenario(dir.write("off.toml", replaced("balance = 0.1\n", "balance = 0.1\ngrievance_half_life = 0\n")));
    CHECK(off.model.grievance_decay == 0);
  }
  SECTION("half-lives given in years become per-step factors") {
    const auto model = tiesim::load_scenario(dir.write("years.toml", replaced("balance = 0.1\n", "balance = 0.1\nmemory_half_life = 2\n"
                                                                                                     "grievance_half_life = 0.5\n")))
                           .model;
    CHECK(model.memory_decay == Approx(std::pow(0.5, 1.0 / 24)));
    CHECK(model.grievance_decay == Approx(std::pow(0.5, 1.0 / 6)));
  }
}

TEST_CASE("loader: implementation_months belongs to sanctions and commitments", "[scenario][loader][mechanisms]") {
  TempDir dir;
  SECTION("on an alliance") {
    const std::string text = valid + "\n[regimes.asean]\nkind = \"alliance\"\nmembers = [\"MYS\", \"USA\"]\nimplementation_months = 3\n";
    const auto file = dir.write("alliance.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "3\n", text.find("implementation_months")));
    CHECK_THAT(error.message, Contains("regimes.asean.implementation_months") && Contains("sanctions and commitments"));
  }
  SECTION("negative on sanctions") {
    const std::string text = replaced("caps = { trade = \"small\" }\n", "caps = { trade = \"small\" }\nimplementation_months = -1\n");
    const auto file = dir.write("negative.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "-1\n"));
    CHECK_THAT(error.message, Contains("implementation_months") && Contains("got -1"));
  }
}

TEST_CASE("loader: an agreement cannot end after the run", "[scenario][loader][mechanisms]") {
  TempDir dir;
  const std::string deal = "\n[events.deal]\ndate = 2001-03-01\nkind = \"agreement\"\nactor = \"MYS\"\npartner = \"PRK\"\nchannel = \"trade\"\n";
  SECTION("until past scenario.end") {
    const std::string text = valid + deal + "until = 2003-03-01\n";
    const auto file = dir.write("late.toml", text);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(text, "2003-03-01"));
    CHECK_THAT(error.message, Contains("events.deal.until") && Contains("ends (2003-03-01) after the run does (2001-12-01)"));
    CHECK_THAT(error.hint, Contains("leave 'until' out"));
  }
  SECTION("until past an end shortened with --set") {
    const auto file = dir.write("short.toml", valid + deal + "until = 2001-10-01\n");
    CHECK_NOTHROW(tiesim::load_scenario(file));
    const auto error = single_error(file, {"scenario.end=2001-06-01"});
    CHECK_THAT(error.message, Contains("after the run does (2001-06-01)"));
  }
  SECTION("until on the run's last date, or no until at all") {
    CHECK_NOTHROW(tiesim::load_scenario(dir.write("last.toml", valid + deal + "until = 2001-12-01\n")));
    CHECK_NOTHROW(tiesim::load_scenario(dir.write("open.toml", valid + deal)));
  }
}
