#include "output/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/text.hpp"
#include "scenario/diagnostics.hpp"

namespace tiesim {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char ch : text) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (ch < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", ch);
          out += buffer;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out + "\"";
}

namespace {

/// Writes `value`, nested `level` deep: an object below `expanded_levels` puts a key per line.
void write_value(std::string& out, const nlohmann::ordered_json& value, int level, int expanded_levels) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      const bool expanded = level < expanded_levels && !value.empty();
      const std::string indent = expanded ? "\n" + std::string(2 * static_cast<std::size_t>(level + 1), ' ') : "";
      out += "{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        out += first ? "" : ",";
        out += expanded ? indent : (first ? "" : " ");
        first = false;
        out += json_string(key) + ": ";
        write_value(out, item, level + 1, expanded_levels);
      }
      if (expanded) out += "\n" + std::string(2 * static_cast<std::size_t>(level), ' ');
      out += "}";
      break;
    }
    case nlohmann::json::value_t::array: {
      out += "[";
      for (std::size_t k = 0; k < value.size(); ++k) {
        out += k ? ", " : "";
        write_value(out, value[k], expanded_levels, expanded_levels);
      }
      out += "]";
      break;
    }
    case nlohmann::json::value_t::string: out += json_string(value.get_ref<const std::string&>()); break;
    case nlohmann::json::value_t::number_float: {
      const double number = value.get<double>();
      out += std::isfinite(number) ? format_number(number) : "null";
      break;
    }
    default: out += value.dump(); break;  // integers, booleans, null
  }
}

}  // namespace

std::string json_document(const nlohmann::ordered_json& document, int expanded_levels) {
  std::string out;
  write_value(out, document, 0, std::max(1, expanded_levels));
  return out + "\n";
}

nlohmann::ordered_json read_json(const std::filesystem::path& path, const std::string& what, const std::string& hint) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in) throw InputError(Diagnostic{path.string(), 0, 0, "cannot read " + what, hint});
  const std::string text = buffer.str();
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // the place of the error, and nlohmann's description of it without its "[json.exception…] … column N: " prefix
    const std::size_t at = std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, text.size());
    int line = 1, column = 1;
    for (std::size_t k = 0; k < at; ++k) {
      if (text[k] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string reason = error.what();
    if (const auto colon = reason.find(": ", reason.find("parse error")); colon != std::string::npos) reason.erase(0, colon + 2);
    throw InputError(Diagnostic{path.string(), line, column, "not " + what + ": invalid JSON (" + reason + ")", hint});
  }
}

}  // namespace tiesim
