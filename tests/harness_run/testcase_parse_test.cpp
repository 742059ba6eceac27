// The *.spt parser: every construct of docs/test-format.md, the refinements, and a
// `path:line:col: error:` message for each kind of malformed file; never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "harness/packet/tcp.hpp"
#include "harness/suite/parse.hpp"

namespace sp::harness {
namespace {

TestCase parse_ok(const std::string& text) {
  ParseOutcome p = parse_test(text, "t.spt");
  std::string errors;
  for (const ParseError& e : p.errors) errors += e.format() + "\n";
  EXPECT_TRUE(p.test) << errors;
  return p.test ? *p.test : TestCase{};
}

// The first error message, formatted.
std::string first_error(const std::string& text) {
  ParseOutcome p = parse_test(text, "t.spt");
  EXPECT_FALSE(p.test);
  EXPECT_FALSE(p.errors.empty());
  return p.errors.empty() ? "" : p.errors.front().format();
}

TEST(TestcaseParse, DocumentExample) {
  TestCase t = parse_ok(R"(# Passive open: a SYN in LISTEN draws a SYN-ACK and moves to SYN-RECEIVED.
test   rcv_syn_listen
covers Endpoint.rcv_syn_listen
cite   "RFC 9293 §3.10.7.2"
tier   fast
wire   tcp

+0     call listen
+0     expect state LISTEN
+0     inject flags=S seq=0 win=65535
+0     expect flags=SA seq=0 ack=1 win=* within 0.2
+0     expect state SYN_RCVD
)");
  EXPECT_EQ(t.name, "rcv_syn_listen");
  EXPECT_EQ(t.covers, std::vector<std::string>{"Endpoint.rcv_syn_listen"});
  EXPECT_EQ(t.cites, std::vector<std::string>{"RFC 9293 §3.10.7.2"});
  EXPECT_EQ(t.tier, Tier::kFast);
  EXPECT_EQ(t.wire, Wire::kTcp);
  ASSERT_EQ(t.events.size(), 5u);
  EXPECT_EQ(t.events[0].type, Event::Type::kCall);
  EXPECT_EQ(t.events[0].call.kind, Call::Kind::kListen);
  EXPECT_EQ(t.events[0].line, 8);
  EXPECT_EQ(t.events[1].type, Event::Type::kExpectState);
  EXPECT_EQ(t.events[1].state, "LISTEN");
  EXPECT_EQ(t.events[2].type, Event::Type::kInject);
  ASSERT_EQ(t.events[2].fields.size(), 3u);
  EXPECT_EQ(t.events[2].fields[0].name, "flags");
  EXPECT_EQ(t.events[2].fields[0].value.low, packet::kTcpSyn);
  const Event& e = t.events[3];
  EXPECT_EQ(e.type, Event::Type::kExpectPacket);
  ASSERT_TRUE(e.within);
  EXPECT_DOUBLE_EQ(*e.within, 0.2);
  EXPECT_EQ(e.fields[0].value.low, packet::kTcpSyn | packet::kTcpAck);
  EXPECT_EQ(e.fields[3].name, "win");
  EXPECT_EQ(e.fields[3].value.kind, Value::Kind::kAny);
  EXPECT_EQ(e.text, "+0     expect flags=SA seq=0 ack=1 win=* within 0.2");
}

TEST(TestcaseParse, ValuesRangesAbsoluteAndOptions) {
  TestCase t = parse_ok(
      "test v\n"
      "+0 expect flags=PA seq=[1..100] ack=#4294967295 len=[0..1460] mss=none wscale=7 "
      "sackok=1 ts=*:100\n"
      "+0 inject flags=. seq=-1 ack=0x10\n");
  const auto& f = t.events[0].fields;
  EXPECT_EQ(f[1].value.kind, Value::Kind::kRange);
  EXPECT_EQ(f[1].value.low, 1);
  EXPECT_EQ(f[1].value.high, 100);
  EXPECT_EQ(f[2].value.kind, Value::Kind::kAbsolute);
  EXPECT_EQ(f[2].value.low, 4294967295LL);
  EXPECT_EQ(f[4].value.kind, Value::Kind::kNone);
  EXPECT_EQ(f[5].value.low, 7);
  EXPECT_EQ(f[6].value.kind, Value::Kind::kNumber);
  EXPECT_EQ(f[7].value.kind, Value::Kind::kAny);
  ASSERT_TRUE(f[7].second);
  EXPECT_EQ(f[7].second->low, 100);
  const auto& g = t.events[1].fields;
  EXPECT_EQ(g[0].value.low, 0);  // `.`: no flag
  EXPECT_EQ(g[1].value.low, -1);
  EXPECT_EQ(g[2].value.low, 16);
}

TEST(TestcaseParse, TimesWaitsAndComments) {
  TestCase t = parse_ok(
      "test times   # trailing comment\n"
      "@1.5 wait 0.25\n"
      "+0.125 expect none within 0.05   # silence\n");
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[0].anchor, Event::Anchor::kStart);
  EXPECT_DOUBLE_EQ(t.events[0].time, 1.5);
  EXPECT_DOUBLE_EQ(t.events[0].wait, 0.25);
  EXPECT_EQ(t.events[1].anchor, Event::Anchor::kPrevious);
  EXPECT_DOUBLE_EQ(t.events[1].time, 0.125);
  EXPECT_EQ(t.events[1].type, Event::Type::kExpectNone);
  EXPECT_DOUBLE_EQ(*t.events[1].within, 0.05);
}

TEST(TestcaseParse, IutAnchoredTime) {
  TestCase t = parse_ok(
      "test anchored\n"
      "+0 call close\n"
      "+0 expect flags=FA\n"
      "+0 expect state FIN_WAIT_1\n"
      "iut+0.4 expect flags=FA within 0.2   # rtx_fin\n");
  ASSERT_EQ(t.events.size(), 4u);
  EXPECT_EQ(t.events[3].anchor, Event::Anchor::kIutPacket);
  EXPECT_DOUBLE_EQ(t.events[3].time, 0.4);
  EXPECT_DOUBLE_EQ(*t.events[3].within, 0.2);
  EXPECT_EQ(t.events[3].comment, "rtx_fin");
}

TEST(TestcaseParse, TimerClause) {
  TestCase t = parse_ok(
      "test timed\n"
      "+0 call connect\n"
      "+0 expect flags=S\n"
      "iut+0 expect none within 1.5 timer rtx=1s   # rtx_syn\n"
      "+0 expect flags=S within 1.2 timer rtx=1s\n"
      "+0 wait 180 timer time_wait=4min\n"
      "+0 expect state SYN_SENT within 0.1\n"
      "+0 wait 0.5 timer delack=200ms\n");
  ASSERT_EQ(t.events.size(), 7u);
  EXPECT_EQ(t.events[2].timer, "rtx");
  EXPECT_DOUBLE_EQ(t.events[2].timer_base, 1);
  EXPECT_DOUBLE_EQ(*t.events[2].within, 1.5);
  EXPECT_EQ(t.events[3].type, Event::Type::kExpectPacket);
  EXPECT_EQ(t.events[3].timer, "rtx");
  EXPECT_DOUBLE_EQ(*t.events[3].within, 1.2);
  EXPECT_DOUBLE_EQ(t.events[4].wait, 180);
  EXPECT_DOUBLE_EQ(t.events[4].timer_base, 240);
  EXPECT_TRUE(t.events[5].timer.empty());
  EXPECT_DOUBLE_EQ(t.events[6].timer_base, 0.2);
}

TEST(TestcaseParse, UnpromptedAllow) {
  TestCase t = parse_ok(
      "test a\n"
      "allow flags=FA seq=1 unprompted   # the FIN again\n"
      "allow flags=A ack=*\n");
  ASSERT_EQ(t.allows.size(), 2u);
  EXPECT_TRUE(t.allows[0].unprompted);
  ASSERT_EQ(t.allows[0].fields.size(), 2u);
  EXPECT_FALSE(t.allows[1].unprompted);
}

TEST(TestcaseParse, AlternativesBelongToTheStepAbove) {
  TestCase t = parse_ok(
      "test a\n"
      "+0 call listen\n"
      "+0 inject flags=S seq=0\n"
      "+0 expect flags=SA seq=0 ack=1\n"
      "+0 expect state SYN_RCVD\n"
      "or Endpoint.rcv_syn_other flags=A seq=0 ack=1 state SYN-RECEIVED  # RFC x\n"
      "or Endpoint.rcv_syn_held none\n"
      "+0 inject flags=A seq=1 ack=1\n");
  ASSERT_EQ(t.alternatives.size(), 2u);
  const Alternative& a = t.alternatives[0];
  EXPECT_EQ(a.step, "Endpoint.rcv_syn_other");
  EXPECT_EQ(a.first_event, 1u);  // the inject
  EXPECT_EQ(a.end_event, 4u);    // up to the `or`
  EXPECT_EQ(a.state, "SYN_RCVD");
  EXPECT_FALSE(a.silent);
  ASSERT_EQ(a.fields.size(), 3u);
  EXPECT_EQ(a.comment, "RFC x");
  EXPECT_TRUE(t.alternatives[1].silent);
  EXPECT_TRUE(t.alternatives[1].state.empty());
  EXPECT_EQ(t.alternatives[1].first_event, 1u);
  EXPECT_EQ(t.alternatives[1].end_event, 4u);
  EXPECT_EQ(t.events.size(), 5u);
}

TEST(TestcaseParse, HeaderDirectives) {
  TestCase t = parse_ok(
      "test h\n"
      "kind negative\n"
      "tier slow\n"
      "note a \"quoted\" note\n"
      "cite \"RFC 5961 §3.2\"\n"
      "cite \"RFC 9293 §3.10.7.4\"\n"
      "sysctl net.ipv4.tcp_rfc1337=1\n"
      "isn 4294967295\n"
      "allow flags=A ack=*\n"
      "+0 call send 10\n");
  EXPECT_TRUE(t.negative);
  EXPECT_EQ(t.tier, Tier::kSlow);
  EXPECT_EQ(t.notes, std::vector<std::string>{"a \"quoted\" note"});
  EXPECT_EQ(t.cites.size(), 2u);
  ASSERT_EQ(t.sysctls.size(), 1u);
  EXPECT_EQ(*t.tester_isn, 4294967295u);
  EXPECT_EQ(t.sysctls[0].name, "net.ipv4.tcp_rfc1337");
  EXPECT_EQ(t.sysctls[0].value, "1");
  ASSERT_EQ(t.allows.size(), 1u);
  EXPECT_EQ(t.allows[0].fields[1].value.kind, Value::Kind::kAny);
  EXPECT_EQ(t.events[0].call.bytes, 10);
}

TEST(TestcaseParse, StateSpellings) {
  TestCase t = parse_ok(
      "test s\n+0 expect state SYN-RECEIVED\n+0 expect state fin_wait2\n+0 expect state SYN_RECV\n");
  EXPECT_EQ(t.events[0].state, "SYN_RCVD");
  EXPECT_EQ(t.events[1].state, "FIN_WAIT_2");
  EXPECT_EQ(t.events[2].state, "SYN_RCVD");
}

TEST(TestcaseParse, ArpWire) {
  TestCase t = parse_ok(
      "test a\nwire arp\n"
      "+0 call resolve other.ip\n"
      "+0 expect op=request sha=iut.mac spa=iut.ip tpa=other.ip dst=broadcast\n"
      "+0 inject op=reply sha=02:00:00:00:00:09 spa=192.0.2.9 tpa=iut.ip\n"
      "+0 expect cache other.ip = other.mac\n"
      "+0 expect cache 192.0.2.9=02:00:00:00:00:09 within 0.1\n"
      "+0 expect cache tester.ip absent\n");
  EXPECT_EQ(t.wire, Wire::kArp);
  EXPECT_EQ(t.events[0].call.address, "other.ip");
  EXPECT_EQ(t.events[1].fields[0].value.low, 1);
  EXPECT_EQ(t.events[2].fields[0].value.low, 2);
  EXPECT_EQ(t.events[3].cache_address, "other.ip");
  EXPECT_EQ(*t.events[3].cache_value, "other.mac");
  EXPECT_EQ(*t.events[4].cache_value, "02:00:00:00:00:09");
  EXPECT_FALSE(t.events[5].cache_value);
}

struct Malformed {
  const char* text;
  const char* error;  // the formatted first error
};

void PrintTo(const Malformed& m, std::ostream* os) { *os << "\"" << m.text << "\""; }

class MalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedTest, GivesFileLineError) {
  EXPECT_EQ(first_error(GetParam().text), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    TestcaseParse, MalformedTest,
    ::testing::Values(
        Malformed{"+0 call listen\n", "t.spt:1: error: missing `test NAME` line"},
        Malformed{"test a b\n", "t.spt:1:8: error: unexpected `b` after `test a`"},
        Malformed{"test a/b\n", "t.spt:1:6: error: test name `a/b` must match [A-Za-z0-9_.-]+"},
        Malformed{"test a\ntest b\n", "t.spt:2:1: error: second `test` line; one test per file"},
        Malformed{"test a\nfoo bar\n",
                  "t.spt:2:1: error: unknown directive `foo` (expected test, covers, cite, tier, "
                  "wire, kind, note, isn, sysctl, allow, or, or an event starting with +D, @T or iut+D)"},
        Malformed{"test a\nor E.t none\n",
                  "t.spt:2:1: error: `or` gives another outcome of the step above it, and no `call` or "
                  "`inject` comes before it"},
        Malformed{"test a\n+0 inject flags=S\nor flags=A\n",
                  "t.spt:3:3: error: expected `or ROLE.TRANSITION FIELDS [state STATE]` or `or "
                  "ROLE.TRANSITION none [state STATE]`"},
        Malformed{"test a\n+0 inject flags=S\nor E.t\n",
                  "t.spt:3:3: error: expected `or ROLE.TRANSITION FIELDS [state STATE]` or `or "
                  "ROLE.TRANSITION none [state STATE]`"},
        Malformed{"test a\n+0 inject flags=S\nor E.t none state OPENISH\n",
                  "t.spt:3:19: error: unknown state `OPENISH`"},
        Malformed{"test a\n+0 inject flags=S\nor E.t flags=A state\n",
                  "t.spt:3:16: error: `state` needs a state name, e.g. state ESTABLISHED"},
        Malformed{"test a\ncall listen\n",
                  "t.spt:2:1: error: event `call` needs a time first: `+0 call ...`"},
        Malformed{"test a\n+x call listen\n",
                  "t.spt:2:1: error: bad time `+x`: expected +SECONDS, @SECONDS or iut+SECONDS, e.g. +0.5"},
        Malformed{"test a\n+-1 call listen\n",
                  "t.spt:2:1: error: bad time `+-1`: expected +SECONDS, @SECONDS or iut+SECONDS, e.g. +0.5"},
        Malformed{"test a\n+0 call listen\n  iut+x expect flags=S\n",
                  "t.spt:3:3: error: bad time `iut+x`: expected +SECONDS, @SECONDS or iut+SECONDS, e.g. +0.5"},
        Malformed{"test a\nallow unprompted\n",
                  "t.spt:2:1: error: `allow` needs fields, e.g. allow flags=A ack=*"},
        Malformed{"test a\n+0 inject flags=S\niut+1 expect flags=SA\n",
                  "t.spt:3:1: error: `iut+1` counts from the packet an earlier `expect` matched, and no "
                  "line before expects a packet"},
        Malformed{"test a\n+0\n", "t.spt:2:3: error: expected call, inject, expect or wait after the time"},
        Malformed{"test a\n+0 call dance\n",
                  "t.spt:2:9: error: unknown call `dance` (expected listen, connect, accept, send "
                  "N, shutdown, close, abort, resolve ADDR, announce)"},
        Malformed{"test a\n+0 call send\n",
                  "t.spt:2:9: error: `call send` needs one byte count 0..1000000, e.g. call send 100"},
        Malformed{"test a\n+0 call listen 80\n", "t.spt:2:16: error: `call listen` takes no argument"},
        Malformed{"test a\n+0 expect isn\n", "t.spt:2:11: error: expected `expect isn unpredictable`"},
        Malformed{"test a\n+0 wait 1 timer rtx=1\n",
                  "t.spt:2:17: error: bad `timer rtx=1`: expected NAME=DURATION with a unit, e.g. timer rtx=1s "
                  "(ms, s, min)"},
        Malformed{"test a\n+0 wait 1 timer\n", "t.spt:2:11: error: `timer` needs NAME=DURATION, e.g. timer rtx=1s"},
        Malformed{"test a\n+0 call close timer rtx=1s\n",
                  "t.spt:2:15: error: `timer NAME=DURATION` applies to `expect` and `wait` lines only"},
        Malformed{"test a\n+0 wait 1 2 timer rtx=1s\n", "t.spt:2:9: error: `wait` needs one number of seconds"},
        Malformed{"test a\n+0 expect isn unpredictable within 1\n",
                  "t.spt:2:11: error: expected `expect isn unpredictable`"},
        Malformed{"test a\n+0 call close reuseaddr\n",
                  "t.spt:2:15: error: `reuseaddr` applies to `call listen` and `call connect` only"},
        Malformed{"test a\n+0 call listen may-refuse may-refuse\n",
                  "t.spt:2:16: error: `may-refuse` given twice"},
        Malformed{"test a\n+0 call listen reuseaddr 80\n",
                  "t.spt:2:16: error: `call listen` takes no argument"},
        Malformed{"test a\n+0 expect flags=SX\n",
                  "t.spt:2:17: error: flags=SX: flags are letters from S A F R P U E W (or `.` for none)"},
        Malformed{"test a\n+0 expect seq=1\n",
                  "t.spt:2: error: an expected TCP packet must give flags= (flags=* for any)"},
        Malformed{"test a\n+0 expect flags=S bogus=1\n",
                  "t.spt:2:19: error: unknown field `bogus` for wire tcp (fields: flags seq ack "
                  "win len mss wscale sackok ts sport dport urg)"},
        Malformed{"test a\n+0 expect flags=S seq=[5..1]\n",
                  "t.spt:2:23: error: seq=[5..1]: empty range: LOW > HIGH"},
        Malformed{"test a\n+0 expect flags=S win=70000\n",
                  "t.spt:2:23: error: win=70000: out of range 0..65535"},
        Malformed{"test a\n+0 expect flags=S win=#5\n",
                  "t.spt:2:23: error: win=#5: `#` (absolute) is only for seq and ack"},
        Malformed{"test a\n+0 expect flags=S flags=A\n", "t.spt:2:19: error: field `flags` given twice"},
        Malformed{"test a\n+0 expect flags=S within\n",
                  "t.spt:2:19: error: `within` needs a number of seconds"},
        Malformed{"test a\n+0 expect flags=S within soon\n",
                  "t.spt:2:26: error: bad tolerance `soon` after within"},
        Malformed{"test a\n+0 expect state SYN_SENDING\n",
                  "t.spt:2:17: error: unknown state `SYN_SENDING` (CLOSED, LISTEN, SYN_SENT, "
                  "SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, "
                  "TIME_WAIT)"},
        Malformed{"test a\n+0 inject flags=S seq=[1..2]\n",
                  "t.spt:2: error: inject seq=[1..2]: a range cannot be sent; give one value"},
        Malformed{"test a\ncite \"RFC 9293\n", "t.spt:2:6: error: unterminated string"},
        Malformed{"test a\nwire udp\n", "t.spt:2:6: error: wire must be tcp or arp, not `udp`"},
        Malformed{"test a\nisn -1\n", "t.spt:2:5: error: isn must be a number 0..4294967295, not `-1`"},
        Malformed{"test a\nsysctl kernel.panic=1\n",
                  "t.spt:2:8: error: sysctl must be NAME=VALUE with a NAME under net. (per network "
                  "namespace), got `kernel.panic=1`"},
        Malformed{"test a\nwire arp\n+0 expect op=request tpa=nowhere\n",
                  "t.spt:3:26: error: tpa=nowhere: expected an IPv4 address (iut.ip, tester.ip, "
                  "other.ip, zero, or 192.0.2.9)"},
        Malformed{"test a\nwire arp\n+0 call listen\n",
                  "t.spt:3: error: wire arp: only `call resolve`, `call announce`, ARP packets and "
                  "`expect cache` apply"},
        Malformed{"test a\n+0 expect cache other.ip = other.mac\n",
                  "t.spt:2: error: wire tcp: `resolve`, `announce` and `expect cache` need wire arp"},
        Malformed{"test a\nwire arp\n+0 expect cache other.ip == x\n",
                  "t.spt:3:11: error: expected `expect cache IPADDR = MACADDR` or `expect cache "
                  "IPADDR absent`"},
        Malformed{"test a\n+0 inject flags=S\x01\n", "t.spt:2:18: error: control character in line"}),
    [](const ::testing::TestParamInfo<Malformed>& info) { return "case" + std::to_string(info.index); });

TEST(TestcaseParse, CallModifiers) {
  TestCase t = parse_ok(
      "test m\n+0 call listen reuseaddr\n+0 call connect reuseaddr may-refuse\n+0 call send 5 may-refuse\n"
      "+0 call close\n+0 call listen may-refuse reuseaddr\n");
  ASSERT_EQ(t.events.size(), 5u);
  EXPECT_TRUE(t.events[4].call.reuseaddr && t.events[4].call.may_refuse);  // in either order
  EXPECT_TRUE(t.events[0].call.reuseaddr);
  EXPECT_FALSE(t.events[0].call.may_refuse);
  EXPECT_TRUE(t.events[1].call.reuseaddr);
  EXPECT_TRUE(t.events[1].call.may_refuse);
  EXPECT_EQ(t.events[2].call.kind, Call::Kind::kSend);
  EXPECT_EQ(t.events[2].call.bytes, 5);
  EXPECT_TRUE(t.events[2].call.may_refuse);
  EXPECT_FALSE(t.events[3].call.reuseaddr || t.events[3].call.may_refuse);
}

TEST(TestcaseParse, ReportsSeveralErrorsWithLines) {
  ParseOutcome p = parse_test("test a\n+0 call x\n+0 expect flags=Q\nbad\n", "dir/x.spt");
  ASSERT_EQ(p.errors.size(), 3u);
  EXPECT_EQ(p.errors[0].line, 2);
  EXPECT_EQ(p.errors[1].line, 4);  // directive errors come while reading,
  EXPECT_EQ(p.errors[2].line, 3);  // field errors once the wire is known
  EXPECT_EQ(p.errors[0].format().rfind("dir/x.spt:2:", 0), 0u);
}

TEST(TestcaseParse, UnreadableFile) {
  ParseOutcome p = read_test_file("/nonexistent/dir/x.spt");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].format(), "/nonexistent/dir/x.spt: error: cannot read: No such file or directory");
}

// Random bytes and random mutations of a valid file: errors or a test, never a crash.
TEST(TestcaseParse, NeverCrashesOnGarbage) {
  const std::string valid =
      "test g\nwire tcp\nallow flags=A\n+0 call listen\n+0 inject flags=S seq=0 ts=1:0\n"
      "+0 expect flags=SA seq=0 ack=1 win=[0..65535] within 0.2\n+0 expect state SYN_RCVD\n"
      "+0 expect none within 0.1\n";
  std::mt19937 rng(7);
  const std::string alphabet = "+@=#*[]..:\"\\ \n\tSAFRP0123456789-xyz";
  for (int i = 0; i < 3000; ++i) {
    std::string text = valid;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      size_t at = rng() % (text.size() + 1);
      switch (rng() % 3) {
        case 0: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = static_cast<char>(rng() % 256);
      }
    }
    ParseOutcome p = parse_test(text, "fuzz.spt");
    EXPECT_NE(p.test.has_value(), !p.errors.empty());
  }
}

TEST(TestcaseParse, ShippedSuitesParse) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(STATEPROOF_SOURCE_DIR "/tests/harness_run/suites")) {
    if (e.path().extension() != ".spt") continue;
    ParseOutcome p = read_test_file(e.path().string());
    for (const ParseError& err : p.errors) ADD_FAILURE() << err.format();
    ++n;
  }
  EXPECT_GE(n, 10);
}

}  // namespace
}  // namespace sp::harness
