// `stateproof check --engine`: which engine checks the safety properties of a system
// (explicit state, BMC, k-induction) and the symbolic engines' part of the report.
#pragma once

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "checker/result.hpp"
#include "compiler/ir/system.hpp"

namespace sp::cli {

struct EngineChoice {
  std::string name;  // "explicit", "bmc", "kind"
  std::string why;   // for --engine auto: the reason
};

// `requested`: explicit, bmc, kind or auto. Auto picks explicit-state search when every
// sequence number is narrow enough for it (<= kAutoExplicitSeqBits), k-induction
// otherwise.
constexpr int kAutoExplicitSeqBits = 16;
EngineChoice choose_engine(const std::string& requested, const ir::TransitionSystem& ts);

struct SymbolicRun {
  std::vector<checker::Outcome> outcomes;
  std::vector<std::string> cti;  // per outcome ("" when none)
};

// Runs BMC ("bmc") or k-induction ("kind") on `safety` (plus "no checking errors"),
// printing the search line and progress (when `live`) like the explicit search does.
// When Z3 fails (out of memory: no context, or an allocation in a query) it says so on
// stderr in one line; the open properties are unknown with that reason.
SymbolicRun run_symbolic(const ir::TransitionSystem& ts, const std::vector<int>& safety, const std::string& engine,
                         int depth, double timeout, const std::atomic<bool>* cancel, bool live, std::ostream& out);

}  // namespace sp::cli
