#include "harness/monitor/flow.hpp"

namespace sp::monitor {

std::optional<FlowKey> tcp_flow(std::span<const uint8_t> b) {
  constexpr uint8_t kTcp = 6;
  if (b.size() < 20 || (b[0] >> 4) != 4 || b[9] != kTcp) return std::nullopt;
  if (((b[6] & 0x1f) << 8 | b[7]) != 0) return std::nullopt;  // a later fragment: no TCP header
  const size_t ihl = static_cast<size_t>(b[0] & 15) * 4;
  if (ihl < 20 || b.size() < ihl + 4) return std::nullopt;
  FlowKey k;
  k.a_ip = uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15];
  k.b_ip = uint32_t{b[16]} << 24 | uint32_t{b[17]} << 16 | uint32_t{b[18]} << 8 | b[19];
  k.a_port = static_cast<uint16_t>(b[ihl] << 8 | b[ihl + 1]);
  k.b_port = static_cast<uint16_t>(b[ihl + 2] << 8 | b[ihl + 3]);
  return k;
}

}  // namespace sp::monitor
