// `choose x in lo..hi { body }`: nondeterministic choice inside a transition.
//
// A transition with choices is lowered once per combination of values, each copy an
// ordinary IR transition named `move[x=2]` (`move[x=2,y=0]` for two choices) in which x
// is the constant 2. So every engine explores every value with no change: the explicit
// search tries each copy, the symbolic engine encodes each as a disjunct (the same as a
// free variable over lo..hi), the Promela export writes each as an alternative of the
// process's `if`, and the test generator sees one transition per value. The value is
// chosen when the transition fires, after its guard (which cannot read it); the bounds
// are constant expressions, and a transition may have at most kMaxCopies copies.
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

constexpr int64_t kMaxCopies = 256;

void collect_chooses(const std::vector<ast::Stmt>& body, std::vector<const ast::Stmt*>& out) {
  for (const ast::Stmt& s : body) {
    if (s.kind == ast::StmtKind::kChoose) out.push_back(&s);
    collect_chooses(s.then_body, out);
    collect_chooses(s.else_body, out);
  }
}

}  // namespace

void Lowerer::lower_transition_choices(int role, const ast::Transition& t, int ordinal) {
  std::vector<const ast::Stmt*> chooses;
  collect_chooses(t.actions, chooses);
  if (chooses.empty()) {
    lower_transition(role, t, ordinal);
    return;
  }
  std::vector<std::pair<int64_t, int64_t>> domains;
  int64_t copies = 1;
  for (const ast::Stmt* c : chooses) {
    if (c->exprs.size() != 2) return;
    std::optional<int64_t> lo = const_int(c->exprs[0], "the lower bound of a choice");
    std::optional<int64_t> hi = const_int(c->exprs[1], "the upper bound of a choice");
    if (!lo || !hi) return;
    if (*hi < *lo) {
      diags_.error(c->exprs[0].loc, "choose " + c->name.name + " in " + std::to_string(*lo) + ".." +
                                        std::to_string(*hi) + ": the range is empty");
      return;
    }
    if (*hi - *lo + 1 > kMaxCopies || (copies *= *hi - *lo + 1) > kMaxCopies) {
      diags_.error(c->loc, "this transition's choices have more than " + std::to_string(kMaxCopies) +
                               " combinations of values (each is a transition)");
      return;
    }
    domains.emplace_back(*lo, *hi);
  }
  std::vector<int64_t> value;
  for (const auto& d : domains) value.push_back(d.first);
  while (true) {
    choice_suffix_ = "[";
    for (size_t k = 0; k < chooses.size(); ++k) {
      choice_[chooses[k]] = value[k];
      choice_suffix_ += (k ? "," : "") + chooses[k]->name.name + "=" + std::to_string(value[k]);
    }
    choice_suffix_ += "]";
    int before = diags_.error_count();
    lower_transition(role, t, ordinal);
    choice_suffix_.clear();
    if (diags_.error_count() > before) break;  // reported once, not once per value
    size_t k = chooses.size();
    while (k > 0) {  // odometer, last choice fastest
      --k;
      if (value[k] < domains[k].second) {
        ++value[k];
        break;
      }
      value[k] = domains[k].first;
      if (k == 0) {
        choice_.clear();
        return;
      }
    }
  }
  choice_.clear();
}

void Lowerer::lower_choose(const ast::Stmt& s, const Scope& scope, std::vector<ir::Stmt>& out) {
  const std::string& name = s.name.name;
  for (const ir::Var& v : m_.roles[scope.role].vars) {
    if (v.name == name) {
      diags_.error(s.name.loc, "choose '" + name + "' would hide variable '" + name +
                                   "'; choose another name");
      return;
    }
  }
  auto it = choice_.find(&s);
  if (it == choice_.end()) return;  // its bounds were reported
  Scope inner = scope;
  inner.values.insert(inner.values.begin(), {name, ConstValue{int_, it->second}});
  lower_block(s.then_body, inner, out);
}

}  // namespace sp::sema
