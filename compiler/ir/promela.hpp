// Promela export of one system (`stateproof export SPEC --to promela`): an equivalent SPIN
// model for cross-validation (docs/checker.md, "Cross-validation with SPIN").
//
// Every IR step is one `d_step` (or `atomic` when it branches or uses scratch variables)
// of one process per instance, enabled by a pure expression over the state, so SPIN
// stores exactly the IR's states: the same state variables (constants are #defines,
// scratch variables are `hidden`), queues and maps as arrays kept in the IR's canonical
// form, every process at its loop head between steps. Safety properties are checked by a
// `monitor` process that can move only when a property is violated; LTL properties are
// `ltl` blocks, compiled with `spin -DLIVENESS` (which leaves the monitor out).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"

namespace sp::ir {

// How SPIN can check a property's fairness: none declared; `pan -f` (weak fairness per
// process) is exactly the declared fairness; or not expressible in SPIN.
enum class SpinFairness { kNone, kPerProcess, kNotExpressible };

struct PromelaProperty {
  int property = -1;           // index into Model::properties
  PropertyKind kind = PropertyKind::kInvariant;
  std::string claim;           // kLtl: the `ltl` block's name (pan -N)
  std::string flag;            // safety: the hidden variable pan names ("assertion violated F")
  SpinFairness fairness = SpinFairness::kNone;
  bool uses_next = false;      // the formula has X (Debian's SPIN is built without it)
};

struct PromelaModel {
  std::string text;
  std::vector<PromelaProperty> properties;  // the system's properties, in model order
};

// The Promela model of system `system`, or nullopt with *error when the system cannot be
// expressed exactly (values beyond 2^30, a call with too many argument combinations...).
std::optional<PromelaModel> to_promela(const Model& model, int system, std::string* error);

}  // namespace sp::ir
