#include "gen/wire_format.hpp"

#include <cctype>
#include <cstdio>

#include "gen/sym.hpp"

namespace sp::gen {

uint8_t tcp_flag_bit(const std::string& item) {
  static const char* const kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
  for (int i = 0; i < 8; ++i) {
    if (item == kNames[i]) return static_cast<uint8_t>(1u << i);
  }
  return 0;
}

uint8_t flag_bits(const ir::Model& m, ir::TypeId set_type, uint64_t value) {
  const ir::Type& t = m.types[set_type];
  if (t.enum_type < 0) return 0;
  const ir::Type& e = m.types[t.enum_type];
  uint8_t bits = 0;
  for (size_t i = 0; i < e.items.size() && i < 64; ++i) {
    if ((value >> i) & 1) bits |= tcp_flag_bit(e.items[i]);
  }
  return bits;
}

std::string flag_letters(const ir::Model& m, ir::TypeId set_type, uint64_t value) {
  const uint8_t bits = flag_bits(m, set_type, value);
  // SYN, FIN, RST, PSH, URG, then ACK: `SA`, `FA`, `RA`, `PA` as people write them.
  static const std::pair<uint8_t, char> kOrder[] = {{0x02, 'S'}, {0x01, 'F'}, {0x04, 'R'},
                                                   {0x08, 'P'}, {0x20, 'U'}, {0x10, 'A'}};
  std::string s;
  for (const auto& [bit, letter] : kOrder) {
    if (bits & bit) s += letter;
  }
  return s.empty() ? "." : s;
}

std::string ip_text(uint64_t ip) {
  char b[32];
  std::snprintf(b, sizeof b, "%u.%u.%u.%u", unsigned(ip >> 24 & 255), unsigned(ip >> 16 & 255),
                unsigned(ip >> 8 & 255), unsigned(ip & 255));
  return b;
}

std::string mac_text(uint64_t mac) {
  char b[32];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(mac >> 40 & 255),
                unsigned(mac >> 32 & 255), unsigned(mac >> 24 & 255), unsigned(mac >> 16 & 255),
                unsigned(mac >> 8 & 255), unsigned(mac & 255));
  return b;
}

std::string ip_name(uint64_t ip) {
  if (ip == Addresses::kIutIp) return "iut.ip";
  if (ip == Addresses::kTesterIp) return "tester.ip";
  if (ip == Addresses::kOtherIp) return "other.ip";
  if (ip == 0) return "zero";
  return ip_text(ip);
}

std::string mac_name(uint64_t mac) {
  if (mac == Addresses::kIutMac) return "iut.mac";
  if (mac == Addresses::kTesterMac) return "tester.mac";
  if (mac == Addresses::kOtherMac) return "other.mac";
  if (mac == Addresses::kBroadcastMac) return "broadcast";
  if (mac == 0) return "zero";
  return mac_text(mac);
}

std::string value_text(const ir::Model& m, ir::TypeId type, uint64_t value) {
  if (type < 0 || type >= static_cast<int>(m.types.size())) return std::to_string(value);
  const ir::Type& t = m.types[type];
  switch (t.kind) {
    case ir::TypeKind::kIp4:
      return ip_name(value);
    case ir::TypeKind::kMac:
      return mac_name(value);
    case ir::TypeKind::kBool:
      return value ? "1" : "0";
    case ir::TypeKind::kEnum: {
      if (value < t.items.size()) {
        std::string s = t.items[value];
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      }
      return std::to_string(value);
    }
    case ir::TypeKind::kInt:
      return std::to_string(static_cast<int64_t>(value));
    default:
      return std::to_string(value);
  }
}

}  // namespace sp::gen
