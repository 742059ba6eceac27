#include "harness/packet/format.hpp"

#include <cstdio>

namespace sp::packet {
namespace {

std::string n(size_t value) { return std::to_string(value); }

std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

std::string hex_bytes(std::span<const uint8_t> data) {
  std::string out = "0x";
  char buf[3];
  for (uint8_t b : data) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

void append_bad_checksum(const char* layer, const ChecksumCheck& check, std::string& out) {
  if (check.valid) return;
  out += ", bad " + std::string(layer) + " checksum " + hex16(check.found) + " (expected " +
         hex16(check.expected) + ")";
}

}  // namespace

std::string format_tcp_flags(uint16_t flags) {
  static constexpr struct {
    uint16_t bit;
    char letter;
  } kLetters[] = {{kTcpFin, 'F'}, {kTcpSyn, 'S'}, {kTcpRst, 'R'}, {kTcpPsh, 'P'}, {kTcpAck, '.'},
                  {kTcpUrg, 'U'}, {kTcpEce, 'E'}, {kTcpCwr, 'W'}, {kTcpAe, 'e'}};
  std::string s;
  for (const auto& l : kLetters) {
    if (flags & l.bit) s += l.letter;
  }
  return s.empty() ? "none" : s;
}

std::string format_tcp(const TcpSegment& segment, Ipv4Address src, Ipv4Address dst) {
  const TcpHeader& h = segment.header;
  std::string s = src.to_string() + ":" + n(h.src_port) + " > " + dst.to_string() + ":" +
                  n(h.dst_port) + " Flags [" + format_tcp_flags(h.flags) + "], seq " + n(h.seq);
  if (!segment.payload.empty()) {
    s += ":" + n(static_cast<uint32_t>(h.seq + segment.payload.size()));
  }
  if (h.has(kTcpAck)) s += ", ack " + n(h.ack);
  s += ", win " + n(h.window);
  if (h.has(kTcpUrg)) s += ", urg " + n(h.urgent_pointer);
  if (!h.options.empty()) s += ", options [" + format_tcp_options(h.options) + "]";
  s += ", length " + n(segment.payload.size());
  return s;
}

std::string format_arp(const ArpPacket& arp) {
  switch (arp.operation) {
    case kArpRequest: {
      std::string s = "ARP, Request who-has " + arp.target_ip.to_string();
      if (arp.target_mac != MacAddress{}) s += " (" + arp.target_mac.to_string() + ")";
      return s + " tell " + arp.sender_ip.to_string();
    }
    case kArpReply:
      return "ARP, Reply " + arp.sender_ip.to_string() + " is-at " + arp.sender_mac.to_string();
    default:
      return "ARP, op " + n(arp.operation) + ", sender " + arp.sender_ip.to_string() + " (" +
             arp.sender_mac.to_string() + "), target " + arp.target_ip.to_string() + " (" +
             arp.target_mac.to_string() + ")";
  }
}

std::string format_ethernet_header(const EthernetFrame& frame) {
  const EthernetHeader& h = frame.header;
  return h.src.to_string() + " > " + h.dst.to_string() + ", ethertype " +
         ether_type_name(h.ether_type) + " (" + hex16(h.ether_type) + "), length " +
         n(kEthernetHeaderLength + frame.payload.size());
}

std::string format_ipv4(const DecodedIpv4& packet) {
  const Ipv4Header& h = packet.ip.header;
  std::string s;
  if (packet.tcp) {
    s = format_tcp(*packet.tcp, h.src, h.dst);
  } else {
    s = h.src.to_string() + " > " + h.dst.to_string() + ": " + ip_protocol_name(h.protocol);
    if (h.is_fragment()) {
      s += " (frag " + n(h.identification) + ":" + n(packet.ip.payload.size()) + "@" +
           n(size_t{h.fragment_offset} * 8) + (h.more_fragments ? "+" : "") + ")";
    } else {
      s += ", length " + n(packet.ip.payload.size());
    }
  }
  if (!h.options.empty()) s += ", ip options " + hex_bytes(h.options);
  append_bad_checksum("ipv4", packet.ip_checksum, s);
  if (packet.tcp_checksum) append_bad_checksum("tcp", *packet.tcp_checksum, s);
  return s;
}

std::string format_frame(const DecodedFrame& frame) {
  std::string s = format_ethernet_header(frame.ethernet);
  if (frame.arp) s += ": " + format_arp(*frame.arp);
  if (frame.ipv4) s += ": " + format_ipv4(*frame.ipv4);
  return s;
}

std::string format_ipv4_bytes(std::span<const uint8_t> bytes) {
  auto decoded = decode_ipv4(bytes);
  if (!decoded) return "malformed: " + decoded.error().message;
  return format_ipv4(*decoded);
}

std::string format_frame_bytes(std::span<const uint8_t> bytes) {
  auto decoded = decode_frame(bytes);
  if (!decoded) return "malformed: " + decoded.error().message;
  return format_frame(*decoded);
}

}  // namespace sp::packet
