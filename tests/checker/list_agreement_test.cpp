// Lists (list<T, N>; docs/language.md, "Lists") in every engine: each list checking error
// (index out of range, head/tail of an empty list, append to a full list, an element out
// of its type) is found by the explicit search with its text, at the same depth by BMC,
// and as an assertion by SPIN on the Promela export; a list too wide for Promela's int is
// refused with the documented text. tests/checker/specs/list_relay.sp (lists in
// messages, properties over lists) is in the SPIN and symbolic agreement suites.
#include <gtest/gtest.h>

#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

// BODY runs on every step while `n < 3`; `l` starts as [2].
std::string Spec(const std::string& type, const std::string& body) {
  return R"(protocol lists "list checking errors"
role R {
  states A
  initial A
  var l: )" + type + R"( = [2]
  var n: int[0..3] = 0
  step: from A on internal if n < 3 -> same { n = n + 1  )" + body + R"( }
}
system one { instance r: R }
property small in one: always len(r.l) <= 3
)";
}

struct Case {
  const char* name;
  const char* type;
  const char* body;
  const char* error;  // the checking error; "" when none
  size_t steps;       // the counterexample's length
};

const Case kCases[] = {
    {"append_to_full", "list<int[0..3], 2>", "l = l + [n]", "list is full: 2 + 1 elements exceed its capacity 2", 2},
    {"index_out_of_range", "list<int[0..3], 3>", "n = l[n]", "list index 1 is out of range (length 1)", 1},
    {"head_of_empty", "list<int[0..3], 3>", "l = tail(l)  n = head(l) + 1", "head of an empty list", 1},
    {"tail_of_empty", "list<int[0..3], 3>", "l = tail(tail(l))", "tail of an empty list", 1},
    {"element_overflow", "list<int[0..3], 3>", "l = [head(l) + n]", "list element: int[0..3] overflows: 5", 2},
    {"no_error", "list<int[0..3], 3>", "if full(l) { l = tail(l) } else { l = [n] + l }", "", 0},
};

class ListErrors : public ::testing::TestWithParam<Case> {};

TEST_P(ListErrors, EveryEngineFindsTheError) {
  const Case& c = GetParam();
  const ir::Model m = testing::Compile(Spec(c.type, c.body));
  ir::TransitionSystem ts(m, 0);
  const std::vector<int> props = testing::PropertiesOf(m, 0);
  const Result ex = check_safety(ts, props, testing::Bfs());
  const Outcome* err = testing::Find(ex, "no checking errors");
  ASSERT_NE(err, nullptr);
  if (*c.error == '\0') {
    EXPECT_EQ(err->verdict, Verdict::kHolds) << err->message;
  } else {
    ASSERT_EQ(err->verdict, Verdict::kViolated);
    EXPECT_NE(err->message.find(c.error), std::string::npos) << err->message;
    EXPECT_EQ(err->trace->steps.size(), c.steps);
  }
  testing::ExpectBmcAgrees(ts, props, 4);
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) return;
  std::string error;
  const std::optional<ir::PromelaModel> pml = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(pml) << error;
  const testing::PanDir pan_dir(std::string("list_") + c.name, pml->text);
  ASSERT_FALSE(pan_dir.path().empty());
  std::string log;
  ASSERT_TRUE(testing::BuildPan(pan_dir.path(), "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log << pml->text;
  const testing::PanRun spin = testing::RunPan(pan_dir.path(), "-m100000 -w20");
  ASSERT_TRUE(spin.ok) << spin.output;
  EXPECT_EQ(spin.errors > 0, *c.error != '\0') << spin.output << pml->text;
}

INSTANTIATE_TEST_SUITE_P(Lists, ListErrors, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

TEST(ListPromela, TooWideForPromelasIntIsRefused) {
  const ir::Model m = testing::Compile(Spec("list<int[0..15], 7>", "l = l + [n]"));
  std::string error;
  EXPECT_FALSE(ir::to_promela(m, 0, &error));
  EXPECT_NE(error.find("list<int[0..15], 7> takes 31 bits: not expressible in Promela, whose int holds 30"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace sp::checker
