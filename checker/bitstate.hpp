// Bitstate hashing (Holzmann's supertrace): the visited set as a bit array, a state
// marked by k bits chosen by k hash functions. A state whose k bits are all set already
// is taken as visited, so some states may be omitted (never their successors' errors
// reported); the memory per state is a few bits. Thread-safe (atomic fetch_or).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace sp::checker {

class BitStateSet {
 public:
  // 2^log2_bits bits (log2_bits in 10..40), k hash functions (1..16).
  BitStateSet(int log2_bits, int k);
  ~BitStateSet();
  BitStateSet(const BitStateSet&) = delete;
  BitStateSet& operator=(const BitStateSet&) = delete;

  // Sets the key's bits; true when at least one was clear (the key is new).
  bool insert(const uint8_t* key, size_t n);

  uint64_t bits() const { return uint64_t{1} << log2_; }
  int hash_functions() const { return k_; }
  size_t memory_bytes() const { return static_cast<size_t>(bits() / 8); }

  // After `n` states were inserted: bits per state (SPIN's "hash factor") and the
  // probability that one more new state would have been mistaken for a visited one,
  // (1 - e^(-k n / m))^k, an estimate of the fraction of states omitted near the end.
  double hash_factor(uint64_t n) const;
  double omission_probability(uint64_t n) const;

 private:
  int log2_;
  int k_;
  uint64_t* words_;
};

}  // namespace sp::checker
