#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "output/output_directory.hpp"
#include "support.hpp"

using namespace tiesim;
using tiesim::test::TempDir;

namespace {

/// The number of a process that has ended: a child that exits at once, reaped.
long long dead_process() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST_CASE("stale partial files and scratch folders of dead processes are removed, nothing else", "[output]") {
  TempDir dir;
  const std::string dead = std::to_string(dead_process());
  const std::string self = std::to_string(::getpid());
  dir.write(".ties.csv.partial-" + dead, std::string(1000, 'x'));
  dir.write(".manifest.partial.json.partial-" + dead, "{}");
  dir.write(".tiesim-scratch-" + dead + "/part-0.csv", std::string(500, 'y'));
  dir.write(".tiesim-probe-" + dead, "");
  dir.write(".events.csv.partial-" + self, "mine");   // this process is running
  dir.write(".dyads.csv.partial-1", "init's");        // process 1 always runs
  dir.write("ties.csv", "a result");
  dir.write("manifest.partial.json", "a stopped sweep's own, kept for --resume");
  dir.write("runs.csv.partial", "kept for --resume");
  dir.write(".hidden-note-" + dead, "not ours");

  const StaleFiles stale = remove_stale_files(dir.path());
  CHECK(stale.removed.size() == 4);
  CHECK(stale.bytes == 1000 + 2 + 500);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{".dyads.csv.partial-1", ".events.csv.partial-" + self, ".hidden-note-" + dead,
                                         "manifest.partial.json", "runs.csv.partial", "ties.csv"});
  CHECK(remove_stale_files(dir.path()).removed.empty());  // nothing more the second time
}
