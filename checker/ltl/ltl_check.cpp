// check_ltl: property -> negated formula -> Büchi automaton -> product search -> verdict.
#include "checker/ltl/ltl_check.hpp"

#include <chrono>

#include "checker/ltl/buchi.hpp"
#include "checker/ltl/formula.hpp"
#include "checker/ltl/ts_space.hpp"

namespace sp::checker {

namespace {

LtlResult Unknown(std::string message) {
  LtlResult r;
  r.verdict = Verdict::kUnknown;
  r.message = std::move(message);
  return r;
}

}  // namespace

LtlResult check_ltl(const ir::TransitionSystem& ts, const ir::Property& prop, const LtlOptions& opts) {
  const auto start = std::chrono::steady_clock::now();
  if (prop.kind != ir::PropertyKind::kLtl) return Unknown("not an LTL property");
  if (prop.system != ts.system_index()) return Unknown("the property belongs to another system");
  if (prop.atoms.size() > 64) return Unknown("the LTL engine handles at most 64 atoms per property");

  const ltl::Formula formula = ltl::from_ir(prop.ltl);
  std::string error;
  const std::optional<ltl::Automaton> automaton = ltl::translate(ltl::negate(formula), &error);
  if (!automaton) return Unknown(error);

  ltl::TsStateSpace space(ts, prop.atoms);
  std::vector<ltl::FairSet> fairness;
  for (const ir::Fairness& f : prop.fairness) {
    for (const std::vector<ir::GroupRef>& set : f.sets) {
      ltl::FairSet s;
      s.strong = f.strong;
      for (const ir::GroupRef& g : set) {
        const int id = space.group(g.instance, g.transition);
        if (id >= 0) s.groups.push_back(id);
      }
      if (!s.groups.empty()) fairness.push_back(std::move(s));  // an empty set is always fair
    }
  }

  ltl::SearchOptions so;
  so.algorithm = opts.algorithm;
  so.max_states = opts.max_states;
  so.max_memory_bytes = opts.max_memory_mb << 20;
  so.successor_cache_bytes = opts.successor_cache_mb << 20;
  so.timeout_s = opts.timeout_s;
  so.progress = opts.progress;
  so.progress_interval = opts.progress_interval;
  so.cancel = opts.cancel;
  const ltl::SearchResult sr = ltl::find_accepting_run(space, *automaton, fairness, so);

  LtlResult r;
  r.formula = ltl::to_spin(formula);
  r.automaton_states = automaton->states();
  r.automaton_sets = automaton->acc_sets;
  r.algorithm = sr.algorithm;
  r.states = sr.stats.states;
  r.system_states = sr.system_states;
  r.transitions = sr.stats.transitions;
  r.max_depth = sr.stats.max_depth;
  r.memory_mb = static_cast<double>(sr.stats.peak_memory_bytes) / (1 << 20);
  switch (sr.status) {
    case ltl::SearchStatus::kNoCycle:
      r.verdict = Verdict::kHolds;
      break;
    case ltl::SearchStatus::kLimit:
    case ltl::SearchStatus::kError:
      r.verdict = Verdict::kUnknown;
      r.message = sr.message;
      break;
    case ltl::SearchStatus::kCycle: {
      std::optional<Trace> trace = space.trace(sr.lasso, &error);
      // Recheck the counterexample against the formula itself before reporting it.
      std::vector<uint64_t> letters;
      size_t loop = 0;
      if (trace && space.letters(sr.lasso, letters, &loop) && ltl::holds_on_lasso(formula, letters, loop)) {
        trace.reset();
        error = "the run found satisfies the formula";
      }
      if (!trace) {
        r.verdict = Verdict::kUnknown;
        r.message = "internal error in the LTL engine: " + error;
        break;
      }
      r.verdict = Verdict::kViolated;
      const std::string fair = fairness.empty() ? "a run" : "a fair run";
      if (trace->end == TraceEnd::kDeadlock) {
        r.message = fair + " that ends in a state without successors (which repeats forever) violates it";
      } else {
        const size_t cycle = trace->steps.size() - *trace->loop_start;
        r.message = fair + " whose last " + (cycle == 1 ? std::string("step repeats") : std::to_string(cycle) + " steps repeat") +
                    " forever violates it";
      }
      trace->property = prop.name;
      trace->verdict = r.message;
      r.trace = std::move(trace);
      break;
    }
  }
  r.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

Result check_ltl(const ir::TransitionSystem& ts, const std::vector<int>& properties, const Options& options) {
  Result res;
  res.complete = true;
  const ir::Model& m = ts.model();
  for (int p : properties) {
    Outcome o;
    o.property = p;
    LtlResult lr;
    if (p < 0 || p >= static_cast<int>(m.properties.size())) {
      lr = Unknown("no such property");
    } else {
      const ir::Property& prop = m.properties[static_cast<size_t>(p)];
      o.name = prop.name;
      LtlOptions lo;
      lo.max_states = options.max_states;
      lo.timeout_s = options.timeout_seconds;
      lo.max_memory_mb = (options.max_memory + (uint64_t{1} << 20) - 1) >> 20;
      lo.progress = options.progress;
      lo.progress_interval = options.progress_interval;
      lo.cancel = options.cancel;
      lr = check_ltl(ts, prop, lo);
    }
    o.verdict = lr.verdict;
    o.message = lr.message;
    o.trace = std::move(lr.trace);
    o.stats.states = lr.states;
    o.stats.transitions = lr.transitions;
    o.stats.max_depth = lr.max_depth;
    o.stats.seconds = lr.time_s;
    o.stats.peak_memory_bytes = static_cast<uint64_t>(lr.memory_mb * (1 << 20));
    res.stats.states += o.stats.states;
    res.stats.transitions += o.stats.transitions;
    res.stats.max_depth = std::max(res.stats.max_depth, o.stats.max_depth);
    res.stats.seconds += o.stats.seconds;
    res.stats.peak_memory_bytes = std::max(res.stats.peak_memory_bytes, o.stats.peak_memory_bytes);
    if (o.verdict == Verdict::kUnknown) {
      res.complete = false;
      if (res.limit.empty()) res.limit = o.message;
    }
    res.outcomes.push_back(std::move(o));
  }
  return res;
}

}  // namespace sp::checker
