#include "gen/explore.hpp"

#include <algorithm>


namespace sp::gen {

Explorer::Explorer(const Encoder& enc, z3::solver& solver, ExploreOptions options)
    : enc_(enc), solver_(solver), options_(options) {
  z3::params p(enc.ctx());
  if (options_.query_rlimit) p.set("rlimit", options_.query_rlimit);
  solver_.set(p);
  first_.assign(enc.role().transitions.size(), -1);
}

int Explorer::first(int transition) const { return first_[transition]; }

std::vector<int> Explorer::path(int node) const {
  std::vector<int> p;
  for (int n = node; n > 0; n = nodes_[n].parent) p.push_back(n);
  return {p.rbegin(), p.rend()};
}

int Explorer::reached_states() const {
  std::vector<bool> seen(enc_.role().states.size());
  for (const Node& n : nodes_) seen[n.state.control] = true;
  int k = 0;
  for (bool b : seen) k += b;
  return k;
}

void Explorer::enter(int node) {
  std::vector<int> chain = path(node);
  size_t k = 0;
  while (k < trail_.size() && k < chain.size() && trail_[k] == chain[k]) ++k;
  if (trail_.size() > k) solver_.pop(static_cast<unsigned>(trail_.size() - k));
  trail_.resize(k);
  for (size_t i = k; i < chain.size(); ++i) {
    solver_.push();
    assume(nodes_[chain[i]].constraint);
    trail_.push_back(chain[i]);
  }
}

bool Explorer::Satisfies(const z3::expr& e) {
  if (!model_) return false;
  try {
    return model_->eval(e, true).is_true();
  } catch (const z3::exception&) {
    return false;
  }
}

void Explorer::assume(const z3::expr& e) {
  solver_.add(e);
  if (model_ && !Satisfies(e)) model_.reset();
}

z3::check_result Explorer::Check(const z3::expr* extra) {
  if (extra && Satisfies(*extra)) {
    stats_.model_hits++;
    return z3::sat;
  }
  auto t0 = std::chrono::steady_clock::now();
  z3::check_result r = z3::unknown;
  if (extra) solver_.push();
  try {
    if (extra) solver_.add(*extra);
    r = solver_.check();
    // The model of the assertions plus `extra` is one of the assertions alone.
    if (r == z3::sat && cache_models_) model_ = solver_.get_model();
  } catch (const z3::exception&) {
    r = z3::unknown;
  }
  if (extra) solver_.pop();
  stats_.queries++;
  if (r == z3::unknown) stats_.unknown++;
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

z3::check_result Explorer::check(const z3::expr& extra) { return Check(&extra); }

z3::check_result Explorer::check_current() { return Check(nullptr); }

Stimulus Explorer::stimulus(int transition, int depth, std::vector<Choice>* choices,
                            z3::expr* domain) const {
  const ir::Role& role = enc_.role();
  const ir::Transition& tr = role.transitions[transition];
  z3::context& c = enc_.ctx();
  Stimulus s;
  z3::expr dom = c.bool_val(true);
  const std::string pre = "d" + std::to_string(depth) + "_";
  if (tr.event == ir::EventKind::kRecv) {
    const ir::Port& port = role.ports[tr.event_index];
    const ir::Message& m = enc_.model().messages[port.message];
    const bool tcp = m.wire == "tcp";
    for (const ir::Field& f : m.fields) {
      z3::expr sym = enc_.fresh(pre + port.name + "_" + f.name, f.type);
      dom = dom && enc_.domain(sym, f.type);
      int space = 0;
      z3::expr value = sym;
      if (tcp && enc_.is_seq(f.type) && f.name == "seq") {
        space = 1;
        value = enc_.coerce(enc_.tester_isn(), sym.get_sort()) + sym;
      } else if (tcp && enc_.is_seq(f.type) && f.name == "ack") {
        space = 2;
        value = enc_.coerce(enc_.iut_isn(), sym.get_sort()) + sym;
      }
      s.msg.push_back(value);
      if (choices) choices->push_back(Choice{sym, f.type, f.name, space});
    }
  } else if (tr.event == ir::EventKind::kCall) {
    const ir::Call& call = role.calls[tr.event_index];
    for (const ir::Field& f : call.params) {
      z3::expr sym = enc_.fresh(pre + call.name + "_" + f.name, f.type);
      dom = dom && enc_.domain(sym, f.type);
      s.args.push_back(sym);
      if (choices) choices->push_back(Choice{sym, f.type, f.name, 0});
    }
  }
  if (domain) *domain = dom;
  return s;
}

bool Explorer::controllable(int parent, int transition, std::string* why) const {
  const ir::Role& role = enc_.role();
  const ir::Transition& tr = role.transitions[transition];
  const SymState& st = nodes_[parent].state;
  if (!tr.from[st.control]) return false;
  switch (tr.event) {
    case ir::EventKind::kRecv: {
      const ir::Message& m = enc_.model().messages[role.ports[tr.event_index].message];
      if (m.wire.empty()) {
        if (why) *why = "message " + m.name + " has no wire binding: the tester cannot inject it";
        return false;
      }
      return true;
    }
    case ir::EventKind::kTimeout: {
      const TimerState& t = st.timers[tr.event_index];
      if (!t.armed) return false;
      int n = next_timer(st);
      return n >= 0 && st.timers[n].deadline_ms == t.deadline_ms;
    }
    default:
      return true;
  }
}

std::vector<Node> Explorer::expand(int parent, int transition, z3::expr* exclusion) const {
  const ir::Role& role = enc_.role();
  const ir::Transition& tr = role.transitions[transition];
  const Node& p = nodes_[parent];
  z3::context& c = enc_.ctx();
  std::vector<Choice> choices;
  z3::expr dom = c.bool_val(true);
  Stimulus stim = stimulus(transition, p.depth + 1, &choices, &dom);
  std::vector<Outcome> outs = execute(enc_, transition, p.state, stim);
  // Other transitions the same stimulus could trigger in this state.
  z3::expr excl = c.bool_val(true);
  if (tr.event != ir::EventKind::kInternal) {
    for (size_t o = 0; o < role.transitions.size(); ++o) {
      const ir::Transition& ot = role.transitions[o];
      if (static_cast<int>(o) == transition || !ot.from[p.state.control] ||
          ot.event != tr.event || ot.event_index != tr.event_index) {
        continue;
      }
      Encoder::Env env;
      SymState pre = p.state;
      if (tr.event == ir::EventKind::kTimeout) pre.timers[tr.event_index].armed = true;
      env.state = &pre;
      env.msg = &stim.msg;
      env.args = &stim.args;
      std::vector<z3::expr> side;
      env.side = &side;
      excl = excl && !enc_.truth(enc_.eval(ot.guard, env));
    }
  }
  if (exclusion) *exclusion = excl;
  std::vector<Node> kids;
  for (Outcome& o : outs) {
    Node n(c);
    n.parent = parent;
    n.depth = p.depth + 1;
    n.transition = transition;
    n.via = p.via || (static_cast<size_t>(o.state.control) < options_.prefer_via.size() &&
                      options_.prefer_via[static_cast<size_t>(o.state.control)]);
    n.branch = o.branch;
    n.state = std::move(o.state);
    n.sends = std::move(o.sends);
    n.stimulus = stim;
    n.choices = choices;
    n.stim_domain = dom;
    n.guard = o.guard;
    z3::expr body = c.bool_val(true);
    for (const z3::expr& e : o.conds) body = body && e;
    n.body = body;
    n.constraint = dom && o.guard && body;
    n.atoms = std::move(o.atoms);
    n.map_writes = std::move(o.map_writes);
    if (tr.event == ir::EventKind::kTimeout) {
      n.fired_timer = tr.event_index;
      n.wait_ms = n.state.now_ms - p.state.now_ms;
    }
    kids.push_back(std::move(n));
  }
  return kids;
}

int Explorer::add(Node n) {
  nodes_.push_back(std::move(n));
  int id = static_cast<int>(nodes_.size()) - 1;
  int t = nodes_[id].transition;
  if (t >= 0 && first_[t] < 0) first_[t] = id;
  return id;
}

std::string Explorer::Key(const Node& n) const {
  const ir::Role& role = enc_.role();
  std::string k = std::to_string(n.state.control) + "|";
  for (const TimerState& t : n.state.timers) {
    k += t.armed ? "A" + std::to_string(t.expiries) + ":" +
                       std::to_string(t.deadline_ms - n.state.now_ms)
                 : "-";
    k += ",";
  }
  auto num = [](const z3::expr& e) {
    z3::expr s = e.simplify();
    return s.is_numeral() || s.is_true() || s.is_false() ? s.to_string() : std::string("?");
  };
  for (size_t v = 0; v < role.vars.size(); ++v) {
    const ir::TypeKind kind = enc_.kind(role.vars[v].type);
    if (kind == ir::TypeKind::kMap) {
      for (const SymMapEntry& e : n.state.maps[v]) k += num(e.present) + num(e.key) + num(e.value);
    } else if (kind == ir::TypeKind::kSeq) {
      const z3::expr& x = n.state.vars[v];
      k += num(x - enc_.coerce(enc_.iut_isn(), x.get_sort())) + "/" +
           num(x - enc_.coerce(enc_.tester_isn(), x.get_sort()));
    } else {
      k += num(n.state.vars[v]);
    }
    k += ";";
  }
  return k;
}

void Explorer::run() {
  nodes_.clear();
  trail_.clear();
  key_count_.clear();
  branches_.clear();
  first_.assign(enc_.role().transitions.size(), -1);
  truncated_ = false;
  solver_.reset();
  model_.reset();
  Node root(enc_.ctx());
  root.state = enc_.initial_state();
  root.constraint = enc_.ctx().bool_val(true);
  root.stim_domain = root.guard = root.body = root.exclusion = root.constraint;
  nodes_.push_back(std::move(root));
  key_count_[Key(nodes_[0])] = 1;
  // Level by level: the children of one level are built (no solver), those worth a
  // node are checked for feasibility, and the feasible ones added in order.
  struct Candidate {
    int parent;
    Node kid;
    bool query;  // needs a solver check
    std::string key;
  };
  std::vector<int> level{0};
  const int ntr = static_cast<int>(enc_.role().transitions.size());
  while (!level.empty()) {
    std::vector<Candidate> cands;
    for (int id : level) {
      if (nodes_[id].depth >= options_.depth) continue;
      for (int t = 0; t < ntr; ++t) {
        if (!controllable(id, t, nullptr)) continue;
        z3::expr excl = enc_.ctx().bool_val(true);
        std::vector<Node> kids = expand(id, t, &excl);
        for (Node& kid : kids) {
          kid.constraint = kid.constraint.simplify();
          if (kid.constraint.is_false()) continue;
          kid.exclusion = excl;
          std::string key = Key(kid);
          // A leaf nothing would use: its abstract state is expanded already and an
          // earlier level has a path ending in the same branch of the same transition
          // from the same control state (the tests, the boundaries and the W-method's
          // states come from those). Known before this level's checks, so it does not
          // depend on their answers.
          auto kc = key_count_.find(key);
          if (kc != key_count_.end() && kc->second >= options_.per_key &&
              branches_.count({t, nodes_[id].state.control, kid.branch})) {
            continue;
          }
          // No guard, no branch: feasible with its parent, no query needed.
          const bool query = !kid.constraint.is_true();
          cands.push_back(Candidate{id, std::move(kid), query, std::move(key)});
        }
      }
    }
    // Exploration checks one new step per query and seldom twice against one model:
    // fetching models there costs more than it saves.
    cache_models_ = false;
    std::vector<char> feasible(cands.size(), 1);
    for (size_t i = 0; i < cands.size(); ++i) {
      if (!cands[i].query) continue;
      enter(cands[i].parent);
      feasible[i] = check(cands[i].kid.constraint) == z3::sat;
    }
    cache_models_ = true;
    // Paths through a preferred state first: the first node of a transition, of a
    // branch or of a control state is the one tests and W-method states are built on.
    std::vector<size_t> order;
    for (size_t i = 0; i < cands.size(); ++i) {
      if (feasible[i]) order.push_back(i);
    }
    std::stable_partition(order.begin(), order.end(), [&](size_t i) { return cands[i].kid.via; });
    std::vector<int> next, added;
    for (size_t i : order) {
      Candidate& cd = cands[i];
      if (static_cast<int>(nodes_.size()) >= options_.max_nodes) {
        truncated_ = true;
        return;
      }
      int& count = key_count_[cd.key];
      int nid = add(std::move(cd.kid));
      added.push_back(nid);
      if (count < options_.per_key) {
        ++count;
        next.push_back(nid);
      }
    }
    for (int id : added) {
      branches_.insert({nodes_[id].transition, nodes_[nodes_[id].parent].state.control, nodes_[id].branch});
    }
    level = std::move(next);
  }
}

}  // namespace sp::gen
