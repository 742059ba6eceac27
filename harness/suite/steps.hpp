// The spec transitions a test exercises, step by step. Generated tests name the transition
// of each line in its `# comment` ("rcv_fin", "rcv_fin: no answer"); the role comes from
// the test's `covers` line. Failures record their step (Failure::step) and target
// profiles name the steps where a deviation applies (`at`).
#pragma once

#include <map>
#include <set>
#include <string>

#include "harness/suite/testcase.hpp"

namespace sp::harness {

// "Role.transition" for a line comment of the form NAME or NAME: TEXT, with the role of
// the test's first `covers` entry; "" for any other comment.
std::string step_of_comment(const TestCase& test, const std::string& comment);

// The spec state a black-box test (the W-method's, which observes no state) says a step
// starts in: "STATE" for a comment `NAME: in STATE` or `NAME: in STATE; TEXT`, else "".
// A failure's `state` (Failure::state) is the latest of this and a confirmed `expect state`.
std::string spec_state_of_comment(const std::string& comment);

// Where a test starts before any line names a step: its first `covers` entry, or "".
std::string initial_step(const TestCase& test);

// Every step the test names: its `covers` entries and its lines' comment steps.
std::set<std::string> steps_of(const TestCase& test);

// "Role" -> the names of its transitions (from a spec: `stateproof run --spec`).
using TransitionsByRole = std::map<std::string, std::set<std::string>>;

}  // namespace sp::harness
