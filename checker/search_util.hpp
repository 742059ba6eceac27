// Small pieces shared by the search engines (internal to checker/): the clock, limit
// checks and the engine entry points used by check_safety().
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/result.hpp"
#include "compiler/ir/system.hpp"

namespace sp::checker::detail {

// Seed of the 64-bit state signatures stored in StoreMode::kHashCompact.
inline constexpr uint64_t kSignatureSeed = 0x9e3779b97f4a7c15ULL;

class Clock {
 public:
  Clock() : start_(std::chrono::steady_clock::now()), cpu_start_(ProcessCpu()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double cpu_seconds() const { return ProcessCpu() - cpu_start_; }

 private:
  static double ProcessCpu() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  }
  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
};

// The limit that ends a search now, or "" (timeout, cancellation).
inline std::string time_limit_hit(const Options& o, const Clock& clock) {
  if (o.cancel != nullptr && o.cancel->load(std::memory_order_relaxed)) return "cancelled";
  if (o.timeout_seconds > 0 && clock.seconds() >= o.timeout_seconds) return "timeout";
  return "";
}

// Probability that a search storing `n` 64-bit signatures merged two distinct states
// (the birthday bound n^2 / 2^65).
double signature_collision_probability(uint64_t n);

Result run_bfs(const ir::TransitionSystem& ts, const std::vector<int>& properties,
               const Options& options);
Result run_dfs(const ir::TransitionSystem& ts, const std::vector<int>& properties,
               const Options& options);

}  // namespace sp::checker::detail
