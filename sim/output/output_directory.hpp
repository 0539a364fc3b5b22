#pragma once
/// An output directory whose files appear whole or not at all: each is written under a temporary name and
/// renamed into place only when every file of the run is complete.
#include <filesystem>
#include <string>
#include <vector>

namespace tiesim {

class OutputDirectory {
 public:
  /// Creates `directory` if needed. Throws InputError (bad input, exit 2) when it cannot be created or
  /// written.
  explicit OutputDirectory(std::filesystem::path directory);
  /// Removes whatever was not committed.
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  /// The temporary path under which the file `name` is written until commit().
  std::filesystem::path staged(const std::string& name);
  /// A private scratch folder inside the directory, removed with the uncommitted files.
  std::filesystem::path scratch();
  /// Renames every staged file to its final name.
  void commit();

  const std::filesystem::path& path() const { return directory_; }

 private:
  std::filesystem::path directory_;
  std::filesystem::path scratch_;
  std::vector<std::string> names_;
  bool committed_ = false;
};

}  // namespace tiesim
