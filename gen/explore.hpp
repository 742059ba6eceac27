// Breadth-first symbolic exploration of the IUT role driven by tester actions.
//
// Each step is one tester action -- inject a message on a port (a recv transition), make
// a call, let the earliest armed timer expire, or let the IUT take an internal
// transition -- and one Outcome of the transition it triggers. A node's path condition is
// the conjunction of the constraints along its path from the root; one z3::solver holds
// the current path with push/pop (enter()), so a feasibility query only adds one step.
// Nodes are merged by an abstraction of their state (control state, timers, small
// variables, sequence variables relative to the ISNs); at most `per_key` nodes per
// abstract state are expanded; a child that would be a leaf of an abstract state already
// expanded, ending in a (transition, from-state, branch) an earlier level already has, is
// not even checked (nothing downstream uses it). Not thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gen/sym_exec.hpp"

namespace sp::gen {

struct ExploreOptions {
  int depth = 10;
  int per_key = 1;
  int max_nodes = 100000;
  unsigned query_rlimit = 0;  // Z3 resource limit per query, 0: none (then: unknown)
  // Control states a path should pass through when it can at no extra length (indexed by
  // state; empty: none). Among the paths of one length those through such a state come
  // first, so they are the ones tests use (gen --prefer-via).
  std::vector<bool> prefer_via;
};

// A tester's free choice introduced at one step: a message field (its relative value for
// TCP `seq`/`ack`) or a call argument.
struct Choice {
  z3::expr sym;
  ir::TypeId type = -1;
  std::string field;      // field or parameter name
  int space = 0;          // TCP fields: 1 = tester's sequence space (seq), 2 = IUT's (ack)
};

struct Node {
  explicit Node(z3::context& c)
      : constraint(c), stim_domain(c), guard(c), body(c), exclusion(c) {}

  int parent = -1;
  int depth = 0;
  int transition = -1;             // -1: the root
  std::string branch;
  SymState state;                  // after the step
  std::vector<SymSend> sends;
  Stimulus stimulus;
  std::vector<Choice> choices;
  z3::expr constraint;             // what this step adds to the path condition
  z3::expr stim_domain;            // the choices' domains
  z3::expr guard;                  // the transition's guard (on the stimulus)
  z3::expr body;                   // branch conditions etc. (without exclusions)
  z3::expr exclusion;              // no other transition takes the same stimulus
  std::vector<Atom> atoms;
  std::vector<std::pair<int, z3::expr>> map_writes;
  int fired_timer = -1;            // timeout steps
  int64_t wait_ms = 0;             // test time this step waits (timeouts)
  bool ambiguous = false;          // (set by the concretizer) another transition may take it
  bool ignored = false;            // no transition takes the stimulus (state unchanged)
  bool via = false;                // the path passes through a preferred state
};

struct QueryStats {
  long queries = 0;        // solver checks made
  long unknown = 0;
  long model_hits = 0;     // checks answered by the cached model, without a query
  double seconds = 0;      // in solver checks
};

class Explorer {
 public:
  Explorer(const Encoder& enc, z3::solver& solver, ExploreOptions options);

  void run();

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int id) const { return nodes_[id]; }
  int first(int transition) const;              // shortest node ending in it, or -1
  std::vector<int> path(int node) const;        // root excluded, in order
  int reached_states() const;
  bool truncated() const { return truncated_; }
  const ExploreOptions& options() const { return options_; }

  // The solver's assertions become the path condition of `node`.
  void enter(int node);
  // sat / unsat / unknown of the current path condition plus `extra`. Answers `sat`
  // without a query when the last model found for the current assertions satisfies
  // `extra` too (the common case for the concretizer's preferred values).
  z3::check_result check(const z3::expr& extra);
  z3::check_result check_current();
  // Adds an assertion to the solver's current scope (everyone adds through here, so the
  // cached model is dropped when it does not satisfy the new assertion).
  void assume(const z3::expr& e);
  const QueryStats& stats() const { return stats_; }
  void add_stats(const QueryStats& s) {  // a worker's queries (gen/workers.cpp)
    stats_.queries += s.queries;
    stats_.unknown += s.unknown;
    stats_.model_hits += s.model_hits;
    stats_.seconds += s.seconds;
  }
  z3::solver& solver() { return solver_; }
  const Encoder& encoder() const { return enc_; }

  // The stimulus of a tester action of `transition`'s event at depth `depth`.
  Stimulus stimulus(int transition, int depth, std::vector<Choice>* choices,
                    z3::expr* domain) const;
  // Children of `parent` for one transition (unchecked): one per Outcome. Exclusions of
  // the other transitions on the same event are in `exclusion`.
  std::vector<Node> expand(int parent, int transition, z3::expr* exclusion) const;
  // Is the transition's event something the tester can cause in `parent`'s state?
  bool controllable(int parent, int transition, std::string* why) const;
  // Adds a node (already known feasible); returns its id.
  int add(Node n);

 private:
  std::string Key(const Node& n) const;
  bool Satisfies(const z3::expr& e);
  z3::check_result Check(const z3::expr* extra);

  const Encoder& enc_;
  z3::solver& solver_;
  ExploreOptions options_;
  std::vector<Node> nodes_;
  std::vector<int> trail_;
  std::map<std::string, int> key_count_;
  // (transition, from control state, branch) of earlier levels
  std::set<std::tuple<int, int, std::string>> branches_;
  std::vector<int> first_;
  bool truncated_ = false;
  QueryStats stats_;
  // A model of every assertion in the solver (a model of a larger set of assertions
  // stays one after a pop), or none.
  std::optional<z3::model> model_;
  bool cache_models_ = true;
};

}  // namespace sp::gen
