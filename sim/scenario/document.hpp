#pragma once
/// A scenario's TOML document after `extends`, `remove` and `--set`: one merged table in which every value
/// still knows the file, line and column it came from.
#include <filesystem>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace tiesim {

struct SourceFile {
  std::string path;    // as named by the user or by `extends`
  std::string sha256;  // of the file's bytes
};

struct ScenarioDocument {
  toml::table root;               // merged; `extends` and `remove` already applied and dropped
  std::vector<SourceFile> files;  // the extends chain, the base first
  std::vector<std::string> overrides;  // the --set arguments applied, in order

  /// Precedence of the place a value came from: the base's values first, then each variant's, then each
  /// --set in order. Used to keep "file order" across merged files.
  int rank_of(const toml::source_region& where) const;
};

/// Where a --set value's diagnostics point: "--set PATH".
std::string override_origin(const std::string& path);

/// Reads `path` and its `extends` chain, merges them, and applies `overrides` ("PATH=VALUE").
/// Throws InputError on any problem.
ScenarioDocument load_document(const std::filesystem::path& path, const std::vector<std::string>& overrides);

/// Splits "a.b.c" at dots.
std::vector<std::string> split_path(const std::string& path);

}  // namespace tiesim
