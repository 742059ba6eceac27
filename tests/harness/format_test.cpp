// Golden one-line formats (tcpdump style) used in the harness's failure diffs.
#include "harness/packet/format.hpp"

#include <gtest/gtest.h>

#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using namespace tcp_option;
using testing::captured_arp_request_frame;
using testing::captured_syn_frame;
using testing::captured_syn_packet;
using testing::client_to_server_ip;
using testing::kClientIp;
using testing::kClientMac;
using testing::kServerIp;
using testing::kServerMac;
using testing::make_frame;
using testing::make_segment;

TEST(FormatTest, SynAckFromTheBrief) {
  const TcpSegment s = make_segment(kTcpSyn | kTcpAck, 0, 1, 65535,
                                    {Mss{1460}, SackPermitted{}, Timestamps{1, 0}, Nop{},
                                     WindowScale{7}});
  EXPECT_EQ(format_tcp(s, kClientIp, kServerIp),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [S.], seq 0, ack 1, win 65535, options "
            "[mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0");
}

TEST(FormatTest, CapturedSynFrame) {
  EXPECT_EQ(format_frame_bytes(captured_syn_frame()),
            "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74: "
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [S], seq 2783719409, win 64240, options "
            "[mss 1460,sackOK,TS val 133967114 ecr 0,nop,wscale 10], length 0");
  EXPECT_EQ(format_ipv4_bytes(captured_syn_packet()),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [S], seq 2783719409, win 64240, options "
            "[mss 1460,sackOK,TS val 133967114 ecr 0,nop,wscale 10], length 0");
}

TEST(FormatTest, DataShowsSequenceRange) {
  const TcpSegment s = make_segment(kTcpPsh | kTcpAck, 1, 1, 502, {Nop{}, Nop{}, Timestamps{5, 6}},
                                    Bytes(10, 'x'));
  EXPECT_EQ(format_tcp(s, kClientIp, kServerIp),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [P.], seq 1:11, ack 1, win 502, options "
            "[nop,nop,TS val 5 ecr 6], length 10");
}

TEST(FormatTest, SequenceRangeWrapsAround) {
  const TcpSegment s = make_segment(kTcpAck, 0xfffffffe, 7, 1, {}, Bytes(4, 0));
  EXPECT_EQ(format_tcp(s, kClientIp, kServerIp),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [.], seq 4294967294:2, ack 7, win 1, length 4");
}

TEST(FormatTest, RstWithoutAckHidesAck) {
  const TcpSegment s = make_segment(kTcpRst, 100, 12345, 0);
  EXPECT_EQ(format_tcp(s, kServerIp, kClientIp),
            "192.0.2.2:40000 > 192.0.2.1:80 Flags [R], seq 100, win 0, length 0");
}

TEST(FormatTest, FinAckAndUrgent) {
  TcpSegment s = make_segment(kTcpFin | kTcpAck | kTcpUrg, 9, 10, 20);
  s.header.urgent_pointer = 3;
  EXPECT_EQ(format_tcp(s, kClientIp, kServerIp),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [F.U], seq 9, ack 10, win 20, urg 3, length 0");
}

TEST(FormatTest, FlagLetters) {
  EXPECT_EQ(format_tcp_flags(0), "none");
  EXPECT_EQ(format_tcp_flags(kTcpSyn), "S");
  EXPECT_EQ(format_tcp_flags(kTcpSyn | kTcpAck), "S.");
  EXPECT_EQ(format_tcp_flags(kTcpFin | kTcpPsh | kTcpAck), "FP.");
  EXPECT_EQ(format_tcp_flags(kTcpSyn | kTcpEce | kTcpCwr), "SEW");
  EXPECT_EQ(format_tcp_flags(0x1ff), "FSRP.UEWe");
}

TEST(FormatTest, SackAndUnknownOptions) {
  const TcpSegment s = make_segment(kTcpAck, 1, 1, 100,
                                    {Nop{}, Nop{}, Sack{{{100, 200}}}, Raw{19, {1, 2}, {}}});
  EXPECT_EQ(format_tcp(s, kClientIp, kServerIp),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [.], seq 1, ack 1, win 100, options "
            "[nop,nop,sack 1 {100:200},unknown-19 0x0102], length 0");
}

TEST(FormatTest, ArpRequestAndReply) {
  EXPECT_EQ(format_frame_bytes(captured_arp_request_frame()),
            "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
            "ARP, Request who-has 192.0.2.2 tell 192.0.2.1");
  ArpPacket reply;
  reply.operation = kArpReply;
  reply.sender_mac = kServerMac;
  reply.sender_ip = kServerIp;
  reply.target_mac = kClientMac;
  reply.target_ip = kClientIp;
  EXPECT_EQ(format_arp(reply), "ARP, Reply 192.0.2.2 is-at 02:00:00:00:00:02");
  ArpPacket unicast_request = reply;
  unicast_request.operation = kArpRequest;
  EXPECT_EQ(format_arp(unicast_request),
            "ARP, Request who-has 192.0.2.1 (02:00:00:00:00:01) tell 192.0.2.2");
  ArpPacket odd = reply;
  odd.operation = 9;
  EXPECT_EQ(format_arp(odd),
            "ARP, op 9, sender 192.0.2.2 (02:00:00:00:00:02), target 192.0.2.1 "
            "(02:00:00:00:00:01)");
}

TEST(FormatTest, FragmentAndOtherProtocols) {
  Ipv4Packet frag{client_to_server_ip(), Bytes(16, 0)};
  frag.header.identification = 4660;
  frag.header.more_fragments = true;
  frag.header.fragment_offset = 1;
  EXPECT_EQ(format_ipv4_bytes(build_ipv4(frag).value()),
            "192.0.2.1 > 192.0.2.2: TCP (frag 4660:16@8+)");
  frag.header.more_fragments = false;
  EXPECT_EQ(format_ipv4_bytes(build_ipv4(frag).value()),
            "192.0.2.1 > 192.0.2.2: TCP (frag 4660:16@8)");
  Ipv4Packet udp{client_to_server_ip(), Bytes(8, 0)};
  udp.header.protocol = kIpProtocolUdp;
  EXPECT_EQ(format_ipv4_bytes(build_ipv4(udp).value()), "192.0.2.1 > 192.0.2.2: UDP, length 8");
  udp.header.protocol = 89;
  EXPECT_EQ(format_ipv4_bytes(build_ipv4(udp).value()),
            "192.0.2.1 > 192.0.2.2: ip-proto-89, length 8");
}

TEST(FormatTest, IpOptionsShown) {
  Ipv4Header ip = client_to_server_ip();
  ip.options = {0x94, 0x04, 0x00, 0x00};
  auto bytes = build_ipv4_tcp(ip, make_segment(kTcpAck, 1, 2, 3));
  EXPECT_EQ(format_ipv4_bytes(bytes.value()),
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [.], seq 1, ack 2, win 3, length 0, "
            "ip options 0x94040000");
}

TEST(FormatTest, BadChecksumsShown) {
  Bytes frame = captured_syn_frame();
  frame[14 + 10] = 0;
  frame[14 + 11] = 0;
  frame[34 + 16] = 0xff;
  frame[34 + 17] = 0xff;
  EXPECT_EQ(format_frame_bytes(frame),
            "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74: "
            "192.0.2.1:40000 > 192.0.2.2:80 Flags [S], seq 2783719409, win 64240, options "
            "[mss 1460,sackOK,TS val 133967114 ecr 0,nop,wscale 10], length 0, "
            "bad ipv4 checksum 0x0000 (expected 0xab99), "
            "bad tcp checksum 0xffff (expected 0x2194)");
}

TEST(FormatTest, OtherEtherType) {
  EthernetFrame f{{kServerMac, kClientMac, kEtherTypeIpv6}, Bytes(40, 0)};
  EXPECT_EQ(format_frame_bytes(build_ethernet(f)),
            "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 54");
}

TEST(FormatTest, Malformed) {
  Bytes frame = captured_syn_frame();
  frame.resize(60);
  EXPECT_EQ(format_frame_bytes(frame), "malformed: ipv4: total length 60 exceeds packet length 46");
  EXPECT_EQ(format_ipv4_bytes({}),
            "malformed: ipv4: packet of 0 bytes is shorter than the 20-byte header");
  EXPECT_EQ(format_frame_bytes(make_frame(make_segment(kTcpAck, 0, 0, 0))).find("malformed"),
            std::string::npos);
}

}  // namespace
}  // namespace sp::packet
