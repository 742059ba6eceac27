// LTL formulas for the LTL engine: conversion from the IR, negation normal form,
// simplification, and SPIN's concrete syntax (printing, and parsing for tests and tools).
//
// A Formula is a plain tree held by value, like ir::Ltl, with two more operators that
// negation normal form needs: kFalse and kRelease (SPIN's `V`). Atoms are indices into
// ir::Property::atoms (state predicates); a formula is read over the sequence of states of
// a run, `X f` holding in a state when f holds in the next state of the run.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/model.hpp"

namespace sp::checker::ltl {

enum class Op {
  kTrue, kFalse, kAtom,
  kNot, kAnd, kOr, kImplies,
  kNext, kEventually, kAlways,
  kUntil, kRelease,  // a U b: b eventually, a until then; a V b: b until and including a (or forever)
};

struct Formula {
  Op op = Op::kTrue;
  int atom = -1;  // kAtom
  std::vector<Formula> args;

  static Formula True() { return {Op::kTrue, -1, {}}; }
  static Formula False() { return {Op::kFalse, -1, {}}; }
  static Formula Atom(int i) { return {Op::kAtom, i, {}}; }
  static Formula Not(Formula a) { return Unary(Op::kNot, std::move(a)); }
  static Formula Next(Formula a) { return Unary(Op::kNext, std::move(a)); }
  static Formula Eventually(Formula a) { return Unary(Op::kEventually, std::move(a)); }
  static Formula Always(Formula a) { return Unary(Op::kAlways, std::move(a)); }
  static Formula And(Formula a, Formula b) { return Binary(Op::kAnd, std::move(a), std::move(b)); }
  static Formula Or(Formula a, Formula b) { return Binary(Op::kOr, std::move(a), std::move(b)); }
  static Formula Implies(Formula a, Formula b) { return Binary(Op::kImplies, std::move(a), std::move(b)); }
  static Formula Until(Formula a, Formula b) { return Binary(Op::kUntil, std::move(a), std::move(b)); }
  static Formula Release(Formula a, Formula b) { return Binary(Op::kRelease, std::move(a), std::move(b)); }
  static Formula Unary(Op op, Formula a);
  static Formula Binary(Op op, Formula a, Formula b);

  bool is_literal() const {
    return op == Op::kAtom || (op == Op::kNot && args.size() == 1 && args[0].op == Op::kAtom);
  }
  // The number of nodes in the tree.
  size_t size() const;
};

bool operator==(const Formula& a, const Formula& b);
inline bool operator!=(const Formula& a, const Formula& b) { return !(a == b); }
// A total order on formulas (for canonical forms and sorted containers).
bool operator<(const Formula& a, const Formula& b);

// The IR's formula (`!true` stands for false there).
Formula from_ir(const ir::Ltl& f);

// Negation normal form: no kImplies, kNot only directly above atoms.
Formula to_nnf(const Formula& f);
bool is_nnf(const Formula& f);
// The NNF of !f.
Formula negate(const Formula& f);

// An equivalent, usually smaller NNF formula (constant folding, idempotence, and the
// usual temporal laws: F F a = F a, G G a = G a, F G F a = G F a, true U a = F a,
// false V a = G a, X a && X b = X (a && b), G a && G b = G (a && b), F a || F b =
// F (a || b), ...). The input may be in any form; the output is NNF.
Formula simplify(const Formula& f);

// One more than the largest atom index used (0 when there is none).
int atom_bound(const Formula& f);

// SPIN syntax: [] <> X U V ! && || -> true false, binary subformulas parenthesised.
// `atom_name` names atom i (default: `p<i>`).
std::string to_spin(const Formula& f, const std::function<std::string(int)>& atom_name = {});

// Parses SPIN syntax: `[] <> X U V W ! && || -> <-> true false`, parentheses, and
// identifiers, which are atoms: a name already in `atoms` gets its index, a new one is
// appended. Precedence, loosest first: `->` and `<->` (right), `||`, `&&`, `U` `V` `W`
// (right), unary `! [] <> X`. Returns nullopt and sets *error on malformed input.
std::optional<Formula> parse_spin(std::string_view text, std::vector<std::string>& atoms,
                                  std::string* error = nullptr);

// Direct semantics on an ultimately periodic word u v^omega, given as the letters of
// u then v (`letters`, bit i = atom i holds) and the index where v starts (loop_start <
// letters.size()). Whether the word satisfies f at position 0. Used to check the
// automaton translation and to double-check counterexamples.
bool holds_on_lasso(const Formula& f, const std::vector<uint64_t>& letters, size_t loop_start);

}  // namespace sp::checker::ltl
