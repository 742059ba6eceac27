// Traces as JSON (`stateproof check --trace-out`) and their re-execution
// (`stateproof replay`). The format is described in docs/checker.md: names, not
// indices (instance, transition, queue, slot names), values as the spec writes them
// (numbers for int and seq, strings for enums, sets and addresses), so a trace is
// readable, diffable, and survives a recompilation that renumbers things.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker {

// Extra fields written at the top of the file, for the record.
struct TraceInfo {
  std::string spec;        // the spec path
  std::string engine;      // "explicit-bfs", ...
  std::optional<int> seq_bits;  // --seq-bits, when given (replay compiles with it)
};

std::string trace_to_json(const ir::TransitionSystem& ts, const Trace& trace,
                          const TraceInfo& info = {});

// The "system" field of a trace file, or nullopt with *error (not JSON, not a trace).
std::optional<std::string> trace_file_system(const std::string& json_text, std::string* error);

// What a trace file records about how the model was compiled: the constants (after
// --const overrides) and --seq-bits when it was given. `replay` compiles the spec the same
// way, or says which constants differ.
struct TraceCompile {
  std::vector<std::pair<std::string, int64_t>> consts;
  std::optional<int> seq_bits;
};
TraceCompile trace_file_compile(const std::string& json_text);

struct ReplayResult {
  bool parsed = false;       // the file is a trace of this system
  bool replayed = false;     // every step matched a successor, with the recorded state
  bool verdict_matches = false;  // the end of the run shows the recorded verdict
  size_t steps_matched = 0;
  std::string mismatch;      // the first mismatch, or the parse error ("" when none)
  std::string verdict;       // the verdict as rechecked ("invariant X is violated", ...)
  Trace trace;               // the run as re-executed (up to the mismatch)
  bool ok() const { return parsed && replayed && verdict_matches; }
};

// Re-executes a trace file step by step: each recorded step must match (instance,
// transition, message received, arguments, sends with their lost/dup flags) a successor
// of the current state, and lead to the recorded state. Then rechecks the recorded
// verdict on the last state (invariant false, no successor and not excused, checking
// error, or the lasso closing).
ReplayResult replay_trace(const ir::TransitionSystem& ts, const std::string& json_text);

}  // namespace sp::checker
