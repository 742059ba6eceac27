#include "harness/packet/arp.hpp"

#include <algorithm>
#include <cstdio>

#include "harness/packet/byte_order.hpp"

namespace sp::packet {
namespace {

constexpr size_t kArpFixedLength = 8;  // htype, ptype, hlen, plen, oper

}  // namespace

Result<ArpPacket> parse_arp(std::span<const uint8_t> bytes) {
  if (bytes.size() < kArpFixedLength) {
    return make_error(ErrorCode::kTruncated, "arp",
                      "packet of " + std::to_string(bytes.size()) +
                          " bytes is shorter than the 8-byte fixed header");
  }
  ArpPacket arp;
  const uint8_t* p = bytes.data();
  arp.hardware_type = load_be16(p);
  arp.protocol_type = load_be16(p + 2);
  arp.hardware_length = p[4];
  arp.protocol_length = p[5];
  arp.operation = load_be16(p + 6);
  if (arp.hardware_type != kArpHardwareEthernet || arp.protocol_type != 0x0800 ||
      arp.hardware_length != 6 || arp.protocol_length != 4) {
    char protocol[8];
    std::snprintf(protocol, sizeof protocol, "0x%04x", arp.protocol_type);
    return make_error(ErrorCode::kUnsupported, "arp",
                      "hardware type " + std::to_string(arp.hardware_type) + " length " +
                          std::to_string(arp.hardware_length) + ", protocol type " + protocol +
                          " length " + std::to_string(arp.protocol_length) +
                          " is not Ethernet/IPv4 (1/6, 0x0800/4)");
  }
  if (bytes.size() < kArpEthernetIpv4Length) {
    return make_error(ErrorCode::kTruncated, "arp",
                      "packet of " + std::to_string(bytes.size()) +
                          " bytes is shorter than the 28 bytes of Ethernet/IPv4 ARP");
  }
  std::copy_n(p + 8, 6, arp.sender_mac.bytes.begin());
  arp.sender_ip.value = load_be32(p + 14);
  std::copy_n(p + 18, 6, arp.target_mac.bytes.begin());
  arp.target_ip.value = load_be32(p + 24);
  return arp;
}

Bytes build_arp(const ArpPacket& arp) {
  Bytes out;
  out.reserve(kArpEthernetIpv4Length);
  append_be16(out, arp.hardware_type);
  append_be16(out, arp.protocol_type);
  out.push_back(arp.hardware_length);
  out.push_back(arp.protocol_length);
  append_be16(out, arp.operation);
  out.insert(out.end(), arp.sender_mac.bytes.begin(), arp.sender_mac.bytes.end());
  append_be32(out, arp.sender_ip.value);
  out.insert(out.end(), arp.target_mac.bytes.begin(), arp.target_mac.bytes.end());
  append_be32(out, arp.target_ip.value);
  return out;
}

}  // namespace sp::packet
