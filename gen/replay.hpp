// Replays a generated test's path on the IR interpreter (ir::TransitionSystem) in a
// one-instance harness system, and checks that the spec produces exactly the expected
// sends and control states. The Model must be compiled with seq_bits = 32 (full width).
#pragma once

#include <string>

#include "compiler/ir/model.hpp"
#include "gen/testcase.hpp"

namespace sp::gen {

// "" when the replay agrees with the test; otherwise what differed, at which step.
std::string replay_on_ir(const ir::Model& model, const std::string& role, const TestCase& tc);

}  // namespace sp::gen
