// Properties: invariants, deadlock freedom and LTL formulas with fairness.
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

bool Lowerer::is_temporal(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kUnary &&
      (e.op == "always" || e.op == "eventually" || e.op == "next" || e.op == "never")) {
    return true;
  }
  if (e.kind == ast::ExprKind::kBinary && e.op == "until") return true;
  for (const ast::Expr& a : e.args) {
    if (is_temporal(a)) return true;
  }
  return false;
}

void Lowerer::lower_properties() {
  for (const ast::Property& p : spec_.properties) {
    if (m_.find_property(p.name.name) >= 0) {
      diags_.error(p.name.loc, "property '" + p.name.name + "' is already declared");
      continue;
    }
    lower_property(p);
  }
}

void Lowerer::lower_property(const ast::Property& p) {
  ir::Property prop;
  prop.name = p.name.name;
  prop.lemma = p.lemma;
  prop.line = static_cast<int>(p.loc.line);
  prop.system = m_.find_system(p.system.name);
  if (prop.system < 0) {
    std::vector<std::string> names;
    for (const ir::System& s : m_.systems) names.push_back(s.name);
    diags_.error(p.system.loc, "unknown system '" + p.system.name + "'" +
                                   did_you_mean(p.system.name, names));
    return;
  }
  Scope scope;
  scope.property = true;
  scope.system = prop.system;
  // The formula as written: from its start to the end of the property (best effort: the
  // rest of the line, which is how properties are usually written).
  auto text_from = [&](const ast::Loc& loc) {
    const std::string& src = diags_.file().text;
    if (loc.offset >= src.size()) return std::string();
    size_t end = src.find('\n', loc.offset);
    return src.substr(loc.offset, end == std::string::npos ? std::string::npos : end - loc.offset);
  };
  if (p.deadlock) {
    prop.kind = ir::PropertyKind::kDeadlock;
    prop.text = "deadlock free";
    if (p.except) {
      std::optional<ir::Expr> e = bool_expr(*p.except, scope);
      if (!e) return;
      prop.except = std::move(*e);
      prop.text += " except " + text_from(p.except->loc);
    }
  } else if (p.formula) {
    const ast::Expr& f = *p.formula;
    prop.text = text_from(f.loc);
    bool top_always = f.kind == ast::ExprKind::kUnary && (f.op == "always" || f.op == "never") &&
                      f.args.size() == 1 && !is_temporal(f.args[0]);
    if (top_always) {
      prop.kind = ir::PropertyKind::kInvariant;
      std::optional<ir::Expr> e = bool_expr(f.args[0], scope);
      if (!e) return;
      if (f.op == "never") {
        ir::Expr n;
        n.op = ir::Op::kNot;
        n.type = bool_;
        n.args.push_back(std::move(*e));
        e = std::move(n);
      }
      prop.invariant = std::move(*e);
    } else if (!is_temporal(f)) {
      diags_.error(f.loc, "a property is 'always P', 'never P', 'deadlock free' or an LTL "
                          "formula; a bare state predicate holds only initially (write "
                          "'always ...')");
      return;
    } else {
      prop.kind = ir::PropertyKind::kLtl;
      if (!ltl(f, scope, prop, prop.ltl)) return;
    }
    if (p.lemma && prop.kind != ir::PropertyKind::kInvariant) {
      diags_.error(p.loc, "a lemma must be an invariant ('always P' or 'never P')");
      return;
    }
  }
  int before = diags_.error_count();
  for (const ast::Fairness& f : p.fairness) lower_fairness(f, prop);
  if (diags_.error_count() > before) return;
  if (!p.fairness.empty() && prop.kind != ir::PropertyKind::kLtl) {
    diags_.warning(p.fairness[0].loc, "fairness has no effect on a safety property");
  }
  m_.properties.push_back(std::move(prop));
}

bool Lowerer::ltl(const ast::Expr& e, const Scope& scope, ir::Property& prop, ir::Ltl& out) {
  if (!is_temporal(e)) {
    std::optional<ir::Expr> atom = bool_expr(e, scope);
    if (!atom) return false;
    if (atom->op == ir::Op::kConst) {
      out.op = atom->value ? ir::LtlOp::kTrue : ir::LtlOp::kNot;
      if (!atom->value) out.args = {ir::Ltl{ir::LtlOp::kTrue, -1, {}}};
      return true;
    }
    out.op = ir::LtlOp::kAtom;
    out.atom = static_cast<int>(prop.atoms.size());
    prop.atoms.push_back(std::move(*atom));
    return true;
  }
  auto sub = [&](size_t i) -> std::optional<ir::Ltl> {
    ir::Ltl x;
    if (!ltl(e.args[i], scope, prop, x)) return std::nullopt;
    return x;
  };
  if (e.kind == ast::ExprKind::kUnary && e.args.size() == 1) {
    std::optional<ir::Ltl> a = sub(0);
    if (!a) return false;
    if (e.op == "never") {
      ir::Ltl n{ir::LtlOp::kNot, -1, {std::move(*a)}};
      out = ir::Ltl{ir::LtlOp::kAlways, -1, {std::move(n)}};
      return true;
    }
    if (e.op == "always") out.op = ir::LtlOp::kAlways;
    else if (e.op == "eventually") out.op = ir::LtlOp::kEventually;
    else if (e.op == "next") out.op = ir::LtlOp::kNext;
    else if (e.op == "!") out.op = ir::LtlOp::kNot;
    else {
      diags_.error(e.loc, "operator '" + e.op + "' cannot apply to a temporal formula");
      return false;
    }
    out.args = {std::move(*a)};
    return true;
  }
  if (e.kind == ast::ExprKind::kBinary && e.args.size() == 2) {
    if (e.op == "&&") out.op = ir::LtlOp::kAnd;
    else if (e.op == "||") out.op = ir::LtlOp::kOr;
    else if (e.op == "->") out.op = ir::LtlOp::kImplies;
    else if (e.op == "until") out.op = ir::LtlOp::kUntil;
    else {
      diags_.error(e.op_loc, "operator '" + e.op + "' cannot apply to a temporal formula");
      return false;
    }
    std::optional<ir::Ltl> a = sub(0);
    std::optional<ir::Ltl> b = sub(1);
    if (!a || !b) return false;
    out.args = {std::move(*a), std::move(*b)};
    return true;
  }
  if ((e.kind == ast::ExprKind::kForall || e.kind == ast::ExprKind::kExists) &&
      e.args.size() == 1) {
    int role = m_.find_role(e.type_name);
    if (role < 0) {
      diags_.error(e.loc, "a temporal formula can only be quantified over the instances of a "
                          "role; '" + e.type_name + "' is not a role");
      return false;
    }
    bool forall = e.kind == ast::ExprKind::kForall;
    const ir::System& sys = m_.systems[scope.system];
    std::optional<ir::Ltl> acc;
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      if (sys.instances[i].role != role) continue;
      Scope s = scope;
      s.instances.insert(s.instances.begin(), {e.name, static_cast<int>(i)});
      ir::Ltl body;
      if (!ltl(e.args[0], s, prop, body)) return false;
      if (!acc) {
        acc = std::move(body);
      } else {
        acc = ir::Ltl{forall ? ir::LtlOp::kAnd : ir::LtlOp::kOr, -1,
                      {std::move(*acc), std::move(body)}};
      }
    }
    if (!acc) acc = forall ? ir::Ltl{ir::LtlOp::kTrue, -1, {}}
                           : ir::Ltl{ir::LtlOp::kNot, -1, {ir::Ltl{ir::LtlOp::kTrue, -1, {}}}};
    out = std::move(*acc);
    return true;
  }
  diags_.error(e.loc, "a temporal operator cannot appear inside a comparison or arithmetic; "
                      "only &&, ||, ->, ! and forall/exists may combine temporal formulas");
  return false;
}

void Lowerer::lower_fairness(const ast::Fairness& f, ir::Property& prop) {
  const ir::System& sys = m_.systems[prop.system];
  ir::Fairness out;
  out.strong = f.strong;
  out.text = std::string(f.strong ? "strong" : "weak") + " fair " + f.selector.name +
             (f.member ? "." + f.member->name : "");
  const std::string& sel = f.selector.name;
  auto event_kind = [&](ir::EventKind kind) {
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      const ir::Role& r = m_.roles[sys.instances[i].role];
      for (size_t t = 0; t < r.transitions.size(); ++t) {
        if (r.transitions[t].event == kind) {
          out.sets.push_back({{static_cast<int>(i), static_cast<int>(t)}});
        }
      }
    }
  };
  if (!f.member) {
    if (sel == "timeout") {
      event_kind(ir::EventKind::kTimeout);
    } else if (sel == "recv" || sel == "channel") {
      event_kind(ir::EventKind::kRecv);
    } else if (sel == "call") {
      event_kind(ir::EventKind::kCall);
    } else if (sel == "internal") {
      event_kind(ir::EventKind::kInternal);
    } else {
      bool found = false;
      for (size_t i = 0; i < sys.instances.size(); ++i) {
        const ir::Role& r = m_.roles[sys.instances[i].role];
        if (sys.instances[i].name == sel) {
          std::vector<ir::GroupRef> all;
          for (size_t t = 0; t < r.transitions.size(); ++t) {
            all.push_back({static_cast<int>(i), static_cast<int>(t)});
          }
          out.sets.push_back(std::move(all));
          found = true;
          continue;
        }
        // A transition with `choose` is one IR transition per value (`move[x=1]`): fair
        // as one set, like the transition it was written as.
        std::vector<ir::GroupRef> named;
        for (size_t t = 0; t < r.transitions.size(); ++t) {
          const std::string& n = r.transitions[t].name;
          if (n == sel || n.rfind(sel + "[", 0) == 0) named.push_back({static_cast<int>(i), static_cast<int>(t)});
        }
        if (!named.empty()) {
          out.sets.push_back(std::move(named));
          found = true;
        }
      }
      if (!found) {
        std::vector<std::string> names = {"timeout", "recv", "call", "internal", "channel"};
        for (const ir::Instance& i : sys.instances) {
          names.push_back(i.name);
          for (const ir::Transition& t : m_.roles[i.role].transitions) names.push_back(t.name);
        }
        diags_.error(f.selector.loc, "unknown fairness selector '" + sel + "': expected timeout, "
                                     "recv, call, internal, an instance or a transition" +
                                     did_you_mean(sel, names));
        return;
      }
    }
  } else {
    int inst = -1;
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      if (sys.instances[i].name == sel) inst = static_cast<int>(i);
    }
    if (inst < 0) {
      std::vector<std::string> names;
      for (const ir::Instance& i : sys.instances) names.push_back(i.name);
      diags_.error(f.selector.loc, "unknown instance '" + sel + "'" + did_you_mean(sel, names));
      return;
    }
    const ir::Role& r = m_.roles[sys.instances[inst].role];
    std::vector<std::string> names;
    std::vector<ir::GroupRef> named;
    for (size_t t = 0; t < r.transitions.size(); ++t) {
      const std::string& n = r.transitions[t].name;
      if (n == f.member->name || n.rfind(f.member->name + "[", 0) == 0) {
        named.push_back({inst, static_cast<int>(t)});
      }
      names.push_back(r.transitions[t].name);
    }
    if (!named.empty()) out.sets.push_back(std::move(named));
    if (out.sets.empty()) {
      diags_.error(f.member->loc, "role " + r.name + " has no transition '" + f.member->name +
                                      "'" + did_you_mean(f.member->name, names));
      return;
    }
  }
  prop.fairness.push_back(std::move(out));
}

}  // namespace sp::sema
