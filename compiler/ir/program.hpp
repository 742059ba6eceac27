// Internal to the IR runtime (included by interpreter.cpp only): expressions and action
// bodies compiled for the interpreter's inner loop. Operands are resolved to slots —
// relative to the acting instance's first slot (every instance of a role has the same
// relative layout), or absolute for reads of a named instance — and sequence masks,
// range checks and error texts are precomputed, so running a program does no look-ups
// in the Model and allocates nothing unless it raises an error.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/state.hpp"
#include "compiler/ir/system.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir::detail {

// A checking error raised while evaluating or executing; never leaves the runtime.
struct StepFailure {
  std::string message;
};

enum class Code : uint8_t {
  kConst, kLoadRel, kLoadAbs, kMsg, kArg, kNoInstance,
  kNot, kNeg, kAdd, kSub, kMul, kDiv, kMod, kMin, kMax,
  kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr, kImplies,
  kSetHas, kSetLit, kMapHas, kMapGet,
  kBit,  // bit `v` (a constant item) of child a: `SYN in s.flags`; b == 1: negated
  kAll, kAny,  // `&&` / `||` chains: children a .. a + b - 1, left to right
  kPortLen, kPortFull,  // port `a` of instance `slot` (rel: the acting one): Program::port_in/out
  kSetOr, kSetAnd, kSetAndNot,  // set union, intersection, difference (bit masks)
  kListLit,  // children a .. a + b - 1; `map`: the list's shape in Program::lists
  kListCat, kListLen, kListGet, kListHead, kListTail,  // children a (and b); `map`: the shape
};

struct Node {
  Code code = Code::kConst;
  bool rel = false;    // kMap*: `slot` is relative to the acting instance
  int32_t a = -1;      // first child; kLoad*: slot; kMsg / kArg: index
  int32_t b = -1;      // second child; kSetLit: child count
  int32_t slot = 0;    // kMap*: the map's size slot
  int32_t map = -1;    // kMap*: index into Program::maps; kList*: into Program::lists
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

// len(p): the summed length; full(p): some queue at capacity.
inline int64_t PortValue(const std::vector<int32_t>& queues, bool incoming, const int64_t* s) {
  int64_t n = 0;
  for (size_t k = 0; k + 1 < queues.size(); k += 2) {
    const int64_t len = s[queues[k]];
    if (incoming) {
      n += len;
    } else if (len >= queues[k + 1]) {
      return 1;
    }
  }
  return n;
}

struct Program {
  const Model* model = nullptr;
  // Per instance, per port: PortQueues (filled when an expression needs them).
  std::vector<std::vector<std::vector<int32_t>>> port_in, port_out;
  std::vector<Node> nodes;
  std::vector<Instr> instrs;
  std::vector<int32_t> ints;
  std::vector<Check> checks;
  std::vector<MapRef> maps;
  std::vector<ListShape> lists;

  void clear() {
    nodes.clear();
    instrs.clear();
    ints.clear();
    checks.clear();
    maps.clear();
    lists.clear();
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
  int acting = -1;  // the acting instance (len(p) and full(p) in a transition)
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
// Operator semantics, shared by compiled programs and the property evaluator.

inline Code BinaryCode(Op op) {
  switch (op) {
    case Op::kAdd: return Code::kAdd;
    case Op::kSub: return Code::kSub;
    case Op::kMul: return Code::kMul;
    case Op::kDiv: return Code::kDiv;
    case Op::kMod: return Code::kMod;
    case Op::kMin: return Code::kMin;
    case Op::kMax: return Code::kMax;
    case Op::kEq: return Code::kEq;
    case Op::kNe: return Code::kNe;
    case Op::kLt: return Code::kLt;
    case Op::kLe: return Code::kLe;
    case Op::kGt: return Code::kGt;
    case Op::kGe: return Code::kGe;
    case Op::kAnd: return Code::kAnd;
    case Op::kOr: return Code::kOr;
    case Op::kImplies: return Code::kImplies;
    case Op::kSetHas: return Code::kSetHas;
    case Op::kSetUnion: return Code::kSetOr;
    case Op::kSetInter: return Code::kSetAnd;
    case Op::kSetDiff: return Code::kSetAndNot;
    default: return Code::kNoInstance;
  }
}

inline uint64_t SeqMaskOf(const std::vector<ValueRange>& ranges, TypeId t) {
  return t >= 0 && t < static_cast<int>(ranges.size()) ? ranges[static_cast<size_t>(t)].seq_mask : 0;
}

// Arithmetic wraps when the result or an operand is a sequence number (seq - seq is the
// distance mod 2^bits); comparisons are serial when an operand is one.
inline uint64_t OperatorMask(const std::vector<ValueRange>& ranges, const sp::ir::Expr& e) {
  uint64_t operand = 0;
  if (e.args.size() == 2) {
    operand = SeqMaskOf(ranges, e.args[0].type);
    if (operand == 0) operand = SeqMaskOf(ranges, e.args[1].type);
  }
  switch (e.op) {
    case Op::kNeg: return SeqMaskOf(ranges, e.type);
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul: {
      const uint64_t result = SeqMaskOf(ranges, e.type);
      return result ? result : operand;
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return operand;
    default:
      return 0;
  }
}

inline bool SerialLess(uint64_t a, uint64_t b, uint64_t mask) {
  a &= mask;
  b &= mask;
  return a != b && ((b - a) & mask) < (mask >> 1) + 1;
}

// a % b in [0, |b|) (b != 0, b != -1): the mathematical modulus, as TLA+'s % for b > 0,
// so `(r - base) % M` is never negative. C++'s % truncates toward zero.
inline int64_t EuclidMod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  if (r >= 0) return r;
  // |b| > |r|, so r + |b| is in (0, |b|) and does not overflow (also for b = INT64_MIN).
  return static_cast<int64_t>(static_cast<uint64_t>(r) + (b > 0 ? static_cast<uint64_t>(b) : 0 - static_cast<uint64_t>(b)));
}

// kAdd .. kMax and kEq .. kGe on evaluated operands.
__attribute__((always_inline)) inline int64_t Apply(Code code, int64_t a, int64_t b, uint64_t mask) {
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  switch (code) {
    case Code::kSetOr: return static_cast<int64_t>(ua | ub);
    case Code::kSetAnd: return static_cast<int64_t>(ua & ub);
    case Code::kSetAndNot: return static_cast<int64_t>(ua & ~ub);
    case Code::kAdd:
    case Code::kSub:
    case Code::kMul: {
      const uint64_t r = code == Code::kAdd ? ua + ub : code == Code::kSub ? ua - ub : ua * ub;
      return static_cast<int64_t>(mask ? r & mask : r);
    }
    case Code::kDiv:
    case Code::kMod:
      if (b == 0) throw StepFailure{code == Code::kDiv ? "division by zero" : "modulo by zero"};
      if (b == -1) return code == Code::kDiv ? static_cast<int64_t>(0 - ua) : 0;
      return code == Code::kDiv ? a / b : EuclidMod(a, b);
    case Code::kMin:
      return a < b ? a : b;
    case Code::kMax:
      return a < b ? b : a;
    case Code::kEq:
    case Code::kNe: {
      const bool eq = mask ? ((ua ^ ub) & mask) == 0 : a == b;
      return eq == (code == Code::kEq) ? 1 : 0;
    }
    default:
      break;
  }
  if (mask) {
    const bool eq = ((ua ^ ub) & mask) == 0;
    switch (code) {
      case Code::kLt: return SerialLess(ua, ub, mask);
      case Code::kLe: return eq || SerialLess(ua, ub, mask);
      case Code::kGt: return SerialLess(ub, ua, mask);
      default: return eq || SerialLess(ub, ua, mask);
    }
  }
  switch (code) {
    case Code::kLt: return a < b;
    case Code::kLe: return a <= b;
    case Code::kGt: return a > b;
    default: return a >= b;
  }
}

inline Code ListCode(Op op) {
  switch (op) {
    case Op::kListLit: return Code::kListLit;
    case Op::kListCat: return Code::kListCat;
    case Op::kListLen: return Code::kListLen;
    case Op::kListGet: return Code::kListGet;
    case Op::kListHead: return Code::kListHead;
    default: return Code::kListTail;
  }
}

// An element of a list literal, fitted to the element type: seq wraps, a range is checked.
inline int64_t ListElement(const ListShape& s, int64_t v) {
  if (s.range.seq_mask) return static_cast<int64_t>(static_cast<uint64_t>(v) & s.range.seq_mask);
  if (s.range.checked && (v < s.range.lo || v > s.range.hi)) {
    throw StepFailure{"list element: " + (s.elem_name ? *s.elem_name : std::string("element")) + " overflows: " +
                      std::to_string(v)};
  }
  return v;
}

// kListCat .. kListTail on evaluated operands: b is the second list (kListCat) or the
// index (kListGet), unused otherwise.
inline int64_t ApplyList(Code code, const ListShape& s, int64_t a, int64_t b) {
  const int64_t len = ListLen(s, a);
  switch (code) {
    case Code::kListLen:
      return len;
    case Code::kListCat: {
      const int64_t lb = ListLen(s, b);
      if (len + lb > s.capacity) {
        throw StepFailure{"list is full: " + std::to_string(len) + " + " + std::to_string(lb) +
                          " elements exceed its capacity " + std::to_string(s.capacity)};
      }
      return ListCat(s, a, b);
    }
    case Code::kListGet:
      if (b < 0 || b >= len) {
        throw StepFailure{"list index " + std::to_string(b) + " is out of range (length " + std::to_string(len) + ")"};
      }
      return ListAt(s, a, b);
    case Code::kListHead:
    case Code::kListTail:
      if (len == 0) throw StepFailure{std::string(code == Code::kListHead ? "head" : "tail") + " of an empty list"};
      return code == Code::kListHead ? ListAt(s, a, 0) : ListTail(s, a);
    default:
      throw StepFailure{"unknown list operation"};
  }
}

inline int64_t SetHas(int64_t item, int64_t set) {
  return item >= 0 && item < 64 ? static_cast<int64_t>((static_cast<uint64_t>(set) >> item) & 1) : 0;
}

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

  static void Flatten(const sp::ir::Expr& e, Op op, std::vector<const sp::ir::Expr*>& out) {
    if (e.op == op && e.args.size() == 2) {
      Flatten(e.args[0], op, out);
      Flatten(e.args[1], op, out);
    } else {
      out.push_back(&e);
    }
  }

  void Fill(int n, const sp::ir::Expr& e) {
    bool rel = false;
    if ((e.op == Op::kAnd || e.op == Op::kOr) && e.args.size() == 2) {
      std::vector<const sp::ir::Expr*> terms;
      Flatten(e, e.op, terms);
      const int first = static_cast<int>(p_.nodes.size());
      p_.nodes.resize(p_.nodes.size() + terms.size());
      for (size_t k = 0; k < terms.size(); ++k) Fill(first + static_cast<int>(k), *terms[k]);
      Node& x = p_.nodes[static_cast<size_t>(n)];
      x.code = e.op == Op::kAnd ? Code::kAll : Code::kAny;
      x.a = first;
      x.b = static_cast<int>(terms.size());
      return;
    }
    if (e.op == Op::kNot && e.args.size() == 1 && e.args[0].op == Op::kSetHas) {
      Fill(n, e.args[0]);
      Node& x = p_.nodes[static_cast<size_t>(n)];
      if (x.code == Code::kBit) {
        x.b = 1;
        return;
      }
      // Not a constant item: compile the general form below.
    }
    if (e.op == Op::kSetHas && e.args.size() == 2 && e.args[0].op == Op::kConst && e.args[0].value >= 0 &&
        e.args[0].value < 64) {
      const int c = static_cast<int>(p_.nodes.size());
      p_.nodes.emplace_back();
      Fill(c, e.args[1]);
      Node& x = p_.nodes[static_cast<size_t>(n)];
      x.code = Code::kBit;
      x.a = c;
      x.v = e.args[0].value;
      x.b = 0;
      return;
    }
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
        x.mask = OperatorMask(ranges_, e);
        return;
      }
      case Op::kSetLit: {
        const int c = Children(e.args, e.args.size());
        node().code = Code::kSetLit;
        node().a = c;
        node().b = static_cast<int>(e.args.size());
        return;
      }
      case Op::kListLit:
      case Op::kListCat:
      case Op::kListLen:
      case Op::kListGet:
      case Op::kListHead:
      case Op::kListTail: {
        // A literal has its elements as children; the others one list (and an operand).
        const bool lit = e.op == Op::kListLit;
        const size_t count = lit ? e.args.size() : (e.op == Op::kListCat || e.op == Op::kListGet) ? 2 : 1;
        const int c = Children(e.args, count);
        p_.lists.push_back(ListShapeOf(m_, lit ? e.type : e.args.empty() ? -1 : e.args[0].type));
        Node& x = node();
        x.code = ListCode(e.op);
        x.a = c;
        x.b = lit ? static_cast<int>(count) : count == 2 ? c + 1 : -1;
        x.map = static_cast<int>(p_.lists.size()) - 1;
        return;
      }
      case Op::kPortLen:
      case Op::kPortFull: {
        const int i = e.instance >= 0 ? e.instance : acting_;
        if (i < 0 || i >= static_cast<int>(sys_.instances.size())) {
          node().code = Code::kNoInstance;
          return;
        }
        const bool incoming = e.op == Op::kPortLen;
        auto& table = incoming ? p_.port_in : p_.port_out;
        if (table.empty()) {
          table.resize(sys_.instances.size());
          for (size_t k = 0; k < sys_.instances.size(); ++k) {
            const Role& r = m_.roles[static_cast<size_t>(sys_.instances[k].role)];
            for (size_t port = 0; port < r.ports.size(); ++port) {
              table[k].push_back(port_queues(sys_, l_, static_cast<int>(k), static_cast<int>(port), incoming));
            }
          }
        }
        Node& x = node();
        x.code = incoming ? Code::kPortLen : Code::kPortFull;
        x.a = e.index;
        x.rel = e.instance < 0;
        x.slot = i;
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
    x.code = BinaryCode(e.op);
    x.mask = OperatorMask(ranges_, e);
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

inline int64_t Run(const Program& p, int n, const Frame& f);

// An operand: leaves are read here, without a call.
__attribute__((always_inline)) inline int64_t Fetch(const Program& p, int n, const Frame& f) {
  const Node& x = p.nodes[static_cast<size_t>(n)];
  switch (x.code) {
    case Code::kLoadRel: return f.cur[x.a];
    case Code::kConst: return x.v;
    case Code::kMsg:
      if (x.a >= 0 && x.a < f.nmsg) return f.msg[x.a];
      break;
    default:
      break;
  }
  return Run(p, n, f);
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
      return Fetch(p, x.a, f) == 0 ? 1 : 0;
    case Code::kNeg: {
      const uint64_t v = 0 - static_cast<uint64_t>(Fetch(p, x.a, f));
      return static_cast<int64_t>(x.mask ? v & x.mask : v);
    }
    case Code::kAdd:
    case Code::kSub:
    case Code::kMul:
    case Code::kDiv:
    case Code::kMod:
    case Code::kMin:
    case Code::kMax:
    case Code::kEq:
    case Code::kNe:
    case Code::kLt:
    case Code::kLe:
    case Code::kGt:
    case Code::kGe:
    case Code::kSetOr:
    case Code::kSetAnd:
    case Code::kSetAndNot: {
      const int64_t a = Fetch(p, x.a, f);
      return Apply(x.code, a, Fetch(p, x.b, f), x.mask);
    }
    case Code::kAnd:
      return Fetch(p, x.a, f) != 0 && Fetch(p, x.b, f) != 0;
    case Code::kOr:
      return Fetch(p, x.a, f) != 0 || Fetch(p, x.b, f) != 0;
    case Code::kImplies:
      return Fetch(p, x.a, f) == 0 || Fetch(p, x.b, f) != 0;
    case Code::kSetHas: {
      const int64_t item = Fetch(p, x.a, f);
      return SetHas(item, Fetch(p, x.b, f));
    }
    case Code::kBit:
      return static_cast<int64_t>(((static_cast<uint64_t>(Fetch(p, x.a, f)) >> x.v) & 1) ^ static_cast<uint64_t>(x.b));
    case Code::kAll:
      for (int k = x.a; k < x.a + x.b; ++k) {
        if (Fetch(p, k, f) == 0) return 0;
      }
      return 1;
    case Code::kAny:
      for (int k = x.a; k < x.a + x.b; ++k) {
        if (Fetch(p, k, f) != 0) return 1;
      }
      return 0;
    case Code::kSetLit: {
      uint64_t bits = 0;
      for (int k = 0; k < x.b; ++k) {
        const int64_t item = Fetch(p, x.a + k, f);
        if (item >= 0 && item < 64) bits |= uint64_t{1} << item;
      }
      return static_cast<int64_t>(bits);
    }
    case Code::kListLit: {
      const ListShape& s = p.lists[static_cast<size_t>(x.map)];
      int64_t v = 0;
      for (int k = 0; k < x.b; ++k) v = ListPush(s, v, ListElement(s, Fetch(p, x.a + k, f)));
      return v;
    }
    case Code::kListCat:
    case Code::kListLen:
    case Code::kListGet:
    case Code::kListHead:
    case Code::kListTail: {
      const int64_t a = Fetch(p, x.a, f);
      return ApplyList(x.code, p.lists[static_cast<size_t>(x.map)], a, x.b >= 0 ? Fetch(p, x.b, f) : 0);
    }
    case Code::kPortLen:
    case Code::kPortFull: {
      const int i = x.rel ? f.acting : x.slot;
      const auto& table = x.code == Code::kPortLen ? p.port_in : p.port_out;
      if (i < 0 || i >= static_cast<int>(table.size()) || x.a < 0 ||
          x.a >= static_cast<int>(table[static_cast<size_t>(i)].size())) {
        throw StepFailure{"no such instance or port"};
      }
      return PortValue(table[static_cast<size_t>(i)][static_cast<size_t>(x.a)], x.code == Code::kPortLen, f.s);
    }
    case Code::kMapHas:
    case Code::kMapGet: {
      const int64_t key = Fetch(p, x.a, f);
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

// A map variable's slots, relative to its size slot: the size and 2 per pair.
inline void TouchMap(const MapRef& ref, int32_t size_slot, std::vector<int32_t>& changed) {
  for (int32_t k = 0; k <= 2 * ref.capacity; ++k) changed.push_back(size_slot + k);
}

// Executes instrs [first, first + count) on the acting instance `cur` (f.cur == cur,
// f.s the state being built; `base` is cur's slot in it). Every slot written is appended
// to `changed` (absolute). `line` tracks the statement running, for errors.
inline void Exec(const Program& p, int first, int count, const Frame& f, int64_t* cur, int32_t base,
                 SendBuffer& out, std::vector<int32_t>& changed, int& line) {
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
        changed.push_back(base + in.slot);
        break;
      case Do::kMapPut: {
        const int64_t key = Fit(p.checks[static_cast<size_t>(in.check)], Run(p, in.e0, f));
        const int64_t value = Fit(p.checks[static_cast<size_t>(in.check + 1)], Run(p, in.e1, f));
        MapPut(p.maps[static_cast<size_t>(in.map)], cur + in.slot, key, value);
        TouchMap(p.maps[static_cast<size_t>(in.map)], base + in.slot, changed);
        break;
      }
      case Do::kMapRemove:
        MapRemove(p.maps[static_cast<size_t>(in.map)], cur + in.slot, Run(p, in.e0, f));
        TouchMap(p.maps[static_cast<size_t>(in.map)], base + in.slot, changed);
        break;
      case Do::kSetSlot:
        cur[in.slot] = in.value;
        changed.push_back(base + in.slot);
        break;
      case Do::kAssert:
        if (Run(p, in.e0, f) == 0) {
          throw StepFailure{"assert " + (in.text && !in.text->empty() ? *in.text : std::string("condition")) +
                            " failed"};
        }
        break;
      case Do::kIf:
        if (Run(p, in.e0, f) != 0) {
          Exec(p, in.first, in.count, f, cur, base, out, changed, line);
        } else {
          Exec(p, in.else_first, in.else_count, f, cur, base, out, changed, line);
        }
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Properties: an expression over named instances, evaluated on its tree (no compiling, no
// allocation); the same operator semantics as compiled programs.

class PropertyEval {
 public:
  PropertyEval(const Model& m, const System& sys, const Layout& l, const std::vector<ValueRange>& ranges,
               const int64_t* s)
      : m_(m), sys_(sys), l_(l), ranges_(ranges), s_(s) {}

  int64_t operator()(const sp::ir::Expr& e) const {
    if (IsListOp(e.op)) return List(e);
    switch (e.op) {
      case Op::kConst:
        return e.value;
      case Op::kVar:
      case Op::kState:
      case Op::kMsgField:
      case Op::kCallArg:
        throw StepFailure{"a property reads variables, states and timers of named instances only"};
      case Op::kInstVar:
        return s_[VarSlot(e.instance, e.index)];
      case Op::kInstState:
        return s_[Instance(e.instance).state];
      case Op::kTimerArmed: {
        const auto& timers = Instance(e.instance).timers;
        if (e.index < 0 || e.index >= static_cast<int>(timers.size())) throw StepFailure{"no such timer"};
        return s_[timers[static_cast<size_t>(e.index)]];
      }
      case Op::kNot:
        return Arg(e, 0) == 0 ? 1 : 0;
      case Op::kNeg: {
        const uint64_t v = 0 - static_cast<uint64_t>(Arg(e, 0));
        const uint64_t mask = OperatorMask(ranges_, e);
        return static_cast<int64_t>(mask ? v & mask : v);
      }
      case Op::kAnd:
        return Arg(e, 0) != 0 && Arg(e, 1) != 0;
      case Op::kOr:
        return Arg(e, 0) != 0 || Arg(e, 1) != 0;
      case Op::kImplies:
        return Arg(e, 0) == 0 || Arg(e, 1) != 0;
      case Op::kSetHas: {
        const int64_t item = Arg(e, 0);
        return SetHas(item, Arg(e, 1));
      }
      case Op::kSetLit: {
        uint64_t bits = 0;
        for (const sp::ir::Expr& a : e.args) {
          const int64_t item = (*this)(a);
          if (item >= 0 && item < 64) bits |= uint64_t{1} << item;
        }
        return static_cast<int64_t>(bits);
      }
      case Op::kMapHas:
      case Op::kMapGet: {
        const int64_t key = Arg(e, 0);
        const int64_t* map = s_ + VarSlot(e.instance, e.index);
        const int j = MapFind(map, key);
        if (e.op == Op::kMapHas) return j >= 0;
        if (j < 0) {
          const Role& role = m_.roles[static_cast<size_t>(sys_.instances[static_cast<size_t>(e.instance)].role)];
          const Var& var = role.vars[static_cast<size_t>(e.index)];
          const TypeId kt = var.type >= 0 && var.type < static_cast<int>(m_.types.size())
                                ? m_.types[static_cast<size_t>(var.type)].key
                                : -1;
          throw StepFailure{sys_.instances[static_cast<size_t>(e.instance)].name + "." + var.name + "[" +
                            format_value(m_, kt, key) + "] is absent"};
        }
        return map[2 + 2 * j];
      }
      case Op::kPortLen:
      case Op::kPortFull:
        Instance(e.instance);
        return PortValue(port_queues(sys_, l_, e.instance, e.index, e.op == Op::kPortLen), e.op == Op::kPortLen, s_);
      default: {
        const int64_t a = Arg(e, 0);
        return Apply(BinaryCode(e.op), a, Arg(e, 1), OperatorMask(ranges_, e));
      }
    }
  }

 private:
  int64_t Arg(const sp::ir::Expr& e, size_t k) const { return k < e.args.size() ? (*this)(e.args[k]) : 0; }

  int64_t List(const sp::ir::Expr& e) const {
    if (e.op == Op::kListLit) {
      const ListShape s = ListShapeOf(m_, e.type);
      int64_t v = 0;
      for (const sp::ir::Expr& a : e.args) v = ListPush(s, v, ListElement(s, (*this)(a)));
      return v;
    }
    const int64_t a = Arg(e, 0);
    return ApplyList(ListCode(e.op), ListShapeOf(m_, e.args.empty() ? -1 : e.args[0].type), a, Arg(e, 1));
  }

  const InstanceLayout& Instance(int i) const {
    if (i < 0 || i >= static_cast<int>(l_.instances.size())) throw StepFailure{"no such instance"};
    return l_.instances[static_cast<size_t>(i)];
  }
  int VarSlot(int i, int v) const {
    const auto& vars = Instance(i).vars;
    if (v < 0 || v >= static_cast<int>(vars.size())) throw StepFailure{"no such variable"};
    return vars[static_cast<size_t>(v)];
  }

  const Model& m_;
  const System& sys_;
  const Layout& l_;
  const std::vector<ValueRange>& ranges_;
  const int64_t* s_;
};

}  // namespace sp::ir::detail
