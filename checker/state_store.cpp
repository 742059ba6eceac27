#include "checker/state_store.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "checker/hash.hpp"

namespace sp::checker {

namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

constexpr uint64_t kHashSeed = 0x5d1f3a8e2c4b6d79ULL;

// Zeroed memory straight from mmap, 2 MB-aligned when large, its whole 2 MB extents
// marked for transparent huge pages (the tail keeps 4 KB pages, so nothing is wasted):
// the store is read at random, and with 4 KB pages nearly every probe of a big table is
// also a TLB miss. Released with Unmap(p, bytes).
constexpr size_t kPage = 4096;
constexpr size_t kHuge = size_t{2} << 20;

size_t MappedSize(size_t bytes) { return (bytes + kPage - 1) / kPage * kPage; }

void* MapZeroed(size_t bytes) {
  const size_t len = MappedSize(bytes);
  if (len < kHuge) {
    void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  void* raw = mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (base + kHuge - 1) & ~(uintptr_t{kHuge} - 1);
  if (aligned > base) munmap(raw, aligned - base);
  const uintptr_t end = base + len + kHuge;
  if (end > aligned + len) munmap(reinterpret_cast<void*>(aligned + len), end - (aligned + len));
  void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(p, len / kHuge * kHuge, MADV_HUGEPAGE);
#endif
  return p;
}

void Unmap(void* p, size_t bytes) {
  if (p != nullptr) munmap(p, MappedSize(bytes));
}

}  // namespace

StateStore::StateStore(const Config& config)
    : config_(config), record_bytes_(config.key_bytes + config.meta_bytes) {
  if (config_.key_bytes == 0) throw std::invalid_argument("StateStore: key_bytes must be > 0");
  log2_ = config_.initial_log2 < 10 ? 10 : config_.initial_log2 > 32 ? 32 : config_.initial_log2;
  // Start smaller when the initial array alone would not fit the memory limit.
  while (config_.max_memory != 0 && log2_ > 10 && (size_t{8} << log2_) > config_.max_memory / 4) {
    --log2_;
  }
  buckets_ = static_cast<uint64_t*>(MapZeroed(sizeof(uint64_t) << log2_));
  if (buckets_ == nullptr) throw std::bad_alloc();
  chunks_ = std::make_unique<std::atomic<uint8_t*>[]>((size_t{kMaxStates} >> kChunkLog2) + 1);
  set_limits();
}

StateStore::~StateStore() {
  size_t n = (size_t{kMaxStates} >> kChunkLog2) + 1;
  for (size_t c = 0; c < n; ++c) Unmap(chunks_[c].load(std::memory_order_relaxed), record_bytes_ << kChunkLog2);
  Unmap(buckets_, sizeof(uint64_t) << log2_);
}

void StateStore::set_limits() {
  const uint64_t n = uint64_t{1} << log2_;
  mask_ = n - 1;
  grow_at_ = n / 4 * 3;
  full_at_ = n / 10 * 9;
}

uint64_t StateStore::hash(const uint8_t* key) const {
  return hash_bytes(key, config_.key_bytes, kHashSeed);
}

size_t StateStore::memory_bytes() const {
  return (sizeof(uint64_t) << log2_) +
         chunk_count_.load(std::memory_order_relaxed) * MappedSize(record_bytes_ << kChunkLog2);
}

bool StateStore::ensure_chunk(uint32_t id) {
  std::atomic<uint8_t*>& slot = chunks_[id >> kChunkLog2];
  if (slot.load(std::memory_order_acquire) != nullptr) return true;
  const size_t bytes = record_bytes_ << kChunkLog2;
  if (config_.max_memory != 0 && memory_bytes() + MappedSize(bytes) > config_.max_memory) return false;
  auto* p = static_cast<uint8_t*>(MapZeroed(bytes));
  if (p == nullptr) return false;
  uint8_t* expected = nullptr;
  if (slot.compare_exchange_strong(expected, p, std::memory_order_acq_rel)) {
    chunk_count_.fetch_add(1, std::memory_order_relaxed);
  } else {
    Unmap(p, bytes);
  }
  return true;
}

StateStore::InsertResult StateStore::insert_hashed(const uint8_t* key, uint64_t h, const void* meta) {
  if (!config_.concurrent && next_id_.load(std::memory_order_relaxed) >= grow_at_ && needs_grow()) {
    grow();
  }
  const uint64_t tag = h & 0xffffffffu;
  const uint64_t mask = (uint64_t{1} << log2_) - 1;
  uint64_t i = h & mask;
  for (;;) {
    std::atomic_ref<uint64_t> slot(buckets_[i]);
    uint64_t b = slot.load(std::memory_order_acquire);
    if (b == 0) {
      if (next_id_.load(std::memory_order_relaxed) >= full_at_ ||
          failed_.load(std::memory_order_relaxed)) {
        return {Status::kFull, 0};
      }
      if (config_.concurrent &&
          !slot.compare_exchange_strong(b, (tag << 32) | kBusy, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
        continue;  // someone else took this bucket: examine what they put there
      }
      const uint64_t id64 = next_id_.fetch_add(1, std::memory_order_acq_rel);
      if (id64 >= kMaxStates || !ensure_chunk(static_cast<uint32_t>(id64))) {
        failed_.store(true, std::memory_order_relaxed);
        lost_.fetch_add(1, std::memory_order_relaxed);
        slot.store(0, std::memory_order_release);  // waiters see 0 and look again
        return {Status::kFull, 0};
      }
      const auto id = static_cast<uint32_t>(id64);
      uint8_t* rec = record(id);
      std::memcpy(rec, key, config_.key_bytes);
      if (config_.meta_bytes != 0) {
        if (meta != nullptr) {
          std::memcpy(rec + config_.key_bytes, meta, config_.meta_bytes);
        } else {
          std::memset(rec + config_.key_bytes, 0, config_.meta_bytes);
        }
      }
      slot.store((tag << 32) | (id + 1u), std::memory_order_release);
      return {Status::kInserted, id};
    }
    if ((b >> 32) == tag) {
      while ((b & 0xffffffffu) == kBusy) {
        CpuRelax();
        b = slot.load(std::memory_order_acquire);
      }
      if (b == 0) continue;  // the claim was abandoned: look at this bucket again
      const auto id = static_cast<uint32_t>(b) - 1u;
      if (std::memcmp(record(id), key, config_.key_bytes) == 0) return {Status::kFound, id};
    }
    i = (i + 1) & mask;
  }
}

std::optional<uint32_t> StateStore::find(const uint8_t* key) const {
  const uint64_t h = hash(key);
  const uint64_t tag = h & 0xffffffffu;
  const uint64_t mask = (uint64_t{1} << log2_) - 1;
  uint64_t i = h & mask;
  for (;;) {
    std::atomic_ref<uint64_t> slot(buckets_[i]);
    uint64_t b = slot.load(std::memory_order_acquire);
    if (b == 0) return std::nullopt;
    if ((b >> 32) == tag) {
      while ((b & 0xffffffffu) == kBusy) {
        CpuRelax();
        b = slot.load(std::memory_order_acquire);
      }
      if (b == 0) continue;
      const auto id = static_cast<uint32_t>(b) - 1u;
      if (std::memcmp(record(id), key, config_.key_bytes) == 0) return id;
    }
    i = (i + 1) & mask;
  }
}

bool StateStore::needs_grow() const {
  if (log2_ >= 32 || failed_.load(std::memory_order_relaxed)) return false;
  if (next_id_.load(std::memory_order_relaxed) < grow_at_) return false;
  // While growing, the old and the new bucket arrays are both held.
  return config_.max_memory == 0 ||
         memory_bytes() + (sizeof(uint64_t) << (log2_ + 1)) <= config_.max_memory;
}

bool StateStore::grow() {
  if (log2_ >= 32 || failed_.load(std::memory_order_relaxed)) return false;
  const int log2 = log2_ + 1;
  if (config_.max_memory != 0 &&
      memory_bytes() + (sizeof(uint64_t) << log2) > config_.max_memory) {
    return false;
  }
  auto* table = static_cast<uint64_t*>(MapZeroed(sizeof(uint64_t) << log2));
  if (table == nullptr) return false;
  // The tag is the low 32 bits of the hash, which is also where the bucket index comes
  // from: entries move to their new home without reading records or rehashing keys.
  const uint64_t mask = (uint64_t{1} << log2) - 1;
  const uint64_t old_n = uint64_t{1} << log2_;
  for (uint64_t j = 0; j < old_n; ++j) {
    const uint64_t b = buckets_[j];
    if (b == 0) continue;
    uint64_t i = (b >> 32) & mask;
    while (table[i] != 0) i = (i + 1) & mask;
    table[i] = b;
  }
  Unmap(buckets_, sizeof(uint64_t) << log2_);
  buckets_ = table;
  log2_ = log2;
  set_limits();
  return true;
}

}  // namespace sp::checker
