// TCP options: every kind round-trips, unknown and malformed-but-bounded options are
// kept as Raw, lengths that lie are errors (never a loop or an overrun).
#include "harness/packet/tcp_option.hpp"

#include <gtest/gtest.h>

#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using namespace tcp_option;
using testing::from_hex;

// Parses `hex` and expects the options and the same bytes back.
void expect_round_trip(const std::string& hex, const TcpOptions& expected) {
  const Bytes area = from_hex(hex);
  auto parsed = parse_tcp_options(area);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, expected);
  EXPECT_EQ(build_tcp_options(*parsed), area);
  EXPECT_EQ(build_tcp_options(expected), area);
}

TEST(TcpOptionTest, EachKindRoundTrips) {
  expect_round_trip("020405b4", {Mss{1460}});
  expect_round_trip("030307", {WindowScale{7}});
  expect_round_trip("0402", {SackPermitted{}});
  expect_round_trip("080a0000000100000000", {Timestamps{1, 0}});
  expect_round_trip("080affffffff80000000", {Timestamps{0xffffffff, 0x80000000}});
  expect_round_trip("01", {Nop{}});
  expect_round_trip("00", {End{}});
  expect_round_trip("050a00000064000000c8", {Sack{{{100, 200}}}});
  expect_round_trip(
      "0522"
      "00000001000000020000000300000004000000050000000600000007ffffffff",
      {Sack{{{1, 2}, {3, 4}, {5, 6}, {7, 0xffffffff}}}});
}

TEST(TcpOptionTest, LinuxSynOptionsInOrder) {
  expect_round_trip("020405b40402080a07fc2d0a000000000103030a",
                    {Mss{1460}, SackPermitted{}, Timestamps{133967114, 0}, Nop{},
                     WindowScale{10}});
}

TEST(TcpOptionTest, EmptyAreaIsNoOptions) { expect_round_trip("", {}); }

TEST(TcpOptionTest, EndKeepsWhatFollowsAsPadding) {
  expect_round_trip("01000000", {Nop{}, End{{0, 0}}});
  // Garbage after EOL is padding, not options (RFC 9293 §3.1: EOL marks the end).
  expect_round_trip("00ff0203", {End{{0xff, 0x02, 0x03}}});
}

TEST(TcpOptionTest, UnknownKindsKeptAsRaw) {
  expect_round_trip("1304aabb", {Raw{19, {0xaa, 0xbb}, std::nullopt}});
  expect_round_trip("fe02", {Raw{254, {}, std::nullopt}});
  expect_round_trip("1e03ff01", {Raw{30, {0xff}, std::nullopt}, Nop{}});
}

TEST(TcpOptionTest, KnownKindWithWrongLengthKeptAsRaw) {
  expect_round_trip("020305", {Raw{kTcpOptionMss, {0x05}, std::nullopt}});
  expect_round_trip("0302", {Raw{kTcpOptionWindowScale, {}, std::nullopt}});
  expect_round_trip("040301", {Raw{kTcpOptionSackPermitted, {0x01}, std::nullopt}});
  expect_round_trip("0502", {Raw{kTcpOptionSack, {}, std::nullopt}});
  expect_round_trip("050600000001", {Raw{kTcpOptionSack, {0, 0, 0, 1}, std::nullopt}});
  expect_round_trip("080600000000", {Raw{kTcpOptionTimestamps, {0, 0, 0, 0}, std::nullopt}});
}

void expect_bad(const std::string& hex, const std::string& message) {
  auto parsed = parse_tcp_options(from_hex(hex));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kBadOption);
  EXPECT_EQ(parsed.error().message, message);
}

TEST(TcpOptionTest, LengthZeroOrOneIsAnErrorNotALoop) {
  expect_bad("13000000", "tcp: option kind 19 at offset 0 has length 0 (minimum 2)");
  expect_bad("0101020100", "tcp: option kind 2 at offset 2 has length 1 (minimum 2)");
}

TEST(TcpOptionTest, LengthOverrunningTheAreaIsAnError) {
  expect_bad("020405", "tcp: option kind 2 at offset 0 has length 4, overrunning the 3-byte "
                       "options area");
  expect_bad("0101ff0a00000000",
             "tcp: option kind 255 at offset 2 has length 10, overrunning the 8-byte "
             "options area");
}

TEST(TcpOptionTest, MissingLengthByteIsAnError) {
  expect_bad("010113", "tcp: option kind 19 at offset 2 has no length byte (options area is 3 "
                       "bytes)");
}

TEST(TcpOptionTest, KindWithoutLengthAtEndOfArea) {
  expect_bad("01010102", "tcp: option kind 2 at offset 3 has no length byte (options area is 4 "
                         "bytes)");
}

TEST(TcpOptionTest, RawLengthOverrideWritesTheLie) {
  const TcpOptions options = {Raw{kTcpOptionMss, {0x05, 0xb4}, uint8_t{40}}};
  EXPECT_EQ(build_tcp_options(options), from_hex("022805b4"));
  EXPECT_FALSE(parse_tcp_options(build_tcp_options(options)).ok());
  EXPECT_EQ(build_tcp_options({Raw{19, {}, uint8_t{0}}}), from_hex("1300"));
}

TEST(TcpOptionTest, Format) {
  EXPECT_EQ(format_tcp_options({Mss{1460}, SackPermitted{}, Timestamps{1, 0}, Nop{},
                                WindowScale{7}}),
            "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7");
  EXPECT_EQ(format_tcp_option(End{{0, 0}}), "eol");
  EXPECT_EQ(format_tcp_option(Sack{{{100, 200}, {300, 400}}}), "sack 2 {100:200}{300:400}");
  EXPECT_EQ(format_tcp_option(Raw{19, {0xaa, 0xbb}, std::nullopt}), "unknown-19 0xaabb");
  EXPECT_EQ(format_tcp_option(Raw{254, {}, std::nullopt}), "unknown-254");
  EXPECT_EQ(format_tcp_option(Raw{kTcpOptionMss, {0x05}, std::nullopt}),
            "mss [bad length 3] 0x05");
  EXPECT_EQ(format_tcp_option(Raw{19, {}, uint8_t{1}}), "unknown-19 [length 1]");
  EXPECT_EQ(format_tcp_options({}), "");
}

TEST(TcpOptionTest, FindOption) {
  const TcpOptions options = {Nop{}, Mss{536}, WindowScale{2}, Mss{1}};
  ASSERT_NE(find_tcp_option<Mss>(options), nullptr);
  EXPECT_EQ(find_tcp_option<Mss>(options)->value, 536);
  EXPECT_EQ(find_tcp_option<Timestamps>(options), nullptr);
}

}  // namespace
}  // namespace sp::packet
