#include "checker/state_store.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "checker/bitstate.hpp"
#include "checker/hash.hpp"

namespace sp::checker {
namespace {

std::vector<uint8_t> Key(uint64_t i, size_t n) {
  std::vector<uint8_t> k(n, 0);
  std::memcpy(k.data(), &i, std::min(n, sizeof i));
  return k;
}

TEST(StateStore, InsertFindAndMeta) {
  StateStore s({12, 8, 10, 0, false});
  for (uint64_t i = 0; i < 1000; ++i) {
    uint64_t meta = i * 3;
    auto r = s.insert(Key(i, 12).data(), &meta);
    ASSERT_EQ(r.status, StateStore::Status::kInserted);
    EXPECT_EQ(r.id, i);  // ids are insertion numbers
  }
  for (uint64_t i = 0; i < 1000; ++i) {
    auto r = s.insert(Key(i, 12).data());
    ASSERT_EQ(r.status, StateStore::Status::kFound);
    EXPECT_EQ(r.id, i);
    uint64_t meta;
    std::memcpy(&meta, s.meta(r.id), 8);
    EXPECT_EQ(meta, i * 3);
    EXPECT_EQ(std::memcmp(s.key(r.id), Key(i, 12).data(), 12), 0);
  }
  EXPECT_FALSE(s.find(Key(5000, 12).data()).has_value());
  EXPECT_EQ(*s.find(Key(7, 12).data()), 7u);
  EXPECT_EQ(s.size(), 1000u);
}

TEST(StateStore, GrowsAndKeepsEverything) {
  StateStore s({5, 0, 10, 0, false});
  const uint64_t n = 200000;
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(s.insert(Key(i, 5).data()).status, StateStore::Status::kInserted);
  EXPECT_GE(s.buckets(), n * 4 / 3);
  for (uint64_t i = 0; i < n; i += 7) EXPECT_EQ(*s.find(Key(i, 5).data()), i);
  // 5 bytes of key + 8 / load (0.375..0.75) bytes of bucket + the last chunk's slack.
  EXPECT_LT(s.memory_bytes() / n, 5u + 22u + 2u);
}

TEST(StateStore, ConcurrentInsertsCountEachKeyOnce) {
  const uint64_t n = 100000;
  // The threads insert without growing: start big enough (2^18 buckets, load < 0.75).
  StateStore big({8, 4, 18, 0, true});
  std::atomic<uint64_t> big_inserted{0};
  auto work_big = [&](uint64_t offset) {
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t k = (i * 7919 + offset) % n;
      uint32_t meta = static_cast<uint32_t>(k);
      auto r = big.insert(Key(k, 8).data(), &meta);
      if (r.status == StateStore::Status::kInserted) big_inserted.fetch_add(1);
    }
  };
  std::thread a(work_big, 0), b(work_big, 12345), c(work_big, 777);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(big_inserted.load(), n);
  EXPECT_EQ(big.size(), n);
  for (uint64_t k = 0; k < n; k += 13) {
    auto id = big.find(Key(k, 8).data());
    ASSERT_TRUE(id.has_value());
    uint32_t meta;
    std::memcpy(&meta, big.meta(*id), 4);
    EXPECT_EQ(meta, k);
  }
}

TEST(StateStore, MemoryLimitReportsFull) {
  // 8 MB: the bucket array and a few chunks of 1.5 MB, then kFull rather than a crash.
  StateStore s({16, 8, 16, 8 << 20, false});
  bool full = false;
  uint64_t i = 0;
  for (; i < 1000000; ++i) {
    auto r = s.insert(Key(i, 16).data());
    if (r.status == StateStore::Status::kFull) {
      full = true;
      break;
    }
  }
  EXPECT_TRUE(full);
  EXPECT_LE(s.memory_bytes(), size_t{8} << 20);
  EXPECT_GT(i, 100000u);
  EXPECT_EQ(s.size(), i);  // the failed insertion is not counted
  // Still readable, and still refusing.
  EXPECT_EQ(s.find(Key(3, 16).data()), std::optional<uint32_t>(3u));
  EXPECT_EQ(s.insert(Key(i + 1, 16).data()).status, StateStore::Status::kFull);
  EXPECT_EQ(s.insert(Key(4, 16).data()).status, StateStore::Status::kFound);
}

TEST(BitStateSet, NewThenSeen) {
  BitStateSet b(20, 3);
  int fresh = 0;
  for (uint64_t i = 0; i < 1000; ++i) fresh += b.insert(Key(i, 8).data(), 8);
  EXPECT_GE(fresh, 999);
  for (uint64_t i = 0; i < 1000; ++i) EXPECT_FALSE(b.insert(Key(i, 8).data(), 8));
  EXPECT_NEAR(b.hash_factor(1000), 1048.576, 0.01);
  EXPECT_LT(b.omission_probability(1000), 1e-6);
}

TEST(Hash, DistinguishesNearbyKeys) {
  std::set<uint64_t> seen;
  for (uint64_t i = 0; i < 100000; ++i) {
    auto k = Key(i, 13);
    seen.insert(hash_bytes(k.data(), k.size()));
  }
  EXPECT_EQ(seen.size(), 100000u);
}

}  // namespace
}  // namespace sp::checker
