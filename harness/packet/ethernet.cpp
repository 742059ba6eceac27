#include "harness/packet/ethernet.hpp"

#include <algorithm>

#include "harness/packet/byte_order.hpp"

namespace sp::packet {

Result<EthernetFrame> parse_ethernet(std::span<const uint8_t> bytes) {
  if (bytes.size() < kEthernetHeaderLength) {
    return make_error(ErrorCode::kTruncated, "ethernet",
                      "frame of " + std::to_string(bytes.size()) +
                          " bytes is shorter than the 14-byte header");
  }
  EthernetFrame frame;
  std::copy_n(bytes.begin(), 6, frame.header.dst.bytes.begin());
  std::copy_n(bytes.begin() + 6, 6, frame.header.src.bytes.begin());
  frame.header.ether_type = load_be16(bytes.data() + 12);
  frame.payload.assign(bytes.begin() + kEthernetHeaderLength, bytes.end());
  return frame;
}

Bytes build_ethernet(const EthernetFrame& frame, const EthernetBuildOptions& options) {
  Bytes out;
  out.reserve(std::max(kEthernetHeaderLength + frame.payload.size(), kEthernetMinimumFrame));
  out.insert(out.end(), frame.header.dst.bytes.begin(), frame.header.dst.bytes.end());
  out.insert(out.end(), frame.header.src.bytes.begin(), frame.header.src.bytes.end());
  append_be16(out, frame.header.ether_type);
  out.insert(out.end(), frame.payload.begin(), frame.payload.end());
  if (options.pad_to_minimum && out.size() < kEthernetMinimumFrame) {
    out.resize(kEthernetMinimumFrame, 0);
  }
  return out;
}

const char* ether_type_name(uint16_t ether_type) {
  switch (ether_type) {
    case kEtherTypeIpv4: return "IPv4";
    case kEtherTypeArp: return "ARP";
    case kEtherTypeIpv6: return "IPv6";
    case kEtherTypeVlan: return "802.1Q";
    default: return "Unknown";
  }
}

}  // namespace sp::packet
