// The monitor: reads a capture, splits its TCP segments into connections by 4-tuple, and
// checks one or both hosts of each against a role of the spec (tcp_side.hpp). Results
// are handed out as connections end, so memory is bounded by the connections open at
// once, not by the capture: a connection ends `linger` after a RST or after both FINs,
// or `idle` after its last segment (capture time); a later segment on the same 4-tuple
// starts a new connection. A connection's id is the frame number of its first segment.
// The sink is called from one thread at a time (with jobs > 1, from the workers in turn).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "harness/monitor/flow.hpp"
#include "harness/monitor/tracker.hpp"
#include "harness/monitor/verdict.hpp"
#include "harness/monitor/wire_map.hpp"

namespace sp::monitor {

enum class SideChoice { kBoth, kClient, kServer, kAddress };

struct MonitorOptions {
  SideChoice side = SideChoice::kBoth;
  uint32_t address = 0;              // kAddress: the role is the host with this IPv4 address
  TimerPolicy timers;
  int64_t linger_us = 2'000'000;     // after a RST or both FINs (a retransmission after a lost ACK: RTO 1 s)
  int64_t idle_us = 600'000'000;     // after the last segment
  // Worker threads, each with the connections whose 4-tuple hashes to it. With more than
  // one, results are handed out (under a lock) in an order that varies from run to run.
  int jobs = 1;
};

struct Totals {
  uint64_t records = 0, tcp = 0, arp = 0, other = 0, truncated = 0, undecodable = 0, fragments = 0;
  uint64_t connections = 0;          // connections with at least one side checked
  uint64_t conforms = 0, departs = 0, inconclusive = 0;  // sides
  size_t peak_open = 0;              // connections open at once, at most
};

using ResultSink = std::function<void(const ConnectionResult&, const FlowKey&)>;

// Runs the monitor over the capture at `path`. False with *error when the capture cannot
// be read (results already handed to `sink` stand for the part read).
bool run_monitor(const std::string& path, const RoleSystem& rs, const TcpWireMap& wire,
                 const MonitorOptions& options, const ResultSink& sink, Totals* totals, std::string* error);

}  // namespace sp::monitor
