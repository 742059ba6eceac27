// Rebuilding runs from successor numbers. The state stores keep, per state, only its
// parent and which successor of the parent it was (its number in the parent's
// successors() enumeration, error successors counted); a trace is rebuilt by re-running
// successors() along that path. This relies on successors() enumerating in a fixed,
// deterministic order (ir/system.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker {

// The `n`-th successor of `state`, or nullopt when it has fewer.
std::optional<ir::Successor> nth_successor(const ir::TransitionSystem& ts,
                                           const ir::Slots& state, uint32_t n);

// The run from the initial state taking successor path[0], then path[1], ... A step that
// is an error successor ends the run (its TraceStep carries the error). Sets *error and
// returns nullopt when a number is out of range or an error successor is not last.
std::optional<Trace> rebuild_trace(const ir::TransitionSystem& ts,
                                   const std::vector<uint32_t>& path, std::string* error);

}  // namespace sp::checker
