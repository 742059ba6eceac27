#include "checker/bitstate.hpp"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>

#include "checker/hash.hpp"

namespace sp::checker {

BitStateSet::BitStateSet(int log2_bits, int k)
    : log2_(log2_bits < 10 ? 10 : log2_bits > 40 ? 40 : log2_bits),
      k_(k < 1 ? 1 : k > 16 ? 16 : k) {
  words_ = static_cast<uint64_t*>(std::calloc(static_cast<size_t>(bits() / 64), sizeof(uint64_t)));
  if (words_ == nullptr) throw std::bad_alloc();
}

BitStateSet::~BitStateSet() { std::free(words_); }

bool BitStateSet::insert(const uint8_t* key, size_t n) {
  // Double hashing: bit_i = h1 + i * h2 (h2 odd), Kirsch and Mitzenmacher.
  const uint64_t h1 = hash_bytes(key, n, 0x243f6a8885a308d3ULL);
  const uint64_t h2 = hash_bytes(key, n, 0x13198a2e03707344ULL) | 1;
  const uint64_t mask = bits() - 1;
  bool fresh = false;
  for (int i = 0; i < k_; ++i) {
    const uint64_t bit = (h1 + static_cast<uint64_t>(i) * h2) & mask;
    const uint64_t m = uint64_t{1} << (bit & 63);
    std::atomic_ref<uint64_t> w(words_[bit >> 6]);
    if ((w.load(std::memory_order_relaxed) & m) == 0) {
      if ((w.fetch_or(m, std::memory_order_relaxed) & m) == 0) fresh = true;
    }
  }
  return fresh;
}

double BitStateSet::hash_factor(uint64_t n) const {
  return n == 0 ? 0.0 : static_cast<double>(bits()) / static_cast<double>(n);
}

double BitStateSet::omission_probability(uint64_t n) const {
  const double fill = 1.0 - std::exp(-static_cast<double>(k_) * static_cast<double>(n) /
                                     static_cast<double>(bits()));
  return std::pow(fill, k_);
}

}  // namespace sp::checker
