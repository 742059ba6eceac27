// TCP options (RFC 9293 §3.2): End of Option List, No-Operation, Maximum Segment Size,
// Window Scale and Timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018). Any
// other kind, and a known kind whose length is not the one its RFC defines, is kept
// as Raw so that parse followed by build gives back the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "harness/packet/result.hpp"

namespace sp::packet {

inline constexpr uint8_t kTcpOptionEnd = 0;
inline constexpr uint8_t kTcpOptionNop = 1;
inline constexpr uint8_t kTcpOptionMss = 2;
inline constexpr uint8_t kTcpOptionWindowScale = 3;
inline constexpr uint8_t kTcpOptionSackPermitted = 4;
inline constexpr uint8_t kTcpOptionSack = 5;
inline constexpr uint8_t kTcpOptionTimestamps = 8;

inline constexpr size_t kTcpMaxOptionsLength = 40;

namespace tcp_option {

// Kind 0. Everything after it up to the data offset is padding, kept verbatim
// (normally zeros) so that a segment with garbage after EOL round-trips.
struct End {
  Bytes padding;
  friend bool operator==(const End&, const End&) = default;
};
// Kind 1.
struct Nop {
  friend bool operator==(const Nop&, const Nop&) = default;
};
// Kind 2, length 4.
struct Mss {
  uint16_t value = 0;
  friend bool operator==(const Mss&, const Mss&) = default;
};
// Kind 3, length 3. The shift count is kept as sent, even above 14.
struct WindowScale {
  uint8_t shift = 0;
  friend bool operator==(const WindowScale&, const WindowScale&) = default;
};
// Kind 4, length 2.
struct SackPermitted {
  friend bool operator==(const SackPermitted&, const SackPermitted&) = default;
};
struct SackBlock {
  uint32_t left = 0;   // first sequence number of the block
  uint32_t right = 0;  // sequence number just after the block
  friend bool operator==(const SackBlock&, const SackBlock&) = default;
};
// Kind 5, length 2 + 8n with n >= 1 (at most 4 fit in 40 bytes).
struct Sack {
  std::vector<SackBlock> blocks;
  friend bool operator==(const Sack&, const Sack&) = default;
};
// Kind 8, length 10.
struct Timestamps {
  uint32_t value = 0;
  uint32_t echo_reply = 0;
  friend bool operator==(const Timestamps&, const Timestamps&) = default;
};
// Any kind, with its data bytes (after kind and length). The length byte written is
// `length` if set, else data.size() + 2; setting it lets tests send options whose
// length byte lies (0, 1, or past the end of the header).
struct Raw {
  uint8_t kind = 0;
  Bytes data;
  std::optional<uint8_t> length;
  friend bool operator==(const Raw&, const Raw&) = default;
};

}  // namespace tcp_option

using TcpOption = std::variant<tcp_option::End, tcp_option::Nop, tcp_option::Mss,
                               tcp_option::WindowScale, tcp_option::SackPermitted,
                               tcp_option::Sack, tcp_option::Timestamps, tcp_option::Raw>;
using TcpOptions = std::vector<TcpOption>;

// Parses the options area (header bytes 20 .. data offset). Fails (kBadOption) when a
// length byte is below 2 or runs past the end of the area; the area is fully
// consumed otherwise.
Result<TcpOptions> parse_tcp_options(std::span<const uint8_t> area);

// The options as bytes, without padding.
Bytes build_tcp_options(const TcpOptions& options);

// tcpdump spelling of one option: "mss 1460", "sackOK", "TS val 1 ecr 0", "nop",
// "wscale 7", "eol", "sack 1 {100:200}", "unknown-19 0x0102".
std::string format_tcp_option(const TcpOption& option);
// Options joined by commas, without brackets.
std::string format_tcp_options(const TcpOptions& options);

// Convenience lookups over a parsed option list: the first option of that type.
template <typename T>
const T* find_tcp_option(const TcpOptions& options) {
  for (const TcpOption& o : options) {
    if (const T* found = std::get_if<T>(&o)) return found;
  }
  return nullptr;
}

}  // namespace sp::packet
