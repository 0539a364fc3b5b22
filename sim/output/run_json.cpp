#include "output/run_json.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "output/csv.hpp"
#include "version.hpp"

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

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void write_run_json(const std::filesystem::path& path, const Scenario& scenario, const RunMetadata& metadata) {
  const Model& model = scenario.model;
  std::ostringstream json;
  json << "{\n";
  json << "  \"program\": {\"name\": \"tiesim\", \"version\": " << json_string(version) << "},\n";
  json << "  \"command\": " << json_string(metadata.command) << ",\n";
  json << "  \"scenario\": {\"path\": " << json_string(scenario.path) << ", \"name\": " << json_string(model.name)
       << ", \"sha256\": " << json_string(scenario.document.files.back().sha256) << ", \"files\": [";
  for (std::size_t k = 0; k < scenario.document.files.size(); ++k) {
    const auto& file = scenario.document.files[k];
    json << (k ? ", " : "") << "{\"path\": " << json_string(file.path) << ", \"sha256\": " << json_string(file.sha256) << "}";
  }
  json << "]},\n  \"overrides\": [";
  for (std::size_t k = 0; k < scenario.document.overrides.size(); ++k)
    json << (k ? ", " : "") << json_string(scenario.document.overrides[k]);
  json << "],\n";
  json << "  \"seed\": " << metadata.options.seed << ",\n";
  json << "  \"replicates\": " << metadata.options.replicates << ",\n";
  json << "  \"replicate_seeds\": [";
  for (std::size_t k = 0; k < metadata.result.replicate_seeds.size(); ++k)
    json << (k ? ", " : "") << metadata.result.replicate_seeds[k];
  json << "],\n";
  json << "  \"calendar\": {\"start\": " << json_string(model.calendar.start.iso()) << ", \"end\": "
       << json_string(model.calendar.end.iso()) << ", \"step\": " << json_string(step_unit_name(model.calendar.unit))
       << ", \"steps\": " << model.calendar.step_count() << ", \"spinup_steps\": " << model.spinup_steps << "},\n";
  json << "  \"record\": {\"every\": " << metadata.options.record.every << ", \"files\": [";
  for (std::size_t k = 0; k < metadata.result.files.size(); ++k) json << (k ? ", " : "") << json_string(metadata.result.files[k]);
  json << "]";
  // the rows recorded, when `run --actors` or `--channels` chose some (absent: every row)
  auto ids = [&](const char* key, const std::vector<int>& list, auto id_of) {
    if (list.empty()) return;
    json << ", \"" << key << "\": [";
    for (std::size_t k = 0; k < list.size(); ++k) json << (k ? ", " : "") << json_string(id_of(list[k]));
    json << "]";
  };
  ids("actors", metadata.options.record.actors, [&](int a) { return model.actors[static_cast<std::size_t>(a)].id; });
  ids("channels", metadata.options.record.channels, [&](int c) { return model.channels[static_cast<std::size_t>(c)].id; });
  json << "},\n";
  if (metadata.holdout) {
    auto list = [&](const std::vector<std::string>& items) {
      json << "[";
      for (std::size_t k = 0; k < items.size(); ++k) json << (k ? ", " : "") << json_string(items[k]);
      json << "]";
    };
    json << "  \"holdout\": {\"until\": " << json_string(metadata.holdout->until) << ", \"in_sample\": ";
    list(metadata.holdout->in_sample);
    json << ", \"out_of_sample\": ";
    list(metadata.holdout->out_of_sample);
    json << "},\n";
  }
  json << "  \"parameters\": " << toml::json_formatter{scenario.document.root} << "\n";
  json << "}\n";
  std::ofstream out(path, std::ios::binary);
  out << json.str();
  out.close();
  if (!out) throw OutputError("cannot write '" + path.string() + "'");
}

}  // namespace tiesim
