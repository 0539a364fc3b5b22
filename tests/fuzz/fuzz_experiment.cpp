// libFuzzer target: experiment files (see entry.hpp). Built by the `fuzz` preset; run with tests/fuzz/run.sh.
#include "entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tiesim::fuzz::experiment_input(data, size);
  return 0;
}
