#include "harness/packet/checksum.hpp"

namespace sp::packet {

void ChecksumAccumulator::add(std::span<const uint8_t> data) {
  size_t i = 0;
  if (odd_ && !data.empty()) {
    sum_ += data[0];  // low byte of the pending word
    odd_ = false;
    i = 1;
  }
  // Up to 2^48 words fit in 64 bits before overflow; segments are at most 64 KiB.
  for (; i + 1 < data.size(); i += 2) {
    sum_ += static_cast<uint32_t>((data[i] << 8) | data[i + 1]);
  }
  if (i < data.size()) {
    sum_ += static_cast<uint32_t>(data[i]) << 8;
    odd_ = true;
  }
}

void ChecksumAccumulator::add_u16(uint16_t word) {
  const uint8_t bytes[2] = {static_cast<uint8_t>(word >> 8), static_cast<uint8_t>(word)};
  add(bytes);
}

void ChecksumAccumulator::add_u32(uint32_t word) {
  add_u16(static_cast<uint16_t>(word >> 16));
  add_u16(static_cast<uint16_t>(word));
}

uint16_t ChecksumAccumulator::finish() const {
  uint64_t sum = sum_;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint16_t internet_checksum(std::span<const uint8_t> data) {
  ChecksumAccumulator acc;
  acc.add(data);
  return acc.finish();
}

uint16_t pseudo_header_checksum(Ipv4Address src, Ipv4Address dst, uint8_t protocol,
                                std::span<const uint8_t> segment) {
  ChecksumAccumulator acc;
  acc.add_u32(src.value);
  acc.add_u32(dst.value);
  acc.add_u16(protocol);  // a zero byte, then the protocol
  // The pseudo-header length field is 16 bits; an IPv4 segment never exceeds it.
  acc.add_u16(static_cast<uint16_t>(segment.size()));
  acc.add(segment);
  return acc.finish();
}

}  // namespace sp::packet
