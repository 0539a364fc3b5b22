#pragma once
/// Number formatting that is the same on every platform and locale.
#include <string>

namespace tiesim {

/// Shortest text that reads back as the same double (std::to_chars); "NaN", "Inf", "-Inf"; −0 as "0".
std::string format_number(double value);
/// The same text written to `out` (at least max_number_chars long); returns the end of what was written.
inline constexpr int max_number_chars = 32;
char* format_number(char* out, double value);

}  // namespace tiesim
