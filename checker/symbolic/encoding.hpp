// The transition relation of one system of a Model as Z3 bit-vector formulas: one frame
// of variables per step, the step relation between consecutive frames, and the "bad
// state" predicates of the safety properties (invariant false, deadlock, a step that
// raises a checking error). Used by the BMC and k-induction engines (docs/checker.md,
// "Symbolic engine").
//
// Semantics are those of the explicit interpreter (compiler/ir/interpreter.cpp), value
// for value: every slot of the state vector (ir::Layout) is a bit-vector variable of the
// slot's width holding `value - lo`; expressions are evaluated on 64-bit two's
// complement values like the interpreter's int64_t, sequence arithmetic and serial
// comparisons at the checked width (--seq-bits, up to 32 here). Checking errors
// (overflow, failed assert, full channel or map, absent key, division by zero) are
// tracked as conditions, so an error step is a violation of "no checking errors" exactly
// where the interpreter emits an error successor.
//
// Why not gen/sym.hpp's Encoder: that one encodes one role against a tester (concrete
// control state, real addresses, timers with clocks); here the whole system is symbolic,
// control states and channels included, and addresses are the checking domain's indices.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/system.hpp"

namespace sp::checker::symbolic {

// One symbolic state: per slot, the 64-bit value (a term over the frame's variables).
struct Frame {
  std::vector<z3::expr> vars;  // per slot: the variable (null for 0-bit slots)
  std::vector<z3::expr> vals;  // per slot: BV64 value
};

// A way one instance can take one step, before the guard: one transition of one
// instance with one event source (a queue and position, a call choice, a timer).
struct Action {
  int instance = -1;
  int transition = -1;
  int recv_queue = -1;     // kRecv
  int recv_position = 0;   // kRecv: position taken (0 for a FIFO)
  bool keep = false;       // kRecv on a `dup redeliver` queue: the message stays (redelivery)
  int env_entry = -1;      // kCall: environment entry (-1: unrestricted)
  int env_target = -1;     // kCall: target within the entry
};

// The terms of one action taken from a frame.
struct StepTerms {
  z3::expr enabled;        // from-state and event available (guard not yet)
  z3::expr fires;          // a successor exists (guard true or raising an error)
  z3::expr ok;             // fires without any error, with valid fault choices
  z3::expr error;          // fires and raises a checking error
  z3::expr blocked;        // the sends do not fit in a blocking channel (computed with the post)
  std::vector<z3::expr> post;  // per slot: the value after a successful step
};

class Encoding {
 public:
  // `ts` (and its model) must outlive the Encoding.
  Encoding(const ir::TransitionSystem& ts, z3::context& ctx);

  z3::context& ctx() const { return *ctx_; }
  const ir::TransitionSystem& ts() const { return *ts_; }
  const std::vector<Action>& actions() const { return actions_; }

  // A fresh frame named `prefix` (each slot constrained by wellformed()).
  Frame frame(const std::string& prefix) const;
  // The initial state as a constraint on `f`.
  z3::expr initial(const Frame& f) const;
  // Values every reachable state has: slots within their types' ranges, unused channel
  // slots and map pairs at their neutral encoding, map keys sorted. Strengthens
  // induction (they hold in every reachable state, so assuming them is sound).
  z3::expr wellformed(const Frame& f) const;
  // `a` and `b` are the same state.
  z3::expr same(const Frame& a, const Frame& b) const;

  // The step from `f` to `g` (a successful, error-free step of some action); `tag` names
  // the step's choice variables (action selector, arguments, fault choices).
  z3::expr step(const Frame& f, const Frame& g, const std::string& tag);
  // Some action taken from `f` raises a checking error (choices named by `tag`).
  z3::expr error_step(const Frame& f, const std::string& tag);
  // `f` has a successor (an error successor counts), for deadlock. Call arguments are
  // expanded over their domains; false in *exact when a domain is too big to expand.
  z3::expr has_successor(const Frame& f, bool* exact);
  // Property expressions (over named instances) on `f`: value != 0 and no error.
  z3::expr holds(const Frame& f, const ir::Expr& e);

  // The selector of the step tagged `tag` (after step()/error_step() made it).
  z3::expr selector(const std::string& tag) const;
  int selector_bits() const { return sel_bits_; }

  // Concrete values from a model.
  ir::Slots state_of(const z3::model& m, const Frame& f) const;
  int action_of(const z3::model& m, const std::string& tag) const;

 private:
  struct Impl;
  const ir::TransitionSystem* ts_;
  z3::context* ctx_;
  std::vector<Action> actions_;
  int sel_bits_ = 1;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sp::checker::symbolic
