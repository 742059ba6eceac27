// The executor and the matcher against a scripted fake target: relative sequence
// numbers, wildcards and ranges, timing tolerances, strictness, allow -> inconclusive,
// malformed and bad-checksum packets, state and cache expectations. No privileges.
#include <gtest/gtest.h>

#include "harness/engine/executor.hpp"
#include "harness/match/match.hpp"
#include "harness/packet/arp.hpp"
#include "harness/packet/ethernet.hpp"
#include "harness/report/report.hpp"
#include "harness/suite/parse.hpp"
#include "tests/harness_run/fake_target.hpp"

namespace sp::harness {
namespace {

using testing::FakeTarget;
using testing::iut_segment;
using testing::tcp_of;

constexpr uint32_t kIutIsn = 0x89abcdef;
constexpr uint32_t kTesterIsn = 1000000;

TestCase parse(const std::string& text) {
  ParseOutcome p = parse_test(text, "x.spt");
  for (const ParseError& e : p.errors) ADD_FAILURE() << e.format();
  return p.test.value_or(TestCase{});
}

// A listener that answers a SYN with a SYN-ACK after `delay`.
void listen_like_linux(FakeTarget& t, double delay = 0.001, uint16_t synack_flags = packet::kTcpSyn | packet::kTcpAck) {
  t.responder = [=](const std::vector<uint8_t>& in) {
    std::vector<std::pair<double, std::vector<uint8_t>>> out;
    packet::TcpSegment s = tcp_of(in);
    if (s.header.has(packet::kTcpSyn) && !s.header.has(packet::kTcpAck)) {
      out.push_back({delay, iut_segment(synack_flags, kIutIsn, s.header.seq + 1)});
    }
    return out;
  };
}

TestResult run(const std::string& text, FakeTarget& target) {
  TestCase t = parse(text);
  ExecuteOptions o;
  o.tester_isn = kTesterIsn;
  TestResult r = execute_test(t, target, o);
  r.diff = render_diff(r);
  return r;
}

const std::string kPassiveOpen =
    "test p\n"
    "+0 call listen\n"
    "+0 inject flags=S seq=0 win=65535 mss=1460\n"
    "+0 expect flags=SA seq=0 ack=1 win=* within 0.2\n";

TEST(RunExecutor, PassiveOpenPasses) {
  FakeTarget t;
  listen_like_linux(t);
  TestResult r = run(kPassiveOpen, t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  ASSERT_EQ(t.injected.size(), 1u);
  packet::TcpSegment syn = tcp_of(t.injected[0]);
  EXPECT_EQ(syn.header.seq, kTesterIsn);
  EXPECT_EQ(syn.header.src_port, 40000);
  EXPECT_EQ(syn.header.dst_port, 8080);
  ASSERT_NE(packet::find_tcp_option<packet::tcp_option::Mss>(syn.header.options), nullptr);
  ASSERT_EQ(r.packets.size(), 2u);
  EXPECT_EQ(r.packets[0].disposition, "injected");
  EXPECT_EQ(r.packets[1].disposition, "expected");
  EXPECT_EQ(r.packets[1].line, 4);
}

TEST(RunExecutor, LearnsIsnAndAcknowledgesRelatively) {
  FakeTarget t;
  listen_like_linux(t);
  TestResult r = run(kPassiveOpen + "+0 inject flags=A seq=1 ack=1\n+0 inject flags=A\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  ASSERT_EQ(t.injected.size(), 3u);
  EXPECT_EQ(tcp_of(t.injected[1]).header.ack, kIutIsn + 1);
  EXPECT_EQ(tcp_of(t.injected[1]).header.seq, kTesterIsn + 1);
  // Defaults: the tester's next sequence number, and the IUT's next one acknowledged.
  EXPECT_EQ(tcp_of(t.injected[2]).header.seq, kTesterIsn + 1);
  EXPECT_EQ(tcp_of(t.injected[2]).header.ack, kIutIsn + 1);
}

TEST(RunExecutor, FieldMismatchFailsWithDiff) {
  FakeTarget t;
  listen_like_linux(t, 0.001, packet::kTcpRst | packet::kTcpAck);
  TestResult r = run(kPassiveOpen, t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "packet");
  EXPECT_EQ(r.failure->line, 4);
  EXPECT_NE(r.diff.find("x.spt:4: fail: the packet from the IUT does not match the expect"), std::string::npos)
      << r.diff;
  EXPECT_NE(r.diff.find("flags: expected: SA vs actual: RA"), std::string::npos) << r.diff;
  EXPECT_NE(r.diff.find("observed: 192.0.2.1:8080 > 192.0.2.2:40000 Flags [R.]"), std::string::npos) << r.diff;
  EXPECT_NE(r.diff.find("line 4: +0 expect flags=SA seq=0 ack=1 win=* within 0.2"), std::string::npos);
}

TEST(RunExecutor, RangesAndWrongAck) {
  FakeTarget t;
  listen_like_linux(t);
  TestResult ok = run(
      "test r\n+0 call listen\n+0 inject flags=S seq=0\n"
      "+0 expect flags=SA seq=[0..0] ack=[1..5] win=[1000..65535]\n",
      t);
  EXPECT_EQ(ok.verdict, Verdict::kPass) << ok.diff;
  FakeTarget t2;
  listen_like_linux(t2);
  TestResult bad = run("test r\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA seq=0 ack=2\n", t2);
  ASSERT_EQ(bad.verdict, Verdict::kFail);
  EXPECT_NE(bad.diff.find("ack: expected: 2 vs actual: 1 (absolute 1000001)"), std::string::npos) << bad.diff;
  EXPECT_NE(bad.diff.find("seq: 0 (absolute 2309737967) (matches 0)"), std::string::npos) << bad.diff;
}

TEST(RunExecutor, NothingArrivesIsTimeout) {
  FakeTarget t;  // no responder: silence
  TestResult r = run(kPassiveOpen, t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "timeout");
  EXPECT_NE(r.diff.find("no packet from the IUT within 0.200 s"), std::string::npos) << r.diff;
}

TEST(RunExecutor, TimingTolerance) {
  // Expected one second after the previous event, within 0.1: arriving at 0.5 s is early.
  FakeTarget t;
  listen_like_linux(t, 0.5);
  TestResult early = run("test t\n+0 call listen\n+0 inject flags=S seq=0\n+1 expect flags=SA within 0.1\n", t);
  ASSERT_EQ(early.verdict, Verdict::kFail) << early.diff;
  EXPECT_EQ(early.failure->kind, "timing");
  EXPECT_NE(early.diff.find("arrival: expected: +1.000 ± 0.100 vs actual: +0.500"), std::string::npos)
      << early.diff;
  FakeTarget t2;
  listen_like_linux(t2, 1.05);
  TestResult ok = run("test t\n+0 call listen\n+0 inject flags=S seq=0\n+1 expect flags=SA within 0.1\n", t2);
  EXPECT_EQ(ok.verdict, Verdict::kPass) << ok.diff;
  FakeTarget t3;
  listen_like_linux(t3, 0.3);
  TestResult late = run("test t\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA within 0.2\n", t3);
  EXPECT_EQ(late.failure->kind, "timeout");
}

TEST(RunExecutor, UnexpectedTrailingPacketFails) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>& in) {
    packet::TcpSegment s = tcp_of(in);
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpSyn | packet::kTcpAck, kIutIsn, s.header.seq + 1)},
        {0.01, iut_segment(packet::kTcpRst, kIutIsn + 1, 0)}};
  };
  TestResult r = run(kPassiveOpen, t);
  ASSERT_EQ(r.verdict, Verdict::kFail) << r.diff;
  EXPECT_EQ(r.failure->kind, "unexpected");
  EXPECT_EQ(r.failure->line, 0);
  EXPECT_NE(r.diff.find("x.spt: fail: the IUT sent a packet that no expect consumed"), std::string::npos) << r.diff;
  EXPECT_NE(r.diff.find("Flags [R]"), std::string::npos);
}

TEST(RunExecutor, AllowedPacketIsSkipped) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>& in) {
    packet::TcpSegment s = tcp_of(in);
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpAck, kIutIsn + 1, s.header.seq)},  // a duplicate ACK
        {0.002, iut_segment(packet::kTcpAck | packet::kTcpFin, kIutIsn + 1, s.header.seq)}};
  };
  TestResult r = run("test a\nallow flags=A\n+0 inject flags=A seq=0 ack=#0\n+0 expect flags=FA seq=#2309737968\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  EXPECT_EQ(r.packets[1].disposition, "allowed");
}

TEST(RunExecutor, AllowedInsteadOfExpectedIsInconclusive) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>& in) {
    packet::TcpSegment s = tcp_of(in);
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpAck, kIutIsn + 1, s.header.seq)}};
  };
  TestResult r = run("test a\nallow flags=A\n+0 inject flags=A seq=0 ack=#0\n+0 expect flags=FA within 0.1\n", t);
  EXPECT_EQ(r.verdict, Verdict::kInconclusive) << r.diff;
  EXPECT_NE(r.diff.find("x.spt:4: inconclusive:"), std::string::npos) << r.diff;
}

TEST(RunExecutor, ExpectNoneSeesStrayPacket) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>&) {
    return std::vector<std::pair<double, std::vector<uint8_t>>>{{0.05, iut_segment(packet::kTcpRst, 5, 0)}};
  };
  TestResult r = run("test n\n+0 inject flags=R seq=0\n+0 expect none within 0.1\n", t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "unexpected");
  EXPECT_EQ(r.failure->line, 3);
  FakeTarget quiet;
  EXPECT_EQ(run("test n\n+0 inject flags=R seq=0\n+0 expect none within 0.1\n", quiet).verdict, Verdict::kPass);
}

TEST(RunExecutor, MalformedPacketFromIutFails) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>&) {
    std::vector<uint8_t> junk = {0x45, 0x00, 0x00, 0x50, 0, 0, 0, 0, 64, 6};  // truncated IPv4
    return std::vector<std::pair<double, std::vector<uint8_t>>>{{0.001, junk}};
  };
  TestResult r = run("test m\n+0 inject flags=S seq=0\n+0 expect flags=SA\n", t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "malformed");
  EXPECT_NE(r.diff.find("the IUT sent a malformed packet: ipv4:"), std::string::npos) << r.diff;
}

TEST(RunExecutor, BadChecksumFromIutFails) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>& in) {
    std::vector<uint8_t> p = iut_segment(packet::kTcpSyn | packet::kTcpAck, kIutIsn, tcp_of(in).header.seq + 1);
    p[36] ^= 0xff;  // TCP checksum
    return std::vector<std::pair<double, std::vector<uint8_t>>>{{0.001, p}};
  };
  TestResult r = run(kPassiveOpen, t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "checksum");
  EXPECT_NE(r.diff.find("tcp: bad checksum"), std::string::npos) << r.diff;
}

TEST(RunExecutor, UnknownIutIsnCountsAsZero) {
  // An ACK in LISTEN draws <SEQ=SEG.ACK><CTL=RST>: with the IUT's ISN unknown, ack=5 is
  // sent as 5 and the RST's seq=5 is expected as 5.
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>& in) {
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpRst, tcp_of(in).header.ack, 0)}};
  };
  TestResult r = run("test e\n+0 inject flags=A seq=0 ack=5\n+0 expect flags=R seq=5\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  EXPECT_EQ(tcp_of(t.injected[0]).header.ack, 5u);
  TestResult bad = run("test e\n+0 inject flags=A seq=0 ack=5\n+0 expect flags=R seq=6\n", t);
  EXPECT_NE(bad.diff.find("seq: expected: 6 vs actual: 5 (absolute; the IUT's ISN is not known yet)"),
            std::string::npos) << bad.diff;
}

TEST(RunExecutor, UnexpectedRetransmissionIsNamed) {
  FakeTarget t;
  t.responder = [](const std::vector<uint8_t>&) {
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpFin | packet::kTcpAck, 7, 0)},
        {0.201, iut_segment(packet::kTcpFin | packet::kTcpAck, 7, 0)}};
  };
  TestResult r = run("test r\n+0 inject flags=A seq=0 ack=#0\n+0 expect flags=FA  # the FIN\n"
                     "+0 expect none within 0.5\n", t);
  ASSERT_EQ(r.verdict, Verdict::kFail) << r.diff;
  EXPECT_NE(r.diff.find("packet: expected: no packet vs actual: flags=FA seq=#7 ack=4293967296 win=64240 "
                        "len=0 (retransmission after 0.200 s)"),
            std::string::npos) << r.diff;
  EXPECT_EQ(r.failure->event, "+0 expect none within 0.5");
  TestResult timeout = run("test r\n+0 expect flags=S within 0.01   # rcv_x: the SYN\n", t);
  EXPECT_EQ(timeout.failure->event, "+0 expect flags=S within 0.01  # rcv_x: the SYN");
}

TEST(RunExecutor, StateExpectationPollsUntilTolerance) {
  FakeTarget t;
  t.state = "LISTEN";
  EXPECT_EQ(run("test s\n+0 expect state LISTEN\n", t).verdict, Verdict::kPass);
  TestResult r = run("test s\n+0 expect state SYN_RCVD within 0.01\n", t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "state");
  EXPECT_NE(r.diff.find("state: expected: SYN_RCVD vs actual: LISTEN"), std::string::npos) << r.diff;
}

TEST(RunExecutor, FailedCallFails) {
  FakeTarget t;
  t.on_call = [](const Call&) { return CallOutcome{false, false, "accept: nothing there"}; };
  TestResult r = run("test c\n+0 call accept\n", t);
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.failure->kind, "call");
  t.on_call = [](const Call&) { return CallOutcome{false, true, "socket: EMFILE"}; };
  EXPECT_EQ(run("test c\n+0 call accept\n", t).verdict, Verdict::kError);
}

TEST(RunExecutor, MayRefuseAcceptsARefusalButNotAHarnessError) {
  FakeTarget t;
  t.on_call = [](const Call&) { return CallOutcome{false, false, "connect: bind: EADDRINUSE"}; };
  TestResult r = run("test c\n+0 call connect may-refuse\n+0 expect none within 0.1\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  // Refused or not, what the IUT sends is still judged.
  t.on_call = [&t](const Call&) {
    t.emit(0.01, iut_segment(packet::kTcpSyn, kIutIsn, 0));
    return CallOutcome{false, false, "connect: refused after all"};
  };
  EXPECT_EQ(run("test c\n+0 call connect may-refuse\n+0 expect none within 0.1\n", t).verdict, Verdict::kFail);
  // Nothing to act on: the RFC's "connection does not exist".
  t.on_call = [](const Call&) { return CallOutcome{false, true, "close: no socket", true}; };
  EXPECT_EQ(run("test c\n+0 call close may-refuse\n", t).verdict, Verdict::kPass);
  EXPECT_EQ(run("test c\n+0 call close\n", t).verdict, Verdict::kError);
  // A harness failure stays an error.
  t.on_call = [](const Call&) { return CallOutcome{false, true, "socket: EMFILE"}; };
  EXPECT_EQ(run("test c\n+0 call connect may-refuse\n", t).verdict, Verdict::kError);
}

TEST(RunExecutor, EveryOpenAfterTheFirstLearnsTheNewConnectionsIsn) {
  // Two active OPENs, each answered by a SYN with an ISN of its own; relative seq 0 both
  // times, and the tester's defaults start again from its ISN.
  FakeTarget t;
  uint32_t isn = kIutIsn;
  t.on_call = [&](const Call& c) {
    if (c.kind == Call::Kind::kConnect) t.emit(0.001, iut_segment(packet::kTcpSyn, isn, 0));
    isn += 0x10000;
    return CallOutcome{};
  };
  const std::string open =
      "+0 call connect\n+0 expect flags=S seq=0\n+0 inject flags=SA ack=1\n";
  TestResult r = run("test o\n" + open + "+0 inject flags=R seq=1\n" + open, t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  ASSERT_EQ(t.injected.size(), 3u);
  EXPECT_EQ(tcp_of(t.injected[0]).header.ack, kIutIsn + 1);
  EXPECT_EQ(tcp_of(t.injected[2]).header.ack, kIutIsn + 0x10000 + 1);
  EXPECT_EQ(tcp_of(t.injected[2]).header.seq, kTesterIsn);  // the new connection's SYN-ACK
}

TEST(RunExecutor, AbsoluteTimes) {
  FakeTarget t;
  TestResult r = run("test w\n@0.5 wait 0.25\n@1 inject flags=R seq=0\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  ASSERT_EQ(r.packets.size(), 1u);
  EXPECT_NEAR(r.packets[0].time, 1.0, 1e-9);
}

// The reaction latency: from the SYN-ACK's arrival to the write of the ACK that answers
// it, through `+0` observations; not for an inject after a delay or after silence.
TEST(RunExecutor, ReactionLatencyOfAnsweringInjects) {
  FakeTarget t;
  listen_like_linux(t, 0.003);
  t.state = "SYN_RCVD";
  t.observe_cost = 0.004;
  TestResult r = run(kPassiveOpen +
                         "+0 expect state SYN_RCVD\n"
                         "+0 inject flags=A seq=1 ack=1\n"
                         "+0 inject flags=A seq=1 ack=1\n",
                     t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  ASSERT_EQ(r.reaction_latencies.size(), 1u);
  EXPECT_NEAR(r.reaction_latencies[0], 0.004, 1e-9);
  TestResult later = run(kPassiveOpen + "+0.1 inject flags=A seq=1 ack=1\n", t);
  EXPECT_TRUE(later.reaction_latencies.empty());
  TestResult quiet = run(kPassiveOpen + "+0 expect none within 0.01\n+0 inject flags=A seq=1 ack=1\n", t);
  EXPECT_TRUE(quiet.reaction_latencies.empty());
}

// `iut+D` counts from the arrival of the packet the latest expect matched, however late
// the events after it complete: a slow state observation does not move the window.
TEST(RunExecutor, IutAnchoredTimeCountsFromTheExpectedPacket) {
  FakeTarget t;
  t.state = "SYN_RCVD";
  t.observe_cost = 0.15;
  t.responder = [](const std::vector<uint8_t>& in) {
    uint32_t ack = tcp_of(in).header.seq + 1;
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, iut_segment(packet::kTcpSyn | packet::kTcpAck, kIutIsn, ack)},
        {1.001, iut_segment(packet::kTcpSyn | packet::kTcpAck, kIutIsn, ack)}};
  };
  const std::string head = "test a\n+0 call listen\n+0 inject flags=S seq=0\n+0 expect flags=SA seq=0 ack=1\n"
                           "+0 expect state SYN_RCVD\n";
  TestResult anchored = run(head + "iut+1 expect flags=SA seq=0 ack=1 within 0.1\n", t);
  EXPECT_EQ(anchored.verdict, Verdict::kPass) << anchored.diff;
  // Counted from the state observation instead, the retransmission is 0.15 s early.
  TestResult relative = run(head + "+1 expect flags=SA seq=0 ack=1 within 0.1\n", t);
  ASSERT_EQ(relative.verdict, Verdict::kFail) << relative.diff;
  EXPECT_EQ(relative.failure->kind, "timing");
  TestResult early = run(head + "iut+1.3 expect flags=SA seq=0 ack=1 within 0.2\n", t);
  ASSERT_EQ(early.verdict, Verdict::kFail) << early.diff;
  EXPECT_NE(early.diff.find("too early"), std::string::npos) << early.diff;
}

// `allow ... unprompted` covers a timer's retransmission, not an answer to a stimulus
// (one that comes within kPromptedWithin of the inject), and a missing expected answer
// stays a fail when only such a packet came.
TEST(RunExecutor, UnpromptedAllowCoversOnlyTheIutsOwnPackets) {
  FakeTarget t;
  auto fin_after = [&](double delay) {
    t.responder = [delay](const std::vector<uint8_t>&) {
      return std::vector<std::pair<double, std::vector<uint8_t>>>{
          {delay, iut_segment(packet::kTcpFin | packet::kTcpAck, 7, 0)}};
    };
  };
  const std::string head = "test u\nallow flags=FA seq=#7 unprompted\n+0 inject flags=A seq=0 ack=#0\n";
  fin_after(0.2);
  TestResult timer = run(head + "+0 expect none within 0.5\n", t);
  EXPECT_EQ(timer.verdict, Verdict::kPass) << timer.diff;
  ASSERT_EQ(timer.packets.size(), 2u);
  EXPECT_EQ(timer.packets[1].disposition, "allowed");
  fin_after(0.001);
  TestResult answer = run(head + "+0 expect none within 0.5\n", t);
  ASSERT_EQ(answer.verdict, Verdict::kFail) << answer.diff;
  EXPECT_EQ(answer.failure->kind, "unexpected");
  fin_after(0.2);
  TestResult missing = run(head + "+0 expect flags=A within 0.4\n", t);
  ASSERT_EQ(missing.verdict, Verdict::kFail) << missing.diff;
  EXPECT_EQ(missing.failure->kind, "timeout");
  // Without `unprompted` the same packet instead of the expected one is inconclusive.
  TestResult plain = run("test u\nallow flags=FA seq=#7\n+0 inject flags=A seq=0 ack=#0\n"
                         "+0 expect flags=A within 0.4\n", t);
  EXPECT_EQ(plain.verdict, Verdict::kInconclusive) << plain.diff;
}

// --- ARP over the fake Ethernet target.

std::vector<uint8_t> arp_frame(uint16_t op, const AddressBook& b, packet::MacAddress dst, packet::MacAddress tha,
                               packet::Ipv4Address tpa) {
  packet::ArpPacket a;
  a.operation = op;
  a.sender_mac = b.iut_mac;
  a.sender_ip = b.iut_ip;
  a.target_mac = tha;
  a.target_ip = tpa;
  return packet::build_frame_arp({dst, b.iut_mac, packet::kEtherTypeArp}, a, {true});
}

// `or` lines: another outcome the spec allows for the step above (RFC alternatives such as
// RFC 5961 §5.2's ACK for a too-old ACK where RFC 9293 ignores it). The IUT taking it ends
// the test inconclusive; an outcome no line names still fails.
TEST(RunExecutor, AlternativeOutcomeOfAStepIsInconclusive) {
  const std::string head = "test a\ncovers Endpoint.rcv_ack\n+0 call listen\n+0 inject flags=S seq=0\n"
                           "+0 expect flags=SA seq=0 ack=1                  # rcv_syn\n"
                           "+0 inject flags=A seq=1 ack=1                   # rcv_ack\n";
  // The aimed outcome is silence; the IUT sends the alternative's ACK instead.
  auto acker = [](FakeTarget& t, uint16_t flags) {
    t.responder = [=](const std::vector<uint8_t>& in) {
      std::vector<std::pair<double, std::vector<uint8_t>>> out;
      packet::TcpSegment s = tcp_of(in);
      if (s.header.has(packet::kTcpSyn)) out.push_back({0.001, iut_segment(packet::kTcpSyn | packet::kTcpAck, kIutIsn, s.header.seq + 1)});
      if (!s.header.has(packet::kTcpSyn)) out.push_back({0.01, iut_segment(flags, kIutIsn + 1, s.header.seq)});
      return out;
    };
  };
  // The IUT answers the ACK with `flags`, and is in `state`.
  auto answered = [&](uint16_t flags, const char* state, const std::string& lines) {
    FakeTarget t;
    acker(t, flags);
    t.state = state;
    return run(head + lines, t);
  };
  {
    TestResult r = answered(packet::kTcpAck, "ESTABLISHED",
                            "+0 expect none within 0.5\nor Endpoint.rcv_ack_old flags=A seq=1 ack=1 state ESTABLISHED  # RFC 5961 §5.2\n");
    ASSERT_EQ(r.verdict, Verdict::kInconclusive) << r.diff;
    EXPECT_EQ(r.failure->kind, "alternative");
    EXPECT_NE(r.failure->message.find("took Endpoint.rcv_ack_old"), std::string::npos) << r.failure->message;
    EXPECT_NE(r.failure->message.find("aims at Endpoint.rcv_ack"), std::string::npos) << r.failure->message;
    EXPECT_EQ(r.packets.back().disposition, "alternative");
  }
  {
    // The alternative's packet, but not its state: the original failure stands.
    TestResult r = answered(packet::kTcpAck, "CLOSE_WAIT",
                            "+0 expect none within 0.5\nor Endpoint.rcv_ack_old flags=A seq=1 ack=1 state ESTABLISHED\n");
    EXPECT_EQ(r.verdict, Verdict::kFail) << r.diff;
    EXPECT_EQ(r.failure->kind, "unexpected");
  }
  {
    // A packet no `or` line names fails.
    TestResult r = answered(packet::kTcpRst, "ESTABLISHED",
                            "+0 expect none within 0.5\nor Endpoint.rcv_ack_old flags=A seq=1 ack=1\n");
    EXPECT_EQ(r.verdict, Verdict::kFail) << r.diff;
  }
  {
    // The aimed outcome is a packet; silence is the alternative.
    FakeTarget t;
    listen_like_linux(t);
    t.state = "ESTABLISHED";
    TestResult r = run(head + "+0 expect flags=A seq=1 ack=1 within 0.2\nor Endpoint.rcv_ack_held none state ESTABLISHED\n", t);
    ASSERT_EQ(r.verdict, Verdict::kInconclusive) << r.diff;
    EXPECT_EQ(r.failure->kind, "alternative");
    // Without the `or` line, the same silence fails.
    FakeTarget t2;
    listen_like_linux(t2);
    EXPECT_EQ(run(head + "+0 expect flags=A seq=1 ack=1 within 0.2\n", t2).verdict, Verdict::kFail);
  }
  {
    // The alternative's packet in a middle step (no line consumes it before the next
    // inject) is judged against that step's `or` lines.
    TestResult r = answered(packet::kTcpAck, "ESTABLISHED",
                            "+0 expect state ESTABLISHED\nor Endpoint.rcv_ack_old flags=A seq=1 ack=1\n"
                            "+0.1 inject flags=A seq=1 ack=1  # rcv_ack\n+0 expect none\n");
    ASSERT_EQ(r.verdict, Verdict::kInconclusive) << r.diff;
    // An `or` line applies to its own step only: the same packet drawn by a later step
    // that has none fails.
    TestResult r2 = answered(packet::kTcpAck, "ESTABLISHED",
                             "+0 expect flags=A seq=1 ack=1\nor Endpoint.x none\n"
                             "+0 inject flags=A seq=1 ack=1  # rcv_ack\n+0 expect none\n");
    EXPECT_EQ(r2.verdict, Verdict::kFail) << r2.diff;
  }
}

TEST(RunExecutor, ArpRequestReplyAndCache) {
  AddressBook b;
  FakeTarget t(LinkType::kEthernet);
  t.responder = [&](const std::vector<uint8_t>&) {
    t.neighbours[b.tester_ip.value] = b.tester_mac;
    return std::vector<std::pair<double, std::vector<uint8_t>>>{
        {0.001, arp_frame(packet::kArpReply, b, b.tester_mac, b.tester_mac, b.tester_ip)}};
  };
  TestResult r = run(
      "test arp\nwire arp\n+0 inject op=request tpa=iut.ip\n"
      "+0 expect op=reply sha=iut.mac spa=iut.ip tha=tester.mac tpa=tester.ip dst=tester.mac\n"
      "+0 expect cache tester.ip = tester.mac\n+0 expect cache other.ip absent\n",
      t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  auto injected = packet::decode_frame(t.injected[0]);
  ASSERT_TRUE(injected.ok());
  EXPECT_EQ(injected->ethernet.header.dst, packet::MacAddress::broadcast());
  EXPECT_EQ(injected->arp->sender_ip, b.tester_ip);
  EXPECT_EQ(injected->arp->target_ip, b.iut_ip);

  TestResult bad = run("test arp\nwire arp\n+0 inject op=request tpa=iut.ip\n+0 expect op=reply tpa=other.ip\n", t);
  ASSERT_EQ(bad.verdict, Verdict::kFail);
  EXPECT_NE(bad.diff.find("tpa: expected: 192.0.2.3 (other.ip) vs actual: 192.0.2.2 (tester.ip)"),
            std::string::npos)
      << bad.diff;
  TestResult cache = run("test arp\nwire arp\n+0 expect cache other.ip = other.mac within 0.01\n", t);
  ASSERT_EQ(cache.verdict, Verdict::kFail);
  EXPECT_NE(cache.diff.find("cache other.ip: expected: 02:00:00:00:00:03 (other.mac) vs actual: absent"),
            std::string::npos)
      << cache.diff;
}

TEST(RunExecutor, TcpOverEthernetWrapsFrames) {
  FakeTarget t(LinkType::kEthernet);
  TestResult r = run("test e\n+0 inject flags=S seq=0\n", t);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.diff;
  auto f = packet::decode_frame(t.injected[0]);
  ASSERT_TRUE(f.ok());
  AddressBook b;
  EXPECT_EQ(f->ethernet.header.dst, b.iut_mac);
  EXPECT_EQ(f->ethernet.header.src, b.tester_mac);
  ASSERT_TRUE(f->ipv4 && f->ipv4->tcp);
}

TEST(RunMatch, TimestampsAndOptions) {
  SeqContext ctx;
  ctx.tester_isn = 1;
  packet::TcpOptions opts = {packet::tcp_option::Mss{1460}, packet::tcp_option::SackPermitted{},
                             packet::tcp_option::Timestamps{777, 5}, packet::tcp_option::Nop{},
                             packet::tcp_option::WindowScale{7}};
  auto d = packet::decode_ipv4(iut_segment(packet::kTcpSyn, 10, 0, 0, 100, opts)).value();
  ctx.observe_iut(*d.tcp);
  EXPECT_EQ(*ctx.iut_isn, 10u);
  EXPECT_EQ(*ctx.iut_tsval, 777u);
  TestCase t = parse("test o\n+0 expect flags=S mss=1460 sackok=1 ts=*:5 wscale=[1..14] win=100\n"
                     "+0 expect flags=S mss=none\n+0 expect flags=S sackok=0\n+0 expect flags=S ts=none\n");
  EXPECT_TRUE(match_tcp(t.events[0].fields, d, ctx).match);
  EXPECT_FALSE(match_tcp(t.events[1].fields, d, ctx).match);
  EXPECT_FALSE(match_tcp(t.events[2].fields, d, ctx).match);
  EXPECT_FALSE(match_tcp(t.events[3].fields, d, ctx).match);
  EXPECT_EQ(flags_text(packet::kTcpFin | packet::kTcpAck | packet::kTcpPsh), "FPA");
  EXPECT_EQ(flags_text(0), ".");
}

TEST(RunMatch, SequenceWrapAround) {
  SeqContext ctx;
  ctx.iut_isn = 0xfffffff0u;
  auto d = packet::decode_ipv4(iut_segment(packet::kTcpAck, 0x00000010u, 0)).value();
  TestCase t = parse("test w\n+0 expect flags=A seq=32\n+0 expect flags=A seq=[30..40]\n"
                     "+0 expect flags=A seq=#16\n+0 expect flags=A seq=[-5..5]\n");
  EXPECT_TRUE(match_tcp(t.events[0].fields, d, ctx).match);
  EXPECT_TRUE(match_tcp(t.events[1].fields, d, ctx).match);
  EXPECT_TRUE(match_tcp(t.events[2].fields, d, ctx).match);
  EXPECT_FALSE(match_tcp(t.events[3].fields, d, ctx).match);
}

}  // namespace
}  // namespace sp::harness
