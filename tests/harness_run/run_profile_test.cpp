// Target profiles: parsing with file:line errors, and the rule that an entry turns a
// fail into an expected deviation only at the steps it names and only for the failure it
// describes exactly (kind and every differing field, with expected and actual values).
#include <gtest/gtest.h>

#include "harness/profile/profile.hpp"
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
  EXPECT_EQ(first_error("deviation d\ncite \"RFC 9293 §3.1\"\n"), "p.profile:1: error: deviation d has no `at` line");
  EXPECT_EQ(first_error("tests *\n"),
            "p.profile:1:1: error: `tests` outside a deviation (start one with `deviation NAME`)");
  EXPECT_EQ(first_error("sysctl kernel.x=1\n"),
            "p.profile:1:8: error: sysctl must be NAME=VALUE with NAME under net.");
  EXPECT_EQ(first_error("frobnicate\n"),
            "p.profile:1:1: error: unknown directive `frobnicate` (expected profile, targets, sysctl, "
            "deviation, at, tests, cite, rfc, reason, match)");
  EXPECT_EQ(first_error(kHead + "match kind=timeout colour=red\n"),
            "p.profile:6:20: error: unknown match key `colour` (kind, field, expected, actual, observed, "
            "event, stimulus, state, line)");
  EXPECT_EQ(first_error(kHead + "match kind=timeout expected=flags=A\n" + kHead + "match kind=timeout expected=flags=A\n"),
            "p.profile:7: error: deviation d is defined twice");
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
