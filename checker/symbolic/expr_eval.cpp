#include "checker/symbolic/expr_eval.hpp"

#include "compiler/ir/system.hpp"

#include <bit>

// OperatorMask: which operators wrap / compare serially, shared with the interpreter so
// that both engines give every operator the same width.
#include "compiler/ir/program.hpp"

namespace sp::checker::symbolic {

using ir::Op;

ExprEval::ExprEval(const ir::Model& m, const ir::System& sys, const ir::Layout& l, z3::context& ctx)
    : m_(&m), sys_(&sys), l_(&l), ctx_(&ctx) {
  for (size_t t = 0; t < m.types.size(); ++t) ranges_.push_back(ir::detail::RangeOf(m, static_cast<ir::TypeId>(t)));
}

int ExprEval::var_slot(int inst, int v) const {
  if (inst < 0 || inst >= static_cast<int>(l_->instances.size())) return -1;
  const auto& vars = l_->instances[static_cast<size_t>(inst)].vars;
  if (v < 0 || v >= static_cast<int>(vars.size())) return -1;
  return vars[static_cast<size_t>(v)];
}

int ExprEval::map_capacity(int inst, int var) const {
  const ir::Role& role = m_->roles[static_cast<size_t>(sys_->instances[static_cast<size_t>(inst)].role)];
  const ir::TypeId t = role.vars[static_cast<size_t>(var)].type;
  if (t < 0 || t >= static_cast<int>(m_->types.size())) return 0;
  const int cap = m_->types[static_cast<size_t>(t)].capacity;
  return cap < 0 ? 0 : cap;
}

z3::expr ExprEval::map_found(const std::vector<z3::expr>& s, int slot, int cap, int j, const z3::expr& key) const {
  (void)cap;
  return z3::sgt(s[static_cast<size_t>(slot)], bv(j)) && s[static_cast<size_t>(slot + 1 + 2 * j)] == key;
}

z3::expr ExprEval::SetHas(const z3::expr& item, const z3::expr& set) const {
  // SetHas in the interpreter: items outside 0..63 are in no set.
  const z3::expr in_range = z3::sge(item, bv(0)) && z3::slt(item, bv(64));
  return z3::ite(in_range, z3::lshr(set, item) & bv(1), bv(0));
}

z3::expr ExprEval::fit(ir::TypeId type, const z3::expr& v, const z3::expr& pc, z3::expr* err) const {
  if (type < 0 || type >= static_cast<int>(ranges_.size())) return v;
  const ir::detail::ValueRange& r = ranges_[static_cast<size_t>(type)];
  if (r.seq_mask) return v & ctx_->bv_val(r.seq_mask, 64);
  if (r.checked) *err = *err || (pc && (z3::slt(v, bv(r.lo)) || z3::sgt(v, bv(r.hi))));
  return v;
}

z3::expr ExprEval::Apply(Op op, const z3::expr& a, const z3::expr& b, uint64_t mask, const z3::expr& pc,
                         z3::expr* err) const {
  if (op == Op::kDiv || op == Op::kMod) {
    *err = *err || (pc && b == bv(0));
    // bvsdiv truncates like C++; x / -1 wraps as the interpreter's 0 - x. `%` is the
    // interpreter's EuclidMod: the truncated remainder moved into [0, |b|).
    if (op == Op::kDiv) return a / b;
    const z3::expr r = z3::srem(a, b);
    return z3::ite(z3::slt(r, bv(0)), z3::ite(z3::slt(b, bv(0)), r - b, r + b), r);
  }
  if (op == Op::kMin) return z3::ite(z3::slt(b, a), b, a);
  if (op == Op::kMax) return z3::ite(z3::slt(a, b), b, a);
  if (mask != 0) {
    const unsigned w = static_cast<unsigned>(std::popcount(mask));
    const z3::expr x = a.extract(w - 1, 0), y = b.extract(w - 1, 0);
    auto widen = [&](const z3::expr& r) { return w == 64 ? r : z3::zext(r, 64 - w); };
    // RFC 1982 §3.2: x < y iff x != y and (y - x) mod 2^w < 2^(w-1).
    auto less = [&](const z3::expr& p, const z3::expr& q) {
      return p != q && z3::ult(q - p, ctx_->bv_val(uint64_t{1} << (w - 1), w));
    };
    switch (op) {
      case Op::kAdd: return widen(x + y);
      case Op::kSub: return widen(x - y);
      case Op::kMul: return widen(x * y);
      case Op::kEq: return from_bool(x == y);
      case Op::kNe: return from_bool(x != y);
      case Op::kLt: return from_bool(less(x, y));
      case Op::kLe: return from_bool(x == y || less(x, y));
      case Op::kGt: return from_bool(less(y, x));
      case Op::kGe: return from_bool(x == y || less(y, x));
      default: break;
    }
  }
  switch (op) {
    case Op::kAdd: return a + b;
    case Op::kSub: return a - b;
    case Op::kMul: return a * b;
    case Op::kEq: return from_bool(a == b);
    case Op::kNe: return from_bool(a != b);
    case Op::kLt: return from_bool(z3::slt(a, b));
    case Op::kLe: return from_bool(z3::sle(a, b));
    case Op::kGt: return from_bool(z3::sgt(a, b));
    case Op::kGe: return from_bool(z3::sge(a, b));
    default: break;
  }
  *err = *err || pc;  // the interpreter's "unknown expression"
  return bv(0);
}

// kListLit .. kListTail: the interpreter's ApplyList on the one-integer encoding.
z3::expr ExprEval::list(const ir::Expr& e, const EvalEnv& env, const z3::expr& pc, z3::expr* err) const {
  auto arg = [&](size_t k, const z3::expr& at) { return k < e.args.size() ? eval(e.args[k], env, at, err) : bv(0); };
  if (e.op == Op::kListLit) {
    // ListShape (value_range.hpp): the length, then each element above it.
    const ir::detail::ListShape ls = ir::detail::ListShapeOf(*m_, e.type);
    z3::expr v = bv(static_cast<int64_t>(e.args.size()));
    for (size_t k = 0; k < e.args.size(); ++k) {
      const z3::expr x = fit(ls.elem, arg(k, pc), pc, err);
      const z3::expr stored = (x - bv(ls.range.lo)) & bv(ls.elem_mask());
      v = v | z3::shl(stored, bv(ls.len_bits + static_cast<int>(k) * ls.elem_bits));
    }
    return v;
  }
  const ir::detail::ListShape ls = ir::detail::ListShapeOf(*m_, e.args.empty() ? -1 : e.args[0].type);
  const z3::expr l = arg(0, pc);
  const z3::expr len = l & bv(ls.len_mask());
  const z3::expr bits = bv(ls.len_bits), eb = bv(ls.elem_bits);
  auto elem_at = [&](const z3::expr& shift) { return (z3::lshr(l, shift) & bv(ls.elem_mask())) + bv(ls.range.lo); };
  switch (e.op) {
    case Op::kListLen:
      return len;
    case Op::kListGet: {
      const z3::expr i = arg(1, pc);
      *err = *err || (pc && (z3::slt(i, bv(0)) || z3::sge(i, len)));
      return elem_at(bits + i * eb);
    }
    case Op::kListHead:
      *err = *err || (pc && len == bv(0));
      return elem_at(bits);
    case Op::kListTail:
      *err = *err || (pc && len == bv(0));
      return z3::shl(z3::lshr(l, bits + eb), bits) | (len - bv(1));
    default: {  // kListCat
      const z3::expr b = arg(1, pc);
      const z3::expr lb = b & bv(ls.len_mask());
      *err = *err || (pc && z3::sgt(len + lb, bv(ls.capacity)));
      return (l & ~bv(ls.len_mask())) | z3::shl(z3::lshr(b, bits), bits + len * eb) | (len + lb);
    }
  }
}

z3::expr ExprEval::eval(const ir::Expr& e, const EvalEnv& env, const z3::expr& pc, z3::expr* err) const {
  const std::vector<z3::expr>& s = *env.state;
  auto fail = [&]() {
    *err = *err || pc;
    return bv(0);
  };
  auto arg = [&](size_t k, const z3::expr& at) { return k < e.args.size() ? eval(e.args[k], env, at, err) : bv(0); };
  if (ir::detail::IsListOp(e.op)) return list(e, env, pc, err);
  switch (e.op) {
    case Op::kConst:
      return bv(e.value);
    case Op::kVar:
    case Op::kInstVar: {
      const int inst = e.op == Op::kVar ? env.acting : e.instance;
      if (e.op == Op::kInstVar && e.instance < 0) return fail();
      const int slot = var_slot(inst, e.index);
      return slot < 0 ? fail() : s[static_cast<size_t>(slot)];
    }
    case Op::kState:
    case Op::kInstState: {
      const int inst = e.op == Op::kState ? env.acting : e.instance;
      if (inst < 0 || inst >= static_cast<int>(l_->instances.size())) return fail();
      return s[static_cast<size_t>(l_->instances[static_cast<size_t>(inst)].state)];
    }
    case Op::kTimerArmed: {
      const int inst = e.instance >= 0 ? e.instance : env.acting;
      if (inst < 0 || inst >= static_cast<int>(l_->instances.size())) return fail();
      const auto& timers = l_->instances[static_cast<size_t>(inst)].timers;
      if (e.index < 0 || e.index >= static_cast<int>(timers.size())) return fail();
      return s[static_cast<size_t>(timers[static_cast<size_t>(e.index)])];
    }
    case Op::kMsgField:
      if (env.msg == nullptr || e.index < 0 || e.index >= static_cast<int>(env.msg->size())) return fail();
      return (*env.msg)[static_cast<size_t>(e.index)];
    case Op::kCallArg:
      if (env.args == nullptr || e.index < 0 || e.index >= static_cast<int>(env.args->size())) return fail();
      return (*env.args)[static_cast<size_t>(e.index)];
    case Op::kNot:
      return from_bool(arg(0, pc) == bv(0));
    case Op::kNeg: {
      const uint64_t mask = ir::detail::OperatorMask(ranges_, e);
      const z3::expr v = bv(0) - arg(0, pc);
      return mask ? (v & ctx_->bv_val(mask, 64)) : v;
    }
    case Op::kAnd: {
      const z3::expr a = truth(arg(0, pc));
      return from_bool(a && truth(arg(1, pc && a)));
    }
    case Op::kOr: {
      const z3::expr a = truth(arg(0, pc));
      return from_bool(a || truth(arg(1, pc && !a)));
    }
    case Op::kImplies: {
      const z3::expr a = truth(arg(0, pc));
      return from_bool(!a || truth(arg(1, pc && a)));
    }
    case Op::kSetHas: {
      const z3::expr item = arg(0, pc);
      return SetHas(item, arg(1, pc));
    }
    case Op::kSetLit: {
      z3::expr bits = bv(0);
      for (size_t k = 0; k < e.args.size(); ++k) {
        const z3::expr item = arg(k, pc);
        const z3::expr in_range = z3::sge(item, bv(0)) && z3::slt(item, bv(64));
        bits = bits | z3::ite(in_range, z3::shl(bv(1), item), bv(0));
      }
      return bits;
    }
    case Op::kMapHas:
    case Op::kMapGet: {
      const z3::expr key = arg(0, pc);
      const int inst = e.instance >= 0 ? e.instance : env.acting;
      const int slot = var_slot(inst, e.index);
      if (slot < 0) return fail();
      const int cap = map_capacity(inst, e.index);
      z3::expr found = ctx_->bool_val(false);
      z3::expr value = bv(0);
      for (int j = cap - 1; j >= 0; --j) {
        const z3::expr at = map_found(s, slot, cap, j, key);
        found = found || at;
        value = z3::ite(at, s[static_cast<size_t>(slot + 2 + 2 * j)], value);
      }
      if (e.op == Op::kMapHas) return from_bool(found);
      *err = *err || (pc && !found);
      return value;
    }
    case Op::kSetUnion:
      return arg(0, pc) | arg(1, pc);
    case Op::kSetInter:
      return arg(0, pc) & arg(1, pc);
    case Op::kSetDiff: {
      const z3::expr a = arg(0, pc);
      return a & ~arg(1, pc);
    }
    case Op::kPortLen:
    case Op::kPortFull: {
      const int inst = e.instance >= 0 ? e.instance : env.acting;
      if (inst < 0 || inst >= static_cast<int>(l_->instances.size())) return fail();
      const std::vector<int32_t> qs = ir::port_queues(*sys_, *l_, inst, e.index, e.op == Op::kPortLen);
      z3::expr sum = bv(0);
      z3::expr full = ctx_->bool_val(false);
      for (size_t k = 0; k + 1 < qs.size(); k += 2) {
        const z3::expr& len = s[static_cast<size_t>(qs[k])];
        sum = sum + len;
        full = full || z3::sge(len, bv(qs[k + 1]));
      }
      return e.op == Op::kPortLen ? sum : from_bool(full);
    }
    default:
      break;
  }
  const z3::expr a = arg(0, pc);
  const z3::expr b = arg(1, pc);
  return Apply(e.op, a, b, ir::detail::OperatorMask(ranges_, e), pc, err);
}

}  // namespace sp::checker::symbolic
