// Named predicates and functions (`def`), the built-ins min, max, head and tail, and `let`
// in actions.
//
// A `def` is expanded where it is used: its arguments are lowered in the caller's scope
// and its body is lowered again with each parameter bound to its argument. The IR, and so
// every engine and the Promela export, never sees a def. A def may use only the defs
// declared before it (above it, or at top level for a role's def), so no expansion can
// recurse. A `let` binds a name to an expression for the statements after it in its
// block, the same way; a use after a write to a variable the expression reads is an error,
// so that the name always means the value it had at the `let`.
#include <algorithm>

#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

bool is_builtin(const std::string& name) {
  return name == "min" || name == "max" || name == "head" || name == "tail";
}

// Role variables an expression reads (maps included).
void collect_reads(const ir::Expr& e, std::set<int>& out) {
  if ((e.op == ir::Op::kVar || e.op == ir::Op::kMapHas || e.op == ir::Op::kMapGet) &&
      e.instance < 0 && e.index >= 0) {
    out.insert(e.index);
  }
  for (const ir::Expr& a : e.args) collect_reads(a, out);
}

}  // namespace

int Lowerer::find_func(const std::string& name, int role) const {
  for (size_t f = 0; f < funcs_.size(); ++f) {
    if (funcs_[f].role == role && role >= 0 && funcs_[f].decl->name.name == name) {
      return static_cast<int>(f);
    }
  }
  for (size_t f = 0; f < funcs_.size(); ++f) {
    if (funcs_[f].role < 0 && funcs_[f].decl->name.name == name) return static_cast<int>(f);
  }
  return -1;
}

void Lowerer::lower_funcs() {
  for (const ast::FuncDecl& d : spec_.funcs) {
    Func fn;
    fn.decl = &d;
    funcs_.push_back(std::move(fn));
  }
  for (size_t r = 0; r < ast_roles_.size() && r < m_.roles.size(); ++r) {
    if (ast_roles_[r] == nullptr) continue;
    for (const ast::FuncDecl& d : ast_roles_[r]->funcs) {
      Func fn;
      fn.decl = &d;
      fn.role = static_cast<int>(r);
      funcs_.push_back(std::move(fn));
    }
  }
  for (size_t f = 0; f < funcs_.size(); ++f) check_func(static_cast<int>(f));
}

// Resolves a def's signature and checks its body once, with every parameter standing for
// an unknown value of its type, so that a def nobody uses is still checked.
void Lowerer::check_func(int f) {
  Func& fn = funcs_[f];
  const ast::FuncDecl& d = *fn.decl;
  const std::string& name = d.name.name;
  auto finish = [&](bool ok) {
    fn.checked = true;
    fn.ok = ok;
  };
  if (is_builtin(name)) {
    diags_.error(d.name.loc, "'" + name + "' is a built-in function and cannot be redefined");
    return finish(false);
  }
  for (int g = 0; g < f; ++g) {
    if (funcs_[g].role == fn.role && funcs_[g].decl->name.name == name) {
      diags_.error(d.name.loc, "def '" + name + "' is already declared (line " +
                                   std::to_string(funcs_[g].decl->name.loc.line) + ")");
      return finish(false);
    }
  }
  if (consts_.count(name)) {
    diags_.error(d.name.loc, "def '" + name + "' has the name of a constant");
    return finish(false);
  }
  if (fn.role >= 0) {
    for (const ir::Var& v : m_.roles[fn.role].vars) {
      if (v.name == name) {
        diags_.error(d.name.loc, "def '" + name + "' has the name of a variable of role " +
                                     m_.roles[fn.role].name);
        return finish(false);
      }
    }
  }
  Scope body;
  body.role = fn.role;
  bool ok = true;
  for (size_t i = 0; i < d.params.size(); ++i) {
    const ast::Param& p = d.params[i];
    for (size_t j = 0; j < i; ++j) {
      if (d.params[j].name.name == p.name.name) {
        diags_.error(p.name.loc, "parameter '" + p.name.name + "' is declared twice");
        ok = false;
      }
    }
    std::optional<ir::TypeId> t = p.type.kind == ast::TypeKind::kInt && p.type.bounds.empty()
                                      ? std::optional<ir::TypeId>(int_)
                                      : resolve_type(p.type, "");
    if (!t) {
      ok = false;
      continue;
    }
    if (m_.types[*t].kind == ir::TypeKind::kMap) {
      diags_.error(p.type.loc, "a def parameter cannot be a map (pass the key and test it "
                               "in the role)");
      ok = false;
      continue;
    }
    fn.params.push_back(*t);
    // An unknown value of the parameter's type (never folded as a constant).
    ir::Expr unknown;
    unknown.op = ir::Op::kCallArg;
    unknown.index = static_cast<int>(i);
    unknown.type = *t;
    body.bound.insert(body.bound.begin(), Binding{p.name.name, std::move(unknown)});
  }
  if (d.result) {
    std::optional<ir::TypeId> t = d.result->kind == ast::TypeKind::kInt && d.result->bounds.empty()
                                      ? std::optional<ir::TypeId>(int_)
                                      : resolve_type(*d.result, "");
    if (!t) ok = false;
    if (t) fn.result = *t;
  }
  if (!ok) return finish(false);
  int saved = checking_func_;
  checking_func_ = f;
  std::optional<ir::Expr> value = expr(d.body, body, fn.result);
  if (value && fn.result >= 0) {
    value = coerce(std::move(*value), fn.result, d.body.loc, "result of " + name);
  }
  checking_func_ = saved;
  if (!value) return finish(false);
  if (fn.result < 0) fn.result = value->type;
  finish(true);
}

std::optional<ir::Expr> Lowerer::call_expr(const ast::Expr& e, const Scope& scope,
                                           ir::TypeId hint) {
  const std::string& name = e.name;
  if (is_builtin(name)) return builtin_call(e, scope, hint);
  int f = find_func(name, scope.role);
  if (f < 0 && funcs_.empty()) {
    for (const ast::FuncDecl& d : spec_.funcs) {
      if (d.name.name == name) {
        diags_.error(e.loc, "'" + name + "' cannot be used here: a def is usable in transitions, "
                            "properties and later defs");
        return std::nullopt;
      }
    }
  }
  if (f < 0) {
    std::vector<std::string> names = {"min", "max", "head", "tail"};
    for (const Func& fn : funcs_) {
      if (fn.role < 0 || fn.role == scope.role) names.push_back(fn.decl->name.name);
    }
    std::string where;
    for (const Func& fn : funcs_) {
      if (fn.decl->name.name == name && fn.role >= 0) {
        where = " (a def of role " + m_.roles[fn.role].name + " is usable in its transitions only)";
      }
    }
    if (where.empty() && !names_in_scope(scope).empty()) {
      std::vector<std::string> all = names_in_scope(scope);
      if (std::find(all.begin(), all.end(), name) != all.end()) {
        diags_.error(e.loc, "'" + name + "' is not a function");
        return std::nullopt;
      }
    }
    diags_.error(e.loc, "unknown function '" + name + "'" +
                            (where.empty() ? did_you_mean(name, names) : where));
    return std::nullopt;
  }
  const Func& fn = funcs_[f];
  if (!fn.checked && checking_func_ < 0) {
    diags_.error(e.loc, "'" + name + "' cannot be used here: a def is usable in transitions, "
                        "properties and later defs");
    return std::nullopt;
  }
  if (!fn.checked) {
    const std::string& user = funcs_[checking_func_].decl->name.name;
    if (f == checking_func_) {
      diags_.error(e.loc, "def '" + name + "' cannot use itself: a def is expanded where it is "
                          "used, so it cannot be recursive");
    } else {
      diags_.error(e.loc, "def '" + user + "' cannot use '" + name + "', declared after it "
                          "(line " + std::to_string(fn.decl->name.loc.line) + "): declare '" +
                          name + "' first");
    }
    return std::nullopt;
  }
  if (!fn.ok) return std::nullopt;  // already reported at the def
  const ast::FuncDecl& d = *fn.decl;
  if (e.args.size() != d.params.size()) {
    diags_.error(e.loc, "'" + name + "' takes " + std::to_string(d.params.size()) +
                            " argument" + (d.params.size() == 1 ? "" : "s") + ", not " +
                            std::to_string(e.args.size()));
    return std::nullopt;
  }
  std::vector<ir::Expr> args;
  for (size_t i = 0; i < e.args.size(); ++i) {
    std::optional<ir::Expr> a = expr(e.args[i], scope, fn.params[i]);
    if (a) {
      a = coerce(std::move(*a), fn.params[i], e.args[i].loc,
                 "argument '" + d.params[i].name.name + "' of " + name);
    }
    if (!a) return std::nullopt;
    args.push_back(std::move(*a));
  }
  (void)hint;
  return expand_func(f, e, std::move(args));
}

std::optional<ir::Expr> Lowerer::expand_func(int f, const ast::Expr& call,
                                             std::vector<ir::Expr> args) {
  const Func& fn = funcs_[f];
  const ast::FuncDecl& d = *fn.decl;
  Scope body;
  body.role = fn.role;
  for (size_t i = 0; i < args.size(); ++i) {
    body.bound.insert(body.bound.begin(), Binding{d.params[i].name.name, std::move(args[i])});
  }
  int before = diags_.error_count();
  std::optional<ir::Expr> value = expr(d.body, body, fn.result);
  if (value) value = coerce(std::move(*value), fn.result, d.body.loc, "result of " + d.name.name);
  if (!value && diags_.error_count() > before) {
    diags_.error(call.loc, "in this use of '" + d.name.name + "'");
  }
  return value;
}

// min(a, b, ...), max(a, b, ...): integers (or durations); folded when constant.
std::optional<ir::Expr> Lowerer::builtin_call(const ast::Expr& e, const Scope& scope,
                                              ir::TypeId hint) {
  if (e.name == "head" || e.name == "tail") {
    if (e.args.size() != 1) {
      diags_.error(e.loc, "'" + e.name + "' takes 1 argument, not " + std::to_string(e.args.size()));
      return std::nullopt;
    }
    std::optional<ir::Expr> list = expr(e.args[0], scope);
    if (!list) return std::nullopt;
    return list_fn(e, e.name, std::move(*list));
  }
  const bool is_min = e.name == "min";
  if (e.args.size() < 2) {
    diags_.error(e.loc, "'" + e.name + "' takes two or more arguments, not " +
                            std::to_string(e.args.size()));
    return std::nullopt;
  }
  std::optional<ir::Expr> acc;
  for (const ast::Expr& a : e.args) {
    std::optional<ir::Expr> x = expr(a, scope, hint);
    if (!x) return std::nullopt;
    ir::TypeKind k = m_.types[x->type].kind;
    if ((k != ir::TypeKind::kInt && k != ir::TypeKind::kDuration) || seq_mod(x->type)) {
      std::string why = k == ir::TypeKind::kSeq || seq_mod(x->type)
                            ? " (sequence numbers are ordered only pairwise: compare them with '<')"
                            : "";
      diags_.error(a.loc, "'" + e.name + "' takes integers, not " + type_name(x->type) + why);
      return std::nullopt;
    }
    if (!acc) {
      acc = std::move(x);
      continue;
    }
    if (m_.types[acc->type].kind != k) {
      diags_.error(a.loc, "'" + e.name + "' mixes " + type_name(acc->type) + " and " +
                              type_name(x->type));
      return std::nullopt;
    }
    ir::Expr r;
    r.op = is_min ? ir::Op::kMin : ir::Op::kMax;
    r.type = k == ir::TypeKind::kInt ? int_ : duration_;
    bool both_const = acc->op == ir::Op::kConst && x->op == ir::Op::kConst;
    int64_t folded = is_min ? std::min(acc->value, x->value) : std::max(acc->value, x->value);
    r.args = {std::move(*acc), std::move(*x)};
    acc = both_const ? constant(r.type, folded) : std::move(r);
  }
  return acc;
}

// `let NAME = e`: binds NAME for the rest of the block (scope is the block's own copy).
// A `let` (statement or expression) may not hide a name visible where it stands.
bool Lowerer::let_name_free(const ast::Ident& id, const Scope& scope) {
  const std::string& name = id.name;
  auto clash = [&](const std::string& what) {
    diags_.error(id.loc, "let '" + name + "' would hide " + what + "; choose another name");
    return false;
  };
  for (const Binding& b : scope.bound) {
    if (b.name == name) return clash("the let '" + name + "' above it");
  }
  if (name == scope.msg_binder) return clash("the received message");
  for (const auto& [n, t] : scope.params) {
    if (n == name) return clash("call parameter '" + name + "'");
  }
  for (const auto& [n, v] : scope.values) {
    if (n == name) return clash("the quantified '" + name + "'");
  }
  for (const auto& [n, i] : scope.instances) {
    if (n == name) return clash("the quantified '" + name + "'");
  }
  if (scope.role >= 0) {
    for (const ir::Var& v : m_.roles[scope.role].vars) {
      if (v.name == name) return clash("variable '" + name + "'");
    }
  }
  if (scope.property && scope.system >= 0) {
    for (const ir::Instance& i : m_.systems[scope.system].instances) {
      if (i.name == name) return clash("instance '" + name + "'");
    }
  }
  if (consts_.count(name)) return clash("constant '" + name + "'");
  return true;
}

// `let NAME = e in body`: body with NAME standing for e (expanded, like a def's parameter).
std::optional<ir::Expr> Lowerer::let_expr(const ast::Expr& e, const Scope& scope, ir::TypeId hint) {
  if (e.args.size() != 2 || !let_name_free({e.name, e.op_loc}, scope)) return std::nullopt;
  std::optional<ir::Expr> value = expr(e.args[0], scope);
  if (!value) return std::nullopt;
  Scope inner = scope;
  inner.bound.insert(inner.bound.begin(), Binding{e.name, std::move(*value), -1});
  return expr(e.args[1], inner, hint);
}

bool Lowerer::lower_let(const ast::Stmt& s, Scope& scope) {
  if (s.exprs.size() != 1) return false;
  const std::string& name = s.name.name;
  if (!let_name_free(s.name, scope)) return false;
  std::optional<ir::Expr> value = expr(s.exprs[0], scope);
  if (!value) {
    poisoned_role_names_.insert({scope.role, name});
    return false;
  }
  Let let;
  let.name = name;
  collect_reads(*value, let.reads);
  lets_.push_back(std::move(let));
  scope.bound.insert(scope.bound.begin(),
                     Binding{name, std::move(*value), static_cast<int>(lets_.size()) - 1});
  return true;
}

// A statement writes role variable `var`: the lets that read it now stand for another value.
void Lowerer::writes_var(const Scope& scope, int var, const ast::Loc& loc) {
  for (const Binding& b : scope.bound) {
    if (b.let < 0) continue;
    Let& let = lets_[b.let];
    if (!let.stale && let.reads.count(var)) let.stale.emplace(m_.roles[scope.role].vars[var].name, loc);
  }
}

std::optional<ir::Expr> Lowerer::bound_name(const ast::Expr& e, const Binding& b) {
  if (b.let >= 0 && lets_[b.let].stale) {
    const auto& [var, loc] = *lets_[b.let].stale;
    diags_.error(e.loc, "'" + b.name + "' is used after '" + var + "' is assigned (line " +
                            std::to_string(loc.line) + "), and its value depends on '" + var +
                            "': use it before that assignment, or keep the value in a variable");
    return std::nullopt;
  }
  return b.value;
}

}  // namespace sp::sema
