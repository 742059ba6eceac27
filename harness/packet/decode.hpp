// Whole-packet decoding and building across the layers, as a target delivers and
// accepts them: IPv4 packets (TUN) and Ethernet frames carrying ARP or IPv4 (TAP,
// AF_PACKET). Decoding reports structural errors as a PacketError and checksum
// results separately, so a caller can show a packet whose checksum is wrong.
//
// Every function in harness/packet/ is a pure function of its arguments: no global
// state, safe to call from any thread; decoded values own copies of their bytes and
// do not refer to the input buffer after returning.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/packet/arp.hpp"
#include "harness/packet/ethernet.hpp"
#include "harness/packet/ipv4.hpp"
#include "harness/packet/result.hpp"
#include "harness/packet/tcp.hpp"

namespace sp::packet {

// An IPv4 packet and, when it carries a whole TCP segment, that segment.
struct DecodedIpv4 {
  Ipv4Packet ip;
  ChecksumCheck ip_checksum;
  // Set when protocol is TCP and the packet is not a fragment; then tcp_checksum too.
  std::optional<TcpSegment> tcp;
  std::optional<ChecksumCheck> tcp_checksum;
  // Bytes after the IPv4 total length in the buffer (Ethernet padding); not decoded.
  size_t trailing_bytes = 0;

  bool is_fragment() const { return ip.header.is_fragment(); }
  bool checksums_ok() const;
  // kBadChecksum error naming each wrong checksum, e.g. "tcp: bad checksum 0x1234,
  // expected 0x2194", or nullopt when all are right.
  std::optional<PacketError> checksum_error() const;
};

// An Ethernet frame and what it carries: ARP, IPv4, or (neither set) another EtherType.
struct DecodedFrame {
  EthernetFrame ethernet;
  std::optional<ArpPacket> arp;
  std::optional<DecodedIpv4> ipv4;

  bool checksums_ok() const { return !ipv4 || ipv4->checksums_ok(); }
  std::optional<PacketError> checksum_error() const;
};

// IPv4, then TCP unless the packet is a fragment or another protocol. A structural
// error at either layer fails the whole decode with that layer's message.
Result<DecodedIpv4> decode_ipv4(std::span<const uint8_t> bytes);

// Ethernet, then ARP or IPv4 (and TCP) by EtherType; other EtherTypes are not an error.
Result<DecodedFrame> decode_frame(std::span<const uint8_t> bytes);

// What the whole-packet builders compute and what they keep (see ipv4.hpp, tcp.hpp).
struct BuildOptions {
  Ipv4BuildOptions ip = {};
  TcpBuildOptions tcp = {};
  EthernetBuildOptions ethernet = {};

  static constexpr BuildOptions keep_all() {
    return {Ipv4BuildOptions::keep_all(), TcpBuildOptions::keep_all(), {}};
  }
};

// An IPv4 packet carrying `tcp`; the TCP checksum uses ip.src and ip.dst, the IPv4
// header is written as given in `ip` (protocol included) apart from computed fields.
Result<Bytes> build_ipv4_tcp(const Ipv4Header& ip, const TcpSegment& tcp,
                             const BuildOptions& options = {});

// The same in an Ethernet frame (the frame's EtherType is written as given).
Result<Bytes> build_frame_tcp(const EthernetHeader& ethernet, const Ipv4Header& ip,
                              const TcpSegment& tcp, const BuildOptions& options = {});

// An ARP packet in an Ethernet frame.
Bytes build_frame_arp(const EthernetHeader& ethernet, const ArpPacket& arp,
                      const EthernetBuildOptions& options = {});

}  // namespace sp::packet
