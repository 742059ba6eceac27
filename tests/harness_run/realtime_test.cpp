// RealtimeScope: SCHED_FIFO for the scope's lifetime, inherited by forked children, the
// old policy back afterwards; a clear reason when not permitted. Needs root for the
// permitted case (skipped otherwise).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "harness/runner/realtime.hpp"

namespace sp::harness {
namespace {

// Runs `body` in a forked child; its exit status.
template <typename F>
int in_child(F body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Realtime, FifoWhileAliveInheritedAndRestored) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  ASSERT_EQ(sched_getscheduler(0), SCHED_OTHER);
  {
    RealtimeScope rt(true);
    ASSERT_TRUE(rt.active()) << rt.why_not();
    EXPECT_EQ(sched_getscheduler(0), SCHED_FIFO);
    EXPECT_EQ(in_child([] { return sched_getscheduler(0) == SCHED_FIFO ? 0 : 1; }), 0);
  }
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
  RealtimeScope off(false);
  EXPECT_FALSE(off.active());
  EXPECT_EQ(off.why_not(), "");
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
}

TEST(Realtime, NotPermittedSaysWhy) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to drop to an unprivileged user";
  EXPECT_EQ(in_child([] {
              if (setgid(65534) != 0 || setuid(65534) != 0) return 2;
              RealtimeScope rt(true);
              if (rt.active()) return 3;
              return rt.why_not().find("EPERM") != std::string::npos ? 0 : 4;
            }),
            0);
}

TEST(Realtime, EnvironmentTurnsItOff) {
  unsetenv("STATEPROOF_REALTIME");
  EXPECT_TRUE(realtime_wanted());
  setenv("STATEPROOF_REALTIME", "0", 1);
  EXPECT_FALSE(realtime_wanted());
  setenv("STATEPROOF_REALTIME", "1", 1);
  EXPECT_TRUE(realtime_wanted());
  unsetenv("STATEPROOF_REALTIME");
}

}  // namespace
}  // namespace sp::harness
