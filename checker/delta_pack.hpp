// Packing a successor by patching its parent's packed bytes (internal to checker/).
//
// A transition changes a handful of the state's slots (tcp.sp: ~5 of 120), so instead of
// re-encoding every slot (ir::Layout::pack), copy the parent's packed bytes and rewrite
// the bits of the slots whose values differ. Produces exactly Layout::pack's encoding
// (little-endian, LSB-first, value - lo, padding bits zero). Immutable; thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "compiler/ir/state.hpp"

namespace sp::checker::detail {

class DeltaPacker {
 public:
  // Extra bytes a destination buffer must have after bytes() (kept for callers; the
  // packer itself writes exactly bytes()).
  static constexpr size_t kSlack = 8;

  explicit DeltaPacker(const ir::Layout& layout)
      : layout_(layout), bytes_(static_cast<size_t>(layout.bytes())), words_((bytes_ + 7) / 8) {
    usable_ = std::endian::native == std::endian::little && words_ <= kMaxWords;
    for (const ir::Slot& s : layout.slots) {
      Patch p;
      p.word = static_cast<uint32_t>(s.offset / 64);
      p.shift = static_cast<uint32_t>(s.offset % 64);
      p.mask = s.bits == 0 ? 0 : (s.bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << s.bits) - 1);
      p.lo = s.lo;
      p.straddles = s.bits > 0 && p.shift + static_cast<uint32_t>(s.bits) > 64;
      if (s.bits >= 64) usable_ = false;
      patches_.push_back(p);
    }
  }

  size_t bytes() const { return bytes_; }

  // out[0, bytes()) := the packing of `child`, given `parent` and its packing
  // `parent_packed` (bytes() bytes).
  void pack(const uint8_t* parent_packed, const ir::Slots& parent, const ir::Slots& child,
            uint8_t* out) const {
    const size_t n = child.size();
    if (!usable_ || parent.size() != n || n != patches_.size()) {
      layout_.pack(child, scratch_);
      std::memcpy(out, scratch_.data(), bytes_);
      return;
    }
    // Patch aligned 64-bit words (no partial store-to-load forwarding stalls).
    uint64_t w[kMaxWords + 1];
    w[words_ - (words_ > 0 ? 1 : 0)] = 0;
    std::memcpy(w, parent_packed, bytes_);
    w[words_] = 0;
    const int64_t* a = parent.data();
    const int64_t* b = child.data();
    const Patch* p = patches_.data();
    // Find the changed slots 8 at a time (XOR-OR, no branch per slot): a transition
    // changes few slots, so most blocks are skipped with one test.
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const uint64_t x = (static_cast<uint64_t>(a[i] ^ b[i]) | static_cast<uint64_t>(a[i + 1] ^ b[i + 1])) |
                         (static_cast<uint64_t>(a[i + 2] ^ b[i + 2]) | static_cast<uint64_t>(a[i + 3] ^ b[i + 3])) |
                         (static_cast<uint64_t>(a[i + 4] ^ b[i + 4]) | static_cast<uint64_t>(a[i + 5] ^ b[i + 5])) |
                         (static_cast<uint64_t>(a[i + 6] ^ b[i + 6]) | static_cast<uint64_t>(a[i + 7] ^ b[i + 7]));
      if (x == 0) continue;
      for (size_t j = i; j < i + 8; ++j) {
        if (a[j] != b[j]) Apply(p[j], b[j], w);
      }
    }
    for (; i < n; ++i) {
      if (a[i] != b[i]) Apply(p[i], b[i], w);
    }
    std::memcpy(out, w, bytes_);
  }

 private:
  static constexpr size_t kMaxWords = 64;  // states up to 512 bytes; larger: Layout::pack
  struct Patch;
  static void Apply(const Patch& q, int64_t value, uint64_t* w) {
    const uint64_t x = (static_cast<uint64_t>(value) - static_cast<uint64_t>(q.lo)) & q.mask;
    w[q.word] = (w[q.word] & ~(q.mask << q.shift)) | (x << q.shift);
    if (q.straddles) {
      const unsigned r = 64 - q.shift;
      w[q.word + 1] = (w[q.word + 1] & ~(q.mask >> r)) | (x >> r);
    }
  }
  struct Patch {
    uint32_t word = 0;
    uint32_t shift = 0;
    uint64_t mask = 0;
    int64_t lo = 0;
    bool straddles = false;  // the slot continues in the next word
  };
  const ir::Layout& layout_;
  size_t bytes_;
  size_t words_;
  bool usable_ = true;
  std::vector<Patch> patches_;
  inline static thread_local ir::Packed scratch_;
};

}  // namespace sp::checker::detail
