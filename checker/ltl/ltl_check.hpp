// The LTL engine's entry points: checks an LTL property (ir::PropertyKind::kLtl) with its
// fairness on one TransitionSystem, and returns a verdict with a lasso counterexample.
//
// The property is negated, translated to a Büchi automaton (checker/ltl/buchi.hpp), and
// the product with the system is searched on the fly for a (fair) accepting run
// (checker/ltl/product.hpp). Semantics as SPIN's, so results cross-check: atoms are read
// on states, `next` is the next state of the run, and a state with no successor (a
// deadlock or end state, or one whose only successors are checking errors) repeats
// forever. docs/ltl.md has the details and the figures.
//
// Thread safety: one call works on its own data; several calls may run at once on one
// TransitionSystem (it is immutable). Never throws for a limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/ltl/product.hpp"
#include "checker/result.hpp"
#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker {

struct LtlOptions {
  uint64_t max_states = 0;     // product states; 0: no limit
  double timeout_s = 0;        // 0: no limit
  uint64_t max_memory_mb = 0;  // state store and stacks, estimated; 0: no limit
  // Successor lists kept so that a system state met with several automaton states is
  // expanded once (8 bytes per transition); a quarter of max_memory_mb at most.
  uint64_t successor_cache_mb = 512;
  ltl::Algorithm algorithm = ltl::Algorithm::kAuto;  // nested DFS without fairness, SCC with
  std::function<void(const Progress&)> progress;     // about every progress_interval s
  double progress_interval = 0.25;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (verdict unknown)
};

struct LtlResult {
  Verdict verdict = Verdict::kUnknown;
  // kViolated: what the counterexample shows; kUnknown: why there is no answer (the
  // limit: "max-states", "max-memory", "timeout", "cancelled"; or an error).
  std::string message;
  uint64_t states = 0;       // product states stored (system state x automaton state)
  uint64_t system_states = 0;  // distinct system states among them
  uint64_t transitions = 0;  // product transitions explored
  uint64_t max_depth = 0;    // deepest DFS stack
  double time_s = 0;
  double memory_mb = 0;      // peak, estimated: state store + stacks
  // kViolated: the run, from the initial state. A lasso (end = kCycle, loop_start set:
  // steps[loop_start..] repeat forever), or a finite run ending in a state without
  // successors (end = kDeadlock, no loop_start), which repeats forever by the stutter
  // extension. Labels are the system's; `property` and `verdict` are filled in.
  std::optional<Trace> trace;
  std::string formula;        // the property in SPIN syntax, atoms named p0, p1, ...
  int automaton_states = 0;   // of the automaton for the negated property
  int automaton_sets = 0;     // its acceptance sets (generalized Büchi)
  ltl::Algorithm algorithm = ltl::Algorithm::kAuto;  // the search that ran
};

// Checks `prop` (kind kLtl, of ts's system) on `ts`.
LtlResult check_ltl(const ir::TransitionSystem& ts, const ir::Property& prop, const LtlOptions& opts);

// The form `stateproof check` uses, like check_safety: one Outcome per entry of
// `properties` (indices into ts.model().properties; entries that are not LTL properties
// of ts's system are answered unknown). Uses options.max_states, max_memory,
// timeout_seconds, progress, progress_interval and cancel.
Result check_ltl(const ir::TransitionSystem& ts, const std::vector<int>& properties, const Options& options);

}  // namespace sp::checker
