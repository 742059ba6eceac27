#include "gen/replay.hpp"

#include <sstream>

#include "compiler/ir/system.hpp"

namespace sp::gen {

namespace {

std::string Vec(const std::vector<int64_t>& v) {
  std::ostringstream o;
  o << "(";
  for (size_t i = 0; i < v.size(); ++i) o << (i ? "," : "") << v[i];
  return o.str() + ")";
}

}  // namespace

std::string replay_on_ir(const ir::Model& original, const std::string& role_name,
                         const TestCase& tc) {
  ir::Model model = original;
  const int role = model.find_role(role_name);
  if (role < 0) return "no role " + role_name;
  for (const ir::Type& t : model.types) {
    if (t.kind == ir::TypeKind::kSeq && t.seq_bits != t.seq_wire_bits) {
      return "the model must be compiled with seq_bits = " + std::to_string(t.seq_wire_bits);
    }
  }
  const ir::Role& r = model.roles[role];
  ir::System sys;
  sys.name = "gen_replay";
  ir::Instance iut{"iut", role, tc.iut_params};
  ir::Instance peer{"peer", role, {}};
  for (const ir::Var& v : r.vars) peer.init.push_back(v.init);
  if (iut.init.size() != r.vars.size()) return "iut parameters do not match the role";
  sys.instances = {iut, peer};
  std::vector<int> in_queue(r.ports.size()), out_queue(r.ports.size());
  for (size_t p = 0; p < r.ports.size(); ++p) {
    ir::Queue in;
    in.name = "tester->iut." + r.ports[p].name;
    in.senders = {1};
    in.send_port = static_cast<int>(p);
    in.receiver = 0;
    in.recv_port = static_cast<int>(p);
    in.message = r.ports[p].message;
    in.capacity = 2;
    ir::Queue out = in;
    out.name = "iut->tester." + r.ports[p].name;
    out.senders = {0};
    out.receiver = 1;
    out.capacity = 16;
    in_queue[p] = static_cast<int>(sys.queues.size());
    sys.queues.push_back(in);
    out_queue[p] = static_cast<int>(sys.queues.size());
    sys.queues.push_back(out);
  }
  model.systems.push_back(sys);
  const int sidx = static_cast<int>(model.systems.size()) - 1;
  ir::TransitionSystem ts(model, sidx);
  const ir::Layout& l = ts.layout();
  ir::Slots state = ts.initial_state();

  for (size_t i = 0; i < tc.replay.size(); ++i) {
    const ReplayStep& st = tc.replay[i];
    const ir::Transition& tr = r.transitions[st.transition];
    const std::string at = "step " + std::to_string(i + 1) + " (" + tr.name + "): ";
    for (size_t p = 0; p < r.ports.size(); ++p) {
      const ir::QueueLayout& q = l.queues[out_queue[p]];
      state[q.len] = 0;
      for (int k = 0; k < 16 * q.fields; ++k) state[q.first + k] = 0;
    }
    if (tr.event == ir::EventKind::kRecv) {
      const ir::QueueLayout& q = l.queues[in_queue[tr.event_index]];
      state[q.len] = 1;
      for (size_t f = 0; f < st.msg.size(); ++f) state[q.first + f] = st.msg[f];
    }
    if (st.ignored) {
      for (size_t t = 0; t < r.transitions.size(); ++t) {
        const ir::Transition& o = r.transitions[t];
        if (o.event != tr.event || o.event_index != tr.event_index) continue;
        bool fired = false;
        ts.successors_of(state, 0, static_cast<int>(t), [&](const ir::Successor&) { fired = true; });
        if (fired) return at + "the spec lets " + o.name + " take a stimulus the test expects ignored";
      }
      if (tr.event == ir::EventKind::kRecv) state[l.queues[in_queue[tr.event_index]].len] = 0;
      continue;
    }
    std::optional<ir::Successor> found;
    std::string errors;
    ts.successors_of(state, 0, st.transition, [&](const ir::Successor& s) {
      if (found) return;
      if (s.error) {
        errors += s.error->message + "; ";
        return;
      }
      if (tr.event == ir::EventKind::kCall && s.label.args != st.args) return;
      found = s;
    });
    if (!found) {
      return at + "not enabled in the interpreter" + (errors.empty() ? "" : " (" + errors + ")");
    }
    const ir::Label& lab = found->label;
    std::vector<std::pair<int, std::vector<int64_t>>> got;
    for (const ir::SendEvent& se : lab.sends) {
      int port = -1;
      for (size_t p = 0; p < r.ports.size(); ++p) {
        if (out_queue[p] == se.queue) port = static_cast<int>(p);
      }
      if (port >= 0 && !se.lost) got.emplace_back(port, se.fields);
    }
    if (got != st.sends) {
      std::string g, w;
      for (const auto& [p, f] : got) g += Vec(f);
      for (const auto& [p, f] : st.sends) w += Vec(f);
      return at + "the interpreter sends " + (g.empty() ? "nothing" : g) + ", the test expects " +
             (w.empty() ? "nothing" : w);
    }
    const int cs = ts.control_state(found->state, 0);
    if (cs != st.state_after) {
      return at + "the interpreter goes to " + r.states[cs] + ", the test expects " +
             r.states[st.state_after];
    }
    state = found->state;
  }
  return "";
}

}  // namespace sp::gen
