// Checks of reading scenario files as documents: unreadable files, `extends`, `remove` and `--set`, and that
// every merged value keeps the file, line and column it came from.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "scenario/diagnostic_checks.hpp"
#include "scenario/diagnostics.hpp"
#include "support.hpp"
#include "scenario/document.hpp"
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



const std::string base_text = R"toml(# the base of every variant below
[scenario]
name = "base"
start = 2000-01-01
end = 2001-12-01

[actors.MYS]
name = "Malaysia"
size = 1.0
compliance = 0.5
precision = 4.0

[actors.PRK]
size = 0.5

[actors.USA]
size = 10
pressure_strength = 0.05

[channels.trade]
kind = "mutual"
levels = ["none", "small", "large"]

[channels.embassy]
kind = "directed"
levels = ["none", "charge", "ambassador"]

[[ties]]
from = "MYS"
to = "PRK"
channel = "trade"
level = "large"

[regimes.unsc]
kind = "sanctions"
members = "*"
targets = "PRK"

[events.test]
date = 2000-06-01
kind = "provocation"
actor = "PRK"
goldstein = -8

[events.tightening]
date = 2001-03-01
kind = "resolution"
regime = "unsc"
enforcement = 1.5
)toml";

const tiesim::Actor& actor(const tiesim::Model& model, const std::string& id) {
  for (const auto& a : model.actors)
    if (a.id == id) return a;
  FAIL("no actor " << id);
  return model.actors.front();
}

std::vector<std::string> event_ids(const tiesim::Model& model) {
  std::vector<std::string> ids;
  for (const auto& event : model.events) ids.push_back(event.id);
  return ids;
}

}  // namespace

// ---- files that cannot be read --------------------------------------------------------------------------

TEST_CASE("document: an empty file is missing [scenario], actors and channels", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("empty.toml", "");
  const auto errors = errors_of(file);
  REQUIRE(errors.size() == 3);
  CHECK_THAT(errors[0].message, Contains("missing required key 'scenario'"));
  CHECK_THAT(errors[1].message, Contains("missing required key 'actors'"));
  CHECK_THAT(errors[2].message, Contains("missing required key 'channels'"));
}

TEST_CASE("document: an empty file's errors name the file", "[scenario][document]") {
  // they come out as "<input>: error: ..." because the merged root table has no source (document.cpp)
  TempDir dir;
  const auto file = dir.write("empty.toml", "");
  const auto errors = errors_of(file);
  for (const auto& error : errors) {
    INFO(error.format());
    CHECK(error.file == file.string());
    CHECK(error.line == 1);
    CHECK(error.column == 1);
  }
}

TEST_CASE("document: a file with NUL bytes is refused as binary", "[scenario][document]") {
  TempDir dir;
  std::string text = "[scenario]\nname = \"a";
  text += '\0';
  text += "b\"\n";
  const auto file = dir.write("nul.toml", text);
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == 0);
  CHECK(error.column == 0);
  CHECK_THAT(error.message, Contains("not a TOML file") && Contains("NUL bytes"));
  CHECK_THAT(error.hint, Contains("UTF-8"));
  CHECK(error.format() == file.string() + ": error: " + error.message + "\n  hint: " + error.hint);
}

TEST_CASE("document: invalid UTF-8 is a syntax error at its place", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("latin1.toml", "[scenario]\nname = \"Caf\xe9\"\n");
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == 2);
  CHECK(error.column >= 9);
  CHECK_THAT(error.message, Contains("TOML syntax error") && Contains("utf-8"));
}

TEST_CASE("document: a directory given as the scenario is refused", "[scenario][document]") {
  TempDir dir;
  const auto error = single_error(dir.path());
  CHECK(error.file == dir.path().string());
  CHECK(error.line == 0);
  CHECK_THAT(error.message, Contains("it is a directory") && Contains(".toml"));
}

TEST_CASE("document: a missing scenario file is refused", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.path() / "nowhere.toml";
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == 0);
  CHECK_THAT(error.message, Contains("cannot read scenario") && Contains("no such file"));
}

TEST_CASE("document: a file over 64 MiB is refused before it is read", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("huge.toml", "");
  fs::resize_file(file, (64u << 20) + 1);  // sparse: costs no disk
  const auto error = single_error(file);
  CHECK(error.file == file.string());
  CHECK(error.line == 0);
  CHECK_THAT(error.message, Contains("at most 64 MiB"));
}

TEST_CASE("document: keys nested 100000 deep do not crash the program", "[scenario][document]") {
  // toml++ recurses once per level of a dotted key or table header and overflows the stack (SIGSEGV);
  // run in a child process so that the crash cannot take the test runner with it
  TempDir dir;
  std::string text = "[scenario]\nx.";
  for (int k = 0; k < 100000; ++k) text += "a.";
  text += "b = 1\n";
  const auto file = dir.write("deepkey.toml", text);
  const auto stderr_file = dir / "stderr.txt";
  const std::string command =
      std::string("'") + TIESIM_BINARY + "' check '" + file.string() + "' >/dev/null 2>'" + stderr_file.string() + "'";
  const int status = std::system(command.c_str());
  REQUIRE(status != -1);
  INFO("exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << " (139: SIGSEGV)");
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 2));
  // the message points into the key, on its line
  std::ifstream in(stderr_file);
  const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(message, Contains(file.string() + ":2:") && Contains("nested deeper than"));
}

// ---- extends ------------------------------------------------------------------------------------------------

TEST_CASE("document: a variant keeps every base value it does not change", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  const std::string variant = "# raises Malaysia's compliance\nextends = \"base.toml\"\n\n[actors.MYS]\ncompliance = 0.9\n";
  const auto file = dir.write("variant.toml", variant);
  const auto scenario = tiesim::load_scenario(file);
  const auto& model = scenario.model;
  CHECK(model.name == "base");
  CHECK(model.actor_count() == 3);
  CHECK(actor(model, "MYS").weights.compliance == Approx(0.9));
  CHECK(actor(model, "MYS").name == "Malaysia");
  CHECK(actor(model, "MYS").size == Approx(1.0));
  CHECK(actor(model, "MYS").precision == Approx(4.0));
  CHECK(actor(model, "USA").pressure_strength == Approx(0.05));
  CHECK(model.channel_count() == 2);
  CHECK(event_ids(model) == std::vector<std::string>{"test", "tightening"});
  // the extends chain, base first, each with its own hash
  REQUIRE(scenario.document.files.size() == 2);
  CHECK(scenario.document.files[0].path == (dir.path() / "base.toml").string());
  CHECK(scenario.document.files[1].path == file.string());
  CHECK(scenario.document.files[0].sha256.size() == 64);
  CHECK(scenario.document.files[0].sha256 != scenario.document.files[1].sha256);
  // `extends` and `remove` are consumed by the merge
  CHECK_FALSE(scenario.document.root.contains("extends"));
  CHECK_FALSE(scenario.document.root.contains("remove"));
}

TEST_CASE("document: merged values keep the file, line and column they came from", "[scenario][document]") {
  TempDir dir;
  const auto base = dir.write("base.toml", base_text);
  const std::string variant = "extends = \"base.toml\"\n[actors.MYS]\ncompliance = 0.9\n";
  const auto file = dir.write("variant.toml", variant);
  const auto document = tiesim::load_document(file, {});
  const auto* size = document.root["actors"]["MYS"]["size"].node();
  const auto* compliance = document.root["actors"]["MYS"]["compliance"].node();
  REQUIRE(size);
  REQUIRE(compliance);
  REQUIRE(size->source().path);
  REQUIRE(compliance->source().path);
  CHECK(*size->source().path == base.string());
  CHECK(static_cast<int>(size->source().begin.line) == locate(base_text, "size = 1.0").line);
  CHECK(static_cast<int>(size->source().begin.column) == 8);
  CHECK(*compliance->source().path == file.string());
  CHECK(static_cast<int>(compliance->source().begin.line) == 3);
  CHECK(static_cast<int>(compliance->source().begin.column) == 14);
  CHECK(document.rank_of(size->source()) == 0);
  CHECK(document.rank_of(compliance->source()) == 1);
}

TEST_CASE("document: an error in a base value is reported in the base file", "[scenario][document]") {
  TempDir dir;
  SECTION("a bad value in the base") {
    std::string text = base_text;
    text.replace(text.find("size = 0.5"), 10, "size = -0.5");
    const auto base = dir.write("base.toml", text);
    const auto file = dir.write("variant.toml", "extends = \"base.toml\"\n[actors.MYS]\ncompliance = 0.9\n");
    const auto error = single_error(file);
    CHECK_AT(error, base, locate(text, "-0.5"));
    CHECK_THAT(error.message, Contains("actors.PRK.size"));
  }
  SECTION("a base value made invalid by the variant's change") {
    // the variant shortens the trade ladder: the base's starting level "large" no longer exists
    const auto base = dir.write("base.toml", base_text);
    const auto file = dir.write("variant.toml", "extends = \"base.toml\"\n[channels.trade]\nlevels = [\"none\", \"some\"]\n");
    const auto error = single_error(file);
    CHECK_AT(error, base, locate(base_text, "\"large\"\n"));
    CHECK_THAT(error.message, Contains("'large' is not a level of channel 'trade'"));
  }
  SECTION("a base reference broken by the variant's removal") {
    const auto base = dir.write("base.toml", base_text);
    const auto file = dir.write("variant.toml", "extends = \"base.toml\"\nremove = [\"regimes.unsc\"]\n");
    const auto error = single_error(file);
    CHECK_AT(error, base, locate(base_text, "\"unsc\"\nenforcement"));
    CHECK_THAT(error.message, Contains("events.tightening.regime") && Contains("unknown regime 'unsc'"));
  }
  SECTION("the variant's own bad value is reported in the variant") {
    dir.write("base.toml", base_text);
    const std::string variant = "extends = \"base.toml\"\n\n[actors.MYS]\nanchoring = 2\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, (Place{4, 13}));
    CHECK_THAT(error.message, Contains("actors.MYS.anchoring") && Contains("from 0 to 1"));
  }
}

TEST_CASE("document: a chain of three files merges in order", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  dir.write("middle.toml", "extends = \"base.toml\"\n[actors.MYS]\ncompliance = 0.7\nprecision = 9\n");
  const auto file = dir.write("top.toml", "extends = \"middle.toml\"\n[actors.MYS]\ncompliance = 0.8\n");
  const auto scenario = tiesim::load_scenario(file);
  CHECK(actor(scenario.model, "MYS").weights.compliance == Approx(0.8));
  CHECK(actor(scenario.model, "MYS").precision == Approx(9));
  CHECK(actor(scenario.model, "MYS").size == Approx(1.0));
  REQUIRE(scenario.document.files.size() == 3);
  CHECK(scenario.document.files[0].path == (dir.path() / "base.toml").string());
  CHECK(scenario.document.files[1].path == (dir.path() / "middle.toml").string());
  CHECK(scenario.document.files[2].path == file.string());
}

TEST_CASE("document: a base in another directory is found relative to the variant", "[scenario][document]") {
  TempDir dir;
  dir.write("bases/base.toml", base_text);
  const auto file = dir.write("variants/v.toml", "extends = \"../bases/base.toml\"\n[actors.PRK]\nsize = 0.25\n");
  const auto scenario = tiesim::load_scenario(file);
  CHECK(actor(scenario.model, "PRK").size == Approx(0.25));
  CHECK(scenario.document.files.front().path == (dir.path() / "bases" / "base.toml").string());
}

TEST_CASE("document: extends of a missing file is reported at the variant's extends line", "[scenario][document]") {
  TempDir dir;
  const std::string variant = "# a variant\nextends = \"no_such_base.toml\"\n";
  const auto file = dir.write("variant.toml", variant);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(variant, "\"no_such_base.toml\""));
  CHECK_THAT(error.message, Contains("no_such_base.toml") && Contains("no such file"));
  CHECK_THAT(error.hint, Contains("relative to the file"));
}

TEST_CASE("document: extends of a directory or of a non-string is refused at the extends line", "[scenario][document]") {
  TempDir dir;
  SECTION("a directory") {
    fs::create_directories(dir.path() / "sub");
    const std::string variant = "extends = \"sub\"\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(variant, "\"sub\""));
    CHECK_THAT(error.message, Contains("is a directory"));
  }
  SECTION("a number") {
    const std::string variant = "\nextends = 3\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, (Place{2, 11}));
    CHECK_THAT(error.message, Contains("extends") && Contains("a file path"));
  }
}

TEST_CASE("document: a syntax error in a base is reported in the base", "[scenario][document]") {
  TempDir dir;
  const auto base = dir.write("base.toml", "[scenario]\nstart = 2000-01-01\nend = \n");
  const auto file = dir.write("variant.toml", "extends = \"base.toml\"\n");
  const auto error = single_error(file);
  CHECK(error.file == base.string());
  CHECK(error.line == 3);
  CHECK(error.column == 7);
  CHECK_THAT(error.message, Contains("TOML syntax error"));
}

TEST_CASE("document: a cycle of extends is an error at the extends that closes it", "[scenario][document]") {
  TempDir dir;
  SECTION("a.toml extends b.toml extends a.toml") {
    const std::string a = "extends = \"b.toml\"\n";
    const std::string b = "# b\n\nextends = \"a.toml\"\n";
    const auto file_a = dir.write("a.toml", a);
    const auto file_b = dir.write("b.toml", b);
    const auto error = single_error(file_a);
    CHECK_AT(error, file_b, locate(b, "\"a.toml\""));
    CHECK_THAT(error.message, Contains("cycle") && Contains("a.toml -> b.toml -> a.toml"));
    CHECK_FALSE(error.hint.empty());
    // and the same from the other end
    const auto other = single_error(file_b);
    CHECK_AT(other, file_a, locate(a, "\"b.toml\""));
    CHECK_THAT(other.message, Contains("b.toml -> a.toml -> b.toml"));
  }
  SECTION("a file that extends itself") {
    const std::string self = "extends = \"./self.toml\"\n";
    const auto file = dir.write("self.toml", self);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(self, "\"./self.toml\""));
    CHECK_THAT(error.message, Contains("cycle"));
  }
}

// ---- remove -------------------------------------------------------------------------------------------------

TEST_CASE("document: remove deletes an event of the base", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  const auto file = dir.write("variant.toml", "extends = \"base.toml\"\nremove = [\"events.test\"]\n");
  const auto scenario = tiesim::load_scenario(file);
  CHECK(event_ids(scenario.model) == std::vector<std::string>{"tightening"});
  CHECK_FALSE(scenario.document.root["events"]["test"]);
  CHECK(scenario.document.root["events"]["tightening"]);
}

TEST_CASE("document: remove deletes a single value, which then takes its default", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  const auto file = dir.write("variant.toml", "extends = \"base.toml\"\nremove = [\"actors.MYS.precision\"]\n");
  const auto scenario = tiesim::load_scenario(file);
  CHECK(actor(scenario.model, "MYS").precision == Approx(tiesim::Actor{}.precision));
  CHECK(actor(scenario.model, "MYS").weights.compliance == Approx(0.5));
}

TEST_CASE("document: remove of a path absent from the base is an error with a suggestion", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  SECTION("a misspelt event") {
    const std::string variant = "extends = \"base.toml\"\nremove = [\"events.test\", \"events.tightning\"]\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(variant, "\"events.tightning\""));
    CHECK_THAT(error.message, Contains("remove") && Contains("'events.tightning' is not in the base scenario"));
    CHECK(error.hint == "did you mean 'tightening'?");
  }
  SECTION("a misspelt table") {
    const std::string variant = "extends = \"base.toml\"\nremove = [\"event.test\"]\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(variant, "\"event.test\""));
    CHECK(error.hint == "did you mean 'events'?");
  }
  SECTION("a path through a value") {
    const std::string variant = "extends = \"base.toml\"\nremove = [\"actors.MYS.size.x\"]\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK_AT(error, file, locate(variant, "\"actors.MYS.size.x\""));
    CHECK_THAT(error.message, Contains("does not name a table entry"));
  }
  SECTION("not a list") {
    const std::string variant = "extends = \"base.toml\"\nremove = \"events.test\"\n";
    const auto file = dir.write("variant.toml", variant);
    const auto error = single_error(file);
    CHECK(error.file == file.string());
    CHECK(error.line == 2);
    CHECK(error.column >= 9);
    CHECK_THAT(error.message, Contains("remove: expected a list of paths"));
  }
}

TEST_CASE("document: remove may name only paths of the base, not the variant's own", "[scenario][document]") {
  // docs/scenario.md: "`remove` may name only paths that exist in the base"; the check runs on the merged table
  TempDir dir;
  dir.write("base.toml", base_text);
  const std::string variant = "extends = \"base.toml\"\nremove = [\"events.mine\"]\n\n[events.mine]\ndate = 2000-07-01\n"
                              "kind = \"provocation\"\nactor = \"PRK\"\ngoldstein = -1\n";
  const auto file = dir.write("variant.toml", variant);
  const auto error = single_error(file);
  CHECK_AT(error, file, locate(variant, "\"events.mine\""));
  CHECK_THAT(error.message, Contains("not in the base"));
}

// ---- event order across files ------------------------------------------------------------------------------

TEST_CASE("document: events on the same date keep file order, the base before the variant", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  // the variant's event comes earlier by line number and by id, yet it follows the base's event
  const std::string variant = "extends = \"base.toml\"\n[events.aaa]\ndate = 2000-06-01\nkind = \"provocation\"\n"
                              "actor = \"MYS\"\ngoldstein = -1\n";
  const auto file = dir.write("variant.toml", variant);
  const auto model = tiesim::load_scenario(file).model;
  CHECK(event_ids(model) == std::vector<std::string>{"test", "aaa", "tightening"});
  REQUIRE(model.events.size() == 3);
  CHECK(model.events[0].step == model.events[1].step);
}

TEST_CASE("document: a variant that changes a base event's date moves the event, not its file rank", "[scenario][document]") {
  TempDir dir;
  dir.write("base.toml", base_text);
  const auto file = dir.write("variant.toml", "extends = \"base.toml\"\n[events.test]\ndate = 2001-06-01\n");
  const auto model = tiesim::load_scenario(file).model;
  CHECK(event_ids(model) == std::vector<std::string>{"tightening", "test"});
  CHECK(model.events.back().date.iso() == "2001-06-01");
  CHECK(model.events.back().goldstein == Approx(-8));
}

// ---- --set ------------------------------------------------------------------------------------------------

TEST_CASE("document: --set changes one value after merging", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("base.toml", base_text);
  SECTION("a number") {
    const auto scenario = tiesim::load_scenario(file, {"actors.MYS.compliance=0.8"});
    CHECK(actor(scenario.model, "MYS").weights.compliance == Approx(0.8));
    CHECK(actor(scenario.model, "MYS").size == Approx(1.0));
    CHECK(actor(scenario.model, "MYS").name == "Malaysia");
    CHECK(scenario.document.overrides == std::vector<std::string>{"actors.MYS.compliance=0.8"});
  }
  SECTION("a date") {
    const auto scenario = tiesim::load_scenario(file, {"scenario.end=2001-06-01"});
    CHECK(scenario.model.calendar.step_count() == 18);
  }
  SECTION("a list") {
    const auto scenario = tiesim::load_scenario(file, {"channels.embassy.levels=[\"no\", \"yes\"]"});
    CHECK(scenario.model.channels[1].level_names == std::vector<std::string>{"no", "yes"});
  }
  SECTION("a quoted string") {
    const auto scenario = tiesim::load_scenario(file, {"actors.MYS.name=\"Malaysia!\""});
    CHECK(actor(scenario.model, "MYS").name == "Malaysia!");
  }
  SECTION("a bare word is taken as a string") {
    const auto scenario = tiesim::load_scenario(file, {"actors.MYS.name=Federation of Malaysia"});
    CHECK(actor(scenario.model, "MYS").name == "Federation of Malaysia");
    const auto* name = scenario.document.root["actors"]["MYS"]["name"].node();
    REQUIRE(name);
    CHECK(name->is_string());
  }
  SECTION("a variant's value, after the variant is merged") {
    const auto variant = dir.write("variant.toml", "extends = \"base.toml\"\n[actors.MYS]\ncompliance = 0.9\n");
    const auto scenario = tiesim::load_scenario(variant, {"actors.MYS.compliance=0.1"});
    CHECK(actor(scenario.model, "MYS").weights.compliance == Approx(0.1));
  }
  SECTION("several in order, the last wins") {
    const auto scenario = tiesim::load_scenario(file, {"actors.MYS.compliance=0.3", "actors.MYS.compliance=0.4"});
    CHECK(actor(scenario.model, "MYS").weights.compliance == Approx(0.4));
  }
  SECTION("an element of an array of tables by index") {
    const auto scenario = tiesim::load_scenario(file, {"ties.0.level=\"small\""});
    const auto& model = scenario.model;
    CHECK(model.initial_levels[model.tie_index(0, 1, 0)] == 1);
  }
}

TEST_CASE("document: --set to a path whose parent does not exist is an error with a suggestion", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("base.toml", base_text);
  SECTION("a misspelt table") {
    const auto error = single_error(file, {"actorz.MYS.compliance=0.8"});
    CHECK_AT_OVERRIDE(error, "actorz.MYS.compliance");
    CHECK_THAT(error.message, Contains("no 'actorz'"));
    CHECK(error.hint == "did you mean 'actors'?");
    CHECK(error.format() == "--set actorz.MYS.compliance: error: " + error.message + "\n  hint: did you mean 'actors'?");
  }
  SECTION("a misspelt actor") {
    const auto error = single_error(file, {"actors.MSY.compliance=0.8"});
    CHECK_AT_OVERRIDE(error, "actors.MSY.compliance");
    CHECK_THAT(error.message, Contains("no 'MSY'"));
    CHECK(error.hint == "did you mean 'MYS'?");
  }
  SECTION("a path through a value") {
    const auto error = single_error(file, {"actors.MYS.size.x=1"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.size.x");
    CHECK_THAT(error.message, Contains("'size' is a value"));
  }
  SECTION("an index beyond a list") {
    const auto error = single_error(file, {"ties.5.level=1"});
    CHECK_AT_OVERRIDE(error, "ties.5.level");
    CHECK_THAT(error.message, Contains("'5' is not an index of a list of 1"));
  }
  SECTION("a new key in an existing table is an unknown key, reported at the --set") {
    const auto error = single_error(file, {"actors.MYS.complience=0.8"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.complience");
    CHECK_THAT(error.message, Contains("unknown key 'actors.MYS.complience'"));
    CHECK(error.hint == "did you mean 'compliance'?");
  }
}

TEST_CASE("document: --set arguments that cannot be read are errors", "[scenario][document]") {
  TempDir dir;
  const auto file = dir.write("base.toml", base_text);
  SECTION("without '='") {
    const auto error = single_error(file, {"actors.MYS.compliance"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.compliance");
    CHECK_THAT(error.message, Contains("expected PATH=VALUE"));
  }
  SECTION("with an empty path") {
    const auto error = single_error(file, {"=0.8"});
    CHECK(error.line == 0);
    CHECK_THAT(error.file, StartsWith("--set"));
    CHECK_THAT(error.message, Contains("empty part"));
  }
  SECTION("with an empty part in the path") {
    const auto error = single_error(file, {"actors..compliance=0.8"});
    CHECK(error.line == 0);
    CHECK_THAT(error.message, Contains("empty part"));
    CHECK_THAT(error.hint, Contains("actors.A.compliance"));
  }
  SECTION("with an unparsable value") {
    const auto error = single_error(file, {"actors.MYS.compliance=[0.8,"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.compliance");
    CHECK_THAT(error.message, Contains("cannot read value '[0.8,'"));
    CHECK_THAT(error.hint, Contains("quotes"));
  }
  SECTION("with a value out of range") {
    const auto error = single_error(file, {"actors.MYS.compliance=-1"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.compliance");
    CHECK_THAT(error.message, Contains("actors.MYS.compliance") && Contains("expected a number from 0") && Contains("got -1"));
  }
  SECTION("with a value of the wrong type") {
    const auto error = single_error(file, {"actors.MYS.compliance=true"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.compliance");
    CHECK_THAT(error.message, Contains("got a boolean"));
  }
}

TEST_CASE("document: a bare-word --set value of the wrong type is reported at the --set", "[scenario][document]") {
  // a value that is not TOML but looks like a bare word becomes a string node without a source, so an error
  // about it falls back to the place of its parent table in the scenario file
  TempDir dir;
  const auto file = dir.write("base.toml", base_text);
  SECTION("a word for a number") {
    const auto error = single_error(file, {"actors.MYS.compliance=high"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.compliance");
    CHECK_THAT(error.message, Contains("actors.MYS.compliance") && Contains("got a string"));
  }
  SECTION("an impossible date") {
    const auto error = single_error(file, {"scenario.end=2001-13-01"});
    CHECK_AT_OVERRIDE(error, "scenario.end");
    CHECK_THAT(error.message, Contains("scenario.end") && Contains("2001-13-01"));
  }
  SECTION("a number beyond double") {
    const auto error = single_error(file, {"actors.MYS.size=1e400"});
    CHECK_AT_OVERRIDE(error, "actors.MYS.size");
    CHECK_THAT(error.message, Contains("actors.MYS.size"));
  }
}

TEST_CASE("document: --set with a list index beyond 64 bits is an input error", "[scenario][document]") {
  // std::stoul throws std::out_of_range, which the program reports as an internal error with exit status 1
  TempDir dir;
  const auto file = dir.write("base.toml", base_text);
  const auto error = single_error(file, {"ties.99999999999999999999.level=1"});
  CHECK_AT_OVERRIDE(error, "ties.99999999999999999999.level");
  CHECK_THAT(error.message, Contains("not an index"));
}

// ---- helpers -----------------------------------------------------------------------------------------------

TEST_CASE("document: split_path splits at every dot and keeps empty parts", "[scenario][document]") {
  CHECK(tiesim::split_path("actors.MYS.compliance") == std::vector<std::string>{"actors", "MYS", "compliance"});
  CHECK(tiesim::split_path("scenario") == std::vector<std::string>{"scenario"});
  CHECK(tiesim::split_path("a..b") == std::vector<std::string>{"a", "", "b"});
  CHECK(tiesim::override_origin("actors.X.size") == "--set actors.X.size");
}
