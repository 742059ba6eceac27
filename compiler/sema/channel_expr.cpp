// Channel conditions: `len(p)`, `empty(p)` (the messages waiting at port p) and `full(p)`,
// `nfull(p)` (whether a send on p would fit), as Promela's len/empty/full/nfull. In a
// transition `p` is a port of the role; in a property it is `instance.port`.
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

std::optional<ir::Expr> Lowerer::channel_fn(const ast::Expr& e, const Scope& scope) {
  if (e.args.size() != 1) return std::nullopt;
  const ast::Expr& arg = e.args[0];
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
