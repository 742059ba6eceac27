// Semantic analysis: every error class with its exact message and position, warnings,
// and the IR that lowering builds for small specs.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"

namespace sp {
namespace {

struct Compiled {
  bool ok = false;
  std::string messages;
  ir::Model model;
};

Compiled compile(const std::string& text, CompileOptions options = {}) {
  SourceFile file{"t.sp", text};
  Diagnostics diags(file);
  Compiled c;
  c.ok = compile_spec(diags, options, c.model);
  c.messages = diags.format_all();
  return c;
}

// A small, valid spec that the error tests vary one line at a time.
const char* const kBase = R"(protocol toy "a toy"
const MAX = 2
type Flags = set<enum { SYN, ACK, FIN }>
type Seq = seq<32>
message Seg wire tcp { flags: Flags, seq: Seq, ack: Seq }
role Peer {
  port net: Seg
  calls open, close
  states IDLE, WAIT, DONE
  initial IDLE
  var n: int[0..MAX] = 0
  var nxt: Seq
  timer rtx = 1s backoff 2
  open_it: from IDLE on call open -> WAIT { send net { flags = {SYN}, seq = nxt } start rtx }
  again: from WAIT on timeout rtx if n < MAX -> same { n = n + 1 start rtx }
  got: from WAIT on recv net(s) if s.flags == {SYN, ACK} -> DONE { nxt = s.ack + 1 }
}
system two {
  instance a, b: Peer
  channel a.net -> b.net capacity 2 lossy 1
  channel b.net -> a.net capacity 2
}
property done_ok in two: always (a in DONE -> a.n <= MAX)
)";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kBase;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(Sema, PreambleViaMarksStatesAndIsNotReserved) {
  // `preamble via` takes states and groups; `preamble` stays a usable transition name.
  Compiled c = compile(with("initial IDLE", "initial IDLE\n  group LATE = { DONE }\n  preamble via WAIT, LATE"));
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(c.model.roles[0].preamble_via, (std::vector<bool>{false, true, true}));
  Compiled named = compile(with("open_it: from IDLE", "preamble: from IDLE"));
  ASSERT_TRUE(named.ok) << named.messages;
  EXPECT_TRUE(named.model.roles[0].preamble_via.empty());
  EXPECT_EQ(named.model.roles[0].transitions[0].name, "preamble");
}

TEST(Sema, BaseSpecCompiles) {
  Compiled c = compile(kBase);
  EXPECT_TRUE(c.ok) << c.messages;
  ASSERT_EQ(c.model.roles.size(), 1u);
  const ir::Role& r = c.model.roles[0];
  EXPECT_EQ(r.states.size(), 3u);
  ASSERT_EQ(r.transitions.size(), 3u);
  EXPECT_EQ(r.transitions[1].name, "again");
  EXPECT_EQ(r.transitions[1].target, -1);
  EXPECT_EQ(r.timers[0].duration_ms, 1000);
  EXPECT_EQ(r.timers[0].backoff, 2);
  ASSERT_EQ(c.model.systems.size(), 1u);
  EXPECT_EQ(c.model.systems[0].queues.size(), 2u);
  EXPECT_EQ(c.model.systems[0].queues[0].loss_budget, 1);
  EXPECT_TRUE(c.model.systems[0].environment.unrestricted);
  ASSERT_EQ(c.model.properties.size(), 1u);
  EXPECT_EQ(c.model.properties[0].kind, ir::PropertyKind::kInvariant);
}

TEST(Sema, SeqIsReducedToSeqBits) {
  Compiled c = compile(kBase);
  ASSERT_TRUE(c.ok) << c.messages;
  bool found = false;
  for (const ir::Type& t : c.model.types) {
    if (t.kind == ir::TypeKind::kSeq) {
      EXPECT_EQ(t.seq_bits, 3);
      EXPECT_EQ(t.seq_wire_bits, 32);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  CompileOptions wide;
  wide.seq_bits = 32;
  Compiled w = compile(kBase, wide);
  ASSERT_TRUE(w.ok) << w.messages;
  for (const ir::Type& t : w.model.types) {
    if (t.kind == ir::TypeKind::kSeq) {
      EXPECT_EQ(t.seq_bits, 32);
    }
  }
}

TEST(Sema, ConstOverride) {
  CompileOptions o;
  o.const_overrides = {{"MAX", 5}};
  Compiled c = compile(kBase, o);
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Type& t = c.model.types[c.model.roles[0].vars[0].type];
  EXPECT_EQ(t.hi, 5);
}

// `lossy N` takes a constant expression, so --const reaches the loss budget.
TEST(Sema, LossBudgetIsAConstantExpression) {
  std::string text = with("lossy 1", "lossy MAX dup (MAX - 1)");
  Compiled c = compile(text);
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(c.model.systems[0].queues[0].loss_budget, 2);
  EXPECT_EQ(c.model.systems[0].queues[0].dup_budget, 1);
  CompileOptions o;
  o.const_overrides = {{"MAX", 3}};
  Compiled d = compile(text, o);
  ASSERT_TRUE(d.ok) << d.messages;
  EXPECT_EQ(d.model.systems[0].queues[0].loss_budget, 3);
  EXPECT_EQ(d.model.systems[0].queues[0].dup_budget, 2);
}

// Out of range stops only the system (docs/language.md, "Channels"): a warning, and the
// error recorded for `check`, `export` and `simulate` of that system.
TEST(Sema, LossBudgetOutOfRangeStopsOnlyItsSystem) {
  CompileOptions o;
  o.const_overrides = {{"MAX", 300}};
  Compiled c = compile(with("lossy 1", "lossy MAX"), o);
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_NE(c.messages.find("t.sp:20:43: warning: loss budget must be 0..255, not 300; system two cannot be "
                            "checked (the other systems can)"),
            std::string::npos)
      << c.messages;
  EXPECT_EQ(c.model.systems[0].errors, std::vector<std::string>{"t.sp:20:43: loss budget must be 0..255, not 300"});
}

TEST(Sema, LossBudgetMustBeConstant) {
  Compiled c = compile(with("lossy 1", "lossy n"));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.messages.find("t.sp:20:43: error: unknown name 'n'"), std::string::npos) << c.messages;
}

TEST(Sema, ConstOverrideOfUnknownNameIsAnError) {
  CompileOptions o;
  o.const_overrides = {{"MAXX", 5}};
  Compiled c = compile(kBase, o);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.messages, "t.sp: error: --const MAXX: no constant 'MAXX' in this spec (did you mean MAX?)\n");
}

struct ErrorCase {
  const char* name;
  const char* from;
  const char* to;
  const char* expected;
};

class SemaError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SemaError, ReportsExactMessageAndPosition) {
  const ErrorCase& ec = GetParam();
  Compiled c = compile(with(ec.from, ec.to));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.messages, ec.expected);
}

const ErrorCase kErrors[] = {
    {"UnknownPreambleViaState", "initial IDLE", "initial IDLE preamble via WAIT, DOEN",
     "t.sp:10:35: error: unknown state 'DOEN' in role Peer (did you mean DONE?)\n"
     "    initial IDLE preamble via WAIT, DOEN\n"
     "                                    ^\n"},
    {"UnknownTargetState", "-> DONE {", "-> DONNE {",
     "t.sp:16:61: error: unknown state 'DONNE' in role Peer (did you mean DONE?)\n"
     "    got: from WAIT on recv net(s) if s.flags == {SYN, ACK} -> DONNE { nxt = s.ack + 1 }\n"
     "                                                              ^\n"},
    {"UnknownFromState", "again: from WAIT", "again: from WAITT",
     "t.sp:15:15: error: unknown state 'WAITT' in role Peer (did you mean WAIT?)\n"
     "    again: from WAITT on timeout rtx if n < MAX -> same { n = n + 1 start rtx }\n"
     "                ^\n"},
    {"FieldNotInMessage", "seq = nxt }", "ackno = nxt }",
     "t.sp:14:71: error: field 'ackno' is not in message Seg (did you mean ack?)\n"
     "    open_it: from IDLE on call open -> WAIT { send net { flags = {SYN}, ackno = nxt } start rtx }\n"
     "                                                                        ^\n"},
    {"FieldOfReceivedMessage", "s.ack + 1", "s.ackk + 1",
     "t.sp:16:76: error: field 'ackk' is not in message Seg (did you mean ack?)\n"
     "    got: from WAIT on recv net(s) if s.flags == {SYN, ACK} -> DONE { nxt = s.ackk + 1 }\n"
     "                                                                             ^\n"},
    {"UnknownName", "if n < MAX", "if m < MAX",
     "t.sp:15:38: error: unknown name 'm'\n"
     "    again: from WAIT on timeout rtx if m < MAX -> same { n = n + 1 start rtx }\n"
     "                                       ^\n"},
    {"AssignWrongType", "{ n = n + 1", "{ n = true",
     "t.sp:15:60: error: assignment to n: expected int[0..2], found bool\n"
     "    again: from WAIT on timeout rtx if n < MAX -> same { n = true start rtx }\n"
     "                                                             ^\n"},
    {"InitOutOfRange", "var n: int[0..MAX] = 0", "var n: int[0..MAX] = 3",
     "t.sp:11:24: error: initial value: 3 is out of range int[0..2]\n"
     "    var n: int[0..MAX] = 3\n"
     "                         ^\n"},
    {"SeqAsInt", "{ n = n + 1", "{ n = nxt",
     "t.sp:15:60: error: assignment to n: expected int[0..2], found seq<32> (subtract two "
     "sequence numbers for a distance)\n"
     "    again: from WAIT on timeout rtx if n < MAX -> same { n = nxt start rtx }\n"
     "                                                             ^\n"},
    {"AssignToConstant", "{ n = n + 1", "{ MAX = n + 1",
     "t.sp:15:56: error: cannot assign to constant 'MAX'\n"
     "    again: from WAIT on timeout rtx if n < MAX -> same { MAX = n + 1 start rtx }\n"
     "                                                         ^\n"},
    {"DuplicateTransition", "again: from", "open_it: from",
     "t.sp:15:3: error: transition 'open_it' is already declared in role Peer\n"
     "    open_it: from WAIT on timeout rtx if n < MAX -> same { n = n + 1 start rtx }\n"
     "    ^\n"},
    {"UnknownPort", "recv net(s)", "recv nett(s)",
     "t.sp:16:26: error: unknown port 'nett' in role Peer (did you mean net?)\n"
     "    got: from WAIT on recv nett(s) if s.flags == {SYN, ACK} -> DONE { nxt = s.ack + 1 }\n"
     "                           ^\n"},
    {"UnknownTimer", "on timeout rtx", "on timeout rtxx",
     "t.sp:15:31: error: unknown timer 'rtxx' in role Peer (did you mean rtx?)\n"
     "    again: from WAIT on timeout rtxx if n < MAX -> same { n = n + 1 start rtx }\n"
     "                                ^\n"},
    {"UnknownCall", "on call open", "on call opne",
     "t.sp:14:30: error: unknown call 'opne' in role Peer (did you mean open?)\n"
     "    open_it: from IDLE on call opne -> WAIT { send net { flags = {SYN}, seq = nxt } start rtx }\n"
     "                               ^\n"},
    {"UnknownRole", "instance a, b: Peer", "instance a, b: Pear",
     "t.sp:19:18: error: unknown role 'Pear' (did you mean Peer?)\n"
     "    instance a, b: Pear\n"
     "                   ^\n"},
    {"UnknownInstanceInChannel", "channel a.net -> b.net", "channel a.net -> c.net",
     "t.sp:20:20: error: unknown instance 'c' in system two\n"
     "    channel a.net -> c.net capacity 2 lossy 1\n"
     "                     ^\n"},
    {"UnknownSystem", "in two:", "in tow:",
     "t.sp:23:21: error: unknown system 'tow' (did you mean two?)\n"
     "  property done_ok in tow: always (a in DONE -> a.n <= MAX)\n"
     "                      ^\n"},
    {"UnknownStateInProperty", "a in DONE", "a in DNE",
     "t.sp:23:39: error: unknown state 'DNE' in role Peer (did you mean DONE?)\n"
     "  property done_ok in two: always (a in DNE -> a.n <= MAX)\n"
     "                                        ^\n"},
    {"UnknownVarInProperty", "a.n <= MAX", "a.m <= MAX",
     "t.sp:23:49: error: role Peer has no variable 'm'\n"
     "  property done_ok in two: always (a in DONE -> a.m <= MAX)\n"
     "                                                  ^\n"},
    {"TemporalInGuard", "if n < MAX", "if eventually n < MAX",
     "t.sp:15:38: error: temporal operator 'eventually' is only allowed at the top of a "
     "property, outside any state predicate\n"
     "    again: from WAIT on timeout rtx if eventually n < MAX -> same { n = n + 1 start rtx }\n"
     "                                       ^\n"},
    {"EmptyIntRange", "int[0..MAX]", "int[3..1]",
     "t.sp:11:10: error: empty int range int[3..1]: the lower bound is above the upper bound\n"
     "    var n: int[3..1] = 0\n"
     "           ^\n"},
    {"WrongEnumInSet", "flags = {SYN}", "flags = {SYN, IDLE}",
     "t.sp:14:70: error: unknown name 'IDLE'\n"
     "    open_it: from IDLE on call open -> WAIT { send net { flags = {SYN, IDLE}, seq = nxt } start rtx }\n"
     "                                                                       ^\n"},
    {"ComparingSetWithSeq", "s.flags == {SYN, ACK}", "s.flags == s.seq",
     "t.sp:16:44: error: operator '==' is not defined on Flags and seq<32>\n"
     "    got: from WAIT on recv net(s) if s.flags == s.seq -> DONE { nxt = s.ack + 1 }\n"
     "                                             ^\n"},
    {"BarePredicateProperty", "always (a in DONE", "(a in DONE",
     "t.sp:23:27: error: a property is 'always P', 'never P', 'deadlock free' or an LTL formula; a bare state predicate holds only initially (write 'always ...')\n"
     "  property done_ok in two: (a in DONE -> a.n <= MAX)\n"
     "                            ^\n"},
    {"UnknownFairness", "a.n <= MAX)", "a.n <= MAX) under weak fair timout",
     "t.sp:23:75: error: unknown fairness selector 'timout': expected timeout, recv, call, internal, an instance or a transition (did you mean timeout?)\n"
     "  property done_ok in two: always (a in DONE -> a.n <= MAX) under weak fair timout\n"
     "                                                                            ^\n"},
    {"TimerNeedsDuration", "timer rtx = 1s", "timer rtx = 5",
     "t.sp:13:15: error: timer rtx needs a duration such as 1s or 500ms, not int\n"
     "    timer rtx = 5 backoff 2\n"
     "                ^\n"},
    {"DuplicateVariable", "var nxt: Seq", "var nxt: Seq\n  var n: bool",
     "t.sp:13:7: error: variable 'n' clashes with another name declared in role Peer\n"
     "    var n: bool\n"
     "        ^\n"},
    {"UnknownType", "var nxt: Seq", "var nxt: Sequ",
     "t.sp:12:12: error: unknown type 'Sequ' (did you mean Seq?)\n"
     "    var nxt: Sequ\n"
     "             ^\n"},
};

INSTANTIATE_TEST_SUITE_P(AllErrorClasses, SemaError, ::testing::ValuesIn(kErrors),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SemaWarnings, UnreachableStateAndUnusedVariable) {
  std::string s = with("  var nxt: Seq\n", "  var nxt: Seq\n  var spare: bool\n");
  Compiled c = compile(s);
  EXPECT_TRUE(c.ok) << c.messages;
  EXPECT_NE(c.messages.find("warning: variable spare of role Peer is never used"), std::string::npos)
      << c.messages;
  std::string s2 = with("  states IDLE, WAIT, DONE\n", "  states IDLE, WAIT, DONE, LOST\n");
  Compiled c2 = compile(s2);
  EXPECT_TRUE(c2.ok) << c2.messages;
  EXPECT_NE(c2.messages.find("t.sp:9:28: warning: state LOST of role Peer is unreachable from "
                             "its initial state IDLE"),
            std::string::npos)
      << c2.messages;
}

TEST(Sema, GeneratedTransitionNames) {
  Compiled c = compile(with("got: from WAIT", "from WAIT"));
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(c.model.roles[0].transitions[2].name, "WAIT_recv_net_3");
  EXPECT_TRUE(c.model.roles[0].transitions[2].generated_name);
}

TEST(Sema, ForallExpandsOverInstancesAndLtlIsClassified) {
  std::string s = kBase;
  s += "property all_done in two: always forall p: Peer . (p in DONE -> p.n <= MAX)\n";
  s += "property live in two: always (a in WAIT -> eventually a in DONE) under weak fair timeout\n";
  s += "property nd in two: deadlock free except (a in DONE && b in {IDLE, DONE})\n";
  Compiled c = compile(s);
  ASSERT_TRUE(c.ok) << c.messages;
  ASSERT_EQ(c.model.properties.size(), 4u);
  const ir::Property& all = c.model.properties[1];
  EXPECT_EQ(all.kind, ir::PropertyKind::kInvariant);
  EXPECT_EQ(all.invariant.op, ir::Op::kAnd);  // one conjunct per instance
  const ir::Property& live = c.model.properties[2];
  EXPECT_EQ(live.kind, ir::PropertyKind::kLtl);
  EXPECT_EQ(live.ltl.op, ir::LtlOp::kAlways);
  EXPECT_EQ(live.atoms.size(), 2u);
  ASSERT_EQ(live.fairness.size(), 1u);
  EXPECT_EQ(live.fairness[0].sets.size(), 2u);  // `again` in a and in b
  const ir::Property& nd = c.model.properties[3];
  EXPECT_EQ(nd.kind, ir::PropertyKind::kDeadlock);
  EXPECT_TRUE(nd.except.has_value());
}

TEST(Sema, EnvironmentBoundsAndBroadcast) {
  const char* spec = R"(
message Arp wire arp { op: enum { REQUEST = 1, REPLY = 2 }, spa: ip4, tpa: ip4 }
role Host {
  port eth: Arp
  calls resolve(target: ip4)
  states IDLE
  initial IDLE
  var me: ip4
  ask: from IDLE on call resolve(t) -> same { send eth { op = REQUEST, spa = me, tpa = t } }
  hear: from IDLE on recv eth(p) if p.tpa == me -> same
}
system lan {
  instance a: Host { me = 192.0.2.1 }
  instance b: Host { me = 192.0.2.2 }
  instance c: Host { me = 192.0.2.3 }
  channel eth broadcast lossy 1 capacity 3
  environment calls a.resolve(192.0.2.2) once, {b.resolve, c.resolve} at most 2
}
)";
  Compiled c = compile(spec);
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::System& sys = c.model.systems[0];
  ASSERT_EQ(sys.queues.size(), 3u);
  EXPECT_EQ(sys.queues[0].receiver, 0);
  EXPECT_EQ(sys.queues[0].senders, (std::vector<int>{1, 2}));
  EXPECT_EQ(sys.queues[0].capacity, 3);
  ASSERT_EQ(sys.environment.entries.size(), 2u);
  EXPECT_EQ(sys.environment.entries[0].bound, 1);
  ASSERT_EQ(sys.environment.entries[0].targets[0].args.size(), 1u);
  // 192.0.2.2 is the second mentioned address: index 2 (0 is the zero address).
  EXPECT_EQ(sys.environment.entries[0].targets[0].args[0], 2);
  EXPECT_EQ(sys.environment.entries[1].targets.size(), 2u);
  EXPECT_EQ(sys.environment.entries[1].bound, 2);
  // Domain: zero, the three literals, other.
  EXPECT_EQ(c.model.ip4s.values.size(), 5u);
  EXPECT_EQ(c.model.ip4s.other, 4);
  EXPECT_EQ(sys.instances[1].init[0], 2);
}

// `at most 0` drops the calls (a constant scaled down by --const); their names are still
// checked. A call may be named by a keyword (RFC 9293's SEND).
TEST(Sema, EnvironmentBoundZeroAndKeywordCallName) {
  const char* spec = R"(
message M { n: int[0..3] }
role R {
  port p: M
  calls open, send(n: int[1..3])
  states S
  initial S
  go: from S on call send(n) -> same { send p { n = n } }
  hear: from S on recv p(m) -> same
}
const SENDS = 0
system sys {
  instance a: R
  instance b: R
  channel a.p -> b.p
  environment calls a.open once, a.send(1) at most SENDS
}
)";
  Compiled c = compile(spec);
  ASSERT_TRUE(c.ok) << c.messages;
  ASSERT_EQ(c.model.systems[0].environment.entries.size(), 1u);
  EXPECT_EQ(c.model.systems[0].environment.entries[0].bound, 1);
  std::string bad = spec;
  bad.replace(bad.find("a.send(1) at most SENDS"), 23, "a.sned(1) at most SENDS");
  Compiled e = compile(bad);
  EXPECT_FALSE(e.ok);
  EXPECT_NE(e.messages.find("role R has no call 'sned'"), std::string::npos) << e.messages;
  std::string neg = spec;
  neg.replace(neg.find("at most SENDS"), 13, "at most -1");
  Compiled n = compile(neg);
  EXPECT_FALSE(n.ok);
  EXPECT_NE(n.messages.find("a call bound must be 0..255"), std::string::npos) << n.messages;
}

}  // namespace
}  // namespace sp
