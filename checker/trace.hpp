// A counterexample or witness: a run of a system from its initial state.
//
// Shared by the explicit engine (safety: a finite path), the LTL engine (a lasso: a
// prefix and a cycle) and the symbolic engine; printed as a message sequence chart,
// written as JSON (`--trace-out`) and re-executed by `stateproof replay`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/system.hpp"

namespace sp::checker {

struct TraceStep {
  ir::Label label;
  ir::Slots state;  // the state after the step
  // The step raised a checking error: `state` is the state before the step (there is no
  // state after it), and the trace ends here.
  std::optional<ir::StepError> error;
};

// How a trace ends, for reports and for `stateproof replay` to recheck the verdict.
enum class TraceEnd {
  kNone,       // a plain run (a witness, a simulation)
  kInvariant,  // the last state violates the invariant `Trace::property`
  kDeadlock,   // the last state has no successor (and is not excused)
  kError,      // the last step raised a checking error
  kCycle,      // a lasso violating the LTL property `Trace::property`
};

struct Trace {
  std::string system;
  ir::Slots initial;
  std::vector<TraceStep> steps;
  // Lasso: the cycle is steps[*loop_start .. end); the state after the last step equals
  // the state before steps[*loop_start] (the initial state when it is 0).
  std::optional<size_t> loop_start;
  // What went wrong at the end: "invariant X violated", "deadlock", "assert ... failed".
  std::string verdict;
  TraceEnd end = TraceEnd::kNone;
  std::string property;  // the violated property's name; empty for a checking error
};

}  // namespace sp::checker
