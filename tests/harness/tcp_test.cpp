// TCP segments: parsing the captured SYN, round-trips, computed and kept fields, and
// every structural error.
#include "harness/packet/tcp.hpp"

#include <gtest/gtest.h>

#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using namespace tcp_option;
using testing::captured_syn_segment;
using testing::from_hex;
using testing::kClientIp;
using testing::kServerIp;
using testing::make_segment;
using testing::reference_checksum;

TEST(TcpTest, ParsesCapturedSyn) {
  auto s = parse_tcp(captured_syn_segment());
  ASSERT_TRUE(s.ok()) << s.error().message;
  const TcpHeader& h = s->header;
  EXPECT_EQ(h.src_port, 40000);
  EXPECT_EQ(h.dst_port, 80);
  EXPECT_EQ(h.seq, 0xa5ec2ff1u);
  EXPECT_EQ(h.ack, 0u);
  EXPECT_EQ(h.data_offset, 10);
  EXPECT_EQ(h.reserved, 0);
  EXPECT_EQ(h.flags, kTcpSyn);
  EXPECT_TRUE(h.has(kTcpSyn));
  EXPECT_FALSE(h.has(kTcpAck));
  EXPECT_EQ(h.window, 64240);
  EXPECT_EQ(h.checksum, 0x2194);
  EXPECT_EQ(h.urgent_pointer, 0);
  const TcpOptions expected = {Mss{1460}, SackPermitted{}, Timestamps{133967114, 0}, Nop{},
                               WindowScale{10}};
  EXPECT_EQ(h.options, expected);
  EXPECT_TRUE(s->payload.empty());
}

TEST(TcpTest, CapturedSynRoundTripsComputingEverything) {
  const Bytes bytes = captured_syn_segment();
  auto s = parse_tcp(bytes);
  ASSERT_TRUE(s.ok());
  auto built = build_tcp(*s, kClientIp, kServerIp);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(*built, bytes);
  auto kept = build_tcp(*s, kClientIp, kServerIp, TcpBuildOptions::keep_all());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, bytes);
}

TEST(TcpTest, BuildComputesDataOffsetAndChecksum) {
  TcpSegment s = make_segment(kTcpSyn | kTcpAck, 1000, 2001, 65535,
                              {Mss{1460}, SackPermitted{}, Timestamps{1, 0}, Nop{},
                               WindowScale{7}});
  s.header.data_offset = 0;  // ignored: computed
  s.header.checksum = 0xdead;  // ignored: computed
  auto bytes = build_tcp(s, kClientIp, kServerIp);
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->size(), 20u + 20u);
  EXPECT_EQ((*bytes)[12] >> 4, 10);
  EXPECT_TRUE(check_tcp_checksum(kClientIp, kServerIp, *bytes).valid);
  auto back = parse_tcp(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header.options, s.header.options);
  EXPECT_EQ(back->header.flags, kTcpSyn | kTcpAck);
  EXPECT_EQ(back->header.seq, 1000u);
  EXPECT_EQ(back->header.ack, 2001u);
}

TEST(TcpTest, OptionsPaddedWithZerosToAWord) {
  TcpSegment s = make_segment(kTcpSyn, 0, 0, 1024, {Mss{536}, WindowScale{0}});
  auto bytes = build_tcp(s, kClientIp, kServerIp);
  ASSERT_TRUE(bytes.ok());
  ASSERT_EQ(bytes->size(), 28u);
  EXPECT_EQ(Bytes(bytes->begin() + 20, bytes->end()), from_hex("0204021803030000"));
  auto back = parse_tcp(*bytes);
  ASSERT_TRUE(back.ok());
  const TcpOptions expected = {Mss{536}, WindowScale{0}, End{}};
  EXPECT_EQ(back->header.options, expected);
}

TEST(TcpTest, EveryOptionRoundTripsThroughASegment) {
  const std::vector<TcpOptions> cases = {
      {Mss{1460}},
      {Nop{}, WindowScale{14}},
      {Nop{}, Nop{}, SackPermitted{}},
      {Nop{}, Nop{}, Timestamps{0xfffffffe, 0x12345678}},
      {Nop{}, Nop{}, Sack{{{1, 2}, {3, 4}, {5, 6}}}},
      {Nop{}, Nop{}, Timestamps{5, 6}, Nop{}, Nop{}, Sack{{{7, 8}}}},
      {Raw{19, Bytes(16, 0xab), std::nullopt}, Nop{}, Nop{}},
      {Raw{34, {}, std::nullopt}, Nop{}, End{{}}},
      {Nop{}, End{{0, 0}}},
  };
  for (const TcpOptions& options : cases) {
    TcpSegment s = make_segment(kTcpAck, 5, 6, 100, options, {'h', 'i'});
    auto bytes = build_tcp(s, kClientIp, kServerIp);
    ASSERT_TRUE(bytes.ok()) << format_tcp_options(options);
    auto back = parse_tcp(*bytes);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->header.options, options) << format_tcp_options(back->header.options);
    EXPECT_EQ(back->payload, s.payload);
    EXPECT_TRUE(check_tcp_checksum(kClientIp, kServerIp, *bytes).valid);
  }
}

TEST(TcpTest, AllFlagBitsAndReservedBits) {
  TcpSegment s = make_segment(0x1ff, 1, 2, 3);
  s.header.reserved = 0x5;
  s.header.urgent_pointer = 0xbeef;
  auto bytes = build_tcp(s, kClientIp, kServerIp);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[12], 0x5b);  // offset 5, reserved 101, AE 1
  EXPECT_EQ((*bytes)[13], 0xff);
  auto back = parse_tcp(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->header.flags, 0x1ff);
  EXPECT_EQ(back->header.reserved, 0x5);
  EXPECT_EQ(back->header.urgent_pointer, 0xbeef);
}

TEST(TcpTest, OddLengthPayloadChecksum) {
  for (size_t length : {1u, 3u, 7u, 1459u}) {
    Bytes payload(length);
    for (size_t i = 0; i < length; ++i) payload[i] = static_cast<uint8_t>(i * 37 + 11);
    TcpSegment s = make_segment(kTcpAck | kTcpPsh, 1, 1, 502, {}, payload);
    auto bytes = build_tcp(s, kClientIp, kServerIp);
    ASSERT_TRUE(bytes.ok());
    EXPECT_TRUE(check_tcp_checksum(kClientIp, kServerIp, *bytes).valid) << length;
    // The same with the pseudo-header spelled out and the slow reference sum.
    Bytes pseudo = {0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x06,
                    static_cast<uint8_t>(bytes->size() >> 8),
                    static_cast<uint8_t>(bytes->size())};
    pseudo.insert(pseudo.end(), bytes->begin(), bytes->end());
    EXPECT_EQ(reference_checksum(pseudo), 0) << length;
  }
}

TEST(TcpTest, KeepChecksumInjectsABadOne) {
  TcpSegment s = make_segment(kTcpSyn, 0, 0, 65535);
  s.header.checksum = 0x1234;
  auto bytes = build_tcp(s, kClientIp, kServerIp, {.keep_checksum = true});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[16], 0x12);
  EXPECT_EQ((*bytes)[17], 0x34);
  const ChecksumCheck check = check_tcp_checksum(kClientIp, kServerIp, *bytes);
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.found, 0x1234);
  auto good = build_tcp(s, kClientIp, kServerIp);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(check.expected, ((*good)[16] << 8) | (*good)[17]);
}

TEST(TcpTest, KeepDataOffsetWritesTheLie) {
  TcpSegment s = make_segment(kTcpSyn, 0, 0, 65535);
  s.header.data_offset = 15;
  auto bytes = build_tcp(s, kClientIp, kServerIp, {.keep_data_offset = true});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[12] >> 4, 15);
  auto back = parse_tcp(*bytes);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().message, "tcp: data offset 15 words exceeds segment length 20");
}

TEST(TcpTest, OptionsOverFortyBytesDoNotBuild) {
  TcpSegment s = make_segment(kTcpAck, 0, 0, 1,
                              {Sack{{{1, 2}, {3, 4}, {5, 6}, {7, 8}}}, Mss{1}, WindowScale{1}});
  auto bytes = build_tcp(s, kClientIp, kServerIp);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().code, ErrorCode::kTooLong);
  EXPECT_EQ(bytes.error().message,
            "tcp: options of 41 bytes exceed the 40 bytes a TCP header can carry");
  // Exactly 40 bytes fit: data offset 15.
  s.header.options.pop_back();
  s.header.options.push_back(Nop{});
  s.header.options.push_back(Nop{});
  auto fits = build_tcp(s, kClientIp, kServerIp);
  ASSERT_TRUE(fits.ok());
  EXPECT_EQ((*fits)[12] >> 4, 15);
}

TEST(TcpTest, SegmentOver65535BytesDoesNotBuild) {
  TcpSegment s = make_segment(kTcpAck, 0, 0, 1, {}, Bytes(65516, 0));
  auto bytes = build_tcp(s, kClientIp, kServerIp);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "tcp: segment of 65536 bytes exceeds 65535");
}

TEST(TcpTest, ShorterThanHeader) {
  for (size_t size = 0; size < 20; ++size) {
    auto s = parse_tcp(Bytes(size, 0x50));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kTruncated);
  }
  EXPECT_EQ(parse_tcp(Bytes(7, 0)).error().message,
            "tcp: segment of 7 bytes is shorter than the 20-byte header");
}

TEST(TcpTest, DataOffsetBelowFive) {
  for (uint8_t offset = 0; offset < 5; ++offset) {
    Bytes bytes(40, 0);
    bytes[12] = static_cast<uint8_t>(offset << 4);
    auto s = parse_tcp(bytes);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kBadLength);
    EXPECT_EQ(s.error().message,
              "tcp: data offset " + std::to_string(offset) + " words is less than the minimum 5");
  }
}

TEST(TcpTest, DataOffsetBeyondSegment) {
  Bytes bytes(20, 0);
  bytes[12] = 0xf0;
  auto s = parse_tcp(bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTruncated);
  EXPECT_EQ(s.error().message, "tcp: data offset 15 words exceeds segment length 20");
}

TEST(TcpTest, CapturedSynTruncatedInsideOptions) {
  const Bytes bytes = captured_syn_segment();
  for (size_t size = 20; size < bytes.size(); ++size) {
    auto s = parse_tcp(std::span<const uint8_t>(bytes).first(size));
    ASSERT_FALSE(s.ok()) << size;
    EXPECT_EQ(s.error().message,
              "tcp: data offset 10 words exceeds segment length " + std::to_string(size));
  }
}

TEST(TcpTest, OptionErrorsSurfaceFromParse) {
  Bytes bytes = captured_syn_segment();
  bytes[21] = 0;  // mss length 0
  auto s = parse_tcp(bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadOption);
  EXPECT_EQ(s.error().message, "tcp: option kind 2 at offset 0 has length 0 (minimum 2)");
}

}  // namespace
}  // namespace sp::packet
