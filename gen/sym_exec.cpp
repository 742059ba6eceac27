#include "gen/sym_exec.hpp"

namespace sp::gen {

namespace {

struct Part {
  SymState state;
  std::vector<SymSend> sends;
  std::vector<z3::expr> conds;
  std::vector<Atom> atoms;
  std::string branch;
  std::vector<std::pair<int, z3::expr>> map_writes;
};

class Runner {
 public:
  Runner(const Encoder& enc, const ir::Transition& tr, const Stimulus& in, int fired_timer)
      : enc_(enc), tr_(tr), in_(in), fired_(fired_timer) {}

  void Run(const std::vector<ir::Stmt>& body, std::vector<Part>& parts) const {
    for (const ir::Stmt& st : body) {
      std::vector<Part> next;
      for (Part& p : parts) Step(st, std::move(p), next);
      parts = std::move(next);
    }
  }

  z3::expr Eval(const ir::Expr& e, Part& p, bool atoms) const {
    Encoder::Env env;
    env.state = &p.state;
    env.msg = &in_.msg;
    env.args = &in_.args;
    env.side = &p.conds;
    env.atoms = atoms ? &p.atoms : nullptr;
    env.transition = &tr_;
    return enc_.eval(e, env);
  }

 private:
  void Step(const ir::Stmt& st, Part p, std::vector<Part>& out) const {
    const ir::Role& role = enc_.role();
    z3::context& c = enc_.ctx();
    switch (st.kind) {
      case ir::StmtKind::kSend: {
        SymSend s;
        s.port = st.index;
        s.message = role.ports[st.index].message;
        const ir::Message& m = enc_.model().messages[s.message];
        for (size_t f = 0; f < m.fields.size(); ++f) {
          z3::sort so = enc_.sort_of(m.fields[f].type);
          if (f < st.exprs.size()) {
            s.fields.push_back(enc_.coerce(Eval(st.exprs[f], p, false), so));
          } else {
            s.fields.push_back(enc_.constant(m.fields[f].type, 0));
          }
        }
        p.sends.push_back(std::move(s));
        break;
      }
      case ir::StmtKind::kAssign: {
        const ir::Var& v = role.vars[st.index];
        z3::expr val = enc_.coerce(Eval(st.exprs[0], p, false), enc_.sort_of(v.type));
        if (enc_.kind(v.type) == ir::TypeKind::kInt) p.conds.push_back(enc_.domain(val, v.type));
        p.state.vars[st.index] = val.simplify();
        break;
      }
      case ir::StmtKind::kMapPut: {
        const ir::Type& mt = enc_.model().types[role.vars[st.index].type];
        z3::expr key = enc_.coerce(Eval(st.exprs[0], p, false), enc_.sort_of(mt.key));
        z3::expr val = enc_.coerce(Eval(st.exprs[1], p, false), enc_.sort_of(mt.value));
        auto& m = p.state.maps[st.index];
        if (m.empty()) {  // materialise the capacity's slots, all absent
          for (int i = 0; i < mt.capacity; ++i) {
            std::string n = role.vars[st.index].name + "_" + std::to_string(i);
            m.push_back(SymMapEntry{c.bool_val(false), enc_.fresh(n + "_k", mt.key),
                                    enc_.fresh(n + "_v", mt.value)});
          }
        }
        z3::expr had = enc_.map_has(m, key);
        p.conds.push_back(had || ![&] {
          z3::expr full = c.bool_val(true);
          for (const SymMapEntry& e : m) full = full && e.present;
          return full;
        }());  // a full map is a checking error
        z3::expr earlier_full = c.bool_val(true);
        for (SymMapEntry& e : m) {
          z3::expr match = e.present && e.key == key;
          z3::expr take = !had && !e.present && earlier_full;
          earlier_full = earlier_full && e.present;
          e.value = z3::ite(match || take, val, e.value).simplify();
          e.key = z3::ite(take, key, e.key).simplify();
          e.present = (e.present || take).simplify();
        }
        p.map_writes.emplace_back(st.index, key);
        break;
      }
      case ir::StmtKind::kMapRemove: {
        const ir::Type& mt = enc_.model().types[role.vars[st.index].type];
        z3::expr key = enc_.coerce(Eval(st.exprs[0], p, false), enc_.sort_of(mt.key));
        for (SymMapEntry& e : p.state.maps[st.index]) {
          e.present = (e.present && !(e.key == key)).simplify();
        }
        p.map_writes.emplace_back(st.index, key);
        break;
      }
      case ir::StmtKind::kStart: {
        TimerState& t = p.state.timers[st.index];
        const ir::Timer& def = role.timers[st.index];
        if (st.index == fired_) {
          t.interval_ms = t.interval_ms * def.backoff;
          t.expiries += 1;
        } else {
          t.interval_ms = def.duration_ms;
          t.expiries = 0;
        }
        t.armed = true;
        t.deadline_ms = p.state.now_ms + t.interval_ms;
        break;
      }
      case ir::StmtKind::kStop:
        p.state.timers[st.index].armed = false;
        break;
      case ir::StmtKind::kAssert:
        p.conds.push_back(enc_.truth(Eval(st.exprs[0], p, false)));
        break;
      case ir::StmtKind::kIf: {
        z3::expr cond = enc_.truth(Eval(st.exprs[0], p, true));
        Part q = p;
        std::vector<Part> yes{std::move(p)}, no{std::move(q)};
        yes[0].conds.push_back(cond);
        yes[0].branch += yes[0].branch.empty() ? "then" : ".then";
        no[0].conds.push_back(!cond);
        no[0].branch += no[0].branch.empty() ? "else" : ".else";
        Run(st.then_body, yes);
        Run(st.else_body, no);
        for (Part& x : yes) out.push_back(std::move(x));
        for (Part& x : no) out.push_back(std::move(x));
        break;
      }
    }
    if (st.kind != ir::StmtKind::kIf) out.push_back(std::move(p));
  }

  const Encoder& enc_;
  const ir::Transition& tr_;
  const Stimulus& in_;
  int fired_;
};

}  // namespace

z3::expr Outcome::condition() const {
  z3::expr all = guard;
  for (const z3::expr& c : conds) all = all && c;
  return all;
}

int next_timer(const SymState& s) {
  int best = -1;
  for (size_t i = 0; i < s.timers.size(); ++i) {
    if (!s.timers[i].armed) continue;
    if (best < 0 || s.timers[i].deadline_ms < s.timers[best].deadline_ms) best = static_cast<int>(i);
  }
  return best;
}

std::vector<Outcome> execute(const Encoder& enc, int transition, const SymState& pre,
                             const Stimulus& in) {
  const ir::Transition& tr = enc.role().transitions[transition];
  int fired = -1;
  Part start{pre, {}, {}, {}, "", {}};
  if (tr.event == ir::EventKind::kTimeout) {
    fired = tr.event_index;
    TimerState& t = start.state.timers[fired];
    start.state.now_ms = t.deadline_ms;
    t.armed = false;
  }
  Runner run(enc, tr, in, fired);
  z3::expr guard = enc.truth(run.Eval(tr.guard, start, true));
  for (Atom& a : start.atoms) a.in_guard = true;
  std::vector<Part> parts{std::move(start)};
  run.Run(tr.actions, parts);
  std::vector<Outcome> out;
  for (Part& p : parts) {
    if (tr.target >= 0) p.state.control = tr.target;
    Outcome o{std::move(p.state), std::move(p.sends), guard, std::move(p.conds),
              std::move(p.atoms), std::move(p.branch), std::move(p.map_writes)};
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace sp::gen
