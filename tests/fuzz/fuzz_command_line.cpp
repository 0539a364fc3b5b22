// libFuzzer target: argument vectors, parsed and checked exactly as `tiesim` parses them, with no command run
// (TIESIM_COMMAND_LINE_FUZZ stops main before it dispatches). The input is the arguments after "tiesim",
// separated by NUL bytes. Every vector must end in status 0 (accepted, or help printed) or 2 (bad input):
// anything else, or a crash, is a finding.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#define main tiesim_main
#include "../../sim/cli/main.cpp"
#undef main

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> arguments = {"tiesim"};
  for (std::size_t at = 0; at <= bytes.size() && arguments.size() < 64;) {
    const auto end = bytes.find('\0', at);
    arguments.push_back(bytes.substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(arguments.size());
  char** vector = argv.data();
  // what the program prints is not the point here; its status is
  std::ostringstream sink;
  auto* out = std::cout.rdbuf(sink.rdbuf());
  auto* err = std::cerr.rdbuf(sink.rdbuf());
  const int status = tiesim_main(argc, vector);
  std::cout.rdbuf(out);
  std::cerr.rdbuf(err);
  if (status != 0 && status != 2) {
    std::fprintf(stderr, "tiesim fuzz: status %d for the command line; it said:\n%s\n", status, sink.str().c_str());
    std::abort();
  }
  return 0;
}
