// `%` is the mathematical modulus (in [0, |b|)) and min/max pick an operand, in property
// evaluation (the tree walk) and in compiled guards alike (docs/language.md "Arithmetic").
#include <gtest/gtest.h>

#include <climits>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

class ArithOps : public ::testing::Test {
 protected:
  void SetUp() override {
    tbool = b.Bool();
    tint = b.Int(-100, 100);
    const int r = b.AddRole("R", {"A"});
    b.AddVar(r, "x", tint, -7);
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "p", r);
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
    EXPECT_FALSE(ts->eval(state, e, &err).has_value());
    return err;
  }
  Expr I(int64_t v) { return Const(tint, v); }
  Expr X() { return InstVar(tint, 0, 0); }  // p.x = -7
  int64_t Mod(Expr a, Expr c) { return Ev(Bin(Op::kMod, tint, std::move(a), std::move(c))); }

  ModelBuilder b;
  TypeId tbool, tint;
  std::unique_ptr<TransitionSystem> ts;
  Slots state;
};

TEST_F(ArithOps, ModIsNeverNegative) {
  EXPECT_EQ(Mod(X(), I(3)), 2);       // -7 mod 3 (C++: -1)
  EXPECT_EQ(Mod(I(7), I(3)), 1);
  EXPECT_EQ(Mod(I(6), I(3)), 0);
  EXPECT_EQ(Mod(I(-6), I(3)), 0);
  EXPECT_EQ(Mod(I(7), I(-3)), 1);     // in [0, |b|) also for a negative divisor
  EXPECT_EQ(Mod(X(), I(-3)), 2);
  EXPECT_EQ(Mod(X(), I(-1)), 0);
  EXPECT_EQ(Mod(I(INT64_MIN), I(3)), 1);   // -2^63 = -3074457345618258603 * 3 + 1
  EXPECT_EQ(Mod(I(-1), I(INT64_MIN)), INT64_MAX);
  // Division still truncates toward zero.
  EXPECT_EQ(Ev(Bin(Op::kDiv, tint, X(), I(2))), -3);
}

TEST_F(ArithOps, ModByZeroIsAnError) {
  EXPECT_EQ(Err(Bin(Op::kMod, tint, X(), I(0))), "modulo by zero");
}

TEST_F(ArithOps, MinAndMax) {
  EXPECT_EQ(Ev(Bin(Op::kMin, tint, X(), I(3))), -7);
  EXPECT_EQ(Ev(Bin(Op::kMax, tint, X(), I(3))), 3);
  EXPECT_EQ(Ev(Bin(Op::kMin, tint, I(3), X())), -7);
  EXPECT_EQ(Ev(Bin(Op::kMax, tint, X(), X())), -7);
}

}  // namespace
}  // namespace sp::ir
