// A trace printed as a message sequence chart: one column (lifeline) per instance, the
// control state under each, one block per step naming the spec transition, its event and
// its RFC cite, arrows for every message sent (`|---->|`, lost `|--X  |`, duplicated
// `|===>>|`), the message received, variable and timer changes, and the verdict at the
// end. Used by `stateproof check` and `stateproof replay`.
#pragma once

#include <string>

#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"
#include "util/msc_svg.hpp"

namespace sp::checker {

struct MscOptions {
  bool final_state = true;  // end with the full final state (describe_state)
  bool variables = true;    // a line per step with the variables and timers it changed
};

std::string format_msc(const ir::TransitionSystem& ts, const Trace& trace,
                       const MscOptions& options = {});

// The same chart for drawing (util/msc_svg.hpp: `--msc-svg FILE` of check and replay):
// a step row per step with its transition, event and cite, a state box when the control
// state changes, an arrow per message sent (lost, duplicated), an error mark, the
// cycle's bounds and the verdict.
util::MscChart msc_chart(const ir::TransitionSystem& ts, const Trace& trace);

}  // namespace sp::checker
