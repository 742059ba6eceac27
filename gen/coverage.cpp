// Transition coverage: one test per reachable transition (the shortest feasible path
// ending in it), plus one per further feasible branch of its `if`s, plus one per further
// state of its from-set (`any except {...}`, a group: the transition is the rule in each
// of them, RFC 9293 §3.10.7.4 names them together); the rest explained.
#include <algorithm>
#include <cctype>
#include <map>

#include "gen/suite.hpp"
#include "util/z3_context.hpp"

namespace sp::gen {

namespace {

std::string BranchSuffix(const std::string& branch) {
  std::string s = branch;
  std::replace(s.begin(), s.end(), '.', '_');
  return s;
}

// Why no path reaches `t` (it is not covered).
std::string Explain(SuiteContext& sc, int t) {
  const ir::Role& role = sc.enc.role();
  const ir::Transition& tr = role.transitions[t];
  std::vector<bool> reached(role.states.size());
  std::vector<bool> armed(role.timers.size());
  for (const Node& n : sc.ex.nodes()) {
    reached[n.state.control] = true;
    if (tr.event == ir::EventKind::kTimeout && tr.from[n.state.control] &&
        n.state.timers[tr.event_index].armed) {
      armed[tr.event_index] = true;
    }
  }
  std::string from;
  bool any = false;
  for (size_t s = 0; s < role.states.size(); ++s) {
    if (!tr.from[s]) continue;
    from += (from.empty() ? "" : ", ") + role.states[s];
    any |= reached[s];
  }
  const std::string depth = std::to_string(sc.options.depth);
  if (tr.event == ir::EventKind::kRecv) {
    const ir::Message& m = sc.model.messages[role.ports[tr.event_index].message];
    if (m.wire.empty()) return "message " + m.name + " has no wire binding: the tester cannot inject it";
  }
  // The guard alone, over arbitrary variable values.
  {
    SymState free = sc.enc.initial_state();
    for (size_t v = 0; v < role.vars.size(); ++v) {
      if (sc.enc.kind(role.vars[v].type) == ir::TypeKind::kMap) continue;
      free.vars[v] = sc.enc.fresh("free_" + role.vars[v].name, role.vars[v].type);
    }
    for (TimerState& ts : free.timers) ts.armed = true;
    std::vector<Choice> ch;
    z3::expr dom = sc.enc.ctx().bool_val(true);
    Stimulus stim = sc.ex.stimulus(t, 99, &ch, &dom);
    Encoder::Env env;
    env.state = &free;
    env.msg = &stim.msg;
    env.args = &stim.args;
    std::vector<z3::expr> side;
    env.side = &side;
    z3::expr g = sc.enc.truth(sc.enc.eval(tr.guard, env));
    z3::solver s(sc.enc.ctx());
    leave_sigint_alone(s);
    s.add(g && dom);
    if (s.check() == z3::unsat) return "guard unsatisfiable for every state and stimulus";
  }
  if (!any) {
    return "none of its from-states (" + from + ") is reachable by tester actions within depth " +
           depth;
  }
  if (tr.event == ir::EventKind::kTimeout && !armed[tr.event_index]) {
    return "timer " + role.timers[tr.event_index].name + " is never armed in " + from +
           " on any path within depth " + depth;
  }
  return "no feasible path within depth " + depth +
         ": the guard never holds in the reached states (" + from + ")";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One test of transition t: the explorer node it ends in and its name's suffix.
struct Target {
  int node = -1;
  std::string suffix;  // "" for the transition's first test
  std::string note;    // the test's note ("branch else", "from TIME_WAIT")
};

int FromState(const SuiteContext& sc, int node) { return sc.ex.node(sc.ex.node(node).parent).state.control; }

// The explorer nodes t's tests end in: the shortest path (first), then the shortest for
// each further branch, then the shortest from each further from-state that no earlier
// target starts from (named after the state: rcv_rst_challenge.time_wait). Empty when no
// path reaches t. Nodes are in breadth-first order, so the first match is the shortest.
std::vector<Target> Targets(const SuiteContext& sc, int t) {
  const int f = sc.ex.first(t);
  if (f < 0) return {};
  std::vector<Target> targets{{f, "", ""}};
  std::vector<std::string> seen{sc.ex.node(f).branch};
  std::vector<int> first_from(sc.enc.role().states.size(), -1);
  for (size_t id = 0; id < sc.ex.nodes().size(); ++id) {
    const Node& n = sc.ex.node(static_cast<int>(id));
    if (n.transition != t) continue;
    int& ff = first_from[FromState(sc, static_cast<int>(id))];
    if (ff < 0) ff = static_cast<int>(id);
    if (std::find(seen.begin(), seen.end(), n.branch) != seen.end()) continue;
    seen.push_back(n.branch);
    targets.push_back({static_cast<int>(id), BranchSuffix(n.branch), "branch " + n.branch});
  }
  std::vector<bool> covered(first_from.size(), false);
  for (const Target& x : targets) covered[FromState(sc, x.node)] = true;
  for (size_t s = 0; s < first_from.size(); ++s) {
    if (first_from[s] < 0 || covered[s]) continue;
    const std::string& state = sc.enc.role().states[s];
    targets.push_back({first_from[s], Lower(state), "from " + state});
  }
  return targets;
}

}  // namespace

CoverageEntry unreachable_entry(SuiteContext& sc, int t) {
  CoverageEntry ce;
  ce.transition = sc.enc.role().transitions[t].name;
  ce.why = Explain(sc, t);
  const ir::Role& role = sc.enc.role();
  for (size_t s = 0; s < role.states.size(); ++s) {
    if (role.transitions[t].from[s]) ce.from.push_back({role.states[s], ""});
  }
  ce.status = ce.why.find("wire binding") != std::string::npos
                  ? CoverageEntry::Status::kNotGenerated
                  : CoverageEntry::Status::kUnreachable;
  return ce;
}

void add_transition_tests(SuiteContext& sc, int t) {
  const ir::Role& role = sc.enc.role();
  const ir::Transition& tr = role.transitions[t];
  CoverageEntry ce;
  ce.transition = tr.name;
  std::vector<std::string> from_test(role.states.size());
  for (const Target& x : Targets(sc, t)) {
    ConcretizeInput in;
    in.base = x.node;
    in.seed = sc.options.seed;
    in.name = x.suffix.empty() ? tr.name : tr.name + "." + x.suffix;
    std::string why;
    std::optional<TestCase> tc = sc.conc.run(in, &why);
    if (!tc) {
      sc.out.skipped.push_back(in.name + ": " + why);
      continue;
    }
    if (!x.note.empty()) tc->notes.push_back(x.note);
    ce.tests.push_back(in.name);
    std::string& ft = from_test[FromState(sc, x.node)];
    if (ft.empty()) ft = in.name;
    sc.add(std::move(*tc), t);
  }
  for (size_t s = 0; s < role.states.size(); ++s) {
    if (tr.from[s]) ce.from.push_back({role.states[s], from_test[s]});
  }
  if (ce.tests.empty()) {
    ce.status = CoverageEntry::Status::kNotGenerated;
    ce.why = "a path exists but no concrete values were found (see skipped)";
  }
  sc.out.coverage.push_back(std::move(ce));
}

int transition_test_count(const SuiteContext& sc, int t) {
  return static_cast<int>(Targets(sc, t).size());
}

}  // namespace sp::gen
