// libFuzzer target: --set overrides on a scenario (see entry.hpp). Built by the `fuzz` preset; run with
// tests/fuzz/run.sh.
#include "entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tiesim::fuzz::overrides_input(data, size);
  return 0;
}
