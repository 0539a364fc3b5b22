// Replays every input the fuzzers ever crashed on (tests/data/fuzz-regressions/{scenario,experiment,runs}/) through
// the same entry points, built with the normal compiler: each must end as accepted input or an InputError.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "entry.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_replay DIR   (DIR holds scenario/, experiment/ and runs/ inputs)\n";
    return 2;
  }
  int replayed = 0;
  for (const char* kind : tiesim::fuzz::input_kinds) {
    const fs::path folder = fs::path(argv[1]) / kind;
    std::vector<fs::path> files;
    if (fs::is_directory(folder))
      for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
      std::cout << kind << "/" << file.filename().string() << std::endl;  // the last line names a crash's input
      tiesim::fuzz::input(kind, data, bytes.size());
      ++replayed;
    }
  }
  std::cout << "replayed " << replayed << " inputs without a crash\n";
  return 0;
}
