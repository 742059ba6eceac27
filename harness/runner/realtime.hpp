// Real-time scheduling while a worker runs its test: SCHED_FIFO at the lowest real-time
// priority, so that a worker woken by the IUT's packet runs at once instead of queueing
// behind whatever else keeps the CPUs busy. The IUT takes the time from its segment to
// the tester's answer as a round-trip sample, so on a loaded machine that delay would
// set the kernel's RTO (docs/harness.md, "Reaction latency"). Only the test itself
// runs so (harness/runner/runner.cpp): it sleeps in ppoll between events, and its
// system calls (the device, sock_diag, socket calls) never spin on a lock. Namespace and
// device setup and teardown stay at normal priority: they take the RTNL lock, and some
// of those paths retry (restart_syscall) while another task holds it, which a real-time
// task would do forever if the holder, at normal priority, never got the CPU.
#pragma once

#include <string>

namespace sp::harness {

// While alive, the calling thread runs under SCHED_FIFO priority 1 (threads and
// processes it creates meanwhile inherit it); the policy it had is restored on
// destruction.
class RealtimeScope {
 public:
  // enable false: does nothing (active() false, why_not() "").
  explicit RealtimeScope(bool enable);
  ~RealtimeScope();
  RealtimeScope(const RealtimeScope&) = delete;
  RealtimeScope& operator=(const RealtimeScope&) = delete;

  bool active() const { return active_; }
  // Why real-time scheduling was asked for and not obtained, e.g.
  // "sched_setscheduler(SCHED_FIFO): Operation not permitted (EPERM)"; "" otherwise.
  const std::string& why_not() const { return why_not_; }

 private:
  bool active_ = false;
  int old_policy_ = 0;
  int old_priority_ = 0;
  std::string why_not_;
};

// Real-time scheduling is wanted unless STATEPROOF_REALTIME=0 (for comparisons:
// bench/harness.sh).
bool realtime_wanted();

}  // namespace sp::harness
