#include "checker/trace_build.hpp"

namespace sp::checker {

std::optional<ir::Successor> nth_successor(const ir::TransitionSystem& ts,
                                           const ir::Slots& state, uint32_t n) {
  std::optional<ir::Successor> found;
  uint32_t i = 0;
  ts.successors(state, [&](const ir::Successor& s) {
    if (i++ == n) found = s;
  });
  return found;
}

std::optional<Trace> rebuild_trace(const ir::TransitionSystem& ts,
                                   const std::vector<uint32_t>& path, std::string* error) {
  Trace t;
  t.system = ts.system().name;
  t.initial = ts.initial_state();
  const ir::Slots* current = &t.initial;
  for (size_t k = 0; k < path.size(); ++k) {
    std::optional<ir::Successor> s = nth_successor(ts, *current, path[k]);
    if (!s) {
      if (error) {
        *error = "step " + std::to_string(k + 1) + ": the state has no successor number " +
                 std::to_string(path[k]);
      }
      return std::nullopt;
    }
    TraceStep step;
    step.label = std::move(s->label);
    if (s->error) {
      if (k + 1 != path.size()) {
        if (error) *error = "step " + std::to_string(k + 1) + ": a checking error before the end";
        return std::nullopt;
      }
      step.error = std::move(s->error);
      step.state = *current;
    } else {
      step.state = std::move(s->state);
    }
    t.steps.push_back(std::move(step));
    current = &t.steps.back().state;
  }
  return t;
}

}  // namespace sp::checker
