// The step relation, action by action, following TransitionSystem::Impl (interpreter.cpp):
// event available -> guard -> event consumed -> actions (forking at `if`s as ite terms)
// -> target state -> each copy of each send delivered, lost or duplicated.
#include "checker/symbolic/encoding.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "checker/symbolic/expr_eval.hpp"

namespace sp::checker::symbolic {

namespace {

// A send collected while executing a body: sent when `cond` (the path reaching it).
struct PendingSend {
  z3::expr cond;
  int port = -1;
  std::vector<z3::expr> fields;
};

}  // namespace

struct Encoding::Impl {
  const ir::Model& m;
  const ir::System& sys;
  const ir::Layout& l;
  z3::context& ctx;
  ExprEval ev;
  std::vector<int64_t> hi;                     // per slot: largest value
  std::vector<std::vector<int>> send_queues;   // per instance * port: queues (flattened below)
  std::vector<std::vector<std::vector<int>>> port_queues;  // per instance, per port

  Impl(const ir::TransitionSystem& ts, z3::context& c)
      : m(ts.model()), sys(ts.system()), l(ts.layout()), ctx(c), ev(m, sys, l, c) {
    SlotRanges();
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
      std::vector<std::vector<int>> ports(role.ports.size());
      for (size_t p = 0; p < role.ports.size(); ++p) {
        for (size_t q = 0; q < sys.queues.size(); ++q) {
          const ir::Queue& qu = sys.queues[q];
          if (qu.send_port == static_cast<int>(p) &&
              std::find(qu.senders.begin(), qu.senders.end(), static_cast<int>(i)) != qu.senders.end()) {
            ports[p].push_back(static_cast<int>(q));
          }
        }
      }
      port_queues.push_back(std::move(ports));
    }
  }

  z3::expr bv(int64_t v) const { return ev.bv(v); }

  // The largest value of every slot (the smallest is Slot::lo).
  void SlotRanges() {
    hi.resize(l.slots.size());
    for (size_t k = 0; k < l.slots.size(); ++k) {
      const ir::Slot& s = l.slots[k];
      hi[k] = s.bits >= 63 ? INT64_MAX : s.lo + (int64_t{1} << s.bits) - 1;
    }
    auto set = [&](int slot, ir::TypeId type) {
      if (slot < 0 || type < 0 || type >= static_cast<int>(ev.ranges().size())) return;
      if (l.slots[static_cast<size_t>(slot)].bits == 0) return;
      hi[static_cast<size_t>(slot)] = std::min(hi[static_cast<size_t>(slot)], ev.ranges()[static_cast<size_t>(type)].hi);
    };
    for (size_t i = 0; i < sys.instances.size(); ++i) {
      const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
      const ir::InstanceLayout& il = l.instances[i];
      hi[static_cast<size_t>(il.state)] = static_cast<int64_t>(role.states.size()) - 1;
      for (size_t v = 0; v < role.vars.size(); ++v) {
        const ir::TypeId t = role.vars[v].type;
        if (t >= 0 && m.types[static_cast<size_t>(t)].kind == ir::TypeKind::kMap) {
          const ir::Type& mt = m.types[static_cast<size_t>(t)];
          if (l.slots[static_cast<size_t>(il.vars[v])].bits > 0) hi[static_cast<size_t>(il.vars[v])] = mt.capacity;
          for (int k = 0; k < mt.capacity; ++k) {
            set(il.vars[v] + 1 + 2 * k, mt.key);
            set(il.vars[v] + 2 + 2 * k, mt.value);
          }
        } else {
          set(il.vars[v], t);
        }
      }
    }
    for (size_t q = 0; q < sys.queues.size(); ++q) {
      const ir::Queue& qu = sys.queues[q];
      const ir::QueueLayout& ql = l.queues[q];
      hi[static_cast<size_t>(ql.len)] = qu.capacity;
      if (qu.message >= 0) {
        const ir::Message& msg = m.messages[static_cast<size_t>(qu.message)];
        for (int k = 0; k < qu.capacity; ++k) {
          for (int f = 0; f < ql.fields; ++f) set(ql.first + k * ql.fields + f, msg.fields[static_cast<size_t>(f)].type);
        }
      }
      if (ql.loss_budget >= 0) hi[static_cast<size_t>(ql.loss_budget)] = *qu.loss_budget;
      if (ql.dup_budget >= 0) hi[static_cast<size_t>(ql.dup_budget)] = *qu.dup_budget;
      if (ql.loss_run >= 0) hi[static_cast<size_t>(ql.loss_run)] = *qu.loss_run;
    }
    const ir::Environment& env = sys.environment;
    for (size_t e = 0; e < l.env_counters.size(); ++e) {
      if (l.env_counters[e] >= 0) hi[static_cast<size_t>(l.env_counters[e])] = *env.entries[e].bound;
    }
    if (l.script_pc >= 0) hi[static_cast<size_t>(l.script_pc)] = static_cast<int64_t>(env.entries.size());
  }

  // Arguments of a call: fixed by the environment entry, or any value of the domain
  // (addresses: not the zero address), as GenCall enumerates them.
  struct ArgDomain {
    int64_t lo = 0, hi = 0;
  };
  std::vector<ArgDomain> ArgDomains(const Action& a) const {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(a.instance)].role)];
    const ir::Transition& tr = role.transitions[static_cast<size_t>(a.transition)];
    const std::vector<ir::Field>& params = role.calls.at(static_cast<size_t>(tr.event_index)).params;
    const ir::CallEntry::Target* target =
        a.env_entry >= 0 ? &sys.environment.entries[static_cast<size_t>(a.env_entry)].targets[static_cast<size_t>(a.env_target)]
                         : nullptr;
    std::vector<ArgDomain> out;
    for (size_t k = 0; k < params.size(); ++k) {
      ArgDomain d;
      if (target != nullptr && k < target->args.size() && target->args[k]) {
        d.lo = d.hi = *target->args[k];
      } else if (params[k].type >= 0 && params[k].type < static_cast<int>(ev.ranges().size())) {
        const ir::detail::ValueRange& r = ev.ranges()[static_cast<size_t>(params[k].type)];
        d.lo = r.lo;
        d.hi = r.hi;
        if ((r.kind == ir::TypeKind::kMac || r.kind == ir::TypeKind::kIp4) && r.hi >= 1) d.lo = 1;
      }
      out.push_back(d);
    }
    return out;
  }

  // Executes a body on `s` (slot values, updated in place) under path condition `pc`.
  void Exec(const std::vector<ir::Stmt>& body, int acting, std::vector<z3::expr>& s, const EvalEnv& base_env,
            const z3::expr& pc, z3::expr* err, std::vector<PendingSend>& sends) const {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(acting)].role)];
    for (const ir::Stmt& st : body) {
      EvalEnv env = base_env;
      env.state = &s;
      auto expr_at = [&](size_t k) {
        return k < st.exprs.size() ? ev.eval(st.exprs[k], env, pc, err) : bv(0);
      };
      switch (st.kind) {
        case ir::StmtKind::kSend: {
          const ir::Port& port = role.ports.at(static_cast<size_t>(st.index));
          const ir::Message& msg = m.messages.at(static_cast<size_t>(port.message));
          PendingSend p{pc, st.index, {}};
          for (size_t f = 0; f < msg.fields.size(); ++f) p.fields.push_back(ev.fit(msg.fields[f].type, expr_at(f), pc, err));
          sends.push_back(std::move(p));
          break;
        }
        case ir::StmtKind::kAssign: {
          const int slot = ev.var_slot(acting, st.index);
          const z3::expr v = ev.fit(role.vars.at(static_cast<size_t>(st.index)).type, expr_at(0), pc, err);
          s[static_cast<size_t>(slot)] = z3::ite(pc, v, s[static_cast<size_t>(slot)]);
          break;
        }
        case ir::StmtKind::kMapPut:
        case ir::StmtKind::kMapRemove:
          MapUpdate(st, role, acting, s, expr_at, pc, err);
          break;
        case ir::StmtKind::kStart:
        case ir::StmtKind::kStop: {
          const int slot = l.instances[static_cast<size_t>(acting)].timers.at(static_cast<size_t>(st.index));
          s[static_cast<size_t>(slot)] = z3::ite(pc, bv(st.kind == ir::StmtKind::kStart ? 1 : 0), s[static_cast<size_t>(slot)]);
          break;
        }
        case ir::StmtKind::kAssert: {
          const z3::expr c = expr_at(0);
          *err = *err || (pc && c == bv(0));
          break;
        }
        case ir::StmtKind::kIf: {
          const z3::expr c = ev.truth(expr_at(0));
          Exec(st.then_body, acting, s, base_env, pc && c, err, sends);
          Exec(st.else_body, acting, s, base_env, pc && !c, err, sends);
          break;
        }
      }
    }
  }

  // MapPut / MapRemove on sorted (key, value) pairs, as interpreter MapPut / MapRemove.
  template <class ExprAt>
  void MapUpdate(const ir::Stmt& st, const ir::Role& role, int acting, std::vector<z3::expr>& s, ExprAt&& expr_at,
                 const z3::expr& pc, z3::expr* err) const {
    const int slot = ev.var_slot(acting, st.index);
    const ir::Type& t = m.types.at(static_cast<size_t>(role.vars.at(static_cast<size_t>(st.index)).type));
    const int cap = t.capacity < 0 ? 0 : t.capacity;
    auto at = [&](int k) -> z3::expr& { return s[static_cast<size_t>(slot + k)]; };
    const z3::expr size = at(0);
    std::vector<z3::expr> keys, vals;
    for (int j = 0; j < cap; ++j) {
      keys.push_back(at(1 + 2 * j));
      vals.push_back(at(2 + 2 * j));
    }
    z3::expr key = expr_at(0);
    if (st.kind == ir::StmtKind::kMapPut) key = ev.fit(t.key, key, pc, err);
    std::vector<z3::expr> found;
    z3::expr any = ctx.bool_val(false);
    for (int j = 0; j < cap; ++j) {
      found.push_back(ev.map_found(s, slot, cap, j, key));
      any = any || found.back();
    }
    const int64_t key_lo = cap > 0 ? l.slots[static_cast<size_t>(slot + 1)].lo : 0;
    const int64_t val_lo = cap > 0 ? l.slots[static_cast<size_t>(slot + 2)].lo : 0;
    if (st.kind == ir::StmtKind::kMapPut) {
      const z3::expr value = ev.fit(t.value, expr_at(1), pc, err);
      *err = *err || (pc && !any && z3::sge(size, bv(cap)));
      // Insertion point: the first pair whose key is greater (keys are sorted).
      std::vector<z3::expr> before;
      for (int j = 0; j < cap; ++j) before.push_back(z3::sgt(size, bv(j)) && z3::slt(keys[static_cast<size_t>(j)], key));
      for (int j = 0; j < cap; ++j) {
        const size_t u = static_cast<size_t>(j);
        const z3::expr here = j == 0 ? !before[0] : (!before[u] && before[u - 1]);
        const z3::expr k_ins = j == 0 ? z3::ite(here, key, keys[u]) : z3::ite(before[u], keys[u], z3::ite(here, key, keys[u - 1]));
        const z3::expr v_ins = j == 0 ? z3::ite(here, value, vals[u]) : z3::ite(before[u], vals[u], z3::ite(here, value, vals[u - 1]));
        const z3::expr k_new = z3::ite(any, keys[u], k_ins);
        const z3::expr v_new = z3::ite(any, z3::ite(found[u], value, vals[u]), v_ins);
        at(1 + 2 * j) = z3::ite(pc, k_new, keys[u]);
        at(2 + 2 * j) = z3::ite(pc, v_new, vals[u]);
      }
      at(0) = z3::ite(pc && !any, size + bv(1), size);
    } else {
      z3::expr after = ctx.bool_val(false);
      for (int j = 0; j < cap; ++j) {
        const size_t u = static_cast<size_t>(j);
        after = after || found[u];
        const z3::expr k_next = j + 1 < cap ? keys[u + 1] : bv(key_lo);
        const z3::expr v_next = j + 1 < cap ? vals[u + 1] : bv(val_lo);
        at(1 + 2 * j) = z3::ite(pc && after, k_next, keys[u]);
        at(2 + 2 * j) = z3::ite(pc && after, v_next, vals[u]);
      }
      at(0) = z3::ite(pc && any, size - bv(1), size);
    }
  }

  // The terms of action `a` from state `s`; `tag` names its choice variables.
  StepTerms Terms(const Action& a, const std::vector<z3::expr>& s, const std::string& tag,
                  const std::vector<z3::expr>* fixed_args = nullptr, bool with_post = true) const {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(a.instance)].role)];
    const ir::Transition& tr = role.transitions[static_cast<size_t>(a.transition)];
    const ir::InstanceLayout& il = l.instances[static_cast<size_t>(a.instance)];
    const z3::expr& cs = s[static_cast<size_t>(il.state)];
    z3::expr en = ctx.bool_val(false);
    for (size_t st = 0; st < tr.from.size() && st < role.states.size(); ++st) {
      if (tr.from[st]) en = en || cs == bv(static_cast<int64_t>(st));
    }
    std::vector<z3::expr> next = s;
    std::vector<z3::expr> msg, args;
    z3::expr arg_ok = ctx.bool_val(true);
    switch (tr.event) {
      case ir::EventKind::kRecv: {
        const ir::QueueLayout& ql = l.queues[static_cast<size_t>(a.recv_queue)];
        const int cap = sys.queues[static_cast<size_t>(a.recv_queue)].capacity;
        const z3::expr len = s[static_cast<size_t>(ql.len)];
        en = en && z3::sgt(len, bv(a.recv_position));
        for (int f = 0; f < ql.fields; ++f) msg.push_back(s[static_cast<size_t>(ql.first + a.recv_position * ql.fields + f)]);
        if (a.keep) {  // a redelivery: the message stays, one unit of the dup budget goes
          if (ql.dup_budget >= 0) {
            const size_t b = static_cast<size_t>(ql.dup_budget);
            en = en && z3::sgt(s[b], bv(0));
            next[b] = s[b] - bv(1);
          }
          break;
        }
        // Remove the message: the later ones move up (unused positions hold `lo`).
        for (int j = a.recv_position; j < cap; ++j) {
          for (int f = 0; f < ql.fields; ++f) {
            const size_t x = static_cast<size_t>(ql.first + j * ql.fields + f);
            next[x] = j + 1 < cap ? s[x + static_cast<size_t>(ql.fields)] : bv(l.slots[x].lo);
          }
        }
        next[static_cast<size_t>(ql.len)] = len - bv(1);
        break;
      }
      case ir::EventKind::kCall: {
        const ir::Environment& env = sys.environment;
        if (a.env_entry >= 0) {
          if (env.script) {
            const size_t pc = static_cast<size_t>(l.script_pc);
            en = en && s[pc] == bv(a.env_entry);
            next[pc] = s[pc] + bv(1);
          } else {
            const int slot = l.env_counters[static_cast<size_t>(a.env_entry)];
            if (slot >= 0) {
              en = en && z3::slt(s[static_cast<size_t>(slot)], bv(*env.entries[static_cast<size_t>(a.env_entry)].bound));
              next[static_cast<size_t>(slot)] = s[static_cast<size_t>(slot)] + bv(1);
            }
          }
        }
        const std::vector<ArgDomain> doms = ArgDomains(a);
        for (size_t k = 0; k < doms.size(); ++k) {
          if (fixed_args != nullptr) {
            args.push_back((*fixed_args)[k]);
          } else if (doms[k].lo == doms[k].hi) {
            args.push_back(bv(doms[k].lo));
          } else {
            args.push_back(ctx.bv_const((tag + ".arg" + std::to_string(k)).c_str(), 64));
            arg_ok = arg_ok && z3::sge(args.back(), bv(doms[k].lo)) && z3::sle(args.back(), bv(doms[k].hi));
          }
        }
        break;
      }
      case ir::EventKind::kTimeout: {
        const size_t t = static_cast<size_t>(il.timers.at(static_cast<size_t>(tr.event_index)));
        en = en && s[t] == bv(1);
        next[t] = bv(0);
        break;
      }
      case ir::EventKind::kInternal:
        break;
    }
    EvalEnv env;
    env.state = &s;
    env.acting = a.instance;
    env.msg = tr.event == ir::EventKind::kRecv ? &msg : nullptr;
    env.args = tr.event == ir::EventKind::kCall ? &args : nullptr;
    z3::expr gerr = ctx.bool_val(false);
    const z3::expr g = ev.truth(ev.eval(tr.guard, env, ctx.bool_val(true), &gerr));
    StepTerms out{en && arg_ok, en && arg_ok && (g || gerr), ctx.bool_val(false), ctx.bool_val(false),
                  ctx.bool_val(false), {}};
    if (!with_post) return out;

    z3::expr berr = ctx.bool_val(false);
    std::vector<PendingSend> sends;
    EvalEnv benv = env;
    Exec(tr.actions, a.instance, next, benv, ctx.bool_val(true), &berr, sends);
    if (tr.target >= 0) next[static_cast<size_t>(il.state)] = bv(tr.target);

    // A blocking channel without room for every copy sent to it (each counted as
    // delivered) disables the step (the interpreter's Fire).
    z3::expr blocked = ctx.bool_val(false);
    for (size_t q = 0; q < sys.queues.size(); ++q) {
      if (!sys.queues[q].blocking) continue;
      z3::expr need = bv(0);
      bool any = false;
      for (const PendingSend& p : sends) {
        for (int pq : port_queues[static_cast<size_t>(a.instance)][static_cast<size_t>(p.port)]) {
          if (pq != static_cast<int>(q)) continue;
          need = need + z3::ite(p.cond, bv(1), bv(0));
          any = true;
        }
      }
      if (any) blocked = blocked || z3::sgt(next[static_cast<size_t>(l.queues[q].len)] + need, bv(sys.queues[q].capacity));
    }
    // Each copy of each send: delivered (0), lost (1) or duplicated (2), in order.
    z3::expr faults_ok = ctx.bool_val(true), send_err = ctx.bool_val(false);
    int copy = 0;
    for (const PendingSend& p : sends) {
      for (int q : port_queues[static_cast<size_t>(a.instance)][static_cast<size_t>(p.port)]) {
        const ir::Queue& qu = sys.queues[static_cast<size_t>(q)];
        const ir::QueueLayout& ql = l.queues[static_cast<size_t>(q)];
        const z3::expr c = ctx.bv_const((tag + ".fault" + std::to_string(copy++)).c_str(), 2);
        const z3::expr len = next[static_cast<size_t>(ql.len)];
        const z3::expr cap = bv(qu.capacity);
        // A `dup redeliver` queue duplicates at the receive (Action::keep), not here.
        const bool dup_at_send = qu.dup && !qu.redeliver;
        z3::expr lose_ok = ctx.bool_val(qu.lossy), dup_ok = ctx.bool_val(dup_at_send);
        if (qu.lossy && ql.loss_budget >= 0) lose_ok = z3::sgt(next[static_cast<size_t>(ql.loss_budget)], bv(0));
        if (qu.lossy && ql.loss_run >= 0) lose_ok = lose_ok && z3::slt(next[static_cast<size_t>(ql.loss_run)], bv(*qu.loss_run));
        if (dup_at_send && ql.dup_budget >= 0) dup_ok = z3::sgt(next[static_cast<size_t>(ql.dup_budget)], bv(0));
        if (dup_at_send && qu.blocking) dup_ok = dup_ok && z3::sle(len + bv(2), cap);
        const z3::expr deliver = c == ctx.bv_val(0, 2), lose = c == ctx.bv_val(1, 2), dup = c == ctx.bv_val(2, 2);
        const z3::expr allowed = deliver || (lose && lose_ok) || (dup && dup_ok);
        const z3::expr overflow = (deliver && z3::sge(len, cap)) || (dup && dup_ok && z3::sgt(len + bv(2), cap));
        send_err = send_err || (faults_ok && p.cond && overflow);
        faults_ok = faults_ok && z3::ite(p.cond, allowed && !overflow, deliver);
        // Append (once, or twice when duplicated) at the tail.
        for (int j = 0; j < qu.capacity; ++j) {
          const z3::expr first = p.cond && (deliver || dup) && len == bv(j);
          const z3::expr second = p.cond && dup && len + bv(1) == bv(j);
          for (int f = 0; f < ql.fields; ++f) {
            const size_t x = static_cast<size_t>(ql.first + j * ql.fields + f);
            next[x] = z3::ite(first || second, p.fields[static_cast<size_t>(f)], next[x]);
          }
        }
        next[static_cast<size_t>(ql.len)] =
            z3::ite(p.cond && deliver, len + bv(1), z3::ite(p.cond && dup, len + bv(2), len));
        if (ql.loss_budget >= 0) {
          const size_t b = static_cast<size_t>(ql.loss_budget);
          next[b] = z3::ite(p.cond && lose, next[b] - bv(1), next[b]);
        }
        if (ql.dup_budget >= 0) {
          const size_t b = static_cast<size_t>(ql.dup_budget);
          next[b] = z3::ite(p.cond && dup, next[b] - bv(1), next[b]);
        }
        if (ql.loss_run >= 0) {  // losses in a row: one more, or none after a copy that got through
          const size_t r = static_cast<size_t>(ql.loss_run);
          next[r] = z3::ite(p.cond, z3::ite(lose, next[r] + bv(1), bv(0)), next[r]);
        }
      }
    }
    out.ok = en && arg_ok && g && !gerr && !berr && faults_ok && !blocked;
    out.error = en && arg_ok && (gerr || (g && (berr || (send_err && !blocked))));
    out.fires = en && arg_ok && (gerr || (g && (berr || !blocked)));
    out.blocked = blocked;
    out.post = std::move(next);
    return out;
  }
};

// ---------------------------------------------------------------------------------------

Encoding::Encoding(const ir::TransitionSystem& ts, z3::context& ctx)
    : ts_(&ts), ctx_(&ctx), impl_(std::make_shared<Impl>(ts, ctx)) {
  const ir::System& sys = ts.system();
  const ir::Model& m = ts.model();
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    for (size_t t = 0; t < role.transitions.size(); ++t) {
      const ir::Transition& tr = role.transitions[t];
      Action a;
      a.instance = static_cast<int>(i);
      a.transition = static_cast<int>(t);
      switch (tr.event) {
        case ir::EventKind::kRecv:
          for (size_t q = 0; q < sys.queues.size(); ++q) {
            const ir::Queue& qu = sys.queues[q];
            if (qu.receiver != static_cast<int>(i) || qu.recv_port != tr.event_index) continue;
            a.recv_queue = static_cast<int>(q);
            for (int p = 0; p < (qu.bag ? qu.capacity : std::min(1, qu.capacity)); ++p) {
              a.recv_position = p;
              a.keep = false;
              actions_.push_back(a);
              if (qu.dup && qu.redeliver) {
                a.keep = true;
                actions_.push_back(a);
              }
            }
            a.keep = false;
          }
          break;
        case ir::EventKind::kCall: {
          const ir::Environment& env = sys.environment;
          if (env.unrestricted) {
            actions_.push_back(a);
            break;
          }
          for (size_t e = 0; e < env.entries.size(); ++e) {
            const auto& targets = env.entries[e].targets;
            for (size_t k = 0; k < targets.size(); ++k) {
              if (targets[k].instance == static_cast<int>(i) &&
                  (targets[k].call == tr.event_index || targets[k].call < 0)) {
                a.env_entry = static_cast<int>(e);
                a.env_target = static_cast<int>(k);
                actions_.push_back(a);
              }
            }
          }
          break;
        }
        default:
          actions_.push_back(a);
          break;
      }
    }
  }
  while ((size_t{1} << sel_bits_) < actions_.size() + 1) ++sel_bits_;
}

Frame Encoding::frame(const std::string& prefix) const {
  const ir::Layout& l = ts_->layout();
  Frame f;
  for (const ir::Slot& s : l.slots) {
    if (s.bits == 0) {
      f.vars.push_back(ctx_->bool_val(false));  // placeholder, never used
      f.vals.push_back(impl_->bv(s.lo));
      continue;
    }
    const unsigned bits = static_cast<unsigned>(s.bits);
    z3::expr v = ctx_->bv_const((prefix + "." + s.name).c_str(), bits);
    f.vars.push_back(v);
    z3::expr wide = bits >= 64 ? v : z3::zext(v, 64 - bits);
    f.vals.push_back(s.lo == 0 ? wide : wide + impl_->bv(s.lo));
  }
  return f;
}

z3::expr Encoding::initial(const Frame& f) const {
  const ir::Slots init = ts_->initial_state();
  z3::expr c = ctx_->bool_val(true);
  for (size_t k = 0; k < init.size(); ++k) {
    if (ts_->layout().slots[k].bits == 0) continue;
    c = c && f.vals[k] == impl_->bv(init[k]);
  }
  return c;
}

z3::expr Encoding::wellformed(const Frame& f) const {
  const ir::Layout& l = ts_->layout();
  const ir::System& sys = ts_->system();
  const ir::Model& m = ts_->model();
  z3::expr c = ctx_->bool_val(true);
  for (size_t k = 0; k < l.slots.size(); ++k) {
    const ir::Slot& s = l.slots[k];
    if (s.bits == 0 || s.bits >= 63) continue;
    if (impl_->hi[k] < s.lo + (int64_t{1} << s.bits) - 1) c = c && z3::sle(f.vals[k], impl_->bv(impl_->hi[k]));
  }
  auto neutral = [&](int slot) {
    return l.slots[static_cast<size_t>(slot)].bits == 0 ? ctx_->bool_val(true)
                                                         : f.vals[static_cast<size_t>(slot)] == impl_->bv(l.slots[static_cast<size_t>(slot)].lo);
  };
  for (size_t q = 0; q < sys.queues.size(); ++q) {
    const ir::QueueLayout& ql = l.queues[q];
    const z3::expr len = f.vals[static_cast<size_t>(ql.len)];
    for (int j = 0; j < sys.queues[q].capacity; ++j) {
      for (int fi = 0; fi < ql.fields; ++fi) c = c && z3::implies(z3::sle(len, impl_->bv(j)), neutral(ql.first + j * ql.fields + fi));
    }
  }
  for (size_t i = 0; i < sys.instances.size(); ++i) {
    const ir::Role& role = m.roles[static_cast<size_t>(sys.instances[i].role)];
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const ir::TypeId t = role.vars[v].type;
      if (t < 0 || m.types[static_cast<size_t>(t)].kind != ir::TypeKind::kMap) continue;
      const int slot = l.instances[i].vars[v];
      const int cap = m.types[static_cast<size_t>(t)].capacity;
      const z3::expr size = f.vals[static_cast<size_t>(slot)];
      for (int j = 0; j < cap; ++j) {
        c = c && z3::implies(z3::sle(size, impl_->bv(j)), neutral(slot + 1 + 2 * j) && neutral(slot + 2 + 2 * j));
        if (j + 1 < cap) {
          c = c && z3::implies(z3::sgt(size, impl_->bv(j + 1)),
                               z3::slt(f.vals[static_cast<size_t>(slot + 1 + 2 * j)], f.vals[static_cast<size_t>(slot + 3 + 2 * j)]));
        }
      }
    }
  }
  return c;
}

z3::expr Encoding::same(const Frame& a, const Frame& b) const {
  z3::expr c = ctx_->bool_val(true);
  for (size_t k = 0; k < a.vars.size(); ++k) {
    if (ts_->layout().slots[k].bits == 0) continue;
    c = c && a.vars[k] == b.vars[k];
  }
  return c;
}

z3::expr Encoding::selector(const std::string& tag) const {
  return ctx_->bv_const((tag + ".action").c_str(), static_cast<unsigned>(sel_bits_));
}

z3::expr Encoding::step(const Frame& f, const Frame& g, const std::string& tag) {
  const z3::expr sel = selector(tag);
  z3::expr c = z3::ult(sel, ctx_->bv_val(actions_.size(), static_cast<unsigned>(sel_bits_)));
  const ir::Layout& l = ts_->layout();
  // Per slot: the distinct values actions give it, each with the actions giving it.
  std::vector<std::vector<std::pair<z3::expr, z3::expr>>> choices(l.slots.size());
  // The slot's stored form (value - lo at the slot's width): the choice between actions
  // is made at that width, not on 64-bit values.
  auto stored = [&](size_t k, const z3::expr& v) {
    const ir::Slot& s = l.slots[k];
    const z3::expr d = s.lo == 0 ? v : v - impl_->bv(s.lo);
    return d.extract(static_cast<unsigned>(s.bits) - 1, 0).simplify();
  };
  for (size_t a = 0; a < actions_.size(); ++a) {
    const std::string atag = tag + ".a" + std::to_string(a);
    StepTerms t = impl_->Terms(actions_[a], f.vals, atag);
    const z3::expr is = sel == ctx_->bv_val(a, static_cast<unsigned>(sel_bits_));
    c = c && z3::implies(is, t.ok);
    for (size_t k = 0; k < l.slots.size(); ++k) {
      if (l.slots[k].bits == 0 || z3::eq(t.post[k], f.vals[k])) continue;
      const z3::expr v = stored(k, t.post[k]);
      if (z3::eq(v, f.vars[k])) continue;
      auto& opts = choices[k];
      auto it = std::find_if(opts.begin(), opts.end(), [&](const auto& o) { return z3::eq(o.first, v); });
      if (it == opts.end()) {
        opts.emplace_back(v, is);
      } else {
        it->second = it->second || is;
      }
    }
  }
  for (size_t k = 0; k < l.slots.size(); ++k) {
    if (l.slots[k].bits == 0) continue;
    z3::expr v = f.vars[k];
    for (auto it = choices[k].rbegin(); it != choices[k].rend(); ++it) v = z3::ite(it->second, it->first, v);
    c = c && g.vars[k] == v;
  }
  return c;
}

z3::expr Encoding::error_step(const Frame& f, const std::string& tag) {
  const z3::expr sel = selector(tag);
  z3::expr any = ctx_->bool_val(false);
  for (size_t a = 0; a < actions_.size(); ++a) {
    StepTerms t = impl_->Terms(actions_[a], f.vals, tag + ".a" + std::to_string(a));
    any = any || (sel == ctx_->bv_val(a, static_cast<unsigned>(sel_bits_)) && t.error);
  }
  return any;
}

z3::expr Encoding::has_successor(const Frame& f, bool* exact) {
  *exact = true;
  const ir::Model& m = ts_->model();
  const ir::System& sys = ts_->system();
  // A blocking channel makes "fires" depend on the sends: compute the post-state then.
  const bool post = std::any_of(sys.queues.begin(), sys.queues.end(), [](const ir::Queue& q) { return q.blocking; });
  z3::expr any = ctx_->bool_val(false);
  for (size_t a = 0; a < actions_.size(); ++a) {
    const Action& act = actions_[a];
    const ir::Transition& tr =
        m.roles[static_cast<size_t>(sys.instances[static_cast<size_t>(act.instance)].role)].transitions[static_cast<size_t>(act.transition)];
    if (tr.event != ir::EventKind::kCall) {
      any = any || impl_->Terms(act, f.vals, "has", nullptr, post).fires;
      continue;
    }
    // Arguments: every value of each domain (the guard may hold for some only).
    const auto doms = impl_->ArgDomains(act);
    uint64_t n = 1;
    for (const auto& d : doms) {
      const uint64_t span = static_cast<uint64_t>(d.hi - d.lo) + 1;
      n = span == 0 || n > 4096 / span ? 4097 : n * span;
    }
    if (n > 4096) {
      *exact = false;
      any = any || impl_->Terms(act, f.vals, "has", nullptr, false).enabled;  // over-approximates blocking too
      continue;
    }
    std::vector<int64_t> cur;
    for (const auto& d : doms) cur.push_back(d.lo);
    while (true) {
      std::vector<z3::expr> args;
      for (int64_t v : cur) args.push_back(impl_->bv(v));
      any = any || impl_->Terms(act, f.vals, "has", &args, post).fires;
      size_t k = cur.size();
      bool done = true;
      while (k-- > 0) {
        if (cur[k] < doms[k].hi) {
          ++cur[k];
          done = false;
          break;
        }
        cur[k] = doms[k].lo;
      }
      if (done) break;
    }
  }
  return any;
}

z3::expr Encoding::holds(const Frame& f, const ir::Expr& e) {
  EvalEnv env;
  env.state = &f.vals;
  z3::expr err = ctx_->bool_val(false);
  const z3::expr v = impl_->ev.eval(e, env, ctx_->bool_val(true), &err);
  return v != impl_->bv(0) && !err;
}

ir::Slots Encoding::state_of(const z3::model& m, const Frame& f) const {
  const ir::Layout& l = ts_->layout();
  ir::Slots s(l.slots.size());
  for (size_t k = 0; k < l.slots.size(); ++k) {
    if (l.slots[k].bits == 0) {
      s[k] = l.slots[k].lo;
      continue;
    }
    const z3::expr v = m.eval(f.vars[k], true);
    s[k] = static_cast<int64_t>(v.get_numeral_uint64()) + l.slots[k].lo;
  }
  return s;
}

int Encoding::action_of(const z3::model& m, const std::string& tag) const {
  return static_cast<int>(m.eval(selector(tag), true).get_numeral_uint64());
}

}  // namespace sp::checker::symbolic
