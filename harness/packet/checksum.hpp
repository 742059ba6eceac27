// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's
// complement sum of the data taken as big-endian 16-bit words, an odd final byte
// padded with a zero byte. Used by the IPv4 header (RFC 791 §3.1) and by TCP over
// a pseudo-header (RFC 9293 §3.1).
#pragma once

#include <cstdint>
#include <span>

#include "harness/packet/address.hpp"

namespace sp::packet {

// Incremental one's complement sum. Data may be added in pieces of any length,
// including odd lengths: bytes are paired across add() calls as if the pieces were
// concatenated. Value type, not thread-safe.
class ChecksumAccumulator {
 public:
  void add(std::span<const uint8_t> data);
  void add_u16(uint16_t word);  // as two bytes, big-endian
  void add_u32(uint32_t word);  // as four bytes, big-endian
  // The checksum field value: ~(folded sum). A buffer whose stored checksum is right
  // sums to 0xffff, so finish() over the whole buffer yields 0.
  uint16_t finish() const;

 private:
  uint64_t sum_ = 0;
  bool odd_ = false;  // an unpaired high byte is pending in sum_
};

// Checksum of one buffer.
uint16_t internet_checksum(std::span<const uint8_t> data);

// Checksum of a transport segment (as stored, checksum field included) with the
// IPv4 pseudo-header: source, destination, zero, protocol, segment length.
// To compute a checksum, call it with the checksum field zeroed; to verify one,
// call it on the segment as received: the result is 0 when the checksum is right.
uint16_t pseudo_header_checksum(Ipv4Address src, Ipv4Address dst, uint8_t protocol,
                                std::span<const uint8_t> segment);

// What checking a stored checksum found: the value in the packet and the value the
// sender should have written. `valid` is decided by summing the packet as stored
// (so 0x0000 and 0xffff, the two zeros of one's complement, are both accepted where
// the arithmetic accepts them).
struct ChecksumCheck {
  bool valid = true;
  uint16_t found = 0;
  uint16_t expected = 0;
};

}  // namespace sp::packet
