// Internal to the IR runtime (included by interpreter.cpp only): expressions and action
// bodies compiled for the interpreter's inner loop. Operands are resolved to slots —
// relative to the acting instance's first slot (every instance of a role has the same
// relative layout), or absolute for reads of a named instance — and sequence masks,
// range checks and error texts are precomputed, so running a program does no look-ups
// in the Model and allocates nothing unless it raises an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/state.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir::detail {

// A checking error raised while evaluating or executing; never leaves the runtime.
struct StepFailure {
  std::string message;
};

enum class Code : uint8_t {
  kConst, kLoadRel, kLoadAbs, kMsg, kArg, kNoInstance,
  kNot, kNeg, kAdd, kSub, kMul, kDiv, kMod,
  kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr, kImplies,
  kSetHas, kSetLit, kMapHas, kMapGet,
};

struct Node {
  Code code = Code::kConst;
  bool rel = false;    // kMap*: `slot` is relative to the acting instance
  int32_t a = -1;      // first child; kLoad*: slot; kMsg / kArg: index
  int32_t b = -1;      // second child; kSetLit: child count
  int32_t slot = 0;    // kMap*: the map's size slot
  int32_t map = -1;    // kMap*: index into Program::maps
  int64_t v = 0;       // kConst
  uint64_t mask = 0;   // sequence width: arithmetic wraps, comparisons are serial
};

// How a value is fitted into a slot of its type: seq wraps, a checked range is an error.
struct Check {
  int64_t lo = 0, hi = 0;
  uint64_t mask = 0;
  bool checked = false;
  std::string what;    // `x`, `Segment.len`, `cache key`
  std::string type;    // `int[0..2]`
};

struct MapRef {
  const std::string* var = nullptr;       // `cache`
  const std::string* instance = nullptr;  // `a` when read by name (properties)
  TypeId key = -1;
  int capacity = 0;
  int64_t key_lo = 0, value_lo = 0;  // the encoding of an unused pair

  std::string Name() const { return (instance ? *instance + "." : std::string()) + (var ? *var : std::string("?")); }
};

enum class Do : uint8_t { kSend, kAssign, kMapPut, kMapRemove, kSetSlot, kAssert, kIf };

struct Instr {
  Do what = Do::kAssign;
  int32_t slot = 0;     // relative: variable, map size slot, timer
  int64_t value = 0;    // kSetSlot: 1 armed, 0 disarmed
  int32_t e0 = -1, e1 = -1;  // expressions
  int32_t check = -1;   // kAssign: value check; kMapPut: key check (value check: check + 1)
  int32_t map = -1;
  int32_t port = -1;    // kSend
  int32_t first = 0, count = 0;            // kSend: fields in `ints` (nodes, then checks); kIf: then body
  int32_t else_first = 0, else_count = 0;  // kIf
  int line = 0;
  const std::string* text = nullptr;       // kAssert
};

struct Program {
  const Model* model = nullptr;
  std::vector<Node> nodes;
  std::vector<Instr> instrs;
  std::vector<int32_t> ints;
  std::vector<Check> checks;
  std::vector<MapRef> maps;

  void clear() {
    nodes.clear();
    instrs.clear();
    ints.clear();
    checks.clear();
    maps.clear();
  }
};

// What an expression reads.
struct Frame {
  const int64_t* s = nullptr;    // the state
  const int64_t* cur = nullptr;  // the acting instance's first slot (null in properties)
  const int64_t* msg = nullptr;
  int nmsg = 0;
  const int64_t* args = nullptr;
  int nargs = 0;
};

// Sends collected while executing a body.
struct SendBuffer {
  struct Pending {
    int port, offset, count, line;
  };
  std::vector<Pending> pending;
  std::vector<int64_t> fields;
};

// ---------------------------------------------------------------------------------------
// Compiling.

class Compiler {
 public:
  // `acting`: the instance whose layout fixes relative slots (-1: property, no instance).
  Compiler(const Model& m, const System& sys, const Layout& l, const std::vector<ValueRange>& ranges, int acting,
           Program& p)
      : m_(m), sys_(sys), l_(l), ranges_(ranges), acting_(acting), p_(p) {
    p_.model = &m;
    base_ = acting >= 0 ? l.instances[static_cast<size_t>(acting)].state : 0;
    role_ = acting >= 0 ? &m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(acting)].role)] : nullptr;
  }

  int Expr(const sp::ir::Expr& e) {
    const int n = static_cast<int>(p_.nodes.size());
    p_.nodes.emplace_back();
    Fill(n, e);
    return n;
  }

  // Compiles a body into a contiguous range of instrs; returns its first index.
  int Body(const std::vector<Stmt>& body) {
    const int first = static_cast<int>(p_.instrs.size());
    p_.instrs.resize(p_.instrs.size() + body.size());
    for (size_t k = 0; k < body.size(); ++k) Statement(first + static_cast<int>(k), body[k]);
    return first;
  }

 private:
  uint64_t SeqMaskOf(TypeId t) const {
    return t >= 0 && t < static_cast<int>(ranges_.size()) ? ranges_[static_cast<size_t>(t)].seq_mask : 0;
  }

  int AddCheck(TypeId t, std::string what) {
    Check c;
    c.what = std::move(what);
    if (t >= 0 && t < static_cast<int>(ranges_.size())) {
      const ValueRange& r = ranges_[static_cast<size_t>(t)];
      c.lo = r.lo;
      c.hi = r.hi;
      c.mask = r.seq_mask;
      c.checked = r.checked;
      const Type& type = m_.types[static_cast<size_t>(t)];
      c.type = !type.name.empty() ? type.name : "int[" + std::to_string(r.lo) + ".." + std::to_string(r.hi) + "]";
    }
    p_.checks.push_back(std::move(c));
    return static_cast<int>(p_.checks.size()) - 1;
  }

  // The variable `v` of instance `inst` (-1: the acting one): slot, relative or absolute.
  int VarSlot(int inst, int v, bool* rel) const {
    const int i = inst >= 0 ? inst : acting_;
    if (i < 0 || i >= static_cast<int>(l_.instances.size())) return -1;
    const auto& vars = l_.instances[static_cast<size_t>(i)].vars;
    if (v < 0 || v >= static_cast<int>(vars.size())) return -1;
    *rel = inst < 0;
    return *rel ? vars[static_cast<size_t>(v)] - base_ : vars[static_cast<size_t>(v)];
  }

  void Load(int n, int slot, bool rel) {
    Node& x = p_.nodes[static_cast<size_t>(n)];
    if (slot < 0) {
      x.code = Code::kNoInstance;
      return;
    }
    x.code = rel ? Code::kLoadRel : Code::kLoadAbs;
    x.a = slot;
  }

  // Reserves `count` consecutive nodes for children and compiles them.
  int Children(const std::vector<sp::ir::Expr>& args, size_t count) {
    const int first = static_cast<int>(p_.nodes.size());
    p_.nodes.resize(p_.nodes.size() + count);
    for (size_t k = 0; k < count; ++k) {
      if (k < args.size()) {
        Fill(first + static_cast<int>(k), args[k]);
      } else {
        p_.nodes[static_cast<size_t>(first) + k] = Node{};  // missing operand: 0
      }
    }
    return first;
  }

  void Fill(int n, const sp::ir::Expr& e) {
    bool rel = false;
    auto node = [&]() -> Node& { return p_.nodes[static_cast<size_t>(n)]; };
    switch (e.op) {
      case Op::kConst:
        node().code = Code::kConst;
        node().v = e.value;
        return;
      case Op::kVar:
        Load(n, acting_ >= 0 ? VarSlot(-1, e.index, &rel) : -1, true);
        return;
      case Op::kInstVar:
        Load(n, e.instance >= 0 ? VarSlot(e.instance, e.index, &rel) : -1, false);
        return;
      case Op::kState:
        Load(n, acting_ >= 0 ? 0 : -1, true);
        return;
      case Op::kInstState:
        Load(n, e.instance >= 0 && e.instance < static_cast<int>(l_.instances.size())
                    ? l_.instances[static_cast<size_t>(e.instance)].state
                    : -1,
             false);
        return;
      case Op::kTimerArmed: {
        const int i = e.instance >= 0 ? e.instance : acting_;
        int slot = -1;
        if (i >= 0 && i < static_cast<int>(l_.instances.size())) {
          const auto& timers = l_.instances[static_cast<size_t>(i)].timers;
          if (e.index >= 0 && e.index < static_cast<int>(timers.size())) slot = timers[static_cast<size_t>(e.index)];
        }
        const bool r = e.instance < 0;
        Load(n, slot < 0 ? -1 : r ? slot - base_ : slot, r);
        return;
      }
      case Op::kMsgField:
      case Op::kCallArg:
        node().code = e.op == Op::kMsgField ? Code::kMsg : Code::kArg;
        node().a = e.index;
        return;
      case Op::kNot:
      case Op::kNeg: {
        const int c = Children(e.args, 1);
        Node& x = node();
        x.code = e.op == Op::kNot ? Code::kNot : Code::kNeg;
        x.a = c;
        x.mask = SeqMaskOf(e.type);
        return;
      }
      case Op::kSetLit: {
        const int c = Children(e.args, e.args.size());
        node().code = Code::kSetLit;
        node().a = c;
        node().b = static_cast<int>(e.args.size());
        return;
      }
      case Op::kMapHas:
      case Op::kMapGet: {
        const int c = Children(e.args, 1);
        const int slot = (e.instance >= 0 || acting_ >= 0) ? VarSlot(e.instance, e.index, &rel) : -1;
        if (slot < 0) {
          node().code = Code::kNoInstance;
          return;
        }
        const int i = e.instance >= 0 ? e.instance : acting_;
        const Role& role = m_.roles[static_cast<size_t>(sys_.instances[static_cast<size_t>(i)].role)];
        const Var& var = role.vars[static_cast<size_t>(e.index)];
        MapRef ref;
        ref.var = &var.name;
        if (e.instance >= 0) ref.instance = &sys_.instances[static_cast<size_t>(i)].name;
        if (var.type >= 0 && var.type < static_cast<int>(m_.types.size())) {
          const Type& t = m_.types[static_cast<size_t>(var.type)];
          ref.key = t.key;
          ref.capacity = t.capacity < 0 ? 0 : t.capacity;
        }
        const int abs = rel ? slot + base_ : slot;
        if (ref.capacity > 0) {
          ref.key_lo = l_.slots[static_cast<size_t>(abs + 1)].lo;
          ref.value_lo = l_.slots[static_cast<size_t>(abs + 2)].lo;
        }
        p_.maps.push_back(std::move(ref));
        Node& x = node();
        x.code = e.op == Op::kMapHas ? Code::kMapHas : Code::kMapGet;
        x.a = c;
        x.rel = rel;
        x.slot = slot;
        x.map = static_cast<int>(p_.maps.size()) - 1;
        return;
      }
      default:
        break;
    }
    // Binary operators.
    const int c = Children(e.args, 2);
    Node& x = node();
    x.a = c;
    x.b = c + 1;
    switch (e.op) {
      case Op::kAdd: x.code = Code::kAdd; break;
      case Op::kSub: x.code = Code::kSub; break;
      case Op::kMul: x.code = Code::kMul; break;
      case Op::kDiv: x.code = Code::kDiv; break;
      case Op::kMod: x.code = Code::kMod; break;
      case Op::kEq: x.code = Code::kEq; break;
      case Op::kNe: x.code = Code::kNe; break;
      case Op::kLt: x.code = Code::kLt; break;
      case Op::kLe: x.code = Code::kLe; break;
      case Op::kGt: x.code = Code::kGt; break;
      case Op::kGe: x.code = Code::kGe; break;
      case Op::kAnd: x.code = Code::kAnd; break;
      case Op::kOr: x.code = Code::kOr; break;
      case Op::kImplies: x.code = Code::kImplies; break;
      case Op::kSetHas: x.code = Code::kSetHas; break;
      default: x.code = Code::kNoInstance; break;
    }
    // Arithmetic wraps when the result or an operand is a sequence number (seq - seq is
    // the distance mod 2^bits); comparisons are serial when an operand is one.
    uint64_t k0 = 0, k1 = 0;
    if (e.args.size() == 2) {
      k0 = SeqMaskOf(e.args[0].type);
      k1 = SeqMaskOf(e.args[1].type);
    }
    const uint64_t operand = k0 ? k0 : k1;
    switch (e.op) {
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul: {
        const uint64_t result = SeqMaskOf(e.type);
        x.mask = result ? result : operand;
        break;
      }
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
        x.mask = operand;
        break;
      default:
        break;
    }
  }

  void Statement(int at, const Stmt& st) {
    Instr in;
    in.line = st.line;
    auto expr_at = [&](size_t k) { return k < st.exprs.size() ? Expr(st.exprs[k]) : Expr(sp::ir::Expr{}); };
    switch (st.kind) {
      case StmtKind::kSend: {
        in.what = Do::kSend;
        in.port = st.index;
        const Port& port = role_->ports.at(static_cast<size_t>(st.index));
        const Message& msg = m_.messages.at(static_cast<size_t>(port.message));
        const size_t nf = msg.fields.size();
        std::vector<int32_t> nodes, checks;
        for (size_t f = 0; f < nf; ++f) {
          nodes.push_back(expr_at(f));
          checks.push_back(AddCheck(msg.fields[f].type, msg.name + "." + msg.fields[f].name));
        }
        in.first = static_cast<int>(p_.ints.size());
        in.count = static_cast<int>(nf);
        p_.ints.insert(p_.ints.end(), nodes.begin(), nodes.end());
        p_.ints.insert(p_.ints.end(), checks.begin(), checks.end());
        break;
      }
      case StmtKind::kAssign: {
        bool rel = false;
        in.what = Do::kAssign;
        in.slot = VarSlot(-1, st.index, &rel);
        const Var& var = role_->vars.at(static_cast<size_t>(st.index));
        in.e0 = expr_at(0);
        in.check = AddCheck(var.type, var.name);
        break;
      }
      case StmtKind::kMapPut:
      case StmtKind::kMapRemove: {
        bool rel = false;
        in.what = st.kind == StmtKind::kMapPut ? Do::kMapPut : Do::kMapRemove;
        in.slot = VarSlot(-1, st.index, &rel);
        const Var& var = role_->vars.at(static_cast<size_t>(st.index));
        const Type& t = m_.types.at(static_cast<size_t>(var.type));
        MapRef ref;
        ref.var = &var.name;
        ref.key = t.key;
        ref.capacity = t.capacity < 0 ? 0 : t.capacity;
        if (ref.capacity > 0) {
          ref.key_lo = l_.slots[static_cast<size_t>(in.slot + base_ + 1)].lo;
          ref.value_lo = l_.slots[static_cast<size_t>(in.slot + base_ + 2)].lo;
        }
        p_.maps.push_back(std::move(ref));
        in.map = static_cast<int>(p_.maps.size()) - 1;
        in.e0 = expr_at(0);
        if (st.kind == StmtKind::kMapPut) {
          in.e1 = expr_at(1);
          in.check = AddCheck(t.key, var.name + " key");
          AddCheck(t.value, var.name + " value");
        }
        break;
      }
      case StmtKind::kStart:
      case StmtKind::kStop:
        in.what = Do::kSetSlot;
        in.slot = l_.instances[static_cast<size_t>(acting_)].timers.at(static_cast<size_t>(st.index)) - base_;
        in.value = st.kind == StmtKind::kStart ? 1 : 0;
        break;
      case StmtKind::kAssert:
        in.what = Do::kAssert;
        in.e0 = expr_at(0);
        in.text = &st.text;
        break;
      case StmtKind::kIf:
        in.what = Do::kIf;
        in.e0 = expr_at(0);
        in.first = Body(st.then_body);
        in.count = static_cast<int>(st.then_body.size());
        in.else_first = Body(st.else_body);
        in.else_count = static_cast<int>(st.else_body.size());
        break;
    }
    p_.instrs[static_cast<size_t>(at)] = in;
  }

  const Model& m_;
  const System& sys_;
  const Layout& l_;
  const std::vector<ValueRange>& ranges_;
  int acting_;
  int base_ = 0;
  const Role* role_ = nullptr;
  Program& p_;
};

// ---------------------------------------------------------------------------------------
// Running.

inline bool SerialLess(uint64_t a, uint64_t b, uint64_t mask) {
  a &= mask;
  b &= mask;
  return a != b && ((b - a) & mask) < (mask >> 1) + 1;
}

// Position of `key` in the map whose size slot is m[0]: >= 0 found; else -(insertion) - 1.
inline int MapFind(const int64_t* m, int64_t key) {
  const int size = static_cast<int>(m[0]);
  for (int j = 0; j < size; ++j) {
    const int64_t k = m[1 + 2 * j];
    if (k == key) return j;
    if (k > key) return -j - 1;
  }
  return -size - 1;
}

[[noreturn]] __attribute__((noinline, cold)) inline void Overflow(const Check& c, int64_t v) {
  throw StepFailure{c.what + ": " + c.type + " overflows: " + std::to_string(v)};
}

__attribute__((always_inline)) inline int64_t Fit(const Check& c, int64_t v) {
  if (c.mask) return static_cast<int64_t>(static_cast<uint64_t>(v) & c.mask);
  if (c.checked && (v < c.lo || v > c.hi)) Overflow(c, v);
  return v;
}

inline int64_t Run(const Program& p, int n, const Frame& f) {
  const Node& x = p.nodes[static_cast<size_t>(n)];
  switch (x.code) {
    case Code::kConst:
      return x.v;
    case Code::kLoadRel:
      return f.cur[x.a];
    case Code::kLoadAbs:
      return f.s[x.a];
    case Code::kMsg:
      if (x.a < 0 || x.a >= f.nmsg) throw StepFailure{"message field read outside a receive"};
      return f.msg[x.a];
    case Code::kArg:
      if (x.a < 0 || x.a >= f.nargs) throw StepFailure{"call argument read outside a call"};
      return f.args[x.a];
    case Code::kNoInstance:
      throw StepFailure{"no such instance, variable or operator"};
    case Code::kNot:
      return Run(p, x.a, f) == 0 ? 1 : 0;
    case Code::kNeg: {
      const uint64_t v = 0 - static_cast<uint64_t>(Run(p, x.a, f));
      return static_cast<int64_t>(x.mask ? v & x.mask : v);
    }
    case Code::kAdd:
    case Code::kSub:
    case Code::kMul: {
      const uint64_t a = static_cast<uint64_t>(Run(p, x.a, f));
      const uint64_t b = static_cast<uint64_t>(Run(p, x.b, f));
      const uint64_t r = x.code == Code::kAdd ? a + b : x.code == Code::kSub ? a - b : a * b;
      return static_cast<int64_t>(x.mask ? r & x.mask : r);
    }
    case Code::kDiv:
    case Code::kMod: {
      const int64_t a = Run(p, x.a, f);
      const int64_t b = Run(p, x.b, f);
      if (b == 0) throw StepFailure{x.code == Code::kDiv ? "division by zero" : "modulo by zero"};
      if (b == -1) return x.code == Code::kDiv ? static_cast<int64_t>(0 - static_cast<uint64_t>(a)) : 0;
      return x.code == Code::kDiv ? a / b : a % b;
    }
    case Code::kEq:
    case Code::kNe: {
      uint64_t a = static_cast<uint64_t>(Run(p, x.a, f));
      uint64_t b = static_cast<uint64_t>(Run(p, x.b, f));
      if (x.mask) {
        a &= x.mask;
        b &= x.mask;
      }
      return (a == b) == (x.code == Code::kEq) ? 1 : 0;
    }
    case Code::kLt:
    case Code::kLe:
    case Code::kGt:
    case Code::kGe: {
      const int64_t a = Run(p, x.a, f);
      const int64_t b = Run(p, x.b, f);
      if (x.mask) {
        const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
        const bool eq = ((ua ^ ub) & x.mask) == 0;
        switch (x.code) {
          case Code::kLt: return SerialLess(ua, ub, x.mask);
          case Code::kLe: return eq || SerialLess(ua, ub, x.mask);
          case Code::kGt: return SerialLess(ub, ua, x.mask);
          default: return eq || SerialLess(ub, ua, x.mask);
        }
      }
      switch (x.code) {
        case Code::kLt: return a < b;
        case Code::kLe: return a <= b;
        case Code::kGt: return a > b;
        default: return a >= b;
      }
    }
    case Code::kAnd:
      return Run(p, x.a, f) != 0 && Run(p, x.b, f) != 0;
    case Code::kOr:
      return Run(p, x.a, f) != 0 || Run(p, x.b, f) != 0;
    case Code::kImplies:
      return Run(p, x.a, f) == 0 || Run(p, x.b, f) != 0;
    case Code::kSetHas: {
      const int64_t item = Run(p, x.a, f);
      const int64_t set = Run(p, x.b, f);
      return item >= 0 && item < 64 ? (static_cast<uint64_t>(set) >> item) & 1 : 0;
    }
    case Code::kSetLit: {
      uint64_t bits = 0;
      for (int k = 0; k < x.b; ++k) {
        const int64_t item = Run(p, x.a + k, f);
        if (item >= 0 && item < 64) bits |= uint64_t{1} << item;
      }
      return static_cast<int64_t>(bits);
    }
    case Code::kMapHas:
    case Code::kMapGet: {
      const int64_t key = Run(p, x.a, f);
      if (x.rel && f.cur == nullptr) throw StepFailure{"map read outside an instance"};
      const int64_t* map = (x.rel ? f.cur : f.s) + x.slot;
      const int j = MapFind(map, key);
      if (x.code == Code::kMapHas) return j >= 0;
      if (j < 0) {
        const MapRef& ref = p.maps[static_cast<size_t>(x.map)];
        throw StepFailure{ref.Name() + "[" + format_value(*p.model, ref.key, key) + "] is absent"};
      }
      return map[2 + 2 * j];
    }
  }
  throw StepFailure{"unknown expression"};
}

inline void MapPut(const MapRef& ref, int64_t* map, int64_t key, int64_t value) {
  int j = MapFind(map, key);
  if (j >= 0) {
    map[2 + 2 * j] = value;
    return;
  }
  const int size = static_cast<int>(map[0]);
  if (size >= ref.capacity) {
    throw StepFailure{"map " + ref.Name() + " is full (capacity " + std::to_string(ref.capacity) + ")"};
  }
  j = -j - 1;
  for (int k = size; k > j; --k) {
    map[1 + 2 * k] = map[2 * k - 1];
    map[2 + 2 * k] = map[2 * k];
  }
  map[1 + 2 * j] = key;
  map[2 + 2 * j] = value;
  map[0] = size + 1;
}

inline void MapRemove(const MapRef& ref, int64_t* map, int64_t key) {
  const int j = MapFind(map, key);
  if (j < 0) return;
  const int size = static_cast<int>(map[0]);
  for (int k = j; k + 1 < size; ++k) {
    map[1 + 2 * k] = map[3 + 2 * k];
    map[2 + 2 * k] = map[4 + 2 * k];
  }
  map[2 * size - 1] = ref.key_lo;
  map[2 * size] = ref.value_lo;
  map[0] = size - 1;
}

// Executes instrs [first, first + count) on the acting instance `cur` (f.cur == cur,
// f.s the state being built). `line` tracks the statement running, for errors.
inline void Exec(const Program& p, int first, int count, const Frame& f, int64_t* cur, SendBuffer& out,
                 int& line) {
  for (int k = first; k < first + count; ++k) {
    const Instr& in = p.instrs[static_cast<size_t>(k)];
    line = in.line;
    switch (in.what) {
      case Do::kSend: {
        const int offset = static_cast<int>(out.fields.size());
        for (int fi = 0; fi < in.count; ++fi) {
          const int64_t v = Run(p, p.ints[static_cast<size_t>(in.first + fi)], f);
          out.fields.push_back(Fit(p.checks[static_cast<size_t>(p.ints[static_cast<size_t>(in.first + in.count + fi)])], v));
        }
        out.pending.push_back(SendBuffer::Pending{in.port, offset, in.count, in.line});
        break;
      }
      case Do::kAssign:
        cur[in.slot] = Fit(p.checks[static_cast<size_t>(in.check)], Run(p, in.e0, f));
        break;
      case Do::kMapPut: {
        const int64_t key = Fit(p.checks[static_cast<size_t>(in.check)], Run(p, in.e0, f));
        const int64_t value = Fit(p.checks[static_cast<size_t>(in.check + 1)], Run(p, in.e1, f));
        MapPut(p.maps[static_cast<size_t>(in.map)], cur + in.slot, key, value);
        break;
      }
      case Do::kMapRemove:
        MapRemove(p.maps[static_cast<size_t>(in.map)], cur + in.slot, Run(p, in.e0, f));
        break;
      case Do::kSetSlot:
        cur[in.slot] = in.value;
        break;
      case Do::kAssert:
        if (Run(p, in.e0, f) == 0) {
          throw StepFailure{"assert " + (in.text && !in.text->empty() ? *in.text : std::string("condition")) +
                            " failed"};
        }
        break;
      case Do::kIf:
        if (Run(p, in.e0, f) != 0) {
          Exec(p, in.first, in.count, f, cur, out, line);
        } else {
          Exec(p, in.else_first, in.else_count, f, cur, out, line);
        }
        break;
    }
  }
}

}  // namespace sp::ir::detail
