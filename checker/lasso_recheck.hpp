// Rechecks an LTL counterexample on its own (`stateproof replay`): given a re-executed
// run and the spec's LTL property as it is now, does the run violate it, and is it fair?
// The run is a lasso (end kCycle: steps[loop_start..] repeat forever) or a finite run that
// ends in a state without steps (end kDeadlock: that state repeats forever, docs/ltl.md).
// The formula is evaluated directly on the lasso (ltl::holds_on_lasso), not through the
// automaton the search used, so an edited formula, atom or fairness is noticed.
#pragma once

#include <string>

#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker {

struct LassoRecheck {
  bool violates = false;  // the run violates the formula, and its cycle is fair
  std::string verdict;    // what the run shows, or why it does not show a violation
};

// `trace` is a run of `ts` (states as re-executed); `prop` an LTL property of ts's system.
LassoRecheck recheck_lasso(const ir::TransitionSystem& ts, const ir::Property& prop, const Trace& trace);

}  // namespace sp::checker
