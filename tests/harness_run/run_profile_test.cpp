// Target profiles: parsing with file:line errors, and the rule that an entry turns a
// fail into an expected deviation only at the steps it names and only for the failure it
// describes exactly (kind and every differing field, with expected and actual values).
#include <gtest/gtest.h>

#include "harness/profile/profile.hpp"
#include "harness/profile/timer_parameters.hpp"
#include "harness/suite/parse.hpp"
#include "tests/gen/spec_file.hpp"

namespace sp::harness {
namespace {

const char* kProfile = R"P(# test profile
profile p
targets linux linux-tap
sysctl net.ipv4.tcp_invalid_ratelimit=0

deviation tw_no_challenge
at     Endpoint.rcv_rst_challenge
cite   "RFC 9293 §3.10.7.4"
rfc    "TCP endpoints MUST send an acknowledgment"
rfc    "(challenge ACK)"
reason "timewait minisock drops it"
match  kind=timeout expected="flags=A seq=2 ack=2" state=TIME_WAIT
match  kind=state field=state expected=TIME_WAIT actual=CLOSED line=12

deviation retransmits_synack
at     Endpoint.rcv_unacceptable Endpoint.rcv_ack_syn_rcvd
tests  *syn_rcvd*
cite   "RFC 9293 §3.10.7.4"
rfc    "an acknowledgment should be sent"
reason "tcp_check_req"
match  kind=packet field=flags expected=A actual=SA field=seq expected=1 actual="0 (absolute *)" stimulus="*inject flags=S *"
)P";

Profile parse(const char* text) {
  std::vector<ParseError> errors;
  std::optional<Profile> p = parse_profile(text, "p.profile", &errors);
  for (const ParseError& e : errors) ADD_FAILURE() << e.format();
  return p.value_or(Profile{});
}

TestResult failing(const std::string& name, Failure f) {
  TestResult r;
  r.name = name;
  r.verdict = Verdict::kFail;
  r.failure = std::move(f);
  return r;
}

Failure timeout_failure(const std::string& expected, const std::string& step = "Endpoint.rcv_rst_challenge") {
  Failure f;
  f.kind = "timeout";
  f.line = 20;
  f.step = step;
  f.state = "TIME_WAIT";
  f.fields.push_back({"packet", expected, "nothing", false});
  return f;
}

Failure synack_failure() {
  Failure f;
  f.kind = "packet";
  f.line = 14;
  f.step = "Endpoint.rcv_unacceptable";
  f.stimulus = "+0     inject flags=S seq=0";
  f.fields.push_back({"flags", "A", "SA", false});
  f.fields.push_back({"seq", "1", "0 (absolute 123456)", false});
  f.fields.push_back({"ack", "1", "1 (absolute 1000001)", true});
  return f;
}

Verdict verdict_of(const Profile& p, const std::string& name, Failure f) {
  TestResult r = failing(name, std::move(f));
  apply_profile(p, &r);
  return r.verdict;
}

TEST(RunProfile, Parses) {
  Profile p = parse(kProfile);
  EXPECT_EQ(p.name, "p");
  EXPECT_EQ(p.targets, (std::vector<std::string>{"linux", "linux-tap"}));
  ASSERT_EQ(p.sysctls.size(), 1u);
  EXPECT_EQ(p.sysctls[0].name, "net.ipv4.tcp_invalid_ratelimit");
  EXPECT_EQ(p.sysctls[0].value, "0");
  EXPECT_EQ(p.sysctls[0].source_line, 4);
  ASSERT_EQ(p.deviations.size(), 2u);
  const Deviation& d = p.deviations[0];
  EXPECT_EQ(d.name, "tw_no_challenge");
  EXPECT_EQ(d.at, (std::vector<std::string>{"Endpoint.rcv_rst_challenge"}));
  EXPECT_TRUE(d.tests.empty());
  EXPECT_EQ(d.rfc, "TCP endpoints MUST send an acknowledgment (challenge ACK)");
  ASSERT_EQ(d.matches.size(), 2u);
  // A timeout's one field is the packet; actual=nothing is implied.
  ASSERT_EQ(d.matches[0].fields.size(), 1u);
  EXPECT_EQ(d.matches[0].fields[0].field, "packet");
  EXPECT_EQ(d.matches[0].fields[0].actual, "nothing");
  EXPECT_EQ(d.matches[0].state, "TIME_WAIT");
  EXPECT_EQ(d.matches[1].line, 12);
  ASSERT_EQ(p.deviations[1].matches[0].fields.size(), 2u);
  EXPECT_EQ(p.deviations[1].matches[0].fields[1].actual, "0 (absolute *)");
}

TEST(RunProfile, DescribedFailureBecomesExpectedDeviation) {
  Profile p = parse(kProfile);
  TestResult r = failing("time_wait_rst_in_window", timeout_failure("flags=A seq=2 ack=2"));
  EXPECT_EQ(apply_profile(p, &r), std::optional<size_t>(0));
  EXPECT_EQ(r.verdict, Verdict::kExpectedDeviation);
  EXPECT_EQ(r.deviation, "tw_no_challenge");
  EXPECT_NE(r.deviation_text.find("RFC 9293 §3.10.7.4"), std::string::npos);
  EXPECT_NE(r.deviation_text.find("timewait minisock"), std::string::npos);
  EXPECT_EQ(verdict_of(p, "dup_syn_in_syn_rcvd", synack_failure()), Verdict::kExpectedDeviation);
}

// The mutations a wrong test would show: each is a fail even though an entry names the
// test's step.
TEST(RunProfile, OnlyTheExactFailureIsExcused) {
  Profile p = parse(kProfile);
  // Another expected packet (a wrong ack in the expect line).
  EXPECT_EQ(verdict_of(p, "t", timeout_failure("flags=A seq=2 ack=7")), Verdict::kFail);
  // The same failure at another step.
  EXPECT_EQ(verdict_of(p, "t", timeout_failure("flags=A seq=2 ack=2", "Endpoint.rcv_rst_synchronized")),
            Verdict::kFail);
  // The same failure in another state.
  Failure closing = timeout_failure("flags=A seq=2 ack=2");
  closing.state = "CLOSING";
  EXPECT_EQ(verdict_of(p, "t", closing), Verdict::kFail);
  // A RST came instead of nothing: another kind.
  Failure rst = timeout_failure("flags=A seq=2 ack=2");
  rst.kind = "packet";
  rst.fields = {{"flags", "A", "R", false}};
  TestResult r = failing("t", rst);
  apply_profile(p, &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.note.find("applies at Endpoint.rcv_rst_challenge but describes another failure"), std::string::npos)
      << r.note;
  // One more differing field than the entry describes (a wrong ack on top).
  Failure extra = synack_failure();
  extra.fields[2].ok = false;
  EXPECT_EQ(verdict_of(p, "in_syn_rcvd", extra), Verdict::kFail);
  // One field fewer: the entry's seq clause must differ too.
  Failure fewer = synack_failure();
  fewer.fields[1].ok = true;
  EXPECT_EQ(verdict_of(p, "in_syn_rcvd", fewer), Verdict::kFail);
  // Another stimulus (not a SYN).
  Failure ack = synack_failure();
  ack.stimulus = "+0     inject flags=A seq=5";
  EXPECT_EQ(verdict_of(p, "in_syn_rcvd", ack), Verdict::kFail);
  // A test the entry's `tests` glob does not name.
  EXPECT_EQ(verdict_of(p, "in_established", synack_failure()), Verdict::kFail);
  // The state clause holds only at line 12.
  Failure s;
  s.kind = "state";
  s.step = "Endpoint.rcv_rst_challenge";
  s.line = 13;
  s.fields.push_back({"state", "TIME_WAIT", "CLOSED", false});
  EXPECT_EQ(verdict_of(p, "t", s), Verdict::kFail);
  s.line = 12;
  EXPECT_EQ(verdict_of(p, "t", s), Verdict::kExpectedDeviation);
  // Matching fields only count when they differ.
  Failure m = timeout_failure("flags=A seq=2 ack=2");
  m.fields[0].ok = true;
  EXPECT_EQ(verdict_of(p, "t", m), Verdict::kFail);
}

TEST(RunProfile, OtherVerdictsUntouched) {
  Profile p = parse(kProfile);
  TestResult pass;
  pass.name = "time_wait_rst";
  pass.verdict = Verdict::kPass;
  EXPECT_FALSE(apply_profile(p, &pass));
  EXPECT_EQ(pass.verdict, Verdict::kPass);
}

TEST(RunProfile, AppliesToTestsThatNameItsStep) {
  Profile p = parse(kProfile);
  ParseOutcome t = parse_test(
      "test x\ncovers Endpoint.rcv_syn_listen\nwire tcp\n+0 call listen  # passive_open\n"
      "+0 inject flags=S  # rcv_syn_listen\n+0 inject flags=S  # rcv_unacceptable: again\n",
      "x.spt");
  ASSERT_TRUE(t.test);
  EXPECT_FALSE(deviation_applies(p.deviations[0], *t.test));  // no rcv_rst_challenge step
  EXPECT_FALSE(deviation_applies(p.deviations[1], *t.test));  // `tests *syn_rcvd*` does not name x
  t.test->name = "dup_syn_rcvd";
  EXPECT_TRUE(deviation_applies(p.deviations[1], *t.test));
}

std::string first_error(const std::string& text) {
  std::vector<ParseError> errors;
  EXPECT_FALSE(parse_profile(text, "p.profile", &errors));
  return errors.empty() ? std::string() : errors.front().format();
}

const std::string kHead = "deviation d\nat Endpoint.x\ncite \"RFC 9293 §3.1\"\nrfc \"r\"\nreason \"y\"\n";

TEST(RunProfile, Errors) {
  EXPECT_EQ(first_error(kHead + "match kind=state\n"),
            "p.profile:6:1: error: a match must describe the failure's differing fields: field=F "
            "expected=E actual=A (a profile entry never excuses every failure of a test)");
  EXPECT_EQ(first_error(kHead + "match kind=packet field=flags expected=* actual=R\n"),
            "p.profile:6:31: error: expected=*: describe the value (a bare `*` would excuse any expected value)");
  EXPECT_EQ(first_error(kHead + "match kind=packet field=flags expected=A\n"),
            "p.profile:6:19: error: field=flags needs both expected= and actual=");
  EXPECT_EQ(first_error(kHead + "match kind=packet field=colour expected=A actual=B\n"),
            "p.profile:6:19: error: field=colour: no failure has this field (flags, seq, ack, win, len, mss, "
            "..., packet, arrival, state, call, cache ADDR)");
  EXPECT_EQ(first_error(kHead + "match kind=pack* field=flags expected=A actual=B\n"),
            "p.profile:6:7: error: kind=pack*: expected one of packet, timeout, timing, unexpected, state, "
            "cache, call, malformed, checksum, isn (exactly; no pattern)");
  EXPECT_EQ(first_error(kHead + "match kind=packet expected=A actual=B\n"),
            "p.profile:6:19: error: expected= must follow the field= it describes (kind= first)");
  EXPECT_EQ(first_error("deviation d\ncite \"RFC 9293\"\n"),
            "p.profile:2:6: error: cite `RFC 9293` names no section: write \"RFC 9293 §3.10.7.4\" (or, for "
            "an RFC without numbered sections, its part: \"RFC 826 (Packet Reception)\")");
  EXPECT_EQ(first_error("deviation d\nat rcv_fin\n"),
            "p.profile:2:4: error: `at` takes Role.transition names (Endpoint.rcv_fin), got `rcv_fin`");
  EXPECT_EQ(first_error("deviation d\nlater rcv_fin\n"),
            "p.profile:2:7: error: `later` takes Role.transition names (Endpoint.rcv_fin), got `rcv_fin`");
  EXPECT_EQ(first_error("deviation d\ncite \"RFC 9293 §3.1\"\n"), "p.profile:1: error: deviation d has no `at` line");
  EXPECT_EQ(first_error("tests *\n"),
            "p.profile:1:1: error: `tests` outside an entry (start one with `deviation NAME` or `parameter "
            "NAME`)");
  EXPECT_EQ(first_error("sysctl kernel.x=1\n"),
            "p.profile:1:8: error: sysctl must be NAME=VALUE with NAME under net.");
  EXPECT_EQ(first_error("frobnicate\n"),
            "p.profile:1:1: error: unknown directive `frobnicate` (expected profile, targets, sysctl, "
            "deviation, parameter, at, later, tests, cite, rfc, reason, match, timer)");
  EXPECT_EQ(first_error(kHead + "match kind=timeout colour=red\n"),
            "p.profile:6:20: error: unknown match key `colour` (kind, field, expected, actual, observed, "
            "event, stimulus, state, line)");
  EXPECT_EQ(first_error(kHead + "match kind=timeout expected=flags=A\n" + kHead + "match kind=timeout expected=flags=A\n"),
            "p.profile:7: error: entry d is defined twice");
}

const char* kParameters = R"P(profile p
parameter lwip_rto
at     Endpoint.rtx_syn
timer  rtx=3s
cite   "RFC 6298 §2.1"
rfc    "the sender SHOULD set RTO <- 1 second"
reason "pcb->rto = 3000 ms"

parameter short_time_wait
at     Endpoint.time_wait_expired
tests  tw*
timer  time_wait=60s
cite   "RFC 9293 §3.10.8"
rfc    "linger in the TIME-WAIT state for a time 2xMSL"
reason "TCP_TIMEWAIT_LEN"
)P";

TestCase timer_test(const std::string& name) {
  ParseOutcome o = parse_test("test " + name + R"T(
covers Endpoint.rtx_syn
+0     call connect                          # active_open
+0     expect flags=S seq=0                  # active_open
iut+0  expect none within 0.75 timer rtx=1s  # rtx_syn: rtx expires after 1 s
+0     expect flags=S seq=0 within 0.7 timer rtx=1s
iut+0  expect none within 1.5 timer rtx=1s   # rtx_syn: rtx expires after 2 s (1 s x 2^1)
iut+0  wait 6 timer rtx=1s                   # user_timeout: not before 6 s
+0     expect state SYN_SENT within 0.1
+0     wait 180 timer time_wait=240s         # time_wait_expired: not before 180 s
+0     wait 2 timer keepalive=2s             # other: no parameter for it
)T", "t.spt");
  for (const ParseError& e : o.errors) ADD_FAILURE() << e.format();
  return o.test.value_or(TestCase{});
}

TEST(RunProfile, ParsesTimerParameters) {
  Profile p = parse(kParameters);
  ASSERT_EQ(p.deviations.size(), 2u);
  EXPECT_TRUE(p.deviations[0].parameter);
  ASSERT_TRUE(p.deviations[0].timer);
  EXPECT_EQ(p.deviations[0].timer->timer, "rtx");
  EXPECT_DOUBLE_EQ(p.deviations[0].timer->seconds, 3);
  EXPECT_DOUBLE_EQ(p.deviations[1].timer->seconds, 60);
  EXPECT_TRUE(p.deviations[0].matches.empty());
}

TEST(RunProfile, TimerParameterRescalesTheLinesOfItsTimerAtItsSteps) {
  Profile p = parse(kParameters);
  TestCase t = timer_test("rtx_syn");
  EXPECT_EQ(apply_timer_parameters(p, &t), std::vector<std::string>{"lwip_rto"});
  const std::vector<Event>& e = t.events;
  ASSERT_EQ(e.size(), 9u);
  EXPECT_DOUBLE_EQ(*e[2].within, 2.25);  // 0.75 x 3 s / 1 s
  EXPECT_DOUBLE_EQ(*e[3].within, 2.1);   // its line names no step: still rtx_syn's
  EXPECT_DOUBLE_EQ(*e[4].within, 4.5);
  EXPECT_DOUBLE_EQ(e[5].wait, 18);       // user_timeout: the same rtx still running
  EXPECT_DOUBLE_EQ(*e[6].within, 0.1);   // no timer clause: untouched
  EXPECT_DOUBLE_EQ(e[7].wait, 180);      // short_time_wait names tests tw* only
  EXPECT_DOUBLE_EQ(e[8].wait, 2);        // a timer no parameter names
  EXPECT_NE(e[2].text.find("[rtx=3 s, parameter lwip_rto: within 2.25]"), std::string::npos) << e[2].text;

  // After a call, a timer line at a step no entry names is the stack's no more.
  TestCase again = timer_test("rtx_syn");
  Event call;
  call.type = Event::Type::kCall;
  again.events.insert(again.events.begin() + 5, call);
  apply_timer_parameters(p, &again);
  EXPECT_DOUBLE_EQ(again.events[6].wait, 6);

  TestCase tw = timer_test("tw_expired");
  EXPECT_EQ(apply_timer_parameters(p, &tw), (std::vector<std::string>{"lwip_rto", "short_time_wait"}));
  EXPECT_DOUBLE_EQ(tw.events[7].wait, 45);  // 180 x 60 s / 240 s
}

TEST(RunProfile, TimerParameterMakesAPassAnExpectedDeviation) {
  Profile p = parse(kParameters);
  TestResult pass;
  pass.verdict = Verdict::kPass;
  report_timer_parameters(p, {"lwip_rto"}, &pass);
  EXPECT_EQ(pass.verdict, Verdict::kExpectedDeviation);
  EXPECT_EQ(pass.deviation, "lwip_rto");
  EXPECT_NE(pass.deviation_text.find("RFC 6298 §2.1"), std::string::npos);
  TestResult fail = failing("rtx_syn", timeout_failure("flags=S seq=0", "Endpoint.rtx_syn"));
  report_timer_parameters(p, {"lwip_rto"}, &fail);
  EXPECT_EQ(fail.verdict, Verdict::kFail);
  EXPECT_NE(fail.note.find("rescaled by profile parameter lwip_rto"), std::string::npos);
  TestResult untouched;
  untouched.verdict = Verdict::kPass;
  report_timer_parameters(p, {}, &untouched);
  EXPECT_EQ(untouched.verdict, Verdict::kPass);
}

TEST(RunProfile, LaterStepsExcuseTheEffectButDoNotMakeAnEntryApply) {
  Profile p = parse(R"P(profile p
deviation abort_sends_rst
at     Endpoint.abort_syn_sent
later  Endpoint.active_open
cite   "RFC 9293 §3.10.5"
rfc    "delete the TCB, enter CLOSED state, and return."
reason "tcp_abort sends a RST"
match  kind=packet field=flags expected=S actual=RA state=CLOSED
)P");
  ASSERT_EQ(p.deviations.size(), 1u);
  EXPECT_EQ(p.deviations[0].later, std::vector<std::string>{"Endpoint.active_open"});
  Failure f;
  f.kind = "packet";
  f.step = "Endpoint.active_open";
  f.state = "CLOSED";
  f.fields.push_back({"flags", "S", "RA", false});
  EXPECT_EQ(verdict_of(p, "wp.SYN_SENT.abort_syn_sent.w1", f), Verdict::kExpectedDeviation);
  f.state = "SYN_SENT";
  EXPECT_EQ(verdict_of(p, "wp.SYN_SENT.abort_syn_sent.w1", f), Verdict::kFail);
  // A test that only OPENs is not one the entry applies to (no stale listing for it).
  EXPECT_FALSE(deviation_applies(p.deviations[0], "active_open", {"Endpoint.active_open"}));
  EXPECT_TRUE(deviation_applies(p.deviations[0], "abort_syn_sent", {"Endpoint.abort_syn_sent"}));
}

TEST(RunProfile, TimerParameterErrors) {
  const std::string head = "parameter t\nat Endpoint.rtx_syn\ncite \"RFC 6298 §2.1\"\nrfc \"x\"\nreason \"y\"\n";
  EXPECT_EQ(first_error(head), "p.profile:1: error: parameter t has no `timer` line");
  EXPECT_EQ(first_error(head + "timer rtx=3\n"),
            "p.profile:6:7: error: expected `timer NAME=DURATION` with a unit, e.g. timer rtx=3s (ms, s, min)");
  EXPECT_EQ(first_error(head + "timer rtx=3s\ntimer rtx=4s\n"), "p.profile:7:1: error: parameter t has two `timer` lines");
  EXPECT_EQ(first_error(head + "timer rtx=3s\nmatch kind=timeout expected=x\n"),
            "p.profile:7:1: error: a parameter entry rescales timers and excuses no failure: `match` belongs in a "
            "`deviation` entry");
  EXPECT_EQ(first_error(kHead + "timer rtx=3s\n"),
            "p.profile:6:1: error: `timer` belongs in a `parameter` entry (a deviation describes failures with "
            "`match`)");
}

TEST(RunProfile, UnknownTransitionOfAKnownRoleIsAnError) {
  Profile p = parse(kProfile);
  std::vector<ParseError> errors;
  check_profile_steps(p, {{"Endpoint", {"rcv_rst_challenge", "rcv_unacceptable"}}}, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].format(),
            "p.profile:15: error: deviation retransmits_synack names Endpoint.rcv_ack_syn_rcvd, which is not a "
            "transition of role Endpoint (its transitions: rcv_rst_challenge, rcv_unacceptable)");
  errors.clear();
  check_profile_steps(p, {{"Host", {"resolve"}}}, &errors);  // another spec's roles: nothing to say
  EXPECT_TRUE(errors.empty());
}

// The shipped profiles name only transitions spec/tcp.sp and spec/arp.sp have.
TransitionsByRole repo_spec_transitions() {
  TransitionsByRole out;
  for (const char* name : {"tcp.sp", "arp.sp"}) {
    ir::Model m = gen::testing::compile_repo_spec(name);
    for (const ir::Role& role : m.roles) {
      for (const ir::Transition& t : role.transitions) out[role.name].insert(t.name);
    }
  }
  return out;
}

void expect_builtin_profile_sound(const std::string& target) {
  std::optional<std::string> text = builtin_profile_text(target);
  ASSERT_TRUE(text);
  Profile p = parse(text->c_str());
  EXPECT_GE(p.deviations.size(), 8u);
  for (const Deviation& d : p.deviations) {
    EXPECT_FALSE(d.rfc.empty()) << d.name;
    EXPECT_FALSE(d.reason.empty()) << d.name;
    EXPECT_FALSE(d.cites.empty()) << d.name;
    EXPECT_FALSE(d.at.empty()) << d.name;
  }
  std::vector<ParseError> errors;
  check_profile_steps(p, repo_spec_transitions(), &errors);
  for (const ParseError& e : errors) ADD_FAILURE() << e.format();
}

TEST(RunProfile, BuiltinLinuxProfileChangesNothingAndNamesRealTransitions) {
  expect_builtin_profile_sound("linux");
  Profile p = parse(builtin_profile_text("linux")->c_str());
  EXPECT_TRUE(p.sysctls.empty());  // the kernel as shipped
  EXPECT_EQ(builtin_profile_text("linux-tap"), builtin_profile_text("linux"));
  EXPECT_FALSE(builtin_profile_text("bsd"));
}

TEST(RunProfile, BuiltinLwipProfileNamesRealTransitions) {
  expect_builtin_profile_sound("lwip");
  EXPECT_TRUE(parse(builtin_profile_text("lwip")->c_str()).sysctls.empty());  // lwIP has none
}

}  // namespace
}  // namespace sp::harness
