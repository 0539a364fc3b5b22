#pragma once
/// Number formatting that is the same on every platform and locale.
#include <string>

namespace tiesim {

/// Shortest text that reads back as the same double (std::to_chars); "NaN", "Inf", "-Inf"; −0 as "0".
std::string format_number(double value);

}  // namespace tiesim
