// Robustness of the runner: SIGINT/SIGTERM to `stateproof run` mid-suite, SIGKILL of a
// worker, SIGKILL of the runner itself, a worker overrunning its budget, and a long run
// of tiny tests leave no process, namespace, interface, route or descriptor behind.
// The test process makes itself a child subreaper, so any worker orphaned by a dead
// runner is reparented here where it can be seen.
#include <gtest/gtest.h>
#include <malloc.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "harness/report/report.hpp"
#include "harness/runner/runner.hpp"
#include "harness/suite/parse.hpp"
#include "tests/harness_run/host_state.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

#define SKIP_WITHOUT_ENVIRONMENT()                                                       \
  do {                                                                                  \
    EnvironmentStatus env = check_environment(TargetKind::kLinux);                      \
    if (!env.ok) GTEST_SKIP() << "needs root and /dev/net/tun: " << env.message;        \
  } while (0)

#define SKIP_WITHOUT_BINARY()                                                            \
  do {                                                                                  \
    if (access(STATEPROOF_RUN_BINARY, X_OK) != 0) GTEST_SKIP() << "no " STATEPROOF_RUN_BINARY;  \
  } while (0)

// Processes whose parent is `parent`, with their command names.
std::vector<std::pair<pid_t, std::string>> children_of(pid_t parent) {
  std::vector<std::pair<pid_t, std::string>> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may contain spaces; it ends at the last ')'.
    size_t close = line.rfind(')');
    size_t open = line.find('(');
    if (close == std::string::npos || open == std::string::npos) continue;
    std::string comm = line.substr(open + 1, close - open - 1);
    char state = 0;
    int ppid = 0;
    if (sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) != 2) continue;
    if (ppid == parent && state != 'Z') out.emplace_back(std::stoi(name), comm);
  }
  return out;
}

size_t live_workers(pid_t parent) {
  size_t n = 0;
  for (const auto& [pid, comm] : children_of(parent)) n += comm == "sp-worker";
  return n;
}

// Reaps every exited child (workers reparented to us included) without blocking.
void reap_orphans() {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

class Subreaper {
 public:
  Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1); }
  ~Subreaper() {
    reap_orphans();
    prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
};

// A folder of `n` tests that each sit in a namespace for `seconds`.
fs::path write_slow_suite(const std::string& tag, int n, double seconds) {
  fs::path dir = fs::temp_directory_path() / ("sp_robust_" + tag + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < n; ++i) {
    std::ofstream f(dir / ("slow" + std::to_string(i) + ".spt"));
    f << "test slow" << i << "\n+0 call listen\n+0 wait " << seconds << "\n+0 expect state LISTEN\n";
  }
  return dir;
}

pid_t spawn_runner(const std::vector<std::string>& args, const fs::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen(log.c_str(), "w", stdout);
    (void)f;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> argv;
    std::string bin = STATEPROOF_RUN_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

bool wait_until(const std::function<bool()>& cond, double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

// waitpid with a deadline; -1 when the process did not exit in time.
int wait_exit(pid_t pid, double seconds) {
  int status = 0;
  bool done = wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, seconds);
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  return status;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

// A folder of `n` short tests of three kinds, so that an interruption lands in namespace
// setup, in the middle of an exchange, in a wait, or in teardown: a handshake (listen,
// SYN, SYN-ACK), a wait of 0.1 to 0.3 s, and a handshake followed by a wait.
fs::path write_mixed_suite(const std::string& tag, int n) {
  fs::path dir = fs::temp_directory_path() / ("sp_robust_" + tag + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string handshake = "+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA seq=0 ack=1\n";
  for (int i = 0; i < n; ++i) {
    std::ofstream f(dir / ("mixed" + std::to_string(i) + ".spt"));
    f << "test mixed" << i << "\n";
    switch (i % 3) {
      case 0: f << handshake; break;
      case 1: f << "+0 call listen\n+0 wait " << 0.1 + 0.05 * (i % 5) << "\n+0 expect state LISTEN\n"; break;
      default: f << handshake << "+0 wait 0.15\n+0 expect state SYN_RCVD\n"; break;
    }
  }
  return dir;
}

// 20 interruptions of `stateproof run` at random points of a suite: SIGINT or SIGTERM to
// the runner, or SIGKILL of one of its workers (chosen at random). After each, no worker
// survives (the test is a child subreaper: an orphan would come here), and at the end the
// host's interfaces, routes and named namespaces are as before. SP_ROBUST_SEED=N replays
// one sequence of kill points.
TEST(RunRobustness, RandomKillsLeaveNothingBehind) {
  SKIP_WITHOUT_ENVIRONMENT();
  SKIP_WITHOUT_BINARY();
  Subreaper reaper;
  const char* env_seed = std::getenv("SP_ROBUST_SEED");
  const unsigned seed = env_seed ? static_cast<unsigned>(std::strtoul(env_seed, nullptr, 10))
                                 : static_cast<unsigned>(time(nullptr));
  std::printf("[ info     ] SP_ROBUST_SEED=%u\n", seed);
  std::fflush(stdout);  // or every forked runner would print it again
  std::mt19937 rng(seed);
  testing::HostState before = testing::HostState::capture();
  fs::path suite = write_mixed_suite("kills", 12);
  fs::path log = suite / "log.txt";
  const int kRounds = 20;
  int interrupted = 0, workers_killed = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", SP_ROBUST_SEED=" + std::to_string(seed));
    const int action = round % 3;  // 0 SIGINT, 1 SIGTERM, 2 SIGKILL of a worker
    const double delay = std::uniform_real_distribution<double>(0.0, 0.6)(rng);
    pid_t runner = spawn_runner({"run", suite.string(), "--target", "linux", "--jobs", "2"}, log);
    ASSERT_TRUE(wait_until([&] { return live_workers(runner) > 0; }, 10)) << "workers never started\n"
                                                                           << read_file(log);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    int status = 0;
    if (action < 2) {
      const int sig = action == 0 ? SIGINT : SIGTERM;
      kill(runner, sig);
      status = wait_exit(runner, 10);
      ASSERT_NE(status, -1) << "the runner did not stop\n" << read_file(log);
      ASSERT_TRUE(WIFEXITED(status)) << read_file(log);
      // The run may have ended just before the signal (then 0 or 1, a full summary).
      if (WEXITSTATUS(status) == 128 + sig) {
        ++interrupted;
        EXPECT_NE(read_file(log).find("interrupted by signal"), std::string::npos) << read_file(log);
      } else {
        EXPECT_LE(WEXITSTATUS(status), 1) << read_file(log);
      }
    } else {
      std::vector<pid_t> workers;
      wait_until([&] {
        workers.clear();
        for (const auto& [pid, comm] : children_of(runner)) {
          if (comm == "sp-worker") workers.push_back(pid);
        }
        return !workers.empty();
      }, 2);
      if (!workers.empty()) {
        kill(workers[std::uniform_int_distribution<size_t>(0, workers.size() - 1)(rng)], SIGKILL);
      }
      status = wait_exit(runner, 30);
      ASSERT_NE(status, -1) << "the runner did not finish\n" << read_file(log);
      ASSERT_TRUE(WIFEXITED(status)) << read_file(log);
      // A worker killed before it delivered its result is an error naming the signal; one
      // killed while tearing down (result delivered) changes nothing.
      std::string text = read_file(log);
      if (text.find("the worker process was killed by signal 9 (SIGKILL)") != std::string::npos) {
        ++workers_killed;
        EXPECT_EQ(WEXITSTATUS(status), 1) << text;
      } else {
        EXPECT_EQ(WEXITSTATUS(status), 0) << text;
      }
      EXPECT_NE(text.find("12 tests in"), std::string::npos) << text;  // the run went on
    }
    EXPECT_TRUE(wait_until([] {
      reap_orphans();
      return live_workers(getpid()) == 0;
    }, 2)) << "a worker outlived its runner";
    EXPECT_TRUE(children_of(getpid()).empty());
  }
  std::printf("[ info     ] %d rounds: %d runs interrupted by a signal, %d workers killed mid-test\n",
              kRounds, interrupted, workers_killed);
  // Most kill points land mid-run (the suite takes about a second).
  EXPECT_GE(interrupted + workers_killed, kRounds / 2);
  testing::HostState after = testing::HostState::capture();
  EXPECT_EQ(before.links, after.links);
  EXPECT_EQ(before.routes, after.routes);
  EXPECT_EQ(before.netns, after.netns);
  EXPECT_EQ(before.netns_list, after.netns_list);
  fs::remove_all(suite);
}

TEST(RunRobustness, KilledWorkerIsAnErrorAndTheRunGoesOn) {
  SKIP_WITHOUT_ENVIRONMENT();
  SKIP_WITHOUT_BINARY();
  Subreaper reaper;
  fs::path suite = write_slow_suite("worker", 3, 0.3);
  fs::path log = suite / "log.txt";
  pid_t runner = spawn_runner({"run", suite.string(), "--target", "linux", "--jobs", "1"}, log);
  ASSERT_TRUE(wait_until([&] { return live_workers(runner) > 0; }, 10)) << read_file(log);
  pid_t victim = -1;
  for (const auto& [pid, comm] : children_of(runner)) {
    if (comm == "sp-worker") victim = pid;
  }
  ASSERT_GT(victim, 0);
  kill(victim, SIGKILL);
  int status = wait_exit(runner, 20);
  ASSERT_NE(status, -1) << read_file(log);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << read_file(log);
  std::string text = read_file(log);
  EXPECT_NE(text.find("the worker process was killed by signal 9 (SIGKILL)"), std::string::npos) << text;
  EXPECT_NE(text.find("2 pass, 1 error"), std::string::npos) << text;
  EXPECT_EQ(live_workers(getpid()), 0u);
  fs::remove_all(suite);
}

TEST(RunRobustness, WorkersDieWithAKilledRunner) {
  SKIP_WITHOUT_ENVIRONMENT();
  SKIP_WITHOUT_BINARY();
  Subreaper reaper;
  testing::HostState before = testing::HostState::capture();
  fs::path suite = write_slow_suite("runner", 4, 5);
  fs::path log = suite / "log.txt";
  pid_t runner = spawn_runner({"run", suite.string(), "--target", "linux", "--jobs", "2"}, log);
  ASSERT_TRUE(wait_until([&] { return live_workers(runner) >= 2; }, 10)) << read_file(log);
  kill(runner, SIGKILL);
  waitpid(runner, nullptr, 0);
  // PR_SET_PDEATHSIG kills the orphans; they come to us as zombies.
  EXPECT_TRUE(wait_until([] {
    reap_orphans();
    return live_workers(getpid()) == 0;
  }, 2));
  testing::HostState after = testing::HostState::capture();
  EXPECT_EQ(before.links, after.links);
  EXPECT_EQ(before.routes, after.routes);
  fs::remove_all(suite);
}

TEST(RunRobustness, OverrunningWorkerIsKilled) {
  SKIP_WITHOUT_ENVIRONMENT();
  ParseOutcome p = parse_test("test overrun\n+0 call listen\n+0 wait 3\n", "overrun.spt");
  ASSERT_TRUE(p.test);
  RunOptions o;
  o.timeout_margin = -3.3;  // budget: 3 + 0.5 - 3.3 = 0.2 s
  auto start = std::chrono::steady_clock::now();
  RunOutcome out = run_tests({*p.test}, o);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].verdict, Verdict::kError);
  EXPECT_NE(out.results[0].failure->message.find("overran its time budget"), std::string::npos);
  EXPECT_LT(took, 2.0);
}

size_t open_fds() {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

std::vector<TestCase> tiny_tests(int n) {
  std::vector<TestCase> tests;
  for (int i = 0; i < n; ++i) {
    ParseOutcome p = parse_test("test tiny" + std::to_string(i) +
                                    "\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA seq=0 ack=1\n",
                                "tiny.spt");
    EXPECT_TRUE(p.test);
    if (p.test) tests.push_back(*p.test);
  }
  return tests;
}

// Bytes the runner process holds from malloc (heap in use, not RSS: freed memory that
// malloc keeps does not count).
size_t heap_in_use() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

// 1000 consecutive tests leak nothing in the runner: no descriptor, no heap memory once
// the results are dropped (a warm-up run first, so that one-time allocations are not
// counted), no worker process.
TEST(RunRobustness, ThousandTestsLeakNoDescriptorsNorMemory) {
  SKIP_WITHOUT_ENVIRONMENT();
  RunOptions o;
  o.jobs = 2;
  o.execute.settle = 0.005;
  { RunOutcome warm = run_tests(tiny_tests(20), o); }
  const size_t fds_before = open_fds();
  const size_t heap_before = heap_in_use();
  std::vector<TestCase> tests = tiny_tests(1000);
  auto start = std::chrono::steady_clock::now();
  size_t passed = 0, results = 0;
  std::string first_diff;
  {
    RunOutcome out = run_tests(tests, o);
    results = out.results.size();
    for (const TestResult& r : out.results) {
      passed += r.verdict == Verdict::kPass;
      if (r.verdict != Verdict::kPass && first_diff.empty()) first_diff = render_diff(r);
    }
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tests.clear();
  tests.shrink_to_fit();
  const size_t fds_after = open_fds();
  const size_t heap_after = heap_in_use();
  EXPECT_EQ(fds_before, fds_after);
  ASSERT_EQ(results, 1000u);
  EXPECT_EQ(passed, 1000u) << first_diff;
  // Less than 16 bytes per test: a leak of anything per test (a result, a packet, a
  // buffer) would be far more.
  EXPECT_LT(heap_after, heap_before + 16 * 1000) << "heap " << heap_before << " -> " << heap_after;
  std::printf("[ info     ] 1000 tests in %.2f s with 2 jobs (%.0f tests/s); fds %zu -> %zu; heap %zu -> %zu bytes\n",
              took, 1000 / took, fds_before, fds_after, heap_before, heap_after);
  EXPECT_EQ(live_workers(getpid()), 0u);
}

}  // namespace
}  // namespace sp::harness
