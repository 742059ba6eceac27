#include "harness/monitor/flow.hpp"

#include "harness/packet/ipv4.hpp"

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

TcpView tcp_view(std::span<const uint8_t> b) {
  TcpView v;
  auto be16 = [&](size_t at) { return static_cast<uint32_t>(b[at] << 8 | b[at + 1]); };
  auto be32 = [&](size_t at) { return be16(at) << 16 | be16(at + 2); };
  if (b.size() < 20 || (b[0] >> 4) != 4) return v;
  const size_t ihl = static_cast<size_t>(b[0] & 15) * 4, total = be16(2);
  if (ihl < 20 || total < ihl || total > b.size()) return v;
  v.src = be32(12);
  v.dst = be32(16);
  if ((be16(6) & 0x3fff) != 0) {  // MF set or a fragment offset (RFC 791 §3.1)
    v.kind = TcpView::Kind::kFragment;
    return v;
  }
  if (b[9] != packet::kIpProtocolTcp) {
    v.kind = TcpView::Kind::kOther;
    return v;
  }
  const size_t t = ihl, len = total - ihl;
  if (len < 20) return v;
  const size_t offset = static_cast<size_t>(b[t + 12] >> 4) * 4;
  if (offset < 20 || offset > len) return v;
  packet::TcpHeader& h = v.header;
  h.src_port = static_cast<uint16_t>(be16(t));
  h.dst_port = static_cast<uint16_t>(be16(t + 2));
  h.seq = be32(t + 4);
  h.ack = be32(t + 8);
  h.data_offset = static_cast<uint8_t>(offset / 4);
  h.flags = static_cast<uint16_t>(be16(t + 12) & 0x1ff);
  h.window = static_cast<uint16_t>(be16(t + 14));
  h.checksum = static_cast<uint16_t>(be16(t + 16));
  h.urgent_pointer = static_cast<uint16_t>(be16(t + 18));
  v.payload_len = len - offset;
  v.kind = TcpView::Kind::kTcp;
  return v;
}

}  // namespace sp::monitor
