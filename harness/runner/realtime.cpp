#include "harness/runner/realtime.hpp"

#include <sched.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sp::harness {

RealtimeScope::RealtimeScope(bool enable) {
  if (!enable) return;
  old_policy_ = sched_getscheduler(0);
  struct sched_param old {};
  sched_getparam(0, &old);
  old_priority_ = old.sched_priority;
  if (old_policy_ == SCHED_FIFO || old_policy_ == SCHED_RR) {
    // Already real-time (e.g. started under chrt): keep what the caller chose.
    active_ = true;
    old_policy_ = -1;
    return;
  }
  struct sched_param p {};
  p.sched_priority = sched_get_priority_min(SCHED_FIFO);
  if (sched_setscheduler(0, SCHED_FIFO, &p) != 0) {
    int err = errno;
    why_not_ = std::string("sched_setscheduler(SCHED_FIFO): ") + std::strerror(err) + " (" +
               strerrorname_np(err) + ")";
    return;
  }
  active_ = true;
}

RealtimeScope::~RealtimeScope() {
  if (!active_ || old_policy_ < 0) return;
  struct sched_param p {};
  p.sched_priority = old_priority_;
  sched_setscheduler(0, old_policy_, &p);
}

bool realtime_wanted() {
  const char* v = std::getenv("STATEPROOF_REALTIME");
  return !(v && std::strcmp(v, "0") == 0);
}

}  // namespace sp::harness
