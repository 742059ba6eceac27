#include "checker/symbolic/induction.hpp"

namespace sp::checker::symbolic {

InductionStep::InductionStep(Encoding& enc, std::vector<Target>& targets, const Deadline& deadline)
    : enc_(enc), targets_(targets), deadline_(deadline), solver_(make_solver(enc.ctx())), ok_(targets.size()) {}

void InductionStep::ensure(int k) {
  while (static_cast<int>(frames_.size()) < k + 2) {
    const size_t j = frames_.size();
    frames_.push_back(enc_.frame("g" + std::to_string(j)));
    solver_.add(enc_.wellformed(frames_[j]));
    if (j > 0) {
      solver_.add(enc_.step(frames_[j - 1], frames_[j], "u" + std::to_string(j - 1)));
      for (size_t i = 0; i < j; ++i) solver_.add(!enc_.same(frames_[i], frames_[j]));
    }
  }
}

z3::expr InductionStep::ok(size_t t, int frame) {
  auto& v = ok_[t];
  if (static_cast<int>(v.size()) <= frame) v.resize(static_cast<size_t>(frame) + 1);
  auto& slot = v[static_cast<size_t>(frame)];
  if (!slot) {
    // A definition: the literal is true exactly when the target is not bad there. For
    // "no checking errors" the choices of the error step are free, so as a hypothesis
    // it only says that some choice raises no error (weaker, still sound).
    z3::context& ctx = enc_.ctx();
    const std::string name = "ok" + std::to_string(t) + "@" + std::to_string(frame);
    z3::expr lit = ctx.bool_const(name.c_str());
    bool exact = true;
    solver_.add(lit == !bad_state(enc_, targets_[t], frames_[static_cast<size_t>(frame)], "h" + name, &exact));
    slot = lit;
  }
  return *slot;
}

InductionStep::Answer InductionStep::prove(size_t t, const std::vector<size_t>& lemmas, int k, std::string* cti,
                                           std::string* why) {
  ensure(k);
  z3::context& ctx = enc_.ctx();
  z3::expr_vector assume(ctx);
  for (int i = 0; i <= k; ++i) assume.push_back(ok(t, i));
  for (size_t l : lemmas) {
    if (l == t) continue;
    for (int i = 0; i <= k + 1; ++i) assume.push_back(ok(l, i));
  }
  assume.push_back(!ok(t, k + 1));
  set_query_timeout(solver_, deadline_);
  const z3::check_result r = solver_.check(assume);
  if (r == z3::unsat) return Answer::kProved;
  if (r == z3::unknown) {
    *why = deadline_.expired() ? deadline_.why() : "z3: " + solver_.reason_unknown();
    return Answer::kLimit;
  }
  // The counterexample to induction: k+2 states, the property true in all but the last.
  const z3::model model = solver_.get_model();
  const ir::TransitionSystem& ts = enc_.ts();
  std::string text;
  for (int i = 0; i <= k + 1; ++i) {
    text += "  state " + std::to_string(i) + (i == k + 1 ? " (violates it)" : "") + ":\n";
    std::string d = ts.describe_state(enc_.state_of(model, frames_[static_cast<size_t>(i)]));
    size_t pos = 0;
    while (pos < d.size()) {
      size_t nl = d.find('\n', pos);
      if (nl == std::string::npos) nl = d.size();
      text += "    " + d.substr(pos, nl - pos) + "\n";
      pos = nl + 1;
    }
    if (i <= k) {
      const int a = enc_.action_of(model, "u" + std::to_string(i));
      if (i < k + 1 && a >= 0 && a < static_cast<int>(enc_.actions().size())) {
        const Action& act = enc_.actions()[static_cast<size_t>(a)];
        const ir::Role& role = ts.model().roles[static_cast<size_t>(ts.system().instances[static_cast<size_t>(act.instance)].role)];
        text += "  -> " + ts.system().instances[static_cast<size_t>(act.instance)].name + ": " +
                role.transitions[static_cast<size_t>(act.transition)].name + "\n";
      }
    }
  }
  *cti = text;
  return Answer::kFailed;
}

}  // namespace sp::checker::symbolic
