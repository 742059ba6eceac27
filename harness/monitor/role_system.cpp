#include "harness/monitor/role_system.hpp"

namespace sp::monitor {

namespace {

bool sends(const std::vector<ir::Stmt>& body) {
  for (const ir::Stmt& st : body) {
    if (st.kind == ir::StmtKind::kSend || sends(st.then_body) || sends(st.else_body)) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<RoleSystem> RoleSystem::build(const ir::Model& original, const std::string& role_name,
                                              const std::string& wire, std::string* error) {
  std::unique_ptr<RoleSystem> rs(new RoleSystem());
  rs->model_ = std::make_unique<ir::Model>(original);
  ir::Model& model = *rs->model_;
  rs->role_ = model.find_role(role_name);
  if (rs->role_ < 0) {
    std::string names;
    for (const ir::Role& r : model.roles) names += (names.empty() ? "" : ", ") + r.name;
    *error = "the spec has no role " + role_name + " (roles: " + names + ")";
    return nullptr;
  }
  const ir::Role& r = model.roles[static_cast<size_t>(rs->role_)];
  for (size_t p = 0; p < r.ports.size(); ++p) {
    if (model.messages[static_cast<size_t>(r.ports[p].message)].wire == wire) {
      rs->port_ = static_cast<int>(p);
      break;
    }
  }
  if (rs->port_ < 0) {
    *error = "role " + role_name + " has no port whose message is bound to wire " + wire;
    return nullptr;
  }
  if (r.timers.size() > kMaxTimers) {
    *error = "role " + role_name + " has " + std::to_string(r.timers.size()) + " timers; the monitor follows at most " +
             std::to_string(kMaxTimers);
    return nullptr;
  }
  for (const ir::Type& t : model.types) {
    if (t.kind == ir::TypeKind::kSeq && t.seq_bits != t.seq_wire_bits) {
      *error = "the spec must be compiled at the sequence numbers' wire width (--seq-bits " +
               std::to_string(t.seq_wire_bits) + ")";
      return nullptr;
    }
  }
  rs->message_ = r.ports[static_cast<size_t>(rs->port_)].message;
  ir::System sys;
  sys.name = "monitor";
  ir::Instance role{"role", rs->role_, {}};
  for (const ir::Var& v : r.vars) role.init.push_back(v.init);
  ir::Instance peer = role;
  peer.name = "peer";
  sys.instances = {role, peer};
  ir::Queue in;
  in.name = "peer->role." + r.ports[static_cast<size_t>(rs->port_)].name;
  in.senders = {1};
  in.send_port = rs->port_;
  in.receiver = 0;
  in.recv_port = rs->port_;
  in.message = rs->message_;
  in.capacity = 1;
  ir::Queue out = in;
  out.name = "role->peer." + r.ports[static_cast<size_t>(rs->port_)].name;
  out.senders = {0};
  out.receiver = 1;
  out.capacity = kOutputCapacity;
  out.blocking = true;  // a step whose outputs would overflow is not one the monitor follows
  sys.queues = {in, out};
  // One incarnation per connection: each call at most once (a new OPEN on the same
  // 4-tuple picks a new ISS, RFC 9293 §3.4.1, and is a new connection to the monitor).
  sys.environment.unrestricted = false;
  for (size_t c = 0; c < r.calls.size(); ++c) {
    ir::CallEntry e;
    ir::CallEntry::Target t;
    t.instance = 0;
    t.call = static_cast<int>(c);
    t.args.assign(r.calls[c].params.size(), std::nullopt);
    e.targets.push_back(t);
    e.bound = 1;
    sys.environment.entries.push_back(e);
  }
  rs->in_queue_ = 0;
  rs->out_queue_ = 1;
  model.systems.push_back(sys);
  rs->ts_ = std::make_unique<ir::TransitionSystem>(model, static_cast<int>(model.systems.size()) - 1);
  for (size_t t = 0; t < r.transitions.size(); ++t) {
    const ir::Transition& tr = r.transitions[t];
    if (tr.event == ir::EventKind::kRecv) {
      if (tr.event_index == rs->port_) rs->receives_.push_back(static_cast<int>(t));
    } else {
      rs->unobserved_.push_back(static_cast<int>(t));
      if (!sends(tr.actions)) rs->silent_.push_back(static_cast<int>(t));
    }
  }
  const std::vector<int>* lists[3] = {&rs->receives_, &rs->unobserved_, &rs->silent_};
  for (int k = 0; k < 3; ++k) {
    rs->by_state_[k].resize(r.states.size());
    for (int t : *lists[k]) {
      const ir::Transition& tr = r.transitions[static_cast<size_t>(t)];
      for (size_t st = 0; st < r.states.size(); ++st) {
        if (st < tr.from.size() && tr.from[st]) rs->by_state_[k][st].push_back(t);
      }
    }
  }
  return rs;
}

int RoleSystem::var_slot(int var) const { return ts_->layout().instances[0].vars.at(static_cast<size_t>(var)); }
int RoleSystem::state_slot() const { return ts_->layout().instances[0].state; }
int RoleSystem::timer_slot(int timer) const {
  return ts_->layout().instances[0].timers.at(static_cast<size_t>(timer));
}

}  // namespace sp::monitor
