// ARP for IPv4 over Ethernet (RFC 826): the only hardware/protocol pair a TAP target
// speaks. Other pairs are reported as unsupported rather than misread.
#pragma once

#include <cstdint>
#include <span>

#include "harness/packet/address.hpp"
#include "harness/packet/result.hpp"

namespace sp::packet {

inline constexpr uint16_t kArpHardwareEthernet = 1;
inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;
inline constexpr size_t kArpEthernetIpv4Length = 28;

struct ArpPacket {
  // The four fields below are checked when parsing (1, 0x0800, 6, 4) and written as
  // given when building, so tests can send ARP packets with wrong ones.
  uint16_t hardware_type = kArpHardwareEthernet;
  uint16_t protocol_type = 0x0800;
  uint8_t hardware_length = 6;
  uint8_t protocol_length = 4;
  uint16_t operation = kArpRequest;
  MacAddress sender_mac;
  Ipv4Address sender_ip;
  MacAddress target_mac;  // all zeros in a request
  Ipv4Address target_ip;
};

// Parses the 28-byte Ethernet/IPv4 form; bytes after it (Ethernet padding) are ignored.
Result<ArpPacket> parse_arp(std::span<const uint8_t> bytes);

// Exactly 28 bytes. Cannot fail.
Bytes build_arp(const ArpPacket& arp);

}  // namespace sp::packet
