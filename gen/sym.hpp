// Symbolic state of the IUT role and the encoding of IR expressions into Z3 terms.
//
// Sorts: bool -> Bool; seq<N> -> BitVec(N at full wire width, 32 for seq<32>);
// ip4 -> BitVec 32 and mac -> BitVec 48 holding the concrete address (not the checking
// domain index); int, enum, set, duration -> BitVec 64 (two's complement).
// Sequence comparisons are RFC 1982 serial comparisons, `seq - seq` is the unsigned
// distance, exactly as in the interpreter. An Encoder is not thread-safe; it borrows the
// Model and the z3::context, which must outlive it.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"

namespace sp::gen {

// Concrete addresses the generator gives to the parties (stated in docs/gen.md).
struct Addresses {
  static constexpr uint64_t kIutIp = 0xC0000201;     // 192.0.2.1
  static constexpr uint64_t kTesterIp = 0xC0000202;  // 192.0.2.2
  static constexpr uint64_t kOtherIp = 0xC0000203;   // 192.0.2.3
  static constexpr uint64_t kIutMac = 0x020000000001;
  static constexpr uint64_t kTesterMac = 0x020000000002;
  static constexpr uint64_t kOtherMac = 0x020000000003;
  static constexpr uint64_t kBroadcastMac = 0xFFFFFFFFFFFF;
};

struct SymMapEntry {
  z3::expr present, key, value;
};

struct TimerState {
  bool armed = false;
  int expiries = 0;          // consecutive expiries that restarted it (backoff exponent)
  int64_t interval_ms = 0;   // the interval it was last started with
  int64_t deadline_ms = 0;   // test clock when it expires
};

// The IUT's state along one symbolic path: control state and timers concrete, data
// symbolic.
struct SymState {
  int control = 0;
  std::vector<z3::expr> vars;                  // scalar vars (maps: a placeholder)
  std::vector<std::vector<SymMapEntry>> maps;  // per var; empty for scalars
  std::vector<TimerState> timers;
  int64_t now_ms = 0;                          // test clock
};

// One comparison met while evaluating a guard or an `if` condition, kept for boundary
// tests: `lhs op rhs` as encoded, whether it is a serial (seq) comparison.
struct Atom {
  ir::Op op = ir::Op::kEq;
  z3::expr lhs, rhs, term;  // term: the Bool the comparison encodes to
  bool serial = false;
  std::string text;
  bool in_guard = false;    // met in the guard (else in an `if` condition)
};

class Encoder {
 public:
  Encoder(const ir::Model& model, int role, z3::context& ctx);

  const ir::Model& model() const { return *model_; }
  const ir::Role& role() const { return model_->roles[static_cast<size_t>(role_)]; }
  z3::context& ctx() const { return *ctx_; }

  z3::sort sort_of(ir::TypeId type) const;
  bool is_seq(ir::TypeId type) const;
  ir::TypeKind kind(ir::TypeId type) const;
  // A fresh constant of `type`, and the constraint that keeps it inside the type's values
  // (int range, enum items, set bits, addresses the tester may use).
  z3::expr fresh(const std::string& name, ir::TypeId type) const;
  z3::expr domain(const z3::expr& v, ir::TypeId type) const;
  // An IR constant of `type` (addresses: the domain index) as a term.
  z3::expr constant(ir::TypeId type, int64_t value) const;
  // A concrete model value of `type` back to the IR's representation (for replays).
  int64_t to_ir(ir::TypeId type, uint64_t value) const;
  z3::expr coerce(const z3::expr& e, const z3::sort& s) const;

  // The tester's and the IUT's initial sequence numbers (32-bit symbols).
  const z3::expr& tester_isn() const { return tester_isn_; }
  const z3::expr& iut_isn() const { return iut_isn_; }
  int iut_isn_var() const { return iut_isn_var_; }  // -1 when the role has none
  // Free IUT parameters (unassigned variables other than the ISN and own addresses).
  const std::vector<z3::expr>& iut_params() const { return params_; }

  SymState initial_state() const;

  struct Env {
    const SymState* state = nullptr;
    const std::vector<z3::expr>* msg = nullptr;   // fields of the received message
    const std::vector<z3::expr>* args = nullptr;  // call arguments
    std::vector<z3::expr>* side = nullptr;        // conditions that avoid step errors
    std::vector<Atom>* atoms = nullptr;           // comparisons met (may be null)
    const ir::Transition* transition = nullptr;   // for the atoms' text
  };
  z3::expr eval(const ir::Expr& e, Env& env) const;
  // Bool view of a term (bit-vectors: != 0).
  z3::expr truth(const z3::expr& e) const;

  // Map helpers over a symbolic map (see sym_exec.cpp for put/remove).
  z3::expr map_has(const std::vector<SymMapEntry>& m, const z3::expr& key) const;
  z3::expr map_get(const std::vector<SymMapEntry>& m, const z3::expr& key) const;

 private:
  z3::expr Compare(ir::Op op, const ir::Expr& e, Env& env) const;
  z3::expr Arith(const ir::Expr& e, Env& env) const;

  const ir::Model* model_;
  int role_;
  z3::context* ctx_;
  z3::expr tester_isn_, iut_isn_;
  int iut_isn_var_ = -1;
  std::vector<z3::expr> params_;
};

// Does the expression read a sequence number (a seq-typed operand anywhere inside)?
bool mentions_seq(const ir::Model& m, const ir::Expr& e);

// Does the term contain the constant `c`?
bool contains(const z3::expr& term, const z3::expr& c);

}  // namespace sp::gen
