// TCP segments (RFC 9293 §3.1): header, options (tcp_option.hpp) and payload, with
// the checksum over the IPv4 pseudo-header.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "harness/packet/address.hpp"
#include "harness/packet/checksum.hpp"
#include "harness/packet/result.hpp"
#include "harness/packet/tcp_option.hpp"

namespace sp::packet {

// Control bits as they sit in bytes 12-13 of the header (AE, RFC 9768, is bit 8).
inline constexpr uint16_t kTcpFin = 0x001;
inline constexpr uint16_t kTcpSyn = 0x002;
inline constexpr uint16_t kTcpRst = 0x004;
inline constexpr uint16_t kTcpPsh = 0x008;
inline constexpr uint16_t kTcpAck = 0x010;
inline constexpr uint16_t kTcpUrg = 0x020;
inline constexpr uint16_t kTcpEce = 0x040;
inline constexpr uint16_t kTcpCwr = 0x080;
inline constexpr uint16_t kTcpAe = 0x100;

inline constexpr size_t kTcpMinHeaderLength = 20;

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t data_offset = 5;  // header length in 32-bit words; computed when building
  uint8_t reserved = 0;     // the three reserved bits above AE; must be zero
  uint16_t flags = 0;       // kTcpFin | kTcpSyn | ... (9 bits)
  uint16_t window = 0;
  uint16_t checksum = 0;  // computed when building
  uint16_t urgent_pointer = 0;
  TcpOptions options;

  bool has(uint16_t flag) const { return (flags & flag) == flag; }
};

// A segment owns its payload: everything after the header.
struct TcpSegment {
  TcpHeader header;
  Bytes payload;
};

// By default the builder computes data_offset and checksum; each flag instead writes
// the value given in the header (for negative tests).
struct TcpBuildOptions {
  bool keep_data_offset = false;
  bool keep_checksum = false;

  static constexpr TcpBuildOptions keep_all() { return {true, true}; }
};

// Structural checks only: at least 20 bytes, 5 <= data offset, header within the
// segment, options well-formed. The checksum is not verified (see check_tcp_checksum).
// `segment` is the IPv4 payload: the TCP header and data, nothing more.
Result<TcpSegment> parse_tcp(std::span<const uint8_t> segment);

// Header, options padded with zero bytes to a multiple of four, payload; the checksum
// uses the pseudo-header of `src` and `dst`. Fails (kTooLong) when the options exceed
// 40 bytes (unless keep_data_offset) or the segment exceeds 65535 bytes.
Result<Bytes> build_tcp(const TcpSegment& segment, Ipv4Address src, Ipv4Address dst,
                        const TcpBuildOptions& options = {});

// Verifies the checksum of a segment as received (at least 20 bytes).
ChecksumCheck check_tcp_checksum(Ipv4Address src, Ipv4Address dst,
                                 std::span<const uint8_t> segment);

}  // namespace sp::packet
