// Sample packets shared by the harness tests: real frames captured from the Linux
// kernel (6.x) through a TAP device in a scratch network namespace, and helpers to
// build typical segments.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/packet/address.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/ipv4.hpp"
#include "harness/packet/tcp.hpp"

namespace sp::packet::tcp_option {

// Lets GoogleTest print options readably in failure messages ("mss 1460").
template <typename T>
  requires std::is_constructible_v<TcpOption, const T&>
void PrintTo(const T& option, std::ostream* os) {
  *os << format_tcp_option(TcpOption(option));
}

}  // namespace sp::packet::tcp_option

namespace sp::packet::testing {

inline Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline const Ipv4Address kClientIp = Ipv4Address::from_octets(192, 0, 2, 1);
inline const Ipv4Address kServerIp = Ipv4Address::from_octets(192, 0, 2, 2);
inline const MacAddress kClientMac{{0x02, 0, 0, 0, 0, 0x01}};
inline const MacAddress kServerMac{{0x02, 0, 0, 0, 0, 0x02}};

// connect(192.0.2.1:40000 -> 192.0.2.2:80) as Linux sent it: 74 bytes.
//   Ethernet 02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4
//   IPv4 id 0x0b1f, DF, ttl 64, TCP, header checksum 0xab99
//   TCP seq 0xa5ec2ff1, SYN, win 64240, checksum 0x2194,
//       options mss 1460, sackOK, TS val 133967114 ecr 0, nop, wscale 10
inline Bytes captured_syn_frame() {
  return from_hex(
      "020000000002"  // destination
      "020000000001"  // source
      "0800"          // EtherType IPv4
      "4500003c0b1f40004006ab99c0000201c0000202"  // IPv4 header
      "9c400050a5ec2ff100000000a002faf021940000"  // TCP header
      "020405b4"                                  // mss 1460
      "0402"                                      // sackOK
      "080a07fc2d0a00000000"                      // TS val 133967114 ecr 0
      "01"                                        // nop
      "03030a");                                  // wscale 10
}

// The IPv4 packet inside captured_syn_frame() (what a TUN device would deliver).
inline Bytes captured_syn_packet() {
  Bytes frame = captured_syn_frame();
  return Bytes(frame.begin() + 14, frame.end());
}

// The TCP segment inside it.
inline Bytes captured_syn_segment() {
  Bytes frame = captured_syn_frame();
  return Bytes(frame.begin() + 34, frame.end());
}

// "Who has 192.0.2.2? Tell 192.0.2.1" as Linux sent it: 42 bytes, no padding.
inline Bytes captured_arp_request_frame() {
  return from_hex(
      "ffffffffffff020000000001"
      "0806"
      "0001080006040001"
      "020000000001c0000201"
      "000000000000c0000202");
}

inline Ipv4Header client_to_server_ip() {
  Ipv4Header ip;
  ip.src = kClientIp;
  ip.dst = kServerIp;
  ip.dont_fragment = true;
  return ip;
}

inline TcpSegment make_segment(uint16_t flags, uint32_t seq, uint32_t ack, uint16_t window,
                               TcpOptions options = {}, Bytes payload = {}) {
  TcpSegment s;
  s.header.src_port = 40000;
  s.header.dst_port = 80;
  s.header.seq = seq;
  s.header.ack = ack;
  s.header.flags = flags;
  s.header.window = window;
  s.header.options = std::move(options);
  s.payload = std::move(payload);
  return s;
}

// A frame from client to server carrying `segment`, with every length and checksum
// computed.
inline Bytes make_frame(const TcpSegment& segment) {
  EthernetHeader eth{kServerMac, kClientMac, kEtherTypeIpv4};
  return build_frame_tcp(eth, client_to_server_ip(), segment).value();
}

// Reference Internet checksum written the slow, obvious way (RFC 1071 §4.1).
inline uint16_t reference_checksum(const Bytes& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 2) {
    uint32_t word = uint32_t{data[i]} << 8;
    if (i + 1 < data.size()) word |= data[i + 1];
    sum += word;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum & 0xffff);
}

}  // namespace sp::packet::testing
