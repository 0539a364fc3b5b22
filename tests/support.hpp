#pragma once
// Helpers shared by the tests: scenarios from inline text, temporary directories, file contents.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "scenario/loader.hpp"

namespace tiesim::test {

/// A fresh directory under the system's temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tiesim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  /// Writes `text` to `name` inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Loads a scenario from inline TOML.
inline Scenario scenario_from(const std::string& text, const std::vector<std::string>& overrides = {}) {
  TempDir dir;
  return load_scenario(dir.write("scenario.toml", text), overrides);
}

inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(TIESIM_SOURCE_DIR) / relative;
}

}  // namespace tiesim::test
