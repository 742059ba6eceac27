// The unrolling from the initial state shared by BMC and k-induction's base case
// (internal): one solver, one frame and one step relation added per depth; at each depth
// the open targets are searched for under a push/pop scope, one query per violation
// found (a property answered is dropped and the rest asked again).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "checker/symbolic/targets.hpp"

namespace sp::checker::symbolic {

// Wall-clock budget; Z3 queries get what is left.
class Deadline {
 public:
  explicit Deadline(double seconds, const std::atomic<bool>* cancel = nullptr)
      : seconds_(seconds), cancel_(cancel), start_(std::chrono::steady_clock::now()) {}
  bool limited() const { return seconds_ > 0; }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  bool cancelled() const { return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed); }
  // The time is up, or the search was cancelled (why(): which).
  bool expired() const { return cancelled() || (limited() && elapsed() >= seconds_); }
  const char* why() const { return cancelled() ? "interrupted" : "timeout"; }
  // Milliseconds left for one query (Z3's "timeout" parameter; 0 means none).
  unsigned query_ms() const;

 private:
  double seconds_;
  const std::atomic<bool>* cancel_;
  std::chrono::steady_clock::time_point start_;
};

// The solver both engines use.
z3::solver make_solver(z3::context& ctx);

// Applies the deadline to the next query of `s`.
void set_query_timeout(z3::solver& s, const Deadline& d);

class BaseSearch {
 public:
  // `simple_paths`: the frames of a path are pairwise distinct (k-induction, which also
  // asks whether any such path of the current length exists).
  BaseSearch(Encoding& enc, std::vector<Target>& targets, std::vector<Outcome>& outcomes, const Deadline& deadline,
             bool simple_paths);

  int depth() const { return static_cast<int>(frames_.size()) - 1; }
  void extend();  // adds frame depth()+1 and the step to it

  enum class Status { kDone, kLimit };
  // Searches the open targets at the current depth; answers those violated. On kLimit
  // *why says which limit (the deadline, or Z3's reason).
  Status check_targets(std::string* why);
  // k-induction: is there a simple path of the current length from the initial state?
  // (unsat: every reachable state is within depth() - 1 steps).
  z3::check_result path_exists();

 private:
  Encoding& enc_;
  std::vector<Target>& targets_;
  std::vector<Outcome>& outcomes_;
  const Deadline& deadline_;
  bool simple_;
  z3::solver solver_;
  std::vector<Frame> frames_;
  std::vector<std::string> tags_;
};

}  // namespace sp::checker::symbolic
