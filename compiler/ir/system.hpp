// The next-state interface of one system of a Model (LTSmin's PINS, in spirit):
// initial states, and the successors of a state, each labelled with what produced it.
//
// Immutable after construction and safe to share between threads: successors() keeps
// its scratch space per thread (thread-local, reused between calls; nested calls from
// inside a callback are fine).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/ir/state.hpp"

namespace sp::ir {

// What happened to one copy of one sent message.
struct SendEvent {
  int queue = -1;
  bool lost = false;
  bool duplicated = false;
  std::vector<int64_t> fields;  // the message as sent
};

// The label of one step: transition group, the message received (if any), the call
// arguments (if any), and what became of every message sent.
struct Label {
  int instance = -1;
  int transition = -1;          // index into the instance's role transitions
  int recv_queue = -1;          // kRecv: the queue the message came from
  int recv_position = 0;        // kRecv on a bag: position taken from the queue
  // kRecv on a `dup redeliver` channel: the message was left in the queue (delivered
  // again later; one unit of the dup budget spent).
  bool redelivered = false;
  std::vector<int64_t> received;  // kRecv: the message's fields
  std::vector<int64_t> args;      // kCall: the arguments
  std::vector<SendEvent> sends;
  int env_entry = -1;           // kCall: the environment entry that allowed it
  int from_state = -1;          // control state of `instance` before the step
};

// A checking error raised while executing a transition: failed assert, integer out of
// range, full channel, full map, read of an absent map key, division by zero.
struct StepError {
  std::string message;  // `assert closed_first failed`, `int[0..2] overflows: 3`
  int line = 0;
};

struct Successor {
  Label label;
  Slots state;                       // valid when !error
  std::optional<StepError> error;
  // The slots the step wrote (when !error): every slot where `state` differs from the
  // state successors() was called on is listed (duplicates possible, and a listed slot
  // may hold its old value). Lets a checker re-encode only these (checker/delta_pack.hpp).
  std::vector<int32_t> changed;
};

class TransitionSystem {
 public:
  // `model` must outlive the TransitionSystem.
  TransitionSystem(const Model& model, int system);

  const Model& model() const { return *model_; }
  const System& system() const { return model_->systems[system_]; }
  int system_index() const { return system_; }
  const Layout& layout() const { return layout_; }

  Slots initial_state() const;

  // Calls `out` once per successor of `state` (errors included, as successors with
  // `error` set). The Successor passed is reused between calls: copy what you keep.
  // Allocation-free in steady state; in a hot loop pass a std::function made once (one
  // converted from a lambda with several captures allocates on each conversion). A send
  // on a port no queue is attached to reaches nobody and is not in the label.
  void successors(const Slots& state, const std::function<void(const Successor&)>& out) const;

  // The successors of one instance only: exactly the part of successors()'s enumeration
  // whose label names `instance`, in the same order (successors() is instance-major), so
  // a search that expands instances one at a time (partial-order reduction,
  // checker/por.hpp) numbers successors as successors() does.
  void successors_of_instance(const Slots& state, int instance,
                              const std::function<void(const Successor&)>& out) const;

  // Successors of one transition group only (same semantics).
  void successors_of(const Slots& state, int instance, int transition,
                     const std::function<void(const Successor&)>& out) const;

  // Evaluates a state expression (a property atom, invariant, deadlock exception).
  // Returns nullopt and sets *error on an evaluation error (absent map key...).
  std::optional<int64_t> eval(const Slots& state, const Expr& e, std::string* error = nullptr) const;

  // Readable forms for traces and reports.
  std::string describe_label(const Label& label) const;  // `client: rcv_synack (RFC ...)`
  std::string describe_state(const Slots& state) const;  // multi-line dump
  std::string message_text(int message, const std::vector<int64_t>& fields) const;
  int control_state(const Slots& state, int instance) const;

 private:
  const Model* model_;
  int system_;
  Layout layout_;
  struct Impl;                          // look-up tables and the interpreter (interpreter.cpp)
  std::shared_ptr<const Impl> impl_;
};

// Builds the slot layout of a system (called by the TransitionSystem constructor).
Layout build_layout(const Model& model, int system);

// The queues at port `port` of instance `inst`, as (length slot, capacity) pairs: those
// towards it (`incoming`: what len(p) and empty(p) count) or those its sends on the port
// reach (what full(p) and nfull(p) test).
std::vector<int32_t> port_queues(const System& sys, const Layout& l, int inst, int port, bool incoming);

}  // namespace sp::ir
