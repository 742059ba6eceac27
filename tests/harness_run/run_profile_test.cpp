// Target profiles: parsing with file:line errors, and the rule that an entry turns a
// fail into an expected deviation only for the failure it describes.
#include <gtest/gtest.h>

#include "harness/profile/profile.hpp"

namespace sp::harness {
namespace {

const char* kProfile = R"P(# test profile
profile p
targets linux linux-tap
sysctl net.ipv4.tcp_invalid_ratelimit=0

deviation tw_no_challenge
tests  *time_wait*rst* other_test
cite   "RFC 9293 §3.10.7.4"
rfc    "TCP endpoints MUST send an acknowledgment"
rfc    "(challenge ACK)"
reason "timewait minisock drops it"
match  kind=timeout field=packet expected=flags=A* actual=nothing
match  kind=state field=state expected=TIME_WAIT actual=CLOSED line=12
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

Failure timeout_failure(const std::string& expected) {
  Failure f;
  f.kind = "timeout";
  f.line = 20;
  f.fields.push_back({"packet", expected, "nothing", false});
  return f;
}

TEST(RunProfile, Parses) {
  Profile p = parse(kProfile);
  EXPECT_EQ(p.name, "p");
  EXPECT_EQ(p.targets, (std::vector<std::string>{"linux", "linux-tap"}));
  ASSERT_EQ(p.sysctls.size(), 1u);
  EXPECT_EQ(p.sysctls[0].first, "net.ipv4.tcp_invalid_ratelimit");
  ASSERT_EQ(p.deviations.size(), 1u);
  const Deviation& d = p.deviations[0];
  EXPECT_EQ(d.name, "tw_no_challenge");
  EXPECT_EQ(d.tests.size(), 2u);
  EXPECT_EQ(d.rfc, "TCP endpoints MUST send an acknowledgment (challenge ACK)");
  ASSERT_EQ(d.matches.size(), 2u);
  EXPECT_EQ(d.matches[1].line, 12);
}

TEST(RunProfile, DescribedFailureBecomesExpectedDeviation) {
  Profile p = parse(kProfile);
  TestResult r = failing("time_wait_rst_in_window", timeout_failure("flags=A seq=2 ack=2"));
  apply_profile(p, &r);
  EXPECT_EQ(r.verdict, Verdict::kExpectedDeviation);
  EXPECT_EQ(r.deviation, "tw_no_challenge");
  EXPECT_NE(r.deviation_text.find("RFC 9293 §3.10.7.4"), std::string::npos);
  EXPECT_NE(r.deviation_text.find("timewait minisock"), std::string::npos);
}

TEST(RunProfile, OtherFailureOfANamedTestStaysAFail) {
  Profile p = parse(kProfile);
  // Named by the glob, but a RST came instead of nothing.
  Failure f;
  f.kind = "packet";
  f.line = 20;
  f.fields.push_back({"flags", "A", "R", false});
  TestResult r = failing("time_wait_rst_in_window", f);
  apply_profile(p, &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.note.find("names this test but describes another failure"), std::string::npos) << r.note;
  // The state clause holds only at line 12.
  Failure s;
  s.kind = "state";
  s.line = 13;
  s.fields.push_back({"state", "TIME_WAIT", "CLOSED", false});
  TestResult r2 = failing("time_wait_rst_x", s);
  apply_profile(p, &r2);
  EXPECT_EQ(r2.verdict, Verdict::kFail);
  s.line = 12;
  TestResult r3 = failing("time_wait_rst_x", s);
  apply_profile(p, &r3);
  EXPECT_EQ(r3.verdict, Verdict::kExpectedDeviation);
  // Matching fields only count when they differ: a matching field does not excuse.
  Failure m = timeout_failure("flags=A seq=2");
  m.fields[0].ok = true;
  TestResult r4 = failing("time_wait_rst_in_window", m);
  apply_profile(p, &r4);
  EXPECT_EQ(r4.verdict, Verdict::kFail);
}

TEST(RunProfile, UnnamedTestAndOtherVerdictsUntouched) {
  Profile p = parse(kProfile);
  TestResult r = failing("passive_open", timeout_failure("flags=A"));
  apply_profile(p, &r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_TRUE(r.note.empty());
  TestResult pass;
  pass.name = "time_wait_rst";
  pass.verdict = Verdict::kPass;
  apply_profile(p, &pass);
  EXPECT_EQ(pass.verdict, Verdict::kPass);
}

TEST(RunProfile, Errors) {
  auto first_error = [](const char* text) {
    std::vector<ParseError> errors;
    EXPECT_FALSE(parse_profile(text, "p.profile", &errors));
    return errors.empty() ? std::string() : errors.front().format();
  };
  EXPECT_EQ(first_error("deviation d\ntests *\ncite \"x\"\nrfc \"r\"\nreason \"y\"\nmatch kind=state\n"),
            "p.profile:6:1: error: a match must describe the failure: field=, expected=, actual= or "
            "observed= (a profile entry never excuses every failure of a test)");
  EXPECT_EQ(first_error("deviation d\ntests *\n"), "p.profile:1: error: deviation d has no `cite` line");
  EXPECT_EQ(first_error("tests *\n"),
            "p.profile:1:1: error: `tests` outside a deviation (start one with `deviation NAME`)");
  EXPECT_EQ(first_error("sysctl kernel.x=1\n"),
            "p.profile:1:8: error: sysctl must be NAME=VALUE with NAME under net.");
  EXPECT_EQ(first_error("frobnicate\n"),
            "p.profile:1:1: error: unknown directive `frobnicate` (expected profile, targets, "
            "sysctl, deviation, tests, cite, rfc, reason, match)");
  EXPECT_EQ(first_error("deviation d\nmatch kind=x colour=red\n"),
            "p.profile:2:14: error: unknown match key `colour` (kind, field, expected, actual, "
            "observed, event, line)");
}

TEST(RunProfile, BuiltinLinuxProfileParses) {
  std::optional<std::string> text = builtin_profile_text("linux");
  ASSERT_TRUE(text);
  Profile p = parse(text->c_str());
  EXPECT_GE(p.deviations.size(), 4u);
  EXPECT_FALSE(p.sysctls.empty());
  for (const Deviation& d : p.deviations) {
    EXPECT_FALSE(d.rfc.empty()) << d.name;
    EXPECT_FALSE(d.reason.empty()) << d.name;
    EXPECT_FALSE(d.cites.empty()) << d.name;
  }
  EXPECT_EQ(builtin_profile_text("linux-tap"), text);
  EXPECT_FALSE(builtin_profile_text("bsd"));
}

TEST(RunProfile, BuiltinLwipProfileParsesAndExplainsEveryEntry) {
  std::optional<std::string> text = builtin_profile_text("lwip");
  ASSERT_TRUE(text);
  Profile p = parse(text->c_str());
  EXPECT_GE(p.deviations.size(), 8u);
  EXPECT_TRUE(p.sysctls.empty());  // lwIP has none
  for (const Deviation& d : p.deviations) {
    EXPECT_FALSE(d.rfc.empty()) << d.name;
    EXPECT_FALSE(d.reason.empty()) << d.name;
    EXPECT_FALSE(d.cites.empty()) << d.name;
  }
}

}  // namespace
}  // namespace sp::harness
