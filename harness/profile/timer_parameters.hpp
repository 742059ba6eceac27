// Stack timer parameters (docs/harness.md, "Stack timer parameters"): a target profile's
// `parameter` entries give the stack's own base interval for a spec timer (lwIP's 3 s
// initial RTO, Linux's 60 s TIME-WAIT). Generated tests mark every time they derived from
// a timer (`timer rtx=1s`), so one suite serves every stack: at the steps an entry names,
// those times are rescaled to the stack's value before the test runs, and the run reports
// the entry as the deviation it is.
#pragma once

#include <string>
#include <vector>

#include "harness/profile/profile.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

// Rescales `test`'s timer lines (Event::timer) whose step (the latest commented line at
// or before them; harness/suite/steps.hpp) is one a parameter entry of `profile` names, by
// the entry's value over the line's base interval: the line's `+D`, `within` and `wait`
// times. A timer line at a step no entry names keeps the rescaling of the timer's
// previous line if no call or inject came between them (the timer is still running: a
// user timeout after rescaled retransmissions). Each rescaled line's text says so.
// Returns the names of the entries that rescaled a line, in profile order.
std::vector<std::string> apply_timer_parameters(const Profile& profile, TestCase* test);

// The verdict of a test that ran with rescaled timers: a pass becomes an expected
// deviation naming the entries (the stack's timer departs from the spec's value); any
// other verdict is left, with a note that the windows were the stack's.
void report_timer_parameters(const Profile& profile, const std::vector<std::string>& applied, TestResult* result);

}  // namespace sp::harness
