// IR expressions as Promela expressions (see promela_expr.hpp). Every compound result is
// parenthesised, leaves are bare, so no Promela precedence rule matters. No conditional
// expression `(c -> a : b)` is used: its `->` would be read as implication inside an
// `ltl` formula; a map read is a sum of (match) * value terms instead (keys are unique).
#include "compiler/ir/promela_expr.hpp"

#include <algorithm>
#include <cstdlib>

#include "compiler/ir/program.hpp"  // OperatorMask, SeqMaskOf: the interpreter's own rules

namespace sp::ir::promela {

namespace {

std::string Num(int64_t v) { return v < 0 ? "(" + std::to_string(v) + ")" : std::to_string(v); }

std::string Bin(const std::string& a, const char* op, const std::string& b) {
  return "(" + a + " " + op + " " + b + ")";
}

std::string Masked(const std::string& x, uint64_t mask) {
  return mask ? "(" + x + " & " + std::to_string(mask) + ")" : x;
}

int64_t Clamp(__int128 v) {
  if (v > kMaxMagnitude * 4) return kMaxMagnitude * 4;
  if (v < -kMaxMagnitude * 4) return -kMaxMagnitude * 4;
  return static_cast<int64_t>(v);
}

Interval Bool() { return Interval{0, 1}; }

// List values (ListShape in value_range.hpp) in Promela's bit operators.
std::string ListLenText(const detail::ListShape& s, const std::string& l) {
  return Bin(l, "&", std::to_string(s.len_mask()));
}

// The element at bit `shift` (an expression), as a value of the element type.
std::string ListElemText(const detail::ListShape& s, const std::string& l, const std::string& shift) {
  return Bin(Bin(Bin(l, ">>", shift), "&", std::to_string(s.elem_mask())), "+", Num(s.range.lo));
}

}  // namespace

std::optional<std::string> AndDefined(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a) return b;
  if (!b) return a;
  return Bin(*a, "&&", *b);
}

ExprWriter::ExprWriter(const Model& m, const System& sys, const Names& names) : m_(m), sys_(sys), n_(names) {
  for (size_t t = 0; t < m.types.size(); ++t) ranges_.push_back(detail::RangeOf(m, static_cast<TypeId>(t)));
}

const detail::ValueRange& ExprWriter::Range(TypeId t) const {
  static const detail::ValueRange kNone = detail::RangeOf(Model{}, -1);
  return t >= 0 && t < static_cast<int>(ranges_.size()) ? ranges_[static_cast<size_t>(t)] : kNone;
}

std::string ExprWriter::Constant(TypeId t, int64_t v) const {
  if (t >= 0 && t < static_cast<int>(m_.types.size())) {
    const Type& type = m_.types[static_cast<size_t>(t)];
    const auto& items = n_.item[static_cast<size_t>(t)];
    if (type.kind == TypeKind::kEnum && v >= 0 && v < static_cast<int64_t>(items.size())) {
      return items[static_cast<size_t>(v)];
    }
    if (type.kind == TypeKind::kSet && v > 0 && type.enum_type >= 0) {
      const auto& names = n_.item[static_cast<size_t>(type.enum_type)];
      std::string out;
      int terms = 0;
      for (int bit = 0; bit < 63; ++bit) {
        if (((static_cast<uint64_t>(v) >> bit) & 1) == 0) continue;
        const std::string item = bit < static_cast<int>(names.size()) ? names[static_cast<size_t>(bit)]
                                                                        : std::to_string(bit);
        out += (terms++ ? " | " : "") + std::string("(1 << ") + item + ")";
      }
      return terms == 1 ? out : "(" + out + ")";
    }
  }
  return Num(v);
}

int ExprWriter::MapCapacity(int inst, int v) const {
  const Role& role = m_.roles[static_cast<size_t>(sys_.instances[static_cast<size_t>(inst)].role)];
  const Type& t = m_.types.at(static_cast<size_t>(role.vars.at(static_cast<size_t>(v)).type));
  return std::max(0, t.capacity);
}

std::string ExprWriter::MapHas(int inst, int v, const std::string& key) const {
  const std::string& base = n_.var[static_cast<size_t>(inst)][static_cast<size_t>(v)];
  const int cap = MapCapacity(inst, v);
  if (cap == 0) return "0";
  std::string out;
  for (int j = 0; j < cap; ++j) {
    if (j) out += " || ";
    out += "(" + base + "_size > " + std::to_string(j) + " && " + base + "_key[" + std::to_string(j) + "] == " +
           key + ")";
  }
  return "(" + out + ")";
}

std::string ExprWriter::MapGet(int inst, int v, const std::string& key) const {
  const std::string& base = n_.var[static_cast<size_t>(inst)][static_cast<size_t>(v)];
  const int cap = MapCapacity(inst, v);
  if (cap == 0) return "0";
  std::string out;
  for (int j = 0; j < cap; ++j) {
    if (j) out += " + ";
    const std::string js = std::to_string(j);
    out += "(" + base + "_size > " + js + " && " + base + "_key[" + js + "] == " + key + ") * " + base + "_val[" +
           js + "]";
  }
  return "(" + out + ")";
}

std::string ExprWriter::Print(const Expr& e, const Scope& s) const {
  auto arg = [&](size_t k) { return k < e.args.size() ? Print(e.args[k], s) : std::string("0"); };
  const uint64_t mask = detail::OperatorMask(ranges_, e);
  switch (e.op) {
    case Op::kConst:
      return Constant(e.type, e.value);
    case Op::kVar:
    case Op::kInstVar: {
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a variable read outside an instance");
      return n_.var.at(static_cast<size_t>(i)).at(static_cast<size_t>(e.index));
    }
    case Op::kState:
    case Op::kInstState: {
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a control state read outside an instance");
      return n_.state.at(static_cast<size_t>(i));
    }
    case Op::kTimerArmed: {
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a timer read outside an instance");
      return n_.timer.at(static_cast<size_t>(i)).at(static_cast<size_t>(e.index));
    }
    case Op::kMsgField:
      if (!s.msg) throw Unsupported("a message field read outside a receive");
      return s.msg(e.index);
    case Op::kCallArg:
      if (s.args == nullptr || e.index < 0 || e.index >= static_cast<int>(s.args->size())) {
        throw Unsupported("a call argument read outside a call");
      }
      return Constant(e.type, (*s.args)[static_cast<size_t>(e.index)]);
    case Op::kNot:
      return "(!" + arg(0) + ")";  // never `!!`: Promela lexes it as the sorted-send operator
    case Op::kNeg:
      return Masked("(-" + arg(0) + ")", mask);
    case Op::kAdd:
      return Masked(Bin(arg(0), "+", arg(1)), mask);
    case Op::kSub:
      return Masked(Bin(arg(0), "-", arg(1)), mask);
    case Op::kMul:
      return Masked(Bin(arg(0), "*", arg(1)), mask);
    case Op::kDiv:
      return Bin(arg(0), "/", arg(1));
    case Op::kMod: {
      // Promela's % is C's (truncating); the interpreter's is in [0, |b|) (EuclidMod):
      // ((a % b) + |b|) % b, with |b| written without a conditional expression.
      const std::string a = arg(0), b = arg(1);
      const bool constant = e.args.size() > 1 && e.args[1].op == Op::kConst && e.args[1].value != INT64_MIN;
      const std::string abs_b = constant ? Num(std::abs(e.args[1].value))
                                         : Bin(b, "*", Bin("1", "-", Bin("2", "*", Bin(b, "<", "0"))));
      return Bin(Bin(Bin(a, "%", b), "+", abs_b), "%", b);
    }
    case Op::kMin:
    case Op::kMax: {
      // No conditional expression (see the top of this file): select by 0/1 factors.
      const std::string a = arg(0), b = arg(1);
      const std::string a_first = Bin(a, e.op == Op::kMin ? "<=" : ">=", b);
      return Bin(Bin(a_first, "*", a), "+", Bin(Bin("1", "-", a_first), "*", b));
    }
    case Op::kEq:
    case Op::kNe: {
      const char* op = e.op == Op::kEq ? "==" : "!=";
      if (!mask) return Bin(arg(0), op, arg(1));
      return Bin(Masked(Bin(arg(0), "^", arg(1)), mask), op, "0");
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      const char* plain = e.op == Op::kLt ? "<" : e.op == Op::kLe ? "<=" : e.op == Op::kGt ? ">" : ">=";
      const std::string a = arg(0), b = arg(1);
      if (!mask) return Bin(a, plain, b);
      // RFC 1982 serial order (SerialLess in program.hpp): x < y iff x != y and
      // (y - x) mod 2^bits < 2^(bits-1); at distance 2^(bits-1) neither is smaller.
      const std::string half = std::to_string((mask >> 1) + 1);
      auto less = [&](const std::string& x, const std::string& y) {
        return Bin(Bin(Masked(x, mask), "!=", Masked(y, mask)), "&&", Bin(Masked(Bin(y, "-", x), mask), "<", half));
      };
      const std::string eq = Bin(Masked(Bin(a, "^", b), mask), "==", "0");
      if (e.op == Op::kLt) return less(a, b);
      if (e.op == Op::kGt) return less(b, a);
      return Bin(eq, "||", e.op == Op::kLe ? less(a, b) : less(b, a));
    }
    case Op::kAnd:
      return Bin(arg(0), "&&", arg(1));
    case Op::kOr:
      return Bin(arg(0), "||", arg(1));
    case Op::kImplies:
      return Bin("!" + arg(0), "||", arg(1));
    case Op::kSetHas: {
      // Bit `item` of the set; items outside 0..30 are never members (32-bit int).
      const std::string bit = Bin(Bin(arg(1), ">>", arg(0)), "&", "1");
      if (!e.args.empty() && e.args[0].op == Op::kConst) {
        return e.args[0].value >= 0 && e.args[0].value < 31 ? bit : "0";
      }
      return Bin(Bin(Bin(arg(0), ">=", "0"), "&&", Bin(arg(0), "<", "31")), "&&", bit);
    }
    case Op::kSetLit: {
      if (e.args.empty()) return "0";
      std::string out;
      for (size_t k = 0; k < e.args.size(); ++k) out += (k ? " | " : "") + Bin("1", "<<", arg(k));
      return "(" + out + ")";
    }
    case Op::kMapHas:
    case Op::kMapGet: {
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a map read outside an instance");
      return e.op == Op::kMapHas ? MapHas(i, e.index, arg(0)) : MapGet(i, e.index, arg(0));
    }
    case Op::kSetUnion:
      return Bin(arg(0), "|", arg(1));
    case Op::kSetInter:
      return Bin(arg(0), "&", arg(1));
    case Op::kSetDiff:
      return Bin(arg(0), "&", "~" + arg(1));
    case Op::kListLit: {
      const detail::ListShape ls = detail::ListShapeOf(m_, e.type);
      std::string out = std::to_string(e.args.size());
      for (size_t k = 0; k < e.args.size(); ++k) {
        const std::string stored = Bin(Bin(arg(k), "-", Num(ls.range.lo)), "&", std::to_string(ls.elem_mask()));
        out += " | " + Bin(stored, "<<", std::to_string(ls.len_bits + static_cast<int>(k) * ls.elem_bits));
      }
      return "(" + out + ")";
    }
    case Op::kListCat:
    case Op::kListLen:
    case Op::kListGet:
    case Op::kListHead:
    case Op::kListTail: {
      const detail::ListShape ls = detail::ListShapeOf(m_, e.args.empty() ? -1 : e.args[0].type);
      const std::string l = arg(0), len = ListLenText(ls, l), bits = std::to_string(ls.len_bits);
      const std::string eb = std::to_string(ls.elem_bits);
      switch (e.op) {
        case Op::kListLen:
          return len;
        case Op::kListGet:
          return ListElemText(ls, l, Bin(bits, "+", Bin(arg(1), "*", eb)));
        case Op::kListHead:
          return ListElemText(ls, l, bits);
        case Op::kListTail:
          return Bin(Bin(Bin(l, ">>", std::to_string(ls.len_bits + ls.elem_bits)), "<<", bits), "|", Bin(len, "-", "1"));
        default: {  // kListCat: a's elements, then b's after them, and the summed length
          const std::string b = arg(1);
          const std::string elems = Bin(Bin(b, ">>", bits), "<<", Bin(bits, "+", Bin(len, "*", eb)));
          return Bin(Bin(Bin(l, "-", len), "|", elems), "|", Bin(len, "+", ListLenText(ls, b)));
        }
      }
    }
    case Op::kPortLen:
    case Op::kPortFull: {
      // The IR's queues are arrays with a length variable, not Promela channels: len(p) is
      // the sum of the lengths, full(p) whether one is at capacity (Promela's full()).
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a channel condition outside an instance");
      std::string out;
      for (size_t q = 0; q < sys_.queues.size() && q < n_.queue_len.size(); ++q) {
        const Queue& qu = sys_.queues[q];
        if (e.op == Op::kPortLen) {
          if (qu.receiver != i || qu.recv_port != e.index) continue;
          out += (out.empty() ? "" : " + ") + n_.queue_len[q];
        } else {
          if (qu.send_port != e.index || std::find(qu.senders.begin(), qu.senders.end(), i) == qu.senders.end()) continue;
          out += (out.empty() ? "" : " || ") + n_.queue_len[q] + " >= " + std::to_string(qu.capacity);
        }
      }
      return out.empty() ? "0" : "(" + out + ")";
    }
  }
  throw Unsupported("an unknown expression");
}

std::optional<std::string> ExprWriter::Defined(const Expr& e, const Scope& s) const {
  auto d = [&](size_t k) -> std::optional<std::string> {
    return k < e.args.size() ? Defined(e.args[k], s) : std::nullopt;
  };
  switch (e.op) {
    case Op::kAnd:
    case Op::kOr:
    case Op::kImplies: {
      // The right operand is evaluated only when the left one does not decide.
      const std::optional<std::string> right = d(1);
      std::optional<std::string> guarded;
      if (right) {
        const std::string a = e.args.empty() ? "0" : Print(e.args[0], s);
        guarded = e.op == Op::kOr ? Bin(a, "||", *right) : Bin("!" + a, "||", *right);
      }
      return AndDefined(d(0), guarded);
    }
    case Op::kDiv:
    case Op::kMod: {
      const std::string nonzero = Bin(e.args.size() > 1 ? Print(e.args[1], s) : "0", "!=", "0");
      return AndDefined(AndDefined(d(0), d(1)), nonzero);
    }
    case Op::kMapGet: {
      const int i = Inst(e, s);
      if (i < 0) throw Unsupported("a map read outside an instance");
      const std::string key = e.args.empty() ? "0" : Print(e.args[0], s);
      return AndDefined(d(0), MapHas(i, e.index, key));
    }
    case Op::kListLit: {
      // Each element within the element type (seq elements wrap).
      const detail::ListShape ls = detail::ListShapeOf(m_, e.type);
      std::optional<std::string> out;
      for (size_t k = 0; k < e.args.size(); ++k) {
        out = AndDefined(out, d(k));
        if (!ls.range.checked || ls.range.seq_mask) continue;
        const Interval in = Bounds(e.args[k]);
        if (in.lo >= ls.range.lo && in.hi <= ls.range.hi) continue;
        const std::string x = Print(e.args[k], s);
        out = AndDefined(out, Bin(Bin(x, ">=", Num(ls.range.lo)), "&&", Bin(x, "<=", Num(ls.range.hi))));
      }
      return out;
    }
    case Op::kListCat:
    case Op::kListGet:
    case Op::kListHead:
    case Op::kListTail: {
      const detail::ListShape ls = detail::ListShapeOf(m_, e.args.empty() ? -1 : e.args[0].type);
      const std::string len = ListLenText(ls, e.args.empty() ? "0" : Print(e.args[0], s));
      std::string ok;
      if (e.op == Op::kListCat) {
        ok = Bin(Bin(len, "+", ListLenText(ls, Print(e.args.at(1), s))), "<=", std::to_string(ls.capacity));
      } else if (e.op == Op::kListGet) {
        const std::string i = Print(e.args.at(1), s);
        ok = Bin(Bin(i, ">=", "0"), "&&", Bin(i, "<", len));
      } else {
        ok = Bin(len, ">", "0");
      }
      std::optional<std::string> out;
      for (size_t k = 0; k < e.args.size(); ++k) out = AndDefined(out, d(k));
      return AndDefined(out, ok);
    }
    default: {
      std::optional<std::string> out;
      for (size_t k = 0; k < e.args.size(); ++k) out = AndDefined(out, d(k));
      return out;
    }
  }
}

void ExprWriter::CheckListWidth(TypeId t) const {
  const detail::ListShape ls = detail::ListShapeOf(m_, t);
  if (ls.total_bits() <= 30) return;
  throw Unsupported(m_.types.at(static_cast<size_t>(t)).name + " takes " + std::to_string(ls.total_bits()) +
                    " bits: not expressible in Promela, whose int holds 30 (lower the capacity or narrow the "
                    "element type)");
}

Interval ExprWriter::Bounds(const Expr& e) const {
  auto b = [&](size_t k) { return k < e.args.size() ? Bounds(e.args[k]) : Interval{}; };
  const uint64_t mask = detail::OperatorMask(ranges_, e);
  auto typed = [&](TypeId t) {
    const detail::ValueRange& r = Range(t);
    return Interval{r.lo, r.hi};
  };
  Interval out;
  switch (e.op) {
    case Op::kConst:
      out = Interval{e.value, e.value};
      break;
    case Op::kVar:
    case Op::kInstVar:
    case Op::kMsgField:
    case Op::kCallArg:
      out = typed(e.type);
      break;
    case Op::kState:
    case Op::kInstState:
      out = Interval{0, 255};
      break;
    case Op::kPortLen:
      out = Interval{0, 64 * static_cast<int64_t>(sys_.queues.size())};
      break;
    case Op::kPortFull:
    case Op::kTimerArmed:
    case Op::kNot:
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
    case Op::kAnd: case Op::kOr: case Op::kImplies:
    case Op::kSetHas:
    case Op::kMapHas:
      for (size_t k = 0; k < e.args.size(); ++k) b(k);  // check the operands
      out = Bool();
      break;
    case Op::kNeg: {
      const Interval a = b(0);
      out = Interval{Clamp(-static_cast<__int128>(a.hi)), Clamp(-static_cast<__int128>(a.lo))};
      break;
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul: {
      const Interval a = b(0), c = b(1);
      __int128 v[4];
      if (e.op == Op::kAdd) {
        v[0] = static_cast<__int128>(a.lo) + c.lo, v[1] = static_cast<__int128>(a.hi) + c.hi;
        v[2] = v[0], v[3] = v[1];
      } else if (e.op == Op::kSub) {
        v[0] = static_cast<__int128>(a.lo) - c.hi, v[1] = static_cast<__int128>(a.hi) - c.lo;
        v[2] = v[0], v[3] = v[1];
      } else {
        v[0] = static_cast<__int128>(a.lo) * c.lo, v[1] = static_cast<__int128>(a.lo) * c.hi;
        v[2] = static_cast<__int128>(a.hi) * c.lo, v[3] = static_cast<__int128>(a.hi) * c.hi;
      }
      out = Interval{Clamp(*std::min_element(v, v + 4)), Clamp(*std::max_element(v, v + 4))};
      break;
    }
    case Op::kDiv:
    case Op::kMod: {
      const Interval a = b(0), c = b(1);
      // Twice the divisor: the intermediate (a % b) + |b| of the exported modulus.
      const int64_t m = std::max({std::abs(a.lo), std::abs(a.hi), 2 * std::abs(c.lo), 2 * std::abs(c.hi)});
      out = Interval{-m, m};
      break;
    }
    case Op::kMin:
    case Op::kMax: {
      const Interval a = b(0), c = b(1);
      // a * (0 or 1) + b * (0 or 1): the products stay within the operands' bounds.
      out = Interval{std::min(a.lo, c.lo), std::max(a.hi, c.hi)};
      break;
    }
    case Op::kSetLit:
      for (size_t k = 0; k < e.args.size(); ++k) b(k);
      out = Interval{0, (int64_t{1} << 30) - 1};
      break;
    case Op::kSetUnion:
    case Op::kSetInter:
    case Op::kSetDiff: {
      // Bit masks of one set type: within the type's range (a result bit is an operand's).
      b(0);
      b(1);
      out = typed(e.type);
      break;
    }
    case Op::kMapGet:
      b(0);
      out = typed(e.type);
      if (out.lo > 0) out.lo = 0;  // an absent key reads as 0 (and is a checking error)
      break;
    case Op::kListLit:
    case Op::kListCat:
    case Op::kListTail:
    case Op::kListGet:
    case Op::kListHead:
    case Op::kListLen: {
      for (size_t k = 0; k < e.args.size(); ++k) b(k);
      const TypeId list = e.op == Op::kListLit ? e.type : e.args.empty() ? -1 : e.args[0].type;
      const detail::ListShape ls = detail::ListShapeOf(m_, list);
      CheckListWidth(list);
      out = e.op == Op::kListLen ? Interval{0, ls.capacity} : typed(e.type);
      // An element is read as (bits & mask) + lo: within the element type's range.
      if (e.op == Op::kListGet || e.op == Op::kListHead) out = Interval{ls.range.lo, ls.range.lo + ls.elem_mask()};
      break;
    }
  }
  if (std::max(std::abs(out.lo), std::abs(out.hi)) > kMaxMagnitude) {
    throw Unsupported("an expression may exceed Promela's 32-bit int (values up to 2^30 are exported; lower "
                      "--seq-bits or the int ranges)");
  }
  if (mask) out = Interval{0, static_cast<int64_t>(mask)};
  return out;
}

}  // namespace sp::ir::promela
