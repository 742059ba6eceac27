// A generated conformance test: the data the writers turn into a `.spt` file
// (docs/test-format.md), a pcap and a packetdrill script, plus the concrete trace that
// replays it on the IR interpreter (tests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sp::gen {

struct Event {
  // kExpectIsn: `expect isn unpredictable` (gen/isn.cpp). kAlternative: `or STEP
  // FIELDS|none [state S]`, another outcome the spec allows for the step above it: name
  // is the transition ("Role.t"), fields the packet sent (empty: none), args the state
  // after it (empty: not observed).
  enum class Kind { kCall, kInject, kExpect, kExpectNone, kExpectState, kExpectCache, kWait, kExpectIsn, kAlternative };
  Kind kind = Kind::kCall;
  std::string name;                                    // call name, state, cache key
  std::vector<std::string> args;                       // call arguments; cache: value/absent
  bool may_refuse = false;                             // call: no transition takes it
  std::vector<std::pair<std::string, std::string>> fields;  // inject / expect
  std::optional<double> within;                        // expect / expect none
  double seconds = 0;                                  // wait
  // `timer NAME=DURATION`: the times of this line were derived from spec timer `timer`,
  // whose base interval (before back-off) is timer_base_ms; a target profile's timer
  // parameter rescales them (docs/test-format.md).
  std::string timer;
  int64_t timer_base_ms = 0;
  std::string comment;
  // Written `iut+0` rather than `+0`: the event's time counts from the arrival of the
  // IUT's latest expected packet, not from the previous event's completion
  // (docs/test-format.md). Timer tests anchor there the timer the IUT started when it
  // sent that packet.
  bool after_iut_packet = false;
};

// `allow FIELDS [unprompted]  # comment`: a packet the test tolerates (docs/test-format.md).
struct Allow {
  std::vector<std::pair<std::string, std::string>> fields;
  bool unprompted = false;
  std::string comment;
};

// One packet of the expected exchange with concrete values (ISNs: see Concrete below).
struct Packet {
  bool from_iut = false;
  double time = 0;                 // seconds since the test started
  // wire tcp
  uint8_t flags = 0;               // TCP header bits
  uint32_t seq = 0, ack = 0;
  uint16_t win = 65535;
  uint16_t len = 0;
  // wire arp
  uint16_t op = 1;
  uint64_t sha = 0, tha = 0, eth_src = 0, eth_dst = 0;
  uint32_t spa = 0, tpa = 0;
};

// The time of the next packet of an exchange whose step starts at `now`: `now`, but at
// least 1 ms after the exchange's last packet, so that timestamps never go backwards
// (an IUT's answers follow the packet that prompted them).
inline double next_packet_time(const std::vector<Packet>& packets, double now) {
  return packets.empty() || packets.back().time + 0.001 <= now ? now : packets.back().time + 0.001;
}

// The path as IR steps with concrete IR values, for replay on ir::TransitionSystem.
struct ReplayStep {
  int transition = -1;             // ignored: the transition whose event the stimulus is
  bool ignored = false;            // no transition may take the stimulus
  std::vector<int64_t> msg;        // received message (IR values)
  std::vector<int64_t> args;       // call arguments
  std::vector<std::pair<int, std::vector<int64_t>>> sends;  // (port, fields) expected
  int state_after = -1;
};

struct TestCase {
  std::string name;
  std::vector<std::string> covers;
  std::vector<std::string> cites;
  std::string tier = "fast";
  std::string wire = "tcp";
  std::string kind = "positive";
  std::vector<std::string> notes;
  std::optional<uint32_t> tester_isn;   // header `isn` (absolute), for wrap-around tests
  std::vector<Allow> allows;
  std::vector<Event> events;
  std::vector<Packet> packets;
  uint32_t concrete_iut_isn = 0, concrete_tester_isn = 0;
  std::vector<ReplayStep> replay;
  std::vector<int64_t> iut_params;      // values of the role's unassigned vars (replay)
  int target_transition = -1;
};

}  // namespace sp::gen
