#include "core/text.hpp"

#include <charconv>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace tiesim {

std::string format_number(double value) {
  char buffer[max_number_chars];
  return std::string(buffer, format_number(buffer, value));
}

char* format_number(char* out, double value) {
  auto copy = [out](std::string_view text) { return std::copy(text.begin(), text.end(), out); };
  if (std::isnan(value)) return copy("NaN");
  if (std::isinf(value)) return copy(value > 0 ? "Inf" : "-Inf");
  if (value == 0) return copy("0");  // also for −0, which R and pandas would print as 0 anyway
  return std::to_chars(out, out + max_number_chars, value).ptr;
}

namespace {

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// the length of a run of digits at `at`, without a leading zero unless it is "0" alone; -1 for a leading zero
int digits_at(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end < text.size() && is_digit(text[end])) ++end;
  if (end - at > 1 && text[at] == '0') return -1;
  return static_cast<int>(end - at);
}

}  // namespace

std::string decimal_integer_problem(std::string_view text) {
  if (text.empty()) return "expected an integer, got nothing";
  if (text[0] == '+') return "write the number without a '+'";
  const std::size_t start = text[0] == '-' ? 1 : 0;
  const std::string_view body = text.substr(start);
  if (body.size() > 1 && body[0] == '0' && std::string_view("xXoObB").find(body[1]) != std::string_view::npos)
    return "numbers are decimal: a 0x, 0o or 0b prefix is not taken";
  const bool all_digits = !body.empty() && std::all_of(body.begin(), body.end(), is_digit);
  if (all_digits && digits_at(text, start) < 0)
    return "leading zeros are not allowed, as in TOML (it is not read as octal or as " +
           std::string(body.substr(std::min(body.find_first_not_of('0'), body.size() - 1))) + ")";
  if (all_digits) return {};
  if (parse_decimal(text)) return "not an integer";
  return "not a number";
}

std::optional<long long> parse_decimal_integer(std::string_view text) {
  if (!decimal_integer_problem(text).empty()) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_decimal(std::string_view text) {
  // the shape first: strtod alone would take hex, "inf", "nan" and leading zeros
  std::size_t at = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
  const int whole = digits_at(text, at);
  if (whole < 0) return std::nullopt;
  at += static_cast<std::size_t>(whole);
  int fraction = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at + static_cast<std::size_t>(fraction) < text.size() && is_digit(text[at + static_cast<std::size_t>(fraction)])) ++fraction;
    at += static_cast<std::size_t>(fraction);
    if (fraction == 0) return std::nullopt;
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    std::size_t exponent = 0;
    while (at < text.size() && is_digit(text[at])) ++at, ++exponent;
    if (exponent == 0) return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::string copy(text);
  const double value = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::size_t shown_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad(std::string text, std::size_t width) {
  const std::size_t shown = shown_width(text);
  if (shown < width) text.append(width - shown, ' ');
  return text;
}

}  // namespace tiesim
