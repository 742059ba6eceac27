// The Internet checksum: RFC 1071 known answers, odd lengths, incremental sums, and
// the checksums of a SYN captured from Linux.
#include "harness/packet/checksum.hpp"

#include <gtest/gtest.h>

#include <random>

#include "harness/packet/ipv4.hpp"
#include "harness/packet/tcp.hpp"
#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using testing::captured_syn_packet;
using testing::captured_syn_segment;
using testing::kClientIp;
using testing::kServerIp;
using testing::reference_checksum;

// RFC 1071 §3 "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2
// (with the carries folded), so the checksum is ~0xddf2 = 0x220d.
TEST(ChecksumTest, Rfc1071Example) {
  const Bytes data = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(data), 0x220d);
}

TEST(ChecksumTest, EmptyAndZerosGiveAllOnes) {
  EXPECT_EQ(internet_checksum({}), 0xffff);
  EXPECT_EQ(internet_checksum(Bytes(20, 0)), 0xffff);
}

TEST(ChecksumTest, OddLengthPadsWithZeroByte) {
  // 01 -> word 0x0100; 00 01 f2 -> 0x0001 + 0xf200 = 0xf201.
  EXPECT_EQ(internet_checksum(Bytes{0x01}), static_cast<uint16_t>(~0x0100));
  EXPECT_EQ(internet_checksum(Bytes{0x00, 0x01, 0xf2}), static_cast<uint16_t>(~0xf201));
  EXPECT_EQ(internet_checksum(Bytes{0x00, 0x01, 0xf2}),
            internet_checksum(Bytes{0x00, 0x01, 0xf2, 0x00}));
}

TEST(ChecksumTest, CarriesAreFolded) {
  // 0xffff + 0xffff + 0x0002 = 0x20000, folded: 0x0000 + 0x0002 = 0x0002 (end-around
  // carry), so the checksum is 0xfffd.
  EXPECT_EQ(internet_checksum(Bytes{0xff, 0xff, 0xff, 0xff, 0x00, 0x02}), 0xfffd);
  // Many words near the top: the 64-bit sum must fold all the way down.
  EXPECT_EQ(internet_checksum(Bytes(65534, 0xff)), 0x0000);
}

TEST(ChecksumTest, MatchesReferenceOnRandomData) {
  std::mt19937 rng(1071);
  for (int round = 0; round < 500; ++round) {
    Bytes data(rng() % 1600);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(internet_checksum(data), reference_checksum(data)) << "size " << data.size();
  }
}

TEST(ChecksumTest, IncrementalAddPairsBytesAcrossCalls) {
  std::mt19937 rng(7);
  Bytes data(301);
  for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
  for (size_t cut1 = 0; cut1 <= data.size(); cut1 += 7) {
    for (size_t cut2 = cut1; cut2 <= data.size(); cut2 += 13) {
      ChecksumAccumulator acc;
      std::span<const uint8_t> all(data);
      acc.add(all.first(cut1));
      acc.add(all.subspan(cut1, cut2 - cut1));
      acc.add(all.subspan(cut2));
      ASSERT_EQ(acc.finish(), internet_checksum(data)) << cut1 << " " << cut2;
    }
  }
}

TEST(ChecksumTest, AddWordsEqualsAddBytes) {
  ChecksumAccumulator words;
  words.add_u32(0xc0000201);
  words.add_u16(0x0006);
  ChecksumAccumulator bytes;
  bytes.add(Bytes{0xc0, 0x00, 0x02, 0x01, 0x00, 0x06});
  EXPECT_EQ(words.finish(), bytes.finish());
}

TEST(ChecksumTest, CapturedSynIpv4HeaderChecksum) {
  const Bytes packet = captured_syn_packet();
  const std::span<const uint8_t> header(packet.data(), 20);
  EXPECT_EQ(internet_checksum(header), 0);  // a right checksum sums to all ones
  const ChecksumCheck check = check_ipv4_checksum(header);
  EXPECT_TRUE(check.valid);
  EXPECT_EQ(check.found, 0xab99);
  EXPECT_EQ(check.expected, 0xab99);
}

TEST(ChecksumTest, CapturedSynTcpChecksumWithPseudoHeader) {
  const Bytes segment = captured_syn_segment();
  EXPECT_EQ(pseudo_header_checksum(kClientIp, kServerIp, kIpProtocolTcp, segment), 0);
  const ChecksumCheck check = check_tcp_checksum(kClientIp, kServerIp, segment);
  EXPECT_TRUE(check.valid);
  EXPECT_EQ(check.found, 0x2194);
  EXPECT_EQ(check.expected, 0x2194);

  // The pseudo-header written out by hand gives the same answer.
  Bytes zeroed = segment;
  zeroed[16] = 0;
  zeroed[17] = 0;
  Bytes with_pseudo = {0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x00, 0x06, 0x00, 40};
  with_pseudo.insert(with_pseudo.end(), zeroed.begin(), zeroed.end());
  EXPECT_EQ(reference_checksum(with_pseudo), 0x2194);
}

TEST(ChecksumTest, PseudoHeaderDependsOnAddresses) {
  const Bytes segment = captured_syn_segment();
  const ChecksumCheck swapped = check_tcp_checksum(kServerIp, kClientIp, segment);
  EXPECT_TRUE(swapped.valid);  // the sum is symmetric in src and dst
  const ChecksumCheck other =
      check_tcp_checksum(Ipv4Address::from_octets(192, 0, 2, 3), kServerIp, segment);
  EXPECT_FALSE(other.valid);
  EXPECT_EQ(other.found, 0x2194);
  EXPECT_EQ(other.expected, 0x2192);  // two more in the sum, two less in the complement
}

TEST(ChecksumTest, BadChecksumDetectedWithExpectedValue) {
  Bytes packet = captured_syn_packet();
  packet[10] = 0x12;
  packet[11] = 0x34;
  const ChecksumCheck check = check_ipv4_checksum(std::span<const uint8_t>(packet).first(20));
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.found, 0x1234);
  EXPECT_EQ(check.expected, 0xab99);
}

TEST(ChecksumTest, ShortHeaderIsInvalidNotACrash) {
  EXPECT_FALSE(check_ipv4_checksum(Bytes(5, 0)).valid);
  EXPECT_FALSE(check_tcp_checksum(kClientIp, kServerIp, Bytes(19, 0)).valid);
}

}  // namespace
}  // namespace sp::packet
