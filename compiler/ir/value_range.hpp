// Internal to the IR runtime (layout.cpp, interpreter.cpp): the values a type can take in
// checking, and how many bits a slot of that type needs.
#pragma once

#include <cstdint>
#include <string>

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

inline int ListTotalBits(const Model& m, const Type& t);

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
    case TypeKind::kList:
      // Every value a list operation builds is canonical (ListShape); none is range-checked.
      r.lo = 0;
      r.hi = static_cast<int64_t>((uint64_t{1} << ListTotalBits(m, t)) - 1);
      r.checked = false;
      break;
  }
  r.bits = BitsForSpan(static_cast<uint64_t>(r.hi) - static_cast<uint64_t>(r.lo));
  return r;
}

// ---------------------------------------------------------------------------------------
// Lists. A list<T, N> value is one integer (docs/language.md, "Lists"): its length in the
// low `len_bits` bits (len_bits = bits of N), then element k, stored as value - T's lowest
// value, in `elem_bits` bits at len_bits + k * elem_bits. Bits past the last element are
// zero, so equal lists are equal integers and the empty list is 0. Every engine uses
// this encoding; the total is at most kMaxListBits.
constexpr int kMaxListBits = 62;

inline bool IsListOp(Op op) { return op >= Op::kListLit && op <= Op::kListTail; }

struct ListShape {
  TypeId elem = -1;
  int capacity = 0;
  int len_bits = 0;
  int elem_bits = 0;
  ValueRange range;             // the element type's values
  const std::string* elem_name = nullptr;

  int64_t len_mask() const { return (int64_t{1} << len_bits) - 1; }
  int64_t elem_mask() const { return (int64_t{1} << elem_bits) - 1; }
  int total_bits() const { return len_bits + capacity * elem_bits; }
};

// len_bits + N * elem_bits of a list type (its element's range, its capacity).
inline int ListTotalBits(const Model& m, const Type& t) {
  const ValueRange e = RangeOf(m, t.value);
  const int total = BitsForSpan(static_cast<uint64_t>(t.capacity < 0 ? 0 : t.capacity)) + t.capacity * e.bits;
  return total > kMaxListBits ? kMaxListBits : total;
}

inline ListShape ListShapeOf(const Model& m, TypeId id) {
  ListShape s;
  if (id < 0 || id >= static_cast<int>(m.types.size())) return s;
  const Type& t = m.types[static_cast<size_t>(id)];
  if (t.kind != TypeKind::kList) return s;
  s.elem = t.value;
  s.capacity = t.capacity < 0 ? 0 : t.capacity;
  s.range = RangeOf(m, t.value);
  s.len_bits = BitsForSpan(static_cast<uint64_t>(s.capacity));
  s.elem_bits = s.range.bits;
  if (s.total_bits() > kMaxListBits) s.capacity = 0;  // rejected by the compiler
  if (t.value >= 0 && t.value < static_cast<int>(m.types.size())) s.elem_name = &m.types[static_cast<size_t>(t.value)].name;
  return s;
}

inline int64_t ListLen(const ListShape& s, int64_t v) { return v & s.len_mask(); }

// Element i (0 <= i < len) as a value of the element type.
inline int64_t ListAt(const ListShape& s, int64_t v, int64_t i) {
  const int shift = s.len_bits + static_cast<int>(i) * s.elem_bits;
  return static_cast<int64_t>((static_cast<uint64_t>(v) >> shift) & static_cast<uint64_t>(s.elem_mask())) + s.range.lo;
}

// a followed by b; the caller has checked len(a) + len(b) <= capacity.
inline int64_t ListCat(const ListShape& s, int64_t a, int64_t b) {
  const int64_t la = ListLen(s, a), lb = ListLen(s, b);
  const uint64_t elems = static_cast<uint64_t>(b) >> s.len_bits;
  const int shift = s.len_bits + static_cast<int>(la) * s.elem_bits;
  return static_cast<int64_t>(((static_cast<uint64_t>(a) & ~static_cast<uint64_t>(s.len_mask())) | (elems << shift)) |
                              static_cast<uint64_t>(la + lb));
}

// All but the first element; the caller has checked len(v) > 0.
inline int64_t ListTail(const ListShape& s, int64_t v) {
  const uint64_t rest = static_cast<uint64_t>(v) >> (s.len_bits + s.elem_bits);
  return static_cast<int64_t>((rest << s.len_bits) | static_cast<uint64_t>(ListLen(s, v) - 1));
}

// One element stored at position `len` of v (v has room), from a value of the element type.
inline int64_t ListPush(const ListShape& s, int64_t v, int64_t elem) {
  const int64_t len = ListLen(s, v);
  const uint64_t stored = static_cast<uint64_t>(elem - s.range.lo) & static_cast<uint64_t>(s.elem_mask());
  const int shift = s.len_bits + static_cast<int>(len) * s.elem_bits;
  return static_cast<int64_t>(((static_cast<uint64_t>(v) & ~static_cast<uint64_t>(s.len_mask())) | (stored << shift)) |
                              static_cast<uint64_t>(len + 1));
}

}  // namespace sp::ir::detail
