// IR expressions rendered the way the spec writes them, for notes and reports
// (`s.seq - rcv_nxt < RCV_WND` comes back as `s.seq - rcv_nxt < 2`: constants are folded).
#pragma once

#include <string>

#include "compiler/ir/model.hpp"

namespace sp::gen {

// `t` (optional) names the received message's fields and the call's parameters.
std::string expr_text(const ir::Model& model, const ir::Role& role, const ir::Expr& e,
                      const ir::Transition* t = nullptr);

}  // namespace sp::gen
