#include "harness/packet/decode.hpp"

#include <cstdio>

namespace sp::packet {
namespace {

std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

void describe_bad(const char* layer, const ChecksumCheck& check, std::string& out) {
  if (check.valid) return;
  if (!out.empty()) out += "; ";
  out += std::string(layer) + ": bad checksum " + hex16(check.found) + ", expected " +
         hex16(check.expected);
}

}  // namespace

bool DecodedIpv4::checksums_ok() const {
  return ip_checksum.valid && (!tcp_checksum || tcp_checksum->valid);
}

std::optional<PacketError> DecodedIpv4::checksum_error() const {
  std::string message;
  describe_bad("ipv4", ip_checksum, message);
  if (tcp_checksum) describe_bad("tcp", *tcp_checksum, message);
  if (message.empty()) return std::nullopt;
  return PacketError{ErrorCode::kBadChecksum, message};
}

std::optional<PacketError> DecodedFrame::checksum_error() const {
  if (!ipv4) return std::nullopt;
  return ipv4->checksum_error();
}

Result<DecodedIpv4> decode_ipv4(std::span<const uint8_t> bytes) {
  auto ip = parse_ipv4(bytes);
  if (!ip) return ip.error();
  DecodedIpv4 d;
  d.ip = std::move(ip).value();
  const Ipv4Header& h = d.ip.header;
  const size_t header_bytes = size_t{h.header_length} * 4;
  d.ip_checksum = check_ipv4_checksum(bytes.first(header_bytes));
  d.trailing_bytes = bytes.size() - h.total_length;
  if (h.protocol == kIpProtocolTcp && !h.is_fragment()) {
    auto tcp = parse_tcp(d.ip.payload);
    if (!tcp) return tcp.error();
    d.tcp = std::move(tcp).value();
    d.tcp_checksum = check_tcp_checksum(h.src, h.dst, d.ip.payload);
  }
  return d;
}

Result<DecodedFrame> decode_frame(std::span<const uint8_t> bytes) {
  auto ethernet = parse_ethernet(bytes);
  if (!ethernet) return ethernet.error();
  DecodedFrame d;
  d.ethernet = std::move(ethernet).value();
  switch (d.ethernet.header.ether_type) {
    case kEtherTypeArp: {
      auto arp = parse_arp(d.ethernet.payload);
      if (!arp) return arp.error();
      d.arp = std::move(arp).value();
      break;
    }
    case kEtherTypeIpv4: {
      auto ipv4 = decode_ipv4(d.ethernet.payload);
      if (!ipv4) return ipv4.error();
      d.ipv4 = std::move(ipv4).value();
      break;
    }
    default:
      break;
  }
  return d;
}

Result<Bytes> build_ipv4_tcp(const Ipv4Header& ip, const TcpSegment& tcp,
                             const BuildOptions& options) {
  auto segment = build_tcp(tcp, ip.src, ip.dst, options.tcp);
  if (!segment) return segment.error();
  Ipv4Packet packet{ip, std::move(segment).value()};
  return build_ipv4(packet, options.ip);
}

Result<Bytes> build_frame_tcp(const EthernetHeader& ethernet, const Ipv4Header& ip,
                              const TcpSegment& tcp, const BuildOptions& options) {
  auto packet = build_ipv4_tcp(ip, tcp, options);
  if (!packet) return packet.error();
  return build_ethernet(EthernetFrame{ethernet, std::move(packet).value()}, options.ethernet);
}

Bytes build_frame_arp(const EthernetHeader& ethernet, const ArpPacket& arp,
                      const EthernetBuildOptions& options) {
  return build_ethernet(EthernetFrame{ethernet, build_arp(arp)}, options);
}

}  // namespace sp::packet
