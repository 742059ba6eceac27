// Reading `*.spt` test files (docs/test-format.md). The parser never throws and never
// crashes on any input: a malformed file gives `path:line:col: error: message` lines
// and no test case. Hand-written and generated files go through the same code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/suite/testcase.hpp"

namespace sp::harness {

struct ParseError {
  std::string path;
  int line = 0;    // 1-based; 0 when the error is about the whole file
  int column = 0;  // 1-based; 0 when unknown
  std::string message;

  // `path:line:col: error: message` (line and column left out when 0).
  std::string format() const;
};

struct ParseOutcome {
  std::optional<TestCase> test;  // set exactly when errors is empty
  std::vector<ParseError> errors;
};

// Parses the text of one test file. `path` is used in messages and kept in the test.
ParseOutcome parse_test(std::string_view text, const std::string& path);

// Reads and parses a file; an unreadable file is one error with line 0.
ParseOutcome read_test_file(const std::string& path);

// Parses `+D` / `@T` numbers and field values; exposed for the profile reader and tests.
std::optional<double> parse_seconds(std::string_view text);
// A duration with its unit, in seconds: `200ms`, `1s`, `2min` (a `timer` clause, and a
// profile's `timer` parameter).
std::optional<double> parse_duration(std::string_view text);
// Seconds as a test file writes them: at most 3 decimals, no trailing zeros (`0.75`, `3`).
std::string format_seconds(double seconds);

// Canonical state name for a spelling (`SYN-RECEIVED`, `syn_rcvd`, `SYN_RECV` ->
// `SYN_RCVD`), or nullopt.
std::optional<std::string> canonical_state(std::string_view text);

}  // namespace sp::harness
