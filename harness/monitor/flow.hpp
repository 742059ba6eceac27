// Connections by 4-tuple: the key of a TCP connection in either direction, and the
// 4-tuple read straight from an IPv4 header (for records too short to decode whole).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "harness/packet/tcp.hpp"

namespace sp::monitor {

// The 4-tuple of a connection, endpoint `a` first (the sender of its first segment).
struct FlowKey {
  uint32_t a_ip = 0, b_ip = 0;
  uint16_t a_port = 0, b_port = 0;
};

// The same connection in either direction compares equal: the lower endpoint first.
struct Canon {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Canon& o) const { return lo == o.lo && hi == o.hi; }
};

struct CanonHash {
  size_t operator()(const Canon& c) const {  // splitmix64's finalizer over both halves
    uint64_t z = c.lo * 0x9e3779b97f4a7c15ULL ^ c.hi;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<size_t>(z ^ (z >> 31));
  }
};

inline Canon canon(uint32_t ip1, uint16_t p1, uint32_t ip2, uint16_t p2) {
  const uint64_t e1 = uint64_t{ip1} << 16 | p1, e2 = uint64_t{ip2} << 16 | p2;
  return e1 < e2 ? Canon{e1, e2} : Canon{e2, e1};
}

inline Canon canon(const FlowKey& k) { return canon(k.a_ip, k.a_port, k.b_ip, k.b_port); }

// What the monitor reads of an IPv4 packet carrying TCP: addresses, the TCP header's
// fixed fields (options are not read) and the payload's length. The IPv4 and TCP headers
// are checked for structure (version, lengths, data offset), not for checksums: a capture
// taken on the sending host shows checksums the NIC fills in later.
struct TcpView {
  enum class Kind { kTcp, kOther, kFragment, kMalformed } kind = Kind::kMalformed;
  uint32_t src = 0, dst = 0;
  packet::TcpHeader header;
  size_t payload_len = 0;
};

TcpView tcp_view(std::span<const uint8_t> ipv4);

// The TCP 4-tuple of an IPv4 packet (as sender first) when the bytes show it, even cut
// short; nullopt for other protocols, fragments after the first and shorter buffers.
std::optional<FlowKey> tcp_flow(std::span<const uint8_t> ipv4);

}  // namespace sp::monitor
