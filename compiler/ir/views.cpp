#include "compiler/ir/views.hpp"

#include <algorithm>
#include <sstream>

namespace sp::ir {

namespace {

const char* event_word(EventKind k) {
  switch (k) {
    case EventKind::kRecv: return "recv";
    case EventKind::kCall: return "call";
    case EventKind::kTimeout: return "timeout";
    case EventKind::kInternal: return "internal";
  }
  return "?";
}

std::string event_text(const Role& r, const Transition& t) {
  std::string s = event_word(t.event);
  switch (t.event) {
    case EventKind::kRecv: return s + " " + r.ports[t.event_index].name;
    case EventKind::kCall: return s + " " + r.calls[t.event_index].name;
    case EventKind::kTimeout: return s + " " + r.timers[t.event_index].name;
    case EventKind::kInternal: return s;
  }
  return s;
}

std::string from_text(const Role& r, const Transition& t) {
  int n = static_cast<int>(std::count(t.from.begin(), t.from.end(), true));
  if (n == static_cast<int>(r.states.size())) return "any";
  std::vector<std::string> in, out;
  for (size_t s = 0; s < r.states.size(); ++s) (t.from[s] ? in : out).push_back(r.states[s]);
  auto join = [](const std::vector<std::string>& v) {
    std::string j;
    for (const std::string& x : v) j += (j.empty() ? "" : ", ") + x;
    return j;
  };
  if (n == 1) return in[0];
  if (out.size() < in.size() && out.size() <= 3) return "any except {" + join(out) + "}";
  return "{" + join(in) + "}";
}

std::string pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

std::string dot_id(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string summary(const Model& m, bool with_slots) {
  std::ostringstream o;
  o << "protocol " << (m.protocol.empty() ? "(unnamed)" : m.protocol);
  if (!m.description.empty()) o << ": " << m.description;
  o << "\n";
  if (!m.consts.empty()) {
    o << "constants:";
    for (const auto& [name, value] : m.consts) o << " " << name << "=" << value;
    o << "\n";
  }
  for (const Role& r : m.roles) {
    o << "\nrole " << r.name << ": " << r.states.size() << " states, " << r.transitions.size()
      << " transitions, " << r.vars.size() << " variables, " << r.timers.size() << " timers\n";
    o << "  states:";
    for (size_t s = 0; s < r.states.size(); ++s) {
      o << (s ? ", " : " ") << r.states[s] << (static_cast<int>(s) == r.initial ? " (initial)" : "");
    }
    bool via = false;
    for (size_t s = 0; s < r.preamble_via.size(); ++s) {
      if (!r.preamble_via[s]) continue;
      o << (via ? ", " : "\n  test preambles via ") << r.states[s];
      via = true;
    }
    o << "\n  variables:";
    for (size_t v = 0; v < r.vars.size(); ++v) {
      o << (v ? ", " : " ") << r.vars[v].name << ": " << m.types[r.vars[v].type].name;
    }
    o << "\n";
    for (const Timer& t : r.timers) {
      o << "  timer " << t.name << " = " << t.duration_ms << "ms";
      if (t.backoff != 1) o << " backoff " << t.backoff;
      if (t.retries) o << " retries " << *t.retries;
      o << "\n";
    }
    o << "  transitions:\n";
    size_t w_name = 4, w_from = 4, w_event = 5;
    for (const Transition& t : r.transitions) {
      w_name = std::max(w_name, t.name.size());
      w_from = std::max(w_from, from_text(r, t).size());
      w_event = std::max(w_event, event_text(r, t).size());
    }
    for (const Transition& t : r.transitions) {
      std::string target = t.target < 0 ? "same" : r.states[t.target];
      o << "    " << pad(t.name, w_name) << "  " << pad(from_text(r, t), w_from) << " -> "
        << pad(target, 11) << "  on " << pad(event_text(r, t), w_event)
        << (t.cite.empty() ? "" : "  " + t.cite) << "\n";
    }
  }
  for (size_t si = 0; si < m.systems.size(); ++si) {
    const System& s = m.systems[si];
    Layout layout = build_layout(m, static_cast<int>(si));
    o << "\nsystem " << s.name << ": " << s.instances.size() << " instances, " << s.queues.size()
      << " queues, state vector " << layout.total_bits << " bits (" << layout.bytes()
      << " bytes) in " << layout.slots.size() << " slots\n";
    for (const Instance& i : s.instances) {
      o << "  instance " << i.name << ": " << m.roles[i.role].name << "\n";
    }
    for (const Queue& q : s.queues) {
      o << "  queue " << q.name << ": " << m.messages[q.message].name << ", capacity "
        << q.capacity << (q.bag ? ", bag" : ", fifo");
      if (q.lossy) o << ", lossy" << (q.loss_budget ? " " + std::to_string(*q.loss_budget) : "");
      if (q.loss_run) o << " consecutive " << *q.loss_run;
      if (q.dup) o << ", dup" << (q.dup_budget ? " " + std::to_string(*q.dup_budget) : "");
      o << "\n";
    }
    const Environment& env = s.environment;
    if (env.unrestricted) {
      o << "  environment: every call, any time\n";
    } else {
      o << "  environment" << (env.script ? " script:" : " calls:");
      for (size_t e = 0; e < env.entries.size(); ++e) {
        const CallEntry& ce = env.entries[e];
        o << (e ? ", " : " ");
        if (ce.targets.size() > 1) o << "{";
        for (size_t t = 0; t < ce.targets.size(); ++t) {
          const auto& tg = ce.targets[t];
          o << (t ? ", " : "") << s.instances[tg.instance].name << "."
            << m.roles[s.instances[tg.instance].role].calls[tg.call].name;
        }
        if (ce.targets.size() > 1) o << "}";
        if (!env.script && ce.bound) o << (*ce.bound == 1 ? " once" : " at most " + std::to_string(*ce.bound));
      }
      o << "\n";
    }
    if (with_slots) {
      o << "  slots:\n";
      for (const Slot& sl : layout.slots) {
        o << "    " << pad(sl.name, 28) << " " << sl.bits << " bits at " << sl.offset << "\n";
      }
    }
  }
  if (!m.properties.empty()) o << "\nproperties:\n";
  for (const Property& p : m.properties) {
    const char* kind = p.kind == PropertyKind::kInvariant ? "invariant"
                       : p.kind == PropertyKind::kDeadlock ? "deadlock freedom"
                                                           : "LTL";
    o << "  " << p.name << " in " << m.systems[p.system].name << ": " << kind
      << (p.lemma ? " (lemma)" : "");
    if (!p.fairness.empty()) {
      o << " under";
      for (size_t f = 0; f < p.fairness.size(); ++f) o << (f ? ", " : " ") << p.fairness[f].text;
    }
    o << "\n";
  }
  return o.str();
}

std::string to_dot(const Model& m, bool self_loops) {
  std::ostringstream o;
  o << "digraph " << dot_id(m.protocol.empty() ? "spec" : m.protocol) << " {\n"
    << "  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (size_t ri = 0; ri < m.roles.size(); ++ri) {
    const Role& r = m.roles[ri];
    std::string prefix = r.name + ".";
    o << "  subgraph " << dot_id("cluster_" + r.name) << " {\n    label=" << dot_id("role " + r.name)
      << ";\n";
    for (size_t s = 0; s < r.states.size(); ++s) {
      o << "    " << dot_id(prefix + r.states[s]) << " [label=" << dot_id(r.states[s])
        << (static_cast<int>(s) == r.initial ? ", peripheries=2" : "") << "];\n";
    }
    // Merge parallel edges between the same two states into one labelled edge.
    std::vector<std::vector<std::vector<std::string>>> edges(
        r.states.size(), std::vector<std::vector<std::string>>(r.states.size()));
    for (const Transition& t : r.transitions) {
      for (size_t s = 0; s < r.states.size(); ++s) {
        if (!t.from[s]) continue;
        size_t target = t.target < 0 ? s : static_cast<size_t>(t.target);
        if (target == s && !self_loops) continue;
        edges[s][target].push_back(t.name);
      }
    }
    for (size_t a = 0; a < r.states.size(); ++a) {
      for (size_t b = 0; b < r.states.size(); ++b) {
        if (edges[a][b].empty()) continue;
        std::string label;
        for (const std::string& n : edges[a][b]) label += (label.empty() ? "" : "\n") + n;
        o << "    " << dot_id(prefix + r.states[a]) << " -> " << dot_id(prefix + r.states[b])
          << " [label=" << dot_id(label) << "];\n";
      }
    }
    o << "  }\n";
  }
  o << "}\n";
  return o.str();
}

Simulation simulate(const TransitionSystem& ts, uint64_t seed, int max_steps) {
  Simulation sim;
  sim.initial = ts.initial_state();
  Slots state = sim.initial;
  // splitmix64: a portable, seedable generator (std distributions differ by library).
  uint64_t x = seed;
  auto next = [&x]() {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::vector<Successor> succ;
  for (int step = 0; step < max_steps; ++step) {
    succ.clear();
    ts.successors(state, [&](const Successor& s) { succ.push_back(s); });
    if (succ.empty()) {
      sim.deadlock = true;
      break;
    }
    const Successor& pick = succ[next() % succ.size()];
    SimulationStep st;
    st.label = pick.label;
    if (pick.error) {
      st.error = pick.error->message;
      st.state = state;
      sim.steps.push_back(std::move(st));
      break;
    }
    st.state = pick.state;
    state = pick.state;
    sim.steps.push_back(std::move(st));
  }
  return sim;
}

std::string format_simulation(const TransitionSystem& ts, const Simulation& sim) {
  const Model& m = ts.model();
  const System& sys = ts.system();
  std::ostringstream o;
  o << "initial state:\n" << ts.describe_state(sim.initial);
  Slots prev = sim.initial;
  size_t w = 6;
  for (const Instance& i : sys.instances) w = std::max(w, i.name.size());
  for (size_t n = 0; n < sim.steps.size(); ++n) {
    const SimulationStep& st = sim.steps[n];
    const Label& l = st.label;
    const Instance& inst = sys.instances[l.instance];
    const Role& r = m.roles[inst.role];
    const Transition& t = r.transitions[l.transition];
    int before = ts.control_state(prev, l.instance);
    int after = st.error.empty() ? ts.control_state(st.state, l.instance) : before;
    o << pad(std::to_string(n + 1), 4) << " " << pad(inst.name, w) << "  " << t.name;
    if (before != after) o << "  " << r.states[before] << " -> " << r.states[after];
    if (t.event == EventKind::kCall) {
      o << "  (call " << r.calls[t.event_index].name;
      for (size_t a = 0; a < l.args.size(); ++a) {
        o << (a ? ", " : "(") << format_value(m, r.calls[t.event_index].params[a].type, l.args[a]);
        if (a + 1 == l.args.size()) o << ")";
      }
      o << ")";
    }
    if (t.event == EventKind::kTimeout) o << "  (timeout " << r.timers[t.event_index].name << ")";
    if (!t.cite.empty()) o << "  [" << t.cite << "]";
    o << "\n";
    std::string indent(5 + w + 2, ' ');
    if (l.recv_queue >= 0) {
      const Queue& q = sys.queues[l.recv_queue];
      std::string from;
      if (q.senders.size() == 1) from = sys.instances[q.senders[0]].name;
      else from = q.name;
      o << indent << "<- " << from << ": " << ts.message_text(q.message, l.received)
        << (l.redelivered ? "   KEPT (stays queued: delivered again later)" : "") << "\n";
    }
    for (const SendEvent& s : l.sends) {
      const Queue& q = sys.queues[s.queue];
      o << indent << "-> " << sys.instances[q.receiver].name << ": "
        << ts.message_text(q.message, s.fields);
      if (s.lost) o << "   LOST";
      if (s.duplicated) o << "   DUPLICATED";
      o << "\n";
    }
    if (!st.error.empty()) {
      o << indent << "ERROR: " << st.error << "\n";
      break;
    }
    prev = st.state;
  }
  if (sim.deadlock) o << "no transition is enabled: the run ends here\n";
  o << "final state:\n" << ts.describe_state(prev);
  return o.str();
}

}  // namespace sp::ir
