// Receive guards: the message pre-tests (`SYN in s.flags`, `s.v == 2`) taken from a
// guard's conjuncts agree with evaluating the whole guard, and never hide an error the
// guard raises before reaching them.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

struct Rx {
  ModelBuilder b;
  TypeId tbool, tflag, tflags, tv;
  int sink, x;
  std::unique_ptr<TransitionSystem> ts;
  Rx() {
    tbool = b.Bool();
    tflag = b.Enum("Flag", {"FIN", "SYN", "RST", "ACK"});
    tflags = b.Set("Flags", tflag);
    tv = b.Int(0, 3);
    const int msg = b.AddMessage("Seg", {{"flags", tflags}, {"v", tv}});
    const int src = b.AddRole("Src", {"S"});
    const int out = b.AddPort(src, "net", msg);
    sink = b.AddRole("Sink", {"S"});
    const int in = b.AddPort(sink, "net", msg);
    x = b.AddVar(sink, "x", tv);
    b.AddSystem("sys");
    b.AddInstance(0, "src", src);
    b.AddInstance(0, "sink", sink);
    b.AddQueue(0, "src.net->sink.net", {0}, out, 1, in, msg, 1);
  }
  Expr Has(int flag) { return Bin(Op::kSetHas, tbool, Const(tflag, flag), FieldE(tflags, 0)); }
  Expr Not(Expr e) { return Node(Op::kNot, tbool, {std::move(e)}); }
  Expr And(Expr a, Expr c) { return Bin(Op::kAnd, tbool, std::move(a), std::move(c)); }
  void Guard(std::string name, Expr g) {
    b.AddTransition(sink, std::move(name), {0}, EventKind::kRecv, 0, -1).guard = std::move(g);
  }
  std::vector<std::string> Fired(int64_t flags, int64_t v) {
    if (!ts) ts = std::make_unique<TransitionSystem>(b.m, 0);
    Slots s = ts->initial_state();
    const QueueLayout& q = ts->layout().queues[0];
    s[static_cast<size_t>(q.len)] = 1;
    s[static_cast<size_t>(q.first)] = flags;
    s[static_cast<size_t>(q.first + 1)] = v;
    std::vector<std::string> out;
    ts->successors(s, [&](const Successor& x) {
      const Role& role = b.m.roles[static_cast<size_t>(sink)];
      out.push_back(role.transitions[static_cast<size_t>(x.label.transition)].name + (x.error ? "!" : ""));
    });
    return out;
  }
};

TEST(Guards, MessagePreTestsAgreeWithTheGuard) {
  Rx rx;
  const int FIN = 0, SYN = 1, RST = 2, ACK = 3;
  rx.Guard("syn", rx.And(rx.Has(SYN), rx.Not(rx.Has(ACK))));
  rx.Guard("synack", rx.And(rx.And(rx.Has(SYN), rx.Has(ACK)), Bin(Op::kEq, rx.tbool, FieldE(rx.tv, 1), Const(rx.tv, 2))));
  rx.Guard("not_rst_or_fin", Bin(Op::kOr, rx.tbool, rx.Not(rx.Has(RST)), rx.Has(FIN)));
  rx.Guard("v_is_x", Bin(Op::kEq, rx.tbool, FieldE(rx.tv, 1), VarE(rx.tv, rx.x)));
  for (int64_t flags = 0; flags < 16; ++flags) {
    for (int64_t v = 0; v < 4; ++v) {
      std::vector<std::string> expect;
      const bool syn = flags >> SYN & 1, ack = flags >> ACK & 1, rst = flags >> RST & 1, fin = flags >> FIN & 1;
      if (syn && !ack) expect.push_back("syn");
      if (syn && ack && v == 2) expect.push_back("synack");
      if (!rst || fin) expect.push_back("not_rst_or_fin");
      if (v == 0) expect.push_back("v_is_x");
      EXPECT_EQ(rx.Fired(flags, v), expect) << "flags " << flags << " v " << v;
    }
  }
}

TEST(Guards, AnErrorBeforeAPreTestIsStillRaised) {
  Rx rx;
  // 1 / x == 0 && SYN in s.flags, with x == 0: the division fails first.
  rx.Guard("div_first", rx.And(Bin(Op::kEq, rx.tbool, Bin(Op::kDiv, rx.tv, Const(rx.tv, 1), VarE(rx.tv, rx.x)),
                                   Const(rx.tv, 0)),
                               rx.Has(1)));
  // SYN in s.flags && 1 / x == 0: without SYN the guard is false before dividing.
  rx.Guard("syn_first", rx.And(rx.Has(1), Bin(Op::kEq, rx.tbool,
                                              Bin(Op::kDiv, rx.tv, Const(rx.tv, 1), VarE(rx.tv, rx.x)),
                                              Const(rx.tv, 0))));
  EXPECT_EQ(rx.Fired(0, 0), std::vector<std::string>{"div_first!"});
  EXPECT_EQ(rx.Fired(0b10, 0), (std::vector<std::string>{"div_first!", "syn_first!"}));
}

TEST(Guards, NegatedMembershipOfAVariableItem) {
  Rx rx;
  const int item = rx.b.AddVar(rx.sink, "item", rx.tflag, 2);  // RST
  rx.Guard("no_item", rx.Not(Bin(Op::kSetHas, rx.tbool, VarE(rx.tflag, item), FieldE(rx.tflags, 0))));
  EXPECT_EQ(rx.Fired(0b0100, 0), std::vector<std::string>{});
  EXPECT_EQ(rx.Fired(0b1011, 0), std::vector<std::string>{"no_item"});
}

}  // namespace
}  // namespace sp::ir
