// Explicit-state safety checking: invariants, deadlock freedom and the implicit property
// "no checking errors" (failed assert, integer overflow, full channel, ...), over every
// reachable state of one system.
//
// Breadth-first by default (shortest counterexamples; multi-threaded with Options::jobs),
// or depth-first (single-threaded; the only search for StoreMode::kBitstate). Every
// selected property is checked in one search, which stops when each has an answer or
// the state space is exhausted, or at a limit (verdicts then unknown). docs/checker.md.
#pragma once

#include <vector>

#include "checker/result.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker {

// Checks `properties` (indices into ts.model().properties; each an invariant or a
// deadlock property of ts's system; others are answered unknown) and, when
// options.check_errors, the absence of checking errors. Returns one Outcome per entry of
// `properties`, in order, then the implicit one. Never throws for a limit; thread-safe
// with respect to other searches (no global state).
Result check_safety(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                    const Options& options);

}  // namespace sp::checker
