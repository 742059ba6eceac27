// An injected segment without the ACK bit carries 0 in its acknowledgment field (as the
// pcaps `gen` writes), whatever ack the test line names; a raw ack=#N is sent as written.
#include <gtest/gtest.h>

#include "harness/match/match.hpp"
#include "harness/suite/parse.hpp"

namespace sp::harness {
namespace {

// The acknowledgment field of the segment `inject` builds for the test's only line.
uint32_t injected_ack(const std::string& line, std::optional<uint32_t> iut_isn) {
  ParseOutcome parsed = parse_test("test t\n+0 call listen\n+0 inject " + line + "\n", "t.spt");
  EXPECT_TRUE(parsed.test) << (parsed.errors.empty() ? "" : parsed.errors[0].format());
  if (!parsed.test) return 0xdeadbeef;
  SeqContext ctx;
  ctx.iut_isn = iut_isn;
  AddressBook book;
  auto bytes = build_tcp_injection(parsed.test->events.at(1).fields, ctx, book, LinkType::kIpv4, 0);
  EXPECT_TRUE(bytes.ok());
  if (!bytes.ok()) return 0xdeadbeef;
  const packet::Bytes& b = bytes.value();
  EXPECT_GE(b.size(), 40u);
  return uint32_t{b[28]} << 24 | uint32_t{b[29]} << 16 | uint32_t{b[30]} << 8 | b[31];
}

TEST(InjectionAck, ZeroWithoutTheAckBit) {
  EXPECT_EQ(injected_ack("flags=S seq=0 ack=5", 7000), 0u);
  EXPECT_EQ(injected_ack("flags=R seq=0 ack=1", 7000), 0u);
  EXPECT_EQ(injected_ack("flags=S seq=0", std::nullopt), 0u);
}

TEST(InjectionAck, TheTestsValueWithTheAckBit) {
  EXPECT_EQ(injected_ack("flags=SA seq=0 ack=5", 7000), 7005u);
  EXPECT_EQ(injected_ack("flags=RA seq=0 ack=1", 7000), 7001u);
}

TEST(InjectionAck, RawValueIsSentAsWritten) {
  EXPECT_EQ(injected_ack("flags=S seq=0 ack=#12345", 7000), 12345u);
}

}  // namespace
}  // namespace sp::harness
