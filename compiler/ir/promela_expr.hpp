// Internal to the Promela writer (promela.cpp, promela_expr.cpp): the names of the
// generated model and IR expressions printed as Promela expressions with exactly the
// interpreter's semantics (program.hpp): sequence arithmetic masked to --seq-bits, RFC 1982
// serial comparisons, short-circuit && || ->, set bits, sorted maps; plus, per expression,
// the condition under which evaluating it raises no checking error (absent map key,
// division by zero), with the same left-to-right short-circuit order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir::promela {

// A system the writer cannot express exactly (reported as the export's error).
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Values must stay within Promela's 32-bit int, with a margin for intermediate results.
constexpr int64_t kMaxMagnitude = int64_t{1} << 30;

// Identifiers of the generated model.
struct Names {
  std::vector<std::string> proc;                // per instance: proctype name
  std::vector<std::string> state;               // per instance: control-state variable
  std::vector<std::vector<std::string>> var;    // per instance, per role variable (maps: prefix)
  std::vector<std::vector<bool>> constant;      // per instance, per variable: a #define
  std::vector<std::vector<std::string>> timer;  // per instance, per timer
  std::vector<std::vector<std::string>> state_macro;  // per role, per control state
  std::vector<std::vector<std::string>> item;   // per type, per enum item
  std::vector<std::vector<std::string>> field;  // per message, per field (typedef members)
  std::vector<std::string> queue_len;           // per queue: its length variable
};

struct Interval {
  int64_t lo = 0, hi = 0;
};

// What the names inside a transition refer to.
struct Scope {
  int acting = -1;                                // the instance executing (-1: property)
  std::function<std::string(int field)> msg;      // the message being received
  const std::vector<int64_t>* args = nullptr;     // call arguments (each option fixes them)
};

class ExprWriter {
 public:
  ExprWriter(const Model& m, const System& sys, const Names& names);

  std::string Print(const Expr& e, const Scope& s) const;
  // The condition under which evaluating `e` raises no checking error; nullopt: never.
  std::optional<std::string> Defined(const Expr& e, const Scope& s) const;
  // The values `e` and its subexpressions can take (throws Unsupported beyond 2^30).
  Interval Bounds(const Expr& e) const;
  // Throws Unsupported when `t` is a list wider than Promela's int holds.
  void CheckListWidth(TypeId t) const;
  // A constant of type `t` as the model writes it (an enum item's macro, a set's bits).
  std::string Constant(TypeId t, int64_t v) const;

  const detail::ValueRange& Range(TypeId t) const;
  // The map variable `v` of instance `inst`: has(key) and get(key) as expressions.
  std::string MapHas(int inst, int v, const std::string& key) const;
  std::string MapGet(int inst, int v, const std::string& key) const;

 private:
  int Inst(const Expr& e, const Scope& s) const { return e.instance >= 0 ? e.instance : s.acting; }
  int MapCapacity(int inst, int v) const;

  const Model& m_;
  const System& sys_;
  const Names& n_;
  std::vector<detail::ValueRange> ranges_;
};

// `a && b` etc. of optional conditions (nullopt = true).
std::optional<std::string> AndDefined(const std::optional<std::string>& a, const std::optional<std::string>& b);

}  // namespace sp::ir::promela
