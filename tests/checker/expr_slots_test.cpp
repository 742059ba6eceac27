// slots_read: the slots an invariant reads, so a search decodes only those.
#include "checker/expr_slots.hpp"

#include <gtest/gtest.h>

#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

constexpr const char* kSpec = R"(
protocol p
role A {
  states S0, S1
  initial S0
  var x: int[0..3] = 0
  var y: int[0..3] = 0
  var m: map<int[0..3], int[0..3]> capacity 2
  go: from S0 on internal -> S1 { x = 1  y = 2  m[1] = 2 }
}
system s {
  instance a: A
}
property only_x in s: always a.x <= 3
property state_and_y in s: always (a in S1 || a.y == 0)
property map_read in s: always (1 in a.m -> a.m[1] == 2)
)";

TEST(ExprSlots, NamesTheSlotsAnInvariantReads) {
  ir::Model m = testing::Compile(kSpec);
  ASSERT_FALSE(m.systems.empty());
  ir::TransitionSystem ts(m, 0);
  const ir::Layout& l = ts.layout();
  auto read = [&](const std::string& name) {
    const int p = m.find_property(name);
    EXPECT_GE(p, 0) << name;
    return detail::slots_read(ts, m.properties[static_cast<size_t>(p)].invariant);
  };
  const ir::InstanceLayout& a = l.instances[0];
  EXPECT_EQ(read("only_x"), (std::vector<int32_t>{a.vars[0]}));
  EXPECT_EQ(read("state_and_y"), (std::vector<int32_t>{a.state, a.vars[1]}));
  // A map of capacity 2: its size slot and two (key, value) pairs.
  std::vector<int32_t> map_slots;
  for (int k = 0; k < 5; ++k) map_slots.push_back(a.vars[2] + k);
  EXPECT_EQ(read("map_read"), map_slots);
}

}  // namespace
}  // namespace sp::checker
