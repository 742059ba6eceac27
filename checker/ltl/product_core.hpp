// Internal to the LTL product search (product.cpp, ndfs.cpp, scc_search.cpp): the
// product state layout, successor expansion into the DFS arena, fairness marks, limits
// and lasso assembly. Not a public interface.
//
// A product state (a "key") is the packed system state followed by the automaton state
// (2 bytes, little-endian). Expanding a product state appends one fixed-size entry per
// product successor to `arena`:
//   [key: K bytes][group: int32][tag: uint32][automaton edge index: uint16]
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

// A path through the product: ids[i] --(groups[i], tags[i])--> ids[i+1], and the run
// loops back: ids.back() == ids[loop].
struct ProductPath {
  std::vector<uint32_t> ids;
  std::vector<int> groups;
  std::vector<uint32_t> tags;
  size_t loop = 0;
};

class Product {
 public:
  Product(StateSpace& space, const Automaton& automaton, const std::vector<FairSet>& fairness,
          const SearchOptions& options);

  // --- layout ---------------------------------------------------------------------
  size_t sys_bytes() const { return b_; }
  size_t key_bytes() const { return k_; }
  size_t entry_bytes() const { return e_; }
  const Automaton& automaton() const { return aut_; }
  StateStore& store() { return *store_; }
  std::vector<uint8_t>& arena() { return arena_; }

  int aut_state(const uint8_t* key) const {
    return key[b_] | (key[b_ + 1] << 8);
  }
  const uint8_t* entry(size_t offset) const { return arena_.data() + offset; }
  int entry_group(const uint8_t* ent) const {
    int32_t g;
    std::memcpy(&g, ent + k_, 4);
    return g;
  }
  uint32_t entry_tag(const uint8_t* ent) const {
    uint32_t t;
    std::memcpy(&t, ent + k_ + 4, 4);
    return t;
  }
  int entry_aut_edge(const uint8_t* ent) const { return ent[k_ + 8] | (ent[k_ + 9] << 8); }

  // The initial product state's key (into a scratch buffer valid until the next call).
  const uint8_t* initial_key();

  // Appends the product successors of `key` (which must not point into the arena) to the
  // arena; sets *count, and, with fairness, writes the state's W-word bits (weak sets
  // disabled here, strong sets enabled here) to `state_bits`. False on a space error
  // (status() is then kError).
  bool expand(const uint8_t* key, uint32_t* count, uint64_t* state_bits);
  // The same for a stored product state (copies the key out of the store first).
  bool expand_id(uint32_t id, uint32_t* count, uint64_t* state_bits);

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

  // --- results --------------------------------------------------------------------
  Lasso project(const ProductPath& path) const;

 private:
  StateSpace& space_;
  const Automaton& aut_;
  const SearchOptions& options_;
  size_t b_, k_, e_;
  std::unique_ptr<StateStore> store_;
  std::vector<uint8_t> arena_;
  std::vector<uint8_t> key_scratch_;
  Successors sys_;
  std::vector<int> matching_;
  // fairness
  bool fair_ = false;
  int w_ = 1;
  int strong_sets_ = 0;
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
