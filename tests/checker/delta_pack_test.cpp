// Patching the parent's packed bytes gives exactly Layout::pack's encoding.
#include "checker/delta_pack.hpp"

#include <gtest/gtest.h>

#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

TEST(DeltaPack, MatchesLayoutPackOnEverySuccessor) {
  std::optional<std::string> text =
      testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp");
  if (!text) GTEST_SKIP() << "spec/tcp.sp not available";
  CompileOptions o;
  o.const_overrides = {{"MAX_RETX", 1}};
  o.seq_bits = 32;  // wide slots: windows that straddle bytes
  ir::Model m = testing::Compile(*text, o);
  ir::TransitionSystem ts(m, 0);
  detail::DeltaPacker dp(ts.layout());
  // Breadth-first over the first few thousand states.
  std::vector<ir::Slots> queue{ts.initial_state()};
  size_t checked = 0;
  std::vector<uint8_t> out(dp.bytes() + detail::DeltaPacker::kSlack);
  ir::Packed parent, want;
  for (size_t q = 0; q < queue.size() && queue.size() < 3000; ++q) {
    const ir::Slots s = queue[q];
    ts.layout().pack(s, parent);
    ts.successors(s, [&](const ir::Successor& succ) {
      if (succ.error) return;
      dp.pack(parent.data(), s, succ.state, out.data());
      ts.layout().pack(succ.state, want);
      ASSERT_EQ(0, std::memcmp(out.data(), want.data(), want.size()));
      ++checked;
      queue.push_back(succ.state);
    });
  }
  EXPECT_GT(checked, 2000u);
}

}  // namespace
}  // namespace sp::checker
