// Running a suite against a Linux target: each test in its own forked worker process,
// which enters a new network namespace, builds its TUN/TAP device there, runs the test
// and sends the result back through a pipe. Up to `jobs` workers run at once.
//
// Isolation (docs/harness.md): nothing is configured in the caller's namespace; workers
// die with the runner (PR_SET_PDEATHSIG) and their namespaces die with them; a worker
// that overruns its time budget is killed; SIGINT/SIGTERM (when handle_signals) stop the
// run after killing and reaping every worker.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/engine/executor.hpp"
#include "harness/engine/result.hpp"
#include "harness/profile/profile.hpp"
#include "harness/runner/realtime.hpp"
#include "harness/runner/schedule.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

enum class TargetKind {
  kLinux,     // the kernel on a TUN device in the test's namespace
  kLinuxTap,  // the kernel on a TAP device in the test's namespace
  kLwip,      // lwIP in stateproof-lwip-agent on a TAP device in the test's namespace
  kRaw,       // raw:IFACE: whatever is behind IFACE, in the runner's own namespace
};

// "linux", "linux-tap", "lwip" or "raw:IFACE" (the interface: raw_interface()).
std::optional<TargetKind> parse_target(const std::string& text);
const char* target_name(TargetKind kind);
// IFACE of "raw:IFACE"; "" otherwise.
std::string raw_interface(const std::string& text);
// The target speaks Ethernet (and so can run wire arp tests).
bool ethernet_target(TargetKind kind);

struct EnvironmentStatus {
  bool ok = true;
  std::string message;  // what is missing, exactly, and what to do about it
};

// Tries, in a throw-away child, what every worker will do: unshare(CLONE_NEWNET), open
// /dev/net/tun, create the device; for lwip, that its driver was built; for raw, that
// the interface exists and an AF_PACKET socket opens on it. Costs a few milliseconds.
EnvironmentStatus check_environment(TargetKind target, const std::string& interface = "");

struct RunOptions {
  TargetKind target = TargetKind::kLinux;
  std::string interface;  // raw: the lower tester's interface
  std::string agent;      // raw: the upper tester, a command (run per test) or IPV4:PORT; "" none
  int jobs = 0;  // 0: kJobsPerCpu per online CPU
  ExecuteOptions execute;
  std::optional<Profile> profile;  // its sysctls go into every namespace; applied to verdicts
  // Install SIGINT/SIGTERM/SIGHUP handlers for the duration of the run (the CLI does;
  // library callers that manage signals themselves do not).
  bool handle_signals = false;
  // Added to each test's own time budget before its worker is killed (seconds).
  double timeout_margin = 10;
  // Run the runner and its workers under SCHED_FIFO (harness/runner/realtime.hpp) when
  // permitted; a run without says so on stderr. Default: unless STATEPROOF_REALTIME=0.
  bool realtime = realtime_wanted();
  // RunOutcome::results holds every result; when false it stays empty and on_result is
  // the only consumer (a long run's memory then stays flat).
  bool keep_results = true;
  // Called in the runner process after each result, in completion order, with its test
  // (dropped after the call when the tests come from a TestSource).
  std::function<void(const TestCase& test, const TestResult& result, size_t done, size_t total)> on_result;
  // Called in the runner process when a worker starts (for progress lines).
  std::function<void(const TestCase& test)> on_start;
};

struct RunOutcome {
  std::vector<TestResult> results;  // in the order of the tests given; unfinished ones omitted
  int interrupted_by = 0;           // the signal that stopped the run, or 0
  // Workers ran under SCHED_FIFO; when not, realtime_refused says why ("" when not asked).
  bool realtime = false;
  std::string realtime_refused;
  // The tests' namespaces were made from a parent with their own small TCP hash table
  // (harness/netns/parent.hpp): a setting the run reports.
  bool own_tcp_table = false;
};

// The tests of a run by index: each one's plan up front, the test itself loaded when its
// worker starts and dropped once its result is out, so a long run holds the plans, not
// the tests. `load` gives the test, or nullopt with *error set (its file changed).
struct TestSource {
  std::vector<TestPlan> plans;
  std::function<std::optional<TestCase>(size_t index, std::string* error)> load;
  // Name and path for a test that cannot be loaded (its result is an error).
  std::function<TestCase(size_t index)> stub;
};

RunOutcome run_tests(const TestSource& tests, const RunOptions& options);
RunOutcome run_tests(const std::vector<TestCase>& tests, const RunOptions& options);

// The time a test may take before its worker is killed: the sum of its event times,
// waits and tolerances, plus the margin (the runner adds --settle to it: the listening
// after the last event).
double time_budget(const TestCase& test, double margin);

}  // namespace sp::harness
