#include "scenario/reader.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace tiesim {

namespace {
// a character as a message can show it: 'x', or its code when it is invisible
std::string describe_character(char ch) {
  const auto code = static_cast<unsigned char>(ch);
  if (code == '\n') return "a line break";
  if (code < 0x20 || code == 0x7F) return "a control character";
  if (code >= 0x80) return "a character outside ASCII";
  if (code == ' ') return "a space";
  return "'" + std::string(1, ch) + "'";
}

// integers in full (1000000, not 1e+06), other numbers as the shortest exact text
std::string number_text(double value) {
  if (std::abs(value) < 1e15 && value == std::floor(value)) return std::to_string(static_cast<long long>(value));
  return format_number(value);
}
}  // namespace

bool Range::contains(double value) const {
  if (low_open ? !(value > low) : !(value >= low)) return false;
  return value <= high;
}

std::string Range::describe() const {
  const bool bounded_low = std::isfinite(low), bounded_high = std::isfinite(high);
  if (bounded_low && bounded_high) {
    if (low_open) return "a number > " + number_text(low) + " and ≤ " + number_text(high);
    return "a number from " + number_text(low) + " to " + number_text(high);
  }
  if (bounded_low) return std::string("a number ") + (low_open ? "> " : "≥ ") + number_text(low);
  if (bounded_high) return "a number ≤ " + number_text(high);
  return "a finite number";
}

toml::source_region place_of(const toml::node* node, const toml::node& parent) {
  if (node && node->source().begin.line > 0) return node->source();
  return parent.source();
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::string id_problem(std::string_view name, std::string_view what) {
  const std::string kind(what);
  if (name.empty()) return kind + " cannot be empty";
  if (name.size() > 64) return kind + " is at most 64 characters, got " + std::to_string(name.size());
  // a comma, a quote, a dot or a line end would change the columns a reader sees; a dot marks a parameter
  const auto bad = std::find_if(name.begin(), name.end(), [](unsigned char ch) { return !(std::isalnum(ch) || ch == '_' || ch == '-'); });
  if (bad != name.end()) return kind + " is letters, digits, '_' or '-' only: '" + shortened(name) + "' holds " + describe_character(*bad);
  return {};
}

std::string column_name_problem(std::string_view name, std::string_view what) {
  if (auto problem = id_problem(name, what); !problem.empty()) return problem;
  const std::string kind(what);
  for (const auto& fixed : fixed_run_columns) {
    const bool same = name.size() == fixed.size() && std::equal(name.begin(), name.end(), fixed.begin(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == b;
    });
    if (same) return kind + " cannot be '" + std::string(name) + "': runs.csv has a column of that name already";
  }
  return {};
}

std::string shortened(std::string_view text) {
  constexpr std::size_t shown = 64;
  std::size_t cut = std::min(shown, text.size());
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  // control characters written as escapes: a line break must not split the message
  std::string result;
  for (char ch : text.substr(0, cut)) {
    const auto code = static_cast<unsigned char>(ch);
    if (ch == '\n') result += "\\n";
    else if (code < 0x20 || code == 0x7F) {
      const char* digits = "0123456789abcdef";
      result += std::string("\\x") + digits[code >> 4] + digits[code & 15];
    } else result += ch;
  }
  if (cut < text.size()) result += "… (" + std::to_string(text.size()) + " characters)";
  return result;
}

std::optional<Date> date_of_node(const toml::node& node) {
  if (auto date = node.as_date()) {
    const auto& d = date->get();
    const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{d.month}, std::chrono::day{d.day}};
    if (!ymd.ok()) return std::nullopt;
    return Date{std::chrono::sys_days{ymd}};
  }
  if (auto text = node.as_string()) return Date::parse(text->get());
  return std::nullopt;
}

TableReader::TableReader(const toml::table& table, std::string path, Diagnostics& diagnostics)
    : table_(table), path_(std::move(path)), diagnostics_(diagnostics) {}

std::string TableReader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::node(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return table_.get(key);
}

bool TableReader::has(std::string_view key) const { return table_.get(key) != nullptr; }

void TableReader::wrong_type(std::string_view key, const toml::node& value, std::string_view expected) {
  diagnostics_.error(place_of(&value, table_),
                     key_path(key) + ": expected " + std::string(expected) + ", got " + type_name(value));
}

void TableReader::error(std::string_view key, std::string message, std::string hint) {
  diagnostics_.error(place_of(table_.get(key), table_), key_path(key) + ": " + std::move(message), std::move(hint));
}

void TableReader::warning(std::string_view key, std::string message, std::string hint) {
  diagnostics_.warning(place_of(table_.get(key), table_), key_path(key) + ": " + std::move(message), std::move(hint));
}

void TableReader::missing(std::string_view key, std::string_view expected) {
  diagnostics_.error(table_.source(), (path_.empty() ? std::string("top level") : path_) + ": missing required key '" +
                                          std::string(key) + "' (" + std::string(expected) + ")");
}

std::optional<double> TableReader::number(std::string_view key, Range range) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  double number = 0;
  if (auto integer = value->as_integer()) number = static_cast<double>(integer->get());
  else if (auto floating = value->as_floating_point()) number = floating->get();
  else {
    wrong_type(key, *value, range.describe());
    return std::nullopt;
  }
  if (!std::isfinite(number)) {
    diagnostics_.error(place_of(value, table_), key_path(key) + ": expected " + range.describe() + ", got " + number_text(number));
    return std::nullopt;
  }
  if (!range.contains(number)) {
    diagnostics_.error(place_of(value, table_), key_path(key) + ": expected " + range.describe() + ", got " + number_text(number));
    return std::nullopt;
  }
  return number;
}

double TableReader::number(std::string_view key, double fallback, Range range) {
  return number(key, range).value_or(fallback);
}

std::optional<double> TableReader::required_number(std::string_view key, Range range) {
  if (!has(key)) {
    node(key);
    missing(key, range.describe());
    return std::nullopt;
  }
  return number(key, range);
}

std::optional<long long> TableReader::integer(std::string_view key, long long low, long long high) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  const std::string expected = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
  auto integer = value->as_integer();
  if (!integer) {
    wrong_type(key, *value, expected);
    return std::nullopt;
  }
  if (integer->get() < low || integer->get() > high) {
    diagnostics_.error(place_of(value, table_), key_path(key) + ": expected " + expected + ", got " + std::to_string(integer->get()));
    return std::nullopt;
  }
  return integer->get();
}

std::optional<std::string> TableReader::string(std::string_view key) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  auto text = value->as_string();
  if (!text) {
    wrong_type(key, *value, "a string");
    return std::nullopt;
  }
  return text->get();
}

std::optional<std::string> TableReader::required_string(std::string_view key) {
  if (!has(key)) {
    node(key);
    missing(key, "a string");
    return std::nullopt;
  }
  return string(key);
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  auto flag = value->as_boolean();
  if (!flag) {
    wrong_type(key, *value, "true or false");
    return std::nullopt;
  }
  return flag->get();
}

std::optional<Date> TableReader::date(std::string_view key) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  auto date = date_of_node(*value);
  if (!date) {
    diagnostics_.error(place_of(value, table_), key_path(key) + ": expected a date such as 2016-03-02, got " +
                                                    (value->is_string() ? "\"" + value->as_string()->get() + "\"" : type_name(*value)));
  }
  return date;
}

std::optional<Date> TableReader::required_date(std::string_view key) {
  if (!has(key)) {
    node(key);
    missing(key, "a date such as 2016-03-02");
    return std::nullopt;
  }
  return date(key);
}

const toml::table* TableReader::table(std::string_view key) {
  const toml::node* value = node(key);
  if (!value) return nullptr;
  if (!value->is_table()) {
    wrong_type(key, *value, "a table");
    return nullptr;
  }
  return value->as_table();
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key) {
  const toml::node* value = node(key);
  if (!value) return std::nullopt;
  if (auto text = value->as_string()) return std::vector<std::string>{text->get()};
  auto array = value->as_array();
  if (!array) {
    wrong_type(key, *value, "a string or a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> list;
  for (const auto& element : *array) {
    auto text = element.as_string();
    if (!text) {
      diagnostics_.error(place_of(&element, table_), key_path(key) + ": expected a list of strings, found " + type_name(element) + " in it");
      return std::nullopt;
    }
    list.push_back(text->get());
  }
  return list;
}

void TableReader::forbid(std::string_view key, std::string_view why) {
  const toml::node* value = node(key);
  if (value) diagnostics_.error(place_of(value, table_), key_path(key) + ": not allowed here: " + std::string(why));
}

void TableReader::accept_all() {
  for (const auto& [key, value] : table_) node(key.str());
}

void TableReader::finish() {
  for (const auto& [key, value] : table_) {
    const std::string_view name = key.str();
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    const auto where = key.source().begin.line > 0 ? key.source() : place_of(&value, table_);
    diagnostics_.error(where, "unknown key '" + shortened(key_path(name)) + "'", suggestion(name, known_));
  }
}

namespace {
std::string with_article(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

int index_of(const std::vector<std::string>& ids, const std::string& id) {
  auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : static_cast<int>(it - ids.begin());
}
}  // namespace

std::optional<int> lookup_id(TableReader& reader, std::string_view key, const std::vector<std::string>& ids,
                             std::string_view what, bool required) {
  const toml::node* node = reader.node(key);
  if (!node) {
    if (required) reader.missing(key, with_article(what) + " id");
    return std::nullopt;
  }
  auto text = node->as_string();
  if (!text) {
    reader.error(key, "expected " + with_article(what) + " id (a string), got " + type_name(*node));
    return std::nullopt;
  }
  const int index = index_of(ids, text->get());
  if (index < 0) {
    reader.error(key, "unknown " + std::string(what) + " '" + shortened(text->get()) + "'", suggestion(text->get(), ids));
    return std::nullopt;
  }
  return index;
}

std::optional<std::vector<int>> lookup_ids(TableReader& reader, std::string_view key, const std::vector<std::string>& ids,
                                           std::string_view what, bool required) {
  if (!reader.has(key)) {
    reader.node(key);
    if (required) reader.missing(key, std::string(what) + " id, a list of them, or \"*\"");
    return std::nullopt;
  }
  auto names = reader.strings(key);
  if (!names) return std::nullopt;
  if (required && names->empty()) {
    // an empty list where one is required would make the whole entry do nothing
    reader.error(key, "expected at least one " + std::string(what) + " id, or \"*\"");
    return std::nullopt;
  }
  std::vector<int> indices;
  if (names->size() == 1 && names->front() == "*") {
    for (int k = 0; k < static_cast<int>(ids.size()); ++k) indices.push_back(k);
    return indices;
  }
  bool ok = true;
  const toml::array* list = reader.node(key)->as_array();
  for (std::size_t k = 0; k < names->size(); ++k) {
    const std::string& name = (*names)[k];
    const int index = index_of(ids, name);
    // the element's own place when the ids are a list
    const toml::node* element = list ? list->get(k) : nullptr;
    if (index < 0) {
      reader.diagnostics().error(place_of(element ? element : reader.node(key), reader.raw()),
                                 reader.key_path(key) + ": unknown " + std::string(what) + " '" + shortened(name) + "'", suggestion(name, ids));
      ok = false;
    } else if (std::find(indices.begin(), indices.end(), index) != indices.end()) {
      reader.diagnostics().error(place_of(element ? element : reader.node(key), reader.raw()),
                                 reader.key_path(key) + ": " + std::string(what) + " '" + name + "' is listed twice");
      ok = false;
    } else {
      indices.push_back(index);
    }
  }
  if (!ok) return std::nullopt;
  return indices;
}

}  // namespace tiesim
