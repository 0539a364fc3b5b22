#include "output/run_json.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "output/csv.hpp"
#include "core/version.hpp"

namespace tiesim {

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
  json << "  \"seed\": " << metadata.seed << ",\n";
  json << "  \"replicates\": " << metadata.replicates << ",\n";
  json << "  \"replicate_seeds\": [";
  for (std::size_t k = 0; k < metadata.replicate_seeds.size(); ++k)
    json << (k ? ", " : "") << metadata.replicate_seeds[k];
  json << "],\n";
  json << "  \"calendar\": {\"start\": " << json_string(model.calendar.start.iso()) << ", \"end\": "
       << json_string(model.calendar.end.iso()) << ", \"step\": " << json_string(step_unit_name(model.calendar.unit))
       << ", \"steps\": " << model.calendar.step_count() << ", \"spinup_steps\": " << model.spinup_steps << "},\n";
  json << "  \"record\": {\"every\": " << metadata.record.every << ", \"files\": [";
  for (std::size_t k = 0; k < metadata.files.size(); ++k) json << (k ? ", " : "") << json_string(metadata.files[k]);
  json << "]";
  // the rows recorded, when `run --actors` or `--channels` chose some (absent: every row)
  auto ids = [&](const char* key, const std::vector<int>& list, auto id_of) {
    if (list.empty()) return;
    json << ", \"" << key << "\": [";
    for (std::size_t k = 0; k < list.size(); ++k) json << (k ? ", " : "") << json_string(id_of(list[k]));
    json << "]";
  };
  ids("actors", metadata.record.actors, [&](int a) { return model.actors[static_cast<std::size_t>(a)].id; });
  ids("channels", metadata.record.channels, [&](int c) { return model.channels[static_cast<std::size_t>(c)].id; });
  json << "},\n";
  json << "  \"parameters\": " << toml::json_formatter{scenario.document.root} << "\n";
  json << "}\n";
  std::ofstream out(path, std::ios::binary);
  out << json.str();
  out.close();
  if (!out) throw OutputError("cannot write '" + path.string() + "'");
}

}  // namespace tiesim
