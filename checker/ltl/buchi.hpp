// Büchi automata for LTL: translation of a formula to a transition-based generalized
// Büchi automaton (TGBA), degeneralization to a state-based Büchi automaton (for the
// nested DFS), and acceptance of a lasso word (for tests and for rechecking a
// counterexample).
//
// The translation is a tableau in the style of Gerth-Peled-Vardi-Wolper (1995), with
// transition-based acceptance as in Couvreur (FM'99): a state is a set of obligations
// (NNF formulas that must hold from the next letter on), each transition reads one
// letter (the valuation of the atoms in the current system state) and carries one
// acceptance mark per `U`/`<>` subformula that it does not postpone. Then: simplified
// formula first, subsumed transitions dropped, states that cannot reach an accepting
// cycle pruned, useless acceptance sets dropped, bisimilar states merged.
//
// Automata are plain values; functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/ltl/formula.hpp"

namespace sp::checker::ltl {

// A conjunction of atom literals: atom i must hold when bit i of `pos` is set, must not
// hold when bit i of `neg` is set. The empty conjunction is `true`.
struct Label {
  uint64_t pos = 0, neg = 0;
  bool matches(uint64_t valuation) const { return (valuation & pos) == pos && (valuation & neg) == 0; }
  // Every valuation matching *this matches `o` (o's literals are a subset of ours).
  bool implies(const Label& o) const { return (o.pos & ~pos) == 0 && (o.neg & ~neg) == 0; }
  friend bool operator==(const Label& a, const Label& b) { return a.pos == b.pos && a.neg == b.neg; }
};

struct Edge {
  int dest = 0;
  Label label;
  uint64_t acc = 0;  // bit j: the edge belongs to acceptance set j
};

// A (generalized) Büchi automaton over valuations of up to 64 atoms. A run is accepting
// when, for every acceptance set j < acc_sets, it takes edges of set j infinitely often
// (acc_sets == 0: every infinite run is accepting).
struct Automaton {
  int initial = 0;
  int acc_sets = 0;                   // <= 64
  bool state_based = false;           // after degeneralize(): see `accepting`
  std::vector<std::vector<Edge>> out;  // out[q]: the edges leaving state q
  // state_based: acc_sets == 1, accepting[q] says whether q is an accepting state, and
  // the edges leaving q carry set 0 exactly when q is accepting.
  std::vector<bool> accepting;

  int states() const { return static_cast<int>(out.size()); }
  size_t edges() const;
  uint64_t all_sets() const { return acc_sets >= 64 ? ~uint64_t{0} : (uint64_t{1} << acc_sets) - 1; }
  // The automaton accepts no word at all.
  bool empty() const;
};

// Translates `f` (any form; typically the negation of the property) to a TGBA whose
// language is the set of words satisfying f. Returns nullopt and sets *error when the
// formula has atoms >= 64 or more than 64 until/eventually subformulas.
std::optional<Automaton> translate(const Formula& f, std::string* error = nullptr);

// The equivalent state-based Büchi automaton (one acceptance set; counter construction,
// then the same reductions).
Automaton degeneralize(const Automaton& a);

// Whether the automaton accepts the lasso word u v^omega (see holds_on_lasso).
bool accepts_lasso(const Automaton& a, const std::vector<uint64_t>& letters, size_t loop_start);

// A readable listing: one line per edge, `q0 -> q1 [p0 && !p1] {0,1}` (`*` marks
// accepting states of a state-based automaton). `atom_name` as in to_spin.
std::string to_text(const Automaton& a, const std::function<std::string(int)>& atom_name = {});
std::string label_text(const Label& l, const std::function<std::string(int)>& atom_name = {});

}  // namespace sp::checker::ltl
