#pragma once
/// Errors in input, each with its place: file, line and column, what was expected, and a suggestion.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace tiesim {

struct Diagnostic {
  std::string file;      // path, or "command line"
  int line = 0;          // 1-based; 0 when unknown
  int column = 0;        // 1-based; 0 when unknown
  std::string message;   // what is wrong and what was expected
  std::string hint;      // a suggestion, may be empty
  bool warning = false;  // something that works but is surely not meant; never stops a command

  /// "file:line:column: error: message" (or "warning:") and, when there is one, "\n  hint: …"
  std::string format() const;
};

/// Bad input: the program reports every diagnostic and exits with status 2, writing nothing.
class InputError : public std::exception {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(Diagnostic diagnostic);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::string text_;
};

/// Collects diagnostics while a scenario is read, so that one pass reports them all.
class Diagnostics {
 public:
  /// At most this many are kept; the rest are counted, so a file of a million typos stays readable.
  static constexpr std::size_t max_kept = 100;

  /// Diagnostics about places that have no file of their own (the merged top level) point here, line 1.
  explicit Diagnostics(std::string default_file = {}) : default_file_(std::move(default_file)) {}

  /// Reports a problem at a node's place.
  void error(const toml::source_region& where, std::string message, std::string hint = {});
  void error(Diagnostic diagnostic);
  /// Reports, apart from the errors, something that works but is surely not meant (a target always met).
  void warning(const toml::source_region& where, std::string message, std::string hint = {});
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  bool empty() const { return list_.empty(); }
  /// Throws InputError when any diagnostic was reported.
  void throw_if_any() const;

 private:
  std::string default_file_;
  std::vector<Diagnostic> list_;
  std::vector<Diagnostic> warnings_;
  std::size_t dropped_ = 0;
};

/// Damerau–Levenshtein distance, for "did you mean" suggestions.
int edit_distance(std::string_view a, std::string_view b);
/// The closest candidate to `word` if it is close enough to be a likely typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
/// "did you mean 'x'?" or "expected one of: a, b, c" when nothing is close.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tiesim
