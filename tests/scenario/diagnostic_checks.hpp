#pragma once
// Helpers for tests of input errors: where a snippet is in a text, the diagnostics of loading a file, and
// checks of a diagnostic's place.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace tiesim::test {

struct Place {
  int line = 0;
  int column = 0;
};

/// The 1-based line and column of the first `needle` at or after byte `from` of `text` (ASCII texts only).
inline Place locate(const std::string& text, const std::string& needle, std::size_t from = 0) {
  const std::size_t at = text.find(needle, from);
  INFO("looking for '" << needle << "'");
  REQUIRE(at != std::string::npos);
  Place place{1, 1};
  for (std::size_t k = 0; k < at; ++k) {
    if (text[k] == '\n') {
      ++place.line;
      place.column = 1;
    } else {
      ++place.column;
    }
  }
  return place;
}

/// The diagnostics of loading `file`; fails the test when it loads without an InputError.
inline std::vector<tiesim::Diagnostic> errors_of(const std::filesystem::path& file, const std::vector<std::string>& overrides = {}) {
  try {
    (void)tiesim::load_scenario(file, overrides);
  } catch (const tiesim::InputError& error) {
    REQUIRE_FALSE(error.diagnostics().empty());
    return error.diagnostics();
  }
  FAIL("loading " << file << " succeeded; expected tiesim::InputError");
  return {};
}

/// The one diagnostic of loading `file`: a single mistake must give exactly one message.
inline tiesim::Diagnostic single_error(const std::filesystem::path& file, const std::vector<std::string>& overrides = {}) {
  const auto errors = errors_of(file, overrides);
  std::string all;
  for (const auto& error : errors) all += error.format() + "\n";
  INFO("diagnostics:\n" << all);
  REQUIRE(errors.size() == 1);
  return errors.front();
}

/// The diagnostic whose message contains `words`.
inline tiesim::Diagnostic error_containing(const std::vector<tiesim::Diagnostic>& errors, const std::string& words) {
  std::string all;
  for (const auto& error : errors) {
    if (error.message.find(words) != std::string::npos) return error;
    all += error.format() + "\n";
  }
  FAIL("no diagnostic contains '" << words << "'; got:\n" << all);
  return {};
}

}  // namespace tiesim::test

#define CHECK_AT(diagnostic, file_path, place)               \
  do {                                                       \
    INFO("diagnostic: " << (diagnostic).format());           \
    CHECK((diagnostic).file == (file_path).string());        \
    CHECK((diagnostic).line == (place).line);                \
    CHECK((diagnostic).column == (place).column);            \
  } while (false)

/// A --set diagnostic: no line or column, the file is "--set PATH".
#define CHECK_AT_OVERRIDE(diagnostic, path)                  \
  do {                                                       \
    INFO("diagnostic: " << (diagnostic).format());           \
    CHECK((diagnostic).file == std::string("--set ") + (path)); \
    CHECK((diagnostic).line == 0);                           \
    CHECK((diagnostic).column == 0);                         \
  } while (false)
