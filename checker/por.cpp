// Read and write sets of every transition of every instance, from the IR, and the
// safe / stable / key classification of checker/por.hpp.
//
// Why a receive from a queue others send to may be in an ample set (and why it may not
// be the key). Let i receive from FIFO queue q, non-empty in state s, and let a path σ of
// other instances' steps start in s. Only i removes from q, so along σ the queue only
// grows and its head stays the message i would take in s; appends at the tail and the
// removal of the head commute. A send in σ that succeeds succeeds as well when i received
// first (one message fewer). So i's receive can be moved before σ, ending in the same
// state (the ample set's commutation condition). The converse fails for one step only: a
// send in σ that overflows q would not overflow after the receive. That step ends σ (an
// error is a dead end), so it matters only when the receive must be postponed past all of
// σ, the role of the key transition: hence a key never receives from a queue others send
// to. Symmetrically a send by i to a queue only i sends to commutes with the receiver's
// steps: along σ the queue only shrinks (i does not move), so a send that fits in s fits
// after σ, and the receiver's head is unchanged by an append to a non-empty queue (an
// empty queue's receive is not enabled in s, and stays disabled along σ).
#include "checker/por.hpp"

#include <algorithm>

namespace sp::checker::detail {

namespace {

struct Access {
  std::vector<int32_t> reads;         // slots read (guard, actions, event)
  std::vector<int32_t> enable_reads;  // what decides enabledness: guard, control state, event
  std::vector<int32_t> writes;        // slots written, queues aside
  std::vector<int> recv_queues;       // queues the event receives from
  std::vector<int> send_queues;       // queues a send of the actions may reach
};

class AccessBuilder {
 public:
  AccessBuilder(const ir::TransitionSystem& ts) : ts_(ts), l_(ts.layout()), sys_(ts.system()), m_(ts.model()) {}

  Access Build(int i, const ir::Transition& tr) const {
    Access a;
    const ir::InstanceLayout& il = l_.instances[static_cast<size_t>(i)];
    a.reads.push_back(il.state);
    a.enable_reads.push_back(il.state);
    Expr(i, tr.guard, a.reads);
    Expr(i, tr.guard, a.enable_reads);
    switch (tr.event) {
      case ir::EventKind::kRecv:
        for (size_t q = 0; q < sys_.queues.size(); ++q) {
          if (sys_.queues[q].receiver == i && sys_.queues[q].recv_port == tr.event_index) {
            a.recv_queues.push_back(static_cast<int>(q));
          }
        }
        break;
      case ir::EventKind::kTimeout: {
        const int slot = il.timers.at(static_cast<size_t>(tr.event_index));
        a.reads.push_back(slot);
        a.enable_reads.push_back(slot);
        a.writes.push_back(slot);
        break;
      }
      case ir::EventKind::kCall:
        CallSlots(i, tr.event_index, a);
        break;
      case ir::EventKind::kInternal:
        break;
    }
    Body(i, tr.actions, a);
    if (tr.target >= 0) a.writes.push_back(il.state);
    for (auto* v : {&a.reads, &a.enable_reads, &a.writes}) Unique(*v);
    std::sort(a.send_queues.begin(), a.send_queues.end());
    a.send_queues.erase(std::unique(a.send_queues.begin(), a.send_queues.end()), a.send_queues.end());
    return a;
  }

  // Every slot of queue q (length, messages, fault budgets).
  std::vector<int32_t> QueueSlots(int q) const {
    const ir::QueueLayout& ql = l_.queues[static_cast<size_t>(q)];
    std::vector<int32_t> out{ql.len};
    const int n = sys_.queues[static_cast<size_t>(q)].capacity * ql.fields;
    for (int k = 0; k < n; ++k) out.push_back(ql.first + k);
    for (int x : {ql.loss_budget, ql.dup_budget, ql.loss_run}) {
      if (x >= 0) out.push_back(x);
    }
    return out;
  }

 private:
  static void Unique(std::vector<int32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  void VarSlots(int inst, int var, std::vector<int32_t>& out) const {
    if (inst < 0 || inst >= static_cast<int>(l_.instances.size())) return;
    const auto& vars = l_.instances[static_cast<size_t>(inst)].vars;
    if (var < 0 || var >= static_cast<int>(vars.size())) return;
    const ir::Instance& in = sys_.instances[static_cast<size_t>(inst)];
    const ir::Var& v = m_.roles[static_cast<size_t>(in.role)].vars[static_cast<size_t>(var)];
    int count = 1;  // a map: its size slot and two per pair (ir/state.hpp)
    if (v.type >= 0 && v.type < static_cast<int>(m_.types.size())) {
      const ir::Type& t = m_.types[static_cast<size_t>(v.type)];
      if (t.kind == ir::TypeKind::kMap) count = 1 + 2 * std::max(0, t.capacity);
    }
    for (int k = 0; k < count; ++k) out.push_back(vars[static_cast<size_t>(var)] + k);
  }

  void Expr(int i, const ir::Expr& e, std::vector<int32_t>& out) const {
    const int who = e.instance >= 0 ? e.instance : i;
    switch (e.op) {
      case ir::Op::kVar:
        VarSlots(i, e.index, out);
        break;
      case ir::Op::kInstVar:
      case ir::Op::kMapHas:
      case ir::Op::kMapGet:
        VarSlots(who, e.index, out);
        break;
      case ir::Op::kState:
        out.push_back(l_.instances[static_cast<size_t>(i)].state);
        break;
      case ir::Op::kInstState:
        if (who >= 0 && who < static_cast<int>(l_.instances.size())) {
          out.push_back(l_.instances[static_cast<size_t>(who)].state);
        }
        break;
      case ir::Op::kTimerArmed:
        if (who >= 0 && who < static_cast<int>(l_.instances.size())) {
          const auto& timers = l_.instances[static_cast<size_t>(who)].timers;
          if (e.index >= 0 && e.index < static_cast<int>(timers.size())) out.push_back(timers[static_cast<size_t>(e.index)]);
        }
        break;
      case ir::Op::kPortLen:
      case ir::Op::kPortFull:
        if (who >= 0 && who < static_cast<int>(l_.instances.size())) {
          const std::vector<int32_t> qs = ir::port_queues(sys_, l_, who, e.index, e.op == ir::Op::kPortLen);
          for (size_t k = 0; k < qs.size(); k += 2) out.push_back(qs[k]);
        }
        break;
      default:
        break;  // kMsgField reads the received message: the queue's head, handled apart
    }
    for (const ir::Expr& a : e.args) Expr(i, a, out);
  }

  void Body(int i, const std::vector<ir::Stmt>& body, Access& a) const {
    const ir::InstanceLayout& il = l_.instances[static_cast<size_t>(i)];
    for (const ir::Stmt& st : body) {
      for (const ir::Expr& e : st.exprs) Expr(i, e, a.reads);
      switch (st.kind) {
        case ir::StmtKind::kSend:
          for (size_t q = 0; q < sys_.queues.size(); ++q) {
            const ir::Queue& qu = sys_.queues[q];
            if (qu.send_port == st.index && std::find(qu.senders.begin(), qu.senders.end(), i) != qu.senders.end()) {
              a.send_queues.push_back(static_cast<int>(q));
            }
          }
          break;
        case ir::StmtKind::kAssign:
        case ir::StmtKind::kMapPut:
        case ir::StmtKind::kMapRemove:
          VarSlots(i, st.index, a.writes);
          VarSlots(i, st.index, a.reads);
          break;
        case ir::StmtKind::kStart:
        case ir::StmtKind::kStop:
          if (st.index >= 0 && st.index < static_cast<int>(il.timers.size())) {
            a.writes.push_back(il.timers[static_cast<size_t>(st.index)]);
          }
          break;
        case ir::StmtKind::kAssert:
          break;
        case ir::StmtKind::kIf:
          Body(i, st.then_body, a);
          Body(i, st.else_body, a);
          break;
      }
    }
  }

  // A call reads and advances the environment's budget counters or script position.
  void CallSlots(int i, int call, Access& a) const {
    const ir::Environment& env = sys_.environment;
    if (env.unrestricted) return;
    for (size_t e = 0; e < env.entries.size(); ++e) {
      for (const ir::CallEntry::Target& t : env.entries[e].targets) {
        if (t.instance != i || (t.call != call && t.call >= 0)) continue;
        if (env.script) {
          a.reads.push_back(l_.script_pc);
          a.enable_reads.push_back(l_.script_pc);
          a.writes.push_back(l_.script_pc);
        } else if (l_.env_counters[e] >= 0) {
          // A counter only grows: another instance sharing it can disable this call,
          // never enable it, so it is not an enabling read (stability); it is a read.
          a.reads.push_back(l_.env_counters[e]);
          a.writes.push_back(l_.env_counters[e]);
        }
      }
    }
  }

  const ir::TransitionSystem& ts_;
  const ir::Layout& l_;
  const ir::System& sys_;
  const ir::Model& m_;
};

bool Has(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void AddOnce(std::vector<int>& v, int x) {
  if (!Has(v, x)) v.push_back(x);
}

}  // namespace

AmpleSets::AmpleSets(const ir::TransitionSystem& ts, const std::vector<int32_t>& visible) : ts_(ts) {
  const ir::System& sys = ts.system();
  const ir::Model& m = ts.model();
  const ir::Layout& l = ts.layout();
  const size_t n = sys.instances.size();
  const AccessBuilder builder(ts);

  std::vector<std::vector<Access>> access(n);
  std::vector<std::vector<int>> readers(l.slots.size()), writers(l.slots.size());  // plain
  for (size_t i = 0; i < n; ++i) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    for (const ir::Transition& tr : role.transitions) {
      access[i].push_back(builder.Build(static_cast<int>(i), tr));
      for (int32_t x : access[i].back().reads) AddOnce(readers[static_cast<size_t>(x)], static_cast<int>(i));
      for (int32_t x : access[i].back().writes) AddOnce(writers[static_cast<size_t>(x)], static_cast<int>(i));
    }
  }
  // The queue each slot belongs to (-1: none).
  std::vector<int> queue_of(l.slots.size(), -1);
  std::vector<std::vector<int32_t>> queue_slots;
  for (size_t q = 0; q < sys.queues.size(); ++q) {
    queue_slots.push_back(builder.QueueSlots(static_cast<int>(q)));
    for (int32_t x : queue_slots.back()) queue_of[static_cast<size_t>(x)] = static_cast<int>(q);
  }
  std::vector<uint8_t> is_visible(l.slots.size(), 0);
  for (int32_t x : visible) is_visible[static_cast<size_t>(x)] = 1;

  auto others_in = [](const std::vector<int>& v, int i) {
    return std::any_of(v.begin(), v.end(), [i](int j) { return j != i; });
  };
  auto other_senders = [&](int q, int i) { return others_in(sys.queues[static_cast<size_t>(q)].senders, i); };
  // Another instance can change slot x: writes it, or sends to / receives from its queue.
  auto foreign_write = [&](int32_t x, int i) {
    if (others_in(writers[static_cast<size_t>(x)], i)) return true;
    const int q = queue_of[static_cast<size_t>(x)];
    return q >= 0 && (other_senders(q, i) || sys.queues[static_cast<size_t>(q)].receiver != i);
  };
  // Another instance reads or writes slot x directly (not by a send or receive).
  auto foreign_plain = [&](int32_t x, int i) {
    return others_in(readers[static_cast<size_t>(x)], i) || others_in(writers[static_cast<size_t>(x)], i);
  };

  flags_.resize(n);
  may_reduce_.resize(n);
  shared_recv_.resize(n);
  for (size_t ii = 0; ii < n; ++ii) {
    const int i = static_cast<int>(ii);
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[ii].role)];
    for (size_t t = 0; t < role.transitions.size(); ++t) {
      const Access& a = access[ii][t];
      bool safe = true, stable = true, invisible = true, shared_recv = false;
      for (int32_t x : a.reads) safe = safe && !foreign_write(x, i);
      for (int32_t x : a.enable_reads) stable = stable && !foreign_write(x, i);
      for (int32_t x : a.writes) {
        safe = safe && !foreign_plain(x, i) && queue_of[static_cast<size_t>(x)] < 0;
        invisible = invisible && !is_visible[static_cast<size_t>(x)];
      }
      std::vector<int32_t> must_fill;
      for (int q : a.recv_queues) {
        const ir::Queue& qu = sys.queues[static_cast<size_t>(q)];
        const bool shared = other_senders(q, i);
        shared_recv = shared_recv || shared;
        if (shared) must_fill.push_back(l.queues[static_cast<size_t>(q)].len);
        if (shared && qu.bag) safe = stable = false;  // a new message is a new step
        for (int32_t x : queue_slots[static_cast<size_t>(q)]) {
          safe = safe && !foreign_plain(x, i);
          // The receive writes the length and the messages, not the budgets.
          if (x == l.queues[static_cast<size_t>(q)].len ||
              (x >= l.queues[static_cast<size_t>(q)].first &&
               x < l.queues[static_cast<size_t>(q)].first + qu.capacity * l.queues[static_cast<size_t>(q)].fields)) {
            invisible = invisible && !is_visible[static_cast<size_t>(x)];
          }
        }
      }
      for (int q : a.send_queues) {
        safe = safe && !other_senders(q, i);
        // A send that does not fit a blocking queue disables the step; the receiver
        // makes room, so it can enable it (an enabled one stays enabled: along others'
        // steps the queue only shrinks).
        if (sys.queues[static_cast<size_t>(q)].blocking) stable = false;
        for (int32_t x : queue_slots[static_cast<size_t>(q)]) {
          safe = safe && !foreign_plain(x, i);
          invisible = invisible && !is_visible[static_cast<size_t>(x)];
        }
      }
      uint8_t f = 0;
      if (safe) f |= kSafe;
      if (stable) f |= kStable;
      if (safe && invisible && !shared_recv) f |= kKey;
      flags_[ii].push_back(f);
      shared_recv_[ii].push_back(std::move(must_fill));
    }
    for (size_t cs = 0; cs < role.states.size(); ++cs) {
      bool ok = true, any_key = false;
      for (size_t t = 0; t < role.transitions.size(); ++t) {
        const ir::Transition& tr = role.transitions[t];
        if (cs >= tr.from.size() || !tr.from[cs]) continue;
        ok = ok && (flags_[ii][t] & (kSafe | kStable)) != 0;
        any_key = any_key || (flags_[ii][t] & kKey) != 0;
      }
      may_reduce_[ii].push_back(ok && any_key ? 1 : 0);
    }
  }
}

bool AmpleSets::ample(const ir::Slots& state, int instance, const std::vector<uint8_t>& enabled) const {
  const size_t ii = static_cast<size_t>(instance);
  const ir::Role& role = ts_.model().roles[static_cast<size_t>(ts_.system().instances[ii].role)];
  const int64_t cs = state[static_cast<size_t>(ts_.layout().instances[ii].state)];
  bool key = false;
  for (size_t t = 0; t < role.transitions.size(); ++t) {
    const ir::Transition& tr = role.transitions[t];
    if (static_cast<size_t>(cs) >= tr.from.size() || !tr.from[static_cast<size_t>(cs)]) continue;
    const uint8_t f = flags_[ii][t];
    if (enabled[t] != 0) {
      if ((f & kSafe) == 0) return false;
      key = key || (f & kKey) != 0;
    } else if ((f & kStable) == 0) {
      return false;
    }
    for (int32_t len : shared_recv_[ii][t]) {
      if (state[static_cast<size_t>(len)] == 0) return false;
    }
  }
  return key;
}

}  // namespace sp::checker::detail
