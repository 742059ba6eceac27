// The shipped specs: every safety property of tcp.sp and arp.sp holds, and every
// variant with a safety bug is caught, with the bug visible at the end of the trace.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <set>

#include "checker/safety.hpp"
#include "checker/trace_json.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::Find;

std::string SpecPath(const std::string& rel) { return std::string(STATEPROOF_SOURCE_DIR) + "/spec/" + rel; }

std::optional<ir::Model> Load(const std::string& rel, CompileOptions options = {}) {
  std::optional<std::string> text = testing::ReadFile(SpecPath(rel));
  if (!text) return std::nullopt;
  SourceFile file{rel, *text};
  Diagnostics diags(file);
  ir::Model m;
  options.warnings = false;
  if (!compile_spec(diags, options, m)) {
    ADD_FAILURE() << diags.format_all();
    return std::nullopt;
  }
  return m;
}

std::vector<int> SafetyProperties(const ir::Model& m, int s) {
  std::vector<int> v;
  for (size_t p = 0; p < m.properties.size(); ++p) {
    if (m.properties[p].system == s && m.properties[p].kind != ir::PropertyKind::kLtl) v.push_back(static_cast<int>(p));
  }
  return v;
}

void ExpectAllHold(const ir::Model& m) {
  for (size_t s = 0; s < m.systems.size(); ++s) {
    ir::TransitionSystem ts(m, static_cast<int>(s));
    Options o;
    o.jobs = 2;
    Result r = check_safety(ts, SafetyProperties(m, static_cast<int>(s)), o);
    EXPECT_TRUE(r.complete) << m.systems[s].name;
    EXPECT_GT(r.stats.states, 1000u);
    for (const Outcome& out : r.outcomes) {
      EXPECT_EQ(out.verdict, Verdict::kHolds) << m.systems[s].name << ": " << out.name << ": " << out.message;
    }
  }
}

TEST(Specs, TcpSafetyPropertiesHold) {
  CompileOptions o;
  o.const_overrides = {{"MAX_RETX", 1}};  // R1: about 10^5 states (R2 is run by the benchmark)
  std::optional<ir::Model> m = Load("tcp.sp", o);
  if (!m) GTEST_SKIP() << "spec/tcp.sp not available";
  ExpectAllHold(*m);
}

// Full width across wrap-around: at --seq-bits 32 with both ISNs just below 2^32 the
// sequence numbers are concrete, so the explicit search is exhaustive at 32 bits. Every
// safety property holds, the space is the 3-bit one's (the ISNs are 6 and 2 mod 8, and
// nothing aliases), and the run does cross 2^32: in some reachable state the client's
// send window straddles the wrap (SND.UNA = 2^32 - 1, SND.NXT = 0: its FIN unacked).
TEST(Specs, TcpHoldsAt32BitsAcrossWrapAround) {
  CompileOptions o;
  o.seq_bits = 32;
  o.const_overrides = {{"MAX_RETX", 1}, {"CLIENT_ISS", 4294967294}, {"SERVER_ISS", 4294967290}};
  std::optional<ir::Model> m = Load("tcp.sp", o);
  if (!m) GTEST_SKIP() << "spec/tcp.sp not available";
  const int sys = m->find_system("pair");
  ASSERT_GE(sys, 0);
  ir::TransitionSystem ts(*m, sys);
  Options opt;
  opt.jobs = 2;
  opt.por = false;  // the whole state space (the wrap is looked for in it)
  Result r = check_safety(ts, SafetyProperties(*m, sys), opt);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.stats.states, 102540u);
  for (const Outcome& out : r.outcomes) EXPECT_EQ(out.verdict, Verdict::kHolds) << out.name << ": " << out.message;
  // Look for the wrap: BFS over the same states.
  const ir::Role& role = m->roles[static_cast<size_t>(m->systems[static_cast<size_t>(sys)].instances[0].role)];
  int snd_nxt = -1, snd_una = -1;
  for (size_t v = 0; v < role.vars.size(); ++v) {
    if (role.vars[v].name == "snd_nxt") snd_nxt = ts.layout().instances[0].vars[v];
    if (role.vars[v].name == "snd_una") snd_una = ts.layout().instances[0].vars[v];
  }
  ASSERT_GE(snd_nxt, 0);
  ASSERT_GE(snd_una, 0);
  std::set<ir::Slots> seen{ts.initial_state()};
  std::deque<ir::Slots> queue{ts.initial_state()};
  bool wrapped = false;
  while (!queue.empty() && !wrapped) {
    const ir::Slots st = std::move(queue.front());
    queue.pop_front();
    wrapped = st[static_cast<size_t>(snd_una)] == 4294967295 && st[static_cast<size_t>(snd_nxt)] == 0;
    ts.successors(st, [&](const ir::Successor& x) {
      if (!x.error && seen.insert(x.state).second) queue.push_back(x.state);
    });
  }
  EXPECT_TRUE(wrapped) << "no reachable state has the client's send window across 2^32";
}

// The off-by-one ACK-acceptability variant at full width, with the ISNs just below 2^32:
// the deadlock is found with concrete 32-bit values, and the ACK that wrongly passes the
// test acknowledges across the wrap (the client's FIN was numbered 2^32 - 1).
TEST(Specs, AckOffByOneCaughtAt32BitsAcrossWrapAround) {
  CompileOptions co;
  co.seq_bits = 32;
  co.const_overrides = {{"MAX_RETX", 1}, {"CLIENT_ISS", 4294967294}, {"SERVER_ISS", 4294967290}};
  std::optional<ir::Model> m = Load("variants/tcp_ack_off_by_one.sp", co);
  if (!m) GTEST_SKIP() << "spec/variants/tcp_ack_off_by_one.sp not available";
  const int s = m->find_system("pair");
  const int p = m->find_property("no_deadlock");
  ASSERT_GE(s, 0);
  ASSERT_GE(p, 0);
  ir::TransitionSystem ts(*m, s);
  Options o;
  o.jobs = 2;
  o.check_errors = false;
  Result r = check_safety(ts, {p}, o);
  ASSERT_EQ(r.outcomes.size(), 1u);
  ASSERT_EQ(r.outcomes[0].verdict, Verdict::kViolated) << r.outcomes[0].message;
  const Trace& t = *r.outcomes[0].trace;
  bool fin_at_top = false, wrapped_ack = false;
  for (const TraceStep& step : t.steps) {
    for (const ir::SendEvent& e : step.label.sends) {
      // Segment fields: flags, seq, ack.
      if (e.fields.size() >= 3 && e.fields[1] == 4294967295 && (e.fields[0] & 1) != 0) fin_at_top = true;
      if (e.fields.size() >= 3 && e.fields[2] == 0 && (e.fields[0] & (1 << 4)) != 0) wrapped_ack = true;
    }
  }
  EXPECT_TRUE(fin_at_top) << "the client's FIN is not numbered 2^32 - 1";
  EXPECT_TRUE(wrapped_ack) << "no ACK acknowledges across 2^32";
  ReplayResult rr = replay_trace(ts, trace_to_json(ts, t));
  EXPECT_TRUE(rr.ok()) << rr.mismatch << " / " << rr.verdict;
}

TEST(Specs, ArpSafetyPropertiesHold) {
  std::optional<ir::Model> m = Load("arp.sp");
  if (!m) GTEST_SKIP() << "spec/arp.sp not available";
  ExpectAllHold(*m);
}

struct Variant {
  const char* file;
  const char* system;
  const char* property;
  // The buggy transition, expected among the last steps of the trace ("" when the bug
  // removed a transition: then `final_state` is checked instead).
  const char* transition;
  const char* instance_in_final_state;  // optional: instance and control state at the end
  const char* final_state;
  bool anywhere = false;  // `transition` may be anywhere in the trace, not only at its end
};

const Variant kVariants[] = {
    {"tcp_passive_time_wait.sp", "pair", "time_wait_only_on_active_closer", "rcv_ack_of_fin_last_ack",
     "server", "TIME_WAIT"},
    {"tcp_lastack_anyack.sp", "pair", "no_deadlock", "rcv_ack_of_fin_last_ack", "client", "FIN_WAIT_2"},
    {"tcp_ack_off_by_one.sp", "pair", "no_deadlock", "", "client", "FIN_WAIT_2"},
    {"tcp_no_lastack_retx.sp", "pair", "no_deadlock", "", "server", "LAST_ACK"},
    {"tcp_no_syn_retx.sp", "pair", "no_deadlock", "", "client", "SYN_SENT"},
    {"arp_cache_broadcast.sp", "lan", "cache_never_maps_broadcast", "rcv_request", nullptr, nullptr},
    {"arp_reply_any.sp", "lan", "replies_only_for_own_address", "rcv_request", nullptr, nullptr},
    // Shortest traces differ in which host gives up; each retransmits MAX_TRIES times.
    {"arp_no_give_up.sp", "lan", "quiescent_only_when_idle", "retransmit", nullptr, nullptr, true},
};

class SpecVariant : public ::testing::TestWithParam<Variant> {};

TEST_P(SpecVariant, IsCaughtWithTheBugInTheTrace) {
  const Variant& v = GetParam();
  std::optional<ir::Model> m = Load(std::string("variants/") + v.file);
  if (!m) GTEST_SKIP() << v.file << " not available";
  const int s = m->find_system(v.system);
  const int p = m->find_property(v.property);
  ASSERT_GE(s, 0);
  ASSERT_GE(p, 0);
  ir::TransitionSystem ts(*m, s);
  Options o;
  o.jobs = 2;
  o.check_errors = false;  // stop at the violation
  Result r = check_safety(ts, {p}, o);
  ASSERT_EQ(r.outcomes.size(), 1u);
  const Outcome& out = r.outcomes[0];
  ASSERT_EQ(out.verdict, Verdict::kViolated) << out.message;
  EXPECT_EQ(out.name, v.property);
  ASSERT_TRUE(out.trace.has_value());
  const Trace& t = *out.trace;
  EXPECT_EQ(t.property, v.property);
  EXPECT_LE(t.steps.size(), 20u);
  if (*v.transition) {
    bool seen = false;
    const size_t from = v.anywhere || t.steps.size() <= 4 ? 0 : t.steps.size() - 4;
    for (size_t k = from; k < t.steps.size(); ++k) {
      const ir::Label& l = t.steps[k].label;
      const ir::Role& role = m->roles[static_cast<size_t>(ts.system().instances[static_cast<size_t>(l.instance)].role)];
      if (role.transitions[static_cast<size_t>(l.transition)].name == v.transition) seen = true;
    }
    EXPECT_TRUE(seen) << v.transition << " is not among the last steps";
  }
  if (v.instance_in_final_state) {
    const ir::Slots& last = t.steps.empty() ? t.initial : t.steps.back().state;
    int i = -1;
    for (size_t k = 0; k < ts.system().instances.size(); ++k) {
      if (ts.system().instances[k].name == v.instance_in_final_state) i = static_cast<int>(k);
    }
    ASSERT_GE(i, 0);
    const ir::Role& role = m->roles[static_cast<size_t>(ts.system().instances[static_cast<size_t>(i)].role)];
    EXPECT_EQ(role.states[static_cast<size_t>(ts.control_state(last, i))], v.final_state);
  }
  // The counterexample replays from its JSON.
  ReplayResult rr = replay_trace(ts, trace_to_json(ts, t));
  EXPECT_TRUE(rr.ok()) << rr.mismatch << " / " << rr.verdict;
}

INSTANTIATE_TEST_SUITE_P(Variants, SpecVariant, ::testing::ValuesIn(kVariants),
                         [](const ::testing::TestParamInfo<Variant>& info) {
                           std::string n = info.param.file;
                           n = n.substr(0, n.find('.'));
                           return n;
                         });

}  // namespace
}  // namespace sp::checker
