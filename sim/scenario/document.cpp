#include "scenario/document.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sha256.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/reader.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {

// no scenario is anywhere near this; a larger file is refused before it is parsed
constexpr std::uintmax_t max_file_bytes = 64u << 20;
constexpr int max_extends_depth = 32;

Diagnostic file_error(const std::string& file, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.file = file;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

Diagnostic node_error(const toml::source_region& where, std::string message, std::string hint = {}) {
  Diagnostics diagnostics;
  diagnostics.error(where, std::move(message), std::move(hint));
  try {
    diagnostics.throw_if_any();
  } catch (const InputError& error) {
    return error.diagnostics().front();
  }
  return {};
}

std::string read_file(const fs::path& path, const std::string& shown, const toml::source_region* from) {
  std::error_code ec;
  auto fail = [&](std::string message, std::string hint = {}) -> std::string {
    if (from) throw InputError(node_error(*from, std::move(message), std::move(hint)));
    throw InputError(file_error(shown, std::move(message), std::move(hint)));
  };
  // anything but a regular file is refused before it is opened: a named pipe would block the read forever
  if (const auto problem = input_file_problem(path); !problem.empty()) {
    if (problem == "no such file") fail("cannot read scenario '" + shown + "': no such file", "check the path; it is relative to the file that names it");
    fail("cannot read scenario '" + shown + "': " + problem + ", expected a .toml file");
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_file_bytes)
    fail("scenario '" + shown + "' is " + std::to_string(size >> 20) + " MiB; a scenario is at most " +
         std::to_string(max_file_bytes >> 20) + " MiB", "is this the right file?");
  // read with a bound: a device or a pipe (/dev/zero, /dev/stdin) has no size to check beforehand
  auto text = read_limited(path, max_file_bytes);
  if (!text) fail("cannot read scenario '" + shown + "': permission denied or unreadable");
  if (text->size() > max_file_bytes)
    fail("scenario '" + shown + "' is more than " + std::to_string(max_file_bytes >> 20) + " MiB; a scenario is at most " +
         std::to_string(max_file_bytes >> 20) + " MiB", "is this the right file? (a device or a stream that never ends cannot be read)");
  return std::move(*text);
}

}  // namespace

/// Refuses nesting that would exhaust the parser's stack: brackets and braces deeper than `max_depth`, or
/// a line with more than `max_depth` key parts. toml++ parses such input recursively and would crash.
void check_toml_nesting(const std::string& text, const std::string& shown) {
  constexpr int max_depth = 128;
  int depth = 0, dots = 0, line = 1, column = 0;
  auto fail = [&](const std::string& what) {
    throw InputError(Diagnostic{shown, line, column, what + " nested deeper than " + std::to_string(max_depth) + " levels",
                                "flatten the structure; no scenario needs this"});
  };
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char ch = text[k];
    ++column;
    if (ch == '\n') {
      ++line, column = 0, dots = 0;
    } else if (ch == '#') {
      while (k + 1 < text.size() && text[k + 1] != '\n') ++k;
    } else if (ch == '"' || ch == '\'') {
      // skip the string, multi-line or not; basic strings have escapes
      const bool multi = text.compare(k, 3, std::string(3, ch)) == 0;
      k += multi ? 3 : 1;
      while (k < text.size()) {
        if (ch == '"' && text[k] == '\\') ++k;
        else if (multi ? text.compare(k, 3, std::string(3, ch)) == 0 : text[k] == ch || text[k] == '\n') break;
        if (k < text.size() && text[k] == '\n') ++line, column = 0;
        ++k;
      }
      if (multi) k += 2;
    } else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) fail("arrays or tables");
    } else if (ch == ']' || ch == '}') {
      --depth;
    } else if (ch == '.') {
      // a dot between digits is a number's; any other separates key parts
      const bool in_number = k > 0 && k + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[k - 1])) &&
                             std::isdigit(static_cast<unsigned char>(text[k + 1]));
      if (!in_number && ++dots > max_depth) fail("keys");
    }
  }
}

namespace {

toml::table parse_text(const std::string& text, const std::string& shown) {
  if (text.find('\0') != std::string::npos)
    throw InputError(file_error(shown, "not a TOML file: it contains NUL bytes (binary data)", "scenarios are UTF-8 text files"));
  check_toml_nesting(text, shown);
  try {
    return toml::parse(text, shown);
  } catch (const toml::parse_error& error) {
    throw InputError(node_error(error.source(), "TOML syntax error: " + std::string(error.description())));
  }
}

/// Moves every value of `overlay` into `base`; tables merge recursively, anything else replaces.
/// Moving (not copying) keeps each node's source position.
void merge_into(toml::table& base, toml::table& overlay) {
  for (auto&& [key, value] : overlay) {
    toml::node* existing = base.get(key.str());
    if (existing && existing->is_table() && value.is_table()) {
      merge_into(*existing->as_table(), *value.as_table());
      continue;
    }
    base.insert_or_assign(key, std::move(value));
  }
}

std::vector<std::string> keys_of(const toml::table& table) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : table) keys.emplace_back(key.str());
  return keys;
}

struct Loader {
  ScenarioDocument& document;
  std::vector<fs::path> chain;  // canonical paths being loaded, for cycle detection

  /// `given`: the file's text when it is already in memory (nothing is read for this file, only its bases).
  toml::table load(const fs::path& path, const std::string& shown, const toml::source_region* from,
                   const std::string* given = nullptr) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(path, ec);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
      std::string cycle;
      for (const auto& link : chain) cycle += link.filename().string() + " -> ";
      cycle += canonical.filename().string();
      throw InputError(node_error(*from, "extends: cycle: " + cycle, "remove the 'extends' that closes the loop"));
    }
    if (static_cast<int>(chain.size()) >= max_extends_depth)
      throw InputError(node_error(*from, "extends: chain deeper than " + std::to_string(max_extends_depth) + " files"));
    chain.push_back(canonical);

    const std::string text = given ? *given : read_file(path, shown, from);
    toml::table table = parse_text(text, shown);

    // the base first, so that its values are overridden by this file's
    toml::table merged;
    if (toml::node* extends = table.get("extends")) {
      auto target = extends->as_string();
      if (!target) throw InputError(node_error(extends->source(), "extends: expected a file path (a string), got " + type_name(*extends)));
      // "" would name this file's own directory
      if (target->get().empty()) throw InputError(node_error(extends->source(), "extends: expected a file path, got an empty string",
                                                             "name the base scenario, or remove 'extends'"));
      const fs::path base_path = path.parent_path() / target->get();
      const std::string base_shown = (fs::path(shown).parent_path() / target->get()).lexically_normal().string();
      const toml::source_region where = extends->source();
      merged = load(base_path, base_shown, &where);
    }
    document.files.push_back({shown, sha256_hex(text)});

    // removals apply to the base alone, before this file's own values join it
    if (toml::node* remove = table.get("remove")) {
      if (!table.get("extends")) throw InputError(node_error(remove->source(), "remove: only a variant (a file with 'extends') can remove"));
      apply_removals(merged, *remove);
    }
    table.erase("extends");
    table.erase("remove");
    if (merged.empty()) merged = std::move(table);  // keeps the file's own place for messages about its top level
    else merge_into(merged, table);
    chain.pop_back();
    return merged;
  }

  /// Deletes each listed path from the merged table; every path must exist.
  void apply_removals(toml::table& merged, const toml::node& list) {
    const toml::array* paths = list.as_array();
    if (!paths) throw InputError(node_error(list.source(), "remove: expected a list of paths such as [\"events.unsc_2270\"]"));
    for (const auto& element : *paths) {
      auto path = element.as_string();
      if (!path) throw InputError(node_error(element.source(), "remove: expected a path string such as \"events.unsc_2270\""));
      auto parts = split_path(path->get());
      toml::table* parent = &merged;
      for (std::size_t k = 0; k < parts.size(); ++k) {
        toml::node* child = parent->get(parts[k]);
        if (!child) {
          throw InputError(node_error(element.source(), "remove: '" + path->get() + "' is not in the base scenario",
                                      suggestion(parts[k], keys_of(*parent))));
        }
        if (k + 1 == parts.size()) {
          parent->erase(parts[k]);
        } else if (!(parent = child->as_table())) {
          throw InputError(node_error(element.source(), "remove: '" + path->get() + "' does not name a table entry"));
        }
      }
    }
  }
};

bool bare_word(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '_' || ch == '-' || ch == ' ' || ch == '/' || ch == '.';
  });
}

void apply_override(toml::table& root, const std::string& argument) {
  const auto equals = argument.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError(file_error("--set " + argument, "expected PATH=VALUE, e.g. actors.A.compliance=0.8"));
  const std::string path = argument.substr(0, equals);
  const std::string text = argument.substr(equals + 1);
  const std::string origin = override_origin(path);

  // the value, read as TOML; a bare word that is not TOML is taken as a string, but text that starts like a
  // number (a digit or a sign) is meant as one, so its TOML error is reported instead
  toml::table parsed;
  try {
    parsed = toml::parse("value = " + text, origin);
  } catch (const toml::parse_error& error) {
    const bool numeric_start = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '+');
    if (!bare_word(text) || numeric_start)
      throw InputError(file_error(origin, path + ": cannot read value '" + text + "': " + std::string(error.description()),
                                  "strings may need quotes: --set 'PATH=\"text\"'"));
    std::ostringstream quoted;
    quoted << toml::value<std::string>(text);
    parsed = toml::parse("value = " + quoted.str(), origin);
  }

  const auto parts = split_path(path);
  toml::node* current = &root;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    toml::node* child = nullptr;
    if (auto table = current->as_table()) {
      child = table->get(parts[k]);
      if (!child)
        throw InputError(file_error(origin, "no '" + parts[k] + "' in the scenario at this point of the path",
                                    suggestion(parts[k], keys_of(*table))));
    } else if (auto array = current->as_array()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(parts[k].data(), parts[k].data() + parts[k].size(), index);
      const bool numeric = !parts[k].empty() && ec == std::errc{} && end == parts[k].data() + parts[k].size();
      if (!numeric || index >= array->size())
        throw InputError(file_error(origin, "'" + parts[k] + "' is not an index of a list of " + std::to_string(array->size())));
      child = array->get(index);
    }
    if (!child || !(child->is_table() || child->is_array()))
      throw InputError(file_error(origin, "'" + parts[k] + "' is a value, not a table, so it has no '" + parts[k + 1] + "'"));
    current = child;
  }
  toml::table* parent = current->as_table();
  if (!parent) throw InputError(file_error(origin, "can only set keys of tables"));
  parent->insert_or_assign(parts.back(), std::move(*parsed.get("value")));
}

}  // namespace

std::string override_origin(const std::string& path) { return "--set " + path; }

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (char ch : path) {
    if (ch == '.') {
      parts.push_back(part);
      part.clear();
    } else {
      part += ch;
    }
  }
  parts.push_back(part);
  return parts;
}

int ScenarioDocument::rank_of(const toml::source_region& where) const {
  if (!where.path) return static_cast<int>(files.size() + overrides.size());
  for (std::size_t k = 0; k < files.size(); ++k)
    if (files[k].path == *where.path) return static_cast<int>(k);
  for (std::size_t k = 0; k < overrides.size(); ++k)
    if (*where.path == override_origin(overrides[k].substr(0, overrides[k].find('=')))) return static_cast<int>(files.size() + k);
  return static_cast<int>(files.size() + overrides.size());
}

std::string input_file_problem(const fs::path& path) {
  if (path.empty()) return "no file named (an empty path)";
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return "no such file";
    if (errno == EACCES) return "permission denied";
    if (errno == ELOOP) return "too many symbolic links (a loop?)";
    if (errno == ENAMETOOLONG) return "the path is too long";
    return std::string("cannot read it: ") + std::strerror(errno);
  }
  if (S_ISREG(status.st_mode)) return {};
  if (S_ISDIR(status.st_mode)) return "it is a directory";
  if (S_ISFIFO(status.st_mode)) return "it is a named pipe (FIFO)";
  if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode)) return "it is a device";
  if (S_ISSOCK(status.st_mode)) return "it is a socket";
  return "it is not a regular file";
}

std::optional<std::string> read_limited(const fs::path& path, std::uintmax_t limit) {
  // without blocking: opening a named pipe for reading would wait for a writer, and no signal stops that
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (descriptor < 0) return std::nullopt;
  struct Closer {
    int descriptor;
    ~Closer() { ::close(descriptor); }
  } closer{descriptor};
  // checked on what was opened, not on the name: the file may have been swapped since it was looked at
  struct stat status {};
  if (::fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= limit) {
    const ssize_t count = ::read(descriptor, chunk, sizeof chunk);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return std::nullopt;  // an I/O error, not the end
    if (count == 0) break;
    text.append(chunk, static_cast<std::size_t>(count));
  }
  return text;
}

namespace {
ScenarioDocument load_document_from(const fs::path& path, const std::vector<std::string>& overrides, const std::string* text) {
  ScenarioDocument document;
  Loader loader{document, {}};
  document.root = loader.load(path, path.string(), nullptr, text);
  for (const auto& argument : overrides) {
    for (const auto& part : split_path(argument.substr(0, argument.find('='))))
      if (part.empty()) throw InputError(file_error("--set " + argument, "empty part in the path", "paths look like actors.A.compliance"));
    apply_override(document.root, argument);
    document.overrides.push_back(argument);
  }
  return document;
}
}  // namespace

ScenarioDocument load_document(const fs::path& path, const std::vector<std::string>& overrides) {
  return load_document_from(path, overrides, nullptr);
}

ScenarioDocument load_document_text(const std::string& text, const fs::path& path, const std::vector<std::string>& overrides) {
  return load_document_from(path, overrides, &text);
}

}  // namespace tiesim
