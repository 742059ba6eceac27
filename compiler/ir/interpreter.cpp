// The next-state interpreter: initial state, successors (with labels and step errors),
// and evaluation of state expressions.
//
// A step of instance i by transition t (docs/language.md "Semantics"):
//   1. t is enabled: from[control state], and its event: the head message of a queue
//      towards i's port (fifo) or any distinct one (bag); a call the environment allows,
//      with every argument value; an armed timer; or `internal`.
//   2. The guard holds, evaluated in the current state with the message / arguments bound.
//   3. The event is consumed (message removed, environment budget or script position
//      advanced, timer disarmed) and the actions run in order; sends are collected.
//   4. Each collected send becomes one copy per queue it reaches; each copy is delivered,
//      lost (lossy, budget left) or duplicated (dup, budget left): one successor per
//      combination. The control state becomes t's target. When the copies do not all
//      fit a `blocking` queue, the step is not enabled (no successor, no error).
//   A receive from a `dup redeliver` queue with dup budget left is also taken a second
//   way: the message stays in the queue (redelivered later) and the budget drops by one;
//   its sends are not duplicated.
// Successors come in a fixed order: instance, transition, queue, position, consumed
// before redelivered, environment entry, target, argument values (first argument
// slowest), fault choices (first copy slowest; delivered, lost, duplicated).
//
// Scratch space lives in a per-thread stack (one level per nested successors() call), so
// a TransitionSystem is shared between threads without locks and a steady-state call
// allocates nothing.
#include <algorithm>
#include <memory>
#include <utility>

#include "compiler/ir/program.hpp"
#include "compiler/ir/system.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir {

namespace {

using detail::Frame;
using detail::Program;
using detail::StepFailure;

struct CallChoice {
  int entry = -1;  // -1: unrestricted environment
  int target = -1;
};

// kKeep: a redelivery, the message stays in its queue; `slot` is the dup budget (or -1).
enum class ConsumeKind { kNone, kRecv, kKeep, kIncrement, kClear };

struct Consume {
  ConsumeKind kind = ConsumeKind::kNone;
  int queue = -1;
  int pos = 0;
  int slot = -1;
};

// What enables one firing: how it is consumed, the message bound (recv) and the label
// parts that come from the event (written only once the guard holds).
struct Event {
  Consume consume;
  const int64_t* msg = nullptr;  // recv: the message, inside the current state
  int nmsg = 0;
  int recv_queue = -1;
  int recv_position = 0;
  int env_entry = -1;
  bool call = false;             // the arguments are in the label already
};

struct Scratch {
  Successor succ;
  std::vector<SendEvent> spare;  // SendEvents (with their buffers) not in use
  detail::SendBuffer sends;
  struct Copy {
    int queue, pending;
  };
  std::vector<Copy> copies;
  std::vector<uint8_t> choice;  // per copy: 0 delivered, 1 lost, 2 duplicated
  std::vector<int64_t> arg_lo, arg_hi;
  int line = 0;
};

thread_local std::vector<std::unique_ptr<Scratch>> t_scratch;
thread_local size_t t_depth = 0;

class ScratchLease {
 public:
  ScratchLease() {
    if (t_depth == t_scratch.size()) t_scratch.push_back(std::make_unique<Scratch>());
    s_ = t_scratch[t_depth++].get();
  }
  ~ScratchLease() { --t_depth; }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& get() const { return *s_; }

 private:
  Scratch* s_;
};

void SetSends(Scratch& sc, size_t n) {
  auto& sends = sc.succ.label.sends;
  while (sends.size() > n) {
    sc.spare.push_back(std::move(sends.back()));
    sends.pop_back();
  }
  while (sends.size() < n) {
    if (sc.spare.empty()) {
      sends.emplace_back();
    } else {
      sends.push_back(std::move(sc.spare.back()));
      sc.spare.pop_back();
    }
  }
}

using Out = std::function<void(const Successor&)>;

}  // namespace

struct TransitionSystem::Impl {
  const Model& m;
  const System& sys;
  Layout l;
  std::vector<detail::ValueRange> ranges;  // per type

  // A role's transitions compiled (one Program per role with instances).
  struct Code {
    int guard = -1;                 // node; -1: always true
    int body = 0, nbody = 0;        // instrs
    std::vector<uint8_t> from;      // per control state
    // Conjuncts of the guard that test the received message only (`SYN in s.flags`,
    // `s.op == REQUEST`): checked first, so most non-matching receives cost a few
    // instructions. The guard still checks them.
    struct MsgTest {
      int field;
      uint64_t mask, want;
    };
    std::vector<MsgTest> msg_tests;
  };

  // Fills k.msg_tests from the compiled guard.
  static void ExtractMsgTests(const Program& p, Code& k);
  std::vector<Program> programs;             // per role
  std::vector<std::vector<Code>> code;       // per role, per transition
  std::vector<std::vector<std::vector<int>>> enabled_in;  // per role, per control state: transitions

  // A queue an instance receives from, with what the inner loop needs.
  struct RecvQueue {
    int queue, len, first, fields;
    bool bag;
    bool redeliver;
    int dup_budget;  // slot, or -1 (unbounded)
  };
  // A transition of an instance: its event, resolved.
  struct Entry {
    EventKind event = EventKind::kInternal;
    int event_index = -1;
    int timer = -1;                // kTimeout: the armed slot
    int recv_begin = 0, recv_end = 0;  // kRecv: range in Inst::recv
  };
  struct Inst {
    int role = -1;
    const Role* r = nullptr;
    int base = 0;                                // control state slot: relative slots start here
    std::vector<Entry> entries;                  // per transition
    std::vector<RecvQueue> recv;
    std::vector<std::vector<int>> send_queues;   // per port
    std::vector<std::vector<CallChoice>> calls;  // per call
  };
  std::vector<Inst> inst;
  std::vector<std::string> overflow;  // per queue: the error text
  bool any_blocking = false;          // some queue is `blocking`

  // The system's property expressions (invariants, deadlock `except`s, LTL atoms),
  // compiled like guards: a search evaluates its invariants on every new state, and the
  // tree walk (PropertyEval) cost a quarter of the search time on tcp.sp. eval() looks an
  // expression up by address and falls back to the tree walk for any other expression.
  Program props;
  std::vector<std::pair<const Expr*, int>> prop_nodes;  // expression -> compiled node
  void CompileProperties(int system);
  // Whether the compiled form gives exactly PropertyEval's results and errors: every
  // reference names an existing instance and variable/timer, and nothing reads the
  // acting instance, a message or a call argument.
  bool Compilable(const Expr& e) const;

  Impl(const Model& model, int system, const Layout& layout);

  void Gen(const Slots& state, int i, int t, Scratch& sc, const Out& out) const;
  // Every transition of instance i enabled in its control state (successors()'s order).
  void GenInstance(const Slots& state, int i, Scratch& sc, const Out& out) const;
  // Gen without the from-state check (the caller made it).
  void GenEnabled(const Slots& state, int i, int t, Scratch& sc, const Out& out) const;
  void GenCall(const Slots& state, int i, int t, const std::vector<Field>& params,
               const CallEntry::Target* target, const Event& ev, Scratch& sc, const Out& out) const;
  void Fire(const Slots& state, int i, int t, const Event& ev, Scratch& sc, const Out& out) const;
  void Branch(size_t k, Scratch& sc, const Out& out) const;
  void Emit(size_t nsends, Scratch& sc, const Out& out) const;
  void EmitError(size_t nsends, std::string message, int line, Scratch& sc, const Out& out) const;
  // Each step is built in place in one working copy of the state (sc.succ.state), made
  // here once per successors() call, and undone after it (Restore): no copy per step.
  static void Begin(const Slots& state, Scratch& sc) {
    sc.succ.state.assign(state.begin(), state.end());
    sc.succ.changed.clear();
  }
  // Undoes a step: the working state (sc.succ.state) becomes `state` again.
  static void Restore(const Slots& state, Scratch& sc) {
    int64_t* s = sc.succ.state.data();
    for (const int32_t x : sc.succ.changed) s[x] = state[static_cast<size_t>(x)];
    sc.succ.changed.clear();
  }

  // Appends a message to queue q, listing the slots written in `changed`.
  void Enqueue(int64_t* s, int q, const int64_t* fields, std::vector<int32_t>& changed) const {
    const QueueLayout& ql = l.queues[static_cast<size_t>(q)];
    const int at = ql.first + static_cast<int>(s[ql.len]) * ql.fields;
    for (int f = 0; f < ql.fields; ++f) {
      s[at + f] = fields[f];
      changed.push_back(at + f);
    }
    ++s[ql.len];
    changed.push_back(ql.len);
  }
  void DropTail(int64_t* s, int q) const {
    const QueueLayout& ql = l.queues[static_cast<size_t>(q)];
    --s[ql.len];
    const int at = ql.first + static_cast<int>(s[ql.len]) * ql.fields;
    for (int f = 0; f < ql.fields; ++f) s[at + f] = l.slots[static_cast<size_t>(at + f)].lo;
  }
};

TransitionSystem::Impl::Impl(const Model& model, int system, const Layout& layout)
    : m(model), sys(model.systems.at(static_cast<size_t>(system))), l(layout) {
  for (size_t t = 0; t < m.types.size(); ++t) ranges.push_back(detail::RangeOf(m, static_cast<TypeId>(t)));
  programs.resize(m.roles.size());
  code.resize(m.roles.size());
  enabled_in.resize(m.roles.size());
  const Environment& env = sys.environment;

  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const int ii = static_cast<int>(i);
    Inst in;
    in.role = sys.instances[i].role;
    in.r = &m.roles.at(static_cast<size_t>(in.role));
    in.base = l.instances[i].state;
    const Role& role = *in.r;

    // Compile the role's transitions once, against its first instance's layout (every
    // instance of a role has the same layout relative to its first slot).
    auto& codes = code[static_cast<size_t>(in.role)];
    if (codes.empty() && !role.transitions.empty()) {
      Program& p = programs[static_cast<size_t>(in.role)];
      detail::Compiler c(m, sys, l, ranges, ii, p);
      for (const Transition& tr : role.transitions) {
        Code k;
        if (!(tr.guard.op == Op::kConst && tr.guard.value != 0)) k.guard = c.Expr(tr.guard);
        if (tr.event == EventKind::kRecv) ExtractMsgTests(p, k);
        k.body = c.Body(tr.actions);
        k.nbody = static_cast<int>(tr.actions.size());
        k.from.assign(role.states.size(), 0);
        for (size_t s = 0; s < tr.from.size() && s < role.states.size(); ++s) k.from[s] = tr.from[s] ? 1 : 0;
        codes.push_back(std::move(k));
      }
      auto& by_state = enabled_in[static_cast<size_t>(in.role)];
      by_state.resize(role.states.size());
      for (size_t t = 0; t < codes.size(); ++t) {
        for (size_t st = 0; st < role.states.size(); ++st) {
          if (codes[t].from[st]) by_state[st].push_back(static_cast<int>(t));
        }
      }
    }

    for (const Transition& tr : role.transitions) {
      std::vector<int> qs;
      if (tr.event == EventKind::kRecv) {
        for (size_t q = 0; q < sys.queues.size(); ++q) {
          if (sys.queues[q].receiver == ii && sys.queues[q].recv_port == tr.event_index) {
            qs.push_back(static_cast<int>(q));
          }
        }
      }
      Entry entry;
      entry.event = tr.event;
      entry.event_index = tr.event_index;
      if (tr.event == EventKind::kTimeout) {
        entry.timer = l.instances[i].timers.at(static_cast<size_t>(tr.event_index));
      }
      entry.recv_begin = static_cast<int>(in.recv.size());
      for (int q : qs) {
        const QueueLayout& ql = l.queues[static_cast<size_t>(q)];
        const Queue& qu = sys.queues[static_cast<size_t>(q)];
        in.recv.push_back(RecvQueue{q, ql.len, ql.first, ql.fields, qu.bag, qu.redeliver, ql.dup_budget});
      }
      entry.recv_end = static_cast<int>(in.recv.size());
      in.entries.push_back(entry);
    }
    for (size_t p = 0; p < role.ports.size(); ++p) {
      std::vector<int> qs;
      for (size_t q = 0; q < sys.queues.size(); ++q) {
        const Queue& qu = sys.queues[q];
        if (qu.send_port == static_cast<int>(p) &&
            std::find(qu.senders.begin(), qu.senders.end(), ii) != qu.senders.end()) {
          qs.push_back(static_cast<int>(q));
        }
      }
      in.send_queues.push_back(std::move(qs));
    }
    for (size_t c = 0; c < role.calls.size(); ++c) {
      std::vector<CallChoice> choices;
      if (env.unrestricted) {
        choices.push_back(CallChoice{});
      } else {
        for (size_t e = 0; e < env.entries.size(); ++e) {
          const auto& targets = env.entries[e].targets;
          for (size_t k = 0; k < targets.size(); ++k) {
            if (targets[k].instance == ii && (targets[k].call == static_cast<int>(c) || targets[k].call < 0)) {
              choices.push_back(CallChoice{static_cast<int>(e), static_cast<int>(k)});
            }
          }
        }
      }
      in.calls.push_back(std::move(choices));
    }
    inst.push_back(std::move(in));
  }
  for (const Queue& q : sys.queues) {
    any_blocking = any_blocking || q.blocking;
    overflow.push_back("channel " + q.name + " overflows (capacity " + std::to_string(q.capacity) + ")");
  }
  CompileProperties(system);
}

void TransitionSystem::Impl::CompileProperties(int system) {
  detail::Compiler c(m, sys, l, ranges, -1, props);
  auto add = [&](const Expr& e) {
    if (Compilable(e)) prop_nodes.emplace_back(&e, c.Expr(e));
  };
  for (const Property& p : m.properties) {
    if (p.system != system) continue;
    if (p.kind == PropertyKind::kInvariant) add(p.invariant);
    if (p.kind == PropertyKind::kDeadlock && p.except) add(*p.except);
    for (const Expr& a : p.atoms) add(a);
  }
}

bool TransitionSystem::Impl::Compilable(const Expr& e) const {
  auto instance_ok = [&] { return e.instance >= 0 && e.instance < static_cast<int>(l.instances.size()); };
  switch (e.op) {
    case Op::kVar:
    case Op::kState:
    case Op::kMsgField:
    case Op::kCallArg:
      return false;
    case Op::kInstState:
      if (!instance_ok()) return false;
      break;
    case Op::kPortLen:
    case Op::kPortFull:
      if (!instance_ok()) return false;
      break;
    case Op::kInstVar:
    case Op::kMapHas:
    case Op::kMapGet:
      if (!instance_ok() || e.index < 0 ||
          e.index >= static_cast<int>(l.instances[static_cast<size_t>(e.instance)].vars.size())) {
        return false;
      }
      break;
    case Op::kTimerArmed:
      if (!instance_ok() || e.index < 0 ||
          e.index >= static_cast<int>(l.instances[static_cast<size_t>(e.instance)].timers.size())) {
        return false;
      }
      break;
    default:
      break;
  }
  for (const Expr& a : e.args) {
    if (!Compilable(a)) return false;
  }
  return true;
}

void TransitionSystem::Impl::ExtractMsgTests(const Program& p, Code& k) {
  if (k.guard < 0) return;
  const detail::Node& g = p.nodes[static_cast<size_t>(k.guard)];
  int first = k.guard, count = 1;
  if (g.code == detail::Code::kAll) {
    first = g.a;
    count = g.b;
  }
  auto add = [&](int field, uint64_t mask, uint64_t want) {
    for (Code::MsgTest& t : k.msg_tests) {
      if (t.field == field && (t.mask & mask) == 0) {
        t.mask |= mask;
        t.want |= want;
        return;
      }
    }
    k.msg_tests.push_back(Code::MsgTest{field, mask, want});
  };
  // Only conjuncts before the first one that may raise an error: skipping on a failed
  // test must not hide an error the guard would have raised first.
  std::function<bool(int)> may_throw = [&](int n) {
    const detail::Node& x = p.nodes[static_cast<size_t>(n)];
    switch (x.code) {
      case detail::Code::kConst:
      case detail::Code::kLoadRel:
      case detail::Code::kLoadAbs:
        return false;
      case detail::Code::kNot:
      case detail::Code::kNeg:
      case detail::Code::kBit:
        return may_throw(x.a);
      case detail::Code::kAll:
      case detail::Code::kAny:
      case detail::Code::kSetLit:
        for (int c = x.a; c < x.a + x.b; ++c) {
          if (may_throw(c)) return true;
        }
        return false;
      case detail::Code::kAdd: case detail::Code::kSub: case detail::Code::kMul:
      case detail::Code::kMin: case detail::Code::kMax:
      case detail::Code::kEq: case detail::Code::kNe: case detail::Code::kLt: case detail::Code::kLe:
      case detail::Code::kGt: case detail::Code::kGe: case detail::Code::kAnd: case detail::Code::kOr:
      case detail::Code::kImplies: case detail::Code::kSetHas:
        return may_throw(x.a) || may_throw(x.b);
      case detail::Code::kMsg:  // in range: checked against the message before the test is used
        return false;
      default:  // division, map reads, argument reads, unresolved names
        return true;
    }
  };
  for (int n = first; n < first + count; ++n) {
    if (may_throw(n)) break;
    const detail::Node& x = p.nodes[static_cast<size_t>(n)];
    if (x.code == detail::Code::kBit && p.nodes[static_cast<size_t>(x.a)].code == detail::Code::kMsg) {
      const uint64_t bit = uint64_t{1} << x.v;
      add(p.nodes[static_cast<size_t>(x.a)].a, bit, x.b ? 0 : bit);
    } else if (x.code == detail::Code::kEq) {
      const detail::Node& a = p.nodes[static_cast<size_t>(x.a)];
      const detail::Node& b = p.nodes[static_cast<size_t>(x.b)];
      const detail::Node* msg = a.code == detail::Code::kMsg ? &a : b.code == detail::Code::kMsg ? &b : nullptr;
      const detail::Node* cst = a.code == detail::Code::kConst ? &a : b.code == detail::Code::kConst ? &b : nullptr;
      if (msg != nullptr && cst != nullptr) {
        const uint64_t mask = x.mask ? x.mask : ~uint64_t{0};
        add(msg->a, mask, static_cast<uint64_t>(cst->v) & mask);
      }
    }
  }
}

void TransitionSystem::Impl::Emit(size_t nsends, Scratch& sc, const Out& out) const {
  SetSends(sc, nsends);
  const auto& pending = sc.sends.pending;
  const int64_t* fields = sc.sends.fields.data();
  for (size_t j = 0; j < nsends; ++j) {
    SendEvent& ev = sc.succ.label.sends[j];
    const Scratch::Copy& cp = sc.copies[j];
    const auto& p = pending[static_cast<size_t>(cp.pending)];
    ev.queue = cp.queue;
    ev.lost = sc.choice[j] == 1;
    ev.duplicated = sc.choice[j] == 2;
    ev.fields.assign(fields + p.offset, fields + p.offset + p.count);
  }
  out(sc.succ);
}

void TransitionSystem::Impl::EmitError(size_t nsends, std::string message, int line, Scratch& sc,
                                       const Out& out) const {
  sc.succ.error.emplace(StepError{std::move(message), line});
  Emit(nsends, sc, out);
  sc.succ.error.reset();
}

// Fault choices for copy k and the ones after it; the successor being built is undone
// after each branch, so siblings see the state as it was.
void TransitionSystem::Impl::Branch(size_t k, Scratch& sc, const Out& out) const {
  if (k == sc.copies.size()) {
    Emit(k, sc, out);
    return;
  }
  int64_t* s = sc.succ.state.data();
  std::vector<int32_t>& changed = sc.succ.changed;
  const size_t mark = changed.size();  // each branch undoes its writes and their record
  const Scratch::Copy cp = sc.copies[k];
  const Queue& q = sys.queues[static_cast<size_t>(cp.queue)];
  const QueueLayout& ql = l.queues[static_cast<size_t>(cp.queue)];
  const auto& p = sc.sends.pending[static_cast<size_t>(cp.pending)];
  const int64_t* fields = sc.sends.fields.data() + p.offset;

  // `lossy consecutive R`: a copy that is not lost ends the run of losses.
  const int64_t run = ql.loss_run >= 0 ? s[ql.loss_run] : 0;
  auto end_run = [&] {
    if (ql.loss_run < 0) return;
    s[ql.loss_run] = 0;
    changed.push_back(ql.loss_run);
  };

  sc.choice[k] = 0;  // delivered
  if (s[ql.len] >= q.capacity) {
    EmitError(k + 1, overflow[static_cast<size_t>(cp.queue)], p.line, sc, out);
  } else {
    end_run();
    Enqueue(s, cp.queue, fields, changed);
    Branch(k + 1, sc, out);
    DropTail(s, cp.queue);
    if (ql.loss_run >= 0) s[ql.loss_run] = run;
    changed.resize(mark);
  }

  if (q.lossy && (ql.loss_run < 0 || run < *q.loss_run) && (ql.loss_budget < 0 || s[ql.loss_budget] > 0)) {
    sc.choice[k] = 1;
    if (ql.loss_budget >= 0) {
      --s[ql.loss_budget];
      changed.push_back(ql.loss_budget);
    }
    if (ql.loss_run >= 0) {
      s[ql.loss_run] = run + 1;
      changed.push_back(ql.loss_run);
    }
    Branch(k + 1, sc, out);
    if (ql.loss_budget >= 0) ++s[ql.loss_budget];
    if (ql.loss_run >= 0) s[ql.loss_run] = run;
    changed.resize(mark);
  }

  if (q.dup && !q.redeliver && (ql.dup_budget < 0 || s[ql.dup_budget] > 0) &&
      !(q.blocking && s[ql.len] + 2 > q.capacity)) {
    sc.choice[k] = 2;
    if (s[ql.len] + 2 > q.capacity) {
      EmitError(k + 1, overflow[static_cast<size_t>(cp.queue)], p.line, sc, out);
    } else {
      if (ql.dup_budget >= 0) {
        --s[ql.dup_budget];
        changed.push_back(ql.dup_budget);
      }
      end_run();
      Enqueue(s, cp.queue, fields, changed);
      Enqueue(s, cp.queue, fields, changed);
      Branch(k + 1, sc, out);
      DropTail(s, cp.queue);
      DropTail(s, cp.queue);
      if (ql.dup_budget >= 0) ++s[ql.dup_budget];
      if (ql.loss_run >= 0) s[ql.loss_run] = run;
      changed.resize(mark);
    }
  }
}

void TransitionSystem::Impl::Fire(const Slots& state, int i, int t, const Event& ev, Scratch& sc,
                                  const Out& out) const {
  const Inst& in = inst[static_cast<size_t>(i)];
  const Program& p = programs[static_cast<size_t>(in.role)];
  const Code& k = code[static_cast<size_t>(in.role)][static_cast<size_t>(t)];
  Label& label = sc.succ.label;
  Frame f;
  f.s = state.data();
  f.cur = f.s + in.base;
  f.msg = ev.msg;
  f.nmsg = ev.nmsg;
  f.acting = i;
  if (ev.call) {
    f.args = label.args.data();
    f.nargs = static_cast<int>(label.args.size());
  }
  std::optional<StepFailure> guard_error;
  if (k.guard >= 0) {
    try {
      if (detail::Run(p, k.guard, f) == 0) return;
    } catch (StepFailure& err) {
      guard_error.emplace(std::move(err));
    }
  }

  // The guard holds (or failed): this is a successor; label it.
  const Transition& tr = in.r->transitions[static_cast<size_t>(t)];
  label.instance = i;
  label.transition = t;
  label.from_state = static_cast<int>(state[static_cast<size_t>(in.base)]);
  label.recv_queue = ev.recv_queue;
  label.recv_position = ev.recv_position;
  label.redelivered = ev.consume.kind == ConsumeKind::kKeep;
  label.env_entry = ev.env_entry;
  if (ev.msg != nullptr) {
    label.received.assign(ev.msg, ev.msg + ev.nmsg);
  } else {
    label.received.clear();
  }
  if (!ev.call) label.args.clear();
  if (guard_error) {
    EmitError(0, std::move(guard_error->message), tr.line, sc, out);
    return;
  }
  const Consume& consume = ev.consume;

  // The working state equals `state` here (see Restore); the step writes it in place
  // and lists every slot it writes in `changed`.
  int64_t* s = sc.succ.state.data();
  std::vector<int32_t>& changed = sc.succ.changed;
  switch (consume.kind) {
    case ConsumeKind::kNone:
      break;
    case ConsumeKind::kRecv: {
      const QueueLayout& ql = l.queues[static_cast<size_t>(consume.queue)];
      const int len = static_cast<int>(s[ql.len]);
      const int from = ql.first + consume.pos * ql.fields;
      const int end = ql.first + (len - 1) * ql.fields;
      for (int x = from; x < end; ++x) s[x] = s[x + ql.fields];
      for (int x = end; x < end + ql.fields; ++x) s[x] = l.slots[static_cast<size_t>(x)].lo;
      for (int x = from; x < end + ql.fields; ++x) changed.push_back(x);
      s[ql.len] = len - 1;
      changed.push_back(ql.len);
      break;
    }
    case ConsumeKind::kKeep:
      if (consume.slot >= 0) {
        --s[consume.slot];
        changed.push_back(consume.slot);
      }
      break;
    case ConsumeKind::kIncrement:
      ++s[consume.slot];
      changed.push_back(consume.slot);
      break;
    case ConsumeKind::kClear:
      s[consume.slot] = 0;
      changed.push_back(consume.slot);
      break;
  }

  sc.sends.pending.clear();
  sc.sends.fields.clear();
  if (k.nbody > 0) {
    f.s = s;
    f.cur = s + in.base;
    sc.line = tr.line;
    try {
      detail::Exec(p, k.body, k.nbody, f, s + in.base, in.base, sc.sends, changed, sc.line);
    } catch (StepFailure& err) {
      EmitError(0, std::move(err.message), sc.line ? sc.line : tr.line, sc, out);
      Restore(state, sc);
      return;
    }
  }
  if (tr.target >= 0) {
    s[in.base] = tr.target;
    changed.push_back(in.base);
  }

  sc.copies.clear();
  const auto& pending = sc.sends.pending;
  for (size_t x = 0; x < pending.size(); ++x) {
    for (int q : in.send_queues[static_cast<size_t>(pending[x].port)]) {
      sc.copies.push_back(Scratch::Copy{q, static_cast<int>(x)});
    }
  }
  // A blocking channel without room for every copy sent to it (counted as delivered)
  // disables the step, like a Promela send on a full channel.
  if (any_blocking) {
    for (size_t x = 0; x < sc.copies.size(); ++x) {
      const int q = sc.copies[x].queue;
      const Queue& qu = sys.queues[static_cast<size_t>(q)];
      if (!qu.blocking) continue;
      int64_t need = 0;
      for (const Scratch::Copy& cp : sc.copies) need += cp.queue == q ? 1 : 0;
      if (s[l.queues[static_cast<size_t>(q)].len] + need > qu.capacity) {
        Restore(state, sc);
        return;
      }
    }
  }
  sc.choice.resize(sc.copies.size());
  Branch(0, sc, out);
  Restore(state, sc);
}

void TransitionSystem::Impl::GenCall(const Slots& state, int i, int t, const std::vector<Field>& params,
                                     const CallEntry::Target* target, const Event& ev, Scratch& sc,
                                     const Out& out) const {
  auto& args = sc.succ.label.args;
  const size_t n = params.size();
  if (n == 0) {
    args.clear();
    Fire(state, i, t, ev, sc, out);
    return;
  }
  sc.arg_lo.resize(n);
  sc.arg_hi.resize(n);
  for (size_t k = 0; k < n; ++k) {
    if (target != nullptr && k < target->args.size() && target->args[k]) {
      sc.arg_lo[k] = sc.arg_hi[k] = *target->args[k];
      continue;
    }
    const TypeId type = params[k].type;
    if (type < 0 || type >= static_cast<int>(ranges.size())) {
      sc.arg_lo[k] = sc.arg_hi[k] = 0;
      continue;
    }
    const detail::ValueRange& r = ranges[static_cast<size_t>(type)];
    sc.arg_lo[k] = r.lo;
    sc.arg_hi[k] = r.hi;
    // Addresses: every mentioned literal and "other", not the zero address.
    if ((r.kind == TypeKind::kMac || r.kind == TypeKind::kIp4) && r.hi >= 1) sc.arg_lo[k] = 1;
  }
  args.assign(sc.arg_lo.begin(), sc.arg_lo.end());
  while (true) {
    Fire(state, i, t, ev, sc, out);
    size_t k = n;
    while (true) {  // odometer, last argument fastest
      --k;
      if (args[k] < sc.arg_hi[k]) {
        ++args[k];
        break;
      }
      args[k] = sc.arg_lo[k];
      if (k == 0) return;
    }
  }
}

void TransitionSystem::Impl::Gen(const Slots& state, int i, int t, Scratch& sc, const Out& out) const {
  const Inst& in = inst[static_cast<size_t>(i)];
  const Code& k = code[static_cast<size_t>(in.role)][static_cast<size_t>(t)];
  const int64_t cs = state[static_cast<size_t>(in.base)];
  if (cs < 0 || cs >= static_cast<int64_t>(k.from.size()) || !k.from[static_cast<size_t>(cs)]) return;
  GenEnabled(state, i, t, sc, out);
}

void TransitionSystem::Impl::GenEnabled(const Slots& state, int i, int t, Scratch& sc, const Out& out) const {
  const Inst& in = inst[static_cast<size_t>(i)];
  const Entry& e = in.entries[static_cast<size_t>(t)];
  const int64_t* s = state.data();

  switch (e.event) {
    case EventKind::kRecv: {
      const Code& k = code[static_cast<size_t>(in.role)][static_cast<size_t>(t)];
      for (int r = e.recv_begin; r < e.recv_end; ++r) {
        const RecvQueue& rq = in.recv[static_cast<size_t>(r)];
        const int len = static_cast<int>(s[rq.len]);
        const int npos = rq.bag ? len : (len > 0 ? 1 : 0);
        for (int pos = 0; pos < npos; ++pos) {
          const int64_t* msg = s + rq.first + pos * rq.fields;
          bool seen = false;  // a bag offers each distinct message once
          for (int prev = 0; prev < pos && !seen; ++prev) {
            seen = std::equal(msg, msg + rq.fields, s + rq.first + prev * rq.fields);
          }
          if (seen) continue;
          bool match = true;
          for (const Code::MsgTest& mt : k.msg_tests) {
            if (mt.field < rq.fields && (static_cast<uint64_t>(msg[mt.field]) & mt.mask) != mt.want) {
              match = false;
              break;
            }
          }
          if (!match) continue;
          Event ev;
          ev.consume = Consume{ConsumeKind::kRecv, rq.queue, pos, -1};
          ev.msg = msg;
          ev.nmsg = rq.fields;
          ev.recv_queue = rq.queue;
          ev.recv_position = pos;
          Fire(state, i, t, ev, sc, out);
          if (rq.redeliver && (rq.dup_budget < 0 || s[rq.dup_budget] > 0)) {
            ev.consume = Consume{ConsumeKind::kKeep, rq.queue, pos, rq.dup_budget};
            Fire(state, i, t, ev, sc, out);
          }
        }
      }
      break;
    }
    case EventKind::kCall: {
      const std::vector<Field>& params = in.r->calls.at(static_cast<size_t>(e.event_index)).params;
      const Environment& env = sys.environment;
      for (const CallChoice& ch : in.calls[static_cast<size_t>(e.event_index)]) {
        Event ev;
        ev.call = true;
        if (ch.entry < 0) {
          GenCall(state, i, t, params, nullptr, ev, sc, out);
          continue;
        }
        const CallEntry& entry = env.entries[static_cast<size_t>(ch.entry)];
        if (env.script) {
          if (state[static_cast<size_t>(l.script_pc)] != ch.entry) continue;
          ev.consume = Consume{ConsumeKind::kIncrement, -1, 0, l.script_pc};
        } else {
          const int slot = l.env_counters[static_cast<size_t>(ch.entry)];
          if (slot >= 0) {
            if (state[static_cast<size_t>(slot)] >= *entry.bound) continue;
            ev.consume = Consume{ConsumeKind::kIncrement, -1, 0, slot};
          }
        }
        ev.env_entry = ch.entry;
        GenCall(state, i, t, params, &entry.targets[static_cast<size_t>(ch.target)], ev, sc, out);
      }
      break;
    }
    case EventKind::kTimeout: {
      if (s[e.timer] == 0) return;
      Event ev;
      ev.consume = Consume{ConsumeKind::kClear, -1, 0, e.timer};
      Fire(state, i, t, ev, sc, out);
      break;
    }
    case EventKind::kInternal:
      Fire(state, i, t, Event{}, sc, out);
      break;
  }
}

// ---------------------------------------------------------------------------------------

TransitionSystem::TransitionSystem(const Model& model, int system)
    : model_(&model), system_(system), layout_(build_layout(model, system)) {
  impl_ = std::make_shared<const Impl>(model, system, layout_);
}

Slots TransitionSystem::initial_state() const {
  const Model& m = *model_;
  const System& sys = system();
  Slots s(layout_.slots.size());
  for (size_t k = 0; k < s.size(); ++k) s[k] = layout_.slots[k].lo;
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const Instance& inst = sys.instances[i];
    const Role& role = m.roles[static_cast<size_t>(inst.role)];
    const InstanceLayout& il = layout_.instances[i];
    s[static_cast<size_t>(il.state)] = role.initial;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const Var& var = role.vars[v];
      const size_t slot = static_cast<size_t>(il.vars[v]);
      if (var.type >= 0 && var.type < static_cast<int>(m.types.size()) &&
          m.types[static_cast<size_t>(var.type)].kind == TypeKind::kMap) {
        s[slot] = 0;  // empty; the pairs keep their unused encoding
        continue;
      }
      int64_t init = v < inst.init.size() ? inst.init[v] : var.init;
      if (var.type >= 0 && var.type < static_cast<int>(impl_->ranges.size())) {
        const uint64_t mask = impl_->ranges[static_cast<size_t>(var.type)].seq_mask;
        if (mask) init = static_cast<int64_t>(static_cast<uint64_t>(init) & mask);
      }
      s[slot] = init;
    }
    for (int t : il.timers) s[static_cast<size_t>(t)] = 0;
  }
  for (size_t q = 0; q < sys.queues.size(); ++q) {
    const Queue& qu = sys.queues[q];
    const QueueLayout& ql = layout_.queues[q];
    s[static_cast<size_t>(ql.len)] = 0;
    if (ql.loss_budget >= 0) s[static_cast<size_t>(ql.loss_budget)] = *qu.loss_budget;
    if (ql.dup_budget >= 0) s[static_cast<size_t>(ql.dup_budget)] = *qu.dup_budget;
  }
  for (int c : layout_.env_counters) {
    if (c >= 0) s[static_cast<size_t>(c)] = 0;
  }
  if (layout_.script_pc >= 0) s[static_cast<size_t>(layout_.script_pc)] = 0;
  return s;
}

void TransitionSystem::Impl::GenInstance(const Slots& state, int i, Scratch& sc, const Out& out) const {
  const Inst& in = inst[static_cast<size_t>(i)];
  const auto& by_state = enabled_in[static_cast<size_t>(in.role)];
  const int64_t cs = state[static_cast<size_t>(in.base)];
  if (cs < 0 || cs >= static_cast<int64_t>(by_state.size())) return;
  for (int t : by_state[static_cast<size_t>(cs)]) GenEnabled(state, i, t, sc, out);
}

void TransitionSystem::successors(const Slots& state, const std::function<void(const Successor&)>& out) const {
  ScratchLease lease;
  Scratch& sc = lease.get();
  const Impl& impl = *impl_;
  Impl::Begin(state, sc);
  for (size_t i = 0; i < impl.inst.size(); ++i) impl.GenInstance(state, static_cast<int>(i), sc, out);
}

void TransitionSystem::successors_of_instance(const Slots& state, int instance,
                                              const std::function<void(const Successor&)>& out) const {
  const Impl& impl = *impl_;
  if (instance < 0 || instance >= static_cast<int>(impl.inst.size())) return;
  ScratchLease lease;
  Impl::Begin(state, lease.get());
  impl.GenInstance(state, instance, lease.get(), out);
}

void TransitionSystem::successors_of(const Slots& state, int instance, int transition,
                                     const std::function<void(const Successor&)>& out) const {
  const Impl& impl = *impl_;
  if (instance < 0 || instance >= static_cast<int>(impl.inst.size())) return;
  if (transition < 0 ||
      transition >= static_cast<int>(impl.inst[static_cast<size_t>(instance)].r->transitions.size())) {
    return;
  }
  ScratchLease lease;
  Impl::Begin(state, lease.get());
  impl.Gen(state, instance, transition, lease.get(), out);
}

std::optional<int64_t> TransitionSystem::eval(const Slots& state, const Expr& e, std::string* error) const {
  try {
    for (const auto& [expr, node] : impl_->prop_nodes) {
      if (expr != &e) continue;
      Frame f;
      f.s = state.data();
      return detail::Run(impl_->props, node, f);
    }
    return detail::PropertyEval(*model_, system(), layout_, impl_->ranges, state.data())(e);
  } catch (StepFailure& err) {
    if (error != nullptr) *error = std::move(err.message);
    return std::nullopt;
  }
}

}  // namespace sp::ir
