// A conformance test case (docs/test-format.md) as plain data: the header and the
// timed events, with the source line of each so that every verdict and every parse
// error can point at the file. The harness runs test cases; it never sees the spec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::harness {

// One field value as written: `5`, `-1`, `*`, `[1..9]`, `#4294967295`, `none`, a name
// (`request`, `SA`) or an address (`iut.ip`, `192.0.2.9`, `02:00:00:00:00:09`).
struct Value {
  enum class Kind {
    kAny,       // `*`: matches anything; in an inject, the harness's natural choice
    kNumber,    // low (relative where the field is relative)
    kRange,     // [low..high], inclusive
    kAbsolute,  // `#N`: a raw 32-bit value, never relativised
    kNone,      // `none`: the option must be absent (expect) / is not sent (inject)
    kAddress,   // text: a symbol (iut.ip, tester.mac, broadcast, ...) or a literal
  };
  Kind kind = Kind::kAny;
  int64_t low = 0;
  int64_t high = 0;
  std::string text;  // exactly as written, for messages
};

// `NAME=VALUE`; `ts=VAL:ECR` has two values. For `flags`, low holds the flag bits.
struct Field {
  std::string name;
  Value value;
  std::optional<Value> second;  // ts only: the echo reply
  std::string text;             // `seq=0`, as written
};

enum class Wire { kTcp, kArp };
enum class Tier { kFast, kSlow };

struct Call {
  enum class Kind { kListen, kConnect, kAccept, kSend, kShutdown, kClose, kAbort, kResolve, kAnnounce };
  Kind kind = Kind::kListen;
  int64_t bytes = 0;    // send
  std::string address;  // resolve: a symbol or an IPv4 literal
  // listen, connect: SO_REUSEADDR on the new socket (`reuseaddr`): the OPEN may bind the
  // port while an earlier connection's TIME-WAIT holds it (RFC 9293 §3.6.1).
  bool reuseaddr = false;
  // `may-refuse`: the IUT may refuse the call (an error to the user, e.g. RFC 9293
  // §3.10.1 "connection already exists") without failing the test; what it sends is
  // still judged by the lines that follow. `gen` writes it on calls the spec ignores.
  bool may_refuse = false;
};

struct Event {
  // kExpectIsn: `expect isn unpredictable` (harness/engine/isn_check.hpp).
  enum class Type { kCall, kInject, kExpectPacket, kExpectState, kExpectNone, kExpectCache, kWait, kExpectIsn };
  // What the time counts from (docs/test-format.md, Events).
  enum class Anchor {
    kPrevious,   // `+D`: the previous event's completion
    kStart,      // `@T`: the start of the test
    kIutPacket,  // `iut+D`: the arrival of the packet the latest `expect` matched
  };
  int line = 0;
  Anchor anchor = Anchor::kPrevious;
  double time = 0;             // seconds
  Type type = Type::kWait;
  Call call;                    // kCall
  std::vector<Field> fields;    // kInject, kExpectPacket
  std::string state;            // kExpectState: canonical name (SYN_RCVD, ...)
  std::string cache_address;    // kExpectCache: the protocol address looked up
  std::optional<std::string> cache_value;  // kExpectCache: hardware address; nullopt = absent
  std::optional<double> within;            // expect: tolerance in seconds
  double wait = 0;                         // kWait: seconds
  // `timer NAME=DURATION` (expect and wait lines): the line's times were derived from
  // the spec timer NAME whose base interval (before back-off) is `timer_base` seconds. A
  // target profile's `parameter` for that timer scales them (docs/harness.md, "Stack
  // timer parameters").
  std::string timer;
  double timer_base = 0;
  std::string text;                        // the line as written, without comment
  std::string comment;                     // the trailing `# comment`, without `#`
};

// `allow FIELDS`: a packet the spec permits but the test does not aim at.
struct Allow {
  int line = 0;
  std::vector<Field> fields;
  std::string text;
  // `allow FIELDS unprompted`: only a packet the IUT sends on its own (a timer's), not
  // an answer: one that arrives kPromptedWithin or more after the latest inject or call.
  bool unprompted = false;
};

// A packet from the IUT that arrives this soon (seconds) after an inject or a call may
// be the answer to it: an `unprompted` allow does not cover it.
inline constexpr double kPromptedWithin = 0.1;

// `or STEP (FIELDS | none) [state STATE]`: another outcome the spec allows for the step
// above it (the lines from the latest `call` or `inject` up to the `or`), where the RFCs
// leave the IUT a choice: the spec's transition STEP takes the same stimulus and sends
// that packet, or nothing, and leaves the IUT in STATE. An IUT that takes it makes the
// test inconclusive (it conforms, but the test's aim is not reached), never a fail.
struct Alternative {
  int line = 0;
  std::string step;             // "Role.transition"
  bool silent = false;          // `none`: the IUT sends nothing
  std::vector<Field> fields;    // the packet it sends instead (not silent)
  std::string state;            // canonical state after it; "" = not observed
  std::string text;             // the line as written, without comment
  std::string comment;
  // The step's lines: events[first_event, end_event) (first_event: its call or inject).
  size_t first_event = 0, end_event = 0;
};

struct Sysctl {
  int line = 0;
  std::string name;   // dotted: net.ipv4.tcp_rfc1337
  std::string value;
};

struct TestCase {
  std::string path;  // the file it was read from ("" for a string)
  std::string name;
  std::vector<std::string> covers;
  std::vector<std::string> cites;
  std::vector<std::string> notes;
  Tier tier = Tier::kFast;
  Wire wire = Wire::kTcp;
  bool negative = false;
  std::optional<uint32_t> tester_isn;  // `isn N`: the tester's absolute ISN
  std::vector<Sysctl> sysctls;
  std::vector<Allow> allows;
  std::vector<Event> events;
  std::vector<Alternative> alternatives;
  // The target profile's timer parameters that rescaled some of its lines before it ran
  // (harness/profile/timer_parameters.hpp); set by the runner, not written in files.
  std::vector<std::string> timer_parameters;
};

// The canonical TCP state names the format uses (CLOSED, LISTEN, SYN_SENT, SYN_RCVD,
// ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT).
const std::vector<std::string>& tcp_state_names();

// "listen", "send", ...
const char* call_name(Call::Kind kind);

// Default tolerance of an expect when `within` is not given (seconds).
inline constexpr double kDefaultWithin = 0.5;

}  // namespace sp::harness
