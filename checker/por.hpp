// Partial-order reduction for the safety search (internal to checker/; docs/checker.md
// "Partial-order reduction"): which of an instance's steps may be explored alone.
//
// A state is expanded by one instance i only (its ample set: every step of i enabled in
// the state) when, from i's control state:
//   - every enabled transition of i is *safe*: its steps commute with every step another
//     instance can ever take (read and write sets of slots, from the IR; a receive from a
//     queue others send to, and a send to a queue only i sends to, count as commuting:
//     a FIFO append and a head removal commute while the queue is non-empty and the send
//     does not overflow, see the .cpp);
//   - every disabled transition of i is *stable*: no step of another instance can enable
//     it (its guard and event read nothing others write; a queue it receives from that
//     others send to is non-empty now, so its head cannot change; it sends to no
//     `blocking` queue, which the receiver could make room in);
//   - some enabled step comes from a *key* transition: safe, receiving from no queue
//     others send to (their send could overflow only if the receive were delayed), and
//     invisible: it writes no slot an invariant reads;
//   - none of i's steps is a checking error.
// The search adds the cycle proviso (checker/safety_bfs.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/ir/system.hpp"

namespace sp::checker::detail {

class AmpleSets {
 public:
  // `visible`: the slots the checked invariants read (Monitor::invariant_slots).
  AmpleSets(const ir::TransitionSystem& ts, const std::vector<int32_t>& visible);

  // Whether instance i's steps alone may expand a state where i is in control state cs,
  // as far as known without the state: every transition from cs is safe or stable, and
  // one of them is a key.
  bool may_reduce(int instance, int control_state) const {
    const auto& v = may_reduce_[static_cast<size_t>(instance)];
    return control_state >= 0 && control_state < static_cast<int>(v.size()) &&
           v[static_cast<size_t>(control_state)] != 0;
  }
  // The rest, given the state and which of i's transitions have steps in it
  // (enabled[t] != 0): enabled ones safe, disabled ones stable, a key among the enabled,
  // and the queues i receives from that others send to non-empty.
  bool ample(const ir::Slots& state, int instance, const std::vector<uint8_t>& enabled) const;

  // Per transition of an instance (exposed for tests).
  bool safe(int instance, int transition) const { return flags(instance, transition) & kSafe; }
  bool stable(int instance, int transition) const { return flags(instance, transition) & kStable; }
  bool key(int instance, int transition) const { return flags(instance, transition) & kKey; }

 private:
  static constexpr uint8_t kSafe = 1, kStable = 2, kKey = 4;
  uint8_t flags(int instance, int transition) const {
    return flags_[static_cast<size_t>(instance)][static_cast<size_t>(transition)];
  }

  const ir::TransitionSystem& ts_;
  std::vector<std::vector<uint8_t>> flags_;       // per instance, per transition
  std::vector<std::vector<uint8_t>> may_reduce_;  // per instance, per control state
  // Per instance, per transition: length slots of the queues it receives from that other
  // instances send to (must be non-empty for the transition's enabledness to be stable).
  std::vector<std::vector<std::vector<int32_t>>> shared_recv_;
};

}  // namespace sp::checker::detail
