#pragma once
/// An output directory whose files appear whole or not at all: each is written under a temporary name and
/// renamed into place only when every file of the run is complete.
#include <filesystem>
#include <string>
#include <vector>

namespace tiesim {

/// What remove_stale_files removed.
struct StaleFiles {
  std::vector<std::filesystem::path> removed;  // hidden partial files and scratch folders
  std::uintmax_t bytes = 0;
};

/// Removes, in `directory`, the hidden partial files (`.NAME.partial-PID`) and scratch folders
/// (`.tiesim-scratch-PID`, `.tiesim-probe-PID`) of processes that no longer run on this machine: a run or
/// sweep killed with SIGKILL leaves them, and nothing else would. Those of running processes are left
/// alone. Says on stderr what it removed, once, when it removed anything.
StaleFiles remove_stale_files(const std::filesystem::path& directory);

class OutputDirectory {
 public:
  /// Creates `directory` if needed and removes the stale files of dead processes in it (remove_stale_files).
  /// Throws InputError (bad input, exit 2) when it cannot be created or written.
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
