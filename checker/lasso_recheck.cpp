#include "checker/lasso_recheck.hpp"

#include <set>
#include <utility>

#include "checker/ltl/formula.hpp"

namespace sp::checker {

namespace {

using Group = std::pair<int, int>;  // (instance, transition)

// The groups with a successor that is not a checking error (for liveness an erroneous
// step does not exist, docs/ltl.md).
std::set<Group> Enabled(const ir::TransitionSystem& ts, const ir::Slots& s) {
  std::set<Group> out;
  ts.successors(s, [&](const ir::Successor& succ) {
    if (!succ.error) out.emplace(succ.label.instance, succ.label.transition);
  });
  return out;
}

bool Meets(const std::vector<ir::GroupRef>& set, const std::set<Group>& groups) {
  for (const ir::GroupRef& g : set) {
    if (groups.count({g.instance, g.transition})) return true;
  }
  return false;
}

}  // namespace

LassoRecheck recheck_lasso(const ir::TransitionSystem& ts, const ir::Property& prop, const Trace& trace) {
  LassoRecheck r;
  const size_t n = trace.steps.size();
  const bool cycle = trace.end == TraceEnd::kCycle;
  if (cycle && (!trace.loop_start || *trace.loop_start >= n)) {
    r.verdict = "the trace has no valid loop_start";
    return r;
  }
  auto state = [&](size_t i) -> const ir::Slots& { return i == 0 ? trace.initial : trace.steps[i - 1].state; };
  for (const TraceStep& st : trace.steps) {
    if (st.error) {
      r.verdict = "the run has a checking error, which ends it: no infinite run violates " + prop.name;
      return r;
    }
  }
  // The run's shape: a cycle that closes, or an end state without steps.
  if (cycle) {
    if (state(*trace.loop_start) != state(n)) {
      r.verdict = "the lasso does not close: the last state is not the state at loop_start";
      return r;
    }
  } else if (!Enabled(ts, state(n)).empty()) {
    r.verdict = "the last state has successors: it does not repeat forever";
    return r;
  }
  // The formula on the word: the states before the loop, then the loop (for an end
  // state, the stutter: the last state repeating).
  const size_t loop = cycle ? *trace.loop_start : n;
  const size_t letters_n = cycle ? n : n + 1;
  std::vector<uint64_t> letters;
  if (prop.atoms.size() > 64) {
    r.verdict = "the property has more than 64 atoms";
    return r;
  }
  for (size_t i = 0; i < letters_n; ++i) {
    uint64_t v = 0;
    for (size_t a = 0; a < prop.atoms.size(); ++a) {
      std::string err;
      const std::optional<int64_t> x = ts.eval(state(i), prop.atoms[a], &err);
      if (!x) {
        r.verdict = "an atom of " + prop.name + " cannot be evaluated in state " + std::to_string(i) + ": " + err;
        return r;
      }
      if (*x != 0) v |= uint64_t{1} << a;
    }
    letters.push_back(v);
  }
  if (ltl::holds_on_lasso(ltl::from_ir(prop.ltl), letters, loop)) {
    r.verdict = "LTL property " + prop.name + " holds on this run: the trace does not violate it";
    return r;
  }
  // Fairness, on the cycle (a stuttering end state enables nothing: fair to everything).
  if (cycle) {
    std::vector<std::set<Group>> enabled;
    std::set<Group> taken;
    for (size_t i = loop; i < n; ++i) {
      enabled.push_back(Enabled(ts, state(i)));
      taken.emplace(trace.steps[i].label.instance, trace.steps[i].label.transition);
    }
    for (const ir::Fairness& f : prop.fairness) {
      for (const std::vector<ir::GroupRef>& set : f.sets) {
        if (Meets(set, taken)) continue;
        size_t on = 0;
        for (const std::set<Group>& e : enabled) on += Meets(set, e);
        const bool unfair = f.strong ? on > 0 : on == enabled.size();
        if (unfair) {
          r.verdict = "the cycle is not fair (" + f.text + "): a set it asks for is " +
                      (f.strong ? "enabled in the cycle" : "enabled in every state of the cycle") +
                      " and never taken";
          return r;
        }
      }
    }
  }
  r.violates = true;
  const std::string fair = prop.fairness.empty() ? "a run" : "a fair run";
  if (cycle) {
    const size_t len = n - loop;
    r.verdict = "LTL property " + prop.name + " is violated: " + fair + " whose last " +
                (len == 1 ? std::string("step repeats") : std::to_string(len) + " steps repeat") + " forever";
  } else {
    r.verdict = "LTL property " + prop.name + " is violated: " + fair +
                " that ends in a state without successors (which repeats forever)";
  }
  return r;
}

}  // namespace sp::checker
