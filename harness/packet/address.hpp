// Link-layer and IPv4 addresses as small value types with text conversions.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::packet {

// A 48-bit IEEE 802 MAC address, bytes in wire order.
struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  static constexpr MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  // Parses "02:00:00:00:00:01" (exactly six two-digit hex groups, ':' or '-').
  static std::optional<MacAddress> parse(std::string_view text);
  // "02:00:00:00:00:01", lower case.
  std::string to_string() const;

  friend auto operator<=>(const MacAddress&, const MacAddress&) = default;
};

// An IPv4 address held in host byte order (192.0.2.1 is 0xc0000201).
struct Ipv4Address {
  uint32_t value = 0;

  static constexpr Ipv4Address from_octets(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    return {(uint32_t{a} << 24) | (uint32_t{b} << 16) | (uint32_t{c} << 8) | d};
  }
  // Parses dotted-quad "192.0.2.1" (four decimal octets 0..255, no leading '+').
  static std::optional<Ipv4Address> parse(std::string_view text);
  // "192.0.2.1".
  std::string to_string() const;

  friend auto operator<=>(const Ipv4Address&, const Ipv4Address&) = default;
};

}  // namespace sp::packet
