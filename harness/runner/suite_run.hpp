// `stateproof run` as a library function: collect and parse the suite, check the
// environment, run the tests in isolated workers, apply the target's profile, print
// progress, diffs and the summary, write the reports, and choose the exit status.
// tools/cli/run.cpp only parses flags into SuiteRunOptions.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "harness/engine/executor.hpp"
#include "harness/engine/result.hpp"
#include "harness/suite/steps.hpp"

namespace sp::harness {

// Exit statuses (ARCHITECTURE.md), and 128+N when signal N interrupted the run.
enum RunExit : int {
  kRunPassed = 0,       // everything passed, was an expected deviation, inconclusive or skipped
  kRunFailed = 1,       // some test failed, or could not be run (error)
  kRunBadInput = 2,     // bad flags, unreadable or malformed test files, bad profile
  kRunEnvironment = 3,  // no namespaces, no /dev/net/tun, no CAP_NET_ADMIN
};

struct SuiteRunOptions {
  std::vector<std::string> paths;  // files and directories (searched for *.spt)
  std::string target = "linux";    // linux | linux-tap | lwip | raw:IFACE
  std::string agent;               // raw: the upper tester (a command, or IPV4:PORT)
  int jobs = 0;                    // 0: kJobsPerCpu per CPU
  std::string junit;               // JUnit XML path, or ""
  std::string pcap_dir;            // one pcap per test there, or ""
  std::string results_json;        // results JSON path, or ""
  std::string msc_svg;             // every test's message sequence chart as SVG, or ""
  std::string profile;             // profile file; "" = the target's built-in; "none" = none
  std::string filter;              // glob on test names
  std::string shard;               // "I/N" or ""
  bool fast = false;               // skip tier slow
  bool strict_profile = false;     // exit 1 when a profile entry applied but matched nothing
  // The transitions of the specs the suite was generated from (`run --spec`): a profile
  // entry naming a transition of one of these roles that the role lacks is bad input.
  TransitionsByRole spec_transitions;
  bool quiet = false;              // no progress, no per-test lines: diffs and summary only
  bool verbose = false;            // print the diff of every test, passing ones included
  bool progress = false;           // a progress line on `err` (the CLI: when it is a terminal)
  bool handle_signals = true;      // SIGINT/SIGTERM stop the run cleanly
  ExecuteOptions execute;
};

struct SuiteRunReport {
  int exit_code = kRunPassed;
  // How many selected tests ended with each verdict (by verdict_name): each result went
  // to the reports as its test finished, and none is held.
  std::map<std::string, size_t> verdicts;
  double seconds = 0;
  int interrupted_by = 0;
  std::vector<std::string> stale_deviations;  // "name (path:line)"
};

// `out` gets diffs and the summary; `err` gets errors and the progress line.
SuiteRunReport run_suite(const SuiteRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sp::harness
