#pragma once
/// Number formatting that is the same on every platform and locale.
#include <optional>
#include <string>
#include <string_view>

namespace tiesim {

/// Shortest text that reads back as the same double (std::to_chars); "NaN", "Inf", "-Inf"; −0 as "0".
std::string format_number(double value);

/// Characters as a terminal shows them: UTF-8 code points (ids are ASCII; arrows and labels may not be).
std::size_t shown_width(std::string_view text);
/// `text` padded with blanks on the right to `width` shown characters.
std::string pad(std::string text, std::size_t width);
/// The same text written to `out` (at least max_number_chars long); returns the end of what was written.
inline constexpr int max_number_chars = 32;
char* format_number(char* out, double value);

/// Why `text` is not an integer written in decimal as TOML writes it (an optional '-', then digits without a
/// leading zero; no '+', no 0x, 0o or 0b prefix), or "" when it is one. "010" is refused rather than read as 8 or 10.
std::string decimal_integer_problem(std::string_view text);
/// `text` as a decimal integer (see decimal_integer_problem); nullopt when it is not one or is beyond 64 bits.
std::optional<long long> parse_decimal_integer(std::string_view text);
/// `text` as a finite decimal number as TOML writes it (sign, digits without a leading zero, fraction,
/// exponent), or a fraction without its leading zero (".5"); nullopt for anything else: hex, inf, nan, "010".
std::optional<double> parse_decimal(std::string_view text);

}  // namespace tiesim
