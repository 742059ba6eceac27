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
//      combination. The control state becomes t's target.
// Successors come in a fixed order: instance, transition, queue, position, environment
// entry, target, argument values (first argument slowest), fault choices (first copy
// slowest; delivered, lost, duplicated).
//
// Scratch space lives in a per-thread stack (one level per nested successors() call), so
// a TransitionSystem is shared between threads without locks and a steady-state call
// allocates nothing.
#include <algorithm>
#include <memory>
#include <utility>

#include "compiler/ir/system.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir {

namespace {

// A checking error while evaluating or executing; thrown and caught inside this file.
struct EvalError {
  std::string message;
};

struct Ctx {
  const int64_t* s = nullptr;  // the state read (in actions: the successor being built)
  int inst = -1;               // current instance; -1 in property evaluation
  const int64_t* msg = nullptr;
  int nmsg = 0;
  const int64_t* args = nullptr;
  int nargs = 0;
};

struct VarInfo {
  int slot = -1;
  TypeId type = -1;
  bool map = false;
  int capacity = 0;  // maps
  TypeId key = -1, value = -1;
  const std::string* name = nullptr;
};

struct CallChoice {
  int entry = -1;  // -1: unrestricted environment
  int target = -1;
};

enum class ConsumeKind { kNone, kRecv, kIncrement, kClear };

struct Consume {
  ConsumeKind kind = ConsumeKind::kNone;
  int queue = -1;
  int pos = 0;
  int slot = -1;
};

struct Scratch {
  Successor succ;
  std::vector<SendEvent> spare;  // SendEvents (with their buffers) not in use
  struct Pending {
    int port, offset, count, line;
  };
  std::vector<Pending> pending;
  std::vector<int64_t> send_fields;
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

std::string TypeName(const Model& m, TypeId id, const detail::ValueRange& r) {
  if (id >= 0 && id < static_cast<int>(m.types.size()) && !m.types[static_cast<size_t>(id)].name.empty()) {
    return m.types[static_cast<size_t>(id)].name;
  }
  return "int[" + std::to_string(r.lo) + ".." + std::to_string(r.hi) + "]";
}

using Out = std::function<void(const Successor&)>;

}  // namespace

struct TransitionSystem::Impl {
  const Model& m;
  const System& sys;
  Layout l;
  std::vector<detail::ValueRange> ranges;  // per type
  struct Inst {
    const Role* role = nullptr;
    std::vector<VarInfo> vars;
    std::vector<std::vector<int>> recv_queues;    // per transition
    std::vector<std::vector<int>> send_queues;    // per port
    std::vector<std::vector<CallChoice>> calls;   // per call
  };
  std::vector<Inst> inst;

  Impl(const Model& model, int system, const Layout& layout);

  // --- expressions --------------------------------------------------------------------
  uint64_t SeqMask(const Expr& e) const {
    if (e.type < 0 || e.type >= static_cast<int>(ranges.size())) return 0;
    return ranges[static_cast<size_t>(e.type)].seq_mask;
  }
  uint64_t SeqMask2(const Expr& e) const {
    uint64_t k = SeqMask(e);
    if (k == 0 && e.args.size() == 2) k = SeqMask(e.args[0]) ? SeqMask(e.args[0]) : SeqMask(e.args[1]);
    return k;
  }
  static bool SerialLess(uint64_t a, uint64_t b, uint64_t mask) {
    a &= mask;
    b &= mask;
    return a != b && ((b - a) & mask) < (mask >> 1) + 1;
  }
  const Inst& InstOf(int i) const {
    if (i < 0 || i >= static_cast<int>(inst.size())) throw EvalError{"no such instance"};
    return inst[static_cast<size_t>(i)];
  }
  const VarInfo& VarOf(int i, int v) const {
    const Inst& in = InstOf(i);
    if (v < 0 || v >= static_cast<int>(in.vars.size())) throw EvalError{"no such variable"};
    return in.vars[static_cast<size_t>(v)];
  }
  // Position of `key` in a map: >= 0 found; else -(insertion point) - 1.
  static int MapFind(const int64_t* s, int base, int64_t key) {
    const int size = static_cast<int>(s[base]);
    for (int j = 0; j < size; ++j) {
      const int64_t k = s[base + 1 + 2 * j];
      if (k == key) return j;
      if (k > key) return -j - 1;
    }
    return -size - 1;
  }
  std::string MapName(const Ctx& c, const Expr& e, const VarInfo& vi) const {
    std::string name = *vi.name;
    if (e.instance >= 0 || c.inst < 0) {
      int i = e.instance >= 0 ? e.instance : c.inst;
      if (i >= 0 && i < static_cast<int>(sys.instances.size())) name = sys.instances[static_cast<size_t>(i)].name + "." + name;
    }
    return name;
  }

  int64_t Eval(const Expr& e, const Ctx& c) const;
  bool Truth(const Expr& e, const Ctx& c) const {
    if (e.op == Op::kConst) return e.value != 0;
    return Eval(e, c) != 0;
  }

  // --- execution ----------------------------------------------------------------------
  // `v` as a value of `type`: seq wraps; a checked value out of range is an error naming
  // what(), which is only called then.
  template <typename What>
  int64_t Fit(TypeId type, int64_t v, const What& what) const {
    if (type < 0 || type >= static_cast<int>(ranges.size())) return v;
    const detail::ValueRange& r = ranges[static_cast<size_t>(type)];
    if (r.seq_mask) return static_cast<int64_t>(static_cast<uint64_t>(v) & r.seq_mask);
    if (r.checked && (v < r.lo || v > r.hi)) {
      throw EvalError{what() + ": " + TypeName(m, type, r) + " overflows: " + std::to_string(v)};
    }
    return v;
  }
  void ExecBody(const std::vector<Stmt>& body, Ctx& c, int64_t* s, Scratch& sc) const;
  void MapPut(int64_t* s, const VarInfo& vi, int64_t key, int64_t value) const;
  void MapRemove(int64_t* s, const VarInfo& vi, int64_t key) const;

  // --- successors ---------------------------------------------------------------------
  void Gen(const Slots& state, int i, int t, Scratch& sc, const Out& out) const;
  void GenCall(const Slots& state, int i, const Transition& tr, const std::vector<Field>& params,
               const CallEntry::Target* target, Consume consume, Scratch& sc, const Out& out) const;
  void Fire(const Slots& state, int i, const Transition& tr, const Consume& consume, Scratch& sc,
            const Out& out) const;
  void Branch(size_t k, Scratch& sc, const Out& out) const;
  void Emit(size_t nsends, Scratch& sc, const Out& out) const;
  void EmitError(size_t nsends, std::string message, int line, Scratch& sc, const Out& out) const;
  void Enqueue(int64_t* s, int q, const int64_t* fields) const {
    const QueueLayout& ql = l.queues[static_cast<size_t>(q)];
    int64_t* dst = s + ql.first + static_cast<int>(s[ql.len]) * ql.fields;
    for (int f = 0; f < ql.fields; ++f) dst[f] = fields[f];
    ++s[ql.len];
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
  const Environment& env = sys.environment;
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const int ii = static_cast<int>(i);
    Inst in;
    in.role = &m.roles.at(static_cast<size_t>(sys.instances[i].role));
    const Role& role = *in.role;
    for (size_t v = 0; v < role.vars.size(); ++v) {
      VarInfo vi;
      vi.slot = l.instances[i].vars[v];
      vi.type = role.vars[v].type;
      vi.name = &role.vars[v].name;
      if (vi.type >= 0 && vi.type < static_cast<int>(m.types.size()) &&
          m.types[static_cast<size_t>(vi.type)].kind == TypeKind::kMap) {
        const Type& t = m.types[static_cast<size_t>(vi.type)];
        vi.map = true;
        vi.capacity = t.capacity < 0 ? 0 : t.capacity;
        vi.key = t.key;
        vi.value = t.value;
      }
      in.vars.push_back(vi);
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
      in.recv_queues.push_back(std::move(qs));
    }
    for (size_t p = 0; p < role.ports.size(); ++p) {
      std::vector<int> qs;
      for (size_t q = 0; q < sys.queues.size(); ++q) {
        const Queue& qu = sys.queues[q];
        if (qu.send_port != static_cast<int>(p)) continue;
        for (int s : qu.senders) {
          if (s == ii) {
            qs.push_back(static_cast<int>(q));
            break;
          }
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
            if (targets[k].instance == ii &&
                (targets[k].call == static_cast<int>(c) || targets[k].call < 0)) {
              choices.push_back(CallChoice{static_cast<int>(e), static_cast<int>(k)});
            }
          }
        }
      }
      in.calls.push_back(std::move(choices));
    }
    inst.push_back(std::move(in));
  }
}

int64_t TransitionSystem::Impl::Eval(const Expr& e, const Ctx& c) const {
  switch (e.op) {
    case Op::kConst:
      return e.value;
    case Op::kVar:
      if (c.inst < 0) throw EvalError{"variable read outside an instance"};
      return c.s[VarOf(c.inst, e.index).slot];
    case Op::kInstVar:
      return c.s[VarOf(e.instance, e.index).slot];
    case Op::kState:
      if (c.inst < 0) throw EvalError{"control state read outside an instance"};
      return c.s[l.instances[static_cast<size_t>(c.inst)].state];
    case Op::kInstState:
      InstOf(e.instance);
      return c.s[l.instances[static_cast<size_t>(e.instance)].state];
    case Op::kTimerArmed: {
      const int i = e.instance >= 0 ? e.instance : c.inst;
      InstOf(i);
      const auto& timers = l.instances[static_cast<size_t>(i)].timers;
      if (e.index < 0 || e.index >= static_cast<int>(timers.size())) throw EvalError{"no such timer"};
      return c.s[timers[static_cast<size_t>(e.index)]];
    }
    case Op::kMsgField:
      if (e.index < 0 || e.index >= c.nmsg) throw EvalError{"message field read outside a receive"};
      return c.msg[e.index];
    case Op::kCallArg:
      if (e.index < 0 || e.index >= c.nargs) throw EvalError{"call argument read outside a call"};
      return c.args[e.index];
    case Op::kNot:
      return Eval(e.args[0], c) == 0 ? 1 : 0;
    case Op::kNeg: {
      const int64_t v = -Eval(e.args[0], c);
      const uint64_t k = SeqMask(e);
      return k ? static_cast<int64_t>(static_cast<uint64_t>(v) & k) : v;
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul: {
      const uint64_t a = static_cast<uint64_t>(Eval(e.args[0], c));
      const uint64_t b = static_cast<uint64_t>(Eval(e.args[1], c));
      const uint64_t r = e.op == Op::kAdd ? a + b : e.op == Op::kSub ? a - b : a * b;
      const uint64_t k = SeqMask2(e);
      return static_cast<int64_t>(k ? (r & k) : r);
    }
    case Op::kDiv:
    case Op::kMod: {
      const int64_t a = Eval(e.args[0], c);
      const int64_t b = Eval(e.args[1], c);
      if (b == 0) throw EvalError{e.op == Op::kDiv ? "division by zero" : "modulo by zero"};
      if (b == -1) return e.op == Op::kDiv ? static_cast<int64_t>(0 - static_cast<uint64_t>(a)) : 0;
      return e.op == Op::kDiv ? a / b : a % b;
    }
    case Op::kEq:
    case Op::kNe: {
      int64_t a = Eval(e.args[0], c);
      int64_t b = Eval(e.args[1], c);
      const uint64_t k = SeqMask(e.args[0]) ? SeqMask(e.args[0]) : SeqMask(e.args[1]);
      if (k) {
        a = static_cast<int64_t>(static_cast<uint64_t>(a) & k);
        b = static_cast<int64_t>(static_cast<uint64_t>(b) & k);
      }
      return (a == b) == (e.op == Op::kEq) ? 1 : 0;
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      const int64_t a = Eval(e.args[0], c);
      const int64_t b = Eval(e.args[1], c);
      const uint64_t k = SeqMask(e.args[0]) ? SeqMask(e.args[0]) : SeqMask(e.args[1]);
      if (k) {
        const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
        const bool eq = (ua & k) == (ub & k);
        switch (e.op) {
          case Op::kLt: return SerialLess(ua, ub, k);
          case Op::kLe: return eq || SerialLess(ua, ub, k);
          case Op::kGt: return SerialLess(ub, ua, k);
          default: return eq || SerialLess(ub, ua, k);
        }
      }
      switch (e.op) {
        case Op::kLt: return a < b;
        case Op::kLe: return a <= b;
        case Op::kGt: return a > b;
        default: return a >= b;
      }
    }
    case Op::kAnd:
      return Eval(e.args[0], c) != 0 && Eval(e.args[1], c) != 0;
    case Op::kOr:
      return Eval(e.args[0], c) != 0 || Eval(e.args[1], c) != 0;
    case Op::kImplies:
      return Eval(e.args[0], c) == 0 || Eval(e.args[1], c) != 0;
    case Op::kSetHas: {
      const int64_t item = Eval(e.args[0], c);
      const int64_t set = Eval(e.args[1], c);
      if (item < 0 || item > 63) return 0;
      return (static_cast<uint64_t>(set) >> item) & 1;
    }
    case Op::kSetLit: {
      uint64_t bits = 0;
      for (const Expr& a : e.args) {
        const int64_t item = Eval(a, c);
        if (item >= 0 && item < 64) bits |= uint64_t{1} << item;
      }
      return static_cast<int64_t>(bits);
    }
    case Op::kMapHas:
    case Op::kMapGet: {
      const int i = e.instance >= 0 ? e.instance : c.inst;
      const VarInfo& vi = VarOf(i, e.index);
      if (!vi.map) throw EvalError{*vi.name + " is not a map"};
      const int64_t key = Eval(e.args[0], c);
      const int j = MapFind(c.s, vi.slot, key);
      if (e.op == Op::kMapHas) return j >= 0;
      if (j < 0) {
        throw EvalError{MapName(c, e, vi) + "[" + format_value(m, vi.key, key) + "] is absent"};
      }
      return c.s[vi.slot + 2 + 2 * j];
    }
  }
  throw EvalError{"unknown expression"};
}

void TransitionSystem::Impl::MapPut(int64_t* s, const VarInfo& vi, int64_t key, int64_t value) const {
  const int base = vi.slot;
  int j = MapFind(s, base, key);
  if (j >= 0) {
    s[base + 2 + 2 * j] = value;
    return;
  }
  const int size = static_cast<int>(s[base]);
  if (size >= vi.capacity) {
    throw EvalError{"map " + *vi.name + " is full (capacity " + std::to_string(vi.capacity) + ")"};
  }
  j = -j - 1;
  for (int k = size; k > j; --k) {
    s[base + 1 + 2 * k] = s[base - 1 + 2 * k];
    s[base + 2 + 2 * k] = s[base + 2 * k];
  }
  s[base + 1 + 2 * j] = key;
  s[base + 2 + 2 * j] = value;
  s[base] = size + 1;
}

void TransitionSystem::Impl::MapRemove(int64_t* s, const VarInfo& vi, int64_t key) const {
  const int base = vi.slot;
  const int j = MapFind(s, base, key);
  if (j < 0) return;
  const int size = static_cast<int>(s[base]);
  for (int k = j; k + 1 < size; ++k) {
    s[base + 1 + 2 * k] = s[base + 3 + 2 * k];
    s[base + 2 + 2 * k] = s[base + 4 + 2 * k];
  }
  const int last = base + 1 + 2 * (size - 1);
  s[last] = l.slots[static_cast<size_t>(last)].lo;
  s[last + 1] = l.slots[static_cast<size_t>(last + 1)].lo;
  s[base] = size - 1;
}

void TransitionSystem::Impl::ExecBody(const std::vector<Stmt>& body, Ctx& c, int64_t* s, Scratch& sc) const {
  const Inst& in = inst[static_cast<size_t>(c.inst)];
  for (const Stmt& st : body) {
    sc.line = st.line;
    switch (st.kind) {
      case StmtKind::kSend: {
        const Port& port = in.role->ports.at(static_cast<size_t>(st.index));
        const Message& msg = m.messages.at(static_cast<size_t>(port.message));
        const int offset = static_cast<int>(sc.send_fields.size());
        for (size_t f = 0; f < msg.fields.size(); ++f) {
          const int64_t v = Fit(msg.fields[f].type, f < st.exprs.size() ? Eval(st.exprs[f], c) : 0,
                                [&] { return msg.name + "." + msg.fields[f].name; });
          sc.send_fields.push_back(v);
        }
        sc.pending.push_back(Scratch::Pending{st.index, offset, static_cast<int>(msg.fields.size()), st.line});
        break;
      }
      case StmtKind::kAssign: {
        const VarInfo& vi = in.vars.at(static_cast<size_t>(st.index));
        s[vi.slot] = Fit(vi.type, Eval(st.exprs[0], c), [&] { return *vi.name; });
        break;
      }
      case StmtKind::kMapPut: {
        const VarInfo& vi = in.vars.at(static_cast<size_t>(st.index));
        if (!vi.map) throw EvalError{*vi.name + " is not a map"};
        const int64_t key = Fit(vi.key, Eval(st.exprs[0], c), [&] { return *vi.name + " key"; });
        const int64_t value = Fit(vi.value, Eval(st.exprs[1], c), [&] { return *vi.name + " value"; });
        MapPut(s, vi, key, value);
        break;
      }
      case StmtKind::kMapRemove: {
        const VarInfo& vi = in.vars.at(static_cast<size_t>(st.index));
        if (!vi.map) throw EvalError{*vi.name + " is not a map"};
        MapRemove(s, vi, Eval(st.exprs[0], c));
        break;
      }
      case StmtKind::kStart:
      case StmtKind::kStop:
        s[l.instances[static_cast<size_t>(c.inst)].timers.at(static_cast<size_t>(st.index))] =
            st.kind == StmtKind::kStart ? 1 : 0;
        break;
      case StmtKind::kAssert:
        if (!Truth(st.exprs[0], c)) {
          throw EvalError{"assert " + (st.text.empty() ? std::string("condition") : st.text) + " failed"};
        }
        break;
      case StmtKind::kIf:
        if (Truth(st.exprs[0], c)) {
          ExecBody(st.then_body, c, s, sc);
        } else {
          ExecBody(st.else_body, c, s, sc);
        }
        break;
    }
  }
}

void TransitionSystem::Impl::Emit(size_t nsends, Scratch& sc, const Out& out) const {
  SetSends(sc, nsends);
  for (size_t j = 0; j < nsends; ++j) {
    SendEvent& ev = sc.succ.label.sends[j];
    const Scratch::Copy& cp = sc.copies[j];
    const Scratch::Pending& p = sc.pending[static_cast<size_t>(cp.pending)];
    ev.queue = cp.queue;
    ev.lost = sc.choice[j] == 1;
    ev.duplicated = sc.choice[j] == 2;
    ev.fields.assign(sc.send_fields.begin() + p.offset, sc.send_fields.begin() + p.offset + p.count);
  }
  out(sc.succ);
}

void TransitionSystem::Impl::EmitError(size_t nsends, std::string message, int line, Scratch& sc,
                                       const Out& out) const {
  sc.succ.error.emplace(StepError{std::move(message), line});
  Emit(nsends, sc, out);
  sc.succ.error.reset();
}

void TransitionSystem::Impl::Branch(size_t k, Scratch& sc, const Out& out) const {
  if (k == sc.copies.size()) {
    Emit(k, sc, out);
    return;
  }
  int64_t* s = sc.succ.state.data();
  const Scratch::Copy cp = sc.copies[k];
  const Queue& q = sys.queues[static_cast<size_t>(cp.queue)];
  const QueueLayout& ql = l.queues[static_cast<size_t>(cp.queue)];
  const Scratch::Pending& p = sc.pending[static_cast<size_t>(cp.pending)];
  const int64_t* fields = sc.send_fields.data() + p.offset;
  auto overflow = [&] {
    return "channel " + q.name + " overflows (capacity " + std::to_string(q.capacity) + ")";
  };

  sc.choice[k] = 0;  // delivered
  if (s[ql.len] >= q.capacity) {
    EmitError(k + 1, overflow(), p.line, sc, out);
  } else {
    Enqueue(s, cp.queue, fields);
    Branch(k + 1, sc, out);
    DropTail(s, cp.queue);
  }

  if (q.lossy) {
    sc.choice[k] = 1;
    if (ql.loss_budget < 0) {
      Branch(k + 1, sc, out);
    } else if (s[ql.loss_budget] > 0) {
      --s[ql.loss_budget];
      Branch(k + 1, sc, out);
      ++s[ql.loss_budget];
    }
  }

  if (q.dup && (ql.dup_budget < 0 || s[ql.dup_budget] > 0)) {
    sc.choice[k] = 2;
    if (s[ql.len] + 2 > q.capacity) {
      EmitError(k + 1, overflow(), p.line, sc, out);
    } else {
      if (ql.dup_budget >= 0) --s[ql.dup_budget];
      Enqueue(s, cp.queue, fields);
      Enqueue(s, cp.queue, fields);
      Branch(k + 1, sc, out);
      DropTail(s, cp.queue);
      DropTail(s, cp.queue);
      if (ql.dup_budget >= 0) ++s[ql.dup_budget];
    }
  }
}

void TransitionSystem::Impl::Fire(const Slots& state, int i, const Transition& tr, const Consume& consume,
                                  Scratch& sc, const Out& out) const {
  Label& label = sc.succ.label;
  Ctx c;
  c.s = state.data();
  c.inst = i;
  c.msg = label.received.data();
  c.nmsg = static_cast<int>(label.received.size());
  c.args = label.args.data();
  c.nargs = static_cast<int>(label.args.size());
  sc.line = tr.line;
  try {
    if (!Truth(tr.guard, c)) return;
  } catch (EvalError& err) {
    sc.succ.state.assign(state.begin(), state.end());
    EmitError(0, std::move(err.message), tr.line, sc, out);
    return;
  }

  Slots& next = sc.succ.state;
  next.assign(state.begin(), state.end());
  int64_t* s = next.data();
  switch (consume.kind) {
    case ConsumeKind::kNone:
      break;
    case ConsumeKind::kRecv: {
      const QueueLayout& ql = l.queues[static_cast<size_t>(consume.queue)];
      const int len = static_cast<int>(s[ql.len]);
      const int from = ql.first + consume.pos * ql.fields;
      const int end = ql.first + (len - 1) * ql.fields;
      for (int k = from; k < end; ++k) s[k] = s[k + ql.fields];
      for (int k = end; k < end + ql.fields; ++k) s[k] = l.slots[static_cast<size_t>(k)].lo;
      s[ql.len] = len - 1;
      break;
    }
    case ConsumeKind::kIncrement:
      ++s[consume.slot];
      break;
    case ConsumeKind::kClear:
      s[consume.slot] = 0;
      break;
  }

  sc.pending.clear();
  sc.send_fields.clear();
  c.s = s;
  try {
    ExecBody(tr.actions, c, s, sc);
  } catch (EvalError& err) {
    EmitError(0, std::move(err.message), sc.line ? sc.line : tr.line, sc, out);
    return;
  }
  if (tr.target >= 0) s[l.instances[static_cast<size_t>(i)].state] = tr.target;

  sc.copies.clear();
  const Inst& in = inst[static_cast<size_t>(i)];
  for (size_t p = 0; p < sc.pending.size(); ++p) {
    for (int q : in.send_queues[static_cast<size_t>(sc.pending[p].port)]) {
      sc.copies.push_back(Scratch::Copy{q, static_cast<int>(p)});
    }
  }
  sc.choice.resize(sc.copies.size());
  Branch(0, sc, out);
}

void TransitionSystem::Impl::GenCall(const Slots& state, int i, const Transition& tr,
                                     const std::vector<Field>& params, const CallEntry::Target* target,
                                     Consume consume, Scratch& sc, const Out& out) const {
  const size_t n = params.size();
  sc.arg_lo.resize(n);
  sc.arg_hi.resize(n);
  for (size_t k = 0; k < n; ++k) {
    if (target != nullptr && k < target->args.size() && target->args[k]) {
      sc.arg_lo[k] = sc.arg_hi[k] = *target->args[k];
      continue;
    }
    const TypeId t = params[k].type;
    if (t < 0 || t >= static_cast<int>(ranges.size())) {
      sc.arg_lo[k] = sc.arg_hi[k] = 0;
      continue;
    }
    const detail::ValueRange& r = ranges[static_cast<size_t>(t)];
    sc.arg_lo[k] = r.lo;
    sc.arg_hi[k] = r.hi;
    if ((r.kind == TypeKind::kMac || r.kind == TypeKind::kIp4) && r.hi >= 1) sc.arg_lo[k] = 1;
  }
  auto& args = sc.succ.label.args;
  args.assign(sc.arg_lo.begin(), sc.arg_lo.end());
  while (true) {
    Fire(state, i, tr, consume, sc, out);
    size_t k = n;
    while (k > 0) {
      --k;
      if (args[k] < sc.arg_hi[k]) {
        ++args[k];
        break;
      }
      args[k] = sc.arg_lo[k];
      if (k == 0) return;
    }
    if (n == 0) return;
  }
}

void TransitionSystem::Impl::Gen(const Slots& state, int i, int t, Scratch& sc, const Out& out) const {
  const Inst& in = inst[static_cast<size_t>(i)];
  const Transition& tr = in.role->transitions[static_cast<size_t>(t)];
  const int cs = static_cast<int>(state[static_cast<size_t>(l.instances[static_cast<size_t>(i)].state)]);
  if (cs < 0 || cs >= static_cast<int>(tr.from.size()) || !tr.from[static_cast<size_t>(cs)]) return;

  Label& label = sc.succ.label;
  label.instance = i;
  label.transition = t;
  label.from_state = cs;
  label.recv_queue = -1;
  label.recv_position = 0;
  label.received.clear();
  label.args.clear();
  label.env_entry = -1;

  switch (tr.event) {
    case EventKind::kRecv:
      for (int q : in.recv_queues[static_cast<size_t>(t)]) {
        const QueueLayout& ql = l.queues[static_cast<size_t>(q)];
        const int len = static_cast<int>(state[static_cast<size_t>(ql.len)]);
        const int npos = sys.queues[static_cast<size_t>(q)].bag ? len : (len > 0 ? 1 : 0);
        for (int pos = 0; pos < npos; ++pos) {
          const int64_t* msg = state.data() + ql.first + pos * ql.fields;
          bool seen = false;
          for (int prev = 0; prev < pos && !seen; ++prev) {
            const int64_t* other = state.data() + ql.first + prev * ql.fields;
            seen = std::equal(msg, msg + ql.fields, other);
          }
          if (seen) continue;
          label.recv_queue = q;
          label.recv_position = pos;
          label.received.assign(msg, msg + ql.fields);
          Fire(state, i, tr, Consume{ConsumeKind::kRecv, q, pos, -1}, sc, out);
        }
      }
      break;
    case EventKind::kCall: {
      const std::vector<Field>& params = in.role->calls.at(static_cast<size_t>(tr.event_index)).params;
      const Environment& env = sys.environment;
      for (const CallChoice& ch : in.calls[static_cast<size_t>(tr.event_index)]) {
        if (ch.entry < 0) {
          GenCall(state, i, tr, params, nullptr, Consume{}, sc, out);
          continue;
        }
        const CallEntry& entry = env.entries[static_cast<size_t>(ch.entry)];
        Consume consume;
        if (env.script) {
          if (state[static_cast<size_t>(l.script_pc)] != ch.entry) continue;
          consume = Consume{ConsumeKind::kIncrement, -1, 0, l.script_pc};
        } else {
          const int slot = l.env_counters[static_cast<size_t>(ch.entry)];
          if (slot >= 0) {
            if (state[static_cast<size_t>(slot)] >= *entry.bound) continue;
            consume = Consume{ConsumeKind::kIncrement, -1, 0, slot};
          }
        }
        label.env_entry = ch.entry;
        GenCall(state, i, tr, params, &entry.targets[static_cast<size_t>(ch.target)], consume, sc, out);
      }
      break;
    }
    case EventKind::kTimeout: {
      const int slot = l.instances[static_cast<size_t>(i)].timers.at(static_cast<size_t>(tr.event_index));
      if (state[static_cast<size_t>(slot)] == 0) return;
      Fire(state, i, tr, Consume{ConsumeKind::kClear, -1, 0, slot}, sc, out);
      break;
    }
    case EventKind::kInternal:
      Fire(state, i, tr, Consume{}, sc, out);
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
      const VarInfo& vi = impl_->inst[i].vars[v];
      if (vi.map) {
        s[static_cast<size_t>(vi.slot)] = 0;
        continue;
      }
      int64_t init = v < inst.init.size() ? inst.init[v] : role.vars[v].init;
      if (vi.type >= 0 && vi.type < static_cast<int>(impl_->ranges.size()) &&
          impl_->ranges[static_cast<size_t>(vi.type)].seq_mask) {
        init = static_cast<int64_t>(static_cast<uint64_t>(init) & impl_->ranges[static_cast<size_t>(vi.type)].seq_mask);
      }
      s[static_cast<size_t>(vi.slot)] = init;
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

void TransitionSystem::successors(const Slots& state, const std::function<void(const Successor&)>& out) const {
  ScratchLease lease;
  Scratch& sc = lease.get();
  const Impl& impl = *impl_;
  for (size_t i = 0; i < impl.inst.size(); ++i) {
    const size_t nt = impl.inst[i].role->transitions.size();
    for (size_t t = 0; t < nt; ++t) impl.Gen(state, static_cast<int>(i), static_cast<int>(t), sc, out);
  }
}

void TransitionSystem::successors_of(const Slots& state, int instance, int transition,
                                     const std::function<void(const Successor&)>& out) const {
  const Impl& impl = *impl_;
  if (instance < 0 || instance >= static_cast<int>(impl.inst.size())) return;
  if (transition < 0 ||
      transition >= static_cast<int>(impl.inst[static_cast<size_t>(instance)].role->transitions.size())) {
    return;
  }
  ScratchLease lease;
  impl.Gen(state, instance, transition, lease.get(), out);
}

std::optional<int64_t> TransitionSystem::eval(const Slots& state, const Expr& e, std::string* error) const {
  Ctx c;
  c.s = state.data();
  try {
    return impl_->Eval(e, c);
  } catch (EvalError& err) {
    if (error != nullptr) *error = std::move(err.message);
    return std::nullopt;
  }
}

}  // namespace sp::ir
