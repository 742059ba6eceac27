// `--pcap-out`: the records of chosen connections copied from a capture into a new pcap
// file (a second pass over the capture, so nothing of the first is held in memory). The
// file is whole or absent (util/atomic_file.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/monitor/flow.hpp"

namespace sp::monitor {

// One connection to copy: its 4-tuple and the records it spans.
struct FlowRange {
  FlowKey key;
  uint64_t first_frame = 0, last_frame = 0;
};

// Writes the records of `capture` that belong to one of `flows` to `out` (classic pcap,
// the capture's link type, microsecond timestamps). False with *error on failure; then
// `out` is as it was.
bool write_flows_pcap(const std::string& capture, const std::vector<FlowRange>& flows, const std::string& out,
                      std::string* error);

}  // namespace sp::monitor
