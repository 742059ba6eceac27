// Symbolic safety checking with Z3 (docs/checker.md, "Symbolic engine"): bounded model
// checking and k-induction over the transition relation of checker/symbolic/encoding.hpp.
// Same properties and same answers as check_safety (checker/safety.hpp): invariants,
// deadlock freedom and "no checking errors", with counterexamples as Traces rebuilt on
// the explicit interpreter (so they print, serialize and replay like explicit ones).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "checker/result.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker::symbolic {

enum class Engine {
  kBmc,   // violations up to a depth; a property without one stays unknown
  kKind,  // k-induction: BMC base case plus an induction step with simple paths
};

struct SymbolicOptions {
  Engine engine = Engine::kBmc;
  int depth = 20;                // BMC: deepest frame; k-induction: largest k
  double timeout_seconds = 0;    // 0: no limit
  bool check_errors = true;      // the implicit property "no checking errors"
  // Called after each depth with a short status line ("depth 7: 3 open").
  std::function<void(const std::string&)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (open verdicts unknown)
  // A cancelled search returns without freeing its Z3 context when false: freeing the
  // terms of a deep unrolling takes seconds (tcp.sp at depth 6: 7 s in Z3_del_context),
  // which a process about to exit on the signal (the CLI) need not wait for.
  bool free_on_cancel = true;
};

struct SymbolicResult {
  Result result;                 // one Outcome per property asked, then the implicit one
  int depth = 0;                 // BMC: deepest depth checked; k-induction: last k tried
  // Per outcome: k-induction's counterexample to induction when the verdict is unknown
  // (the states of a path that keeps the property until its last state), or "".
  std::vector<std::string> cti;
  // Z3 failed ("out of memory", "z3: ..."; the open verdicts are unknown with it), or "".
  std::string error;
};

// Never throws: a limit, a cancellation and a failure of Z3 (out of memory, when even its
// context cannot be made) give unknown verdicts.
SymbolicResult check_symbolic(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                              const SymbolicOptions& options);

// The name used in reports: "bmc", "k-induction".
const char* engine_name(Engine e);

}  // namespace sp::checker::symbolic
