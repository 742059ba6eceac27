// The role of a spec as a monitor runs it: a copy of the model with a two-instance system
// appended (the role, and a peer that never moves), one queue from the peer to the role's
// wire port and one back, as gen/replay.cpp builds for a generated test. The monitor puts
// each segment the peer sent into the first queue; what the role sends collects in the
// second, in order, until the capture shows it. The environment allows each of the role's
// calls once: one incarnation of the role per connection.
//
// Immutable after build(); shared by every connection's tracker.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/system.hpp"

namespace sp::monitor {

class RoleSystem {
 public:
  // Outputs the role may have sent but the capture has not shown yet, at most.
  static constexpr int kOutputCapacity = 6;
  // Timers a monitored role may have, at most.
  static constexpr size_t kMaxTimers = 4;

  // nullopt with *error when the role is unknown, has no port whose message is bound to
  // `wire`, has more than kMaxTimers timers, or the model is not compiled at full width (--seq-bits 32).
  static std::unique_ptr<RoleSystem> build(const ir::Model& model, const std::string& role,
                                           const std::string& wire, std::string* error);

  const ir::Model& model() const { return *model_; }
  const ir::Role& role() const { return model_->roles[static_cast<size_t>(role_)]; }
  const ir::TransitionSystem& ts() const { return *ts_; }
  int message() const { return message_; }

  const ir::QueueLayout& in_queue() const { return ts_->layout().queues[static_cast<size_t>(in_queue_)]; }
  const ir::QueueLayout& out_queue() const { return ts_->layout().queues[static_cast<size_t>(out_queue_)]; }
  int out_queue_index() const { return out_queue_; }
  // The role's transitions that take a message from the wire port, and those the capture
  // cannot show (calls, timer expiries, internal steps).
  const std::vector<int>& receives() const { return receives_; }
  const std::vector<int>& unobserved() const { return unobserved_; }
  // The unobserved transitions that send nothing (listen, a timer that only closes).
  const std::vector<int>& silent() const { return silent_; }
  // The same, enabled in control state `state` (by their `from`).
  enum class Kind { kReceive, kUnobserved, kSilent };
  const std::vector<int>& from(Kind kind, int64_t state) const {
    return by_state_[static_cast<size_t>(kind)][static_cast<size_t>(state)];
  }
  // The slot of role variable `var`, of the control state, of timer k's armed flag.
  int var_slot(int var) const;
  int state_slot() const;
  int timer_slot(int timer) const;

 private:
  RoleSystem() = default;
  std::unique_ptr<ir::Model> model_;
  std::unique_ptr<ir::TransitionSystem> ts_;
  int role_ = -1, port_ = -1, message_ = -1, in_queue_ = -1, out_queue_ = -1;
  std::vector<int> receives_, unobserved_, silent_;
  std::vector<std::vector<int>> by_state_[3];
};

}  // namespace sp::monitor
