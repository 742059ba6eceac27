#include "tools/cli/numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace sp::cli {

std::optional<int64_t> parse_integer(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }
  if (digits.empty() || digits.front() == '+' || digits.front() == '-') return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (magnitude > limit) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::optional<double> parse_real(std::string_view text) {
  // Digits, one '.', an exponent: nothing strtod would read as nan, inf or hex.
  bool digit = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool sign_ok = i == 0 || text[i - 1] == 'e' || text[i - 1] == 'E';
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (!(c == '.' || c == 'e' || c == 'E' || ((c == '-' || c == '+') && sign_ok))) {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {

std::string Shown(double v) {
  std::string s = std::to_string(v);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    const bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

}  // namespace

CLI::Validator integer_in(int64_t lo, int64_t hi) {
  const std::string range =
      hi == INT64_MAX ? ">= " + std::to_string(lo) : "from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::optional<int64_t> v = parse_integer(text);
        if (v && *v >= lo && *v <= hi) {
          text = std::to_string(*v);  // CLI11 would read a leading 0 as octal
          return "";
        }
        return "'" + text + "' is not an integer " + range;
      },
      "INT " + range);
}

CLI::Validator real_in(double lo, double hi) {
  const std::string range = Shown(lo) + " to " + Shown(hi);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::optional<double> v = parse_real(text);
        if (v && *v >= lo && *v <= hi) return "";
        return "'" + text + "' is not a number from " + range;
      },
      "NUMBER in " + range);
}

}  // namespace sp::cli
