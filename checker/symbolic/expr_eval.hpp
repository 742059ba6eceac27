// IR expressions as Z3 terms with the interpreter's semantics (internal to the symbolic
// engine): every value is a 64-bit two's complement bit-vector, as the interpreter's
// int64_t; arithmetic and comparisons on sequence numbers work at the checked width
// (serial comparisons, RFC 1982 §3.2); `&&`, `||` and `->` short-circuit, so an error in
// an operand that is not evaluated is no error. Evaluation errors (absent map key,
// division by zero, a field read outside a receive) are collected as a condition.
#pragma once

#include <z3++.h>

#include <vector>

#include "compiler/ir/state.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::checker::symbolic {

struct EvalEnv {
  const std::vector<z3::expr>* state = nullptr;  // per slot: BV64 value
  int acting = -1;                               // instance of the transition; -1: property
  const std::vector<z3::expr>* msg = nullptr;    // received message fields
  const std::vector<z3::expr>* args = nullptr;   // call arguments
};

class ExprEval {
 public:
  ExprEval(const ir::Model& m, const ir::System& sys, const ir::Layout& l, z3::context& ctx);

  // The value of `e`; `*err` becomes `*err || (pc && <e raises an error>)`.
  z3::expr eval(const ir::Expr& e, const EvalEnv& env, const z3::expr& pc, z3::expr* err) const;

  z3::expr bv(int64_t v) const { return ctx_->bv_val(static_cast<uint64_t>(v), 64); }
  z3::expr truth(const z3::expr& v) const { return v != bv(0); }
  z3::expr from_bool(const z3::expr& b) const { return z3::ite(b, bv(1), bv(0)); }

  // The value stored into a slot of `type`: sequence numbers wrap, checked ranges raise
  // an overflow error (added to *err under pc).
  z3::expr fit(ir::TypeId type, const z3::expr& v, const z3::expr& pc, z3::expr* err) const;
  z3::expr list(const ir::Expr& e, const EvalEnv& env, const z3::expr& pc, z3::expr* err) const;

  // The slot of variable `v` of instance `inst` (-1 when there is none).
  int var_slot(int inst, int v) const;
  const std::vector<ir::detail::ValueRange>& ranges() const { return ranges_; }

  // Map look-ups on the map whose size slot is `slot`.
  z3::expr map_found(const std::vector<z3::expr>& s, int slot, int cap, int j, const z3::expr& key) const;
  int map_capacity(int inst, int var) const;

 private:
  z3::expr Apply(ir::Op op, const z3::expr& a, const z3::expr& b, uint64_t mask, const z3::expr& pc,
                 z3::expr* err) const;
  z3::expr SetHas(const z3::expr& item, const z3::expr& set) const;

  const ir::Model* m_;
  const ir::System* sys_;
  const ir::Layout* l_;
  z3::context* ctx_;
  std::vector<ir::detail::ValueRange> ranges_;
};

}  // namespace sp::checker::symbolic
