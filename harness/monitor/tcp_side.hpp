// One side of one TCP connection checked against the role: the segments of the
// connection in capture order go in, a verdict comes out.
//
// Starting. The ISS is a per-instance constant of the role (`iss`) that no segment shows
// before the role's own SYN, so the first segments are held (at most kHold) until the
// role has sent one:
//  - its first segment carries SYN: iss is that segment's seq; checking starts at the
//    connection's first segment, from the role's initial state;
//  - no SYN was seen from either side (the capture starts mid-connection): the TCB is
//    solved from that segment (RFC 9293 §3.3.1's names: snd_nxt past its seq and FIN,
//    snd_una there or one before, rcv_nxt its ack), in every non-initial control state,
//    with each timer armed or not, and every value of the booleans and small integers the
//    guards read; checking starts after it;
//  - neither a SYN nor a segment from the role: the role starts in its initial state
//    (a closed port, a listener); when that does not explain the segments the side is
//    inconclusive;
//  - otherwise (the peer opened and the role answered without SYN, e.g. a RST) iss is
//    left 0 and checking starts at the first segment.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/monitor/tracker.hpp"
#include "harness/monitor/verdict.hpp"
#include "harness/monitor/wire_map.hpp"

namespace sp::monitor {

// One segment of the connection as the monitor sees it.
struct Segment {
  uint64_t frame = 0;
  int64_t time_us = 0;
  bool from_role = false;
  std::vector<int64_t> fields;  // the spec's message; empty when not representable
  std::string unrepresentable;  // why not (payload not modelled...), or ""
  uint16_t flags = 0;           // header control bits
  uint32_t seq = 0, ack = 0;
};

class TcpSide {
 public:
  static constexpr size_t kHold = 8;

  TcpSide(const RoleSystem& rs, const TcpWireMap& wire, const TimerPolicy& timers);

  void add(const Segment& s);
  // Marks the side inconclusive (capture loss, a truncated packet): later segments are
  // not checked.
  void give_up(const std::string& reason);
  // The capture is over for this connection.
  void finish();

  bool done() const { return result_.verdict != Verdict::kConforms; }
  bool closed() const;  // every configuration back in the initial state, nothing pending
  SideResult& result() { return result_; }

 private:
  void start();
  void check(const Segment& s);
  void seed_mid_connection(const Segment& s);
  void depart(const Segment& s);

  const RoleSystem& rs_;
  const TcpWireMap& wire_;
  Tracker tracker_;
  bool started_ = false;
  bool unsolved_ = false;  // no SYN, no segment from the role: tried from the initial state
  std::vector<Segment> held_;
  SideResult result_;
};

}  // namespace sp::monitor
