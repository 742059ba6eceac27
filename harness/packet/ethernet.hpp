// Ethernet II frames (IEEE 802.3 with an EtherType, as TAP devices and AF_PACKET
// sockets deliver them): destination, source, EtherType, payload. No preamble, no
// FCS. 802.1Q tags are not interpreted: a tagged frame has EtherType 0x8100.
#pragma once

#include <cstdint>
#include <span>

#include "harness/packet/address.hpp"
#include "harness/packet/result.hpp"

namespace sp::packet {

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;

inline constexpr size_t kEthernetHeaderLength = 14;
// Smallest frame on the wire without its 4-byte FCS; shorter frames are padded.
inline constexpr size_t kEthernetMinimumFrame = 60;

struct EthernetHeader {
  MacAddress dst;
  MacAddress src;
  uint16_t ether_type = kEtherTypeIpv4;
};

// A frame owns its payload (everything after the header, padding included).
struct EthernetFrame {
  EthernetHeader header;
  Bytes payload;
};

struct EthernetBuildOptions {
  // Pad with zero bytes to kEthernetMinimumFrame, as a NIC does on the wire.
  bool pad_to_minimum = false;
};

// Fails only when the buffer is shorter than the 14-byte header. EtherType values
// below 0x0600 (802.3 length fields) are returned as they are.
Result<EthernetFrame> parse_ethernet(std::span<const uint8_t> bytes);

// Header followed by the payload. Cannot fail.
Bytes build_ethernet(const EthernetFrame& frame, const EthernetBuildOptions& options = {});

// "IPv4", "ARP", "IPv6", "802.1Q" or "Unknown".
const char* ether_type_name(uint16_t ether_type);

}  // namespace sp::packet
