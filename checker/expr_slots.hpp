// The state slots a property expression reads (internal to checker/): lets a search
// decode only those slots of a new state before checking its invariants.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir/system.hpp"

namespace sp::checker::detail {

// Every slot `e` can read when evaluated by TransitionSystem::eval (sorted, unique): the
// control states, variables (a map: its size slot and every pair) and timers of the
// named instances it mentions. References that eval rejects (no such instance or
// variable, an acting-instance read) read no slot and add none.
std::vector<int32_t> slots_read(const ir::TransitionSystem& ts, const ir::Expr& e);

}  // namespace sp::checker::detail
