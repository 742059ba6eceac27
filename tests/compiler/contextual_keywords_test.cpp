// Keywords usable as names where nothing is ambiguous (docs/language.md "Lexical
// structure"): a parameter `dup`, a transition `send`, a variable `seq`, in declarations,
// expressions and fairness selectors; the reserved ones stay errors; channel options after
// `lossy` / `dup` are still options, not budgets.
#include <gtest/gtest.h>

#include "compiler/ir/model.hpp"
#include "compiler/parse/lexer.hpp"
#include "compiler/sema/compile.hpp"
#include "tests/compiler/compile_util.hpp"

namespace sp {
namespace {

using testing::Compiled;

Compiled compile(const std::string& text) { return testing::compile(text, "t.sp"); }

const char* const kSpec = R"(protocol kw "keywords as names"
message M { seq: int[0..3] }
role R {
  port net: M
  calls push(dup: bool, seq: int[0..3]), recv
  states A, B
  initial A
  var timeout: int[0..3] = 0
  var bag: bool = false
  send: from A on call push(dup, seq) if dup || seq > timeout -> B {
    timeout = seq
    send net { seq = seq }
  }
  recv: from B on call recv -> A { bag = !bag }
  internal: from B on recv net(fifo) if fifo.seq == timeout -> same
}
system s {
  instance a, b: R
  channel a.net -> b.net capacity 2 lossy dup
  channel b.net -> a.net lossy 1 dup fifo capacity 2
}
property p in s: always (a.timeout <= 3 && (a.bag || !a.bag))
property q in s: always (a in B -> eventually a in A) under weak fair send, weak fair a.recv
)";

TEST(ContextualKeywords, NamesWhereNothingIsAmbiguous) {
  Compiled c = compile(kSpec);
  ASSERT_TRUE(c.ok) << c.messages;
  const ir::Role& r = c.model.roles[0];
  EXPECT_EQ(r.transitions[0].name, "send");
  EXPECT_EQ(r.transitions[1].name, "recv");
  EXPECT_EQ(r.transitions[2].name, "internal");
  EXPECT_EQ(r.calls[0].params[0].name, "dup");
  EXPECT_EQ(r.vars[0].name, "timeout");
  // `lossy dup`: both options, no budget named dup; `lossy 1 dup fifo`: a budget of 1.
  const ir::System& s = c.model.systems[0];
  ASSERT_EQ(s.queues.size(), 2u);
  EXPECT_TRUE(s.queues[0].lossy);
  EXPECT_TRUE(s.queues[0].dup);
  EXPECT_FALSE(s.queues[0].loss_budget.has_value());
  EXPECT_EQ(s.queues[1].loss_budget, 1);
  EXPECT_TRUE(s.queues[1].dup);
}

TEST(ContextualKeywords, ReservedWordsStayReserved) {
  for (const char* w : {"in", "if", "from", "on", "send", "var", "true", "next", "always"}) {
    EXPECT_TRUE(parse::is_reserved(w)) << w;
  }
  for (const char* w : {"dup", "seq", "recv", "timeout", "lossy", "bag", "any", "same"}) {
    EXPECT_FALSE(parse::is_reserved(w)) << w;
  }
  std::string text = kSpec;
  text.replace(text.find("var bag"), 7, "var next");
  Compiled c = compile(text);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.messages.substr(0, c.messages.find('\n')),
            "t.sp:9:7: error: expected a variable name but found keyword 'next'");
}

}  // namespace
}  // namespace sp
