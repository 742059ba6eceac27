// Whole-packet decoding: layers, checksum reports, fragments, other protocols, and
// robustness against every truncation and every single-byte corruption.
#include "harness/packet/decode.hpp"

#include <gtest/gtest.h>

#include <random>

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

TEST(DecodeTest, CapturedSynFrame) {
  auto d = decode_frame(captured_syn_frame());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_FALSE(d->arp);
  ASSERT_TRUE(d->ipv4);
  ASSERT_TRUE(d->ipv4->tcp);
  EXPECT_EQ(d->ipv4->tcp->header.flags, kTcpSyn);
  EXPECT_TRUE(d->ipv4->ip_checksum.valid);
  ASSERT_TRUE(d->ipv4->tcp_checksum);
  EXPECT_TRUE(d->ipv4->tcp_checksum->valid);
  EXPECT_TRUE(d->checksums_ok());
  EXPECT_FALSE(d->checksum_error());
  EXPECT_EQ(d->ipv4->trailing_bytes, 0u);
}

TEST(DecodeTest, CapturedSynPacketAsFromTun) {
  auto d = decode_ipv4(captured_syn_packet());
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->tcp);
  EXPECT_EQ(d->tcp->header.seq, 0xa5ec2ff1u);
  EXPECT_TRUE(d->checksums_ok());
}

TEST(DecodeTest, CapturedArpFrame) {
  auto d = decode_frame(captured_arp_request_frame());
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->arp);
  EXPECT_FALSE(d->ipv4);
  EXPECT_EQ(d->arp->target_ip, kServerIp);
  EXPECT_TRUE(d->checksums_ok());
}

TEST(DecodeTest, BadIpv4ChecksumReportedNotFatal) {
  Bytes frame = captured_syn_frame();
  frame[14 + 10] ^= 0x01;
  auto d = decode_frame(frame);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->checksums_ok());
  EXPECT_FALSE(d->ipv4->ip_checksum.valid);
  EXPECT_TRUE(d->ipv4->tcp_checksum->valid);
  ASSERT_TRUE(d->checksum_error());
  EXPECT_EQ(d->checksum_error()->code, ErrorCode::kBadChecksum);
  EXPECT_EQ(d->checksum_error()->message, "ipv4: bad checksum 0xaa99, expected 0xab99");
}

TEST(DecodeTest, BadTcpChecksumFromFlippedPayloadBit) {
  Bytes frame = make_frame(make_segment(kTcpAck | kTcpPsh, 1, 1, 502, {}, {'a', 'b', 'c'}));
  frame.back() ^= 0x80;
  auto d = decode_frame(frame);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->ipv4->ip_checksum.valid);
  EXPECT_FALSE(d->ipv4->tcp_checksum->valid);
  ASSERT_TRUE(d->checksum_error());
  EXPECT_EQ(d->checksum_error()->message.rfind("tcp: bad checksum 0x", 0), 0u)
      << d->checksum_error()->message;
}

TEST(DecodeTest, BothChecksumsBad) {
  EthernetHeader eth{kServerMac, kClientMac, kEtherTypeIpv4};
  Ipv4Header ip = client_to_server_ip();
  ip.checksum = 0x1111;
  TcpSegment tcp = make_segment(kTcpRst, 5, 0, 0);
  tcp.header.checksum = 0x2222;
  auto frame = build_frame_tcp(eth, ip, tcp,
                               {.ip = {.keep_checksum = true}, .tcp = {.keep_checksum = true}});
  ASSERT_TRUE(frame.ok());
  auto d = decode_frame(*frame);
  ASSERT_TRUE(d.ok());
  const std::string message = d->checksum_error()->message;
  EXPECT_EQ(message.find("ipv4: bad checksum 0x1111, expected 0x"), 0u) << message;
  EXPECT_NE(message.find("; tcp: bad checksum 0x2222, expected 0x"), std::string::npos)
      << message;
}

TEST(DecodeTest, EthernetPaddingIsTrailingBytes) {
  Bytes frame = make_frame(make_segment(kTcpAck, 1, 1, 100));
  ASSERT_EQ(frame.size(), 54u);
  frame.resize(60, 0);
  auto d = decode_frame(frame);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ipv4->trailing_bytes, 6u);
  EXPECT_TRUE(d->ipv4->tcp->payload.empty());
  EXPECT_TRUE(d->checksums_ok());
}

TEST(DecodeTest, IpOptionsSkippedBeforeTcp) {
  Ipv4Header ip = client_to_server_ip();
  ip.options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};  // router alert, nops, eol
  const TcpSegment tcp = make_segment(kTcpSyn, 7, 0, 29200, {Mss{1460}});
  auto bytes = build_ipv4_tcp(ip, tcp);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0], 0x47);
  auto d = decode_ipv4(*bytes);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->ip.header.options, ip.options);
  ASSERT_TRUE(d->tcp);
  EXPECT_EQ(d->tcp->header.src_port, 40000);
  EXPECT_EQ(d->tcp->header.seq, 7u);
  EXPECT_EQ(d->tcp->header.options, TcpOptions{Mss{1460}});
  EXPECT_TRUE(d->checksums_ok());
}

TEST(DecodeTest, FragmentsAreNotParsedAsTcp) {
  // A first fragment (MF) holding a TCP header with a data offset that would be
  // invalid, and a later fragment (offset 3) holding arbitrary bytes.
  Ipv4Packet first{client_to_server_ip(), Bytes(24, 0xff)};
  first.header.dont_fragment = false;
  first.header.more_fragments = true;
  first.header.identification = 0x1234;
  auto d = decode_ipv4(build_ipv4(first).value());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->is_fragment());
  EXPECT_FALSE(d->tcp);
  EXPECT_FALSE(d->tcp_checksum);
  EXPECT_TRUE(d->checksums_ok());

  Ipv4Packet last = first;
  last.header.more_fragments = false;
  last.header.fragment_offset = 3;
  last.payload = {1, 2, 3};
  d = decode_ipv4(build_ipv4(last).value());
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->is_fragment());
  EXPECT_FALSE(d->tcp);
}

TEST(DecodeTest, OtherIpProtocolsCarriedRaw) {
  Ipv4Packet udp{client_to_server_ip(), {0x9c, 0x40, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00}};
  udp.header.protocol = kIpProtocolUdp;
  auto d = decode_ipv4(build_ipv4(udp).value());
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->tcp);
  EXPECT_EQ(d->ip.payload, udp.payload);
}

TEST(DecodeTest, OtherEtherTypesAreNotErrors) {
  for (uint16_t type : {kEtherTypeIpv6, kEtherTypeVlan, uint16_t{0x88cc}, uint16_t{0x0040}}) {
    EthernetFrame f{{kServerMac, kClientMac, type}, Bytes(46, 0x60)};
    auto d = decode_frame(build_ethernet(f));
    ASSERT_TRUE(d.ok()) << type;
    EXPECT_FALSE(d->arp);
    EXPECT_FALSE(d->ipv4);
    EXPECT_EQ(d->ethernet.header.ether_type, type);
    EXPECT_TRUE(d->checksums_ok());
  }
}

TEST(DecodeTest, TcpErrorFailsTheDecode) {
  Bytes frame = captured_syn_frame();
  frame[34 + 12] = 0x40;  // data offset 4
  auto d = decode_frame(frame);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "tcp: data offset 4 words is less than the minimum 5");
}

TEST(DecodeTest, Ipv6OverIpv4EtherTypeIsAnError) {
  Bytes frame = captured_syn_frame();
  frame[14] = 0x60;
  auto d = decode_frame(frame);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, "ipv4: version 6, expected 4");
}

// Every prefix of a valid SYN frame is an error, never a crash; the whole frame is not.
TEST(DecodeTest, EveryTruncationOfSynFrameIsAnError) {
  const Bytes frame = captured_syn_frame();
  for (size_t size = 0; size < frame.size(); ++size) {
    auto d = decode_frame(std::span<const uint8_t>(frame).first(size));
    ASSERT_FALSE(d.ok()) << "decoded a frame truncated to " << size << " bytes";
    EXPECT_FALSE(d.error().message.empty());
    EXPECT_EQ(d.error().code, ErrorCode::kTruncated) << d.error().message;
  }
  EXPECT_TRUE(decode_frame(frame).ok());
}

TEST(DecodeTest, EveryTruncationOfSynPacketIsAnError) {
  const Bytes packet = captured_syn_packet();
  for (size_t size = 0; size < packet.size(); ++size) {
    auto d = decode_ipv4(std::span<const uint8_t>(packet).first(size));
    ASSERT_FALSE(d.ok()) << size;
  }
  EXPECT_TRUE(decode_ipv4(packet).ok());
}

// Rebuilds a decoded frame layer by layer, keeping every stored length and checksum.
Bytes rebuild(const DecodedFrame& d) {
  Bytes payload = d.ethernet.payload;
  if (d.arp) {
    const Bytes arp = build_arp(*d.arp);
    std::copy(arp.begin(), arp.end(), payload.begin());
  } else if (d.ipv4) {
    Ipv4Packet ip = d.ipv4->ip;
    if (d.ipv4->tcp) {
      ip.payload = build_tcp(*d.ipv4->tcp, ip.header.src, ip.header.dst,
                             TcpBuildOptions::keep_all())
                       .value();
    }
    const Bytes packet = build_ipv4(ip, Ipv4BuildOptions::keep_all()).value();
    std::copy(packet.begin(), packet.end(), payload.begin());
  }
  return build_ethernet(EthernetFrame{d.ethernet.header, payload});
}

// Every byte of the SYN frame set to every value: decoding either fails cleanly or
// gives a packet that builds back to the same bytes.
TEST(DecodeTest, EverySingleByteCorruptionDecodesOrErrors) {
  const Bytes frame = captured_syn_frame();
  size_t decoded = 0;
  for (size_t at = 0; at < frame.size(); ++at) {
    for (int value = 0; value < 256; ++value) {
      Bytes mutated = frame;
      mutated[at] = static_cast<uint8_t>(value);
      auto d = decode_frame(mutated);
      if (!d.ok()) {
        ASSERT_FALSE(d.error().message.empty());
        continue;
      }
      ++decoded;
      ASSERT_EQ(rebuild(*d), mutated) << "byte " << at << " = " << value;
    }
  }
  EXPECT_GT(decoded, frame.size() * 128);
}

TEST(DecodeTest, RandomBytesNeverCrash) {
  std::mt19937 rng(826);
  for (int round = 0; round < 20000; ++round) {
    Bytes bytes(rng() % 120);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    if (bytes.size() > 14 && round % 2 == 0) {
      bytes[12] = 0x08;
      bytes[13] = round % 4 == 0 ? 0x00 : 0x06;
      if (round % 4 == 0) bytes[14] = static_cast<uint8_t>(0x45 + rng() % 11);
    }
    auto d = decode_frame(bytes);
    if (d.ok()) {
      ASSERT_EQ(rebuild(*d), bytes);
    }
    auto p = decode_ipv4(bytes);
    (void)p;
  }
}

TEST(DecodeTest, BuildFrameArp) {
  ArpPacket reply;
  reply.operation = kArpReply;
  reply.sender_mac = kServerMac;
  reply.sender_ip = kServerIp;
  reply.target_mac = kClientMac;
  reply.target_ip = kClientIp;
  const Bytes frame =
      build_frame_arp({kClientMac, kServerMac, kEtherTypeArp}, reply, {.pad_to_minimum = true});
  EXPECT_EQ(frame.size(), 60u);
  auto d = decode_frame(frame);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->arp);
  EXPECT_EQ(d->arp->sender_mac, kServerMac);
}

TEST(DecodeTest, BuildErrorsPropagate) {
  TcpSegment tcp = make_segment(kTcpAck, 0, 0, 0, {Raw{99, Bytes(50, 0), std::nullopt}});
  auto frame = build_frame_tcp({kServerMac, kClientMac, kEtherTypeIpv4}, client_to_server_ip(),
                               tcp);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, ErrorCode::kTooLong);
}

}  // namespace
}  // namespace sp::packet
