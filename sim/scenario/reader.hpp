#pragma once
/// Typed, checked reading of one TOML table: every value is checked for type and range where it is read,
/// and `finish()` reports keys nobody asked for, with a suggestion.
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/date.hpp"
#include "scenario/diagnostics.hpp"

namespace tiesim {

/// An allowed interval for a number, with the words used in messages.
struct Range {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = false;  // low itself excluded

  static Range at_least(double low) { return {low, std::numeric_limits<double>::infinity(), false}; }
  static Range above(double low) { return {low, std::numeric_limits<double>::infinity(), true}; }
  static Range between(double low, double high) { return {low, high, false}; }
  bool contains(double value) const;
  std::string describe() const;  // "a number ≥ 0", "a number from 0 to 1"
};

/// The place of a node for messages: its own, or its parent table's when it has none.
toml::source_region place_of(const toml::node* node, const toml::node& parent);

/// "integer", "string", "table", … for messages.
std::string type_name(const toml::node& node);

class TableReader {
 public:
  /// `path` names the table in messages ("actors.A").
  TableReader(const toml::table& table, std::string path, Diagnostics& diagnostics);

  /// The raw node (nullptr when absent); marks the key as known.
  const toml::node* node(std::string_view key);
  bool has(std::string_view key) const;

  std::optional<double> number(std::string_view key, Range range);
  double number(std::string_view key, double fallback, Range range);
  std::optional<double> required_number(std::string_view key, Range range);
  std::optional<long long> integer(std::string_view key, long long low, long long high);
  std::optional<std::string> string(std::string_view key);
  std::optional<std::string> required_string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<Date> date(std::string_view key);
  std::optional<Date> required_date(std::string_view key);
  const toml::table* table(std::string_view key);
  /// A list of strings; a single string counts as a list of one.
  std::optional<std::vector<std::string>> strings(std::string_view key);
  /// Reports the key as not allowed here (it is known, just wrong in this place).
  void forbid(std::string_view key, std::string_view why);
  /// Reports a missing required key at the table's place.
  void missing(std::string_view key, std::string_view expected);
  /// Reports an error about the value of a key (or the table when the key is absent).
  void error(std::string_view key, std::string message, std::string hint = {});
  /// Reports a warning about the value of a key: it works, but is surely not meant.
  void warning(std::string_view key, std::string message, std::string hint = {});
  /// Reports every key that was never asked for.
  void finish();
  /// Takes every key as known: when a table's kind is missing or wrong, its other keys cannot be judged.
  void accept_all();

  const std::string& path() const { return path_; }
  const toml::table& raw() const { return table_; }
  Diagnostics& diagnostics() { return diagnostics_; }
  std::string key_path(std::string_view key) const;

 private:
  void wrong_type(std::string_view key, const toml::node& value, std::string_view expected);

  const toml::table& table_;
  std::string path_;
  Diagnostics& diagnostics_;
  std::vector<std::string> known_;
};

/// The index of the id named by `key` among `ids` (`what` names the kind in messages: "actor").
std::optional<int> lookup_id(TableReader& reader, std::string_view key, const std::vector<std::string>& ids,
                             std::string_view what, bool required);
/// An id list: one id, a list of ids, or "*" (all of `ids`); duplicates are errors.
std::optional<std::vector<int>> lookup_ids(TableReader& reader, std::string_view key, const std::vector<std::string>& ids,
                                           std::string_view what, bool required);

/// The fixed columns of runs.csv, and of hits.csv and replicates.csv (`particle`), which no target or metric
/// may be named after.
inline const std::vector<std::string> fixed_run_columns = {"run", "point", "replicate", "seed", "role", "status", "particle"};

/// What is wrong with `name` as an id, or "" when nothing is: 1 to 64 ASCII letters, digits, '_' or '-'.
/// `what` names it in the message ("a target id").
std::string id_problem(std::string_view name, std::string_view what);
/// The same for a name that is a column of runs.csv on its own (a target id, a metric name): an id, and none
/// of runs.csv's fixed columns, in any case.
std::string column_name_problem(std::string_view name, std::string_view what);

/// `text` as shown in a message: at most 64 characters, then "…" and how many more there were.
std::string shortened(std::string_view text);

/// A string or a TOML date in YYYY-MM-DD form; nullopt when neither.
std::optional<Date> date_of_node(const toml::node& node);

}  // namespace tiesim
