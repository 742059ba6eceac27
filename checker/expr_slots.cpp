#include "checker/expr_slots.hpp"

#include <algorithm>

namespace sp::checker::detail {

namespace {

void Collect(const ir::TransitionSystem& ts, const ir::Expr& e, std::vector<int32_t>& out) {
  const ir::Layout& l = ts.layout();
  const bool named = e.instance >= 0 && e.instance < static_cast<int>(l.instances.size());
  switch (e.op) {
    case ir::Op::kInstState:
      if (named) out.push_back(l.instances[static_cast<size_t>(e.instance)].state);
      break;
    case ir::Op::kTimerArmed:
      if (named) {
        const auto& timers = l.instances[static_cast<size_t>(e.instance)].timers;
        if (e.index >= 0 && e.index < static_cast<int>(timers.size())) out.push_back(timers[static_cast<size_t>(e.index)]);
      }
      break;
    case ir::Op::kInstVar:
    case ir::Op::kMapHas:
    case ir::Op::kMapGet: {
      if (!named) break;
      const auto& vars = l.instances[static_cast<size_t>(e.instance)].vars;
      if (e.index < 0 || e.index >= static_cast<int>(vars.size())) break;
      const int first = vars[static_cast<size_t>(e.index)];
      // A map occupies its size slot and two slots per pair (ir/state.hpp).
      const ir::Model& m = ts.model();
      const ir::Instance& inst = ts.system().instances[static_cast<size_t>(e.instance)];
      const ir::Var& var = m.roles[static_cast<size_t>(inst.role)].vars[static_cast<size_t>(e.index)];
      int count = 1;
      if (var.type >= 0 && var.type < static_cast<int>(m.types.size())) {
        const ir::Type& t = m.types[static_cast<size_t>(var.type)];
        if (t.kind == ir::TypeKind::kMap) count = 1 + 2 * std::max(0, t.capacity);
      }
      for (int k = 0; k < count; ++k) out.push_back(first + k);
      break;
    }
    case ir::Op::kPortLen:
    case ir::Op::kPortFull: {
      if (!named) break;
      const std::vector<int32_t> qs = ir::port_queues(ts.system(), l, e.instance, e.index, e.op == ir::Op::kPortLen);
      for (size_t k = 0; k < qs.size(); k += 2) out.push_back(qs[k]);  // the length slots
      break;
    }
    default:
      break;
  }
  for (const ir::Expr& a : e.args) Collect(ts, a, out);
}

}  // namespace

std::vector<int32_t> slots_read(const ir::TransitionSystem& ts, const ir::Expr& e) {
  std::vector<int32_t> out;
  Collect(ts, e, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace sp::checker::detail
