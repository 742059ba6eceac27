// Expression evaluation: sequence-number arithmetic and serial comparison, sets, logic,
// errors, and property reads of instances.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

class EvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tbool = b.Bool();
    tint = b.Int(-100, 100);
    tseq3 = b.Seq(3);
    tseq32 = b.Seq(32);
    tflag = b.Enum("Flag", {"FIN", "SYN", "RST", "ACK"});
    tflags = b.Set("Flags", tflag);
    const int r = b.AddRole("R", {"A", "B"});
    b.AddVar(r, "x", tint, 7);
    b.AddVar(r, "armed_twice", tbool, 1);
    b.AddTimer(r, "rtx");
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "p", r);
    b.AddInstance(s, "q", r);
    b.sys(s).instances[1].init[0] = -5;
    ts = std::make_unique<TransitionSystem>(b.m, s);
    state = ts->initial_state();
  }

  int64_t Ev(const Expr& e) {
    std::string err;
    auto v = ts->eval(state, e, &err);
    EXPECT_TRUE(v.has_value()) << err;
    return v.value_or(-999);
  }
  std::string Err(const Expr& e) {
    std::string err;
    auto v = ts->eval(state, e, &err);
    EXPECT_FALSE(v.has_value());
    return err;
  }
  Expr S3(int64_t v) { return Const(tseq3, v); }
  Expr S32(int64_t v) { return Const(tseq32, v); }
  Expr I(int64_t v) { return Const(tint, v); }
  bool Cmp(Op op, Expr a, Expr b) { return Ev(Bin(op, tbool, std::move(a), std::move(b))) != 0; }

  ModelBuilder b;
  TypeId tbool, tint, tseq3, tseq32, tflag, tflags;
  std::unique_ptr<TransitionSystem> ts;
  Slots state;
};

TEST_F(EvalTest, SeqWrapsAt3Bits) {
  EXPECT_EQ(Ev(Bin(Op::kAdd, tseq3, S3(7), I(1))), 0);
  EXPECT_EQ(Ev(Bin(Op::kAdd, tseq3, S3(6), I(5))), 3);
  EXPECT_EQ(Ev(Bin(Op::kSub, tseq3, S3(0), I(1))), 7);
  EXPECT_EQ(Ev(Bin(Op::kAdd, tseq3, I(1), S3(7))), 0);  // int + seq
  // seq - seq: unsigned distance, an int.
  EXPECT_EQ(Ev(Bin(Op::kSub, tint, S3(1), S3(6))), 3);
  EXPECT_EQ(Ev(Bin(Op::kSub, tint, S3(6), S3(1))), 5);
  EXPECT_EQ(Ev(Bin(Op::kSub, tint, S3(4), S3(4))), 0);
}

TEST_F(EvalTest, SerialComparisonAt3Bits) {
  EXPECT_TRUE(Cmp(Op::kLt, S3(7), S3(0)));
  EXPECT_FALSE(Cmp(Op::kLt, S3(0), S3(7)));
  EXPECT_TRUE(Cmp(Op::kGt, S3(0), S3(7)));
  EXPECT_TRUE(Cmp(Op::kLt, S3(5), S3(0)));   // distance 3
  EXPECT_TRUE(Cmp(Op::kLt, S3(1), S3(4)));   // distance 3
  EXPECT_FALSE(Cmp(Op::kLt, S3(3), S3(3)));
  EXPECT_TRUE(Cmp(Op::kLe, S3(3), S3(3)));
  EXPECT_TRUE(Cmp(Op::kGe, S3(3), S3(3)));
  // Distance 4 = 2^(bits-1): undefined, false both ways (also <=, >=).
  for (int a = 0; a < 8; ++a) {
    const int c = (a + 4) % 8;
    EXPECT_FALSE(Cmp(Op::kLt, S3(a), S3(c))) << a;
    EXPECT_FALSE(Cmp(Op::kLt, S3(c), S3(a))) << a;
    EXPECT_FALSE(Cmp(Op::kGt, S3(a), S3(c))) << a;
    EXPECT_FALSE(Cmp(Op::kLe, S3(a), S3(c))) << a;
    EXPECT_FALSE(Cmp(Op::kGe, S3(c), S3(a))) << a;
  }
  // Every other pair: exactly one of <, ==, > holds.
  for (int a = 0; a < 8; ++a) {
    for (int c = 0; c < 8; ++c) {
      if ((a - c + 8) % 8 == 4) continue;
      const int n = Cmp(Op::kLt, S3(a), S3(c)) + Cmp(Op::kEq, S3(a), S3(c)) + Cmp(Op::kGt, S3(a), S3(c));
      EXPECT_EQ(n, 1) << a << " " << c;
    }
  }
  // A seq compared with an int literal uses the seq's width.
  EXPECT_TRUE(Cmp(Op::kLt, S3(6), I(1)));
  EXPECT_TRUE(Cmp(Op::kEq, S3(0), I(8)));
}

TEST_F(EvalTest, SeqAt32Bits) {
  const int64_t max = 0xffffffffLL;
  EXPECT_EQ(Ev(Bin(Op::kAdd, tseq32, S32(max), I(1))), 0);
  EXPECT_EQ(Ev(Bin(Op::kSub, tseq32, S32(0), I(1))), max);
  EXPECT_EQ(Ev(Bin(Op::kSub, tint, S32(2), S32(max))), 3);
  EXPECT_TRUE(Cmp(Op::kLt, S32(0xfffffff0LL), S32(5)));
  EXPECT_FALSE(Cmp(Op::kLt, S32(5), S32(0xfffffff0LL)));
  EXPECT_FALSE(Cmp(Op::kLt, S32(0), S32(0x80000000LL)));
  EXPECT_FALSE(Cmp(Op::kGt, S32(0), S32(0x80000000LL)));
  EXPECT_TRUE(Cmp(Op::kLt, S32(0), S32(0x7fffffffLL)));
  EXPECT_TRUE(Cmp(Op::kGt, S32(0), S32(0x80000001LL)));
}

TEST_F(EvalTest, IntArithmeticAndLogic) {
  EXPECT_EQ(Ev(Bin(Op::kMul, tint, I(-6), I(7))), -42);
  EXPECT_EQ(Ev(Bin(Op::kDiv, tint, I(7), I(2))), 3);
  EXPECT_EQ(Ev(Bin(Op::kMod, tint, I(7), I(3))), 1);
  EXPECT_EQ(Ev(Node(Op::kNeg, tint, {I(4)})), -4);
  EXPECT_EQ(Ev(Node(Op::kNot, tbool, {Const(tbool, 0)})), 1);
  EXPECT_EQ(Ev(Bin(Op::kNe, tbool, I(1), I(2))), 1);
  EXPECT_EQ(Ev(Bin(Op::kImplies, tbool, Const(tbool, 0), Const(tbool, 0))), 1);
  EXPECT_EQ(Ev(Bin(Op::kImplies, tbool, Const(tbool, 1), Const(tbool, 0))), 0);
  // Short circuit: the right side would fail.
  const Expr bad = Bin(Op::kEq, tbool, Bin(Op::kDiv, tint, I(1), I(0)), I(0));
  EXPECT_EQ(Ev(Bin(Op::kAnd, tbool, Const(tbool, 0), bad)), 0);
  EXPECT_EQ(Ev(Bin(Op::kOr, tbool, Const(tbool, 1), bad)), 1);
  EXPECT_EQ(Ev(Bin(Op::kImplies, tbool, Const(tbool, 0), bad)), 1);
  EXPECT_EQ(Err(Bin(Op::kAnd, tbool, Const(tbool, 1), bad)), "division by zero");
  EXPECT_EQ(Err(Bin(Op::kMod, tint, I(1), I(0))), "modulo by zero");
}

TEST_F(EvalTest, Sets) {
  const Expr syn_ack = Node(Op::kSetLit, tflags, {Const(tflag, 1), Const(tflag, 3)});
  EXPECT_EQ(Ev(syn_ack), 0b1010);
  EXPECT_EQ(Ev(Bin(Op::kSetHas, tbool, Const(tflag, 1), syn_ack)), 1);
  EXPECT_EQ(Ev(Bin(Op::kSetHas, tbool, Const(tflag, 0), syn_ack)), 0);
  EXPECT_EQ(Ev(Bin(Op::kEq, tbool, syn_ack, Const(tflags, 0b1010))), 1);
  EXPECT_EQ(Ev(Node(Op::kSetLit, tflags, {})), 0);
}

TEST_F(EvalTest, PropertyReadsOfInstances) {
  EXPECT_EQ(Ev(InstVar(tint, 0, 0)), 7);
  EXPECT_EQ(Ev(InstVar(tint, 1, 0)), -5);
  EXPECT_EQ(Ev(InstState(1)), 0);
  Expr armed = Leaf(Op::kTimerArmed, tbool, 0, 1);
  EXPECT_EQ(Ev(armed), 0);
  state[static_cast<size_t>(ts->layout().instances[1].timers[0])] = 1;
  state[static_cast<size_t>(ts->layout().instances[1].state)] = 1;
  EXPECT_EQ(Ev(armed), 1);
  EXPECT_EQ(Ev(InstState(1)), 1);
  EXPECT_EQ(ts->control_state(state, 1), 1);
  // No current instance in a property: a bare variable read is an error, not a crash.
  EXPECT_FALSE(Err(VarE(tint, 0)).empty());
}

}  // namespace
}  // namespace sp::ir
