// Target profiles (docs/harness.md "Target profiles"): the settings a run changes in a
// target, and the target's known departures from the RFCs. Each departure (a deviation
// entry) names the spec steps where it applies (`at`), the RFC sentence departed from,
// why the target does what it does, and the exact failure it produces: the failure's
// kind and every field that differs, with expected and actual values. A failing test
// becomes an "expected deviation" only when its failure is at one of those steps and is
// exactly one the entry describes; any other mismatch stays a fail.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/result.hpp"
#include "harness/suite/parse.hpp"
#include "harness/suite/steps.hpp"

namespace sp::harness {

// One differing field of a failure: exact field name, glob patterns (fnmatch) on the
// expected and actual values.
struct FieldPattern {
  std::string field;
  std::string expected;
  std::string actual;
};

// One failure an entry excuses. Every differing field of the failure must be one of
// `fields` and every one of `fields` must differ: a further mismatch is not excused.
struct DeviationMatch {
  int source_line = 0;
  std::string kind;                 // exact: packet, timeout, timing, unexpected, state, cache, call, isn
  std::vector<FieldPattern> fields;
  std::string observed;             // optional glob on the tcpdump-style line of the packet involved
  std::string event;                // optional glob on the failing test line, with its `# comment`
  std::string stimulus;             // optional glob on the latest inject line before the failure
  std::string state;                // optional: the state last confirmed before the failure (exact)
  int line = 0;                     // optional: the test line; 0 = any
};

// A stack's own value for a spec timer's base interval (before back-off): `timer rtx=3s`.
struct TimerValue {
  std::string timer;   // the spec timer's name, as a test line's `timer NAME=...` gives it
  double seconds = 0;
};

// A deviation entry, or (parameter = true) a stack timer parameter: at the steps it names,
// every time a test derived from timer `timer->timer` is rescaled to the stack's value,
// and a test that then passes is an expected deviation naming the entry
// (harness/profile/timer_parameters.hpp).
struct Deviation {
  std::string name;
  bool parameter = false;
  std::optional<TimerValue> timer;  // parameter entries only
  int source_line = 0;
  std::vector<std::string> at;      // "Role.transition": the steps where it applies
  // Steps after those where its effect shows too, in a test that goes on (a W-method
  // test's next OPEN finds the RST an ABORT sent): it applies there as well, but naming
  // one of them does not make a test one the entry applies to for the stale list.
  std::vector<std::string> later;
  std::vector<std::string> tests;   // optional globs on test names; empty = every test
  std::vector<std::string> cites;   // "RFC 9293 §3.10.7.4"
  std::string rfc;                  // the sentence departed from, quoted
  std::string reason;               // why the target does what it does
  std::vector<DeviationMatch> matches;  // deviation entries only
};

// A setting the profile changes in every test's namespace (a sysctl), with why.
struct Setting {
  std::string name;
  std::string value;
  int source_line = 0;
};

struct Profile {
  std::string path;
  std::string name;
  std::vector<std::string> targets;  // the targets it is meant for
  std::vector<Setting> sysctls;      // applied in every namespace, reported in every run
  std::vector<Deviation> deviations;  // deviation and parameter entries, in file order
};

// Parses a profile; on errors returns nullopt and fills *errors (path:line:col: error: ...).
std::optional<Profile> parse_profile(std::string_view text, const std::string& path,
                                     std::vector<ParseError>* errors);
std::optional<Profile> read_profile(const std::string& path, std::vector<ParseError>* errors);

// The profile compiled into the binary for `target` ("linux", "linux-tap"), if any.
std::optional<std::string> builtin_profile_text(const std::string& target);

// Errors for entries whose `at` names a transition of one of `roles` that the role does
// not have (a typo, or a transition the spec no longer has).
void check_profile_steps(const Profile& profile, const TransitionsByRole& roles,
                         std::vector<ParseError>* errors);

// Whether the entry could apply to this test: its name matches `tests` and it names one
// of the entry's steps. An applicable entry that matched nothing in a run is stale there.
bool deviation_applies(const Deviation& d, const TestCase& test);
// The same with the test's steps (steps_of) computed once by the caller.
bool deviation_applies(const Deviation& d, const std::string& test_name, const std::set<std::string>& steps);

// Turns a fail into an expected deviation when an entry applies at the failure's step and
// describes the failure exactly; returns that entry's index. Otherwise leaves the verdict
// and, when an entry applies at the step but describes another failure, says so in the
// result's note.
std::optional<size_t> apply_profile(const Profile& profile, TestResult* result);

}  // namespace sp::harness
