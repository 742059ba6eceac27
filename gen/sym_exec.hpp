// Symbolic execution of one transition of the IUT role: the guard and the actions over a
// SymState, forking at every `if` (one Outcome per branch combination).
#pragma once

#include <string>
#include <vector>

#include "gen/sym.hpp"

namespace sp::gen {

struct SymSend {
  int port = -1;
  int message = -1;
  std::vector<z3::expr> fields;
};

// What a tester action provides to the transition: the received message's fields, or
// the call's arguments (both as terms over the tester's choice symbols).
struct Stimulus {
  std::vector<z3::expr> msg;
  std::vector<z3::expr> args;
};

struct Outcome {
  SymState state;                   // after the step
  std::vector<SymSend> sends;       // in order
  z3::expr guard;                   // the guard alone
  std::vector<z3::expr> conds;      // branch conditions, asserts, ranges, map reads
  std::vector<Atom> atoms;          // seq comparisons in the guard and the `if`s taken
  std::string branch;               // `then.else` along the `if`s met; "" without any
  std::vector<std::pair<int, z3::expr>> map_writes;  // (map var, key) written

  z3::expr condition() const;       // guard && conds
};

std::vector<Outcome> execute(const Encoder& enc, int transition, const SymState& pre,
                             const Stimulus& in);

// The timer that fires first among the armed ones (-1: none armed). Ties: lowest index.
int next_timer(const SymState& s);

}  // namespace sp::gen
