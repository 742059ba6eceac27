// Readable forms of labels, states and messages, for traces and reports.
//
//   server: rcv_syn [LISTEN -> SYN_RCVD] (RFC 9293 §3.10.7.2) recv Segment{flags={SYN}, seq=6,
//       ack=0} from client.net->server.net; send Segment{...} to server.net->client.net LOST
//
//   client: ESTABLISHED snd_una=7 snd_nxt=7 rtx armed
//   client.net->server.net: [Segment{flags={ACK}, seq=7, ack=2}]
#include "compiler/ir/system.hpp"

namespace sp::ir {

namespace {

std::string StateName(const Role& role, int s) {
  if (s >= 0 && s < static_cast<int>(role.states.size())) return role.states[static_cast<size_t>(s)];
  return "#" + std::to_string(s);
}

// The `from` set of a transition: one state, `any`, or `{A, B}`.
std::string FromText(const Role& role, const Transition& tr) {
  std::vector<int> in;
  for (size_t s = 0; s < tr.from.size() && s < role.states.size(); ++s) {
    if (tr.from[s]) in.push_back(static_cast<int>(s));
  }
  if (in.size() == 1) return StateName(role, in[0]);
  if (in.size() == role.states.size()) return "any";
  std::string out = "{";
  for (size_t k = 0; k < in.size(); ++k) out += (k ? ", " : "") + StateName(role, in[k]);
  return out + "}";
}

}  // namespace

int TransitionSystem::control_state(const Slots& state, int instance) const {
  return static_cast<int>(state.at(static_cast<size_t>(layout_.instances.at(static_cast<size_t>(instance)).state)));
}

std::string TransitionSystem::message_text(int message, const std::vector<int64_t>& fields) const {
  const Model& m = *model_;
  if (message < 0 || message >= static_cast<int>(m.messages.size())) return "message#" + std::to_string(message);
  const Message& msg = m.messages[static_cast<size_t>(message)];
  std::string out = msg.name + "{";
  for (size_t f = 0; f < msg.fields.size(); ++f) {
    if (f) out += ", ";
    out += msg.fields[f].name + "=";
    out += f < fields.size() ? format_value(m, msg.fields[f].type, fields[f]) : "?";
  }
  return out + "}";
}

std::string TransitionSystem::describe_label(const Label& label) const {
  const Model& m = *model_;
  const System& sys = system();
  if (label.instance < 0 || label.instance >= static_cast<int>(sys.instances.size())) return "(no step)";
  const Instance& inst = sys.instances[static_cast<size_t>(label.instance)];
  const Role& role = m.roles[static_cast<size_t>(inst.role)];
  if (label.transition < 0 || label.transition >= static_cast<int>(role.transitions.size())) {
    return inst.name + ": transition #" + std::to_string(label.transition);
  }
  const Transition& tr = role.transitions[static_cast<size_t>(label.transition)];

  std::string out = inst.name + ": " + tr.name + " [";
  const std::string from = label.from_state >= 0 ? StateName(role, label.from_state) : FromText(role, tr);
  out += from + " -> ";
  if (tr.target >= 0) {
    out += StateName(role, tr.target);
  } else {
    out += label.from_state >= 0 ? from : "same";
  }
  out += "]";
  if (!tr.cite.empty()) out += " (" + tr.cite + ")";

  bool event = true;
  switch (tr.event) {
    case EventKind::kRecv: {
      out += " recv ";
      if (label.recv_queue >= 0 && label.recv_queue < static_cast<int>(sys.queues.size())) {
        const Queue& q = sys.queues[static_cast<size_t>(label.recv_queue)];
        out += message_text(q.message, label.received) + " from " + q.name;
        if (q.bag && label.recv_position > 0) out += " (position " + std::to_string(label.recv_position) + ")";
      } else {
        const int msg = tr.event_index >= 0 && tr.event_index < static_cast<int>(role.ports.size())
                            ? role.ports[static_cast<size_t>(tr.event_index)].message
                            : -1;
        out += message_text(msg, label.received);
      }
      break;
    }
    case EventKind::kCall: {
      const Call* call = tr.event_index >= 0 && tr.event_index < static_cast<int>(role.calls.size())
                             ? &role.calls[static_cast<size_t>(tr.event_index)]
                             : nullptr;
      out += " call " + (call ? call->name : std::string("?"));
      if (!label.args.empty()) {
        out += "(";
        for (size_t k = 0; k < label.args.size(); ++k) {
          if (k) out += ", ";
          const TypeId t = call && k < call->params.size() ? call->params[k].type : -1;
          out += format_value(m, t, label.args[k]);
        }
        out += ")";
      }
      break;
    }
    case EventKind::kTimeout:
      out += " timeout ";
      out += tr.event_index >= 0 && tr.event_index < static_cast<int>(role.timers.size())
                 ? role.timers[static_cast<size_t>(tr.event_index)].name
                 : std::string("?");
      break;
    case EventKind::kInternal:
      event = false;
      break;
  }
  for (const SendEvent& s : label.sends) {
    out += event ? "; " : " ";
    event = true;
    const Queue* q = s.queue >= 0 && s.queue < static_cast<int>(sys.queues.size())
                         ? &sys.queues[static_cast<size_t>(s.queue)]
                         : nullptr;
    out += "send " + message_text(q ? q->message : -1, s.fields);
    if (q) out += " to " + q->name;
    if (s.lost) out += " LOST";
    if (s.duplicated) out += " DUPLICATED";
  }
  return out;
}

std::string TransitionSystem::describe_state(const Slots& state) const {
  const Model& m = *model_;
  const System& sys = system();
  auto at = [&](int slot) { return state.at(static_cast<size_t>(slot)); };
  std::string out;
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const Instance& inst = sys.instances[i];
    const Role& role = m.roles[static_cast<size_t>(inst.role)];
    const InstanceLayout& il = layout_.instances[i];
    out += inst.name + ": " + StateName(role, static_cast<int>(at(il.state)));
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const Var& var = role.vars[v];
      const int slot = il.vars[v];
      const Type* type = var.type >= 0 && var.type < static_cast<int>(m.types.size())
                             ? &m.types[static_cast<size_t>(var.type)]
                             : nullptr;
      if (type && type->kind == TypeKind::kMap) {
        const int cap = type->capacity < 0 ? 0 : type->capacity;
        bool fixed = true;  // a map no transition writes: always empty, not shown
        for (int k = 0; k <= 2 * cap; ++k) fixed = fixed && layout_.slots[static_cast<size_t>(slot + k)].bits == 0;
        if (fixed) continue;
        out += " " + var.name + "={";
        const int64_t size = at(slot);
        for (int64_t j = 0; j < size && j < cap; ++j) {
          if (j) out += ", ";
          out += format_value(m, type->key, at(slot + 1 + 2 * static_cast<int>(j))) + ": " +
                 format_value(m, type->value, at(slot + 2 + 2 * static_cast<int>(j)));
        }
        out += "}";
        continue;
      }
      if (layout_.slots[static_cast<size_t>(slot)].bits == 0) continue;  // constant
      out += " " + var.name + "=" + format_value(m, var.type, at(slot));
    }
    for (size_t t = 0; t < il.timers.size() && t < role.timers.size(); ++t) {
      if (at(il.timers[t])) out += " " + role.timers[t].name + " armed";
    }
    out += "\n";
  }
  for (size_t q = 0; q < sys.queues.size(); ++q) {
    const Queue& qu = sys.queues[q];
    const QueueLayout& ql = layout_.queues[q];
    const int64_t len = at(ql.len);
    if (len == 0 && !(ql.loss_run >= 0 && at(ql.loss_run) > 0)) continue;  // a run of losses is state too
    out += qu.name + ": [";
    std::vector<int64_t> fields(static_cast<size_t>(ql.fields));
    for (int64_t k = 0; k < len; ++k) {
      for (int f = 0; f < ql.fields; ++f) {
        fields[static_cast<size_t>(f)] = at(ql.first + static_cast<int>(k) * ql.fields + f);
      }
      out += (k ? ", " : "") + message_text(qu.message, fields);
    }
    out += "]";
    if (ql.loss_budget >= 0) out += " loss budget " + std::to_string(at(ql.loss_budget));
    if (ql.dup_budget >= 0) out += " dup budget " + std::to_string(at(ql.dup_budget));
    if (ql.loss_run >= 0) out += " lost in a row " + std::to_string(at(ql.loss_run));
    out += "\n";
  }
  const Environment& env = sys.environment;
  if (layout_.script_pc >= 0) {
    out += "environment: script step " + std::to_string(at(layout_.script_pc)) + " of " +
           std::to_string(env.entries.size()) + "\n";
  } else {
    std::string used;
    for (size_t e = 0; e < layout_.env_counters.size(); ++e) {
      const int c = layout_.env_counters[e];
      if (c < 0 || at(c) == 0) continue;
      used += (used.empty() ? "" : ", ") + std::string("entry ") + std::to_string(e) + " used " +
              std::to_string(at(c)) + "/" + std::to_string(*env.entries[e].bound);
    }
    if (!used.empty()) out += "environment: " + used + "\n";
  }
  return out;
}

}  // namespace sp::ir
