// Channel conditions (len, empty, full, nfull), blocking channels and system-scoped
// channel errors (docs/language.md, "Channels"): parsing, errors with their exact text
// and position, and the IR they lower to.
#include <gtest/gtest.h>

#include "compiler/ast.hpp"
#include "compiler/ir/model.hpp"
#include "compiler/parse/parser.hpp"
#include "compiler/sema/compile.hpp"

namespace sp {
namespace {

struct Result {
  bool ok = false;
  std::string messages;
  ast::Spec spec;
  ir::Model model;
};

Result parse(const std::string& text) {
  SourceFile file{"c.sp", text};
  Diagnostics diags(file);
  Result r;
  r.ok = parse_spec(diags, r.spec);
  r.messages = diags.format_all();
  return r;
}

Result compile(const std::string& text, CompileOptions o = {}) {
  SourceFile file{"c.sp", text};
  Diagnostics diags(file);
  Result r;
  o.warnings = false;
  r.ok = compile_spec(diags, o, r.model);
  r.messages = diags.format_all();
  return r;
}

// A sender and a receiver; `GUARD` and `PROP` are replaced by the tests.
const char* const kBase = R"(const CAP = 2
message M { v: int[0..1] }
role S {
  port out: M
  states A
  initial A
  from A on internal if GUARD -> same { send out { v = 1 } }
}
role R {
  port inbox: M
  states A
  initial A
  var len: int[0..3] = 0
  from A on recv inbox(m) if m.v == 1 -> same { len = 1 }
}
system sys {
  instance s: S
  instance r: R
  channel s.out -> r.inbox capacity CAP blocking
}
system other {
  instance s: S
  instance r: R
  channel s.out -> r.inbox capacity 1 lossy 1
}
property p in sys: always (PROP)
)";

std::string spec(const std::string& guard, const std::string& prop = "true") {
  std::string s = kBase;
  s.replace(s.find("GUARD"), 5, guard);
  s.replace(s.find("PROP"), 4, prop);
  return s;
}

TEST(ChannelParse, FunctionsAreExpressionsAndNotReserved) {
  Result r = parse(spec("len(out) < 2 && !full(out) && nfull(out) && empty(out)", "len(r.inbox) + len > 0"));
  ASSERT_TRUE(r.ok) << r.messages;
  const ast::Expr& g = *r.spec.roles[0].transitions[0].guard;
  ASSERT_EQ(g.kind, ast::ExprKind::kBinary);
  const ast::Expr* lt = &g;
  while (lt->op == "&&") lt = &lt->args[0];
  ASSERT_EQ(lt->op, "<");
  EXPECT_EQ(lt->args[0].kind, ast::ExprKind::kChannelFn);
  EXPECT_EQ(lt->args[0].op, "len");
  EXPECT_EQ(lt->args[0].args.at(0).name, "out");
  // `len` without `(` is a name: the variable R.len.
  const ast::Expr& p = *r.spec.properties[0].formula;
  EXPECT_EQ(p.args.at(0).args.at(0).args.at(1).kind, ast::ExprKind::kName);
  EXPECT_EQ(p.args.at(0).args.at(0).args.at(0).args.at(0).kind, ast::ExprKind::kField);
}

TEST(ChannelParse, BlockingOption) {
  Result r = parse(spec("true"));
  ASSERT_TRUE(r.ok) << r.messages;
  EXPECT_TRUE(r.spec.systems[0].channels[0].blocking);
  EXPECT_FALSE(r.spec.systems[1].channels[0].blocking);
  // `lossy blocking`: `blocking` is the next option, not a budget.
  Result b = parse("system x { channel a.p -> b.q lossy blocking dup blocking }");
  ASSERT_TRUE(b.ok) << b.messages;
  const ast::Channel& c = b.spec.systems[0].channels[0];
  EXPECT_TRUE(c.lossy && c.dup && c.blocking);
  EXPECT_FALSE(c.loss_budget || c.dup_budget);
}

TEST(ChannelParse, ConsecutiveLosses) {
  Result r = parse("system x { channel a.p -> b.q lossy 3 consecutive 2 blocking channel b.p -> a.q lossy consecutive K }");
  ASSERT_TRUE(r.ok) << r.messages;
  const ast::Channel& c = r.spec.systems[0].channels[0];
  EXPECT_TRUE(c.lossy && c.blocking);
  ASSERT_TRUE(c.loss_budget && c.loss_run);
  EXPECT_EQ(c.loss_budget->int_value, 3);
  EXPECT_EQ(c.loss_run->int_value, 2);
  const ast::Channel& d = r.spec.systems[0].channels[1];
  EXPECT_FALSE(d.loss_budget);
  ASSERT_TRUE(d.loss_run);
  EXPECT_EQ(d.loss_run->name, "K");
  EXPECT_EQ(parse("system x { channel a.p -> b.q lossy consecutive }").messages,
            "c.sp:1:49: error: expected expression but found '}'\n"
            "  system x { channel a.p -> b.q lossy consecutive }\n"
            "                                                  ^\n");
}

// `dup [K] redeliver`: duplication by redelivery; `redeliver` is a contextual word,
// only an option right after `dup [K]` (a variable may be called redeliver).
TEST(ChannelParse, Redeliver) {
  Result r = parse("system x { channel a.p -> b.q dup redeliver channel b.p -> a.q dup 2 redeliver bag "
                   "channel a.r -> b.r dup K redeliver lossy 1 channel b.r -> a.r dup }");
  ASSERT_TRUE(r.ok) << r.messages;
  const auto& ch = r.spec.systems[0].channels;
  EXPECT_TRUE(ch[0].dup && ch[0].redeliver && !ch[0].dup_budget);
  ASSERT_TRUE(ch[1].redeliver && ch[1].dup_budget && ch[1].bag);
  EXPECT_EQ(ch[1].dup_budget->int_value, 2);
  ASSERT_TRUE(ch[2].redeliver && ch[2].dup_budget && ch[2].lossy);
  EXPECT_EQ(ch[2].dup_budget->name, "K");
  EXPECT_TRUE(ch[3].dup && !ch[3].redeliver);
  EXPECT_TRUE(parse("role R { states A initial A var redeliver: bool = false }").ok);
}

TEST(ChannelParse, MalformedRedeliver) {
  EXPECT_EQ(parse("system x { channel a.p -> b.q dup redeliver 2 }").messages,
            "c.sp:1:45: error: expected 'instance', 'channel', 'environment' or '}' but found '2'\n"
            "  system x { channel a.p -> b.q dup redeliver 2 }\n"
            "                                              ^\n");
  EXPECT_EQ(parse("system x { channel a.p -> b.q dup redeliver( }").messages,
            "c.sp:1:44: error: expected 'instance', 'channel', 'environment' or '}' but found '('\n"
            "  system x { channel a.p -> b.q dup redeliver( }\n"
            "                                             ^\n");
  // Either order parses (`redeliver dup 1` is `dup 1 redeliver`); without `dup`, sema says so.
  Result r = parse("system x { channel a.p -> b.q redeliver dup 1 }");
  ASSERT_TRUE(r.ok) << r.messages;
  EXPECT_TRUE(r.spec.systems[0].channels[0].redeliver && r.spec.systems[0].channels[0].dup_budget);
}

TEST(ChannelParse, MalformedCalls) {
  EXPECT_EQ(parse("const X = len()").messages,
            "c.sp:1:15: error: expected expression but found ')'\n"
            "  const X = len()\n"
            "                ^\n");
  EXPECT_EQ(parse("const X = full(a.p").messages,
            "c.sp:1:19: error: expected ')' at end of input\n"
            "  const X = full(a.p\n"
            "                    ^\n");
  EXPECT_EQ(parse("const X = empty(a b)").messages,
            "c.sp:1:19: error: expected ')' but found 'b'\n"
            "  const X = empty(a b)\n"
            "                    ^\n");
}

TEST(ChannelSema, LowersToPortOps) {
  Result r = compile(spec("len(out) < CAP && nfull(out)", "len(r.inbox) <= CAP && !full(s.out) == empty(r.inbox) || true"));
  ASSERT_TRUE(r.ok) << r.messages;
  const ir::Expr& g = r.model.roles[0].transitions[0].guard;
  ASSERT_EQ(g.op, ir::Op::kAnd);
  EXPECT_EQ(g.args[0].args[0].op, ir::Op::kPortLen);
  EXPECT_EQ(g.args[0].args[0].instance, -1);
  EXPECT_EQ(g.args[1].op, ir::Op::kNot);
  EXPECT_EQ(g.args[1].args[0].op, ir::Op::kPortFull);
  EXPECT_TRUE(r.model.systems[0].queues[0].blocking);
  EXPECT_FALSE(r.model.systems[1].queues[0].blocking);
}

TEST(ChannelSema, Errors) {
  EXPECT_EQ(compile(spec("len(outt) < 2")).messages,
            "c.sp:7:29: error: role S has no port 'outt' (did you mean out?)\n"
            "    from A on internal if len(outt) < 2 -> same { send out { v = 1 } }\n"
            "                              ^\n");
  EXPECT_EQ(compile(spec("full(s.out)")).messages,
            "c.sp:7:30: error: full(...) in a transition takes a port of the role, like full(net)\n"
            "    from A on internal if full(s.out) -> same { send out { v = 1 } }\n"
            "                               ^\n");
  EXPECT_EQ(compile(spec("true", "len(inbox) == 0")).messages,
            "c.sp:26:32: error: len(...) in a property takes instance.port, like len(server.net)\n"
            "  property p in sys: always (len(inbox) == 0)\n"
            "                                 ^\n");
  EXPECT_EQ(compile(spec("true", "empty(r.out)")).messages,
            "c.sp:26:36: error: role R has no port 'out'\n"
            "  property p in sys: always (empty(r.out))\n"
            "                                     ^\n");
  std::string c = spec("true");
  c.replace(c.find("const CAP = 2"), 13, "const CAP = len(out)");
  EXPECT_EQ(compile(c).messages.substr(0, 73),
            "c.sp:1:13: error: len(...) is only allowed in transitions and properties\n");
}

TEST(ChannelSema, ConsecutiveLossBudget) {
  std::string text = spec("true");
  text.replace(text.find("lossy 1"), 7, "lossy consecutive CAP");
  Result r = compile(text);
  ASSERT_TRUE(r.ok) << r.messages;
  EXPECT_EQ(r.model.systems[1].queues[0].loss_run, 2);
  EXPECT_FALSE(r.model.systems[1].queues[0].loss_budget);
  CompileOptions o;
  o.const_overrides = {{"CAP", 300}};
  Result big = compile(text, o);
  EXPECT_NE(big.messages.find("c.sp:24:57: warning: consecutive loss budget must be 0..255, not 300; system other "
                              "cannot be checked (the other systems can)"),
            std::string::npos)
      << big.messages;
}

TEST(ChannelSema, RedeliverLowersAndChecksItsBudget) {
  std::string text = spec("true");
  text.replace(text.find("lossy 1"), 7, "lossy 1 dup CAP redeliver");
  Result r = compile(text);
  ASSERT_TRUE(r.ok) << r.messages;
  const ir::Queue& q = r.model.systems[1].queues[0];
  EXPECT_TRUE(q.dup && q.redeliver);
  EXPECT_EQ(q.dup_budget, 2);
  EXPECT_FALSE(r.model.systems[0].queues[0].redeliver);
  CompileOptions o;
  o.const_overrides = {{"CAP", 256}};
  Result big = compile(text, o);
  EXPECT_NE(big.messages.find("c.sp:24:51: warning: duplication budget must be 0..255, not 256; system other "
                              "cannot be checked (the other systems can)"),
            std::string::npos)
      << big.messages;
  std::string bare = spec("true");
  bare.replace(bare.find("lossy 1"), 7, "lossy 1 redeliver");
  EXPECT_EQ(compile(bare).messages,
            "c.sp:24:47: error: `redeliver` says how a channel duplicates, and this one does not: write "
            "`dup [K] redeliver` (each redelivery spends one unit of the dup budget K)\n"
            "    channel s.out -> r.inbox capacity 1 lossy 1 redeliver\n"
            "                                                ^\n");
}

// A capacity out of range (here from --const) stops its own system only.
TEST(ChannelSema, CapacityErrorStaysInItsSystem) {
  CompileOptions o;
  o.const_overrides = {{"CAP", 65}};
  o.warnings = false;
  SourceFile file{"c.sp", spec("true")};
  Diagnostics diags(file);
  ir::Model m;
  ASSERT_TRUE(compile_spec(diags, o, m)) << diags.format_all();
  EXPECT_EQ(diags.format_all(),
            "c.sp:19:37: warning: channel capacity must be 1..64, not 65; system sys cannot be checked (the other "
            "systems can)\n"
            "    channel s.out -> r.inbox capacity CAP blocking\n"
            "                                      ^\n");
  ASSERT_EQ(m.systems.size(), 2u);
  EXPECT_EQ(m.systems[0].errors, std::vector<std::string>{"c.sp:19:37: channel capacity must be 1..64, not 65"});
  EXPECT_TRUE(m.systems[1].errors.empty());
  EXPECT_EQ(m.systems[1].queues.size(), 1u);
}

}  // namespace
}  // namespace sp
