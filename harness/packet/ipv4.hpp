// IPv4 (RFC 791): header with options kept as raw bytes, payload up to the total
// length. Fragments are parsed as IPv4 but their payload is not a transport header;
// callers check is_fragment() before handing the payload to the TCP codec.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "harness/packet/address.hpp"
#include "harness/packet/checksum.hpp"
#include "harness/packet/result.hpp"

namespace sp::packet {

inline constexpr uint8_t kIpProtocolIcmp = 1;
inline constexpr uint8_t kIpProtocolTcp = 6;
inline constexpr uint8_t kIpProtocolUdp = 17;

inline constexpr size_t kIpv4MinHeaderLength = 20;
inline constexpr size_t kIpv4MaxHeaderLength = 60;

struct Ipv4Header {
  uint8_t version = 4;
  uint8_t header_length = 5;  // IHL in 32-bit words; computed when building
  uint8_t tos = 0;            // DSCP (6 bits) and ECN (2 bits)
  uint16_t total_length = 0;  // header plus payload in bytes; computed when building
  uint16_t identification = 0;
  bool reserved_flag = false;  // must be zero (RFC 791); settable for negative tests
  bool dont_fragment = false;
  bool more_fragments = false;
  uint16_t fragment_offset = 0;  // in 8-byte units, 13 bits
  uint8_t ttl = 64;
  uint8_t protocol = kIpProtocolTcp;
  uint16_t checksum = 0;  // computed when building
  Ipv4Address src;
  Ipv4Address dst;
  // Options exactly as on the wire (bytes 20 .. IHL*4). Not interpreted; building pads
  // them with zero bytes (End of Option List) to a multiple of four.
  Bytes options;

  bool is_fragment() const { return more_fragments || fragment_offset != 0; }
};

// A packet owns its payload: the bytes from the end of the header to total_length.
// Bytes beyond total_length (Ethernet padding) are not part of the packet.
struct Ipv4Packet {
  Ipv4Header header;
  Bytes payload;
};

// By default the builder computes header_length, total_length and checksum from the
// content; each flag instead writes the value given in the header, so tests can
// inject inconsistent lengths or bad checksums.
struct Ipv4BuildOptions {
  bool keep_header_length = false;
  bool keep_total_length = false;
  bool keep_checksum = false;

  static constexpr Ipv4BuildOptions keep_all() { return {true, true, true}; }
};

// Structural checks only: version 4, IHL >= 5 and within the buffer, header length
// <= total length <= buffer length. The header checksum is not verified here (see
// check_ipv4_checksum) so that a packet with a bad checksum can still be shown.
Result<Ipv4Packet> parse_ipv4(std::span<const uint8_t> bytes);

// Fails (kTooLong) only when a computed length does not fit: options over 40 bytes,
// total length over 65535.
Result<Bytes> build_ipv4(const Ipv4Packet& packet, const Ipv4BuildOptions& options = {});

// Verifies the checksum of a header as received: `header` is exactly the IHL*4
// header bytes (at least 20).
ChecksumCheck check_ipv4_checksum(std::span<const uint8_t> header);

// "TCP", "UDP", "ICMP" or "ip-proto-N".
std::string ip_protocol_name(uint8_t protocol);

}  // namespace sp::packet
