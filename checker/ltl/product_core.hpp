// Internal to the LTL product search (product.cpp, ndfs.cpp, scc_search.cpp): the
// product state layout, successor expansion into the DFS arena, fairness marks, limits
// and lasso assembly. Not a public interface.
//
// System states live in a StateStore: the packed state, then meta: where its successor
// list sits in the successor cache (4 bytes), a flag (1), the atom valuation (as many
// bytes as the automaton's labels need), and, when the automaton has at most
// kDirectStates states, one product id per automaton state (4 each; 0: none). Product
// states are numbered densely and kept in chunks of records [system id: 4][automaton
// state: 2][meta]; with the table a product state is found from (system id, automaton
// state) by one look-up in the system state's record, without hashing. Bigger automata
// use a second StateStore keyed by (system id, automaton state), 6 bytes. Every product
// state has `meta_bytes` for the search (a colour or a DFS number; zero for a state not
// visited yet).
// A system state is thus stored once however many automaton states it pairs with, and
// while the cache has room its successors are computed once.
// Expanding a product state stores its successors and appends one entry per product
// successor to `arena`:
//   [product id: uint32][group: int32 (-1: stutter)][automaton edge index: uint16]
// Marks are bitsets of W 64-bit words: bits [0, k) the automaton's acceptance sets,
// [k, k + weak) one per weak fair set, [k + weak, k + weak + strong) one per strong set.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "checker/ltl/product.hpp"
#include "checker/state_store.hpp"

namespace sp::checker::ltl::detail {

// A path through the product: ids[i] --groups[i]--> ids[i+1], and the run loops back:
// ids.back() == ids[loop].
struct ProductPath {
  std::vector<uint32_t> ids;
  std::vector<int> groups;
  size_t loop = 0;
};

constexpr size_t kEntryBytes = 10;
constexpr size_t kProductKeyBytes = 6;
constexpr int kDirectStates = 16;

class Product {
 public:
  Product(StateSpace& space, const Automaton& automaton, const std::vector<FairSet>& fairness,
          const SearchOptions& options, size_t meta_bytes);

  // --- layout ---------------------------------------------------------------------
  const Automaton& automaton() const { return aut_; }
  std::vector<uint8_t>& arena() { return arena_; }

  // Product state `id`: its meta bytes, system state and automaton state.
  uint8_t* meta(uint32_t id) const { return direct_ ? record(id) + kProductKeyBytes : store_->meta(id); }
  uint32_t sys_of(uint32_t id) const {
    uint32_t s;
    std::memcpy(&s, key_of(id), 4);
    return s;
  }
  int aut_state(uint32_t id) const {
    const uint8_t* k = key_of(id);
    return k[4] | (k[5] << 8);
  }
  uint64_t product_states() const { return direct_ ? products_ : store_->size(); }
  const uint8_t* entry(size_t offset, uint32_t i) const { return arena_.data() + offset + i * kEntryBytes; }
  static uint32_t entry_id(const uint8_t* ent) {
    uint32_t id;
    std::memcpy(&id, ent, 4);
    return id;
  }
  static int entry_group(const uint8_t* ent) {
    int32_t g;
    std::memcpy(&g, ent + 4, 4);
    return g;
  }
  static int entry_aut_edge(const uint8_t* ent) { return ent[8] | (ent[9] << 8); }

  // Stores the initial product state; false at a limit (status() set).
  bool store_initial(uint32_t* id);

  // Stores the product successors of state `id` and appends their entries to the arena;
  // sets *count, and, with fairness, writes the state's W-word bits (weak sets disabled
  // here, strong sets enabled here) to `state_bits`. False on a space error or a limit
  // (status() set).
  bool expand(uint32_t id, uint32_t* count, uint64_t* state_bits);

  // --- marks ----------------------------------------------------------------------
  int words() const { return w_; }
  bool fair() const { return fair_; }
  bool has_strong() const { return strong_sets_ > 0; }
  // The marks of the edge described by `ent`, leaving a state with `state_bits`.
  void edge_marks(const uint8_t* ent, int from_aut_state, const uint64_t* state_bits, uint64_t* out) const;
  const uint64_t* need() const { return need_.data(); }          // sets every cycle must visit
  const uint64_t* strong_mask() const { return strong_.data(); }  // the strong-set bits
  const uint64_t* zeros() const { return zeros_.data(); }
  // Whether a cycle with these marks and these strong sets enabled is fair and accepting.
  bool accepting(const uint64_t* marks, const uint64_t* strong_enabled) const;

  // --- limits and statistics ------------------------------------------------------
  // Checks the limits now and then; false when the search must stop (status() set).
  bool keep_going(uint64_t depth);
  void stop(SearchStatus status, std::string message);
  SearchStatus status() const { return status_; }
  const std::string& message() const { return message_; }
  uint64_t transitions = 0;
  uint64_t max_depth = 0;
  size_t extra_memory = 0;  // the search's stacks, kept up to date by the algorithm
  Stats stats() const;
  uint64_t system_states() const { return sys_store_->size(); }

  // --- results --------------------------------------------------------------------
  Lasso project(const ProductPath& path) const;

 private:
  // direct_: product state `id`'s record; key_of: its (system id, automaton state).
  uint8_t* record(uint32_t id) const {
    return prod_chunks_[id >> kProdChunkLog2].get() + static_cast<size_t>(id & ((1u << kProdChunkLog2) - 1)) * prod_record_;
  }
  const uint8_t* key_of(uint32_t id) const { return direct_ ? record(id) : store_->key(id); }
  bool insert(StateStore& store, const uint8_t* key, uint32_t* id);
  // The product state (sys, q), stored if new.
  bool product(uint32_t sys, int q, uint32_t* id);
  // The system successors of system state `sys` as (id, group) pairs: from the cache, or
  // computed (and cached while the cache has room). Sets *list (valid until the next
  // call) and *n. False on a space error or a limit.
  bool system_successors(uint32_t sys, const uint32_t** list, uint32_t* n);
  size_t memory() const;

  StateSpace& space_;
  const Automaton& aut_;
  const SearchOptions& options_;
  size_t b_;                                 // packed system state bytes
  size_t meta_bytes_;                        // per product state
  bool direct_;                              // product ids in the system states' records
  std::unique_ptr<StateStore> sys_store_;    // system states
  std::unique_ptr<StateStore> store_;        // product states when !direct_
  static constexpr int kProdChunkLog2 = 16;
  std::vector<std::unique_ptr<uint8_t[]>> prod_chunks_;  // direct_: product records
  size_t prod_record_ = 0;
  uint64_t products_ = 0;
  size_t val_bytes_ = 1;                     // bytes of the atom valuation kept
  size_t table_at_ = 0;                      // offset of the product table in system meta
  // Successor cache: chunks of 2^kChunkLog2 words; a cached state's list is n, then n
  // (id, group) pairs, within one chunk; addressed by a global word index (0: none).
  static constexpr int kChunkLog2 = 16;
  std::vector<std::unique_ptr<uint32_t[]>> cache_;
  size_t cache_used_ = 0;                    // words handed out (global index of the next)
  size_t cache_limit_ = 0;                   // words
  std::vector<uint32_t> scratch_list_;       // the same for a state not cached
  std::vector<uint8_t> arena_;
  std::vector<uint8_t> key_scratch_;         // a system state (at least 1 byte)
  uint8_t product_key_[kProductKeyBytes] = {};
  Successors sys_;
  std::vector<int> matching_;
  // fairness
  bool fair_ = false;
  int w_ = 1;
  int strong_sets_ = 0;
  int groups_ = 0;
  std::vector<uint64_t> group_marks_;  // (groups + 1) * W; row 0 is the stutter step
  std::vector<uint64_t> weak_, strong_, need_, zeros_;
  std::vector<uint64_t> enabled_;
  // limits
  std::chrono::steady_clock::time_point start_;
  double next_progress_ = 0;
  uint64_t calls_ = 0;
  SearchStatus status_ = SearchStatus::kNoCycle;
  std::string message_;
  size_t peak_memory_ = 0;
};

// Bitset helpers over W words.
inline void bits_or(uint64_t* a, const uint64_t* b, int w) {
  for (int i = 0; i < w; ++i) a[i] |= b[i];
}
inline bool bits_any(const uint64_t* a, int w) {
  for (int i = 0; i < w; ++i) {
    if (a[i]) return true;
  }
  return false;
}

SearchResult run_nested_dfs(Product& p);
SearchResult run_scc(Product& p);

}  // namespace sp::checker::ltl::detail
