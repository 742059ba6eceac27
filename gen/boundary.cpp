// Boundary tests: for every comparison of sequence numbers met on the way to a covered
// transition (in its guard or in an `if` it takes), stimuli on each side of each edge
// of that comparison -- at the edge, one off on either side, at the 2^31 limit of RFC 1982
// serial comparison, and with the tester's sequence space wrapped across 2^32. The rest
// of the guard is kept (the comparison's own value is left free), so each edge shows what
// the spec does there: the transition itself (positive test) or another transition, or
// nothing (negative test). The edges are planned here in the parent (pure expression
// building, so that identical stimuli are recognised across transitions) and tested by
// gen's workers (gen/generate.cpp).
#include <map>

#include "gen/suite.hpp"

namespace sp::gen {

namespace {

struct Edge {
  std::string name;
  std::string text;
  z3::expr cond;
  std::string not_generated = {};  // why no test is made at this edge
};

std::vector<Edge> Edges(const Atom& a, z3::context& c) {
  const unsigned w = a.lhs.get_sort().bv_size();
  const z3::expr& x = a.lhs;
  const z3::expr& y = a.rhs;
  const z3::expr one = c.bv_val(1, w);
  std::vector<Edge> e;
  e.push_back({"below", "lhs = rhs - 1", x + one == y});
  e.push_back({"at", "lhs = rhs", x == y});
  e.push_back({"above", "lhs = rhs + 1", x == y + one});
  const bool ordering = a.op != ir::Op::kEq && a.op != ir::Op::kNe;
  if (a.serial && ordering) {
    const z3::expr half = c.bv_val(uint64_t{1} << (w - 1), w);
    e.push_back({"far", "rhs - lhs = 2^31 - 1", y - x == half - one});
    // Listed, not tested: RFC 1982 §3.2 leaves the order of two numbers 2^31 apart
    // undefined, so what the spec does there (`<` false) is one choice, not a requirement
    // (Linux's before()/after() say "before").
    e.push_back({"undef", "rhs - lhs = 2^31 (serial order undefined)", y - x == half,
                 "serial order undefined at distance 2^31 (RFC 1982 §3.2): no behaviour to require"});
  }
  // A sequence-number distance (`a - b`, an unsigned 32-bit value): its own edges at 0
  // (the left edge of a window) and 2^32 - 1 (one below it).
  if (!a.serial && x.is_app() && x.decl().decl_kind() == Z3_OP_ZERO_EXT) {
    const unsigned inner = x.arg(0).get_sort().bv_size();
    e.push_back({"dist0", "distance 0", x == c.bv_val(0, w)});
    e.push_back({"distmax", "distance 2^" + std::to_string(inner) + " - 1",
                 x == c.bv_val(inner >= 64 ? ~uint64_t{0} : (uint64_t{1} << inner) - 1, w)});
  }
  return e;
}

// The stimulus's absolute value in the tester's sequence space (TCP `seq`), if any.
std::optional<z3::expr> TesterSeq(const Node& n) {
  for (size_t i = 0; i < n.choices.size(); ++i) {
    if (n.choices[i].space == 1 && i < n.stimulus.msg.size()) return n.stimulus.msg[i];
  }
  return std::nullopt;
}

}  // namespace

std::vector<BoundaryPlan> plan_boundary_tests(const SuiteContext& sc) {
  const ir::Role& role = sc.enc.role();
  z3::context& c = sc.enc.ctx();
  std::map<std::string, std::string> first;  // (parent, stimulus) -> the first edge's name
  std::vector<BoundaryPlan> plans;
  for (int t = 0; t < static_cast<int>(role.transitions.size()); ++t) {
    const int f = sc.ex.first(t);
    if (f < 0) continue;
    const ir::Transition& tr = role.transitions[t];
    if (tr.event != ir::EventKind::kRecv && tr.event != ir::EventKind::kCall) continue;
    const Node& target = sc.ex.node(f);
    std::vector<std::string> texts;
    int k = 0;
    for (const Atom& atom : target.atoms) {
      bool dup = false;
      for (const std::string& s : texts) dup |= s == atom.text;
      if (dup) continue;
      texts.push_back(atom.text);
      ++k;
      BoundaryPlan plan{t, f, tr.name + ".b" + std::to_string(k), atom, target.guard, {}};
      // The rest of the guard, with this comparison's value left free.
      if (atom.in_guard) {
        z3::expr_vector from(c), to_true(c), to_false(c);
        from.push_back(atom.term);
        to_true.push_back(c.bool_val(true));
        to_false.push_back(c.bool_val(false));
        z3::expr g = target.guard;
        plan.relaxed = g.substitute(from, to_true) || g.substitute(from, to_false);
      }
      for (const Edge& edge : Edges(atom, c)) {
        if (!edge.not_generated.empty()) {
          plan.edges.push_back({edge.name, edge.text, edge.cond, edge.cond, "", edge.not_generated});
          continue;
        }
        // Identical stimuli (same state, same constraint) are generated once. Every plan
        // is kept until the suite is made, so no two live stimuli share an AST id (Z3
        // recycles the ids of freed terms). A stimulus the simplifier already found
        // unsatisfiable is reported as such, not as a copy of another.
        z3::expr stim = (plan.relaxed && edge.cond).simplify();
        std::string same_as;
        if (!stim.is_false()) {
          const std::string key = std::to_string(target.parent) + "|" + std::to_string(stim.id());
          auto [it, fresh] = first.emplace(key, plan.base + "." + edge.name);
          if (!fresh) same_as = it->second;
        }
        plan.edges.push_back({edge.name, edge.text, edge.cond, stim, same_as, ""});
      }
      plans.push_back(std::move(plan));
    }
  }
  return plans;
}

void add_boundary_tests(SuiteContext& sc, const BoundaryPlan& plan) {
  const ir::Role& role = sc.enc.role();
  z3::context& c = sc.enc.ctx();
  const z3::expr& T = sc.enc.tester_isn();
  const int t = plan.transition;
  const ir::Transition& tr = role.transitions[t];
  const Node& target = sc.ex.node(plan.target);
  const Atom& atom = plan.atom;
  const BoundaryPlan::EdgePlan* first_positive = nullptr;
  for (const BoundaryPlan::EdgePlan& edge : plan.edges) {
    const std::string name = plan.base + "." + edge.name;
    if (!edge.not_generated.empty()) {
      sc.out.skipped.push_back(name + ": " + edge.not_generated);
      continue;
    }
    if (!edge.same_as.empty()) {
      sc.out.skipped.push_back(name + ": same stimulus as " + edge.same_as);
      continue;
    }
    std::optional<Node> resp = respond(sc, target.parent, t, edge.stimulus, target);
    if (!resp) {
      sc.out.skipped.push_back(name + ": unreachable edge (" + atom.text + " with " +
                               edge.text + " contradicts the preamble or the rest of the guard)");
      continue;
    }
    const bool positive = !resp->ignored && resp->transition == t;
    ConcretizeInput in;
    in.base = target.parent;
    in.tail = {&*resp};
    in.seed = sc.options.seed;
    in.name = name;
    std::string why;
    std::optional<TestCase> tc = sc.conc.run(in, &why);
    if (!tc) {
      sc.out.skipped.push_back(name + ": " + why);
      continue;
    }
    tc->kind = positive ? "positive" : "negative";
    std::string what = resp->ignored ? "the spec ignores it"
                                     : "the spec answers with " +
                                           role.transitions[resp->transition].name;
    tc->notes.insert(tc->notes.begin(), "boundary " + atom.text + ": " + edge.text + "; " + what);
    if (positive && !first_positive && edge.name != "far") {
      first_positive = &edge;
    }
    sc.add(std::move(*tc), t);
  }
  // Across 2^32: the same stimulus with the tester's ISN just below the wrap.
  const bool tester_space = contains(atom.lhs, T) || contains(atom.rhs, T);
  const std::optional<z3::expr> seq = TesterSeq(target);
  if (!tester_space || !seq) {
    sc.out.skipped.push_back(plan.base + ".wrap: " + atom.text +
                             " compares in the IUT's sequence space, whose ISN the IUT chooses");
    return;
  }
  if (!first_positive) {
    sc.out.skipped.push_back(plan.base + ".wrap: no edge of " + atom.text + " reaches " + tr.name);
    return;
  }
  z3::expr wrap = z3::ult(*seq, T) && z3::uge(T, c.bv_val(uint64_t{0xFFFF0000}, 32));
  std::optional<Node> resp =
      respond(sc, target.parent, t, plan.relaxed && first_positive->cond && wrap, target);
  if (!resp || resp->ignored || resp->transition != t) {
    sc.out.skipped.push_back(plan.base + ".wrap: not feasible with the sequence space wrapped");
    return;
  }
  ConcretizeInput in;
  in.base = target.parent;
  in.tail = {&*resp};
  in.seed = sc.options.seed;
  in.name = plan.base + ".wrap";
  in.extra = wrap;
  in.fix_tester_isn = true;
  std::string why;
  std::optional<TestCase> tc = sc.conc.run(in, &why);
  if (!tc) {
    sc.out.skipped.push_back(in.name + ": " + why);
    return;
  }
  tc->notes.insert(tc->notes.begin(), "boundary " + atom.text + ": " + first_positive->text +
                                          ", the tester's sequence numbers wrapped past 2^32");
  sc.add(std::move(*tc), t);
}

}  // namespace sp::gen
