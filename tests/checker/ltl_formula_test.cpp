// LTL formulas: NNF, simplification, SPIN syntax, direct lasso semantics.
#include <gtest/gtest.h>

#include "checker/ltl/formula.hpp"

namespace sp::checker::ltl {
namespace {

Formula P(const std::string& text, std::vector<std::string>* names = nullptr) {
  std::vector<std::string> local = {"p", "q", "r"};
  std::string error;
  std::optional<Formula> f = parse_spin(text, names ? *names : local, &error);
  EXPECT_TRUE(f.has_value()) << text << ": " << error;
  return f.value_or(Formula::True());
}

std::string S(const Formula& f) {
  const char* names[] = {"p", "q", "r"};
  return to_spin(f, [&](int i) { return i < 3 ? std::string(names[i]) : "p" + std::to_string(i); });
}

TEST(LtlFormula, ParsePrintRoundTrip) {
  for (const char* text : {"[](p -> <>q)", "<>[]p", "[]<>p && []<>q", "p U (q U r)", "(p U q) U r",
                           "X X p", "!(p V q)", "X(p && q)", "true", "false", "[]!p",
                           "(p || q) && r", "p -> q -> r"}) {
    Formula f = P(text);
    Formula g = P(S(f));
    EXPECT_EQ(f, g) << text << " printed " << S(f);
  }
  EXPECT_EQ(S(P("[](p -> <>q)")), "[](p -> <>q)");
  EXPECT_EQ(S(P("p U q U r")), "p U (q U r)");   // right-associative
  EXPECT_EQ(S(P("p && q U r")), "p && (q U r)");  // U binds tighter than &&
  EXPECT_EQ(S(P("X p")), "X p");
  EXPECT_EQ(S(P("!!p")), "!(!p)");  // `!!` is one token in Promela
}

TEST(LtlFormula, ParseNamesAndErrors) {
  std::vector<std::string> names;
  std::optional<Formula> f = parse_spin("[] (ok -> <> done_1)", names);
  ASSERT_TRUE(f);
  EXPECT_EQ(names, (std::vector<std::string>{"ok", "done_1"}));
  // `Up` is an identifier, not `U p`.
  f = parse_spin("Up U Xq", names);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->op, Op::kUntil);
  for (const char* bad : {"", "p &&", "(p", "p q", "U p", "[]", "p -> ", "p $ q", "((((p)"}) {
    std::vector<std::string> n;
    std::string error;
    EXPECT_FALSE(parse_spin(bad, n, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string deep(5000, '(');
  std::vector<std::string> n;
  EXPECT_FALSE(parse_spin(deep + "p", n));
}

TEST(LtlFormula, WeakUntilAndEquivalence) {
  // p W q = q V (p || q)
  EXPECT_EQ(P("p W q"), Formula::Release(Formula::Atom(1), Formula::Or(Formula::Atom(0), Formula::Atom(1))));
  EXPECT_EQ(P("p <-> q").op, Op::kAnd);
}

TEST(LtlFormula, NegationNormalForm) {
  EXPECT_EQ(S(negate(P("[](p -> <>q)"))), "<>(p && []!q)");
  EXPECT_EQ(S(negate(P("p U q"))), "!p V !q");
  EXPECT_EQ(S(negate(P("X !p"))), "X p");
  EXPECT_TRUE(is_nnf(to_nnf(P("!(p -> X !(q U !r))"))));
  EXPECT_FALSE(is_nnf(P("p -> q")));
  EXPECT_FALSE(is_nnf(P("!X p")));
}

TEST(LtlFormula, Simplification) {
  EXPECT_EQ(S(simplify(P("<><>p"))), "<>p");
  EXPECT_EQ(S(simplify(P("[][]p"))), "[]p");
  EXPECT_EQ(S(simplify(P("<>[]<>p"))), "[]<>p");
  EXPECT_EQ(S(simplify(P("[]<>[]p"))), "<>[]p");
  EXPECT_EQ(S(simplify(P("true U p"))), "<>p");
  EXPECT_EQ(S(simplify(P("false V p"))), "[]p");
  EXPECT_EQ(S(simplify(P("X p && X q"))), "X(p && q)");
  EXPECT_EQ(S(simplify(P("[]p && []q"))), "[](p && q)");
  EXPECT_EQ(S(simplify(P("<>p || <>q"))), "<>(p || q)");
  EXPECT_EQ(S(simplify(P("p && !p"))), "false");
  EXPECT_EQ(S(simplify(P("p U false"))), "false");
  EXPECT_EQ(S(simplify(P("X true"))), "true");
  EXPECT_EQ(S(simplify(P("!!p"))), "p");
  EXPECT_EQ(S(simplify(P("p U <>q"))), "<>q");
  EXPECT_EQ(S(simplify(P("<>(p U q)"))), "<>q");
}

TEST(LtlFormula, FromIr) {
  ir::Ltl atom{ir::LtlOp::kAtom, 0, {}};
  ir::Ltl t{ir::LtlOp::kTrue, -1, {}};
  ir::Ltl f{ir::LtlOp::kNot, -1, {t}};
  ir::Ltl g{ir::LtlOp::kAlways, -1, {ir::Ltl{ir::LtlOp::kImplies, -1, {atom, ir::Ltl{ir::LtlOp::kEventually, -1, {f}}}}}};
  EXPECT_EQ(S(from_ir(g)), "[](p -> <>false)");
  EXPECT_EQ(S(simplify(from_ir(g))), "[]!p");
}

TEST(LtlFormula, LassoSemantics) {
  // letters: bit 0 = p, bit 1 = q
  const std::vector<uint64_t> w = {0, 1, 2, 0};  // {} {p} ({q} {})^omega
  EXPECT_TRUE(holds_on_lasso(P("<>p"), w, 2));
  EXPECT_FALSE(holds_on_lasso(P("[]<>p"), w, 2));
  EXPECT_TRUE(holds_on_lasso(P("[]<>q"), w, 2));
  EXPECT_FALSE(holds_on_lasso(P("<>[]!q"), w, 2));
  EXPECT_TRUE(holds_on_lasso(P("X p"), w, 2));
  EXPECT_TRUE(holds_on_lasso(P("X X q"), w, 2));
  EXPECT_TRUE(holds_on_lasso(P("!q U p"), w, 2));
  EXPECT_FALSE(holds_on_lasso(P("!p U q"), w, 2));  // p comes before q, and !p fails there
  EXPECT_TRUE(holds_on_lasso(P("[](p -> <>q)"), w, 2));
  EXPECT_FALSE(holds_on_lasso(P("[](q -> <>p)"), w, 2));
  EXPECT_TRUE(holds_on_lasso(P("q V !p"), w, 0) == false);  // !p must hold until q: fails at 1
  EXPECT_TRUE(holds_on_lasso(P("[]!r"), w, 2));
  // A one-letter loop: a stuttering end state.
  EXPECT_TRUE(holds_on_lasso(P("<>[]p"), {0, 1}, 1));
  EXPECT_FALSE(holds_on_lasso(P("<>p"), {0}, 0));
}

}  // namespace
}  // namespace sp::checker::ltl
