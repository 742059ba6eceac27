// The one parser for numbers on the command line: every numeric flag (check_number
// below) and --const NAME=V go through it, so every flag rejects the same bad values --
// spaces, trailing text, a sign where none fits, nan, inf, values out of range -- with a
// one-line error naming the flag and the value.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace sp::cli {

// The whole text as an integer: optional '-', then decimal digits or 0x and hex digits.
std::optional<int64_t> parse_integer(std::string_view text);

// The whole text as a finite decimal number (`0.5`, `2`, `1e3`); no nan or inf.
std::optional<double> parse_real(std::string_view text);

// CLI11 checks for a numeric option, applied to the text before CLI11 converts it: an
// integer in [lo, hi], or a finite number in [lo, hi].
CLI::Validator integer_in(int64_t lo, int64_t hi);
CLI::Validator real_in(double lo, double hi);

}  // namespace sp::cli
