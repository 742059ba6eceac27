// The expression constructs of docs/language.md: `def` (top level and role-local), the
// built-ins min and max, `let` in actions and `%`. The parser's AST for each, the IR that
// lowering builds (a def is expanded where it is used), and every error with its exact
// text and position.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"
#include "tests/compiler/compile_util.hpp"

namespace sp {
namespace {

using testing::Compiled;

Compiled compile(const std::string& text) { return testing::compile(text, "t.sp"); }

const char* const kBase = R"(protocol toy "a toy"
const MAX = 2
type Seq = seq<32>
message Seg { seq: Seq, ack: Seq }
def ok(a: int, b: int): bool = a < b
role Peer {
  port net: Seg
  calls open
  states IDLE, DONE
  initial IDLE
  var n: int[0..MAX] = 0
  var nxt: Seq
  def small(x: int): bool = x < MAX
  go: from IDLE on recv net(s) if ok(n, 1) -> DONE { let a = s.ack n = 1 nxt = a }
}
system two {
  instance a, b: Peer
  channel a.net -> b.net capacity 2
  channel b.net -> a.net capacity 2
}
property p in two: always a.n <= MAX
)";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kBase;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// An IR expression as text: every field that decides its meaning.
std::string ir_text(const ir::Expr& e) {
  std::string out = "(" + std::to_string(static_cast<int>(e.op)) + " t" + std::to_string(e.type) + " v" +
                    std::to_string(e.value) + " i" + std::to_string(e.index) + "." + std::to_string(e.instance);
  for (const ir::Expr& a : e.args) out += " " + ir_text(a);
  return out + ")";
}

TEST(ExprConstructs, BaseCompilesAndDefsAreExpanded) {
  Compiled c = compile(kBase);
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Transition& go = c.model.roles[0].transitions[0];
  // ok(n, 1) is n < 1: no trace of the def in the IR.
  ASSERT_EQ(go.guard.op, ir::Op::kLt);
  EXPECT_EQ(go.guard.args[0].op, ir::Op::kVar);
  EXPECT_EQ(go.guard.args[1].op, ir::Op::kConst);
  EXPECT_EQ(go.guard.args[1].value, 1);
  // `let a = s.ack` is not a statement; `nxt = a` reads the message field.
  ASSERT_EQ(go.actions.size(), 2u);
  EXPECT_EQ(go.actions[1].exprs[0].op, ir::Op::kMsgField);
}

TEST(ExprConstructs, RoleDefSeesVariablesAndZeroParameterDefsReadLikeNames) {
  std::string text = with("if ok(n, 1)", "if small(n) && is_idle && is_idle()");
  text.insert(text.find("  go:"), "  def is_idle = n == 0\n");
  Compiled c = compile(text);
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Expr& g = c.model.roles[0].transitions[0].guard;
  ASSERT_EQ(g.op, ir::Op::kAnd);
  EXPECT_EQ(g.args[1].op, ir::Op::kEq);  // is_idle()
}

TEST(ExprConstructs, MinMaxFoldAndLower) {
  Compiled c = compile(with("const MAX = 2", "const MAX = max(1, min(5, 2), -3)"));
  ASSERT_TRUE(c.ok) << c.messages;
  Compiled d = compile(with("if ok(n, 1)", "if min(n, 1) == max(n, 0)"));
  ASSERT_TRUE(d.ok) << d.messages;
  const ir::Expr& g = d.model.roles[0].transitions[0].guard;
  EXPECT_EQ(g.args[0].op, ir::Op::kMin);
  EXPECT_EQ(g.args[1].op, ir::Op::kMax);
}

TEST(ExprConstructs, ModIsTheMathematicalModulusInConstants) {
  Compiled c = compile(with("const MAX = 2", "const MAX = (0 - 7) % 3"));
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(c.model.types[c.model.roles[0].vars[0].type].hi, 2);  // int[0..MAX] = int[0..2]
  Compiled neg = compile(with("const MAX = 2", "const MAX = 7 % (0 - 3)"));
  ASSERT_TRUE(neg.ok) << neg.messages;
  EXPECT_EQ(neg.model.types[neg.model.roles[0].vars[0].type].hi, 1);
}

TEST(ExprConstructs, ChooseMakesOneTransitionPerValue) {
  Compiled c = compile(with("n = 1 nxt = a", "choose k in 0..MAX { n = k } nxt = a"));
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Role& r = c.model.roles[0];
  ASSERT_EQ(r.transitions.size(), 3u);
  EXPECT_EQ(r.transitions[0].name, "go[k=0]");
  EXPECT_EQ(r.transitions[2].name, "go[k=2]");
  ASSERT_EQ(r.transitions[2].actions.size(), 2u);
  EXPECT_EQ(r.transitions[2].actions[0].exprs[0].op, ir::Op::kConst);
  EXPECT_EQ(r.transitions[2].actions[0].exprs[0].value, 2);
  // `weak fair go` is one fair set of every copy.
  Compiled f = compile(with("n = 1 nxt = a", "choose k in 0..MAX { n = k } nxt = a") +
                       "property live in two: always eventually a in DONE under weak fair go\n");
  ASSERT_TRUE(f.ok) << f.messages;
  const ir::Property& p = f.model.properties.back();
  ASSERT_EQ(p.fairness.size(), 1u);
  ASSERT_EQ(p.fairness[0].sets.size(), 2u);  // one per instance
  EXPECT_EQ(p.fairness[0].sets[0].size(), 3u);
}

TEST(ExprConstructs, KeywordsAndLetAreContextual) {
  // `let` and `def` are not reserved: a variable and a transition may bear those names.
  std::string named = with("var nxt: Seq", "var nxt: Seq\n  var let: bool");
  named.replace(named.find("go:"), 2, "def");
  Compiled c = compile(named);
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(c.model.roles[0].transitions[0].name, "def");
  std::string assigned = with("n = 1 nxt", "let = true n = 1 nxt");
  assigned.insert(assigned.find("  var nxt"), "  var let: bool\n");
  Compiled assign = compile(assigned);
  ASSERT_TRUE(assign.ok) << assign.messages;
}

// `let x = e in body` in guards, properties and def bodies: expanded, so the IR is the
// spelled-out expression's.
TEST(ExprConstructs, LetExpressionIsExpanded) {
  Compiled let = compile(with("if ok(n, 1)", "if (let d = s.ack - nxt in d < 2 && d > 0)"));
  Compiled plain = compile(with("if ok(n, 1)", "if (s.ack - nxt < 2 && s.ack - nxt > 0)"));
  ASSERT_TRUE(let.ok) << let.messages;
  ASSERT_TRUE(plain.ok) << plain.messages;
  EXPECT_EQ(ir_text(let.model.roles[0].transitions[0].guard), ir_text(plain.model.roles[0].transitions[0].guard));
  // In a property, nested, over instance variables; in a def body.
  Compiled prop = compile(with("always a.n <= MAX", "always let x = a.n in let y = x + b.n in y <= 2 * MAX"));
  ASSERT_TRUE(prop.ok) << prop.messages;
  Compiled def = compile(with("def ok(a: int, b: int): bool = a < b", "def ok(a: int, b: int): bool = let c = a in c < b"));
  ASSERT_TRUE(def.ok) << def.messages;
  EXPECT_EQ(ir_text(def.model.roles[0].transitions[0].guard), ir_text(compile(kBase).model.roles[0].transitions[0].guard));
  // `let` stays a name: `let == true` compares a variable named let.
  std::string named = with("if ok(n, 1)", "if let == true");
  named.insert(named.find("  var nxt"), "  var let: bool\n");
  Compiled var = compile(named);
  EXPECT_TRUE(var.ok) << var.messages;
}

struct ErrorCase {
  const char* name;
  const char* from;
  const char* to;
  const char* expected;  // the first line of the diagnostics
};

class ExprConstructsError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ExprConstructsError, ReportsExactMessageAndPosition) {
  const ErrorCase& ec = GetParam();
  Compiled c = compile(with(ec.from, ec.to));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(first_line(c.messages), ec.expected) << c.messages;
}

const ErrorCase kErrors[] = {
    {"UnknownFunction", "if ok(n, 1)", "if okk(n, 1)",
     "t.sp:14:35: error: unknown function 'okk' (did you mean ok?)"},
    {"Arity", "if ok(n, 1)", "if ok(n)", "t.sp:14:35: error: 'ok' takes 2 arguments, not 1"},
    {"ArgumentType", "if ok(n, 1)", "if ok(n, s.ack)",
     "t.sp:14:41: error: argument 'b' of ok: expected int, found seq<32> (subtract two sequence "
     "numbers for a distance)"},
    {"MinArity", "if ok(n, 1)", "if min(n)",
     "t.sp:14:35: error: 'min' takes two or more arguments, not 1"},
    {"MinOfSeq", "if ok(n, 1)", "if min(n, s.ack) == 0",
     "t.sp:14:42: error: 'min' takes integers, not seq<32> (sequence numbers are ordered only "
     "pairwise: compare them with '<')"},
    {"NotAFunction", "if ok(n, 1)", "if n(1)", "t.sp:14:35: error: 'n' is not a function"},
    {"UnknownNameInBody", "a < b\n", "a < c\n", "t.sp:5:36: error: unknown name 'c'"},
    {"UseOfLaterDef", "a < b\n", "later(a)\ndef later(x: int): bool = x > 0\n",
     "t.sp:5:32: error: def 'ok' cannot use 'later', declared after it (line 6): declare "
     "'later' first"},
    {"Recursion", "a < b\n", "ok(a, b)\n",
     "t.sp:5:32: error: def 'ok' cannot use itself: a def is expanded where it is used, so it "
     "cannot be recursive"},
    {"RedefinesBuiltin", "def ok(a: int, b: int)", "def min(a: int, b: int)",
     "t.sp:5:5: error: 'min' is a built-in function and cannot be redefined"},
    {"DuplicateParameter", "def ok(a: int, b: int)", "def ok(a: int, a: int)",
     "t.sp:5:16: error: parameter 'a' is declared twice"},
    {"DuplicateDef", "def ok(a: int, b: int): bool = a < b\n",
     "def ok(a: int, b: int): bool = a < b\ndef ok(x: int): bool = x > 0\n",
     "t.sp:6:5: error: def 'ok' is already declared (line 5)"},
    {"DefNamedLikeVariable", "def small(x: int)", "def n(x: int)",
     "t.sp:13:7: error: def 'n' has the name of a variable of role Peer"},
    {"DefNamedLikeConstant", "def ok(a: int, b: int)", "def MAX(a: int, b: int)",
     "t.sp:5:5: error: def 'MAX' has the name of a constant"},
    {"ResultType", "def ok(a: int, b: int): bool", "def ok(a: int, b: int): Seq",
     "t.sp:5:31: error: result of ok: expected seq<32>, found bool"},
    {"DefInConstant", "const MAX = 2", "const MAX = ok(1, 2)",
     "t.sp:2:13: error: 'ok' cannot be used here: a def is usable in transitions, properties and "
     "later defs"},
    {"RoleDefInProperty", "always a.n <= MAX", "always small(a.n)",
     "t.sp:21:27: error: unknown function 'small' (a def of role Peer is usable in its "
     "transitions only)"},
    {"MapParameter", "def ok(a: int, b: int)", "def ok(a: map<int[0..1], bool> capacity 1, b: int)",
     "t.sp:5:11: error: a def parameter cannot be a map (pass the key and test it in the role)"},
    {"AssignToLet", "nxt = a }", "nxt = a a = 2 }",
     "t.sp:14:82: error: cannot assign to 'a': a let names a value, it is not a variable"},
    {"LetHidesLet", "let a = s.ack", "let a = s.ack let a = 1",
     "t.sp:14:72: error: let 'a' would hide the let 'a' above it; choose another name"},
    {"LetHidesVariable", "let a = s.ack", "let n = s.ack",
     "t.sp:14:58: error: let 'n' would hide variable 'n'; choose another name"},
    {"LetHidesMessage", "let a = s.ack", "let s = s.ack",
     "t.sp:14:58: error: let 's' would hide the received message; choose another name"},
    {"LetUsedAfterItsInputChanged", "n = 1 nxt = a", "let a2 = n + 1 n = 1 nxt = a2",
     "t.sp:14:95: error: 'a2' is used after 'n' is assigned (line 14), and its value depends on "
     "'n': use it before that assignment, or keep the value in a variable"},
    {"LetOutsideItsBlock", "n = 1 nxt = a }", "if n == 0 { let b2 = s.seq } nxt = b2 }",
     "t.sp:14:103: error: unknown name 'b2'"},
    {"ErrorFoundAtAUse", "bool = a < b\n", "bool = a / b > 0\ndef zero: bool = ok(1, 0)\n",
     "t.sp:5:34: error: division by zero in constant expression"},  // then "in this use of 'ok'"
    {"ChooseEmpty", "n = 1 nxt = a", "choose k in 3..1 { n = 1 } nxt = a",
     "t.sp:14:80: error: choose k in 3..1: the range is empty"},
    {"ChooseTooMany", "n = 1 nxt = a", "choose k in 0..999 { n = 1 } nxt = a",
     "t.sp:14:68: error: this transition's choices have more than 256 combinations of values "
     "(each is a transition)"},
    {"ChooseHidesVariable", "n = 1 nxt = a", "choose n in 0..1 { nxt = a }",
     "t.sp:14:75: error: choose 'n' would hide variable 'n'; choose another name"},
    {"ChooseNotConstant", "n = 1 nxt = a", "choose k in 0..n { nxt = a }",
     "t.sp:14:83: error: unknown name 'n'"},
    {"ChooseWithoutIn", "n = 1 nxt = a", "choose k 0..1 { nxt = a }",
     "t.sp:14:77: error: expected 'in' but found '0..1'"},
    // Syntax.
    {"DefWithoutBody", "def ok(a: int, b: int): bool = a < b\n", "def ok(a: int, b: int): bool = a <\n",
     "t.sp:6:1: error: expected expression but found keyword 'role'"},
    {"DefParamWithoutType", "def ok(a: int, b: int)", "def ok(a, b: int)",
     "t.sp:5:9: error: expected ':' but found ','"},
    {"DefWithoutEquals", "bool = a < b", "bool a < b", "t.sp:5:30: error: expected '=' but found 'a'"},
    {"LetWithoutEquals", "let a = s.ack", "let a s.ack", "t.sp:14:60: error: expected '=' but found 's'"},
    {"LetExprWithoutIn", "if ok(n, 1)", "if (let d = n + 1 d < 2)", "t.sp:14:50: error: expected 'in' but found 'd'"},
    {"LetExprValueIsAdditive", "if ok(n, 1)", "if (let d = n < 1 in d)",
     "t.sp:14:46: error: expected 'in' but found '<'"},
    {"LetExprHidesVariable", "if ok(n, 1)", "if (let n = 1 in n < 2)",
     "t.sp:14:40: error: let 'n' would hide variable 'n'; choose another name"},
    {"LetExprHidesInstance", "always a.n <= MAX", "always let b = 1 in a.n <= b",
     "t.sp:21:31: error: let 'b' would hide instance 'b'; choose another name"},
    {"LetExprOutOfScope", "if ok(n, 1)", "if (let d = n in d < 2) && d > 0",
     "t.sp:14:59: error: unknown name 'd'"},
    {"LetOfKeyword", "let a = s.ack", "let next = s.ack",
     "t.sp:14:58: error: expected a variable name but found keyword 'next'"},
    // Inside parentheses `->` is an implication: the call runs on to the block.
    {"CallWithoutClose", "if ok(n, 1)", "if ok(n, 1 -> DONE",
     "t.sp:14:59: error: expected ')' but found '{'"},
};

INSTANTIATE_TEST_SUITE_P(All, ExprConstructsError, ::testing::ValuesIn(kErrors),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sp
