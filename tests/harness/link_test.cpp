// Addresses, Ethernet II and ARP.
#include <gtest/gtest.h>

#include "harness/packet/address.hpp"
#include "harness/packet/arp.hpp"
#include "harness/packet/ethernet.hpp"
#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using testing::captured_arp_request_frame;
using testing::captured_syn_frame;
using testing::kClientIp;
using testing::kClientMac;
using testing::kServerIp;
using testing::kServerMac;

TEST(AddressTest, MacText) {
  EXPECT_EQ(kClientMac.to_string(), "02:00:00:00:00:01");
  EXPECT_EQ(MacAddress::broadcast().to_string(), "ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(MacAddress::parse("02:00:00:00:00:01"), kClientMac);
  EXPECT_EQ(MacAddress::parse("AA-bb-CC-dd-EE-0f")->to_string(), "aa:bb:cc:dd:ee:0f");
  EXPECT_FALSE(MacAddress::parse("02:00:00:00:00"));
  EXPECT_FALSE(MacAddress::parse("02:00:00:00:00:0g"));
  EXPECT_FALSE(MacAddress::parse("02:00:00:00:00:001"));
  EXPECT_FALSE(MacAddress::parse("02.00:00:00:00:01"));
  EXPECT_FALSE(MacAddress::parse(""));
}

TEST(AddressTest, Ipv4Text) {
  EXPECT_EQ(kClientIp.value, 0xc0000201u);
  EXPECT_EQ(kClientIp.to_string(), "192.0.2.1");
  EXPECT_EQ(Ipv4Address::parse("192.0.2.1"), kClientIp);
  EXPECT_EQ(Ipv4Address::parse("255.255.255.255")->value, 0xffffffffu);
  EXPECT_EQ(Ipv4Address::parse("0.0.0.0")->value, 0u);
  for (const char* bad : {"", "1.2.3", "1.2.3.4.", "1.2.3.256", "1..2.3", "a.b.c.d", "1.2.3.4 ",
                          "-1.2.3.4", "1.2.3.0004", "1.2.3.4.5"}) {
    EXPECT_FALSE(Ipv4Address::parse(bad)) << bad;
  }
  EXPECT_LT(kClientIp, kServerIp);
}

TEST(EthernetTest, ParsesCapturedFrame) {
  const Bytes bytes = captured_syn_frame();
  auto f = parse_ethernet(bytes);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->header.dst, kServerMac);
  EXPECT_EQ(f->header.src, kClientMac);
  EXPECT_EQ(f->header.ether_type, kEtherTypeIpv4);
  EXPECT_EQ(f->payload.size(), 60u);
  EXPECT_EQ(build_ethernet(*f), bytes);
}

TEST(EthernetTest, Truncated) {
  for (size_t size = 0; size < 14; ++size) {
    auto f = parse_ethernet(Bytes(size, 0));
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error().code, ErrorCode::kTruncated);
  }
  EXPECT_EQ(parse_ethernet(Bytes(13, 0)).error().message,
            "ethernet: frame of 13 bytes is shorter than the 14-byte header");
  auto empty = parse_ethernet(Bytes(14, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->payload.empty());
}

TEST(EthernetTest, PadsToMinimumOnRequest) {
  EthernetFrame f{{MacAddress::broadcast(), kClientMac, kEtherTypeArp}, Bytes(28, 1)};
  EXPECT_EQ(build_ethernet(f).size(), 42u);
  const Bytes padded = build_ethernet(f, {.pad_to_minimum = true});
  ASSERT_EQ(padded.size(), 60u);
  EXPECT_EQ(padded[41], 1);
  EXPECT_EQ(padded[42], 0);
  EXPECT_EQ(padded[59], 0);
  f.payload.resize(100);
  EXPECT_EQ(build_ethernet(f, {.pad_to_minimum = true}).size(), 114u);
}

TEST(EthernetTest, EtherTypeNames) {
  EXPECT_STREQ(ether_type_name(0x0800), "IPv4");
  EXPECT_STREQ(ether_type_name(0x0806), "ARP");
  EXPECT_STREQ(ether_type_name(0x86dd), "IPv6");
  EXPECT_STREQ(ether_type_name(0x8100), "802.1Q");
  EXPECT_STREQ(ether_type_name(0x88cc), "Unknown");
}

TEST(ArpTest, ParsesCapturedRequest) {
  const Bytes frame = captured_arp_request_frame();
  auto f = parse_ethernet(frame);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->header.dst, MacAddress::broadcast());
  EXPECT_EQ(f->header.ether_type, kEtherTypeArp);
  auto arp = parse_arp(f->payload);
  ASSERT_TRUE(arp.ok()) << arp.error().message;
  EXPECT_EQ(arp->operation, kArpRequest);
  EXPECT_EQ(arp->sender_mac, kClientMac);
  EXPECT_EQ(arp->sender_ip, kClientIp);
  EXPECT_EQ(arp->target_mac, MacAddress{});
  EXPECT_EQ(arp->target_ip, kServerIp);
  EXPECT_EQ(build_arp(*arp), f->payload);
}

TEST(ArpTest, ReplyRoundTripsAndIgnoresPadding) {
  ArpPacket reply;
  reply.operation = kArpReply;
  reply.sender_mac = kServerMac;
  reply.sender_ip = kServerIp;
  reply.target_mac = kClientMac;
  reply.target_ip = kClientIp;
  Bytes bytes = build_arp(reply);
  ASSERT_EQ(bytes.size(), 28u);
  bytes.resize(46, 0);  // padded to the Ethernet minimum
  auto back = parse_arp(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->operation, kArpReply);
  EXPECT_EQ(back->sender_mac, kServerMac);
  EXPECT_EQ(back->sender_ip, kServerIp);
  EXPECT_EQ(back->target_mac, kClientMac);
  EXPECT_EQ(back->target_ip, kClientIp);
}

TEST(ArpTest, Truncated) {
  const Bytes frame = captured_arp_request_frame();
  const std::span<const uint8_t> arp = std::span<const uint8_t>(frame).subspan(14);
  for (size_t size = 0; size < 28; ++size) {
    auto p = parse_arp(arp.first(size));
    ASSERT_FALSE(p.ok()) << size;
    EXPECT_EQ(p.error().code, ErrorCode::kTruncated);
  }
  EXPECT_EQ(parse_arp(arp.first(27)).error().message,
            "arp: packet of 27 bytes is shorter than the 28 bytes of Ethernet/IPv4 ARP");
  EXPECT_EQ(parse_arp(arp.first(3)).error().message,
            "arp: packet of 3 bytes is shorter than the 8-byte fixed header");
}

TEST(ArpTest, OtherHardwareOrProtocolUnsupported) {
  Bytes bytes = build_arp(ArpPacket{});
  bytes[1] = 6;  // IEEE 802 hardware type
  auto p = parse_arp(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(p.error().message,
            "arp: hardware type 6 length 6, protocol type 0x0800 length 4 is not "
            "Ethernet/IPv4 (1/6, 0x0800/4)");
  ArpPacket wrong_length;
  wrong_length.protocol_length = 16;  // written as given
  EXPECT_FALSE(parse_arp(build_arp(wrong_length)).ok());
}

}  // namespace
}  // namespace sp::packet
