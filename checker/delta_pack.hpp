// Packing a successor by patching its parent's packed bytes (internal to checker/).
//
// A transition changes a handful of the state's slots (tcp.sp: ~5 of 120), so instead of
// re-encoding every slot (ir::Layout::pack), copy the parent's packed bytes and rewrite
// the bits of the slots the step wrote (ir::Successor::changed). Produces exactly Layout::pack's encoding
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
      if (s.bits > 0) wide_.push_back(static_cast<int32_t>(patches_.size()));
      patches_.push_back(p);
    }
  }

  size_t bytes() const { return bytes_; }

  // out[0, bytes()) := the packing of `child`, given its parent's packing `parent_packed`
  // and the slots the step wrote (ir::Successor::changed: a superset of the slots where
  // `child` differs from the parent; duplicates allowed): only those are re-encoded, so
  // the cost follows the step's writes, not the state's length. Patches aligned 64-bit
  // words (no partial store-to-load forwarding stalls).
  void pack_changed(const uint8_t* parent_packed, const ir::Slots& child, const std::vector<int32_t>& changed,
                    uint8_t* out) const {
    if (!usable_ || child.size() != patches_.size()) {
      layout_.pack(child, scratch_);
      std::memcpy(out, scratch_.data(), bytes_);
      return;
    }
    uint64_t w[kMaxWords + 1];
    LoadWords(parent_packed, w);
    const int64_t* b = child.data();
    const Patch* p = patches_.data();
    for (const int32_t x : changed) Apply(p[x], b[x], w);
    std::memcpy(out, w, bytes_);
  }

  // Layout::unpack's result, for a search's own buffer: `out` must be empty or hold
  // what an earlier call of this method put there, unmodified, because slots of 0 bits
  // (constants) are written only when `out` is resized. Branch-free per slot.
  void unpack(const uint8_t* packed, ir::Slots& out) const {
    if (!usable_) {
      layout_.unpack(packed, out);
      return;
    }
    if (out.size() != patches_.size()) {
      out.resize(patches_.size());
      for (size_t x = 0; x < patches_.size(); ++x) out[x] = patches_[x].lo;
    }
    uint64_t w[kMaxWords + 1];
    LoadWords(packed, w);
    int64_t* o = out.data();
    for (const int32_t x : wide_) {
      const Patch& q = patches_[static_cast<size_t>(x)];
      // The next word's bits above `shift`; (<< 1) << (63 - shift) is 0 when shift is 0.
      const uint64_t v = (w[q.word] >> q.shift) | ((w[q.word + 1] << 1) << (63 - q.shift));
      o[x] = static_cast<int64_t>((v & q.mask) + static_cast<uint64_t>(q.lo));
    }
  }

  // Decodes only `slots` of `packed` into out[slot] (out has one entry per slot; the
  // others are left as they are): for checking an invariant that reads a few slots.
  void unpack_slots(const uint8_t* packed, const std::vector<int32_t>& slots, ir::Slots& out) const {
    out.resize(patches_.size());
    if (!usable_) {
      layout_.unpack(packed, out);
      return;
    }
    uint64_t w[kMaxWords + 1];
    LoadWords(packed, w);
    for (const int32_t x : slots) {
      const Patch& q = patches_[static_cast<size_t>(x)];
      uint64_t v = w[q.word] >> q.shift;
      if (q.straddles) v |= w[q.word + 1] << (64 - q.shift);
      out[static_cast<size_t>(x)] = static_cast<int64_t>((v & q.mask) + static_cast<uint64_t>(q.lo));
    }
  }

 private:
  static constexpr size_t kMaxWords = 64;  // states up to 512 bytes; larger: Layout::pack
  struct Patch;
  // w[0, words_] := the packed bytes as 64-bit words, zero-padded (and one zero word
  // after them, which the straddling reads and writes may touch).
  void LoadWords(const uint8_t* packed, uint64_t* w) const {
    w[words_ - (words_ > 0 ? 1 : 0)] = 0;
    std::memcpy(w, packed, bytes_);
    w[words_] = 0;
  }
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
  std::vector<int32_t> wide_;  // the slots of more than 0 bits
  inline static thread_local ir::Packed scratch_;
};

}  // namespace sp::checker::detail
