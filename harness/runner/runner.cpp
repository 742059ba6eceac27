#include "harness/runner/runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "harness/netns/netns.hpp"
#include "harness/netns/parent.hpp"
#include "harness/profile/timer_parameters.hpp"
#include "harness/report/report.hpp"
#include "harness/runner/schedule.hpp"
#include "harness/runner/targets.hpp"
#include "harness/runner/wire.hpp"

namespace sp::harness {

std::optional<TargetKind> parse_target(const std::string& text) {
  if (text == "linux") return TargetKind::kLinux;
  if (text == "linux-tap") return TargetKind::kLinuxTap;
  if (text == "lwip") return TargetKind::kLwip;
  if (!raw_interface(text).empty()) return TargetKind::kRaw;
  return std::nullopt;
}

const char* target_name(TargetKind kind) {
  switch (kind) {
    case TargetKind::kLinux: return "linux";
    case TargetKind::kLinuxTap: return "linux-tap";
    case TargetKind::kLwip: return "lwip";
    case TargetKind::kRaw: return "raw";
  }
  return "?";
}

std::string raw_interface(const std::string& text) {
  if (!text.starts_with("raw:") || text.size() == 4 || text.size() - 4 >= 16) return "";
  return text.substr(4);
}

bool ethernet_target(TargetKind kind) { return kind != TargetKind::kLinux; }

double time_budget(const TestCase& test, double margin) {
  double total = 0, latest_absolute = 0;
  for (const Event& e : test.events) {
    if (e.anchor == Event::Anchor::kStart) {
      latest_absolute = std::max(latest_absolute, e.time);
    } else {
      total += e.time;
    }
    total += e.wait + e.within.value_or(kDefaultWithin);
  }
  return total + latest_absolute + margin;
}

namespace {

double monotonic_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int64_t realtime_ns() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

TestResult error_result(const TestCase& test, std::string kind, std::string message) {
  TestResult r;
  r.name = test.name;
  r.path = test.path;
  r.verdict = Verdict::kError;
  Failure f;
  f.kind = std::move(kind);
  f.message = std::move(message);
  f.event = "setup";
  r.failure = std::move(f);
  return r;
}

// Everything a worker does between fork and _exit. The target is handed back in *keep:
// destroying it closes the device, which takes tens of milliseconds (unregistering a
// netdevice waits for RCU), so the worker does that only after delivering the result.
// A raw target is the exception: its agent resets the stack when the session ends, and
// that must be over before the next test (on the same wire) starts.
TestResult run_in_worker(const TestCase& test, const RunOptions& options, uint64_t host_netns,
                         const netns::ParentNetns& parent, std::unique_ptr<Target>* keep) {
  // raw:IFACE runs where the named interface is; every other target in a namespace of
  // its own.
  if (options.target != TargetKind::kRaw) {
    if (netns::Status s = parent.enter_child(host_netns); !s.ok()) {
      return error_result(test, "setup", "cannot create a network namespace: " + s.error);
    }
  }
  std::string error;
  std::unique_ptr<Target> target = make_target(test, options, host_netns, &error);
  if (!target) {
    return error_result(test, "setup", (options.target == TargetKind::kRaw ? "cannot set up the target: "
                                                                           : "cannot set up the namespace: ") +
                                           error);
  }
  int64_t start = realtime_ns();
  TestResult r;
  {
    // Real-time only while the test runs: setting up and tearing down a namespace and
    // its device take the RTNL lock, and some of those paths retry (restart_syscall)
    // while another task holds it; a real-time task spinning there starves the holder.
    RealtimeScope realtime(options.realtime);
    r = execute_test(test, *target, options.execute);
  }
  r.start_realtime_ns = start;
  if (options.target != TargetKind::kRaw) *keep = std::move(target);
  return r;
}

[[noreturn]] void worker_main(const TestCase& test, const RunOptions& options, uint64_t host_netns,
                              const netns::ParentNetns& parent, pid_t runner, int result_fd) {
  // Die with the runner, whatever kills it; then check it did not die already.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != runner) _exit(1);
  // Own process group: a terminal's Ctrl-C goes to the runner, which kills workers.
  setpgid(0, 0);
  prctl(PR_SET_NAME, "sp-worker");
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD}) signal(sig, SIG_DFL);
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  std::unique_ptr<Target> target;
  TestResult r = run_in_worker(test, options, host_netns, parent, &target);
  write_all(result_fd, encode_result(r));
  // The runner takes the result at EOF; the device goes when the process exits, while
  // the runner already starts the next test.
  close(result_fd);
  _exit(0);
}

// Self-pipe for SIGINT/SIGTERM/SIGHUP while a run is in progress. Signal handlers can
// only reach static storage; one watch is active at a time.
int g_signal_pipe = -1;
volatile sig_atomic_t g_signal = 0;

void on_signal(int sig) {
  int saved = errno;
  if (g_signal == 0) g_signal = sig;
  if (g_signal_pipe >= 0) {
    char c = 1;
    (void)!write(g_signal_pipe, &c, 1);
  }
  errno = saved;
}

class SignalWatch {
 public:
  explicit SignalWatch(bool enable) {
    if (!enable || g_signal_pipe >= 0) return;
    if (pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) return;
    g_signal = 0;
    g_signal_pipe = fds_[1];
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &old_[i]);
    active_ = true;
  }
  ~SignalWatch() {
    if (!active_) return;
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
    g_signal_pipe = -1;
    close(fds_[0]);
    close(fds_[1]);
  }
  int fd() const { return active_ ? fds_[0] : -1; }
  int signal() const { return active_ ? g_signal : 0; }

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  int fds_[2] = {-1, -1};
  struct sigaction old_[3] {};
  bool active_ = false;
};

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  size_t index = 0;
  double deadline = 0;
  std::string data;
  std::shared_ptr<const TestCase> test;  // loaded when the worker started; dropped with it
};

std::string signal_text(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return std::to_string(sig) + (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
}

void reap(pid_t pid, int* status) {
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
}

// Turns what a worker sent into a result once its pipe reached EOF (or it was killed).
// A worker that delivered its result is left to finish exiting (*exiting); otherwise it
// is reaped here for its exit status.
TestResult collect(const TestCase& test, Worker& w, bool timed_out, std::vector<pid_t>* exiting) {
  close(w.fd);
  w.fd = -1;
  TestResult r;
  int status = 0;
  if (timed_out) {
    reap(w.pid, &status);
    return error_result(test, "harness", "the test overran its time budget and its worker was killed");
  }
  if (decode_result(w.data, &r)) {
    exiting->push_back(w.pid);
    return r;
  }
  reap(w.pid, &status);
  if (WIFSIGNALED(status)) {
    return error_result(test, "harness", "the worker process was killed by signal " +
                                             signal_text(WTERMSIG(status)));
  }
  return error_result(test, "harness",
                      "the worker process exited (status " +
                          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                          ") without a result");
}

}  // namespace

EnvironmentStatus check_environment(TargetKind target, const std::string& interface) {
  if (target == TargetKind::kLwip || target == TargetKind::kRaw) {
    EnvironmentStatus own = check_target_environment(target, interface);
    if (!own.ok || target == TargetKind::kRaw) return own;
  }
  EnvironmentStatus st;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return {false, std::string("pipe: ") + std::strerror(errno)};
  pid_t runner = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return {false, std::string("fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    close(p[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != runner) _exit(1);
    std::string msg;
    std::optional<uint64_t> host = netns::current_netns();
    if (netns::Status s = netns::enter_new_netns(); !s.ok()) {
      msg = "cannot create a network namespace: " + s.error +
            " (stateproof run needs CAP_SYS_ADMIN and CAP_NET_ADMIN: run it as root, or in a "
            "container with those capabilities)";
    } else if (access("/dev/net/tun", F_OK) != 0) {
      msg = "/dev/net/tun does not exist (load the tun module: modprobe tun; in a container, "
            "pass the device, e.g. docker run --device /dev/net/tun --cap-add NET_ADMIN)";
    } else {
      netns::TunDevice dev;
      netns::Status s = netns::TunDevice::create(host.value_or(0), "sp0",
                                                 target != TargetKind::kLinux, &dev);
      if (!s.ok()) {
        msg = "cannot create a " + std::string(target != TargetKind::kLinux ? "TAP" : "TUN") +
              " device: " + s.error +
              (s.error.find("ermission") != std::string::npos ||
                       s.error.find("not permitted") != std::string::npos
                   ? " (needs CAP_NET_ADMIN and read-write access to /dev/net/tun)"
                   : "");
      }
    }
    write_all(p[1], msg);
    _exit(0);
  }
  close(p[1]);
  std::string msg;
  char buf[512];
  while (true) {
    ssize_t n = read(p[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    msg.append(buf, static_cast<size_t>(n));
  }
  close(p[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return {false, "the environment probe process died unexpectedly"};
  }
  if (!msg.empty()) return {false, msg};
  return st;
}

RunOutcome run_tests(const std::vector<TestCase>& tests, const RunOptions& options) {
  TestSource source;
  for (const TestCase& t : tests) source.plans.push_back(plan_of(t));
  source.load = [&](size_t i, std::string*) { return std::optional<TestCase>(tests[i]); };
  source.stub = [&](size_t i) { return tests[i]; };
  return run_tests(source, options);
}

RunOutcome run_tests(const TestSource& tests, const RunOptions& options) {
  RunOutcome out;
  const size_t count = tests.plans.size();
  std::vector<std::optional<TestResult>> results(options.keep_results ? count : 0);
  size_t done = 0;
  auto finish = [&](size_t i, const TestCase& test, TestResult r) {
    for (const Sysctl& s : test.sysctls) r.settings.push_back(s.name + "=" + s.value);
    if (options.profile) {
      apply_profile(*options.profile, &r);
      report_timer_parameters(*options.profile, test.timer_parameters, &r);
    }
    if (r.diff.empty() && r.failure) r.diff = render_diff(r);
    ++done;
    if (options.on_result) options.on_result(test, r, done, count);
    if (options.keep_results) results[i] = std::move(r);
  };
  // The test, loaded now; a file that no longer parses (changed since the suite was
  // read) gives an error result instead.
  auto load = [&](size_t i) -> std::optional<TestCase> {
    std::string error;
    std::optional<TestCase> t = tests.load(i, &error);
    if (!t) {
      TestCase stub = tests.stub(i);
      finish(i, stub, error_result(stub, "harness", "the test file changed during the run: " + error));
    }
    return t;
  };

  std::vector<size_t> pending;
  for (size_t i = 0; i < count; ++i) {
    if (tests.plans[i].arp && !ethernet_target(options.target)) {
      std::optional<TestCase> test = load(i);
      if (!test) continue;
      TestResult r;
      r.name = test->name;
      r.path = test->path;
      r.verdict = Verdict::kSkipped;
      r.note = "wire arp needs an Ethernet target (linux-tap, lwip, raw:IFACE)";
      finish(i, *test, std::move(r));
    } else {
      pending.push_back(i);
    }
  }

  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t jobs = options.jobs > 0 ? static_cast<size_t>(options.jobs)
                                 : static_cast<size_t>(std::max(1L, cpus)) * kJobsPerCpu;
  // One interface, one stack: raw tests would see each other's packets.
  if (options.target == TargetKind::kRaw) jobs = 1;
  // Waiting tests first, beside the busy ones (harness/runner/schedule.hpp).
  pending = schedule_order(tests.plans, std::move(pending));
  // Whether the workers will get real-time scheduling while they run their test: tried
  // here once (and dropped at once) so that a refusal is said once, not per test.
  {
    RealtimeScope probe(options.realtime && !pending.empty());
    out.realtime = probe.active();
    out.realtime_refused = probe.why_not();
  }
  if (!out.realtime_refused.empty()) {
    std::fprintf(stderr,
                 "stateproof run: workers run at normal priority, %s: on a busy machine the "
                 "harness answers the IUT later, and the IUT's round-trip time and timers follow "
                 "the load (run as root for real-time scheduling)\n",
                 out.realtime_refused.c_str());
  }
  Slots slots(jobs, options.target == TargetKind::kRaw ? 0 : kWaitingSlots);
  std::optional<uint64_t> host = netns::current_netns();
  // The tests' namespaces get TCP hash tables of their own (harness/netns/parent.hpp);
  // without (an older kernel) they share the kernel's, only slower to observe.
  netns::ParentNetns parent;
  if (options.target != TargetKind::kRaw && !pending.empty()) (void)netns::ParentNetns::create(&parent);
  out.own_tcp_table = parent.valid();
  SignalWatch signals(options.handle_signals);
  const pid_t runner = getpid();
  std::vector<Worker> running;
  std::vector<pid_t> exiting;  // delivered their result, still tearing down
  size_t next = 0;

  while ((next < pending.size() || !running.empty()) && signals.signal() == 0) {
    while (next < pending.size() && slots.fits(tests.plans[pending[next]].waiting())) {
      size_t i = pending[next++];
      std::optional<TestCase> loaded = load(i);
      if (!loaded) continue;
      auto test = std::make_shared<const TestCase>(std::move(*loaded));
      int p[2];
      if (!host) {
        finish(i, *test, error_result(*test, "harness", "cannot identify the network namespace (/proc/self/ns/net)"));
        continue;
      }
      if (pipe2(p, O_CLOEXEC) != 0) {
        finish(i, *test, error_result(*test, "harness", std::string("pipe: ") + std::strerror(errno)));
        continue;
      }
      pid_t pid = fork();
      if (pid < 0) {
        close(p[0]);
        close(p[1]);
        finish(i, *test, error_result(*test, "harness", std::string("fork: ") + std::strerror(errno)));
        continue;
      }
      if (pid == 0) {
        close(p[0]);
        worker_main(*test, options, *host, parent, runner, p[1]);
      }
      close(p[1]);
      fcntl(p[0], F_SETFL, O_NONBLOCK);
      if (options.on_start) options.on_start(*test);
      const double deadline = monotonic_now() + time_budget(*test, options.timeout_margin + options.execute.settle);
      slots.take(i, tests.plans[i].waiting());
      running.push_back({pid, p[0], i, deadline, {}, std::move(test)});
    }
    if (running.empty()) break;
    std::erase_if(exiting, [](pid_t pid) { return waitpid(pid, nullptr, WNOHANG) == pid; });

    std::vector<struct pollfd> fds;
    for (const Worker& w : running) fds.push_back({w.fd, POLLIN, 0});
    if (signals.fd() >= 0) fds.push_back({signals.fd(), POLLIN, 0});
    double now = monotonic_now();
    double nearest = running.front().deadline;
    for (const Worker& w : running) nearest = std::min(nearest, w.deadline);
    int timeout_ms = static_cast<int>(std::clamp((nearest - now) * 1000 + 1, 0.0, 60000.0));
    int pr = poll(fds.data(), fds.size(), timeout_ms);
    if (pr < 0 && errno != EINTR) break;

    now = monotonic_now();
    for (size_t k = 0; k < running.size();) {
      Worker& w = running[k];
      bool eof = false;
      char buf[65536];
      while (true) {
        ssize_t n = read(w.fd, buf, sizeof buf);
        if (n > 0) {
          w.data.append(buf, static_cast<size_t>(n));
          continue;
        }
        if (n == 0) eof = true;
        if (n < 0 && errno == EINTR) continue;
        break;  // EAGAIN or EOF or error
      }
      bool timed_out = !eof && now >= w.deadline;
      if (timed_out) kill(w.pid, SIGKILL);
      if (eof || timed_out) {
        slots.release(w.index);
        finish(w.index, *w.test, collect(*w.test, w, timed_out, &exiting));
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    }
  }

  // Interrupted (or poll failed): kill and reap every worker still running; wait for
  // the ones still exiting, so that none outlives the run.
  for (Worker& w : running) {
    kill(w.pid, SIGKILL);
    int status = 0;
    reap(w.pid, &status);
    close(w.fd);
  }
  for (pid_t pid : exiting) {
    int status = 0;
    reap(pid, &status);
  }
  out.interrupted_by = signals.signal();
  for (auto& r : results) {
    if (r) out.results.push_back(std::move(*r));
  }
  return out;
}

}  // namespace sp::harness
