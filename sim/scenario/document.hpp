#pragma once
/// A scenario's TOML document after `extends`, `remove` and `--set`: one merged table in which every value
/// still knows the file, line and column it came from.
#include <cstdint>
#include <filesystem>
#include <optional>
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

/// The same for a scenario whose text is already in memory (fuzzing, tests): `path` names it in messages and a
/// relative `extends` is resolved from its folder; only its bases are read from disk. Throws InputError.
ScenarioDocument load_document_text(const std::string& text, const std::filesystem::path& path,
                                    const std::vector<std::string>& overrides);

/// Refuses TOML nested deeper than toml++ can parse (and free) without exhausting the stack: brackets and
/// braces, or dotted key parts on one line, more than 128 deep. Throws InputError at the place.
void check_toml_nesting(const std::string& text, const std::string& shown);

/// Why `path` cannot be read as an input file, or "" when it can: it must exist and be a regular file (links
/// followed). A directory, a named pipe, a device or a socket is refused before it is opened: reading one
/// could block forever, where no signal would stop it. "no such file", "it is a named pipe (FIFO)", "it is a directory", …
std::string input_file_problem(const std::filesystem::path& path);

/// The bytes of the regular file `path`, but no more than `limit` + 1 of them (so a caller can tell "too
/// large" from "whole"); nullopt when it cannot be opened or read, or is not a regular file once opened (it
/// is opened without blocking and checked again, so a file swapped for a pipe meanwhile cannot hang a read).
std::optional<std::string> read_limited(const std::filesystem::path& path, std::uintmax_t limit);

/// Splits "a.b.c" at dots.
std::vector<std::string> split_path(const std::string& path);

}  // namespace tiesim
