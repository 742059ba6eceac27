// LTL to Büchi translation: sizes on typical formulas, and a randomized cross-check of
// automaton acceptance against the direct semantics on ultimately periodic words.
#include <gtest/gtest.h>

#include <cstdio>

#include "checker/ltl/buchi.hpp"
#include "checker/ltl/random.hpp"

namespace sp::checker::ltl {
namespace {

Formula P(const std::string& text) {
  std::vector<std::string> names = {"p", "q", "r"};
  std::string error;
  std::optional<Formula> f = parse_spin(text, names, &error);
  EXPECT_TRUE(f.has_value()) << text << ": " << error;
  return f.value_or(Formula::True());
}

std::string Name(int i) {
  const char* names[] = {"p", "q", "r"};
  return i < 3 ? names[i] : "p" + std::to_string(i);
}

// The automaton for the negation of a property, as the checker builds it.
Automaton Negated(const std::string& property) {
  std::optional<Automaton> a = translate(negate(P(property)));
  EXPECT_TRUE(a.has_value());
  return a.value_or(Automaton{});
}

TEST(LtlBuchi, ResponseIsSmall) {
  Automaton a = Negated("[](p -> <>q)");
  EXPECT_LE(a.states(), 2) << to_text(a, Name);
  EXPECT_EQ(a.acc_sets, 1);
  Automaton s = degeneralize(a);
  EXPECT_LE(s.states(), 3) << to_text(s, Name);
  EXPECT_TRUE(s.state_based);
}

TEST(LtlBuchi, Sizes) {
  struct Case {
    const char* property;
    int max_tgba, max_sba;
  };
  const Case cases[] = {
      {"[]p", 2, 2},           {"<>p", 1, 1},
      {"[]<>p", 2, 2},         {"<>[]p", 1, 2},
      {"[](p -> <>q)", 2, 2},  {"p U q", 2, 2},
      {"[](p -> X q)", 3, 3},  {"[]<>p -> []<>q", 2, 3},
      {"[](p -> (q U r))", 3, 3},
      {"[]<>p && []<>q && []<>r", 4, 4},
      {"[](p -> <>q) && [](q -> <>r)", 3, 4},
  };
  for (const Case& c : cases) {
    Automaton a = Negated(c.property);
    Automaton s = degeneralize(a);
    std::printf("  !(%s): TGBA %d states %zu edges %d sets; SBA %d states %zu edges\n", c.property, a.states(),
                a.edges(), a.acc_sets, s.states(), s.edges());
    EXPECT_LE(a.states(), c.max_tgba) << c.property << "\n" << to_text(a, Name);
    EXPECT_LE(s.states(), c.max_sba) << c.property << "\n" << to_text(s, Name);
  }
}

TEST(LtlBuchi, ConstantsAndEmptiness) {
  std::optional<Automaton> t = translate(Formula::True());
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->empty());
  EXPECT_EQ(t->states(), 1);
  std::optional<Automaton> f = translate(Formula::False());
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->empty());
  EXPECT_TRUE(degeneralize(*f).empty());
  EXPECT_TRUE(translate(P("p && !p"))->empty());
  EXPECT_TRUE(translate(P("[]p && <>!p"))->empty());
  EXPECT_FALSE(translate(P("[]p && <>p"))->empty());
}

TEST(LtlBuchi, TooManyAtoms) {
  std::string error;
  EXPECT_FALSE(translate(Formula::Atom(64), &error));
  EXPECT_NE(error.find("64"), std::string::npos);
  EXPECT_TRUE(translate(Formula::Eventually(Formula::Atom(63))));
}

TEST(LtlBuchi, TextListing) {
  Automaton a = Negated("[](p -> <>q)");
  std::string text = to_text(a, Name);
  EXPECT_NE(text.find("!q"), std::string::npos) << text;
  EXPECT_EQ(label_text(Label{}), "true");
  EXPECT_EQ(label_text(Label{1, 2}), "p0 && !p1");
}

// ---------------------------------------------------------------------------------
// Randomized cross-check.
struct Word {
  std::vector<uint64_t> letters;
  size_t loop = 0;
};

std::string WordText(const Word& w) {
  std::string s;
  for (size_t i = 0; i < w.letters.size(); ++i) {
    if (i == w.loop) s += "( ";
    s += "{";
    for (int a = 0; a < 3; ++a) {
      if ((w.letters[i] >> a) & 1) s += Name(a);
    }
    s += "} ";
  }
  return s + ")^w";
}

TEST(LtlBuchi, RandomCrossCheck) {
  SplitMix64 rng(20260522);
  int checks = 0, formulas = 0, max_states = 0, accepted = 0;
  for (int i = 0; i < 1500; ++i) {
    const int atoms = 2 + rng.below(2);
    RandomFormulaOptions o;
    o.atoms = atoms;
    o.constants = true;
    const Formula f = random_formula(rng, 2 + rng.below(3), o);
    std::optional<Automaton> a = translate(f);
    ASSERT_TRUE(a) << to_spin(f, Name);
    const Automaton s = degeneralize(*a);
    const Formula simple = simplify(f);
    ++formulas;
    max_states = std::max(max_states, a->states());
    for (int k = 0; k < 24; ++k) {
      Word w;
      w.letters = random_lasso(rng, atoms, &w.loop);
      const bool truth = holds_on_lasso(f, w.letters, w.loop);
      ASSERT_EQ(truth, holds_on_lasso(simple, w.letters, w.loop))
          << to_spin(f, Name) << " simplified to " << to_spin(simple, Name) << " on " << WordText(w);
      ASSERT_EQ(truth, holds_on_lasso(to_nnf(f), w.letters, w.loop)) << to_spin(f, Name);
      ASSERT_NE(truth, holds_on_lasso(negate(f), w.letters, w.loop)) << to_spin(f, Name);
      ASSERT_EQ(truth, accepts_lasso(*a, w.letters, w.loop))
          << to_spin(f, Name) << " on " << WordText(w) << "\n" << to_text(*a, Name);
      ASSERT_EQ(truth, accepts_lasso(s, w.letters, w.loop))
          << to_spin(f, Name) << " on " << WordText(w) << "\n" << to_text(s, Name);
      checks += 3;
      accepted += truth;
    }
  }
  std::printf("  %d formulas, %d acceptance checks (TGBA, SBA, simplified), %d words satisfied, "
              "largest TGBA %d states\n",
              formulas, checks, accepted, max_states);
  EXPECT_GT(accepted, checks / 3 / 5);  // both outcomes are well represented
  EXPECT_LT(accepted, checks / 3 * 4 / 5);
}

// Every word of a small alphabet up to a length, against each typical formula.
TEST(LtlBuchi, ExhaustiveShortWords) {
  int checks = 0;
  for (const char* text : {"[](p -> <>q)", "[]<>p -> []<>q", "p U (q U r)", "(p U q) V r", "X X p || <>[]q",
                           "[](p -> X (q V !r))", "<>(p && X[]!q)", "[]<>p && <>[]!q"}) {
    const Formula f = P(text);
    for (const Formula& g : {f, negate(f)}) {
      std::optional<Automaton> a = translate(g);
      ASSERT_TRUE(a);
      const Automaton s = degeneralize(*a);
      for (int len = 1; len <= 4; ++len) {
        int words = 1;
        for (int i = 0; i < len; ++i) words *= 8;
        for (int code = 0; code < words; ++code) {
          std::vector<uint64_t> letters;
          for (int i = 0, c = code; i < len; ++i, c /= 8) letters.push_back(static_cast<uint64_t>(c % 8));
          for (size_t loop = 0; loop < letters.size(); ++loop) {
            const bool truth = holds_on_lasso(g, letters, loop);
            ASSERT_EQ(truth, accepts_lasso(*a, letters, loop)) << to_spin(g, Name);
            ASSERT_EQ(truth, accepts_lasso(s, letters, loop)) << to_spin(g, Name);
            checks += 2;
          }
        }
      }
    }
  }
  std::printf("  %d exhaustive acceptance checks\n", checks);
}

}  // namespace
}  // namespace sp::checker::ltl
