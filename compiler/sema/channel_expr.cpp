// Channel conditions: `len(p)`, `empty(p)` (the messages waiting at port p) and `full(p)`,
// `nfull(p)` (whether a send on p would fit), as Promela's len/empty/full/nfull. In a
// transition `p` is a port of the role; in a property it is `instance.port`. The same
// words on a list are its length and whether it is empty / at capacity (list_expr.cpp).
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

bool has_name(const std::vector<std::pair<std::string, ir::TypeId>>& v, const std::string& n) {
  for (const auto& [name, t] : v) {
    if (name == n) return true;
  }
  return false;
}

}  // namespace

// Whether the argument of len/empty/full/nfull is a value (a list) rather than a port: a
// name bound in the scope or a variable (not a port), a field of the received message,
// `instance.var` in a property, any other expression (`tail(l)`). Everything else is
// read as a port, with the port errors.
bool Lowerer::names_value(const ast::Expr& arg, const Scope& scope) {
  if (arg.kind == ast::ExprKind::kName) {
    for (const Binding& b : scope.bound) {
      if (b.name == arg.name) return true;
    }
    if (has_name(scope.params, arg.name)) return true;
    if (scope.role < 0) return false;
    const ir::Role& r = m_.roles[scope.role];
    for (const ir::Var& v : r.vars) {
      if (v.name == arg.name) return true;
    }
    return false;
  }
  if (arg.kind == ast::ExprKind::kField && arg.args.size() == 1 && !scope.property) {
    // A field of the received message, `len(m.items)`.
    return arg.args[0].kind == ast::ExprKind::kName && arg.args[0].name == scope.msg_binder;
  }
  if (arg.kind == ast::ExprKind::kField && arg.args.size() == 1) {
    std::optional<int> inst = instance_of(arg.args[0], scope);
    if (!inst) return false;
    for (const ir::Var& v : m_.roles[m_.systems[scope.system].instances[*inst].role].vars) {
      if (v.name == arg.name) return true;
    }
    return false;
  }
  return true;
}

std::optional<ir::Expr> Lowerer::channel_fn(const ast::Expr& e, const Scope& scope) {
  if (e.args.size() != 1) return std::nullopt;
  const ast::Expr& arg = e.args[0];
  if (names_value(arg, scope)) {
    std::optional<ir::Expr> list = expr(arg, scope);
    if (!list) return std::nullopt;
    return list_fn(e, e.op, std::move(*list));
  }
  const bool incoming = e.op == "len" || e.op == "empty";
  int role = -1, instance = -1;
  ast::Loc port_loc = arg.loc;
  std::string port;
  if (scope.property) {
    std::optional<int> inst;
    if (arg.kind == ast::ExprKind::kField && arg.args.size() == 1) inst = instance_of(arg.args[0], scope);
    if (!inst) {
      if (arg.kind == ast::ExprKind::kField && poisoned_instance(scope, arg.args[0])) return std::nullopt;
      diags_.error(arg.loc, e.op + "(...) in a property takes instance.port, like " + e.op + "(server.net)");
      return std::nullopt;
    }
    instance = *inst;
    role = m_.systems[scope.system].instances[*inst].role;
    port = arg.name;
    port_loc = arg.op_loc;
  } else if (scope.role >= 0) {
    if (arg.kind != ast::ExprKind::kName) {
      diags_.error(arg.loc, e.op + "(...) in a transition takes a port of the role, like " + e.op + "(net)");
      return std::nullopt;
    }
    role = scope.role;
    port = arg.name;
  } else {
    diags_.error(e.loc, e.op + "(...) is only allowed in transitions and properties");
    return std::nullopt;
  }
  const ir::Role& r = m_.roles[role];
  int index = -1;
  std::vector<std::string> names;
  for (size_t i = 0; i < r.ports.size(); ++i) {
    if (r.ports[i].name == port) index = static_cast<int>(i);
    names.push_back(r.ports[i].name);
  }
  if (index < 0) {
    diags_.error(port_loc, "role " + r.name + " has no port '" + port + "'" + did_you_mean(port, names));
    return std::nullopt;
  }
  ir::Expr x;
  x.op = incoming ? ir::Op::kPortLen : ir::Op::kPortFull;
  x.index = index;
  x.instance = instance;
  x.type = incoming ? int_ : bool_;
  if (e.op == "len" || e.op == "full") return x;
  ir::Expr r2;
  if (e.op == "empty") {
    r2.op = ir::Op::kEq;
    r2.args.push_back(std::move(x));
    r2.args.push_back(constant(int_, 0));
  } else {  // nfull
    r2.op = ir::Op::kNot;
    r2.args.push_back(std::move(x));
  }
  r2.type = bool_;
  return r2;
}

}  // namespace sp::sema
