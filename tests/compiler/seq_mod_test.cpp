// Sequence numbers modulo any M (`seq mod M`; docs/language.md, "Sequence numbers modulo
// M"): lowered to integer operators with the mathematical `%`, constants folded, seq<N>
// unchanged, and the errors with their exact text.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"
#include "tests/compiler/compile_util.hpp"

namespace sp {
namespace {

using testing::Compiled;

const char* const kBase = R"(const M = 3
type S = seq mod M
role R {
  states A
  initial A
  var a: S = 0
  var b: S = 4
  var k: int[0..2] = 0
  var ok: bool = false
  var w: seq<32> = 0
  from A on internal -> same { BODY }
}
system one { instance r: R }
)";

Compiled compile(const std::string& body) { return testing::compile(testing::fill(kBase, {{"BODY", body}}), "q.sp"); }

const ir::Expr& value(const Compiled& c, size_t k = 0) { return c.model.roles[0].transitions[0].actions[k].exprs[0]; }

TEST(SeqModSema, TypeIsAnIntRangeWithItsOwnName) {
  Compiled c = compile("a = a + 1");
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Role& r = c.model.roles[0];
  const ir::Type& s = c.model.types[static_cast<size_t>(r.vars[0].type)];
  EXPECT_TRUE(s.kind == ir::TypeKind::kInt && s.name == "seq mod 3" && s.lo == 0 && s.hi == 2) << s.name;
  EXPECT_EQ(r.vars[1].init, 1);                  // 4 wraps to 1
  EXPECT_NE(r.vars[2].type, r.vars[0].type);     // int[0..2] is another type
  EXPECT_EQ(c.model.types[static_cast<size_t>(r.vars[4].type)].kind, ir::TypeKind::kSeq);  // seq<32> unchanged
  // a + 1 is (a + 1) % 3.
  const ir::Expr& v = value(c);
  ASSERT_EQ(v.op, ir::Op::kMod);
  EXPECT_EQ(v.args[0].op, ir::Op::kAdd);
  EXPECT_EQ(v.args[1].value, 3);
}

TEST(SeqModSema, DistanceAndSerialOrder) {
  Compiled c = compile("k = a - b  a = b - 2  ok = a < b  ok = a >= b  ok = a == 5");
  ASSERT_TRUE(c.ok) << c.messages;
  EXPECT_EQ(value(c, 0).op, ir::Op::kMod);  // the distance, an int
  EXPECT_EQ(c.model.types[static_cast<size_t>(value(c, 0).type)].name, "int");
  EXPECT_EQ(value(c, 1).op, ir::Op::kMod);
  // a < b: 0 < (b - a) % 3 && 2 * ((b - a) % 3) < 3.
  const ir::Expr& lt = value(c, 2);
  ASSERT_EQ(lt.op, ir::Op::kAnd);
  EXPECT_EQ(lt.args[0].op, ir::Op::kGt);
  EXPECT_EQ(lt.args[1].op, ir::Op::kLt);
  EXPECT_EQ(value(c, 3).op, ir::Op::kOr);  // b == a || b < a
  // a == 5: 5 is the sequence number 2.
  ASSERT_EQ(value(c, 4).op, ir::Op::kEq);
  EXPECT_EQ(value(c, 4).args[1].value, 2);
}

TEST(SeqModSema, ConstantsFold) {
  Compiled c = compile("ok = b + 2 == a  k = b - a");
  ASSERT_TRUE(c.ok) << c.messages;
  Compiled f = testing::compile(R"(type S = seq mod 5
const X: S = 3
const D = X + 4 - X
role R { states A initial A var d: int[0..9] = D }
system one { instance r: R })");
  ASSERT_TRUE(f.ok) << f.messages;
  EXPECT_EQ(f.model.roles[0].vars[0].init, 4);  // (3 + 4) % 5 = 2, 2 - 3 = distance 4
}

TEST(SeqModSema, Errors) {
  const std::pair<const char*, const char*> kBodies[] = {
      {"k = a",
       "q.sp:11:36: error: assignment to k: expected int[0..2], found seq mod 3 (subtract two sequence numbers for "
       "a distance)"},
      {"a = a * 2",
       "q.sp:11:38: error: operator '*' is not defined on seq mod 3 and int (sequence numbers add and subtract "
       "integers, subtract and compare each other)"},
      {"ok = a < w",
       "q.sp:11:39: error: operator '<' is not defined on seq mod 3 and seq<32> (sequence numbers add and subtract "
       "integers, subtract and compare each other)"},
      {"k = min(a, k)",
       "q.sp:11:40: error: 'min' takes integers, not seq mod 3 (sequence numbers are ordered only pairwise: compare "
       "them with '<')"},
  };
  auto first = [](const Compiled& c) { return c.messages.substr(0, c.messages.find('\n')); };
  for (const auto& [body, message] : kBodies) EXPECT_EQ(first(compile(body)), message) << body;
  EXPECT_EQ(first(testing::compile("type S = seq mod 1", "q.sp")),
            "q.sp:1:18: error: seq mod 1: the modulus must be 2..2^32");
  EXPECT_EQ(first(testing::compile("type S = seq 3", "q.sp")), "q.sp:1:14: error: expected '<' or 'mod' but found '3'");
}

}  // namespace
}  // namespace sp
