// Sequence numbers modulo any M (`seq mod M`; docs/language.md, "Sequence numbers modulo
// M"). The IR type is the int range 0..M-1; this file lowers the sequence-number
// operators on it to the integer operators every engine has (`%` is the mathematical
// modulus): `a + k` is (a + k) % M, `a - b` the distance (a - b) % M, and `a < b` the
// serial order 0 < (b - a) % M and 2 * ((b - a) % M) < M (RFC 1982's rule with M for
// 2^bits). So the interpreter, the symbolic engine, the Promela export and the test
// generator need nothing new, and `seq<N>` (a width in bits) is unchanged.
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

ir::TypeId Lowerer::seq_mod_type(int64_t modulus) {
  for (const auto& [t, m] : seq_mods_) {
    if (m == modulus) return t;
  }
  ir::Type t;
  t.kind = ir::TypeKind::kInt;
  t.name = "seq mod " + std::to_string(modulus);
  t.lo = 0;
  t.hi = modulus - 1;
  const ir::TypeId id = add_type(t);
  seq_mods_[id] = modulus;
  return id;
}

int64_t Lowerer::seq_mod(ir::TypeId t) const {
  auto it = seq_mods_.find(t);
  return it == seq_mods_.end() ? 0 : it->second;
}

ir::Expr Lowerer::modulo(ir::Expr x, int64_t modulus, ir::TypeId type) {
  ir::Expr r;
  r.op = ir::Op::kMod;
  r.type = type;
  r.args = {std::move(x), constant(int_, modulus)};
  if (r.args[0].op == ir::Op::kConst) {
    std::optional<ConstValue> v = fold(r, ast::Loc{});
    if (v) return constant(type, v->value);
  }
  return r;
}

// `a op b` where a or b is a `seq mod M` (both lowered; the other may be an int).
std::optional<ir::Expr> Lowerer::seq_mod_binary(const ast::Expr& e, ir::Expr a, ir::Expr b) {
  const std::string& op = e.op;
  const int64_t ma = seq_mod(a.type), mb = seq_mod(b.type);
  const ir::TypeId seq = ma ? a.type : b.type;
  const int64_t m = ma ? ma : mb;
  auto mismatch = [&]() -> std::optional<ir::Expr> {
    diags_.error(e.op_loc, "operator '" + op + "' is not defined on " + type_name(a.type) + " and " +
                               type_name(b.type) + " (sequence numbers add and subtract integers, subtract and "
                                                   "compare each other)");
    return std::nullopt;
  };
  auto binary = [&](ir::Op o, ir::TypeId t, ir::Expr x, ir::Expr y) {
    ir::Expr r;
    r.op = o;
    r.type = t;
    r.args = {std::move(x), std::move(y)};
    return r;
  };
  if ((ma && mb && ma != mb) || (!ma && !is_int(a.type)) || (!mb && !is_int(b.type))) return mismatch();
  const bool both = ma && mb;
  if (op == "+" && !both) return modulo(binary(ir::Op::kAdd, int_, std::move(a), std::move(b)), m, seq);
  if (op == "-" && ma) {
    // seq - int: a sequence number; seq - seq: the distance, an int in 0..M-1.
    return modulo(binary(ir::Op::kSub, int_, std::move(a), std::move(b)), m, both ? int_ : seq);
  }
  if (op == "==" || op == "!=") {
    std::optional<ir::Expr> x = coerce(std::move(a), seq, e.args[0].loc, "comparison");
    std::optional<ir::Expr> y = x ? coerce(std::move(b), seq, e.args[1].loc, "comparison") : std::nullopt;
    if (!y) return std::nullopt;
    return binary(op == "==" ? ir::Op::kEq : ir::Op::kNe, bool_, std::move(*x), std::move(*y));
  }
  if (op != "<" && op != "<=" && op != ">" && op != ">=") return mismatch();
  std::optional<ir::Expr> x = coerce(std::move(a), seq, e.args[0].loc, "comparison");
  std::optional<ir::Expr> y = x ? coerce(std::move(b), seq, e.args[1].loc, "comparison") : std::nullopt;
  if (!y) return std::nullopt;
  if (op == ">" || op == ">=") std::swap(*x, *y);
  // x < y: the distance from x to y is in (0, M/2).
  const ir::Expr d = modulo(binary(ir::Op::kSub, int_, *y, *x), m, int_);
  ir::Expr less = binary(ir::Op::kAnd, bool_, binary(ir::Op::kGt, bool_, d, constant(int_, 0)),
                         binary(ir::Op::kLt, bool_, binary(ir::Op::kMul, int_, constant(int_, 2), d), constant(int_, m)));
  if (op == "<" || op == ">") return less;
  return binary(ir::Op::kOr, bool_, binary(ir::Op::kEq, bool_, std::move(*x), std::move(*y)), std::move(less));
}

}  // namespace sp::sema
