// Bounded lists (list<T, N>; docs/language.md, "Lists"): the type and its one-integer
// encoding, the IR of each operation, constant folding, lists in messages and
// properties, and every error with its exact text and position.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/ir/value_range.hpp"
#include "compiler/sema/compile.hpp"
#include "tests/compiler/compile_util.hpp"

namespace sp {
namespace {

using testing::Compiled;

Compiled compile(const std::string& text) { return testing::compile(text, "l.sp"); }

// `TYPE` and `BODY` are replaced by the tests.
const char* const kBase = R"(message M { items: list<int[0..3], 2> }
role R {
  port net: M
  states A
  initial A
  var l: TYPE = []
  var k: int[0..3] = 0
  var ok: bool = false
  from A on recv net(m) -> same { BODY }
}
system one { instance r, q: R  channel r.net -> q.net }
property p in one: always (len(r.l) <= 2 && (empty(r.l) || head(r.l) == r.l[0]))
)";

std::string spec(const std::string& type, const std::string& body) {
  return testing::fill(kBase, {{"TYPE", type}, {"BODY", body}});
}

const ir::Expr& first_value(const Compiled& c) { return c.model.roles[0].transitions[0].actions[0].exprs[0]; }

TEST(ListSema, TypeAndEncoding) {
  Compiled c = compile(spec("list<int[0..3], 2>", "l = l + [k]"));
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Type& t = c.model.types[static_cast<size_t>(c.model.roles[0].vars[0].type)];
  EXPECT_EQ(t.kind, ir::TypeKind::kList);
  EXPECT_EQ(t.name, "list<int[0..3], 2>");
  EXPECT_EQ(t.capacity, 2);
  // The length in 2 bits, then two elements of 2 bits each.
  const ir::detail::ListShape s = ir::detail::ListShapeOf(c.model, c.model.roles[0].vars[0].type);
  EXPECT_EQ(s.len_bits, 2);
  EXPECT_EQ(s.elem_bits, 2);
  EXPECT_EQ(ir::detail::RangeOf(c.model, c.model.roles[0].vars[0].type).bits, 6);
  // The message field has the same type: one type per element type and capacity.
  EXPECT_EQ(c.model.messages[0].fields[0].type, c.model.roles[0].vars[0].type);
  const ir::Expr& v = first_value(c);
  EXPECT_EQ(v.op, ir::Op::kListCat);
  EXPECT_EQ(v.args[1].op, ir::Op::kListLit);
  EXPECT_EQ(ir::format_value(c.model, t.value, 2), "2");
  EXPECT_EQ(ir::format_value(c.model, c.model.roles[0].vars[0].type, 2 | (3 << 2) | (1 << 4)), "[3, 1]");
  EXPECT_EQ(ir::format_value(c.model, c.model.roles[0].vars[0].type, 0), "[]");
}

TEST(ListSema, OperationsLowerToListOps) {
  Compiled c = compile(spec("list<int[0..3], 2>",
                            "k = m.items[len(l) - 1]  k = head(l)  l = tail(m.items)  ok = full(l) || nfull(l)"));
  ASSERT_TRUE(c.ok) << c.messages;
  const auto& a = c.model.roles[0].transitions[0].actions;
  EXPECT_EQ(a[0].exprs[0].op, ir::Op::kListGet);
  EXPECT_EQ(a[0].exprs[0].args[0].op, ir::Op::kMsgField);
  EXPECT_EQ(a[0].exprs[0].args[1].args[0].op, ir::Op::kListLen);
  EXPECT_EQ(a[1].exprs[0].op, ir::Op::kListHead);
  EXPECT_EQ(a[2].exprs[0].op, ir::Op::kListTail);
  EXPECT_EQ(a[3].exprs[0].args[0].op, ir::Op::kGe);  // full(l): len(l) >= 2
  EXPECT_EQ(a[3].exprs[0].args[1].op, ir::Op::kLt);  // nfull(l): len(l) < 2
}

TEST(ListSema, ConstantListsFold) {
  Compiled c = compile(spec("list<int[0..3], 2>", "l = [3] + [1]  ok = l == [] + [2]"));
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Expr& v = first_value(c);
  ASSERT_EQ(v.op, ir::Op::kConst);
  EXPECT_EQ(ir::format_value(c.model, v.type, v.value), "[3, 1]");
  EXPECT_EQ(c.model.roles[0].transitions[0].actions[1].exprs[0].op, ir::Op::kEq);
}

TEST(ListSema, ElementTypesAndInitialValues) {
  Compiled c = compile(R"(type Kind = enum { DATA, ACK, FIN }
role R {
  states A
  initial A
  var ks: list<Kind, 3> = [ACK, FIN]
  var bs: list<bool, 4> = [true]
  var ss: list<seq<32>, 2> = [9]
  from A on internal -> same { ks = tail(ks) + [DATA]  bs = [] }
}
system one { instance r: R { bs = [false, true] } })");
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Role& r = c.model.roles[0];
  EXPECT_EQ(ir::format_value(c.model, r.vars[0].type, r.vars[0].init), "[ACK, FIN]");
  EXPECT_EQ(ir::format_value(c.model, r.vars[1].type, c.model.systems[0].instances[0].init[1]), "[false, true]");
  EXPECT_EQ(ir::format_value(c.model, r.vars[2].type, r.vars[2].init), "[1]");  // 9 mod 2^3
}

TEST(ListSema, ListHeadAndTailAreNamesElsewhere) {
  Compiled c = compile(R"(type list = int[0..3]
role R {
  states A
  initial A
  var head: list = 1
  var tail: list<list, 2> = []
  from A on internal -> same { tail = tail + [head]  head = head(tail) }
}
system one { instance r: R })");
  EXPECT_TRUE(c.ok) << c.messages;
}

void expect_error(const std::string& type, const std::string& body, const std::string& message) {
  const Compiled c = compile(spec(type, body));
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.messages.substr(0, c.messages.find('\n')), message) << c.messages;
}

TEST(ListSema, TypeErrors) {
  expect_error("list<int[0..3], 0>", "", "l.sp:6:26: error: list capacity must be 1..62, not 0");
  expect_error("list<int[0..255], 8>", "",
               "l.sp:6:10: error: list<int[0..255], 8> needs 68 bits (length and 8 elements of 8); a list holds at "
               "most 62: lower the capacity or narrow the element type");
  expect_error("list<map<int[0..1], bool> capacity 2, 2>", "",
               "l.sp:6:15: error: a list's elements must be scalar (bool, int[lo..hi], an enum, a set, seq, mac or "
               "ip4), not map<int[0..1], bool> capacity 2");
  expect_error("list<list<bool, 2>, 2>", "",
               "l.sp:6:15: error: a list's elements must be scalar (bool, int[lo..hi], an enum, a set, seq, mac or "
               "ip4), not list<bool, 2>");
  expect_error("list<bool, k>", "", "l.sp:6:21: error: unknown name 'k'");
}

TEST(ListSema, ExpressionErrors) {
  const std::string t = "list<int[0..3], 2>";
  expect_error(t, "l = [1, 2, 3]", "l.sp:9:39: error: this list has 3 elements, but list<int[0..3], 2> holds at most 2");
  expect_error(t, "l = [1] + [2, 3]",
               "l.sp:9:43: error: this list has 3 elements, but list<int[0..3], 2> holds at most 2");
  expect_error(t, "l = l + [4]", "l.sp:9:44: error: list element: 4 is out of range int[0..3]");
  expect_error(t, "l = l + k",
               "l.sp:9:41: error: operator '+' is not defined on list<int[0..3], 2> and int[0..3] (append an element "
               "with l + [x])");
  expect_error(t, "l = l - l", "l.sp:9:41: error: operator '-' is not defined on list<int[0..3], 2> and list<int[0..3], 2>");
  expect_error(t, "ok = l < l", "l.sp:9:42: error: operator '<' is not defined on list<int[0..3], 2> and list<int[0..3], 2>");
  expect_error(t, "k = l[2]", "l.sp:9:41: error: list index 2 is out of range: list<int[0..3], 2> has indices 0..1");
  expect_error(t, "k = l[ok]", "l.sp:9:41: error: a list index is an integer (0 is the first element), not bool");
  expect_error(t, "k = head(k)", "l.sp:9:44: error: 'head' takes a list, not int[0..3]");
  expect_error(t, "l = tail(l, l)", "l.sp:9:39: error: 'tail' takes 1 argument, not 2");
  expect_error(t, "k = len(k)", "l.sp:9:43: error: 'len' takes a port or a list, not int[0..3]");
  expect_error(t, "k = len(nett)", "l.sp:9:43: error: role R has no port 'nett' (did you mean net?)");
  expect_error(t, "ok = [] == []",
               "l.sp:9:40: error: cannot tell which list type '[...]' is here (write it where a list variable or "
               "field gives its type)");
  expect_error("list<int[0..3], 3>", "l = m.items",
               "l.sp:9:39: error: assignment to l: expected list<int[0..3], 3>, found list<int[0..3], 2>");
  expect_error(t, "k = k[0]", "l.sp:9:39: error: only a map variable or a list can be indexed, not int[0..3]");
  expect_error(t, "l[0] = k",
               "l.sp:9:35: error: 'l' is a list<int[0..3], 2>: a list is assigned as a whole (l = [x] + tail(l)), not "
               "by element");
}

TEST(ListSema, NotACallParameterOrQuantifierDomain) {
  Compiled c = compile(R"(type L = list<bool, 2>
role R {
  calls put(x: L)
  states A
  initial A
}
system one { instance r: R }
property p in one: always forall x: L . x == x)");
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.messages.find("l.sp:3:16: error: a call parameter cannot be a list<bool, 2>"), std::string::npos) << c.messages;
  EXPECT_NE(c.messages.find("l.sp:8:27: error: cannot quantify over list<bool, 2>: not a small finite type"), std::string::npos)
      << c.messages;
}

TEST(ListParse, SyntaxErrors) {
  EXPECT_EQ(compile(spec("list<int[0..3]>", "")).messages.substr(0, 44),
            "l.sp:6:24: error: expected ',' but found '>'");
  EXPECT_EQ(compile(spec("list<int[0..3], 2>", "l = [1, ]")).messages.substr(0, 51),
            "l.sp:9:43: error: expected expression but found ']'");
  EXPECT_EQ(compile(spec("list<int[0..3], 2>", "l = [1 2]")).messages.substr(0, 44),
            "l.sp:9:42: error: expected ']' but found '2'");
  EXPECT_EQ(compile(spec("list<int[0..3], 2>", "l = [1")).messages.substr(0, 44),
            "l.sp:9:42: error: expected ']' but found '}'");
}

}  // namespace
}  // namespace sp
