#include "core/text.hpp"

#include <charconv>
#include <algorithm>
#include <cmath>
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

}  // namespace tiesim
