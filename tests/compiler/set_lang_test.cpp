// Sets of integers (set<int[0..N]>) and the set operators + (union), - (difference) and
// * (intersection) (docs/language.md, "Sets"): the IR they lower to, constant folding,
// and errors with their exact text and position.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"
#include "tests/compiler/compile_util.hpp"

namespace sp {
namespace {

using testing::Compiled;

Compiled compile(const std::string& text) { return testing::compile(text, "s.sp"); }

// `TYPE` and `BODY` are replaced by the tests.
const char* const kBase = R"(type Flags = set<enum { SYN, ACK }>
role R {
  states A
  initial A
  var s: TYPE = {}
  var f: Flags = {}
  var k: int[0..3] = 0
  from A on internal -> same { BODY }
}
system one { instance r: R }
property p in one: always (r.s * r.s == r.s)
)";

std::string spec(const std::string& type, const std::string& body) {
  return testing::fill(kBase, {{"TYPE", type}, {"BODY", body}});
}

TEST(SetSema, IntSetsAndOperators) {
  Compiled c = compile(spec("set<int[0..3]>", "s = s + {k, 2} - ({1} * s)"));
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Role& r = c.model.roles[0];
  const ir::Type& t = c.model.types[static_cast<size_t>(r.vars[0].type)];
  EXPECT_EQ(t.kind, ir::TypeKind::kSet);
  EXPECT_EQ(t.name, "set<int[0..3]>");
  EXPECT_EQ(t.hi, 15);
  const ir::Expr& v = r.transitions[0].actions[0].exprs[0];
  EXPECT_EQ(v.op, ir::Op::kSetDiff);
  EXPECT_EQ(v.args[0].op, ir::Op::kSetUnion);
  EXPECT_EQ(v.args[0].args[1].op, ir::Op::kSetLit);
  EXPECT_EQ(v.args[1].op, ir::Op::kSetInter);
  EXPECT_EQ(ir::format_value(c.model, r.vars[0].type, 0b1010), "{1, 3}");
}

TEST(SetSema, ConstantSetsFold) {
  Compiled c = compile(spec("Flags", "s = {SYN, ACK} - {ACK} + ({ACK} * {SYN})"));
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Expr& v = c.model.roles[0].transitions[0].actions[0].exprs[0];
  EXPECT_EQ(v.op, ir::Op::kConst);
  EXPECT_EQ(v.value, 1);  // {SYN}
}

TEST(SetSema, Errors) {
  EXPECT_EQ(compile(spec("set<int[1..3]>", "s = {}")).messages,
            "s.sp:5:14: error: set<int[...]> takes int[0..N] with N at most 61, not int[1..3]\n"
            "    var s: set<int[1..3]> = {}\n"
            "               ^\n");
  EXPECT_EQ(compile(spec("set<bool>", "s = {}")).messages,
            "s.sp:5:14: error: set<...> takes an enum or int[0..N], not bool\n"
            "    var s: set<bool> = {}\n"
            "               ^\n");
  EXPECT_EQ(compile(spec("set<int[0..3]>", "s = {1, 4}")).messages,
            "s.sp:8:40: error: set element: 4 is out of range int[0..3]\n"
            "    from A on internal -> same { s = {1, 4} }\n"
            "                                         ^\n");
  EXPECT_EQ(compile(spec("set<int[0..3]>", "s = s + f")).messages,
            "s.sp:8:38: error: operator '+' is not defined on set<int[0..3]> and Flags\n"
            "    from A on internal -> same { s = s + f }\n"
            "                                       ^\n");
  EXPECT_EQ(compile(spec("set<int[0..3]>", "s = s / s")).messages,
            "s.sp:8:38: error: operator '/' is not defined on set<int[0..3]> and set<int[0..3]>\n"
            "    from A on internal -> same { s = s / s }\n"
            "                                       ^\n");
}

}  // namespace
}  // namespace sp
