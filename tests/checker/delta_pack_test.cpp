// Patching the parent's packed bytes gives exactly Layout::pack's encoding.
#include "checker/delta_pack.hpp"

#include <gtest/gtest.h>

#include <filesystem>

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
      ts.layout().pack(succ.state, want);
      dp.pack_changed(parent.data(), succ.state, succ.changed, out.data());
      ASSERT_EQ(0, std::memcmp(out.data(), want.data(), want.size()));
      ++checked;
      queue.push_back(succ.state);
    });
  }
  EXPECT_GT(checked, 2000u);
}

// Successor::changed lists every slot a step changed (the checkers re-encode only
// those), and the working state is restored between steps: on every shipped spec and
// variant (maps, bags, broadcast, lossy and dup channels), the states of the first few
// thousand BFS states' successors differ from their parent only in listed slots, and
// the changed-slot packing equals a full Layout::pack.
TEST(DeltaPack, ChangedSlotsCoverEveryDifferenceOnShippedSpecs) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(STATEPROOF_SOURCE_DIR) / "spec";
  std::vector<fs::path> specs;
  for (const fs::path& dir : {root, root / "variants"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".sp") specs.push_back(e.path());
    }
  }
  if (specs.empty()) GTEST_SKIP() << "spec/ not available";
  size_t checked = 0;
  for (const fs::path& path : specs) {
    SCOPED_TRACE(path.string());
    std::optional<std::string> text = testing::ReadFile(path.string());
    ASSERT_TRUE(text.has_value());
    ir::Model m = testing::Compile(*text);
    for (size_t sys = 0; sys < m.systems.size(); ++sys) {
      ir::TransitionSystem ts(m, static_cast<int>(sys));
      detail::DeltaPacker dp(ts.layout());
      std::vector<ir::Slots> queue{ts.initial_state()};
      std::vector<uint8_t> out(dp.bytes() + detail::DeltaPacker::kSlack);
      ir::Packed parent, want;
      ir::Slots reused;
      for (size_t q = 0; q < queue.size() && queue.size() < 2000; ++q) {
        const ir::Slots s = queue[q];
        ts.layout().pack(s, parent);
        ts.successors(s, [&](const ir::Successor& succ) {
          if (succ.error) return;
          std::vector<bool> listed(s.size(), false);
          for (const int32_t x : succ.changed) {
            ASSERT_GE(x, 0);
            ASSERT_LT(static_cast<size_t>(x), s.size());
            listed[static_cast<size_t>(x)] = true;
          }
          for (size_t x = 0; x < s.size(); ++x) {
            if (!listed[x]) {
              ASSERT_EQ(s[x], succ.state[x]) << ts.layout().slots[x].name;
            }
          }
          dp.pack_changed(parent.data(), succ.state, succ.changed, out.data());
          ts.layout().pack(succ.state, want);
          ASSERT_EQ(0, std::memcmp(out.data(), want.data(), want.size()));
          // Decoding into a reused buffer gives the whole state back.
          dp.unpack(want.data(), reused);
          ASSERT_EQ(reused, succ.state);
          // Decoding the changed slots alone gives their values back.
          ir::Slots partial(s.size(), -7);
          dp.unpack_slots(want.data(), succ.changed, partial);
          for (const int32_t x : succ.changed) ASSERT_EQ(succ.state[static_cast<size_t>(x)], partial[static_cast<size_t>(x)]);
          ++checked;
          queue.push_back(succ.state);
        });
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}

}  // namespace
}  // namespace sp::checker
