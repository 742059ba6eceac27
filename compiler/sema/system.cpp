// Systems: instances with their initial values, channels (as queues) and the environment.
#include <algorithm>
#include <set>

#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

constexpr int64_t kMaxCapacity = 64;
constexpr int64_t kMaxBudget = 255;

}  // namespace

void Lowerer::lower_systems() {
  for (const ast::System& s : spec_.systems) {
    if (m_.find_system(s.name.name) >= 0) {
      diags_.error(s.name.loc, "system '" + s.name.name + "' is already declared");
      continue;
    }
    lower_system(s);
  }
}

void Lowerer::lower_system(const ast::System& s) {
  m_.systems.emplace_back();
  int index = static_cast<int>(m_.systems.size() - 1);
  m_.systems[index].name = s.name.name;
  auto sys = [&]() -> ir::System& { return m_.systems[index]; };
  // A value out of range (a capacity, a budget; often set by --const) stops only this
  // system: a warning here, an error when the system is checked, exported or simulated.
  auto system_error = [&](const ast::Loc& loc, const std::string& text) {
    diags_.warning(loc, text + "; system " + s.name.name + " cannot be checked (the other systems can)");
    const ast::Loc at = loc.line > 0 ? loc : diags_.locate(loc.offset);
    sys().errors.push_back(diags_.file().path + ":" + std::to_string(at.line) + ":" + std::to_string(at.col) +
                           ": " + text);
  };

  std::vector<std::string> role_names;
  for (const ir::Role& r : m_.roles) role_names.push_back(r.name);
  for (const ast::Instance& inst : s.instances) {
    int role = m_.find_role(inst.role.name);
    if (role < 0) {
      diags_.error(inst.role.loc, "unknown role '" + inst.role.name + "'" +
                                      did_you_mean(inst.role.name, role_names));
      for (const ast::Ident& n : inst.names) poisoned_instances_.insert({index, n.name});
      continue;
    }
    const ir::Role& r = m_.roles[role];
    std::vector<int64_t> init;
    for (const ir::Var& v : r.vars) init.push_back(v.init);
    std::set<std::string> set_here;
    for (const ast::FieldInit& f : inst.inits) {
      auto it = std::find_if(r.vars.begin(), r.vars.end(),
                             [&](const ir::Var& v) { return v.name == f.name.name; });
      if (it == r.vars.end()) {
        std::vector<std::string> names;
        for (const ir::Var& v : r.vars) names.push_back(v.name);
        diags_.error(f.name.loc, "role " + r.name + " has no variable '" + f.name.name + "'" +
                                     did_you_mean(f.name.name, names));
        continue;
      }
      if (!set_here.insert(f.name.name).second) {
        diags_.error(f.name.loc, "variable '" + f.name.name + "' is initialised twice");
        continue;
      }
      if (m_.types[it->type].kind == ir::TypeKind::kMap) {
        diags_.error(f.name.loc, "a map variable starts empty and takes no initial value");
        continue;
      }
      std::optional<ConstValue> c = const_value(f.value, it->type);
      if (!c) continue;
      std::optional<ir::Expr> x =
          coerce(constant(c->type, c->value), it->type, f.value.loc, "initial value of " + f.name.name);
      if (!x) continue;
      std::optional<ConstValue> v = fold(*x, f.value.loc);
      if (!v) continue;
      init[static_cast<size_t>(it - r.vars.begin())] = v->value;
    }
    for (const ast::Ident& name : inst.names) {
      bool dup = std::any_of(sys().instances.begin(), sys().instances.end(),
                             [&](const ir::Instance& i) { return i.name == name.name; });
      if (dup) {
        diags_.error(name.loc, "instance '" + name.name + "' is already declared in system " +
                                   s.name.name);
        continue;
      }
      sys().instances.push_back({name.name, role, init});
    }
  }
  if (sys().instances.empty()) {
    if (s.instances.empty()) diags_.error(s.name.loc, "system " + s.name.name + " has no instances");
    return;
  }

  auto instance_index = [&](const ast::Ident& name) -> int {
    for (size_t i = 0; i < sys().instances.size(); ++i) {
      if (sys().instances[i].name == name.name) return static_cast<int>(i);
    }
    if (poisoned_instances_.count({index, name.name})) return -1;
    std::vector<std::string> names;
    for (const ir::Instance& i : sys().instances) names.push_back(i.name);
    diags_.error(name.loc, "unknown instance '" + name.name + "' in system " + s.name.name +
                               did_you_mean(name.name, names));
    return -1;
  };
  auto port_index = [&](int inst, const ast::Ident& port) -> int {
    const ir::Role& r = m_.roles[sys().instances[inst].role];
    std::vector<std::string> names;
    for (size_t i = 0; i < r.ports.size(); ++i) {
      if (r.ports[i].name == port.name) return static_cast<int>(i);
      names.push_back(r.ports[i].name);
    }
    diags_.error(port.loc, "role " + r.name + " has no port '" + port.name + "'" +
                               did_you_mean(port.name, names));
    return -1;
  };

  // Which (instance, port) pairs a channel already serves, for the "attached twice" check.
  std::set<std::pair<int, int>> sending, receiving;
  for (const ast::Channel& c : s.channels) {
    ir::Queue q;
    q.bag = c.bag;
    q.lossy = c.lossy;
    q.dup = c.dup;
    q.redeliver = c.redeliver;
    if (c.redeliver && !c.dup) {
      diags_.error(c.redeliver_loc, "`redeliver` says how a channel duplicates, and this one does not: write "
                                    "`dup [K] redeliver` (each redelivery spends one unit of the dup budget K)");
      continue;
    }
    q.blocking = c.blocking;
    bool ok = true;
    if (c.capacity) {
      std::optional<int64_t> cap = const_int(*c.capacity, "a channel capacity");
      if (!cap) continue;
      if (*cap < 1 || *cap > kMaxCapacity) {
        system_error(c.capacity->loc, "channel capacity must be 1.." + std::to_string(kMaxCapacity) + ", not " +
                                          std::to_string(*cap));
        continue;
      }
      q.capacity = static_cast<int>(*cap);
    } else {
      q.capacity = 2;
    }
    // `lossy N` / `dup N`: N is a constant expression (so --const can set it), 0..kMaxBudget.
    auto budget = [&](const std::optional<ast::Expr>& e, const char* what) -> std::optional<int> {
      std::optional<int64_t> n = const_int(*e, std::string("a channel's ") + what + " budget");
      if (!n) {
        ok = false;
        return std::nullopt;
      }
      if (*n < 0 || *n > kMaxBudget) {
        system_error(e->loc, std::string(what) + " budget must be 0.." + std::to_string(kMaxBudget) + ", not " +
                                 std::to_string(*n));
        ok = false;
        return std::nullopt;
      }
      return static_cast<int>(*n);
    };
    if (c.loss_budget) q.loss_budget = budget(c.loss_budget, "loss");
    if (c.dup_budget) q.dup_budget = budget(c.dup_budget, "duplication");
    if (c.loss_run) q.loss_run = budget(c.loss_run, "consecutive loss");
    if (!ok) continue;
    if (!c.broadcast) {
      int from = instance_index(c.from.instance);
      int to = instance_index(c.to.instance);
      if (from < 0 || to < 0) continue;
      int from_port = port_index(from, c.from.port);
      int to_port = port_index(to, c.to.port);
      if (from_port < 0 || to_port < 0) continue;
      int from_msg = m_.roles[sys().instances[from].role].ports[from_port].message;
      int to_msg = m_.roles[sys().instances[to].role].ports[to_port].message;
      if (from_msg != to_msg) {
        diags_.error(c.loc, "channel joins ports of different messages: " +
                                m_.messages[from_msg].name + " and " + m_.messages[to_msg].name);
        continue;
      }
      if (from == to) {
        diags_.error(c.loc, "a channel from an instance to itself is not supported");
        continue;
      }
      q.name = c.from.instance.name + "." + c.from.port.name + "->" + c.to.instance.name + "." +
               c.to.port.name;
      q.senders = {from};
      q.send_port = from_port;
      q.receiver = to;
      q.recv_port = to_port;
      q.message = from_msg;
      if (!sending.insert({from, from_port}).second) {
        diags_.warning(c.loc, "port " + c.from.instance.name + "." + c.from.port.name +
                                  " feeds several channels: every send goes to all of them");
      }
      receiving.insert({to, to_port});
      sys().queues.push_back(q);
      continue;
    }
    // Broadcast: one queue per attached instance, fed by every other attached instance.
    std::vector<std::pair<int, int>> attached;
    int msg = -1;
    for (size_t i = 0; i < sys().instances.size(); ++i) {
      const ir::Role& r = m_.roles[sys().instances[i].role];
      for (size_t p = 0; p < r.ports.size(); ++p) {
        if (r.ports[p].name != c.port.name) continue;
        if (msg >= 0 && r.ports[p].message != msg) {
          diags_.error(c.port.loc, "broadcast channel " + c.port.name + " joins ports of "
                                   "different messages");
          ok = false;
        }
        msg = r.ports[p].message;
        attached.emplace_back(static_cast<int>(i), static_cast<int>(p));
      }
    }
    if (!ok) continue;
    if (attached.size() < 2) {
      diags_.error(c.port.loc, "broadcast channel " + c.port.name + " needs at least two "
                               "instances with a port named '" + c.port.name + "'");
      continue;
    }
    for (const auto& [inst, port] : attached) {
      ir::Queue b = q;
      b.name = c.port.name + "->" + sys().instances[inst].name;
      b.receiver = inst;
      b.recv_port = port;
      b.send_port = port;
      b.message = msg;
      for (const auto& [other, other_port] : attached) {
        if (other != inst) b.senders.push_back(other);
      }
      sys().queues.push_back(b);
    }
  }
  if (s.environments.size() > 1) {
    diags_.error(s.environments[1].loc, "system " + s.name.name + " has more than one "
                                        "environment clause");
  }
  if (!s.environments.empty()) lower_environment(s.environments[0], sys());
}

void Lowerer::lower_environment(const ast::Environment& env, ir::System& sys) {
  sys.environment.unrestricted = false;
  sys.environment.script = env.script;
  // Resolves one `inst.call(args)` or `inst.*` into targets.
  auto targets = [&](const ast::CallRef& ref, std::vector<ir::CallEntry::Target>& out) -> bool {
    int inst = -1;
    std::vector<std::string> names;
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      if (sys.instances[i].name == ref.instance.name) inst = static_cast<int>(i);
      names.push_back(sys.instances[i].name);
    }
    if (inst < 0 && poisoned_instances_.count({static_cast<int>(&sys - m_.systems.data()),
                                               ref.instance.name})) {
      return false;
    }
    if (inst < 0) {
      diags_.error(ref.instance.loc, "unknown instance '" + ref.instance.name + "'" +
                                         did_you_mean(ref.instance.name, names));
      return false;
    }
    const ir::Role& r = m_.roles[sys.instances[inst].role];
    if (ref.call.name == "*") {
      if (!ref.args.empty()) {
        diags_.error(ref.loc, "'" + ref.instance.name + ".*' takes no arguments");
        return false;
      }
      for (size_t c = 0; c < r.calls.size(); ++c) {
        out.push_back({inst, static_cast<int>(c),
                       std::vector<std::optional<int64_t>>(r.calls[c].params.size())});
      }
      if (r.calls.empty()) {
        diags_.warning(ref.loc, "role " + r.name + " declares no calls");
      }
      return true;
    }
    std::vector<std::string> calls;
    for (size_t c = 0; c < r.calls.size(); ++c) {
      calls.push_back(r.calls[c].name);
      if (r.calls[c].name != ref.call.name) continue;
      const ir::Call& call = r.calls[c];
      ir::CallEntry::Target t{inst, static_cast<int>(c),
                              std::vector<std::optional<int64_t>>(call.params.size())};
      if (!ref.args.empty() && ref.args.size() != call.params.size()) {
        diags_.error(ref.loc, "call " + call.name + " takes " + std::to_string(call.params.size()) +
                                  " argument(s), not " + std::to_string(ref.args.size()));
        return false;
      }
      for (size_t a = 0; a < ref.args.size(); ++a) {
        std::optional<ConstValue> v = const_value(ref.args[a], call.params[a].type);
        if (!v) return false;
        std::optional<ir::Expr> x = coerce(constant(v->type, v->value), call.params[a].type,
                                           ref.args[a].loc, "argument " + call.params[a].name);
        if (!x) return false;
        std::optional<ConstValue> f = fold(*x, ref.args[a].loc);
        if (!f) return false;
        t.args[a] = f->value;
      }
      out.push_back(std::move(t));
      return true;
    }
    diags_.error(ref.call.loc, "role " + r.name + " has no call '" + ref.call.name + "'" +
                                   did_you_mean(ref.call.name, calls));
    return false;
  };
  if (env.script) {
    for (const ast::CallRef& step : env.steps) {
      ir::CallEntry e;
      if (!targets(step, e.targets)) continue;
      if (e.targets.size() != 1) {
        diags_.error(step.loc, "a script step names one call, not '" + step.instance.name + ".*'");
        continue;
      }
      e.bound = 1;
      sys.environment.entries.push_back(std::move(e));
    }
    return;
  }
  for (const ast::CallPattern& p : env.calls) {
    std::optional<int> bound;
    if (p.bound) {
      std::optional<int64_t> b = const_int(*p.bound, "a call bound");
      if (!b) continue;
      if (*b < 0 || *b > kMaxBudget) {
        diags_.error(p.bound->loc, "a call bound must be 0.." + std::to_string(kMaxBudget));
        continue;
      }
      if (*b == 0) {
        // `at most 0` (a constant that --const scales down to nothing): the calls are
        // never offered. Their names are still checked, so a typo is still an error.
        std::vector<ir::CallEntry::Target> unused;
        for (const ast::CallRef& ref : p.alternatives) targets(ref, unused);
        continue;
      }
      bound = static_cast<int>(*b);
    }
    bool star = std::any_of(p.alternatives.begin(), p.alternatives.end(),
                            [](const ast::CallRef& r) { return r.call.name == "*"; });
    if (star && p.alternatives.size() == 1) {
      // `inst.*`: every call of the instance, each with its own bound.
      std::vector<ir::CallEntry::Target> all;
      if (!targets(p.alternatives[0], all)) continue;
      for (auto& t : all) sys.environment.entries.push_back({{std::move(t)}, bound});
      continue;
    }
    ir::CallEntry e;
    e.bound = bound;
    bool ok = true;
    for (const ast::CallRef& ref : p.alternatives) ok = targets(ref, e.targets) && ok;
    if (ok) sys.environment.entries.push_back(std::move(e));
  }
}

}  // namespace sp::sema
