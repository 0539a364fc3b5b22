#include "output/output_directory.hpp"

#include <unistd.h>

#include <fstream>

#include "output/csv.hpp"
#include "scenario/diagnostics.hpp"

namespace tiesim {

namespace fs = std::filesystem;

namespace {
Diagnostic output_problem(const fs::path& directory, const std::string& why) {
  Diagnostic diagnostic;
  diagnostic.file = directory.string();
  diagnostic.message = "cannot write output directory '" + directory.string() + "': " + why;
  diagnostic.hint = "choose another directory with -o DIR";
  return diagnostic;
}

std::string tag() { return std::to_string(::getpid()); }
}  // namespace

OutputDirectory::OutputDirectory(fs::path directory) : directory_(std::move(directory)) {
  std::error_code ec;
  if (fs::exists(directory_, ec) && !fs::is_directory(directory_, ec))
    throw InputError(output_problem(directory_, "it exists and is not a directory"));
  fs::create_directories(directory_, ec);
  if (ec) throw InputError(output_problem(directory_, ec.message()));
  // probe: a directory can exist and still refuse files (read-only, no permission)
  const fs::path probe = directory_ / (".tiesim-probe-" + tag());
  {
    std::ofstream out(probe);
    if (!out) throw InputError(output_problem(directory_, "permission denied or read-only"));
  }
  fs::remove(probe, ec);
}

OutputDirectory::~OutputDirectory() {
  if (committed_) return;
  std::error_code ec;
  for (const auto& name : names_) fs::remove(directory_ / ("." + name + ".partial-" + tag()), ec);
  if (!scratch_.empty()) fs::remove_all(scratch_, ec);
}

fs::path OutputDirectory::staged(const std::string& name) {
  names_.push_back(name);
  return directory_ / ("." + name + ".partial-" + tag());
}

fs::path OutputDirectory::scratch() {
  if (scratch_.empty()) {
    scratch_ = directory_ / (".tiesim-scratch-" + tag());
    std::error_code ec;
    fs::create_directories(scratch_, ec);
    if (ec) throw OutputError("cannot create '" + scratch_.string() + "': " + ec.message());
  }
  return scratch_;
}

void OutputDirectory::commit() {
  for (const auto& name : names_) {
    std::error_code ec;
    fs::rename(directory_ / ("." + name + ".partial-" + tag()), directory_ / name, ec);
    if (ec) throw OutputError("cannot move '" + name + "' into place in '" + directory_.string() + "': " + ec.message());
  }
  committed_ = true;
  std::error_code ec;
  if (!scratch_.empty()) fs::remove_all(scratch_, ec);
}

}  // namespace tiesim
