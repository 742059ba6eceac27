// The LTL engine's view of an ir::TransitionSystem (a StateSpace): packed states, one
// transition group per (instance, role transition), atoms evaluated with ts.eval(), and
// the rebuilding of a found lasso as a checker::Trace with the system's labels.
//
// Holds references to `ts` and `atoms`, which must outlive it. One search at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/ltl/product.hpp"
#include "checker/ltl/state_space.hpp"
#include "checker/trace.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker::ltl {

class TsStateSpace : public StateSpace {
 public:
  TsStateSpace(const ir::TransitionSystem& ts, const std::vector<ir::Expr>& atoms);

  // The group of role transition `transition` of `instance`, or -1 when out of range.
  int group(int instance, int transition) const;
  // The group of a step: its transition's, or one extra group (group_count() - 1) for
  // steps that belong to no role transition.
  int step_group(const ir::Label& l) const {
    const int g = group(l.instance, l.transition);
    return g >= 0 ? g : groups_;
  }

  size_t state_bytes() const override { return static_cast<size_t>(ts_.layout().bytes()); }
  int group_count() const override { return groups_ + 1; }
  void initial_state(uint8_t* out) override;
  bool atoms(const uint8_t* state, uint64_t* valuation) override;
  bool successors(const uint8_t* state, Successors& out) override;
  std::string error() const override { return error_; }

  // The lasso as a Trace: labels and states re-executed step by step (each step takes
  // the first successor of its group that reaches the recorded next state). A lasso ending in a state
  // without successors becomes a finite trace (end = kDeadlock, no loop_start); any
  // other gets loop_start (end = kCycle). Returns nullopt and sets *error on a mismatch.
  std::optional<Trace> trace(const Lasso& lasso, std::string* error);
  // The atom valuation of every state of the lasso's word (as holds_on_lasso reads it).
  bool letters(const Lasso& lasso, std::vector<uint64_t>& out, size_t* loop);

 private:
  const ir::Slots& load(const uint8_t* state);

  const ir::TransitionSystem& ts_;
  const std::vector<ir::Expr>& atoms_;
  std::vector<int> group_base_;  // per instance: the group of its transition 0
  int groups_ = 0;
  ir::Slots slots_;
  std::vector<uint8_t> loaded_;  // the packed state held unpacked in slots_
  bool have_loaded_ = false;
  ir::Packed packed_;
  std::string error_;
};

}  // namespace sp::checker::ltl
