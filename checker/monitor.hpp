// The properties a safety search watches, and the violations it found (internal to
// checker/: the BFS and DFS engines share it). Thread-safe: checks may run from several
// workers; the first violation of each property wins.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "checker/result.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker::detail {

class Monitor {
 public:
  // `properties` as given to check_safety; outcome k of the result is properties[k],
  // then the implicit "no checking errors" when `check_errors`.
  Monitor(const ir::TransitionSystem& ts, const std::vector<int>& properties, bool check_errors);

  bool has_invariants() const { return !invariants_.empty(); }
  // The slots the invariants read (sorted): check_state reads no other slot, so a
  // search may decode only these (expr_slots.hpp).
  const std::vector<int32_t>& invariant_slots() const { return invariant_slots_; }
  bool has_deadlock() const { return !deadlocks_.empty(); }
  bool wants_errors() const {
    return errors_ >= 0 && open_[errors_].load(std::memory_order_relaxed);
  }
  // Every watched property has been answered (violated).
  bool done() const { return open_count_.load(std::memory_order_acquire) == 0; }

  // The invariants a step can change the value of, as a mask over invariants_ (bit
  // min(i, 63) for invariants_[i]): those reading a slot in `changed` (the slots the step
  // wrote, ir::Successor::changed). An invariant reading none of them has its value in
  // the parent state, where it held: every stored state was checked while the invariant
  // was open, and a violation closes it.
  uint64_t invariants_touched(const std::vector<int32_t>& changed) const {
    uint64_t mask = 0;
    for (const int32_t x : changed) mask |= slot_invariants_[static_cast<size_t>(x)];
    return mask;
  }

  // Evaluates the open invariants on `state` (those in `mask`, see invariants_touched).
  // `path()` gives the successor numbers from the initial state to `state`; `now()` the
  // figures so far. Called for every new state.
  template <class PathFn, class NowFn>
  void check_state(const ir::Slots& state, PathFn&& path, NowFn&& now, uint64_t mask = ~uint64_t{0}) {
    for (size_t i = 0; i < invariants_.size(); ++i) {
      if (((mask >> std::min<size_t>(i, 63)) & 1) == 0) continue;
      const int k = invariants_[i];
      if (!open_[k].load(std::memory_order_relaxed)) continue;
      std::string err;
      std::optional<int64_t> v = ts_.eval(state, *exprs_[k], &err);
      if (v && *v != 0) continue;
      record(k, path(), TraceEnd::kInvariant,
             v ? "invariant " + outcomes_[k].name + " is violated"
               : "invariant " + outcomes_[k].name + " cannot be evaluated: " + err,
             now());
    }
  }

  // `state` has no successor at all (an error successor counts as one).
  template <class PathFn, class NowFn>
  void check_deadlock(const ir::Slots& state, PathFn&& path, NowFn&& now) {
    for (int k : deadlocks_) {
      if (!open_[k].load(std::memory_order_relaxed)) continue;
      std::string note;
      if (exprs_[k] != nullptr) {
        std::string err;
        std::optional<int64_t> v = ts_.eval(state, *exprs_[k], &err);
        if (v && *v != 0) continue;  // excused
        if (!v) note = " (the `except` condition cannot be evaluated: " + err + ")";
      }
      record(k, path(), TraceEnd::kDeadlock, "deadlock: no transition is enabled" + note, now());
    }
  }

  // A successor raised a checking error; `path()` leads to it (the error step included).
  template <class PathFn, class NowFn>
  void report_error(const ir::StepError& e, PathFn&& path, NowFn&& now) {
    if (!wants_errors()) return;
    std::string msg = "checking error: " + e.message;
    if (e.line > 0) msg += " (line " + std::to_string(e.line) + ")";
    record(errors_, path(), TraceEnd::kError, msg, now());
  }

  // The outcomes: violations get their trace rebuilt; the others hold when `complete`,
  // else are unknown because of `limit`.
  std::vector<Outcome> finish(bool complete, const std::string& limit, const Stats& final_stats);

 private:
  struct Found {
    std::vector<uint32_t> path;
    TraceEnd end = TraceEnd::kNone;
    std::string message;
    Stats stats;
  };

  void record(int k, std::vector<uint32_t> path, TraceEnd end, std::string message,
              const Stats& now);

  const ir::TransitionSystem& ts_;
  std::vector<Outcome> outcomes_;
  std::vector<const ir::Expr*> exprs_;  // invariant or deadlock `except` (or null)
  std::vector<int> invariants_, deadlocks_;
  std::vector<int32_t> invariant_slots_;
  std::vector<uint64_t> slot_invariants_;  // per slot: the invariants reading it (mask)
  int errors_ = -1;
  std::unique_ptr<std::atomic<bool>[]> open_;
  std::atomic<int> open_count_{0};
  std::mutex mu_;
  std::vector<std::unique_ptr<Found>> found_;
};

}  // namespace sp::checker::detail
