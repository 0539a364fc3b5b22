#include "output/output_directory.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <optional>

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

/// The process number a stale-file name ends with ("-1234"), when the name is one of ours.
std::optional<long long> owner_of(const std::string& name) {
  if (name.size() < 2 || name[0] != '.') return std::nullopt;
  const auto dash = name.rfind('-');
  if (dash == std::string::npos || dash + 1 == name.size()) return std::nullopt;
  const bool ours = name.rfind(".tiesim-scratch-", 0) == 0 || name.rfind(".tiesim-probe-", 0) == 0 ||
                    (dash >= 8 && name.compare(dash - 8, 8, ".partial") == 0);
  if (!ours) return std::nullopt;
  long long pid = 0;
  for (std::size_t k = dash + 1; k < name.size(); ++k) {
    if (name[k] < '0' || name[k] > '9' || pid > 1'000'000'000) return std::nullopt;
    pid = pid * 10 + (name[k] - '0');
  }
  return pid > 0 ? std::optional<long long>(pid) : std::nullopt;
}

/// Whether process `pid` runs on this machine (EPERM: it runs, as another user).
bool running(long long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }
}  // namespace

StaleFiles remove_stale_files(const fs::path& directory) {
  StaleFiles stale;
  std::error_code ec;
  std::vector<fs::path> found;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const auto pid = owner_of(it->path().filename().string());
    if (pid && *pid != ::getpid() && !running(*pid)) found.push_back(it->path());
  }
  for (const auto& path : found) {
    std::uintmax_t bytes = 0;
    std::error_code size_error;
    if (fs::is_directory(path, size_error)) {
      for (fs::recursive_directory_iterator it(path, size_error), end; !size_error && it != end; it.increment(size_error))
        if (it->is_regular_file(size_error)) bytes += it->file_size(size_error);
    } else {
      bytes = fs::file_size(path, size_error);
      if (size_error) bytes = 0;
    }
    std::error_code remove_error;
    fs::remove_all(path, remove_error);
    if (remove_error) continue;
    stale.removed.push_back(path);
    stale.bytes += bytes;
  }
  if (!stale.removed.empty()) {
    std::string names;
    for (std::size_t k = 0; k < stale.removed.size() && k < 3; ++k) names += (k ? ", " : "") + stale.removed[k].filename().string();
    if (stale.removed.size() > 3) names += ", …";
    std::fprintf(stderr, "tiesim: removed %zu stale file%s of stopped processes from '%s' (%.1f MB): %s\n", stale.removed.size(),
                 stale.removed.size() == 1 ? "" : "s", directory.string().c_str(), static_cast<double>(stale.bytes) / 1e6, names.c_str());
  }
  return stale;
}

OutputDirectory::OutputDirectory(fs::path directory) : directory_(std::move(directory)) {
  std::error_code ec;
  if (fs::exists(directory_, ec) && !fs::is_directory(directory_, ec))
    throw InputError(output_problem(directory_, "it exists and is not a directory"));
  fs::create_directories(directory_, ec);
  if (ec) throw InputError(output_problem(directory_, ec.message()));
  remove_stale_files(directory_);
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
