#pragma once
/// JSON files: run.json, validation.json and sweeps' manifest.json are written in one layout (a top-level key
/// per line, so line tools can pick fields out) and read with nlohmann-json.
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tiesim {

/// JSON string literal with escapes.
std::string json_string(std::string_view text);

/// `document` (an object) as text, keys in order: objects nested less than `expanded_levels` deep put a key per
/// line, indented by two spaces a level (1: only the top level); deeper objects and every array stay on their
/// key's line, with ", " and ": " between items. Numbers are written as in the CSV files (shortest text that
/// reads back as the same double); a NaN or infinity, which JSON lacks, as null. Ends with a line end.
std::string json_document(const nlohmann::ordered_json& document, int expanded_levels = 1);

/// Parses the JSON file at `path`, keeping the order of keys. A file that cannot be read, or is not JSON,
/// is an InputError at its line and column: "not <what>: …", with `hint`.
nlohmann::ordered_json read_json(const std::filesystem::path& path, const std::string& what, const std::string& hint);

}  // namespace tiesim
