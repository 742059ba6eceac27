// Comparing two results files (`stateproof run --results`): two stacks on one suite, or
// two runs of one stack. Per test: the verdicts, the first failure, and the IUT's
// observable behaviour — its packets reduced to what does not vary between runs (flags,
// payload length, ARP operation and addresses, their fate in the test), since ISNs and
// windows differ by run and by stack. `stateproof diff` (tools/cli/diff.cpp) prints it.
#pragma once

#include <string>
#include <vector>

namespace sp::harness {

struct TestOutcome {
  std::string name;
  std::string verdict;          // "pass", "fail", ...
  std::string failure_kind;     // "" when none
  int failure_line = 0;
  std::string failure_message;
  std::string deviation;        // the profile entry of an expected deviation
  std::vector<std::string> behaviour;  // the IUT's packets, reduced (behaviour_of)
};

struct ResultsFile {
  std::string path;
  std::string target;
  std::vector<TestOutcome> tests;
};

// Reads a results JSON; false with *error naming the file and the problem.
bool load_results(const std::string& path, ResultsFile* out, std::string* error);
// The same from text (tests).
bool parse_results(const std::string& text, const std::string& path, ResultsFile* out, std::string* error);

// One packet summary (report/format: tcpdump style) reduced to what is comparable:
// `S. len 0` for TCP, `ARP, Request who-has 192.0.2.2 tell 192.0.2.1` for ARP.
std::string reduce_summary(const std::string& summary);

struct TestDifference {
  std::string name;
  const TestOutcome* a = nullptr;  // null: the test is only in B
  const TestOutcome* b = nullptr;  // null: only in A
  bool verdict_differs = false;
  bool behaviour_differs = false;
  bool new_failure = false;  // B fails or errs where A did not, or fails differently
  // B departs where A passed, or departs differently (another profile entry, or the same
  // entry at another line or failure kind): an expected deviation is still a departure,
  // and a regression against a baseline.
  bool new_departure = false;
};

struct Comparison {
  std::vector<TestDifference> differences;  // in A's order, then B's extra tests
  size_t same = 0;
  size_t new_failures = 0;
  size_t new_departures = 0;
  // What `diff --baseline` calls a regression: a new failure or a new departure.
  size_t regressions() const { return new_failures + new_departures; }
};

Comparison compare_results(const ResultsFile& a, const ResultsFile& b);

// The readable report: a header, per differing test its verdicts, first failures and
// behaviour side by side, and a summary line.
std::string format_comparison(const Comparison& c, const ResultsFile& a, const ResultsFile& b);

}  // namespace sp::harness
