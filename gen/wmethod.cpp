// The Wp-method (Fujiwara et al., a refinement of Chow's W-method) over the role's
// control-state machine, for black-box targets whose state cannot be observed.
//
// The machine: states are the reachable control states, each represented by the first
// (shortest) explored path that reaches it; inputs are the role's transitions, input `t`
// meaning "the tester's stimulus for t" (t's event with t's guard evaluated in the current
// state); the response to an input in a state is what the spec does with that stimulus
// there (possibly another transition, or nothing), so the machine is complete wherever the
// stimulus is possible. Outputs are the IUT's sends, abstracted to message kinds and
// flags. Tests: phase 1, access(s) . W for every state s; phase 2, access(s) . t .
// W(s') for every spec transition t from s to s', where W(s') identifies s' among all
// states. With `extra_states` e > 0 every input sequence of length <= e is inserted
// after access(s) . t (m-complete for m = n + e).
#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

#include "gen/fork_map.hpp"
#include "gen/suite.hpp"
#include "gen/wire_format.hpp"

namespace sp::gen {

namespace {

using Seq = std::vector<int>;  // inputs (transition indices)

struct Fsm {
  int n = 0;                                  // states (control state indices)
  std::vector<int> rep;                       // explorer node per state (-1: unreached)
  std::vector<std::vector<int>> next;         // next[s][t]: state, -1 inapplicable
  std::vector<std::vector<std::string>> out;  // out[s][t]
};

std::string Output(const SuiteContext& sc, const Node& n) {
  if (n.ignored) return ".";  // silence, whether or not a transition took the stimulus
  std::string o;
  for (const SymSend& s : n.sends) {
    const ir::Message& m = sc.model.messages[s.message];
    o += m.name;
    for (size_t f = 0; f < m.fields.size(); ++f) {
      if (sc.enc.kind(m.fields[f].type) != ir::TypeKind::kSet &&
          sc.enc.kind(m.fields[f].type) != ir::TypeKind::kEnum) {
        continue;
      }
      z3::expr v = s.fields[f].simplify();
      uint64_t x = 0;
      o += v.is_numeral() && v.is_numeral_u64(x) ? ":" + std::to_string(x) : ":?";
    }
    o += ";";
  }
  return o.empty() ? "." : o;
}

// The response to input t at explorer node `at`, added to the explorer (or -1).
int Apply(SuiteContext& sc, int at, int t) {
  const ir::Role& role = sc.enc.role();
  const ir::Transition& tr = role.transitions[t];
  const Node& cur = sc.ex.node(at);
  if (tr.event == ir::EventKind::kTimeout && next_timer(cur.state) < 0) {
    // No timer runs: waiting the timer's duration is a stimulus too -- with silence as
    // the spec's answer (this tells FIN-WAIT-1 from FIN-WAIT-2).
    std::vector<Node> kids = sc.ex.expand(at, t, nullptr);
    if (kids.empty()) return -1;
    Node n = kids[0];
    n.parent = at;
    n.ignored = true;
    n.sends.clear();
    n.state = cur.state;
    n.state.now_ms = cur.state.now_ms + role.timers[tr.event_index].duration_ms;
    n.fired_timer = tr.event_index;
    n.wait_ms = role.timers[tr.event_index].duration_ms;
    n.atoms.clear();
    n.map_writes.clear();
    n.branch.clear();
    n.constraint = n.exclusion = sc.enc.ctx().bool_val(true);
    return sc.ex.add(std::move(n));
  }
  if (tr.event == ir::EventKind::kTimeout && !cur.state.timers[tr.event_index].armed) return -1;
  if (tr.event == ir::EventKind::kTimeout && !sc.ex.controllable(at, t, nullptr) &&
      tr.from[cur.state.control]) {
    return -1;  // another timer expires first
  }
  if (tr.event == ir::EventKind::kInternal && !tr.from[cur.state.control]) return -1;
  std::vector<Node> kids = sc.ex.expand(at, t, nullptr);
  if (kids.empty()) return -1;
  std::optional<Node> r = respond(sc, at, t, kids[0].guard, kids[0]);
  if (!r) return -1;
  r->parent = at;
  return sc.ex.add(std::move(*r));
}

Fsm Build(SuiteContext& sc) {
  const ir::Role& role = sc.enc.role();
  Fsm f;
  f.n = static_cast<int>(role.states.size());
  f.rep.assign(f.n, -1);
  for (size_t id = 0; id < sc.ex.nodes().size(); ++id) {
    const Node& n = sc.ex.node(static_cast<int>(id));
    if (f.rep[n.state.control] < 0 && !n.ignored) f.rep[n.state.control] = static_cast<int>(id);
  }
  const int ni = static_cast<int>(role.transitions.size());
  f.next.assign(f.n, std::vector<int>(ni, -1));
  f.out.assign(f.n, std::vector<std::string>(ni));
  for (int s = 0; s < f.n; ++s) {
    if (f.rep[s] < 0) continue;
    for (int t = 0; t < ni; ++t) {
      int r = Apply(sc, f.rep[s], t);
      if (r < 0) continue;
      f.next[s][t] = sc.ex.node(r).state.control;
      f.out[s][t] = Output(sc, sc.ex.node(r));
    }
  }
  return f;
}

// A shortest input sequence distinguishing s1 and s2 (empty if none).
Seq Distinguish(const Fsm& f, int s1, int s2) {
  const int ni = f.next.empty() ? 0 : static_cast<int>(f.next[0].size());
  std::map<std::pair<int, int>, std::pair<std::pair<int, int>, int>> from;
  std::deque<std::pair<int, int>> q{{s1, s2}};
  from[{s1, s2}] = {{-1, -1}, -1};
  while (!q.empty()) {
    auto [a, b] = q.front();
    q.pop_front();
    for (int t = 0; t < ni; ++t) {
      const int x = f.next[a][t], y = f.next[b][t];
      if (x < 0 || y < 0) continue;  // only inputs applicable in both
      const bool differ = f.out[a][t] != f.out[b][t];
      if (differ || !from.count({x, y})) {
        if (!differ) {
          from[{x, y}] = {{a, b}, t};
          q.push_back({x, y});
          continue;
        }
        Seq seq{t};
        for (std::pair<int, int> p{a, b}; from[p].second >= 0; p = from[p].first) {
          seq.push_back(from[p].second);
        }
        std::reverse(seq.begin(), seq.end());
        return seq;
      }
    }
  }
  return {};
}

}  // namespace

void add_wmethod_tests(SuiteContext& sc, int jobs) {
  const ir::Role& role = sc.enc.role();
  Fsm f = Build(sc);
  std::vector<int> states;
  for (int s = 0; s < f.n; ++s) {
    if (f.rep[s] >= 0) states.push_back(s);
  }
  // W(s): sequences telling s from every other state; W: their union.
  std::map<int, std::set<Seq>> ws;
  std::set<Seq> w;
  for (size_t i = 0; i < states.size(); ++i) {
    for (size_t j = i + 1; j < states.size(); ++j) {
      Seq d = Distinguish(f, states[i], states[j]);
      if (d.empty()) {
        sc.out.skipped.push_back("wmethod: states " + role.states[states[i]] + " and " +
                                 role.states[states[j]] +
                                 " are not distinguishable by their outputs");
        continue;
      }
      ws[states[i]].insert(d);
      ws[states[j]].insert(d);
      w.insert(d);
    }
  }
  // Input sequences of length <= extra_states (m-completeness beyond n states).
  std::vector<Seq> middles{{}};
  const int ni = static_cast<int>(role.transitions.size());
  for (int e = 0; e < sc.options.extra_states; ++e) {
    std::vector<Seq> more;
    for (const Seq& m : middles) {
      if (static_cast<int>(m.size()) != e) continue;
      for (int t = 0; t < ni; ++t) {
        Seq x = m;
        x.push_back(t);
        more.push_back(x);
      }
    }
    middles.insert(middles.end(), more.begin(), more.end());
  }
  struct Plan {
    std::string name;
    int start;          // explorer node after the access sequence (and t)
    int target;         // transition the test is about
    Seq rest;
  };
  std::vector<Plan> plans;
  for (int s : states) {
    int k = 0;
    const std::set<Seq>& id = w;
    for (const Seq& x : id) {
      const std::vector<int> p = sc.ex.path(f.rep[s]);
      plans.push_back({"wp." + role.states[s] + ".w" + std::to_string(++k), f.rep[s],
                       p.empty() ? -1 : sc.ex.node(p.back()).transition, x});
    }
  }
  for (int s : states) {
    for (int t = 0; t < ni; ++t) {
      if (!role.transitions[t].from[s] || f.next[s][t] < 0) continue;
      const int s2 = f.next[s][t];
      int k = 0;
      for (const Seq& mid : middles) {
        std::set<Seq> ident = ws.count(s2) ? ws[s2] : std::set<Seq>{};
        if (ident.empty()) ident.insert(Seq{});
        for (const Seq& x : ident) {
          Seq rest{t};
          rest.insert(rest.end(), mid.begin(), mid.end());
          rest.insert(rest.end(), x.begin(), x.end());
          plans.push_back({"wp." + role.states[s] + "." + role.transitions[t].name + ".w" +
                               std::to_string(++k),
                           f.rep[s], t, rest});
        }
      }
    }
  }
  // The plans' tests, made in forked workers (contiguous slices of the plan list, whose
  // neighbours share their access sequence; a fixed cut, so the suite does not depend on
  // --jobs) and added here in plan order.
  auto slice = [&](int k) {
    return std::pair<size_t, size_t>{plans.size() * static_cast<size_t>(k) / kWorkerShards,
                                     plans.size() * static_cast<size_t>(k + 1) / kWorkerShards};
  };
  std::vector<std::string> results;
  std::string error;
  const bool ok = fork_map(
      kWorkerShards, jobs,
      [&](int k) {
        const QueryStats before = sc.ex.stats();
        ByteWriter bw;
        for (size_t i = slice(k).first; i < slice(k).second; ++i) {
          const Plan& p = plans[i];
          int at = p.start;
          bool applicable = true;
          for (int t : p.rest) {
            int r = Apply(sc, at, t);
            if (r < 0) {
              applicable = false;
              break;
            }
            at = r;
          }
          if (!applicable || at == 0) {
            bw.u64(0);
            bw.str(p.name + ": an input of the sequence is not applicable");
            continue;
          }
          ConcretizeInput in;
          in.base = at;
          in.seed = sc.options.seed;
          in.name = p.name;
          std::string why;
          std::optional<TestCase> tc = sc.conc.run(in, &why);
          if (!tc) {
            bw.u64(0);
            bw.str(p.name + ": " + why);
            continue;
          }
          // Black box: the control state is not observed. The state the spec is in when
          // a step starts goes into that step's first comment (`rcv_rst: in TIME_WAIT`),
          // where a target profile's `state=` finds it (harness/suite/steps.hpp).
          std::vector<Event> ev;
          std::string state;
          for (Event& e : tc->events) {
            if (e.kind == Event::Kind::kExpectState) {
              state = e.name;
              continue;
            }
            if (e.kind == Event::Kind::kAlternative) e.args.clear();  // the state is not observed
            if (!state.empty() && !e.comment.empty() && e.kind != Event::Kind::kAlternative) {
              const size_t colon = e.comment.find(':');
              e.comment = colon == std::string::npos
                              ? e.comment + ": in " + state
                              : e.comment.substr(0, colon) + ": in " + state + ";" + e.comment.substr(colon + 1);
              state.clear();
            }
            ev.push_back(std::move(e));
          }
          tc->events = std::move(ev);
          tc->notes.push_back("W-method (Wp), black box: states are identified by outputs only");
          bw.u64(1);
          bw.i64(p.target >= 0 ? p.target : sc.ex.node(at).transition);
          bw.test(*tc);
        }
        put_worker_stats(bw, before, sc.ex.stats());
        return bw.bytes();
      },
      &results, &error);
  if (!ok) throw std::runtime_error("W-method worker failed: " + error);
  struct Made {
    bool ok = false;
    int target = -1;
    std::optional<TestCase> test;
    std::string skipped;
  };
  std::vector<Made> made(plans.size());
  for (int k = 0; k < kWorkerShards; ++k) {
    ByteReader br(results[static_cast<size_t>(k)]);
    for (size_t i = slice(k).first; i < slice(k).second; ++i) {
      Made& m = made[i];
      m.ok = br.u64() != 0;
      if (m.ok) {
        m.target = static_cast<int>(br.i64());
        m.test = br.test();
      } else {
        m.skipped = br.str();
      }
    }
    add_worker_stats(br, sc.ex);
    if (!br.done()) throw ByteError("trailing bytes in W-method worker result");
  }
  for (Made& m : made) {
    if (!m.ok) {
      sc.out.skipped.push_back(std::move(m.skipped));
      continue;
    }
    if (m.target < 0 || m.target >= ni) throw ByteError("bad transition in W-method worker result");
    sc.add(std::move(*m.test), m.target);
  }
}

}  // namespace sp::gen
