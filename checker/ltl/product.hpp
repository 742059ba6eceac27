// The accepting-cycle search over the product of a system (StateSpace) and a Büchi
// automaton, on the fly, with weak and strong fairness; the answer is a lasso.
//
// Semantics (SPIN's): the automaton reads the atoms of the current system state on each
// product step, and a system state without successors repeats forever (stutter
// extension), so a deadlock is an infinite run.
//
// Algorithms (docs/ltl.md):
//   - nested DFS (Schwoon-Esparza 2005, colours white/cyan/blue/red; iterative) over the
//     degeneralized automaton, when there is no fairness;
//   - an SCC-based search (Couvreur 1999, iterative) over the generalized automaton,
//     with one extra acceptance mark per weak fairness set (an edge carries it when it
//     takes a transition of the set, or leaves a state where the set is disabled), and
//     strong fairness by refinement of complete SCCs (Emerson-Lei: states where an
//     untaken strongly fair set is enabled are removed and the SCCs recomputed).
// Memory: the product states in a StateStore (packed system state + 2-byte automaton
// state, then a colour byte or a 4-byte DFS number); the DFS stack as frames over one
// arena holding, per successor, its store id, group and automaton edge (10 bytes).
// Successors are stored when their predecessor is expanded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checker/ltl/buchi.hpp"
#include "checker/ltl/state_space.hpp"
#include "checker/result.hpp"

namespace sp::checker::ltl {

// A set of transition groups that is fair as a unit (ir::Fairness has one per set).
//   weak:   if some group of the set is enabled in every state from some point on, a
//           transition of the set is taken infinitely often;
//   strong: if some group of the set is enabled infinitely often, a transition of the
//           set is taken infinitely often.
// A group is enabled in a state when it has a successor there that is not an error.
struct FairSet {
  bool strong = false;
  std::vector<int> groups;
};

enum class Algorithm {
  kAuto,       // nested DFS without fairness, SCC-based with fairness
  kNestedDfs,  // only without fairness (kAuto otherwise)
  kScc,
};
const char* algorithm_name(Algorithm a);  // "nested-dfs", "scc", "auto"

struct SearchOptions {
  Algorithm algorithm = Algorithm::kAuto;
  uint64_t max_states = 0;        // product states; 0: no limit
  uint64_t max_memory_bytes = 0;  // state store + stacks, estimated; 0: no limit
  double timeout_s = 0;           // 0: no limit
  // Successor lists of system states are kept (8 bytes per transition) up to this size,
  // so that a system state paired with several automaton states is expanded once.
  uint64_t successor_cache_bytes = uint64_t{512} << 20;
  std::function<void(const Progress&)> progress;  // called about every progress_interval s
  double progress_interval = 0.25;
  const std::atomic<bool>* cancel = nullptr;  // set to stop early (status kLimit)
};

// A run of the system: states[0] is the initial state, step i goes from states[i] to
// states[i+1] by a transition of groups[i], and the run repeats steps[loop_start ..]
// forever: states[steps()] == states[loop_start]. loop_start == steps() means the run
// ends in a state with no successor, which repeats forever (stutter).
struct Lasso {
  size_t state_bytes = 0;
  std::vector<uint8_t> states;  // (steps() + 1) * state_bytes
  std::vector<int> groups;
  size_t loop_start = 0;

  size_t steps() const { return groups.size(); }
  const uint8_t* state(size_t i) const { return states.data() + i * state_bytes; }
};

enum class SearchStatus {
  kNoCycle,  // the product has no (fair) accepting run
  kCycle,    // found one: SearchResult::lasso
  kLimit,    // stopped at a limit (message says which)
  kError,    // the StateSpace reported an error, or the automaton is too big
};

struct SearchResult {
  SearchStatus status = SearchStatus::kError;
  std::string message;
  Lasso lasso;
  Stats stats;  // states: product states stored; transitions: product edges explored
  uint64_t system_states = 0;  // distinct system states stored
  Algorithm algorithm = Algorithm::kAuto;  // the one that ran
};

// Searches the product of `space` and `automaton` (generalized or state-based; at most
// 65535 states) for an accepting run that is fair with respect to every set of
// `fairness`. Never throws for a limit. Not thread-safe with respect to `space`.
SearchResult find_accepting_run(StateSpace& space, const Automaton& automaton,
                                const std::vector<FairSet>& fairness, const SearchOptions& options);

}  // namespace sp::checker::ltl
