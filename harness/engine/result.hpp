// What running one test produced: the verdict, the first failure with a field-by-field
// diff, and every packet that crossed the device. Plain data; it crosses the pipe from
// the worker process to the runner (wire.hpp) and feeds the reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::harness {

enum class Verdict { kPass, kFail, kInconclusive, kExpectedDeviation, kError, kSkipped };

// "pass", "fail", "inconclusive", "expected deviation", "error", "skipped".
const char* verdict_name(Verdict v);

// One field of an expectation compared with what was observed.
struct FieldDiff {
  std::string field;     // "flags", "seq", "state", "arrival", ...
  std::string expected;  // as the test wrote it, with the resolved value where useful
  std::string actual;    // as observed
  bool ok = false;       // this field matched (listed for context)
};

// The first thing that went wrong. A test stops at its first failure: what follows a
// divergence is not meaningful.
struct Failure {
  // kind names the class of failure; profiles match on it:
  //   packet      a packet from the IUT did not match the expect (fields show which)
  //   timeout     nothing (or only allowed packets) arrived in time for an expect
  //   timing      the right packet arrived outside the tolerance
  //   unexpected  a packet from the IUT that no expect consumed and no allow permits
  //   state       the observed TCP state differs
  //   cache       the neighbour table differs
  //   call        an upper-tester call failed
  //   malformed   the IUT sent a packet that does not decode
  //   checksum    the IUT sent a packet with a wrong checksum
  //   setup       the harness could not build the namespace, device or sockets
  //   harness     the test asked for something the harness cannot do (error verdict)
  //   alternative the IUT took an `or` outcome of a step (inconclusive verdict)
  std::string kind;
  int line = 0;               // the test line; 0 = the end of the test
  std::string event;          // that line's text
  // The spec transition the test was exercising when it failed, "Role.transition": the
  // `# comment` of the failing line, or of the latest line before it that had one
  // (generated tests name the transition there); "" when no line had one. Profiles
  // match on it (`at`).
  std::string step;
  std::string stimulus;       // the latest `inject` line before the failure, "" if none
  std::string state;          // the latest state an `expect state` line confirmed, "" if none
  std::string message;        // one line: what went wrong
  std::string observed;       // tcpdump-style line of the packet involved, if any
  std::vector<FieldDiff> fields;
};

// A packet that crossed the device, in order.
struct PacketRecord {
  double time = 0;         // seconds since the test started (CLOCK_MONOTONIC)
  bool from_iut = false;   // false: injected by the lower tester
  std::vector<uint8_t> bytes;
  std::string summary;     // tcpdump-style line, or "malformed: ..."
  // injected | expected | allowed | alternative (an `or` outcome the IUT took) |
  // unexpected | harness (the harness's own probes,
  // e.g. the datagram behind `call resolve`) | unread (arrived after the verdict)
  std::string disposition;
  int line = 0;            // the event that injected or consumed it
};

struct TestResult {
  std::string name;
  std::string path;
  Verdict verdict = Verdict::kError;
  std::optional<Failure> failure;  // fail, inconclusive, expected deviation, error
  std::string diff;                // the readable report of the failure (report/diff.hpp)
  std::string deviation;           // profile entry that turned a fail into an expected deviation
  std::string deviation_text;      // its RFC sentence and reason
  std::string note;                // e.g. why a test was skipped
  double duration = 0;             // seconds, wall clock inside the worker
  int64_t start_realtime_ns = 0;   // CLOCK_REALTIME at the test's time 0 (for pcap)
  bool link_ethernet = false;      // packets are Ethernet frames (TAP) rather than IPv4
  std::vector<PacketRecord> packets;
  std::vector<std::string> trace;  // what each event did, for --verbose style reports
  // Settings this test changed in its namespace beyond the profile's (its `sysctl`
  // lines), "name=value"; set by the runner, reported in JSON and JUnit.
  std::vector<std::string> settings;
  // The harness's reaction latency, seconds, one per inject that answers an expected
  // packet: an `inject` at `+0` after the expect that matched it (with only `+0`
  // observations between). From the packet's arrival (Received::time: the kernel's
  // receive timestamp where the device has one, else when it was read) to the moment
  // the injected packet was handed to the device. The IUT takes this delay as part of
  // its round-trip time (docs/harness.md, "Reaction latency").
  std::vector<double> reaction_latencies;
};

}  // namespace sp::harness
