// LTL to Büchi automata: tableau translation, reductions, degeneralization.
#include "checker/ltl/buchi.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "checker/ltl/scc.hpp"

namespace sp::checker::ltl {

size_t Automaton::edges() const {
  size_t n = 0;
  for (const auto& e : out) n += e.size();
  return n;
}

namespace {

// ---------------------------------------------------------------------------------
// Hash-consed formula DAG: equal subformulas share one id, so obligation sets are sorted
// vectors of ints.
struct Node {
  Op op = Op::kTrue;
  int atom = -1;
  int a = -1, b = -1;
};

class Table {
 public:
  int add(const Formula& f) {
    int a = f.args.size() > 0 ? add(f.args[0]) : -1;
    int b = f.args.size() > 1 ? add(f.args[1]) : -1;
    auto key = std::make_tuple(static_cast<int>(f.op), f.atom, a, b);
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    nodes_.push_back(Node{f.op, f.atom, a, b});
    const int id = static_cast<int>(nodes_.size()) - 1;
    ids_.emplace(key, id);
    return id;
  }
  const Node& operator[](int i) const { return nodes_[static_cast<size_t>(i)]; }
  int size() const { return static_cast<int>(nodes_.size()); }

 private:
  std::vector<Node> nodes_;
  std::map<std::tuple<int, int, int, int>, int> ids_;
};

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void insert_sorted(std::vector<int>& v, int x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

bool subset(const std::vector<int>& a, const std::vector<int>& b) {  // both sorted
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

// One way of satisfying a set of obligations in the current letter.
struct Term {
  Label lit;
  std::vector<int> next;   // sorted obligations for the next letter on
  uint64_t postponed = 0;  // until sets postponed (not fulfilled) by this letter
};

class Tableau {
 public:
  Tableau(const Table& t, const std::vector<int>& until_set) : t_(t), until_set_(until_set) {}

  // Every term of the conjunction of `state` (disjunctive normal form, unreduced).
  void expand(std::vector<int> todo, std::vector<int> done, Term cur, std::vector<Term>& out) const {
    while (!todo.empty()) {
      const int f = todo.back();
      todo.pop_back();
      if (contains(done, f)) continue;
      done.push_back(f);
      const Node& n = t_[f];
      switch (n.op) {
        case Op::kTrue:
          break;
        case Op::kFalse:
          return;
        case Op::kAtom: {
          const uint64_t bit = uint64_t{1} << n.atom;
          if (cur.lit.neg & bit) return;
          cur.lit.pos |= bit;
          break;
        }
        case Op::kNot: {
          const uint64_t bit = uint64_t{1} << t_[n.a].atom;
          if (cur.lit.pos & bit) return;
          cur.lit.neg |= bit;
          break;
        }
        case Op::kAnd:
          todo.push_back(n.b);
          todo.push_back(n.a);
          break;
        case Op::kOr: {
          if (contains(done, n.a) || contains(done, n.b)) break;
          std::vector<int> alt = todo;
          alt.push_back(n.b);
          expand(std::move(alt), done, cur, out);
          todo.push_back(n.a);
          break;
        }
        case Op::kNext:
          insert_sorted(cur.next, n.a);
          break;
        case Op::kUntil:
        case Op::kEventually: {
          // a U b = b || (a && X (a U b)), the second branch postponing b.
          const int b = n.op == Op::kUntil ? n.b : n.a;
          if (contains(done, b)) break;
          Term later = cur;
          insert_sorted(later.next, f);
          later.postponed |= uint64_t{1} << until_set_[static_cast<size_t>(f)];
          std::vector<int> alt = todo;
          if (n.op == Op::kUntil) alt.push_back(n.a);
          expand(std::move(alt), done, std::move(later), out);
          todo.push_back(b);
          break;
        }
        case Op::kRelease: {
          // a V b = (a && b) || (b && X (a V b))
          Term later = cur;
          insert_sorted(later.next, f);
          std::vector<int> alt = todo;
          alt.push_back(n.b);
          expand(std::move(alt), done, std::move(later), out);
          todo.push_back(n.b);
          todo.push_back(n.a);
          break;
        }
        case Op::kAlways:
          insert_sorted(cur.next, f);
          todo.push_back(n.a);
          break;
        case Op::kImplies:  // not in NNF
          return;
      }
    }
    out.push_back(std::move(cur));
  }

 private:
  const Table& t_;
  const std::vector<int>& until_set_;
};

// Drops terms that another term makes redundant: t is subsumed by s when s asks for
// fewer literals, fewer obligations and postpones fewer untils.
void reduce_terms(std::vector<Term>& terms) {
  auto key = [](const Term& t) { return std::tie(t.lit.pos, t.lit.neg, t.postponed, t.next); };
  std::sort(terms.begin(), terms.end(), [&](const Term& x, const Term& y) { return key(x) < key(y); });
  terms.erase(std::unique(terms.begin(), terms.end(), [&](const Term& x, const Term& y) { return key(x) == key(y); }),
              terms.end());
  std::vector<char> dead(terms.size(), 0);
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t j = 0; j < terms.size() && !dead[i]; ++j) {
      if (i == j || dead[j]) continue;
      const Term& t = terms[i];
      const Term& s = terms[j];
      dead[i] = t.lit.implies(s.lit) && (s.postponed & ~t.postponed) == 0 && subset(s.next, t.next);
    }
  }
  size_t k = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (dead[i]) continue;
    if (k != i) terms[k] = std::move(terms[i]);
    ++k;
  }
  terms.resize(k);
}

// ---------------------------------------------------------------------------------
// Reductions.

// Per state: duplicate edges, edges subsumed by a more general edge to the same state
// with at least the same marks, and pairs differing in the polarity of one literal.
bool cleanup_edges(Automaton& a) {
  bool any = false;
  for (auto& edges : a.out) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (size_t i = 0; i < edges.size() && !changed; ++i) {
        for (size_t j = 0; j < edges.size() && !changed; ++j) {
          if (i == j || edges[i].dest != edges[j].dest) continue;
          Edge& e = edges[i];
          const Edge& f = edges[j];
          if (e.label.implies(f.label) && (e.acc & ~f.acc) == 0) {
            edges.erase(edges.begin() + static_cast<long>(i));
            changed = true;
          } else if (e.acc == f.acc) {
            const uint64_t d = e.label.pos ^ f.label.pos;
            if (d != 0 && (d & (d - 1)) == 0 && (e.label.neg ^ f.label.neg) == d) {
              e.label.pos &= ~d;
              e.label.neg &= ~d;
              edges.erase(edges.begin() + static_cast<long>(j));
              changed = true;
            }
          }
        }
      }
      any = any || changed;
    }
  }
  return any;
}

// SCC of every state, and whether each SCC can host an accepting cycle.
struct SccInfo {
  std::vector<int> comp;
  std::vector<char> accepting;  // per component
};

SccInfo analyse(const Automaton& a) {
  SccInfo s;
  const int n = a.states();
  const int comps = scc_decompose(
      n, [](int) { return true; },
      [&](int v, auto&& f) {
        for (const Edge& e : a.out[static_cast<size_t>(v)]) f(e.dest);
      },
      s.comp);
  std::vector<uint64_t> marks(static_cast<size_t>(comps), 0);
  std::vector<char> cyclic(static_cast<size_t>(comps), 0);
  for (int q = 0; q < n; ++q) {
    for (const Edge& e : a.out[static_cast<size_t>(q)]) {
      const int c = s.comp[static_cast<size_t>(q)];
      if (s.comp[static_cast<size_t>(e.dest)] != c) continue;
      cyclic[static_cast<size_t>(c)] = 1;
      marks[static_cast<size_t>(c)] |= e.acc;
    }
  }
  s.accepting.resize(static_cast<size_t>(comps));
  for (int c = 0; c < comps; ++c) {
    s.accepting[static_cast<size_t>(c)] =
        cyclic[static_cast<size_t>(c)] && (marks[static_cast<size_t>(c)] & a.all_sets()) == a.all_sets();
  }
  return s;
}

// Keeps only the states listed in `keep` (renumbered in order), dropping edges to others.
Automaton restrict(const Automaton& a, const std::vector<char>& keep) {
  std::vector<int> map(a.out.size(), -1);
  Automaton r;
  r.acc_sets = a.acc_sets;
  r.state_based = a.state_based;
  for (size_t q = 0; q < a.out.size(); ++q) {
    if (keep[q]) map[q] = static_cast<int>(r.out.size()), r.out.emplace_back();
  }
  for (size_t q = 0; q < a.out.size(); ++q) {
    if (map[q] < 0) continue;
    if (a.state_based) r.accepting.push_back(a.accepting[q]);
    for (const Edge& e : a.out[q]) {
      if (map[static_cast<size_t>(e.dest)] >= 0) {
        r.out[static_cast<size_t>(map[q])].push_back({map[static_cast<size_t>(e.dest)], e.label, e.acc});
      }
    }
  }
  r.initial = map[static_cast<size_t>(a.initial)];
  return r;
}

// The automaton with one state and no edge: the empty language.
Automaton empty_automaton(bool state_based) {
  Automaton r;
  r.out.resize(1);
  r.state_based = state_based;
  r.acc_sets = state_based ? 1 : 0;
  if (state_based) r.accepting = {false};
  return r;
}

// Drops unreachable states and states that cannot reach an accepting cycle; clears the
// marks of edges that lie on no accepting cycle (they cannot matter).
Automaton prune(const Automaton& in) {
  const int n = in.states();
  std::vector<char> reach(static_cast<size_t>(n), 0);
  std::vector<int> todo = {in.initial};
  reach[static_cast<size_t>(in.initial)] = 1;
  while (!todo.empty()) {
    int q = todo.back();
    todo.pop_back();
    for (const Edge& e : in.out[static_cast<size_t>(q)]) {
      if (!reach[static_cast<size_t>(e.dest)]) reach[static_cast<size_t>(e.dest)] = 1, todo.push_back(e.dest);
    }
  }
  Automaton a = restrict(in, reach);
  SccInfo s = analyse(a);
  // Useful: in an accepting SCC or with an edge to a useful state. Tarjan numbers
  // successors' components first, so one pass in component order suffices.
  std::vector<std::vector<int>> members(s.accepting.size());
  for (int q = 0; q < a.states(); ++q) members[static_cast<size_t>(s.comp[static_cast<size_t>(q)])].push_back(q);
  std::vector<char> useful(static_cast<size_t>(a.states()), 0);
  for (size_t c = 0; c < members.size(); ++c) {
    bool u = s.accepting[c];
    for (int q : members[c]) {
      for (const Edge& e : a.out[static_cast<size_t>(q)]) u = u || useful[static_cast<size_t>(e.dest)];
    }
    for (int q : members[c]) useful[static_cast<size_t>(q)] = u;
  }
  if (!useful[static_cast<size_t>(a.initial)]) return empty_automaton(a.state_based);
  for (int q = 0; q < a.states(); ++q) {
    const int c = s.comp[static_cast<size_t>(q)];
    if (a.state_based) {
      // An accepting state on no accepting cycle might as well not be accepting.
      if (!s.accepting[static_cast<size_t>(c)]) {
        a.accepting[static_cast<size_t>(q)] = false;
        for (Edge& e : a.out[static_cast<size_t>(q)]) e.acc = 0;
      }
      continue;
    }
    for (Edge& e : a.out[static_cast<size_t>(q)]) {
      if (s.comp[static_cast<size_t>(e.dest)] != c || !s.accepting[static_cast<size_t>(c)]) e.acc = 0;
    }
  }
  return restrict(a, useful);
}

// Acceptance sets that every cycle edge carries are dropped; sets with the same cycle
// edges are merged.
void reduce_sets(Automaton& a) {
  if (a.state_based || a.acc_sets == 0) return;
  SccInfo s = analyse(a);
  std::vector<const Edge*> cyc;
  for (int q = 0; q < a.states(); ++q) {
    for (const Edge& e : a.out[static_cast<size_t>(q)]) {
      if (s.comp[static_cast<size_t>(q)] == s.comp[static_cast<size_t>(e.dest)]) cyc.push_back(&e);
    }
  }
  std::vector<int> keep;  // old set index of each new set
  for (int j = 0; j < a.acc_sets; ++j) {
    bool everywhere = true;
    for (const Edge* e : cyc) everywhere = everywhere && ((e->acc >> j) & 1);
    if (everywhere) continue;
    bool dup = false;
    for (int k : keep) {
      bool same = true;
      for (const Edge* e : cyc) same = same && (((e->acc >> j) & 1) == ((e->acc >> k) & 1));
      dup = dup || same;
    }
    if (!dup) keep.push_back(j);
  }
  for (auto& edges : a.out) {
    for (Edge& e : edges) {
      uint64_t acc = 0;
      for (size_t k = 0; k < keep.size(); ++k) acc |= ((e.acc >> keep[k]) & 1) << k;
      e.acc = acc;
    }
  }
  a.acc_sets = static_cast<int>(keep.size());
}

// Merges bisimilar states (same labelled, marked edges into the same classes).
Automaton merge_bisimilar(const Automaton& a) {
  const size_t n = a.out.size();
  std::vector<int> cls(n, 0);
  if (a.state_based) {
    for (size_t q = 0; q < n; ++q) cls[q] = a.accepting[q] ? 1 : 0;
  }
  using Sig = std::pair<int, std::vector<std::tuple<uint64_t, uint64_t, int, uint64_t>>>;
  int classes = -1;
  while (true) {
    std::map<Sig, int> ids;
    std::vector<int> next(n);
    for (size_t q = 0; q < n; ++q) {
      Sig sig;
      sig.first = cls[q];
      for (const Edge& e : a.out[q]) {
        sig.second.emplace_back(e.label.pos, e.label.neg, cls[static_cast<size_t>(e.dest)], e.acc);
      }
      std::sort(sig.second.begin(), sig.second.end());
      sig.second.erase(std::unique(sig.second.begin(), sig.second.end()), sig.second.end());
      next[q] = ids.emplace(std::move(sig), static_cast<int>(ids.size())).first->second;
    }
    cls = std::move(next);
    if (static_cast<int>(ids.size()) == classes) break;
    classes = static_cast<int>(ids.size());
  }
  if (classes == static_cast<int>(n)) return a;
  Automaton r;
  r.acc_sets = a.acc_sets;
  r.state_based = a.state_based;
  r.out.resize(static_cast<size_t>(classes));
  if (a.state_based) r.accepting.assign(static_cast<size_t>(classes), false);
  std::vector<char> done(static_cast<size_t>(classes), 0);
  for (size_t q = 0; q < n; ++q) {
    const size_t c = static_cast<size_t>(cls[q]);
    if (done[c]) continue;
    done[c] = 1;
    if (a.state_based) r.accepting[c] = a.accepting[q];
    for (const Edge& e : a.out[q]) r.out[c].push_back({cls[static_cast<size_t>(e.dest)], e.label, e.acc});
  }
  r.initial = cls[static_cast<size_t>(a.initial)];
  return r;
}

Automaton reduce(Automaton a) {
  for (int round = 0; round < 16; ++round) {
    const int before = a.states();
    const size_t edges_before = a.edges();
    const int sets_before = a.acc_sets;
    cleanup_edges(a);
    reduce_sets(a);
    a = prune(a);
    a = merge_bisimilar(a);
    cleanup_edges(a);
    if (a.states() == before && a.edges() == edges_before && a.acc_sets == sets_before) break;
  }
  return a;
}

}  // namespace

bool Automaton::empty() const {
  if (out.empty()) return true;
  Automaton p = prune(*this);
  return p.edges() == 0;
}

// ---------------------------------------------------------------------------------
// Translation.
std::optional<Automaton> translate(const Formula& f, std::string* error) {
  const Formula g = simplify(f);
  if (atom_bound(g) > 64) {
    if (error) *error = "the LTL engine handles at most 64 atoms";
    return std::nullopt;
  }
  Table table;
  const int root = table.add(g);
  std::vector<int> until_set(static_cast<size_t>(table.size()), -1);
  int sets = 0;
  for (int i = 0; i < table.size(); ++i) {
    if (table[i].op == Op::kUntil || table[i].op == Op::kEventually) {
      if (sets == 64) {
        if (error) *error = "the LTL engine handles at most 64 until/eventually subformulas";
        return std::nullopt;
      }
      until_set[static_cast<size_t>(i)] = sets++;
    }
  }
  Automaton a;
  a.acc_sets = sets;
  const uint64_t all = a.all_sets();
  Tableau tableau(table, until_set);

  std::map<std::vector<int>, int> ids;
  std::vector<std::vector<int>> states;
  auto state_of = [&](std::vector<int> set) {
    set.erase(std::remove_if(set.begin(), set.end(), [&](int x) { return table[x].op == Op::kTrue; }),
              set.end());
    auto [it, fresh] = ids.emplace(set, static_cast<int>(states.size()));
    if (fresh) states.push_back(std::move(set));
    return it->second;
  };
  a.initial = state_of({root});
  for (size_t q = 0; q < states.size(); ++q) {
    std::vector<int> todo = states[q];
    std::vector<Term> terms;
    tableau.expand(todo, {}, Term{}, terms);
    reduce_terms(terms);
    std::vector<Edge> edges;
    for (Term& t : terms) {
      const int dest = state_of(std::move(t.next));
      edges.push_back({dest, t.lit, all & ~t.postponed});
    }
    a.out.resize(states.size());
    a.out[q] = std::move(edges);
  }
  a.out.resize(states.size());
  return reduce(std::move(a));
}

// ---------------------------------------------------------------------------------
// Degeneralization: state (q, level); level k (= acc_sets) is accepting. Leaving level
// i (level k restarts at 0), an edge climbs past every consecutive set it carries. An
// edge into another SCC may enter at any level (acceptance only depends on the cycle
// finally taken); entering at k keeps one copy of SCCs whose edges carry every set.
Automaton degeneralize(const Automaton& a) {
  if (a.state_based) return a;
  const int k = a.acc_sets;
  Automaton r;
  r.state_based = true;
  r.acc_sets = 1;
  if (a.empty()) return empty_automaton(true);
  std::map<std::pair<int, int>, int> ids;
  std::vector<std::pair<int, int>> states;
  auto state_of = [&](int q, int level) {
    auto [it, fresh] = ids.emplace(std::make_pair(q, level), static_cast<int>(states.size()));
    if (fresh) states.emplace_back(q, level);
    return it->second;
  };
  r.initial = state_of(a.initial, 0);
  const SccInfo scc = analyse(a);
  for (size_t s = 0; s < states.size(); ++s) {
    const auto [q, level] = states[s];
    std::vector<Edge> edges;
    for (const Edge& e : a.out[static_cast<size_t>(q)]) {
      int j = level == k ? 0 : level;
      while (j < k && ((e.acc >> j) & 1)) ++j;
      if (scc.comp[static_cast<size_t>(q)] != scc.comp[static_cast<size_t>(e.dest)]) j = k;
      edges.push_back({state_of(e.dest, j), e.label, 0});
    }
    r.out.resize(states.size());
    r.out[s] = std::move(edges);
  }
  r.out.resize(states.size());
  r.accepting.resize(states.size());
  for (size_t s = 0; s < states.size(); ++s) {
    r.accepting[s] = states[s].second == k;
    for (Edge& e : r.out[s]) e.acc = r.accepting[s] ? 1 : 0;
  }
  return reduce(std::move(r));
}

// ---------------------------------------------------------------------------------
bool accepts_lasso(const Automaton& a, const std::vector<uint64_t>& letters, size_t loop_start) {
  const size_t len = letters.size();
  if (len == 0 || loop_start >= len || a.out.empty()) return false;
  const int n = static_cast<int>(a.out.size() * len);
  auto node = [&](int q, size_t pos) { return q * static_cast<int>(len) + static_cast<int>(pos); };
  auto for_each = [&](int v, auto&& f) {
    const int q = v / static_cast<int>(len);
    const size_t pos = static_cast<size_t>(v) % len;
    const size_t next = pos + 1 < len ? pos + 1 : loop_start;
    for (const Edge& e : a.out[static_cast<size_t>(q)]) {
      if (e.label.matches(letters[pos])) f(node(e.dest, next), e.acc);
    }
  };
  std::vector<char> reach(static_cast<size_t>(n), 0);
  std::vector<int> todo = {node(a.initial, 0)};
  reach[static_cast<size_t>(todo[0])] = 1;
  while (!todo.empty()) {
    int v = todo.back();
    todo.pop_back();
    for_each(v, [&](int w, uint64_t) {
      if (!reach[static_cast<size_t>(w)]) reach[static_cast<size_t>(w)] = 1, todo.push_back(w);
    });
  }
  std::vector<int> comp;
  const int comps = scc_decompose(
      n, [&](int v) { return reach[static_cast<size_t>(v)] != 0; },
      [&](int v, auto&& f) { for_each(v, [&](int w, uint64_t) { f(w); }); }, comp);
  std::vector<uint64_t> marks(static_cast<size_t>(comps), 0);
  std::vector<char> cyclic(static_cast<size_t>(comps), 0);
  for (int v = 0; v < n; ++v) {
    if (!reach[static_cast<size_t>(v)]) continue;
    for_each(v, [&](int w, uint64_t acc) {
      if (comp[static_cast<size_t>(w)] == comp[static_cast<size_t>(v)]) {
        cyclic[static_cast<size_t>(comp[static_cast<size_t>(v)])] = 1;
        marks[static_cast<size_t>(comp[static_cast<size_t>(v)])] |= acc;
      }
    });
  }
  for (int c = 0; c < comps; ++c) {
    if (cyclic[static_cast<size_t>(c)] && (marks[static_cast<size_t>(c)] & a.all_sets()) == a.all_sets()) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------
std::string label_text(const Label& l, const std::function<std::string(int)>& atom_name) {
  std::string s;
  for (int i = 0; i < 64; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    if (!((l.pos | l.neg) & bit)) continue;
    if (!s.empty()) s += " && ";
    if (l.neg & bit) s += '!';
    s += atom_name ? atom_name(i) : "p" + std::to_string(i);
  }
  return s.empty() ? "true" : s;
}

std::string to_text(const Automaton& a, const std::function<std::string(int)>& atom_name) {
  std::string s = std::to_string(a.states()) + " states, " + std::to_string(a.edges()) + " edges, " +
                  (a.state_based ? "state-based" : std::to_string(a.acc_sets) + " acceptance sets") +
                  ", initial q" + std::to_string(a.initial) + "\n";
  for (int q = 0; q < a.states(); ++q) {
    for (const Edge& e : a.out[static_cast<size_t>(q)]) {
      s += "q" + std::to_string(q);
      if (a.state_based && a.accepting[static_cast<size_t>(q)]) s += '*';
      s += " -> q" + std::to_string(e.dest) + " [" + label_text(e.label, atom_name) + "]";
      if (!a.state_based && e.acc != 0) {
        s += " {";
        bool first = true;
        for (int j = 0; j < a.acc_sets; ++j) {
          if (!((e.acc >> j) & 1)) continue;
          if (!first) s += ',';
          s += std::to_string(j);
          first = false;
        }
        s += '}';
      }
      s += '\n';
    }
  }
  return s;
}

}  // namespace sp::checker::ltl
