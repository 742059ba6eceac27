#include "checker/symbolic/targets.hpp"

namespace sp::checker::symbolic {

void make_targets(const ir::TransitionSystem& ts, const std::vector<int>& properties, bool check_errors,
                  std::vector<Outcome>& outcomes, std::vector<Target>& targets) {
  const ir::Model& m = ts.model();
  for (int p : properties) {
    Outcome o;
    o.property = p;
    Target t;
    t.outcome = outcomes.size();
    bool watched = false;
    if (p >= 0 && p < static_cast<int>(m.properties.size())) {
      const ir::Property& prop = m.properties[static_cast<size_t>(p)];
      o.name = prop.name;
      if (prop.system != ts.system_index()) {
        o.message = "property of another system";
      } else if (prop.kind == ir::PropertyKind::kInvariant) {
        t.kind = TargetKind::kInvariant;
        t.expr = &prop.invariant;
        t.lemma = prop.lemma;
        watched = true;
      } else if (prop.kind == ir::PropertyKind::kDeadlock) {
        t.kind = TargetKind::kDeadlock;
        t.expr = prop.except ? &*prop.except : nullptr;
        watched = true;
      } else {
        o.message = "an LTL property: not checked by the symbolic engine";
      }
    } else {
      o.name = "#" + std::to_string(p);
      o.message = "no such property";
    }
    outcomes.push_back(std::move(o));
    if (watched) targets.push_back(t);
  }
  if (check_errors) {
    Outcome o;
    o.property = -1;
    o.name = "no checking errors";
    Target t;
    t.outcome = outcomes.size();
    t.kind = TargetKind::kError;
    outcomes.push_back(std::move(o));
    targets.push_back(t);
  }
}

z3::expr bad_state(Encoding& enc, const Target& t, const Frame& f, const std::string& tag, bool* exact) {
  switch (t.kind) {
    case TargetKind::kInvariant:
      return !enc.holds(f, *t.expr);
    case TargetKind::kDeadlock: {
      bool ok = true;
      z3::expr dead = !enc.has_successor(f, &ok);
      if (!ok) *exact = false;
      // An `except` that cannot be evaluated does not excuse (as the explicit engine).
      if (t.expr != nullptr) dead = dead && !enc.holds(f, *t.expr);
      return dead;
    }
    case TargetKind::kError:
      return enc.error_step(f, tag);
  }
  return enc.ctx().bool_val(false);
}

std::optional<Trace> rebuild_from_model(const Encoding& enc, const z3::model& model, const std::vector<Frame>& frames,
                                        const std::vector<std::string>& tags, const std::string* error_tag,
                                        std::string* error) {
  const ir::TransitionSystem& ts = enc.ts();
  Trace t;
  t.system = ts.system().name;
  t.initial = enc.state_of(model, frames.at(0));
  if (t.initial != ts.initial_state()) {
    *error = "the initial state differs from the interpreter's";
    return std::nullopt;
  }
  const ir::Slots* cur = &t.initial;
  const size_t n = tags.size() + (error_tag ? 1 : 0);
  for (size_t k = 0; k < n; ++k) {
    const bool last_error = error_tag != nullptr && k == tags.size();
    const int a = enc.action_of(model, last_error ? *error_tag : tags[k]);
    if (a < 0 || a >= static_cast<int>(enc.actions().size())) {
      *error = "step " + std::to_string(k + 1) + ": no such action";
      return std::nullopt;
    }
    const Action& act = enc.actions()[static_cast<size_t>(a)];
    const ir::Slots want = last_error ? ir::Slots{} : enc.state_of(model, frames.at(k + 1));
    std::optional<ir::Successor> found;
    ts.successors_of(*cur, act.instance, act.transition, [&](const ir::Successor& s) {
      if (found) return;
      if (s.label.recv_queue != act.recv_queue) return;
      if (last_error ? s.error.has_value() : (!s.error && s.state == want)) found = s;
    });
    if (!found) {
      *error = "step " + std::to_string(k + 1) + " (" +
               ts.model().roles[static_cast<size_t>(ts.system().instances[static_cast<size_t>(act.instance)].role)]
                   .transitions[static_cast<size_t>(act.transition)].name +
               ") has no matching successor in the interpreter";
      return std::nullopt;
    }
    TraceStep step;
    step.label = std::move(found->label);
    if (found->error) {
      step.error = std::move(found->error);
      step.state = *cur;
    } else {
      step.state = std::move(found->state);
    }
    t.steps.push_back(std::move(step));
    cur = &t.steps.back().state;
  }
  return t;
}

void record_violation(const ir::TransitionSystem& ts, const Target& t, Outcome& o, Trace trace) {
  const ir::Slots& last = trace.steps.empty() ? trace.initial : trace.steps.back().state;
  switch (t.kind) {
    case TargetKind::kInvariant: {
      std::string err;
      const std::optional<int64_t> v = ts.eval(last, *t.expr, &err);
      o.message = v ? "invariant " + o.name + " is violated" : "invariant " + o.name + " cannot be evaluated: " + err;
      trace.end = TraceEnd::kInvariant;
      break;
    }
    case TargetKind::kDeadlock: {
      std::string note;
      if (t.expr != nullptr) {
        std::string err;
        if (!ts.eval(last, *t.expr, &err)) note = " (the `except` condition cannot be evaluated: " + err + ")";
      }
      o.message = "deadlock: no transition is enabled" + note;
      trace.end = TraceEnd::kDeadlock;
      break;
    }
    case TargetKind::kError: {
      const ir::StepError& e = *trace.steps.back().error;
      o.message = "checking error: " + e.message;
      if (e.line > 0) o.message += " (line " + std::to_string(e.line) + ")";
      trace.end = TraceEnd::kError;
      break;
    }
  }
  o.verdict = Verdict::kViolated;
  trace.verdict = o.message;
  if (o.property >= 0) trace.property = o.name;
  o.trace = std::move(trace);
}

}  // namespace sp::checker::symbolic
