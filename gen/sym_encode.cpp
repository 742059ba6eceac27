// IR expressions to Z3 terms (sorts and semantics: gen/sym.hpp).
#include <stdexcept>
#include <unordered_set>

#include "gen/expr_text.hpp"
#include "gen/sym.hpp"

namespace sp::gen {

namespace {

// Lists stay in the spec's model of the peer: a generated test's state is what one
// implementation holds, in wire-sized values (docs/language.md, "Lists").
constexpr const char* kListsUnsupported =
    "lists are not supported by the test generator: the role under test may not hold or read a list<T, N> "
    "(check the spec with `stateproof check`)";

bool IsComparison(ir::Op op) {
  return op == ir::Op::kEq || op == ir::Op::kNe || op == ir::Op::kLt || op == ir::Op::kLe ||
         op == ir::Op::kGt || op == ir::Op::kGe;
}

}  // namespace

Encoder::Encoder(const ir::Model& model, int role, z3::context& ctx)
    : model_(&model),
      role_(role),
      ctx_(&ctx),
      tester_isn_(ctx.bv_const("tester_isn", 32)),
      iut_isn_(ctx.bv_const("iut_isn", 32)) {
  const ir::Role& r = this->role();
  for (size_t v = 0; v < r.vars.size(); ++v) {
    if (!r.vars[v].assigned && is_seq(r.vars[v].type) && iut_isn_var_ < 0) {
      iut_isn_var_ = static_cast<int>(v);
    }
  }
}

ir::TypeKind Encoder::kind(ir::TypeId type) const {
  if (type < 0 || type >= static_cast<int>(model_->types.size())) return ir::TypeKind::kInt;
  return model_->types[static_cast<size_t>(type)].kind;
}

bool Encoder::is_seq(ir::TypeId type) const { return kind(type) == ir::TypeKind::kSeq; }

z3::sort Encoder::sort_of(ir::TypeId type) const {
  switch (kind(type)) {
    case ir::TypeKind::kBool:
      return ctx_->bool_sort();
    case ir::TypeKind::kSeq: {
      int w = model_->types[static_cast<size_t>(type)].seq_wire_bits;
      return ctx_->bv_sort(static_cast<unsigned>(w > 0 ? w : 32));
    }
    case ir::TypeKind::kIp4:
      return ctx_->bv_sort(32);
    case ir::TypeKind::kMac:
      return ctx_->bv_sort(48);
    case ir::TypeKind::kList:
      throw std::runtime_error(kListsUnsupported);
    default:
      return ctx_->bv_sort(64);
  }
}

z3::expr Encoder::constant(ir::TypeId type, int64_t value) const {
  const ir::TypeKind k = kind(type);
  z3::sort s = sort_of(type);
  if (k == ir::TypeKind::kBool) return ctx_->bool_val(value != 0);
  if (k == ir::TypeKind::kIp4 || k == ir::TypeKind::kMac) {
    const ir::AddrDomain& d = k == ir::TypeKind::kIp4 ? model_->ip4s : model_->macs;
    uint64_t a = value >= 0 && value < static_cast<int64_t>(d.values.size())
                     ? d.values[static_cast<size_t>(value)]
                     : static_cast<uint64_t>(value);
    return ctx_->bv_val(static_cast<uint64_t>(a), s.bv_size());
  }
  return ctx_->bv_val(static_cast<uint64_t>(value), s.bv_size());
}

int64_t Encoder::to_ir(ir::TypeId type, uint64_t value) const {
  const ir::TypeKind k = kind(type);
  if (k == ir::TypeKind::kIp4 || k == ir::TypeKind::kMac) {
    const ir::AddrDomain& d = k == ir::TypeKind::kIp4 ? model_->ip4s : model_->macs;
    for (size_t i = 0; i < d.values.size(); ++i) {
      if (static_cast<int>(i) != d.other && d.values[i] == value) return static_cast<int64_t>(i);
    }
    return d.other;
  }
  if (k == ir::TypeKind::kInt) {
    return static_cast<int64_t>(value);  // two's complement already
  }
  return static_cast<int64_t>(value);
}

z3::expr Encoder::fresh(const std::string& name, ir::TypeId type) const {
  return ctx_->constant(name.c_str(), sort_of(type));
}

z3::expr Encoder::domain(const z3::expr& v, ir::TypeId type) const {
  const ir::Type* t = type >= 0 && type < static_cast<int>(model_->types.size())
                          ? &model_->types[static_cast<size_t>(type)]
                          : nullptr;
  if (!t) return ctx_->bool_val(true);
  switch (t->kind) {
    case ir::TypeKind::kInt:
      return z3::sge(v, ctx_->bv_val(static_cast<uint64_t>(t->lo), 64)) &&
             z3::sle(v, ctx_->bv_val(static_cast<uint64_t>(t->hi), 64));
    case ir::TypeKind::kEnum: {
      uint64_t n = t->items.empty() ? static_cast<uint64_t>(t->hi + 1) : t->items.size();
      return z3::ult(v, ctx_->bv_val(n, 64));
    }
    case ir::TypeKind::kSet: {
      size_t n = 1;
      if (t->enum_type >= 0) {
        const ir::Type& e = model_->types[static_cast<size_t>(t->enum_type)];
        n = e.kind == ir::TypeKind::kInt ? static_cast<size_t>(e.hi + 1) : e.items.size();  // set<int[0..N]>
      }
      return z3::ult(v, ctx_->bv_val(uint64_t{1} << n, 64));
    }
    case ir::TypeKind::kIp4:
    case ir::TypeKind::kMac: {
      const bool ip = t->kind == ir::TypeKind::kIp4;
      const unsigned w = ip ? 32 : 48;
      std::vector<uint64_t> allowed;
      if (ip) {
        allowed = {Addresses::kIutIp, Addresses::kTesterIp, Addresses::kOtherIp, 0};
      } else {
        allowed = {Addresses::kIutMac, Addresses::kTesterMac, Addresses::kOtherMac, 0,
                   Addresses::kBroadcastMac};
      }
      const ir::AddrDomain& d = ip ? model_->ip4s : model_->macs;
      for (size_t i = 0; i < d.values.size(); ++i) {
        if (static_cast<int>(i) != d.other) allowed.push_back(d.values[i]);
      }
      z3::expr any = ctx_->bool_val(false);
      for (uint64_t a : allowed) any = any || v == ctx_->bv_val(a, w);
      return any;
    }
    default:
      return ctx_->bool_val(true);
  }
}

z3::expr Encoder::coerce(const z3::expr& e, const z3::sort& s) const {
  if (z3::eq(e.get_sort(), s)) return e;
  if (s.is_bool()) return e != ctx_->bv_val(0, e.get_sort().bv_size());
  if (e.is_bool()) return z3::ite(e, ctx_->bv_val(1, s.bv_size()), ctx_->bv_val(0, s.bv_size()));
  const unsigned from = e.get_sort().bv_size(), to = s.bv_size();
  if (from < to) return z3::zext(e, to - from);
  return e.extract(to - 1, 0);
}

z3::expr Encoder::truth(const z3::expr& e) const { return coerce(e, ctx_->bool_sort()); }

SymState Encoder::initial_state() const {
  const ir::Role& r = role();
  SymState s;
  s.control = r.initial;
  bool ip_done = false, mac_done = false;
  for (size_t v = 0; v < r.vars.size(); ++v) {
    const ir::Var& var = r.vars[v];
    const ir::TypeKind k = kind(var.type);
    s.maps.emplace_back();
    if (k == ir::TypeKind::kMap) {
      s.vars.push_back(ctx_->bool_val(false));
      continue;
    }
    if (var.assigned) {
      s.vars.push_back(constant(var.type, var.init));
    } else if (static_cast<int>(v) == iut_isn_var_) {
      s.vars.push_back(iut_isn_);
    } else if (k == ir::TypeKind::kIp4 && !ip_done) {
      ip_done = true;
      s.vars.push_back(ctx_->bv_val(Addresses::kIutIp, 32));
    } else if (k == ir::TypeKind::kMac && !mac_done) {
      mac_done = true;
      s.vars.push_back(ctx_->bv_val(Addresses::kIutMac, 48));
    } else if (!var.has_init && (k == ir::TypeKind::kIp4 || k == ir::TypeKind::kMac)) {
      // An address the spec leaves to the implementation (ARP's `request_tha`: RFC 826
      // "does not set ar$tha to anything in particular"): free, so a field sent from it
      // is expected as `*`. Every bit pattern is an address: no domain constraint needed.
      s.vars.push_back(fresh("iut_" + var.name, var.type));
    } else {
      s.vars.push_back(constant(var.type, var.init));  // configuration: its declared value
    }
  }
  s.timers.resize(r.timers.size());
  return s;
}

z3::expr Encoder::map_has(const std::vector<SymMapEntry>& m, const z3::expr& key) const {
  z3::expr any = ctx_->bool_val(false);
  for (const SymMapEntry& e : m) any = any || (e.present && e.key == key);
  return any;
}

z3::expr Encoder::map_get(const std::vector<SymMapEntry>& m, const z3::expr& key) const {
  if (m.empty()) throw std::runtime_error("map read on an empty map");
  z3::expr v = m.back().value;
  for (size_t i = m.size(); i-- > 0;) v = z3::ite(m[i].present && m[i].key == key, m[i].value, v);
  return v;
}

z3::expr Encoder::eval(const ir::Expr& e, Env& env) const {
  using ir::Op;
  switch (e.op) {
    case Op::kConst:
      return constant(e.type, e.value);
    case Op::kVar:
      return env.state->vars.at(static_cast<size_t>(e.index));
    case Op::kState:
      return ctx_->bv_val(static_cast<uint64_t>(env.state->control), 64);
    case Op::kMsgField:
      return env.msg->at(static_cast<size_t>(e.index));
    case Op::kCallArg:
      return env.args->at(static_cast<size_t>(e.index));
    case Op::kTimerArmed:
      return ctx_->bool_val(env.state->timers.at(static_cast<size_t>(e.index)).armed);
    case Op::kNot:
      return !truth(eval(e.args[0], env));
    case Op::kNeg: {
      z3::expr a = coerce(eval(e.args[0], env), sort_of(e.type));
      return -a;
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
      return Arith(e, env);
    case Op::kDiv:
    case Op::kMod: {
      z3::expr a = coerce(eval(e.args[0], env), ctx_->bv_sort(64));
      z3::expr b = coerce(eval(e.args[1], env), ctx_->bv_sort(64));
      if (env.side) env.side->push_back(b != ctx_->bv_val(0, 64));
      if (e.op == Op::kDiv) return coerce(z3::expr(a / b), sort_of(e.type));
      // The interpreter's EuclidMod: the truncated remainder moved into [0, |b|).
      const z3::expr zero = ctx_->bv_val(0, 64);
      const z3::expr r = z3::srem(a, b);
      return coerce(z3::ite(z3::slt(r, zero), z3::ite(z3::slt(b, zero), r - b, r + b), r), sort_of(e.type));
    }
    case Op::kMin:
    case Op::kMax: {
      z3::expr a = coerce(eval(e.args[0], env), ctx_->bv_sort(64));
      z3::expr b = coerce(eval(e.args[1], env), ctx_->bv_sort(64));
      const z3::expr less = z3::slt(a, b);
      return coerce(e.op == Op::kMin ? z3::ite(less, a, b) : z3::ite(less, b, a), sort_of(e.type));
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return Compare(e.op, e, env);
    case Op::kAnd:
      return truth(eval(e.args[0], env)) && truth(eval(e.args[1], env));
    case Op::kOr:
      return truth(eval(e.args[0], env)) || truth(eval(e.args[1], env));
    case Op::kImplies:
      return z3::implies(truth(eval(e.args[0], env)), truth(eval(e.args[1], env)));
    case Op::kSetHas: {
      z3::expr item = coerce(eval(e.args[0], env), ctx_->bv_sort(64));
      z3::expr set = coerce(eval(e.args[1], env), ctx_->bv_sort(64));
      return (z3::lshr(set, item) & ctx_->bv_val(1, 64)) == ctx_->bv_val(1, 64);
    }
    case Op::kSetLit: {
      z3::expr bits = ctx_->bv_val(0, 64);
      for (const ir::Expr& a : e.args) {
        bits = bits | z3::shl(ctx_->bv_val(1, 64), coerce(eval(a, env), ctx_->bv_sort(64)));
      }
      return bits;
    }
    case Op::kMapHas:
    case Op::kMapGet: {
      const auto& m = env.state->maps.at(static_cast<size_t>(e.index));
      z3::expr key = eval(e.args[0], env);
      if (e.op == Op::kMapHas) return map_has(m, key);
      if (env.side) env.side->push_back(map_has(m, key));
      if (m.empty()) return fresh("absent", e.type);
      return map_get(m, key);
    }
    case Op::kSetUnion:
    case Op::kSetInter:
    case Op::kSetDiff: {
      z3::expr a = coerce(eval(e.args[0], env), ctx_->bv_sort(64));
      z3::expr b = coerce(eval(e.args[1], env), ctx_->bv_sort(64));
      return e.op == Op::kSetUnion ? (a | b) : e.op == Op::kSetInter ? (a & b) : (a & ~b);
    }
    case Op::kPortLen:
    case Op::kPortFull:
      // Generated tests drive one implementation through its wire; the channels between
      // spec instances are not part of a test's state.
      throw std::runtime_error("len, empty, full and nfull are not supported by the test generator "
                               "(a channel's contents are not part of a generated test)");
    case Op::kListLit:
    case Op::kListCat:
    case Op::kListLen:
    case Op::kListGet:
    case Op::kListHead:
    case Op::kListTail:
      throw std::runtime_error(kListsUnsupported);
    default:
      throw std::runtime_error("expression not supported in a role: op " +
                               std::to_string(static_cast<int>(e.op)));
  }
}

z3::expr Encoder::Arith(const ir::Expr& e, Env& env) const {
  using ir::Op;
  const bool seq = is_seq(e.args[0].type) || is_seq(e.args[1].type) || is_seq(e.type);
  z3::sort work = ctx_->bv_sort(64);
  if (seq) {
    ir::TypeId st = is_seq(e.args[0].type) ? e.args[0].type
                    : is_seq(e.args[1].type) ? e.args[1].type
                                             : e.type;
    work = sort_of(st);
  }
  z3::expr a = coerce(eval(e.args[0], env), work);
  z3::expr b = coerce(eval(e.args[1], env), work);
  z3::expr r = e.op == Op::kAdd ? a + b : e.op == Op::kSub ? a - b : a * b;
  return coerce(r, sort_of(e.type));
}

z3::expr Encoder::Compare(ir::Op op, const ir::Expr& e, Env& env) const {
  using ir::Op;
  z3::expr a = eval(e.args[0], env);
  z3::expr b = eval(e.args[1], env);
  const bool serial = is_seq(e.args[0].type) || is_seq(e.args[1].type);
  z3::expr term = ctx_->bool_val(true);
  if (a.is_bool() || b.is_bool()) {
    a = truth(a);
    b = truth(b);
    term = (op == Op::kNe) ? (a != b) : (a == b);
  } else {
    if (serial) {
      z3::sort s = sort_of(is_seq(e.args[0].type) ? e.args[0].type : e.args[1].type);
      a = coerce(a, s);
      b = coerce(b, s);
    } else if (a.get_sort().bv_size() != b.get_sort().bv_size()) {
      z3::sort s = a.get_sort().bv_size() > b.get_sort().bv_size() ? a.get_sort() : b.get_sort();
      a = coerce(a, s);
      b = coerce(b, s);
    }
    const unsigned w = a.get_sort().bv_size();
    auto slt = [&](const z3::expr& x, const z3::expr& y) {
      if (serial) {
        z3::expr d = y - x;
        return d != ctx_->bv_val(0, w) && z3::ult(d, ctx_->bv_val(uint64_t{1} << (w - 1), w));
      }
      return z3::slt(x, y);
    };
    switch (op) {
      case Op::kEq: term = a == b; break;
      case Op::kNe: term = a != b; break;
      case Op::kLt: term = slt(a, b); break;
      case Op::kLe: term = a == b || slt(a, b); break;
      case Op::kGt: term = slt(b, a); break;
      default: term = a == b || slt(b, a); break;
    }
  }
  if (env.atoms && IsComparison(op) && mentions_seq(*model_, e)) {
    env.atoms->push_back(Atom{op, a, b, term, serial, expr_text(*model_, role(), e, env.transition)});
  }
  return term;
}

bool mentions_seq(const ir::Model& m, const ir::Expr& e) {
  if (e.type >= 0 && e.type < static_cast<int>(m.types.size()) &&
      m.types[static_cast<size_t>(e.type)].kind == ir::TypeKind::kSeq) {
    return true;
  }
  for (const ir::Expr& a : e.args) {
    if (mentions_seq(m, a)) return true;
  }
  return false;
}

namespace {

bool Contains(const z3::expr& term, const z3::expr& c, std::unordered_set<unsigned>& seen) {
  if (z3::eq(term, c)) return true;
  if (!term.is_app() || !seen.insert(term.id()).second) return false;
  for (unsigned i = 0; i < term.num_args(); ++i) {
    if (Contains(term.arg(i), c, seen)) return true;
  }
  return false;
}

}  // namespace

bool contains(const z3::expr& term, const z3::expr& c) {
  std::unordered_set<unsigned> seen;
  return Contains(term, c, seen);
}

}  // namespace sp::gen
