// One-line, tcpdump-style text for packets, used in the harness's failure diffs:
//   192.0.2.1:40000 > 192.0.2.2:80 Flags [S.], seq 0, ack 1, win 65535,
//     options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
// (one line; wrapped here). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "harness/packet/arp.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/ethernet.hpp"
#include "harness/packet/tcp.hpp"
#include "harness/packet/tcp_option.hpp"

namespace sp::packet {

// tcpdump's flag letters in its order: F S R P . U E W e ("S." for SYN-ACK), or "none".
std::string format_tcp_flags(uint16_t flags);

// `SRC:PORT > DST:PORT Flags [..], seq S, ack A, win W, options [..], length L`.
// seq is `seq S:E` (E = S + length) when there is data; ack is shown only with ACK,
// `urg N` only with URG, options only when there are some. Numbers are as stored.
std::string format_tcp(const TcpSegment& segment, Ipv4Address src, Ipv4Address dst);

// `ARP, Request who-has 192.0.2.2 tell 192.0.2.1` or
// `ARP, Reply 192.0.2.2 is-at 02:00:00:00:00:02`.
std::string format_arp(const ArpPacket& arp);

// `02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74`.
std::string format_ethernet_header(const EthernetFrame& frame);

// The TCP line for a TCP packet; `SRC > DST: TCP (frag ID:LEN@OFFSET+)` for a fragment
// (offset in bytes, '+' when more fragments follow); `SRC > DST: UDP, length 8` for
// other protocols. Appends `, ip options 0x..` when the header has options and
// `, bad ipv4|tcp checksum 0xFOUND (expected 0xRIGHT)` for each wrong checksum.
std::string format_ipv4(const DecodedIpv4& packet);

// The Ethernet header line, then `: ` and the ARP or IPv4 line when there is one.
std::string format_frame(const DecodedFrame& frame);

// Decode and format in one step; a packet that does not decode gives
// `malformed: <error message>`.
std::string format_ipv4_bytes(std::span<const uint8_t> bytes);
std::string format_frame_bytes(std::span<const uint8_t> bytes);

}  // namespace sp::packet
