// Internal to the IR runtime (layout.cpp, interpreter.cpp): the values a type can take in
// checking, and how many bits a slot of that type needs.
#pragma once

#include <cstdint>

#include "compiler/ir/model.hpp"

namespace sp::ir::detail {

// Bits needed to store the values 0..span (span = hi - lo, as unsigned).
inline int BitsForSpan(uint64_t span) { return span == 0 ? 0 : 64 - __builtin_clzll(span); }

struct ValueRange {
  TypeKind kind = TypeKind::kInt;
  int64_t lo = 0, hi = 0;  // inclusive; kSet: 0..2^n-1; kSeq: 0..2^bits-1
  int bits = 0;            // slot width
  uint64_t seq_mask = 0;   // kSeq: 2^bits - 1
  bool checked = true;     // values outside lo..hi are errors (false: seq wraps, duration)
};

inline ValueRange RangeOf(const Model& m, TypeId id) {
  ValueRange r;
  if (id < 0 || id >= static_cast<int>(m.types.size())) {
    r.checked = false;
    r.lo = 0;
    r.hi = 0;
    r.bits = 0;
    return r;
  }
  const Type& t = m.types[static_cast<size_t>(id)];
  r.kind = t.kind;
  switch (t.kind) {
    case TypeKind::kBool:
      r.lo = 0;
      r.hi = 1;
      break;
    case TypeKind::kInt:
    case TypeKind::kDuration:
      r.lo = t.lo;
      r.hi = t.hi < t.lo ? t.lo : t.hi;
      r.checked = t.kind == TypeKind::kInt;
      break;
    case TypeKind::kEnum:
      r.lo = 0;
      r.hi = t.items.empty() ? (t.hi < 0 ? 0 : t.hi) : static_cast<int64_t>(t.items.size()) - 1;
      break;
    case TypeKind::kSet: {
      int n = 0;
      if (t.enum_type >= 0 && t.enum_type < static_cast<int>(m.types.size()) &&
          m.types[static_cast<size_t>(t.enum_type)].kind == TypeKind::kEnum) {
        n = static_cast<int>(m.types[static_cast<size_t>(t.enum_type)].items.size());
      } else {
        n = BitsForSpan(static_cast<uint64_t>(t.hi < 0 ? 0 : t.hi));
      }
      if (n > 62) n = 62;
      r.lo = 0;
      r.hi = (int64_t{1} << n) - 1;
      break;
    }
    case TypeKind::kSeq: {
      int b = t.seq_bits > 0 ? t.seq_bits : (t.seq_wire_bits > 0 ? t.seq_wire_bits : 32);
      if (b > 62) b = 62;
      r.lo = 0;
      r.seq_mask = (uint64_t{1} << b) - 1;
      r.hi = static_cast<int64_t>(r.seq_mask);
      r.checked = false;
      break;
    }
    case TypeKind::kMac:
    case TypeKind::kIp4: {
      const AddrDomain& d = t.kind == TypeKind::kMac ? m.macs : m.ip4s;
      r.lo = 0;
      r.hi = d.values.empty() ? 0 : static_cast<int64_t>(d.values.size()) - 1;
      break;
    }
    case TypeKind::kMap:
      r.lo = 0;
      r.hi = 0;
      break;
  }
  r.bits = BitsForSpan(static_cast<uint64_t>(r.hi) - static_cast<uint64_t>(r.lo));
  return r;
}

}  // namespace sp::ir::detail
