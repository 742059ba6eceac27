// Expressions: name resolution, typing, implicit conversions and constant folding.
#include <algorithm>

#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

constexpr int kMaxNesting = 256;
constexpr int64_t kMaxQuantifierDomain = 4096;

ir::Op binary_op(const std::string& op) {
  if (op == "+") return ir::Op::kAdd;
  if (op == "-") return ir::Op::kSub;
  if (op == "*") return ir::Op::kMul;
  if (op == "/") return ir::Op::kDiv;
  if (op == "%") return ir::Op::kMod;
  if (op == "==") return ir::Op::kEq;
  if (op == "!=") return ir::Op::kNe;
  if (op == "<") return ir::Op::kLt;
  if (op == "<=") return ir::Op::kLe;
  if (op == ">") return ir::Op::kGt;
  if (op == ">=") return ir::Op::kGe;
  if (op == "&&") return ir::Op::kAnd;
  if (op == "||") return ir::Op::kOr;
  return ir::Op::kImplies;
}

// A nesting guard: expressions are recursive, and the parser bounds their depth, but a
// lowering that recursed further (quantifier expansion) must not overflow the stack.
struct Depth {
  explicit Depth(int& n) : n_(n) { ++n_; }
  ~Depth() { --n_; }
  int& n_;
};

}  // namespace

ir::Expr Lowerer::constant(ir::TypeId type, int64_t value) const {
  ir::Expr e;
  e.op = ir::Op::kConst;
  e.type = type;
  e.value = value;
  return e;
}

bool Lowerer::is_seq(ir::TypeId t) const {
  return t >= 0 && m_.types[t].kind == ir::TypeKind::kSeq;
}

bool Lowerer::int_set(ir::TypeId t) const {
  const ir::Type& s = m_.types[t];
  return s.kind == ir::TypeKind::kSet && s.enum_type >= 0 && m_.types[s.enum_type].kind == ir::TypeKind::kInt;
}

bool Lowerer::is_int(ir::TypeId t) const {
  return t >= 0 && m_.types[t].kind == ir::TypeKind::kInt;
}

std::vector<std::string> Lowerer::names_in_scope(const Scope& scope) const {
  std::vector<std::string> names;
  for (const Binding& b : scope.bound) names.push_back(b.name);
  for (const auto& [n, v] : scope.values) names.push_back(n);
  for (const auto& [n, i] : scope.instances) names.push_back(n);
  if (!scope.msg_binder.empty()) names.push_back(scope.msg_binder);
  for (const auto& [n, t] : scope.params) names.push_back(n);
  if (scope.role >= 0) {
    for (const ir::Var& v : m_.roles[scope.role].vars) names.push_back(v.name);
  }
  if (scope.property && scope.system >= 0) {
    for (const ir::Instance& i : m_.systems[scope.system].instances) names.push_back(i.name);
  }
  for (const auto& [n, c] : consts_) names.push_back(n);
  for (const auto& [n, items] : enum_items_) names.push_back(n);
  for (const Func& f : funcs_) {
    if (f.role < 0 || f.role == scope.role) names.push_back(f.decl->name.name);
  }
  return names;
}

std::optional<ir::Expr> Lowerer::bool_expr(const ast::Expr& e, const Scope& scope) {
  std::optional<ir::Expr> x = expr(e, scope, bool_);
  if (!x) return std::nullopt;
  if (m_.types[x->type].kind != ir::TypeKind::kBool) {
    diags_.error(e.loc, "expected a condition (bool), but this is " + type_name(x->type));
    return std::nullopt;
  }
  return x;
}

std::optional<ir::Expr> Lowerer::coerce(ir::Expr e, ir::TypeId to, const ast::Loc& loc,
                                        const std::string& what) {
  if (e.type == to) return e;
  const ir::Type& from_t = m_.types[e.type];
  const ir::Type& to_t = m_.types[to];
  if (seq_mod(e.type) || seq_mod(to)) {
    // An int becomes a `seq mod M` by wrapping; nothing else converts to or from one.
    if (!seq_mod(e.type) && from_t.kind == ir::TypeKind::kInt) return modulo(std::move(e), seq_mod(to), to);
    diags_.error(loc, what + ": expected " + to_t.name + ", found " + from_t.name +
                          (seq_mod(e.type) && to_t.kind == ir::TypeKind::kInt
                               ? " (subtract two sequence numbers for a distance)"
                               : ""));
    return std::nullopt;
  }
  if (from_t.kind == ir::TypeKind::kInt && to_t.kind == ir::TypeKind::kInt) {
    if (e.op == ir::Op::kConst && (e.value < to_t.lo || e.value > to_t.hi)) {
      diags_.error(loc, what + ": " + std::to_string(e.value) + " is out of range " + to_t.name);
      return std::nullopt;
    }
    return e;
  }
  if (from_t.kind == ir::TypeKind::kInt && to_t.kind == ir::TypeKind::kSeq) {
    if (e.op == ir::Op::kConst) {
      uint64_t mask = to_t.seq_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << to_t.seq_bits) - 1;
      return constant(to, static_cast<int64_t>(static_cast<uint64_t>(e.value) & mask));
    }
    ir::Expr wrap;
    wrap.op = ir::Op::kAdd;
    wrap.type = to;
    wrap.args = {constant(to, 0), std::move(e)};
    return wrap;
  }
  if (from_t.kind == to_t.kind) {
    switch (from_t.kind) {
      case ir::TypeKind::kBool:
      case ir::TypeKind::kMac:
      case ir::TypeKind::kIp4:
      case ir::TypeKind::kDuration:
        e.type = to;
        return e;
      case ir::TypeKind::kSeq:
        if (from_t.seq_wire_bits == to_t.seq_wire_bits) return e;
        break;
      case ir::TypeKind::kSet:
        if (from_t.enum_type == to_t.enum_type) return e;
        break;
      default:
        break;
    }
  }
  std::string hint;
  if (from_t.kind == ir::TypeKind::kSeq && to_t.kind == ir::TypeKind::kInt) {
    hint = " (subtract two sequence numbers for a distance)";
  }
  diags_.error(loc, what + ": expected " + to_t.name + ", found " + from_t.name + hint);
  return std::nullopt;
}

std::optional<ConstValue> Lowerer::fold(const ir::Expr& e, const ast::Loc& loc) {
  auto arg = [&](size_t i) { return fold(e.args[i], loc); };
  switch (e.op) {
    case ir::Op::kConst:
      return ConstValue{e.type, e.value};
    case ir::Op::kNot: {
      auto a = arg(0);
      if (!a) return std::nullopt;
      return ConstValue{e.type, a->value ? 0 : 1};
    }
    case ir::Op::kNeg: {
      auto a = arg(0);
      if (!a) return std::nullopt;
      if (a->value == INT64_MIN) {
        diags_.error(loc, "integer overflow in constant expression");
        return std::nullopt;
      }
      return ConstValue{e.type, -a->value};
    }
    case ir::Op::kSetLit: {
      int64_t mask = 0;
      for (size_t i = 0; i < e.args.size(); ++i) {
        auto a = arg(i);
        if (!a) return std::nullopt;
        mask |= int64_t{1} << a->value;
      }
      return ConstValue{e.type, mask};
    }
    default:
      break;
  }
  if (e.args.size() != 2) return std::nullopt;
  auto a = arg(0);
  auto b = arg(1);
  if (!a || !b) return std::nullopt;
  int64_t x = a->value, y = b->value, r = 0;
  const ir::Type& t = m_.types[e.type];
  bool seq = t.kind == ir::TypeKind::kSeq;
  bool seq_operands = is_seq(e.args[0].type) && is_seq(e.args[1].type);
  uint64_t mask = 0;
  int bits = seq ? t.seq_bits : (seq_operands ? m_.types[e.args[0].type].seq_bits : 0);
  if (bits > 0) mask = bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  auto serial_lt = [&](int64_t p, int64_t q) {
    uint64_t d = (static_cast<uint64_t>(q) - static_cast<uint64_t>(p)) & mask;
    return d != 0 && d < (uint64_t{1} << (bits - 1));
  };
  bool overflow = false;
  switch (e.op) {
    case ir::Op::kAdd:
      if (seq) return ConstValue{e.type, static_cast<int64_t>((static_cast<uint64_t>(x) + static_cast<uint64_t>(y)) & mask)};
      overflow = __builtin_add_overflow(x, y, &r);
      break;
    case ir::Op::kSub:
      if (seq || seq_operands) {
        return ConstValue{e.type, static_cast<int64_t>((static_cast<uint64_t>(x) - static_cast<uint64_t>(y)) & mask)};
      }
      overflow = __builtin_sub_overflow(x, y, &r);
      break;
    case ir::Op::kMul:
      overflow = __builtin_mul_overflow(x, y, &r);
      break;
    case ir::Op::kDiv:
    case ir::Op::kMod:
      if (y == 0) {
        diags_.error(loc, "division by zero in constant expression");
        return std::nullopt;
      }
      if (x == INT64_MIN && y == -1) {
        overflow = true;
        break;
      }
      r = e.op == ir::Op::kDiv ? x / y : x % y;
      // The mathematical modulus, in [0, |y|) (docs/language.md "Arithmetic").
      if (e.op == ir::Op::kMod && r < 0) r = y > 0 ? r + y : r - y;
      break;
    case ir::Op::kMin: r = std::min(x, y); break;
    case ir::Op::kMax: r = std::max(x, y); break;
    case ir::Op::kEq: r = x == y; break;
    case ir::Op::kNe: r = x != y; break;
    case ir::Op::kLt: r = seq_operands ? serial_lt(x, y) : x < y; break;
    case ir::Op::kLe: r = seq_operands ? (x == y || serial_lt(x, y)) : x <= y; break;
    case ir::Op::kGt: r = seq_operands ? serial_lt(y, x) : x > y; break;
    case ir::Op::kGe: r = seq_operands ? (x == y || serial_lt(y, x)) : x >= y; break;
    case ir::Op::kAnd: r = x && y; break;
    case ir::Op::kOr: r = x || y; break;
    case ir::Op::kImplies: r = !x || y; break;
    case ir::Op::kSetHas: r = (y >> x) & 1; break;
    default:
      return std::nullopt;
  }
  if (overflow) {
    diags_.error(loc, "integer overflow in constant expression");
    return std::nullopt;
  }
  return ConstValue{e.type, r};
}

std::optional<ConstValue> Lowerer::const_value(const ast::Expr& e, ir::TypeId hint) {
  Scope none;
  int before = diags_.error_count();
  std::optional<ir::Expr> x = expr(e, none, hint);
  if (!x) return std::nullopt;
  std::optional<ConstValue> v = fold(*x, e.loc);
  if (!v && diags_.error_count() == before) {
    diags_.error(e.loc, "expected a constant expression");
  }
  return v;
}

std::optional<int64_t> Lowerer::const_int(const ast::Expr& e, const std::string& what) {
  std::optional<ConstValue> v = const_value(e);
  if (!v) return std::nullopt;
  if (!is_int(v->type)) {
    diags_.error(e.loc, what + " must be an integer, not " + type_name(v->type));
    return std::nullopt;
  }
  return v->value;
}

std::optional<ir::Expr> Lowerer::expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint) {
  Depth depth(nesting_);
  if (nesting_ > kMaxNesting) {
    diags_.error(e.loc, "expression nested too deeply");
    return std::nullopt;
  }
  switch (e.kind) {
    case ast::ExprKind::kInt:
      return constant(int_, e.int_value);
    case ast::ExprKind::kBool:
      return constant(bool_, e.int_value ? 1 : 0);
    case ast::ExprKind::kDuration:
      return constant(duration_, e.int_value);
    case ast::ExprKind::kMac:
      return constant(mac_, address_index(ir::TypeKind::kMac, static_cast<uint64_t>(e.int_value)));
    case ast::ExprKind::kIp4:
      return constant(ip4_, address_index(ir::TypeKind::kIp4, static_cast<uint64_t>(e.int_value)));
    case ast::ExprKind::kName:
      return name_expr(e, scope, hint);
    case ast::ExprKind::kField:
      return field_expr(e, scope);
    case ast::ExprKind::kIndex:
      return index_expr(e, scope);
    case ast::ExprKind::kSet:
      return set_literal(e, scope, hint);
    case ast::ExprKind::kList:
      return list_literal(e, scope, hint);
    case ast::ExprKind::kLet:
      return let_expr(e, scope, hint);
    case ast::ExprKind::kForall:
    case ast::ExprKind::kExists:
      return quantifier(e, scope);
    case ast::ExprKind::kCall:
      return call_expr(e, scope, hint);
    case ast::ExprKind::kChannelFn:
      return channel_fn(e, scope);
    case ast::ExprKind::kUnary: {
      if (e.args.size() != 1) return std::nullopt;
      if (e.op == "-") {
        std::optional<ir::Expr> a = expr(e.args[0], scope, hint);
        if (!a) return std::nullopt;
        if (!is_int(a->type) && m_.types[a->type].kind != ir::TypeKind::kDuration) {
          diags_.error(e.loc, "unary '-' needs a number, not " + type_name(a->type));
          return std::nullopt;
        }
        ir::Expr r;
        r.op = ir::Op::kNeg;
        r.type = a->type;
        r.args.push_back(std::move(*a));
        return r;
      }
      if (e.op == "!") {
        std::optional<ir::Expr> a = bool_expr(e.args[0], scope);
        if (!a) return std::nullopt;
        ir::Expr r;
        r.op = ir::Op::kNot;
        r.type = bool_;
        r.args.push_back(std::move(*a));
        return r;
      }
      diags_.error(e.loc, "temporal operator '" + e.op + "' is only allowed at the top of a "
                          "property, outside any state predicate");
      return std::nullopt;
    }
    case ast::ExprKind::kBinary:
      if (e.op == "in") return in_expr(e, scope);
      if (e.op == "until") {
        diags_.error(e.op_loc, "temporal operator 'until' is only allowed in properties");
        return std::nullopt;
      }
      return binary_expr(e, scope, hint);
  }
  return std::nullopt;
}

std::optional<ir::Expr> Lowerer::name_expr(const ast::Expr& e, const Scope& scope,
                                           ir::TypeId hint) {
  const std::string& n = e.name;
  for (const Binding& b : scope.bound) {
    if (b.name == n) return bound_name(e, b);
  }
  for (const auto& [name, v] : scope.values) {
    if (name == n) return constant(v.type, v.value);
  }
  for (const auto& [name, inst] : scope.instances) {
    if (name == n) {
      diags_.error(e.loc, "'" + n + "' is an instance: use " + n + ".VAR or '" + n +
                              " in STATE'");
      return std::nullopt;
    }
  }
  if (!scope.msg_binder.empty() && n == scope.msg_binder) {
    diags_.error(e.loc, "'" + n + "' is the received message: use " + n + ".FIELD");
    return std::nullopt;
  }
  for (size_t i = 0; i < scope.params.size(); ++i) {
    if (scope.params[i].first == n) {
      ir::Expr x;
      x.op = ir::Op::kCallArg;
      x.index = static_cast<int>(i);
      x.type = scope.params[i].second;
      return x;
    }
  }
  if (scope.role >= 0) {
    const ir::Role& role = m_.roles[scope.role];
    for (size_t i = 0; i < role.vars.size(); ++i) {
      if (role.vars[i].name == n) {
        var_reads_.insert({scope.role, static_cast<int>(i)});
        ir::Expr x;
        x.op = ir::Op::kVar;
        x.index = static_cast<int>(i);
        x.type = role.vars[i].type;
        return x;
      }
    }
  }
  auto c = consts_.find(n);
  if (c != consts_.end()) return constant(c->second.type, c->second.value);
  auto items = enum_items_.find(n);
  if (items != enum_items_.end()) {
    // Prefer the enum the context expects (also for sets of that enum).
    ir::TypeId want = -1;
    if (hint >= 0 && m_.types[hint].kind == ir::TypeKind::kEnum) want = hint;
    if (hint >= 0 && m_.types[hint].kind == ir::TypeKind::kSet) want = m_.types[hint].enum_type;
    for (const auto& [type, index] : items->second) {
      if (type == want) return constant(type, index);
    }
    if (items->second.size() == 1) {
      return constant(items->second[0].first, items->second[0].second);
    }
    std::string which;
    for (const auto& [type, index] : items->second) which += " " + type_name(type);
    diags_.error(e.loc, "'" + n + "' is an item of several enums (" + which.substr(1) +
                            "); the context does not say which");
    return std::nullopt;
  }
  // A def without parameters reads like a name: `ack_ok`.
  int f = find_func(n, scope.role);
  if (f >= 0 && funcs_[f].decl->params.empty()) return call_expr(e, scope, hint);
  if (scope.role >= 0 && poisoned(scope.role, n)) return std::nullopt;
  if (poisoned_instance(scope, e)) return std::nullopt;
  if (scope.property && scope.system >= 0) {
    for (const ir::Instance& i : m_.systems[scope.system].instances) {
      if (i.name == n) {
        diags_.error(e.loc, "'" + n + "' is an instance: use " + n + ".VAR or '" + n +
                                " in STATE'");
        return std::nullopt;
      }
    }
  }
  diags_.error(e.loc, "unknown name '" + n + "'" + did_you_mean(n, names_in_scope(scope)));
  return std::nullopt;
}

// The instance an expression names in a property (`client`, or `p` bound by forall).
std::optional<int> Lowerer::instance_of(const ast::Expr& e, const Scope& scope) {
  if (e.kind != ast::ExprKind::kName) return std::nullopt;
  for (const auto& [name, inst] : scope.instances) {
    if (name == e.name) return inst;
  }
  if (scope.property && scope.system >= 0) {
    const ir::System& sys = m_.systems[scope.system];
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      if (sys.instances[i].name == e.name) return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::optional<ir::Expr> Lowerer::field_expr(const ast::Expr& e, const Scope& scope) {
  if (e.args.size() != 1) return std::nullopt;
  const ast::Expr& base = e.args[0];
  if (base.kind == ast::ExprKind::kName && !scope.msg_binder.empty() &&
      base.name == scope.msg_binder) {
    const ir::Message& msg = m_.messages[scope.msg];
    std::vector<std::string> names;
    for (size_t i = 0; i < msg.fields.size(); ++i) {
      if (msg.fields[i].name == e.name) {
        ir::Expr x;
        x.op = ir::Op::kMsgField;
        x.index = static_cast<int>(i);
        x.type = msg.fields[i].type;
        return x;
      }
      names.push_back(msg.fields[i].name);
    }
    diags_.error(e.op_loc, "field '" + e.name + "' is not in message " + msg.name +
                               did_you_mean(e.name, names));
    return std::nullopt;
  }
  std::optional<int> inst = instance_of(base, scope);
  if (inst) {
    const ir::Instance& instance = m_.systems[scope.system].instances[*inst];
    const ir::Role& role = m_.roles[instance.role];
    std::vector<std::string> names;
    for (size_t i = 0; i < role.vars.size(); ++i) {
      if (role.vars[i].name == e.name) {
        var_reads_.insert({instance.role, static_cast<int>(i)});
        ir::Expr x;
        x.op = ir::Op::kInstVar;
        x.index = static_cast<int>(i);
        x.instance = *inst;
        x.type = role.vars[i].type;
        return x;
      }
      names.push_back(role.vars[i].name);
    }
    if (poisoned(instance.role, e.name)) return std::nullopt;
    for (size_t i = 0; i < role.timers.size(); ++i) {
      if (role.timers[i].name == e.name) {
        ir::Expr x;
        x.op = ir::Op::kTimerArmed;
        x.index = static_cast<int>(i);
        x.instance = *inst;
        x.type = bool_;
        return x;
      }
    }
    diags_.error(e.op_loc, "role " + role.name + " has no variable '" + e.name + "'" +
                               did_you_mean(e.name, names));
    return std::nullopt;
  }
  if (poisoned_instance(scope, base)) return std::nullopt;
  if (base.kind == ast::ExprKind::kName) {
    std::optional<ir::Expr> b = expr(base, scope);
    if (!b) return std::nullopt;
    diags_.error(e.op_loc, "'." + e.name + "': " + base.name + " is a " + type_name(b->type) +
                               ", which has no fields");
    return std::nullopt;
  }
  diags_.error(e.op_loc, "'." + e.name + "' needs a message or an instance on its left");
  return std::nullopt;
}

std::optional<ir::Expr> Lowerer::index_expr(const ast::Expr& e, const Scope& scope) {
  if (e.args.size() != 2) return std::nullopt;
  std::optional<ir::Expr> m = expr(e.args[0], scope);
  if (!m) return std::nullopt;
  if (is_list(m->type)) return list_index(e, std::move(*m), scope);
  if ((m->op != ir::Op::kVar && m->op != ir::Op::kInstVar) ||
      m_.types[m->type].kind != ir::TypeKind::kMap) {
    diags_.error(e.args[0].loc, "only a map variable or a list can be indexed, not " + type_name(m->type));
    return std::nullopt;
  }
  const ir::Type& mt = m_.types[m->type];
  std::optional<ir::Expr> key = expr(e.args[1], scope, mt.key);
  if (!key) return std::nullopt;
  key = coerce(std::move(*key), mt.key, e.args[1].loc, "map key");
  if (!key) return std::nullopt;
  ir::Expr x;
  x.op = ir::Op::kMapGet;
  x.index = m->index;
  x.instance = m->op == ir::Op::kInstVar ? m->instance : -1;
  x.type = mt.value;
  x.args.push_back(std::move(*key));
  return x;
}

std::optional<ir::Expr> Lowerer::binary_expr(const ast::Expr& e, const Scope& scope,
                                             ir::TypeId hint) {
  if (e.args.size() != 2) return std::nullopt;
  const std::string& op = e.op;
  ir::Expr r;
  r.op = binary_op(op);
  if (op == "&&" || op == "||" || op == "->") {
    std::optional<ir::Expr> a = bool_expr(e.args[0], scope);
    std::optional<ir::Expr> b = bool_expr(e.args[1], scope);
    if (!a || !b) return std::nullopt;
    r.type = bool_;
    // `a && (b && c)` is built as `(a && b) && c` (also `||`): the same value, evaluated in
    // the same order, and one shape for a chain whatever its parentheses, so that a def
    // expanded inside a chain (`x && ack_ok(s.ack) && y`) gives the IR the spelled-out
    // chain gives, and every engine (and the test generator's choice of values) the same
    // formula.
    while (r.op != ir::Op::kImplies && b->op == r.op && b->args.size() == 2) {
      ir::Expr left;
      left.op = r.op;
      left.type = bool_;
      left.args = {std::move(*a), std::move(b->args[0])};
      a = std::move(left);
      ir::Expr rest = std::move(b->args[1]);
      b = std::move(rest);
    }
    r.args = {std::move(*a), std::move(*b)};
    return r;
  }
  // Lower the side that can stand alone first; the other side gets its type as a hint
  // (so `s.flags == {SYN}` knows which set `{SYN}` is).
  auto literal = [](const ast::Expr& x) { return x.kind == ast::ExprKind::kSet || x.kind == ast::ExprKind::kList; };
  bool right_first = literal(e.args[0]) && !literal(e.args[1]);
  bool arith = op == "+" || op == "-" || op == "*" || op == "/" || op == "%";
  std::optional<ir::Expr> a, b;
  if (right_first) {
    b = expr(e.args[1], scope);
    if (!b) return std::nullopt;
    a = expr(e.args[0], scope, b->type);
  } else {
    a = expr(e.args[0], scope, arith ? hint : -1);
    if (!a) return std::nullopt;
    b = expr(e.args[1], scope, a->type);
  }
  if (!a || !b) return std::nullopt;
  ir::TypeKind ka = m_.types[a->type].kind, kb = m_.types[b->type].kind;
  auto mismatch = [&]() -> std::optional<ir::Expr> {
    const bool append = op == "+" && ka == ir::TypeKind::kList && kb != ir::TypeKind::kList;
    diags_.error(e.op_loc, "operator '" + op + "' is not defined on " + type_name(a->type) +
                               " and " + type_name(b->type) + (append ? " (append an element with l + [x])" : ""));
    return std::nullopt;
  };
  if (arith && ka == ir::TypeKind::kSet && (op == "+" || op == "-" || op == "*")) {
    // Union, difference, intersection (Pascal's and Modula's set operators).
    if (a->type != b->type) return mismatch();
    r.op = op == "+" ? ir::Op::kSetUnion : op == "-" ? ir::Op::kSetDiff : ir::Op::kSetInter;
    r.type = a->type;
    r.args = {std::move(*a), std::move(*b)};
    if (r.args[0].op == ir::Op::kConst && r.args[1].op == ir::Op::kConst) {
      const int64_t x = r.args[0].value, y = r.args[1].value;
      return constant(r.type, op == "+" ? (x | y) : op == "-" ? (x & ~y) : (x & y));
    }
    return r;
  }
  if (seq_mod(a->type) || seq_mod(b->type)) return seq_mod_binary(e, std::move(*a), std::move(*b));
  if (arith && ka == ir::TypeKind::kList) {
    // Concatenation; appending one element is `l + [x]`.
    if (op != "+" || a->type != b->type) return mismatch();
    return list_concat(e, std::move(*a), std::move(*b));
  }
  if (arith) {
    if (ka == ir::TypeKind::kInt && kb == ir::TypeKind::kInt) {
      r.type = int_;
    } else if (ka == ir::TypeKind::kSeq && kb == ir::TypeKind::kInt && (op == "+" || op == "-")) {
      r.type = a->type;
    } else if (ka == ir::TypeKind::kInt && kb == ir::TypeKind::kSeq && op == "+") {
      r.type = b->type;
      std::swap(a, b);
    } else if (ka == ir::TypeKind::kSeq && kb == ir::TypeKind::kSeq && op == "-" &&
               m_.types[a->type].seq_wire_bits == m_.types[b->type].seq_wire_bits) {
      r.type = int_;  // the distance (a - b) mod 2^bits
    } else if (ka == ir::TypeKind::kDuration &&
               ((kb == ir::TypeKind::kDuration && (op == "+" || op == "-")) ||
                (kb == ir::TypeKind::kInt && (op == "*" || op == "/")))) {
      r.type = duration_;
    } else if (ka == ir::TypeKind::kInt && kb == ir::TypeKind::kDuration && op == "*") {
      r.type = duration_;
    } else {
      return mismatch();
    }
    r.args = {std::move(*a), std::move(*b)};
    if (r.args[0].op == ir::Op::kConst && r.args[1].op == ir::Op::kConst) {
      std::optional<ConstValue> v = fold(r, e.op_loc);
      if (!v) return std::nullopt;
      return constant(v->type, v->value);
    }
    return r;
  }
  // Comparisons.
  r.type = bool_;
  bool ordered = op == "<" || op == "<=" || op == ">" || op == ">=";
  if (ka == ir::TypeKind::kSeq && kb == ir::TypeKind::kInt) {
    b = coerce(std::move(*b), a->type, e.args[1].loc, "comparison");
  } else if (ka == ir::TypeKind::kInt && kb == ir::TypeKind::kSeq) {
    a = coerce(std::move(*a), b->type, e.args[0].loc, "comparison");
  } else if (ka == ir::TypeKind::kInt && kb == ir::TypeKind::kInt) {
    // any ranges compare
  } else if (ka != kb) {
    return mismatch();
  } else if (ka == ir::TypeKind::kEnum || ka == ir::TypeKind::kSet || ka == ir::TypeKind::kList) {
    if (a->type != b->type) return mismatch();
    if (ordered) return mismatch();
  } else if (ka == ir::TypeKind::kSeq) {
    if (m_.types[a->type].seq_wire_bits != m_.types[b->type].seq_wire_bits) return mismatch();
  } else if (ka == ir::TypeKind::kMap) {
    return mismatch();
  } else if (ordered && ka != ir::TypeKind::kDuration) {
    return mismatch();
  }
  if (!a || !b) return std::nullopt;
  r.args = {std::move(*a), std::move(*b)};
  if (r.args[0].op == ir::Op::kConst && r.args[1].op == ir::Op::kConst) {
    std::optional<ConstValue> v = fold(r, e.op_loc);
    if (!v) return std::nullopt;
    return constant(bool_, v->value);
  }
  return r;
}

std::optional<int> Lowerer::state_of(int role, const ast::Ident& name, bool groups_too,
                                     std::vector<int>* group_states) {
  const ir::Role& r = m_.roles[role];
  for (size_t i = 0; i < r.states.size(); ++i) {
    if (r.states[i] == name.name) return static_cast<int>(i);
  }
  if (groups_too && group_states) {
    auto g = groups_[role].find(name.name);
    if (g != groups_[role].end()) {
      *group_states = g->second;
      return -1;
    }
  }
  std::vector<std::string> names = r.states;
  if (groups_too) {
    for (const auto& [n, s] : groups_[role]) names.push_back(n);
  }
  diags_.error(name.loc, "unknown state '" + name.name + "' in role " + r.name +
                             did_you_mean(name.name, names));
  return std::nullopt;
}

std::optional<ir::Expr> Lowerer::in_expr(const ast::Expr& e, const Scope& scope) {
  if (e.args.size() != 2) return std::nullopt;
  const ast::Expr& lhs = e.args[0];
  const ast::Expr& rhs = e.args[1];
  // `inst in STATE`, `inst in GROUP`, `inst in {S1, S2}`.
  std::optional<int> inst = instance_of(lhs, scope);
  if (inst) {
    const ir::Instance& instance = m_.systems[scope.system].instances[*inst];
    std::vector<ast::Ident> names;
    if (rhs.kind == ast::ExprKind::kName) {
      names.push_back({rhs.name, rhs.loc});
    } else if (rhs.kind == ast::ExprKind::kSet) {
      for (const ast::Expr& s : rhs.args) {
        if (s.kind != ast::ExprKind::kName) {
          diags_.error(s.loc, "expected a state name");
          return std::nullopt;
        }
        names.push_back({s.name, s.loc});
      }
    } else {
      diags_.error(rhs.loc, "expected a state, a state group or {STATE, ...} after '" +
                                lhs.name + " in'");
      return std::nullopt;
    }
    std::vector<int> states;
    for (const ast::Ident& n : names) {
      std::vector<int> group;
      std::optional<int> s = state_of(instance.role, n, true, &group);
      if (!s) return std::nullopt;
      if (*s >= 0) states.push_back(*s); else states.insert(states.end(), group.begin(), group.end());
    }
    ir::Expr any = constant(bool_, 0);
    bool first = true;
    for (int s : states) {
      ir::Expr st;
      st.op = ir::Op::kInstState;
      st.instance = *inst;
      st.type = state_types_[instance.role];
      ir::Expr eq;
      eq.op = ir::Op::kEq;
      eq.type = bool_;
      eq.args = {st, constant(state_types_[instance.role], s)};
      if (first) {
        any = std::move(eq);
        first = false;
      } else {
        ir::Expr o;
        o.op = ir::Op::kOr;
        o.type = bool_;
        o.args = {std::move(any), std::move(eq)};
        any = std::move(o);
      }
    }
    return any;
  }
  if (poisoned_instance(scope, lhs)) return std::nullopt;
  // `k in map`.
  std::optional<ir::Expr> container;
  if (rhs.kind != ast::ExprKind::kSet) {
    container = expr(rhs, scope);
    if (!container) return std::nullopt;
    if (m_.types[container->type].kind == ir::TypeKind::kMap) {
      if (container->op != ir::Op::kVar && container->op != ir::Op::kInstVar) {
        diags_.error(rhs.loc, "expected a map variable");
        return std::nullopt;
      }
      const ir::Type& mt = m_.types[container->type];
      std::optional<ir::Expr> key = expr(lhs, scope, mt.key);
      if (!key) return std::nullopt;
      key = coerce(std::move(*key), mt.key, lhs.loc, "map key");
      if (!key) return std::nullopt;
      ir::Expr x;
      x.op = ir::Op::kMapHas;
      x.index = container->index;
      x.instance = container->op == ir::Op::kInstVar ? container->instance : -1;
      x.type = bool_;
      x.args.push_back(std::move(*key));
      return x;
    }
    if (m_.types[container->type].kind != ir::TypeKind::kSet) {
      diags_.error(rhs.loc, "'in' needs a set, a map, or a state on its right, not " +
                                type_name(container->type));
      return std::nullopt;
    }
  }
  // `item in set`.
  std::optional<ir::Expr> item = expr(lhs, scope, container ? container->type : -1);
  if (!item) return std::nullopt;
  const bool int_item = m_.types[item->type].kind == ir::TypeKind::kInt;
  if (m_.types[item->type].kind != ir::TypeKind::kEnum && !(int_item && container)) {
    diags_.error(lhs.loc, "'in' tests an enum item against a set, but this is " +
                              type_name(item->type));
    return std::nullopt;
  }
  if (!container) {
    container = set_literal(rhs, scope, set_type(item->type));
    if (!container) return std::nullopt;
  }
  if (m_.types[container->type].enum_type != item->type && !(int_item && int_set(container->type))) {
    diags_.error(e.op_loc, "operator 'in' is not defined on " + type_name(item->type) + " and " +
                               type_name(container->type));
    return std::nullopt;
  }
  ir::Expr x;
  x.op = ir::Op::kSetHas;
  x.type = bool_;
  x.args = {std::move(*item), std::move(*container)};
  if (x.args[0].op == ir::Op::kConst && x.args[1].op == ir::Op::kConst) {
    return constant(bool_, (x.args[1].value >> x.args[0].value) & 1);
  }
  return x;
}

std::optional<ir::Expr> Lowerer::set_literal(const ast::Expr& e, const Scope& scope,
                                             ir::TypeId hint) {
  ir::TypeId set = -1;
  if (hint >= 0 && m_.types[hint].kind == ir::TypeKind::kSet) set = hint;
  if (hint >= 0 && m_.types[hint].kind == ir::TypeKind::kEnum) set = set_type(hint);
  std::vector<ir::Expr> items;
  for (const ast::Expr& a : e.args) {
    std::optional<ir::Expr> x = expr(a, scope, set >= 0 ? m_.types[set].enum_type : -1);
    if (!x) return std::nullopt;
    if (set >= 0 && int_set(set) && m_.types[x->type].kind == ir::TypeKind::kInt) {
      // An element of set<int[0..N]>: a constant must be in range (a value computed at
      // run time beyond N makes the set overflow its type where it is stored).
      std::optional<ir::Expr> c = coerce(std::move(*x), m_.types[set].enum_type, a.loc, "set element");
      if (!c) return std::nullopt;
      items.push_back(std::move(*c));
      continue;
    }
    if (m_.types[x->type].kind != ir::TypeKind::kEnum) {
      diags_.error(a.loc, "a set literal holds enum items, not " + type_name(x->type));
      return std::nullopt;
    }
    if (set < 0) set = set_type(x->type);
    if (m_.types[set].enum_type != x->type) {
      diags_.error(a.loc, "'" + a.name + "' is not an item of " +
                              type_name(m_.types[set].enum_type));
      return std::nullopt;
    }
    items.push_back(std::move(*x));
  }
  if (set < 0) {
    diags_.error(e.loc, "cannot tell which set type '{...}' is here (write it where a set variable or field "
                        "gives its type)");
    return std::nullopt;
  }
  ir::Expr lit;
  lit.op = ir::Op::kSetLit;
  lit.type = set;
  lit.args = std::move(items);
  bool all_const = std::all_of(lit.args.begin(), lit.args.end(),
                               [](const ir::Expr& x) { return x.op == ir::Op::kConst; });
  if (all_const) {
    int64_t mask = 0;
    for (const ir::Expr& x : lit.args) mask |= int64_t{1} << x.value;
    return constant(set, mask);
  }
  return lit;
}

// forall / exists over the instances of a role (properties) or over the values of a
// finite type; expanded here into a conjunction / disjunction.
std::optional<ir::Expr> Lowerer::quantifier(const ast::Expr& e, const Scope& scope) {
  bool forall = e.kind == ast::ExprKind::kForall;
  if (e.args.size() != 1) return std::nullopt;
  std::vector<Scope> scopes;
  int role = m_.find_role(e.type_name);
  if (role >= 0) {
    if (!scope.property || scope.system < 0) {
      diags_.error(e.loc, "quantifying over instances of role " + e.type_name +
                              " is only possible in properties");
      return std::nullopt;
    }
    const ir::System& sys = m_.systems[scope.system];
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      if (sys.instances[i].role != role) continue;
      Scope s = scope;
      s.instances.insert(s.instances.begin(), {e.name, static_cast<int>(i)});
      scopes.push_back(std::move(s));
    }
  } else {
    ir::TypeId t = -1;
    if (e.type_name == "bool") t = bool_;
    else if (e.type_name == "mac") t = mac_;
    else if (e.type_name == "ip4") t = ip4_;
    else if (named_types_.count(e.type_name)) t = named_types_[e.type_name];
    if (t < 0) {
      std::vector<std::string> names;
      for (const ir::Role& r : m_.roles) names.push_back(r.name);
      for (const auto& [n, id] : named_types_) names.push_back(n);
      diags_.error(e.loc, "unknown role or type '" + e.type_name + "' to quantify over" +
                              did_you_mean(e.type_name, names));
      return std::nullopt;
    }
    const ir::Type& type = m_.types[t];
    if (type.kind == ir::TypeKind::kMap || type.kind == ir::TypeKind::kDuration || type.kind == ir::TypeKind::kList ||
        type.hi - type.lo + 1 > kMaxQuantifierDomain || type.hi < type.lo) {
      diags_.error(e.loc, "cannot quantify over " + type.name + ": not a small finite type");
      return std::nullopt;
    }
    for (int64_t v = type.lo; v <= type.hi; ++v) {
      Scope s = scope;
      s.values.insert(s.values.begin(), {e.name, ConstValue{t, v}});
      scopes.push_back(std::move(s));
    }
  }
  std::optional<ir::Expr> acc;
  for (const Scope& s : scopes) {
    std::optional<ir::Expr> body = bool_expr(e.args[0], s);
    if (!body) return std::nullopt;
    if (!acc) {
      acc = std::move(body);
      continue;
    }
    ir::Expr j;
    j.op = forall ? ir::Op::kAnd : ir::Op::kOr;
    j.type = bool_;
    j.args = {std::move(*acc), std::move(*body)};
    acc = std::move(j);
  }
  if (!acc) return constant(bool_, forall ? 1 : 0);
  return acc;
}

}  // namespace sp::sema
