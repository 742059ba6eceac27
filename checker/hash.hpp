// Hashing of packed states: a fast 64-bit hash over fixed-length byte strings.
//
// wyhash-style: 8-byte words folded with a 64x64->128 multiply (the high and low halves
// XORed), which mixes every input bit into every output bit in a few cycles per word.
// Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sp::checker {

namespace hash_detail {

inline constexpr uint64_t kP0 = 0xa0761d6478bd642fULL;
inline constexpr uint64_t kP1 = 0xe7037ed1a0b428dbULL;
inline constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ULL;
inline constexpr uint64_t kP3 = 0x589965cc75374cc3ULL;

inline uint64_t Mum(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t LoadTail(const uint8_t* p, size_t n) {  // 0 < n < 8
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

}  // namespace hash_detail

// Hash of `n` bytes at `p`. Different seeds give independent-looking hash functions.
inline uint64_t hash_bytes(const uint8_t* p, size_t n, uint64_t seed = 0) {
  using namespace hash_detail;
  uint64_t h = seed ^ kP0 ^ (static_cast<uint64_t>(n) * kP3);
  while (n >= 16) {
    h = Mum(Load64(p) ^ kP1, Load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = Load64(p);
    p += 8;
    n -= 8;
  }
  if (n > 0) b = LoadTail(p, n);
  h = Mum(a ^ kP1, b ^ h ^ kP2);
  return Mum(h ^ kP0, h ^ kP3);
}

// Mixes one 64-bit value (a finalizer: rehashing a stored hash signature).
inline uint64_t hash_u64(uint64_t x, uint64_t seed = 0) {
  using namespace hash_detail;
  return Mum(x ^ kP1 ^ seed, x ^ kP2);
}

}  // namespace sp::checker
