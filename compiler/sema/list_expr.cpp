// Lists (`list<T, N>`): literals `[a, b]`, concatenation `l + [x]`, indexing `l[i]`,
// `len`, `empty`, `full`, `nfull`, `head`, `tail` (docs/language.md, "Lists"). A list value
// is one integer (ir/value_range.hpp, ListShape); constant operands are folded here with
// the engines' own functions.
#include "compiler/ir/value_range.hpp"
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

bool Lowerer::is_list(ir::TypeId t) const { return t >= 0 && m_.types[t].kind == ir::TypeKind::kList; }

std::optional<ir::Expr> Lowerer::list_literal(const ast::Expr& e, const Scope& scope, ir::TypeId hint) {
  if (!is_list(hint)) {
    diags_.error(e.loc, "cannot tell which list type '[...]' is here (write it where a list variable or field "
                        "gives its type)");
    return std::nullopt;
  }
  const ir::Type& lt = m_.types[hint];
  if (static_cast<int64_t>(e.args.size()) > lt.capacity) {
    diags_.error(e.loc, "this list has " + std::to_string(e.args.size()) + " elements, but " + lt.name +
                            " holds at most " + std::to_string(lt.capacity));
    return std::nullopt;
  }
  ir::Expr lit;
  lit.op = ir::Op::kListLit;
  lit.type = hint;
  bool all_const = true;
  for (const ast::Expr& a : e.args) {
    std::optional<ir::Expr> x = expr(a, scope, lt.value);
    if (x) x = coerce(std::move(*x), lt.value, a.loc, "list element");
    if (!x) return std::nullopt;
    all_const = all_const && x->op == ir::Op::kConst;
    lit.args.push_back(std::move(*x));
  }
  if (!all_const) return lit;
  const ir::detail::ListShape s = ir::detail::ListShapeOf(m_, hint);
  int64_t v = 0;
  for (const ir::Expr& x : lit.args) v = ir::detail::ListPush(s, v, x.value);
  return constant(hint, v);
}

std::optional<ir::Expr> Lowerer::list_concat(const ast::Expr& e, ir::Expr a, ir::Expr b) {
  ir::Expr r;
  r.op = ir::Op::kListCat;
  r.type = a.type;
  if (a.op == ir::Op::kConst && b.op == ir::Op::kConst) {
    const ir::detail::ListShape s = ir::detail::ListShapeOf(m_, a.type);
    const int64_t n = ir::detail::ListLen(s, a.value) + ir::detail::ListLen(s, b.value);
    if (n > s.capacity) {
      diags_.error(e.op_loc, "this list has " + std::to_string(n) + " elements, but " + type_name(a.type) +
                                 " holds at most " + std::to_string(s.capacity));
      return std::nullopt;
    }
    return constant(a.type, ir::detail::ListCat(s, a.value, b.value));
  }
  r.args = {std::move(a), std::move(b)};
  return r;
}

std::optional<ir::Expr> Lowerer::list_index(const ast::Expr& e, ir::Expr list, const Scope& scope) {
  std::optional<ir::Expr> i = expr(e.args[1], scope, int_);
  if (!i) return std::nullopt;
  if (!is_int(i->type)) {
    diags_.error(e.args[1].loc, "a list index is an integer (0 is the first element), not " + type_name(i->type));
    return std::nullopt;
  }
  const ir::Type& lt = m_.types[list.type];
  if (i->op == ir::Op::kConst && (i->value < 0 || i->value >= lt.capacity)) {
    diags_.error(e.args[1].loc, "list index " + std::to_string(i->value) + " is out of range: " + lt.name +
                                    " has indices 0.." + std::to_string(lt.capacity - 1));
    return std::nullopt;
  }
  ir::Expr x;
  x.op = ir::Op::kListGet;
  x.type = lt.value;
  x.args = {std::move(list), std::move(*i)};
  return x;
}

// len, empty, full, nfull (as for a channel: full means at capacity), head, tail.
std::optional<ir::Expr> Lowerer::list_fn(const ast::Expr& e, const std::string& fn, ir::Expr list) {
  if (!is_list(list.type)) {
    diags_.error(e.args.empty() ? e.loc : e.args[0].loc,
                 "'" + fn + "' takes " + (fn == "head" || fn == "tail" ? "a list" : "a port or a list") + ", not " +
                     type_name(list.type));
    return std::nullopt;
  }
  const ir::Type& lt = m_.types[list.type];
  ir::Expr x;
  x.args.push_back(std::move(list));
  if (fn == "head" || fn == "tail") {
    x.op = fn == "head" ? ir::Op::kListHead : ir::Op::kListTail;
    x.type = fn == "head" ? lt.value : x.args[0].type;
    return x;
  }
  x.op = ir::Op::kListLen;
  x.type = int_;
  if (fn == "len") return x;
  ir::Expr c;
  c.op = fn == "empty" ? ir::Op::kEq : fn == "full" ? ir::Op::kGe : ir::Op::kLt;
  c.type = bool_;
  c.args = {std::move(x), constant(int_, fn == "empty" ? 0 : lt.capacity)};
  return c;
}

}  // namespace sp::sema
