// ir::TransitionSystem as a StateSpace for the LTL product search.
#include "checker/ltl/ts_space.hpp"

#include <cstring>

namespace sp::checker::ltl {

TsStateSpace::TsStateSpace(const ir::TransitionSystem& ts, const std::vector<ir::Expr>& atoms)
    : ts_(ts), atoms_(atoms) {
  const ir::Model& m = ts.model();
  for (const ir::Instance& inst : ts.system().instances) {
    group_base_.push_back(groups_);
    if (inst.role >= 0 && inst.role < static_cast<int>(m.roles.size())) {
      groups_ += static_cast<int>(m.roles[static_cast<size_t>(inst.role)].transitions.size());
    }
  }
  group_base_.push_back(groups_);
}

int TsStateSpace::group(int instance, int transition) const {
  if (instance < 0 || instance + 1 >= static_cast<int>(group_base_.size()) || transition < 0) return -1;
  const int g = group_base_[static_cast<size_t>(instance)] + transition;
  return g < group_base_[static_cast<size_t>(instance) + 1] ? g : -1;
}

const ir::Slots& TsStateSpace::load(const uint8_t* state) {
  const size_t n = state_bytes();
  if (!have_loaded_ || (n != 0 && std::memcmp(loaded_.data(), state, n) != 0)) {
    loaded_.assign(state, state + n);
    ts_.layout().unpack(state, slots_);
    have_loaded_ = true;
  }
  return slots_;
}

void TsStateSpace::initial_state(uint8_t* out) {
  ts_.layout().pack(ts_.initial_state(), packed_);
  if (!packed_.empty()) std::memcpy(out, packed_.data(), packed_.size());
}

bool TsStateSpace::atoms(const uint8_t* state, uint64_t* valuation) {
  const ir::Slots& s = load(state);
  uint64_t v = 0;
  for (size_t i = 0; i < atoms_.size() && i < 64; ++i) {
    std::string err;
    std::optional<int64_t> x = ts_.eval(s, atoms_[i], &err);
    if (!x) {
      error_ = "cannot evaluate atom " + std::to_string(i) + " of the property: " + err;
      return false;
    }
    if (*x != 0) v |= uint64_t{1} << i;
  }
  *valuation = v;
  return true;
}

bool TsStateSpace::successors(const uint8_t* state, Successors& out) {
  const ir::Slots& s = load(state);
  ts_.successors(s, [this, &out](const ir::Successor& succ) {
    if (succ.error) return;  // a checking error ends the run: no successor for liveness
    ts_.layout().pack(succ.state, packed_);
    out.add(packed_.data(), step_group(succ.label));
  });
  return true;
}

bool TsStateSpace::letters(const Lasso& lasso, std::vector<uint64_t>& out, size_t* loop) {
  out.clear();
  const bool stutter = lasso.loop_start >= lasso.steps();
  const size_t states = stutter ? lasso.steps() + 1 : lasso.steps();
  for (size_t i = 0; i < states; ++i) {
    uint64_t v = 0;
    if (!atoms(lasso.state(i), &v)) return false;
    out.push_back(v);
  }
  *loop = stutter ? lasso.steps() : lasso.loop_start;
  return true;
}

std::optional<Trace> TsStateSpace::trace(const Lasso& lasso, std::string* error) {
  Trace t;
  t.system = ts_.system().name;
  ts_.layout().unpack(lasso.state(0), t.initial);
  ir::Slots cur = t.initial;
  for (size_t i = 0; i < lasso.steps(); ++i) {
    // The first successor of the step's group that reaches the recorded state.
    std::optional<ir::Successor> found;
    ts_.successors(cur, [&](const ir::Successor& s) {
      if (found || s.error || step_group(s.label) != lasso.groups[i]) return;
      ts_.layout().pack(s.state, packed_);
      if (packed_.size() == lasso.state_bytes &&
          (lasso.state_bytes == 0 || std::memcmp(packed_.data(), lasso.state(i + 1), lasso.state_bytes) == 0)) {
        found = s;
      }
    });
    if (!found) {
      if (error) *error = "step " + std::to_string(i + 1) + " of the lasso does not replay";
      return std::nullopt;
    }
    TraceStep step;
    step.label = std::move(found->label);
    step.state = std::move(found->state);
    cur = step.state;
    t.steps.push_back(std::move(step));
  }
  if (lasso.loop_start >= lasso.steps()) {
    t.end = TraceEnd::kDeadlock;
  } else {
    t.end = TraceEnd::kCycle;
    t.loop_start = lasso.loop_start;
  }
  return t;
}

}  // namespace sp::checker::ltl
