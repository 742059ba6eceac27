// Model look-ups and the spec-style rendering of values.
#include "compiler/ir/model.hpp"

#include <algorithm>
#include <cstdio>

#include "compiler/ir/value_range.hpp"

namespace sp::ir {

namespace {

template <typename T>
int FindByName(const std::vector<T>& items, const std::string& name) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string FormatMac(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x",
                static_cast<unsigned>((v >> 40) & 0xff), static_cast<unsigned>((v >> 32) & 0xff),
                static_cast<unsigned>((v >> 24) & 0xff), static_cast<unsigned>((v >> 16) & 0xff),
                static_cast<unsigned>((v >> 8) & 0xff), static_cast<unsigned>(v & 0xff));
  return buf;
}

std::string FormatIp4(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", static_cast<unsigned>((v >> 24) & 0xff),
                static_cast<unsigned>((v >> 16) & 0xff), static_cast<unsigned>((v >> 8) & 0xff),
                static_cast<unsigned>(v & 0xff));
  return buf;
}

std::string FormatAddr(const AddrDomain& d, int64_t index, bool mac) {
  if (index < 0 || index >= static_cast<int64_t>(d.values.size())) {
    return (mac ? "mac#" : "ip4#") + std::to_string(index);
  }
  uint64_t v = d.values[static_cast<size_t>(index)];
  return mac ? FormatMac(v) : FormatIp4(v);
}

std::string FormatDuration(int64_t ms) {
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "min";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace

int Model::find_system(const std::string& name) const { return FindByName(systems, name); }
int Model::find_role(const std::string& name) const { return FindByName(roles, name); }
int Model::find_property(const std::string& name) const { return FindByName(properties, name); }

std::string format_value(const Model& m, TypeId type, int64_t value) {
  if (type < 0 || type >= static_cast<int>(m.types.size())) return std::to_string(value);
  const Type& t = m.types[static_cast<size_t>(type)];
  switch (t.kind) {
    case TypeKind::kBool:
      return value == 0 ? "false" : value == 1 ? "true" : std::to_string(value);
    case TypeKind::kInt:
    case TypeKind::kSeq:
      return std::to_string(value);
    case TypeKind::kEnum:
      if (value >= 0 && value < static_cast<int64_t>(t.items.size())) {
        return t.items[static_cast<size_t>(value)];
      }
      return std::to_string(value);
    case TypeKind::kSet: {
      const Type* e = (t.enum_type >= 0 && t.enum_type < static_cast<int>(m.types.size()))
                          ? &m.types[static_cast<size_t>(t.enum_type)]
                          : nullptr;
      std::string out = "{";
      bool first = true;
      for (int bit = 0; bit < 64; ++bit) {
        if (((static_cast<uint64_t>(value) >> bit) & 1) == 0) continue;
        if (!first) out += ", ";
        first = false;
        if (e != nullptr && bit < static_cast<int>(e->items.size())) {
          out += e->items[static_cast<size_t>(bit)];
        } else {
          out += std::to_string(bit);
        }
      }
      return out + "}";
    }
    case TypeKind::kMac:
      return FormatAddr(m.macs, value, true);
    case TypeKind::kIp4:
      return FormatAddr(m.ip4s, value, false);
    case TypeKind::kDuration:
      return FormatDuration(value);
    case TypeKind::kMap:
      return "<" + t.name + ">";
    case TypeKind::kList: {
      const detail::ListShape s = detail::ListShapeOf(m, type);
      std::string out = "[";
      const int64_t len = std::min<int64_t>(detail::ListLen(s, value), s.capacity);
      for (int64_t k = 0; k < len; ++k) out += (k ? ", " : "") + format_value(m, s.elem, detail::ListAt(s, value, k));
      return out + "]";
    }
  }
  return std::to_string(value);
}

}  // namespace sp::ir
