// Messages, roles (states, variables, ports, calls, timers) and their transitions.
#include <algorithm>
#include <set>

#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

template <typename T, typename F>
std::vector<std::string> names_of(const std::vector<T>& items, F name) {
  std::vector<std::string> out;
  for (const T& x : items) out.push_back(name(x));
  return out;
}

// The text of a condition as written, for assertion messages: from the expression's
// start to the end of its line.
std::string source_text(const SourceFile& file, const ast::Loc& loc) {
  if (loc.offset >= file.text.size()) return "";
  size_t end = file.text.find('\n', loc.offset);
  if (end == std::string::npos) end = file.text.size();
  std::string s = file.text.substr(loc.offset, end - loc.offset);
  size_t comment = s.find("//");
  if (comment != std::string::npos) s = s.substr(0, comment);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '{')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

void Lowerer::lower_messages() {
  for (const ast::Message& msg : spec_.messages) {
    if (std::any_of(m_.messages.begin(), m_.messages.end(),
                    [&](const ir::Message& x) { return x.name == msg.name.name; })) {
      diags_.error(msg.name.loc, "message '" + msg.name.name + "' is already declared");
      continue;
    }
    ir::Message out;
    out.name = msg.name.name;
    if (msg.wire) {
      static const std::vector<std::string> kWires = {"tcp", "arp"};
      if (std::find(kWires.begin(), kWires.end(), msg.wire->name) == kWires.end()) {
        diags_.error(msg.wire->loc, "unknown wire format '" + msg.wire->name +
                                        "' (known: tcp, arp)" + did_you_mean(msg.wire->name, kWires));
      }
      out.wire = msg.wire->name;
    }
    std::set<std::string> seen;
    for (const ast::Field& f : msg.fields) {
      if (!seen.insert(f.name.name).second) {
        diags_.error(f.name.loc, "field '" + f.name.name + "' appears twice in message " + out.name);
        continue;
      }
      std::optional<ir::TypeId> t = resolve_type(f.type, "");
      if (!t) continue;
      ir::TypeKind k = m_.types[*t].kind;
      if (k == ir::TypeKind::kMap || k == ir::TypeKind::kDuration) {
        diags_.error(f.type.loc, "a message field cannot be a " + type_name(*t));
        continue;
      }
      out.fields.push_back({f.name.name, *t});
    }
    m_.messages.push_back(std::move(out));
  }
}

std::optional<int> Lowerer::var_of(int role, const ast::Ident& name) {
  const ir::Role& r = m_.roles[role];
  for (size_t i = 0; i < r.vars.size(); ++i) {
    if (r.vars[i].name == name.name) return static_cast<int>(i);
  }
  if (poisoned(role, name.name)) return std::nullopt;
  if (consts_.count(name.name)) {
    diags_.error(name.loc, "cannot assign to constant '" + name.name + "'");
    return std::nullopt;
  }
  diags_.error(name.loc, "unknown variable '" + name.name + "' in role " + r.name +
                             did_you_mean(name.name, names_of(r.vars, [](const ir::Var& v) {
                               return v.name;
                             })));
  return std::nullopt;
}

void Lowerer::declare_roles() {
  for (const ast::Role& role : spec_.roles) {
    if (m_.find_role(role.name.name) >= 0) {
      diags_.error(role.name.loc, "role '" + role.name.name + "' is already declared");
      continue;
    }
    int index = static_cast<int>(m_.roles.size());
    m_.roles.emplace_back();
    groups_.emplace_back();
    var_locs_.emplace_back();
    ast_roles_.push_back(&role);
    ir::Role& r = m_.roles.back();
    r.name = role.name.name;

    std::set<std::string> names;  // states, groups, variables, timers, ports, calls
    auto fresh = [&](const ast::Ident& id, const char* what) {
      if (!names.insert(id.name).second) {
        diags_.error(id.loc, std::string(what) + " '" + id.name + "' clashes with another "
                                 "name declared in role " + r.name);
        return false;
      }
      return true;
    };
    for (const ast::Ident& s : role.states) {
      if (fresh(s, "state")) r.states.push_back(s.name);
    }
    if (r.states.empty()) {
      diags_.error(role.name.loc, "role " + r.name + " declares no states");
      r.states.push_back("?");
    }
    ir::Type st;
    st.kind = ir::TypeKind::kEnum;
    st.name = r.name + ".state";
    st.items = r.states;
    for (size_t i = 0; i < r.states.size(); ++i) st.item_codes.push_back(static_cast<int64_t>(i));
    st.lo = 0;
    st.hi = static_cast<int64_t>(r.states.size()) - 1;
    state_types_.push_back(add_type(st));

    for (const ast::Group& g : role.groups) {
      if (!fresh(g.name, "group")) continue;
      std::vector<int> states;
      for (const ast::Ident& s : g.states) {
        std::optional<int> i = state_of(index, s, false, nullptr);
        if (i) states.push_back(*i);
      }
      groups_[index][g.name.name] = states;
    }
    if (role.initial.empty()) {
      diags_.error(role.name.loc, "role " + r.name + " has no 'initial' state");
    } else {
      if (role.initial.size() > 1) {
        diags_.error(role.initial[1].loc, "role " + r.name + " has more than one 'initial' state");
      }
      std::optional<int> i = state_of(index, role.initial[0], false, nullptr);
      if (i) r.initial = *i;
    }
    if (!role.preamble_via.empty()) {
      r.preamble_via.assign(r.states.size(), false);
      for (const ast::Ident& s : role.preamble_via) {
        std::vector<int> group;
        std::optional<int> i = state_of(index, s, true, &group);
        if (!i) continue;
        if (*i >= 0) group = {*i};
        for (int g : group) r.preamble_via[static_cast<size_t>(g)] = true;
      }
    }
    auto poison_all = [&](const std::vector<ast::Ident>& ids) {
      for (const ast::Ident& id : ids) poisoned_role_names_.insert({index, id.name});
    };
    for (const ast::VarDecl& v : role.vars) {
      std::optional<ir::TypeId> t = resolve_type(v.type, "");
      if (!t) {
        poison_all(v.names);
        continue;
      }
      if (m_.types[*t].kind == ir::TypeKind::kDuration) {
        diags_.error(v.type.loc, "a variable cannot be a duration (durations are constants)");
        poison_all(v.names);
        continue;
      }
      const ir::Type& type = m_.types[*t];
      int64_t init = type.kind == ir::TypeKind::kInt ? std::clamp<int64_t>(0, type.lo, type.hi) : 0;
      if (v.init) {
        if (type.kind == ir::TypeKind::kMap) {
          diags_.error(v.init->loc, "a map variable starts empty and takes no initial value");
        } else {
          std::optional<ConstValue> c = const_value(*v.init, *t);
          std::optional<ir::Expr> x;
          if (c) x = coerce(constant(c->type, c->value), *t, v.init->loc, "initial value");
          std::optional<ConstValue> f;
          if (x) f = fold(*x, v.init->loc);
          if (f) init = f->value;  // on error: reported; keep the variable to avoid cascades
        }
      }
      for (const ast::Ident& n : v.names) {
        if (!fresh(n, "variable")) {
          poison_all({n});
          continue;
        }
        r.vars.push_back({n.name, *t, init, false, v.init.has_value()});
        var_locs_[index].push_back(n.loc);
      }
    }
    for (const ast::Port& p : role.ports) {
      if (!fresh(p.name, "port")) continue;
      int msg = -1;
      for (size_t i = 0; i < m_.messages.size(); ++i) {
        if (m_.messages[i].name == p.message.name) msg = static_cast<int>(i);
      }
      if (msg < 0) {
        diags_.error(p.message.loc, "unknown message '" + p.message.name + "'" +
                                        did_you_mean(p.message.name,
                                                     names_of(m_.messages, [](const ir::Message& x) {
                                                       return x.name;
                                                     })));
        continue;
      }
      r.ports.push_back({p.name.name, msg});
    }
    for (const ast::CallDecl& c : role.calls) {
      if (!fresh(c.name, "call")) continue;
      ir::Call call;
      call.name = c.name.name;
      for (const ast::Param& p : c.params) {
        std::optional<ir::TypeId> t = resolve_type(p.type, "");
        if (!t) continue;
        ir::TypeKind k = m_.types[*t].kind;
        if (k == ir::TypeKind::kMap || k == ir::TypeKind::kDuration || k == ir::TypeKind::kList) {
          diags_.error(p.type.loc, "a call parameter cannot be a " + type_name(*t));
          continue;
        }
        call.params.push_back({p.name.name, *t});
      }
      r.calls.push_back(std::move(call));
    }
    for (const ast::TimerDecl& t : role.timers) {
      if (!fresh(t.name, "timer")) continue;
      poisoned_role_names_.insert({index, t.name.name});  // until declared below
      ir::Timer timer;
      timer.name = t.name.name;
      std::optional<ConstValue> d = const_value(t.duration);
      if (!d) continue;
      if (m_.types[d->type].kind != ir::TypeKind::kDuration) {
        diags_.error(t.duration.loc, "timer " + t.name.name + " needs a duration such as 1s or "
                                     "500ms, not " + type_name(d->type));
        continue;
      }
      if (d->value <= 0) {
        diags_.error(t.duration.loc, "timer " + t.name.name + " must have a positive duration");
        continue;
      }
      timer.duration_ms = d->value;
      if (t.backoff) {
        std::optional<int64_t> b = const_int(*t.backoff, "a timer's backoff");
        if (!b) continue;
        if (*b < 1) {
          diags_.error(t.backoff->loc, "backoff must be at least 1");
          continue;
        }
        timer.backoff = *b;
      }
      if (t.retries) {
        std::optional<int64_t> n = const_int(*t.retries, "a timer's retries");
        if (!n) continue;
        if (*n < 0) {
          diags_.error(t.retries->loc, "retries must not be negative");
          continue;
        }
        timer.retries = *n;
      }
      poisoned_role_names_.erase({index, t.name.name});
      r.timers.push_back(timer);
    }
  }
}

void Lowerer::lower_transitions() {
  for (size_t r = 0; r < ast_roles_.size(); ++r) {
    int ordinal = 0;
    for (const ast::Transition& t : ast_roles_[r]->transitions) {
      lower_transition_choices(static_cast<int>(r), t, ++ordinal);
    }
  }
}

std::optional<std::vector<bool>> Lowerer::state_selector(int role, const ast::StateSel& sel) {
  size_t n = m_.roles[role].states.size();
  std::vector<bool> from(n, sel.kind == ast::StateSelKind::kAny ||
                                sel.kind == ast::StateSelKind::kAnyExcept);
  bool value = sel.kind != ast::StateSelKind::kAnyExcept;
  for (const ast::Ident& name : sel.states) {
    std::vector<int> group;
    std::optional<int> s = state_of(role, name, true, &group);
    if (!s) return std::nullopt;
    if (*s >= 0) group = {*s};
    for (int g : group) from[g] = value;
  }
  if (std::none_of(from.begin(), from.end(), [](bool b) { return b; })) {
    diags_.error(sel.loc, "this transition can start in no state");
    return std::nullopt;
  }
  return from;
}

void Lowerer::lower_transition(int role, const ast::Transition& t, int ordinal) {
  ir::Role& r = m_.roles[role];
  ir::Transition out;
  out.line = static_cast<int>(t.loc.line);
  std::optional<std::vector<bool>> from = state_selector(role, t.from);
  if (!from) return;
  out.from = *from;

  Scope scope;
  scope.role = role;
  out.event = static_cast<ir::EventKind>(t.event.kind);
  std::string event_word;
  switch (t.event.kind) {
    case ast::EventKind::kRecv: {
      event_word = "recv_" + t.event.name.name;
      for (size_t i = 0; i < r.ports.size(); ++i) {
        if (r.ports[i].name == t.event.name.name) out.event_index = static_cast<int>(i);
      }
      if (out.event_index < 0) {
        diags_.error(t.event.name.loc, "unknown port '" + t.event.name.name + "' in role " +
                                           r.name + did_you_mean(t.event.name.name,
                                                                 names_of(r.ports, [](const ir::Port& p) {
                                                                   return p.name;
                                                                 })));
        return;
      }
      if (t.event.binders.size() != 1) {
        diags_.error(t.event.loc, "recv binds exactly one message name: recv " +
                                      t.event.name.name + "(s)");
        return;
      }
      scope.msg_binder = t.event.binders[0].name;
      scope.msg = r.ports[out.event_index].message;
      break;
    }
    case ast::EventKind::kCall: {
      event_word = "call_" + t.event.name.name;
      for (size_t i = 0; i < r.calls.size(); ++i) {
        if (r.calls[i].name == t.event.name.name) out.event_index = static_cast<int>(i);
      }
      if (out.event_index < 0) {
        diags_.error(t.event.name.loc, "unknown call '" + t.event.name.name + "' in role " +
                                           r.name + did_you_mean(t.event.name.name,
                                                                 names_of(r.calls, [](const ir::Call& c) {
                                                                   return c.name;
                                                                 })));
        return;
      }
      const ir::Call& call = r.calls[out.event_index];
      if (!t.event.binders.empty() && t.event.binders.size() != call.params.size()) {
        diags_.error(t.event.loc, "call " + call.name + " takes " +
                                      std::to_string(call.params.size()) + " parameter(s), " +
                                      std::to_string(t.event.binders.size()) + " named here");
        return;
      }
      for (size_t i = 0; i < t.event.binders.size(); ++i) {
        scope.params.emplace_back(t.event.binders[i].name, call.params[i].type);
      }
      break;
    }
    case ast::EventKind::kTimeout: {
      event_word = "timeout_" + t.event.name.name;
      for (size_t i = 0; i < r.timers.size(); ++i) {
        if (r.timers[i].name == t.event.name.name) out.event_index = static_cast<int>(i);
      }
      if (out.event_index < 0 && poisoned(role, t.event.name.name)) return;
      if (out.event_index < 0) {
        diags_.error(t.event.name.loc, "unknown timer '" + t.event.name.name + "' in role " +
                                           r.name + did_you_mean(t.event.name.name,
                                                                 names_of(r.timers, [](const ir::Timer& x) {
                                                                   return x.name;
                                                                 })));
        return;
      }
      break;
    }
    case ast::EventKind::kInternal:
      event_word = "internal";
      break;
  }
  if (t.name) {
    out.name = t.name->name + choice_suffix_;
    for (const ir::Transition& other : r.transitions) {
      if (other.name == out.name) {
        diags_.error(t.name->loc, "transition '" + out.name + "' is already declared in role " +
                                      r.name);
        return;
      }
    }
  } else {
    std::string first = t.from.kind == ast::StateSelKind::kNamed && !t.from.states.empty()
                            ? t.from.states[0].name
                            : "any";
    out.name = first + "_" + event_word + "_" + std::to_string(ordinal) + choice_suffix_;
    out.generated_name = true;
  }
  if (t.guard) {
    std::optional<ir::Expr> g = bool_expr(*t.guard, scope);
    if (!g) return;
    out.guard = std::move(*g);
  } else {
    out.guard = constant(bool_, 1);
  }
  if (!t.target_same) {
    std::optional<int> target = state_of(role, t.target, false, nullptr);
    if (!target) return;
    out.target = *target;
  }
  if (t.cite) out.cite = *t.cite;
  lower_block(t.actions, scope, out.actions);
  r.transitions.push_back(std::move(out));
}

void Lowerer::lower_block(const std::vector<ast::Stmt>& in, const Scope& scope,
                          std::vector<ir::Stmt>& out) {
  // A `let` extends the scope for the statements after it in this block only.
  std::optional<Scope> local;
  for (const ast::Stmt& s : in) {
    if (s.kind == ast::StmtKind::kLet) {
      if (!local) local.emplace(scope);
      lower_let(s, *local);
      continue;
    }
    if (s.kind == ast::StmtKind::kChoose) {
      lower_choose(s, local ? *local : scope, out);
      continue;
    }
    std::optional<ir::Stmt> x = lower_stmt(s, local ? *local : scope);
    if (x) out.push_back(std::move(*x));
  }
}

std::optional<ir::Stmt> Lowerer::lower_stmt(const ast::Stmt& s, const Scope& scope) {
  ir::Role& r = m_.roles[scope.role];
  ir::Stmt out;
  out.line = static_cast<int>(s.loc.line);
  auto find_timer = [&](const ast::Ident& name) -> std::optional<int> {
    for (size_t i = 0; i < r.timers.size(); ++i) {
      if (r.timers[i].name == name.name) return static_cast<int>(i);
    }
    if (poisoned(scope.role, name.name)) return std::nullopt;
    diags_.error(name.loc, "unknown timer '" + name.name + "' in role " + r.name +
                               did_you_mean(name.name, names_of(r.timers, [](const ir::Timer& t) {
                                 return t.name;
                               })));
    return std::nullopt;
  };
  switch (s.kind) {
    case ast::StmtKind::kSend: {
      out.kind = ir::StmtKind::kSend;
      for (size_t i = 0; i < r.ports.size(); ++i) {
        if (r.ports[i].name == s.name.name) out.index = static_cast<int>(i);
      }
      if (out.index < 0) {
        diags_.error(s.name.loc, "unknown port '" + s.name.name + "' in role " + r.name +
                                     did_you_mean(s.name.name, names_of(r.ports, [](const ir::Port& p) {
                                       return p.name;
                                     })));
        return std::nullopt;
      }
      const ir::Message& msg = m_.messages[r.ports[out.index].message];
      std::vector<std::optional<ir::Expr>> values(msg.fields.size());
      std::vector<std::string> field_names =
          names_of(msg.fields, [](const ir::Field& f) { return f.name; });
      bool ok = true;
      for (const ast::FieldInit& f : s.fields) {
        auto it = std::find(field_names.begin(), field_names.end(), f.name.name);
        if (it == field_names.end()) {
          diags_.error(f.name.loc, "field '" + f.name.name + "' is not in message " + msg.name +
                                       did_you_mean(f.name.name, field_names));
          ok = false;
          continue;
        }
        size_t i = static_cast<size_t>(it - field_names.begin());
        if (values[i]) {
          diags_.error(f.name.loc, "field '" + f.name.name + "' is set twice");
          ok = false;
          continue;
        }
        std::optional<ir::Expr> v = expr(f.value, scope, msg.fields[i].type);
        if (v) v = coerce(std::move(*v), msg.fields[i].type, f.value.loc, "field " + f.name.name);
        if (!v) {
          ok = false;
          continue;
        }
        values[i] = std::move(v);
      }
      if (!ok) return std::nullopt;
      for (size_t i = 0; i < values.size(); ++i) {
        if (values[i]) {
          out.exprs.push_back(std::move(*values[i]));
        } else {
          const ir::Type& ft = m_.types[msg.fields[i].type];
          int64_t zero = ft.kind == ir::TypeKind::kInt ? std::clamp<int64_t>(0, ft.lo, ft.hi) : 0;
          out.exprs.push_back(constant(msg.fields[i].type, zero));
        }
      }
      return out;
    }
    case ast::StmtKind::kAssign: {
      if (s.exprs.size() != 2) return std::nullopt;
      const ast::Expr& lhs = s.exprs[0];
      if (lhs.kind == ast::ExprKind::kIndex && lhs.args.size() == 2 &&
          lhs.args[0].kind == ast::ExprKind::kName) {
        std::optional<int> v = var_of(scope.role, {lhs.args[0].name, lhs.args[0].loc});
        if (!v) return std::nullopt;
        const ir::Type& mt = m_.types[r.vars[*v].type];
        if (mt.kind == ir::TypeKind::kList) {
          diags_.error(lhs.args[0].loc, "'" + r.vars[*v].name + "' is a " + mt.name +
                                            ": a list is assigned as a whole (l = [x] + tail(l)), not by element");
          return std::nullopt;
        }
        if (mt.kind != ir::TypeKind::kMap) {
          diags_.error(lhs.args[0].loc, "'" + r.vars[*v].name + "' is a " + mt.name +
                                            ", not a map: it cannot be indexed");
          return std::nullopt;
        }
        std::optional<ir::Expr> key = expr(lhs.args[1], scope, mt.key);
        if (key) key = coerce(std::move(*key), mt.key, lhs.args[1].loc, "map key");
        std::optional<ir::Expr> value = expr(s.exprs[1], scope, mt.value);
        if (value) value = coerce(std::move(*value), mt.value, s.exprs[1].loc, "map value");
        if (!key || !value) return std::nullopt;
        out.kind = ir::StmtKind::kMapPut;
        out.index = *v;
        out.exprs = {std::move(*key), std::move(*value)};
        writes_var(scope, *v, s.loc);
        var_writes_.insert({scope.role, *v});
        r.vars[*v].assigned = true;
        return out;
      }
      if (lhs.kind != ast::ExprKind::kName) {
        if (lhs.kind == ast::ExprKind::kField) {
          diags_.error(lhs.loc, "cannot assign to a field: messages are built by 'send'");
        } else {
          diags_.error(lhs.loc, "cannot assign to this expression: expected a variable or m[k]");
        }
        return std::nullopt;
      }
      if (lhs.name == scope.msg_binder) {
        diags_.error(lhs.loc, "cannot assign to the received message '" + lhs.name + "'");
        return std::nullopt;
      }
      for (const auto& [name, type] : scope.params) {
        if (name == lhs.name) {
          diags_.error(lhs.loc, "cannot assign to call parameter '" + lhs.name + "'");
          return std::nullopt;
        }
      }
      for (const Binding& b : scope.bound) {
        if (b.name == lhs.name) {
          diags_.error(lhs.loc, "cannot assign to '" + lhs.name + "': a let names a value, "
                                "it is not a variable");
          return std::nullopt;
        }
      }
      std::optional<int> v = var_of(scope.role, {lhs.name, lhs.loc});
      if (!v) return std::nullopt;
      ir::TypeId vt = r.vars[*v].type;
      if (m_.types[vt].kind == ir::TypeKind::kMap) {
        diags_.error(lhs.loc, "a map is changed entry by entry: m[k] = v, remove m[k]");
        return std::nullopt;
      }
      std::optional<ir::Expr> value = expr(s.exprs[1], scope, vt);
      if (value) value = coerce(std::move(*value), vt, s.exprs[1].loc, "assignment to " + lhs.name);
      if (!value) return std::nullopt;
      out.kind = ir::StmtKind::kAssign;
      out.index = *v;
      out.exprs.push_back(std::move(*value));
      writes_var(scope, *v, s.loc);
      var_writes_.insert({scope.role, *v});
      r.vars[*v].assigned = true;
      return out;
    }
    case ast::StmtKind::kRemove: {
      if (s.exprs.size() != 1) return std::nullopt;
      const ast::Expr& target = s.exprs[0];
      if (target.kind != ast::ExprKind::kIndex || target.args.size() != 2 ||
          target.args[0].kind != ast::ExprKind::kName) {
        diags_.error(target.loc, "remove takes a map entry: remove m[k]");
        return std::nullopt;
      }
      std::optional<int> v = var_of(scope.role, {target.args[0].name, target.args[0].loc});
      if (!v) return std::nullopt;
      const ir::Type& mt = m_.types[r.vars[*v].type];
      if (mt.kind != ir::TypeKind::kMap) {
        diags_.error(target.args[0].loc, "'" + r.vars[*v].name + "' is not a map");
        return std::nullopt;
      }
      std::optional<ir::Expr> key = expr(target.args[1], scope, mt.key);
      if (key) key = coerce(std::move(*key), mt.key, target.args[1].loc, "map key");
      if (!key) return std::nullopt;
      out.kind = ir::StmtKind::kMapRemove;
      out.index = *v;
      out.exprs.push_back(std::move(*key));
      writes_var(scope, *v, s.loc);
      var_writes_.insert({scope.role, *v});
      r.vars[*v].assigned = true;
      return out;
    }
    case ast::StmtKind::kStart:
    case ast::StmtKind::kStop: {
      std::optional<int> t = find_timer(s.name);
      if (!t) return std::nullopt;
      out.kind = s.kind == ast::StmtKind::kStart ? ir::StmtKind::kStart : ir::StmtKind::kStop;
      out.index = *t;
      return out;
    }
    case ast::StmtKind::kAssert: {
      if (s.exprs.size() != 1) return std::nullopt;
      std::optional<ir::Expr> c = bool_expr(s.exprs[0], scope);
      if (!c) return std::nullopt;
      out.kind = ir::StmtKind::kAssert;
      out.exprs.push_back(std::move(*c));
      out.text = source_text(diags_.file(), s.exprs[0].loc);
      return out;
    }
    case ast::StmtKind::kIf: {
      if (s.exprs.size() != 1) return std::nullopt;
      std::optional<ir::Expr> c = bool_expr(s.exprs[0], scope);
      if (!c) return std::nullopt;
      out.kind = ir::StmtKind::kIf;
      out.exprs.push_back(std::move(*c));
      lower_block(s.then_body, scope, out.then_body);
      lower_block(s.else_body, scope, out.else_body);
      return out;
    }
    case ast::StmtKind::kLet:
    case ast::StmtKind::kChoose:
      return std::nullopt;  // lower_block handles them
  }
  return std::nullopt;
}

}  // namespace sp::sema
