// Target profiles (docs/harness.md): the known, documented departures of a target from
// the RFCs, each naming the tests it affects, the RFC sentence departed from, the reason,
// and the exact failure it produces. A failing test becomes an "expected deviation" only
// when its failure matches an entry's `match` clause (kind, field, expected and actual
// values, optionally the line): a different failure stays a fail.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/result.hpp"
#include "harness/suite/parse.hpp"

namespace sp::harness {

// Glob patterns (fnmatch) on the parts of a Failure; empty = not checked.
struct DeviationMatch {
  int source_line = 0;
  std::string kind;
  std::string field;
  std::string expected;
  std::string actual;
  std::string observed;  // the tcpdump-style line of the packet involved
  std::string event;     // the failing test line, with its `# comment`
  int line = 0;          // the test line; 0 = any
};

struct Deviation {
  std::string name;
  int source_line = 0;
  std::vector<std::string> tests;  // globs on test names
  std::vector<std::string> cites;  // "RFC 9293 §3.10.7.4"
  std::string rfc;                 // the sentence departed from, quoted
  std::string reason;              // why the target does what it does
  std::vector<DeviationMatch> matches;
};

struct Profile {
  std::string path;
  std::string name;
  std::vector<std::string> targets;  // the targets it is meant for
  std::vector<std::pair<std::string, std::string>> sysctls;  // applied in every namespace
  std::vector<Deviation> deviations;
};

// Parses a profile; on errors returns nullopt and fills *errors (path:line: error: ...).
std::optional<Profile> parse_profile(std::string_view text, const std::string& path,
                                     std::vector<ParseError>* errors);
std::optional<Profile> read_profile(const std::string& path, std::vector<ParseError>* errors);

// The profile compiled into the binary for `target` ("linux", "linux-tap"), if any.
std::optional<std::string> builtin_profile_text(const std::string& target);

// Turns a fail into an expected deviation when an entry names the test and describes
// its failure; otherwise leaves the verdict and, when an entry names the test but
// describes another failure, says so in the result's note.
void apply_profile(const Profile& profile, TestResult* result);

}  // namespace sp::harness
