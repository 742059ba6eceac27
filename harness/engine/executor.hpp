// Runs one test case against a Target: performs the events in order at their times,
// matches what the IUT sends against the expectations, and decides the verdict
// (docs/test-format.md). No process, namespace or device handling here: that is the
// Target's and the runner's business, so this runs unchanged against a fake target.
#pragma once

#include <cstdint>

#include "harness/engine/result.hpp"
#include "harness/engine/target.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

struct ExecuteOptions {
  AddressBook book;
  uint32_t tester_isn = 1000000;  // the lower tester's initial sequence number
  // After the last event, how long to keep listening for trailing packets (a stray RST,
  // a FIN) before declaring the test clean.
  double settle = 0.05;
  // Interval between observations while an `expect state` / `expect cache` waits.
  double poll_interval = 0.002;
};

// Runs `test` to its verdict (pass, fail, inconclusive or error; expected deviations
// are decided later against a profile). Never throws for anything the target reports.
TestResult execute_test(const TestCase& test, Target& target, const ExecuteOptions& options);

}  // namespace sp::harness
