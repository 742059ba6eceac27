// IPv4: the captured header, round-trips, options, fragments, and each length rule.
#include "harness/packet/ipv4.hpp"

#include <gtest/gtest.h>

#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using testing::captured_syn_packet;
using testing::client_to_server_ip;
using testing::from_hex;
using testing::kClientIp;
using testing::kServerIp;

TEST(Ipv4Test, ParsesCapturedSyn) {
  const Bytes bytes = captured_syn_packet();
  auto p = parse_ipv4(bytes);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Ipv4Header& h = p->header;
  EXPECT_EQ(h.version, 4);
  EXPECT_EQ(h.header_length, 5);
  EXPECT_EQ(h.tos, 0);
  EXPECT_EQ(h.total_length, 60);
  EXPECT_EQ(h.identification, 0x0b1f);
  EXPECT_FALSE(h.reserved_flag);
  EXPECT_TRUE(h.dont_fragment);
  EXPECT_FALSE(h.more_fragments);
  EXPECT_EQ(h.fragment_offset, 0);
  EXPECT_FALSE(h.is_fragment());
  EXPECT_EQ(h.ttl, 64);
  EXPECT_EQ(h.protocol, kIpProtocolTcp);
  EXPECT_EQ(h.checksum, 0xab99);
  EXPECT_EQ(h.src, kClientIp);
  EXPECT_EQ(h.dst, kServerIp);
  EXPECT_TRUE(h.options.empty());
  EXPECT_EQ(p->payload, Bytes(bytes.begin() + 20, bytes.end()));
}

TEST(Ipv4Test, CapturedSynRoundTrips) {
  const Bytes bytes = captured_syn_packet();
  auto p = parse_ipv4(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(build_ipv4(*p).value(), bytes);
  EXPECT_EQ(build_ipv4(*p, Ipv4BuildOptions::keep_all()).value(), bytes);
}

TEST(Ipv4Test, BuildComputesLengthsAndChecksum) {
  Ipv4Packet p{client_to_server_ip(), Bytes(11, 0x42)};
  p.header.protocol = kIpProtocolUdp;
  p.header.header_length = 0;
  p.header.total_length = 0;
  p.header.checksum = 0xffff;
  auto bytes = build_ipv4(p);
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->size(), 31u);
  EXPECT_EQ((*bytes)[0], 0x45);
  EXPECT_EQ(((*bytes)[2] << 8) | (*bytes)[3], 31);
  EXPECT_TRUE(check_ipv4_checksum(std::span<const uint8_t>(*bytes).first(20)).valid);
}

TEST(Ipv4Test, AllHeaderFieldsRoundTrip) {
  Ipv4Packet p{client_to_server_ip(), {1, 2, 3}};
  Ipv4Header& h = p.header;
  h.tos = 0xb9;
  h.identification = 0xfedc;
  h.reserved_flag = true;
  h.dont_fragment = false;
  h.more_fragments = true;
  h.fragment_offset = 0x1abc;
  h.ttl = 1;
  h.protocol = 253;
  auto bytes = build_ipv4(p);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[6], 0xba);  // reserved, MF, top of offset 0x1abc
  EXPECT_EQ((*bytes)[7], 0xbc);
  auto back = parse_ipv4(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header.tos, 0xb9);
  EXPECT_EQ(back->header.identification, 0xfedc);
  EXPECT_TRUE(back->header.reserved_flag);
  EXPECT_FALSE(back->header.dont_fragment);
  EXPECT_TRUE(back->header.more_fragments);
  EXPECT_EQ(back->header.fragment_offset, 0x1abc);
  EXPECT_EQ(back->header.ttl, 1);
  EXPECT_EQ(back->header.protocol, 253);
  EXPECT_EQ(back->payload, (Bytes{1, 2, 3}));
}

TEST(Ipv4Test, OptionsAreSkippedAndKept) {
  // Router Alert (RFC 2113): 94 04 00 00, so IHL 6.
  Ipv4Packet p{client_to_server_ip(), {0xaa, 0xbb}};
  p.header.options = from_hex("94040000");
  auto bytes = build_ipv4(p);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0], 0x46);
  EXPECT_EQ(bytes->size(), 26u);
  auto back = parse_ipv4(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header.header_length, 6);
  EXPECT_EQ(back->header.options, from_hex("94040000"));
  EXPECT_EQ(back->payload, (Bytes{0xaa, 0xbb}));
  EXPECT_TRUE(check_ipv4_checksum(std::span<const uint8_t>(*bytes).first(24)).valid);
}

TEST(Ipv4Test, OptionsPaddedToAWordAndMaximumForty) {
  Ipv4Packet p{client_to_server_ip(), {}};
  p.header.options = {0x01, 0x01, 0x01};  // three NOPs, padded with one EOL
  auto bytes = build_ipv4(p);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0], 0x46);
  EXPECT_EQ(parse_ipv4(*bytes)->header.options, (Bytes{1, 1, 1, 0}));

  p.header.options = Bytes(40, 0x01);
  bytes = build_ipv4(p);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0], 0x4f);
  auto back = parse_ipv4(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header.options.size(), 40u);

  p.header.options = Bytes(41, 0x01);
  auto too_long = build_ipv4(p);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, ErrorCode::kTooLong);
  EXPECT_EQ(too_long.error().message,
            "ipv4: options of 41 bytes exceed the 40 bytes an IPv4 header can carry");
}

TEST(Ipv4Test, TotalLengthOver65535DoesNotBuild) {
  Ipv4Packet p{client_to_server_ip(), Bytes(65516, 0)};
  auto bytes = build_ipv4(p);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "ipv4: total length 65536 exceeds 65535");
  p.payload.pop_back();
  EXPECT_TRUE(build_ipv4(p).ok());
}

TEST(Ipv4Test, KeepFieldsInjectsInconsistentValues) {
  Ipv4Packet p{client_to_server_ip(), Bytes(8, 0)};
  p.header.header_length = 4;
  p.header.total_length = 1000;
  p.header.checksum = 0xbad0;
  auto bytes = build_ipv4(p, Ipv4BuildOptions::keep_all());
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[0], 0x44);
  EXPECT_EQ(((*bytes)[2] << 8) | (*bytes)[3], 1000);
  EXPECT_EQ(((*bytes)[10] << 8) | (*bytes)[11], 0xbad0);
  EXPECT_EQ(bytes->size(), 28u);  // the content is what it is
  auto back = parse_ipv4(*bytes);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().message, "ipv4: header length 4 words is less than the minimum 5");
}

TEST(Ipv4Test, TrailingBytesAreNotPayload) {
  Bytes bytes = captured_syn_packet();
  bytes.insert(bytes.end(), 6, 0);  // Ethernet padding
  auto p = parse_ipv4(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->payload.size(), 40u);
}

TEST(Ipv4Test, ShorterThanHeader) {
  const Bytes bytes = captured_syn_packet();
  for (size_t size = 0; size < 20; ++size) {
    auto p = parse_ipv4(std::span<const uint8_t>(bytes).first(size));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, ErrorCode::kTruncated);
    EXPECT_EQ(p.error().message, "ipv4: packet of " + std::to_string(size) +
                                     " bytes is shorter than the 20-byte header");
  }
}

TEST(Ipv4Test, WrongVersion) {
  Bytes bytes = captured_syn_packet();
  bytes[0] = 0x65;
  auto p = parse_ipv4(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kBadField);
  EXPECT_EQ(p.error().message, "ipv4: version 6, expected 4");
}

TEST(Ipv4Test, HeaderLengthBelowFive) {
  Bytes bytes = captured_syn_packet();
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    bytes[0] = static_cast<uint8_t>(0x40 | ihl);
    auto p = parse_ipv4(bytes);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, ErrorCode::kBadLength);
  }
}

TEST(Ipv4Test, HeaderLengthBeyondBuffer) {
  Bytes bytes = captured_syn_packet();
  bytes.resize(24);
  bytes[0] = 0x47;
  auto p = parse_ipv4(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kTruncated);
  EXPECT_EQ(p.error().message, "ipv4: header length 7 words (28 bytes) exceeds packet length 24");
}

TEST(Ipv4Test, TotalLengthBelowHeaderLength) {
  Bytes bytes = captured_syn_packet();
  bytes[2] = 0;
  bytes[3] = 19;
  auto p = parse_ipv4(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kBadLength);
  EXPECT_EQ(p.error().message, "ipv4: total length 19 is less than the header length 20");
}

TEST(Ipv4Test, TotalLengthBeyondBuffer) {
  Bytes bytes = captured_syn_packet();
  bytes[3] = 61;
  auto p = parse_ipv4(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kTruncated);
  EXPECT_EQ(p.error().message, "ipv4: total length 61 exceeds packet length 60");
}

TEST(Ipv4Test, Fragments) {
  Ipv4Packet p{client_to_server_ip(), Bytes(16, 0)};
  EXPECT_FALSE(p.header.is_fragment());
  p.header.more_fragments = true;
  EXPECT_TRUE(p.header.is_fragment());  // the first fragment
  p.header.more_fragments = false;
  p.header.fragment_offset = 2;
  EXPECT_TRUE(p.header.is_fragment());  // the last fragment
  auto back = parse_ipv4(build_ipv4(p).value());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->header.is_fragment());
  EXPECT_EQ(back->header.fragment_offset, 2);
}

TEST(Ipv4Test, ProtocolNames) {
  EXPECT_EQ(ip_protocol_name(6), "TCP");
  EXPECT_EQ(ip_protocol_name(17), "UDP");
  EXPECT_EQ(ip_protocol_name(1), "ICMP");
  EXPECT_EQ(ip_protocol_name(89), "ip-proto-89");
}

}  // namespace
}  // namespace sp::packet
