// The set of visited states of an explicit-state search: an open-addressing hash set of
// fixed-width byte keys (packed states, or 8-byte hash signatures), each with a small
// fixed-width payload ("meta": parent index and successor number for BFS traces, colour
// bits for a nested DFS, ...). Shared by the safety checker and the LTL engine.
//
// Memory layout (docs/checker.md):
//   - records: key_bytes + meta_bytes per state, appended in insertion order into chunks
//     of 2^16 records that never move, so a state's id (its insertion number, uint32) and
//     the pointers key(id) / meta(id) stay valid for the store's lifetime;
//   - buckets: a power-of-two array of 64-bit words, linear probing; a word holds the low
//     32 bits of the key's hash (a tag that avoids most key comparisons; the low bits
//     of the same hash choose the bucket, so growing needs no record reads) and id + 1
//     (0 = empty).
// So a state costs key_bytes + meta_bytes + 8 / load bytes (load 0.375..0.75).
//
// Thread safety: with Config::concurrent, insert(), find(), key() and meta() may be
// called from several threads at once (insert is lock-free: a bucket is claimed with a
// CAS, filled, then published with a release store), but grow() must run with no other
// call in progress: the caller grows at a safe point when needs_grow() says so. Without
// Config::concurrent the store is single-threaded and insert() grows by itself.
// Meta bytes written after insertion are the caller's to synchronise.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace sp::checker {

class StateStore {
 public:
  struct Config {
    size_t key_bytes = 0;     // bytes of every key (> 0)
    size_t meta_bytes = 0;    // bytes of payload stored beside every key (may be 0)
    int initial_log2 = 16;    // initial number of buckets: 2^initial_log2 (10..32)
    size_t max_memory = 0;    // bytes for buckets + records; 0: no limit
    bool concurrent = false;  // see the thread-safety note above
  };

  enum class Status {
    kInserted,  // the key was new; `id` is its new id and meta was copied in
    kFound,     // the key was present; `id` is its id (meta untouched)
    kFull,      // out of memory or ids: nothing inserted; the store stays usable for reads
  };
  struct InsertResult {
    Status status = Status::kFull;
    uint32_t id = 0;
  };

  static constexpr uint32_t kMaxStates = 0xfffffff0u;

  explicit StateStore(const Config& config);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Inserts `key` (key_bytes bytes) unless present; on insertion copies `meta`
  // (meta_bytes bytes; may be null, then zeros) into the new record.
  InsertResult insert(const uint8_t* key, const void* meta = nullptr) {
    return insert_hashed(key, hash(key), meta);
  }
  std::optional<uint32_t> find(const uint8_t* key) const;

  // The same with the key's hash computed beforehand (hash()), so that a batch of keys
  // can be prefetched first: prefetch(h) pulls in the home bucket, prefetch_record(h)
  // the record its occupant points to (a likely match). Hints only; thread-safe.
  uint64_t hash(const uint8_t* key) const;
  InsertResult insert_hashed(const uint8_t* key, uint64_t h, const void* meta = nullptr);
  void prefetch(uint64_t h) const { __builtin_prefetch(&buckets_[h & mask_]); }
  void prefetch_record(uint64_t h) const {
    const uint64_t b = std::atomic_ref<uint64_t>(buckets_[h & mask_]).load(std::memory_order_relaxed);
    const uint32_t low = static_cast<uint32_t>(b);
    if (b != 0 && low != kBusy && ((b >> 32) == (h & 0xffffffffu))) __builtin_prefetch(key(low - 1u));
  }

  // The record of a state; valid for ids below size().
  const uint8_t* key(uint32_t id) const { return record(id); }
  uint8_t* meta(uint32_t id) const { return record(id) + config_.key_bytes; }

  // States stored (ids handed out).
  uint64_t size() const {
    return next_id_.load(std::memory_order_acquire) - lost_.load(std::memory_order_relaxed);
  }
  size_t buckets() const { return size_t{1} << log2_; }
  size_t key_bytes() const { return config_.key_bytes; }
  size_t record_bytes() const { return record_bytes_; }
  // Bytes held: buckets plus allocated record chunks.
  size_t memory_bytes() const;

  // Whether the load factor passed the growth threshold (0.75) and growing is possible
  // within max_memory. Concurrent users call grow() at a safe point when this is true.
  bool needs_grow() const;
  // Doubles the bucket array, moving every bucket word by its tag (records untouched).
  // Not thread-safe. Returns false (and changes nothing) when the larger array would not
  // fit in max_memory; the store keeps working up to a load of 0.9, then reports kFull.
  bool grow();

 private:
  static constexpr int kChunkLog2 = 16;
  static constexpr uint32_t kBusy = 0xffffffffu;

  uint8_t* record(uint32_t id) const {
    return chunks_[id >> kChunkLog2].load(std::memory_order_acquire) +
           static_cast<size_t>(id & ((1u << kChunkLog2) - 1)) * record_bytes_;
  }
  bool ensure_chunk(uint32_t id);
  void set_limits();

  Config config_;
  size_t record_bytes_;
  int log2_;
  uint64_t mask_ = 0;  // buckets() - 1
  uint64_t* buckets_ = nullptr;  // accessed through std::atomic_ref
  uint64_t grow_at_ = 0;   // size at which needs_grow() turns true
  uint64_t full_at_ = 0;   // size at which insert reports kFull (load 0.9)
  std::atomic<size_t> chunk_count_{0};
  std::unique_ptr<std::atomic<uint8_t*>[]> chunks_;
  std::atomic<bool> failed_{false};
  std::atomic<uint64_t> lost_{0};  // ids handed out by insertions that then failed
  // Written by every insertion: on a cache line of its own, away from the read-mostly
  // fields above that every probe reads (false sharing costs a miss per probe).
  alignas(64) std::atomic<uint64_t> next_id_{0};
};

}  // namespace sp::checker
