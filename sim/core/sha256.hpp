#pragma once
/// SHA-256 (FIPS 180-4), for the content hashes written to run.json.
#include <string>
#include <string_view>

namespace tiesim {

/// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace tiesim
