// Constants, type declarations and the mac / ip4 address domains.
#include <algorithm>
#include <functional>

#include "compiler/ir/value_range.hpp"
#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

namespace {

constexpr int64_t kMaxSetItems = 62;
constexpr int kMaxCheckedSeqBits = 32;

std::string range_name(int64_t lo, int64_t hi) {
  return "int[" + std::to_string(lo) + ".." + std::to_string(hi) + "]";
}

}  // namespace

ir::TypeId Lowerer::add_type(ir::Type t) {
  m_.types.push_back(std::move(t));
  return static_cast<ir::TypeId>(m_.types.size() - 1);
}

void Lowerer::init_builtin_types() {
  ir::Type b;
  b.kind = ir::TypeKind::kBool;
  b.name = "bool";
  b.lo = 0;
  b.hi = 1;
  bool_ = add_type(b);
  ir::Type i;
  i.kind = ir::TypeKind::kInt;
  i.name = "int";
  i.lo = INT64_MIN;
  i.hi = INT64_MAX;
  int_ = add_type(i);
  ir::Type d;
  d.kind = ir::TypeKind::kDuration;
  d.name = "duration";
  d.lo = 0;
  d.hi = INT64_MAX;
  duration_ = add_type(d);
  ir::Type mac;
  mac.kind = ir::TypeKind::kMac;
  mac.name = "mac";
  mac_ = add_type(mac);
  ir::Type ip;
  ip.kind = ir::TypeKind::kIp4;
  ip.name = "ip4";
  ip4_ = add_type(ip);
}

ir::TypeId Lowerer::int_type(int64_t lo, int64_t hi) {
  for (size_t i = 0; i < m_.types.size(); ++i) {
    const ir::Type& t = m_.types[i];
    if (t.kind == ir::TypeKind::kInt && t.lo == lo && t.hi == hi && !seq_mods_.count(static_cast<int>(i))) {
      return static_cast<int>(i);
    }
  }
  ir::Type t;
  t.kind = ir::TypeKind::kInt;
  t.name = range_name(lo, hi);
  t.lo = lo;
  t.hi = hi;
  return add_type(t);
}

ir::TypeId Lowerer::set_type(ir::TypeId enum_type) {
  for (size_t i = 0; i < m_.types.size(); ++i) {
    const ir::Type& t = m_.types[i];
    if (t.kind == ir::TypeKind::kSet && t.enum_type == enum_type) return static_cast<int>(i);
  }
  ir::Type t;
  t.kind = ir::TypeKind::kSet;
  t.name = "set<" + m_.types[enum_type].name + ">";
  t.enum_type = enum_type;
  t.lo = 0;
  const ir::Type& e = m_.types[enum_type];
  const int64_t n = e.kind == ir::TypeKind::kInt ? e.hi + 1 : static_cast<int64_t>(e.items.size());
  t.hi = (int64_t{1} << n) - 1;
  return add_type(t);
}

ir::TypeId Lowerer::list_type(ir::TypeId elem, int capacity) {
  for (size_t i = 0; i < m_.types.size(); ++i) {
    const ir::Type& t = m_.types[i];
    if (t.kind == ir::TypeKind::kList && t.value == elem && t.capacity == capacity) return static_cast<int>(i);
  }
  ir::Type t;
  t.kind = ir::TypeKind::kList;
  t.name = "list<" + m_.types[elem].name + ", " + std::to_string(capacity) + ">";
  t.value = elem;
  t.capacity = capacity;
  return add_type(t);
}

std::string Lowerer::type_name(ir::TypeId t) const {
  if (t < 0 || t >= static_cast<int>(m_.types.size())) return "?";
  return m_.types[t].name;
}

// Every mac / ip4 literal anywhere in the spec, so that each gets a domain index before
// any expression is lowered. Index 0 is the zero address; the last is "other".
void Lowerer::collect_addresses() {
  std::set<uint64_t> macs, ips;
  std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& e) {
    if (e.kind == ast::ExprKind::kMac) macs.insert(static_cast<uint64_t>(e.int_value));
    if (e.kind == ast::ExprKind::kIp4) ips.insert(static_cast<uint64_t>(e.int_value));
    for (const ast::Expr& a : e.args) walk(a);
  };
  std::function<void(const ast::TypeExpr&)> walk_type = [&](const ast::TypeExpr& t) {
    for (const ast::Expr& b : t.bounds) walk(b);
    for (const ast::EnumItem& i : t.items) {
      if (i.code) walk(*i.code);
    }
    for (const ast::TypeExpr& a : t.args) walk_type(a);
  };
  std::function<void(const std::vector<ast::Stmt>&)> walk_block =
      [&](const std::vector<ast::Stmt>& block) {
        for (const ast::Stmt& s : block) {
          for (const ast::FieldInit& f : s.fields) walk(f.value);
          for (const ast::Expr& x : s.exprs) walk(x);
          walk_block(s.then_body);
          walk_block(s.else_body);
        }
      };
  for (const ast::Const& c : spec_.consts) walk(c.value);
  for (const ast::TypeDecl& t : spec_.types) walk_type(t.type);
  for (const ast::Role& r : spec_.roles) {
    for (const ast::VarDecl& v : r.vars) {
      walk_type(v.type);
      if (v.init) walk(*v.init);
    }
    for (const ast::Transition& t : r.transitions) {
      if (t.guard) walk(*t.guard);
      walk_block(t.actions);
    }
  }
  for (const ast::System& s : spec_.systems) {
    for (const ast::Instance& i : s.instances) {
      for (const ast::FieldInit& f : i.inits) walk(f.value);
    }
    for (const ast::Environment& env : s.environments) {
      for (const ast::CallPattern& p : env.calls) {
        for (const ast::CallRef& c : p.alternatives) {
          for (const ast::Expr& a : c.args) walk(a);
        }
      }
      for (const ast::CallRef& c : env.steps) {
        for (const ast::Expr& a : c.args) walk(a);
      }
    }
  }
  for (const ast::Property& p : spec_.properties) {
    if (p.formula) walk(*p.formula);
    if (p.except) walk(*p.except);
  }
  auto fill = [](ir::AddrDomain& d, const std::set<uint64_t>& seen, uint64_t other_base,
                 uint64_t max) {
    d.values.assign(1, 0);
    for (uint64_t v : seen) {
      if (v != 0) d.values.push_back(v);
    }
    // "Other" stands for every unmentioned address: pick a concrete one not mentioned.
    uint64_t other = other_base;
    while (seen.count(other) && other < max) ++other;
    d.values.push_back(other);
    d.other = static_cast<int>(d.values.size() - 1);
  };
  fill(m_.macs, macs, 0x02000000fe00ULL, 0xffffffffffffULL);  // locally administered
  fill(m_.ip4s, ips, 0xc00002feULL, 0xffffffffULL);           // 192.0.2.254
  m_.types[mac_].lo = 0;
  m_.types[mac_].hi = static_cast<int64_t>(m_.macs.values.size()) - 1;
  m_.types[ip4_].lo = 0;
  m_.types[ip4_].hi = static_cast<int64_t>(m_.ip4s.values.size()) - 1;
}

int Lowerer::address_index(ir::TypeKind kind, uint64_t value) const {
  const ir::AddrDomain& d = kind == ir::TypeKind::kMac ? m_.macs : m_.ip4s;
  auto it = std::find(d.values.begin(), d.values.end(), value);
  if (it == d.values.end()) return d.other;
  return static_cast<int>(it - d.values.begin());
}

void Lowerer::lower_const(const ast::Const& c) {
  if (consts_.count(c.name.name)) {
    diags_.error(c.name.loc, "constant '" + c.name.name + "' is already declared");
    return;
  }
  std::optional<ir::TypeId> declared;
  if (c.type) {
    declared = resolve_type(*c.type, c.name.name);
    if (!declared) return;
  }
  std::optional<ConstValue> v = const_value(c.value, declared.value_or(-1));
  if (!v) return;
  if (declared) {
    std::optional<ir::Expr> coerced = coerce(constant(v->type, v->value), *declared, c.value.loc,
                                             "constant '" + c.name.name + "'");
    if (!coerced) return;
    std::optional<ConstValue> folded = fold(*coerced, c.value.loc);
    if (!folded) return;
    v = folded;
    v->type = *declared;
  }
  for (const auto& [name, value] : options_.const_overrides) {
    if (name != c.name.name) continue;
    ir::TypeKind kind = m_.types[v->type].kind;
    if (kind != ir::TypeKind::kInt && kind != ir::TypeKind::kDuration &&
        kind != ir::TypeKind::kBool) {
      diags_.error(c.name.loc, "--const " + name + ": only int, bool and duration constants "
                               "can be overridden, not " + type_name(v->type));
      continue;
    }
    if (kind == ir::TypeKind::kBool && value != 0 && value != 1) {
      diags_.error(c.name.loc, "--const " + name + "=" + std::to_string(value) +
                                   ": a bool constant takes 0 or 1");
      continue;
    }
    const ir::Type& t = m_.types[v->type];
    if (kind == ir::TypeKind::kInt && (value < t.lo || value > t.hi)) {
      diags_.error(c.name.loc, "--const " + name + "=" + std::to_string(value) +
                                   " is out of range " + t.name);
      continue;
    }
    v->value = value;
  }
  consts_[c.name.name] = *v;
  m_.consts.emplace_back(c.name.name, v->value);
}

void Lowerer::check_const_overrides() {
  for (const auto& [name, value] : options_.const_overrides) {
    if (consts_.count(name)) continue;
    std::vector<std::string> names;
    for (const auto& [n, v] : consts_) names.push_back(n);
    diags_.error(ast::Loc{}, "--const " + name + ": no constant '" + name + "' in this spec" +
                                 did_you_mean(name, names));
  }
}

void Lowerer::lower_type_decl(const ast::TypeDecl& d) {
  if (named_types_.count(d.name.name)) {
    diags_.error(d.name.loc, "type '" + d.name.name + "' is already declared");
    return;
  }
  std::optional<ir::TypeId> t = resolve_type(d.type, d.name.name);
  if (t) named_types_[d.name.name] = *t;
}

std::optional<ir::TypeId> Lowerer::resolve_type(const ast::TypeExpr& t,
                                                const std::string& name_hint) {
  switch (t.kind) {
    case ast::TypeKind::kBool:
      return bool_;
    case ast::TypeKind::kDuration:
      return duration_;
    case ast::TypeKind::kMac:
      return mac_;
    case ast::TypeKind::kIp4:
      return ip4_;
    case ast::TypeKind::kInt: {
      if (t.bounds.size() != 2) return std::nullopt;
      std::optional<int64_t> lo = const_int(t.bounds[0], "an int range bound");
      std::optional<int64_t> hi = const_int(t.bounds[1], "an int range bound");
      if (!lo || !hi) return std::nullopt;
      if (*lo > *hi) {
        diags_.error(t.loc, "empty int range " + range_name(*lo, *hi) +
                                ": the lower bound is above the upper bound");
        return std::nullopt;
      }
      if (*hi - *lo > (int64_t{1} << 32)) {
        diags_.error(t.loc, "int range " + range_name(*lo, *hi) +
                                " is too wide for explicit-state checking (at most 2^32 values)");
        return std::nullopt;
      }
      return int_type(*lo, *hi);
    }
    case ast::TypeKind::kEnum: {
      ir::Type e;
      e.kind = ir::TypeKind::kEnum;
      e.name = name_hint.empty() ? "enum" : name_hint;
      std::set<std::string> seen;
      for (const ast::EnumItem& item : t.items) {
        if (!seen.insert(item.name.name).second) {
          diags_.error(item.name.loc, "enum item '" + item.name.name + "' appears twice");
          return std::nullopt;
        }
        int64_t code = static_cast<int64_t>(e.items.size());
        if (item.code) {
          std::optional<int64_t> c = const_int(*item.code, "an enum code");
          if (!c) return std::nullopt;
          code = *c;
        }
        e.items.push_back(item.name.name);
        e.item_codes.push_back(code);
      }
      if (e.items.empty()) {
        diags_.error(t.loc, "an enum needs at least one item");
        return std::nullopt;
      }
      e.lo = 0;
      e.hi = static_cast<int64_t>(e.items.size()) - 1;
      ir::TypeId id = add_type(e);
      for (size_t i = 0; i < m_.types[id].items.size(); ++i) {
        enum_items_[m_.types[id].items[i]].emplace_back(id, static_cast<int>(i));
      }
      return id;
    }
    case ast::TypeKind::kSet: {
      if (t.args.size() != 1) return std::nullopt;
      std::optional<ir::TypeId> elem = resolve_type(t.args[0], name_hint + ".item");
      if (!elem) return std::nullopt;
      if (m_.types[*elem].kind == ir::TypeKind::kInt) {
        // Elements are bit positions: int[0..N], N <= 61 (docs/language.md, "Sets").
        const ir::Type& it = m_.types[*elem];
        if (it.lo != 0 || it.hi > kMaxSetItems - 1) {
          diags_.error(t.args[0].loc, "set<int[...]> takes int[0..N] with N at most " +
                                          std::to_string(kMaxSetItems - 1) + ", not " + type_name(*elem));
          return std::nullopt;
        }
        ir::TypeId s = set_type(*elem);
        if (!name_hint.empty() && m_.types[s].name.rfind("set<", 0) == 0) m_.types[s].name = name_hint;
        return s;
      }
      if (m_.types[*elem].kind != ir::TypeKind::kEnum) {
        diags_.error(t.args[0].loc, "set<...> takes an enum or int[0..N], not " + type_name(*elem));
        return std::nullopt;
      }
      if (static_cast<int64_t>(m_.types[*elem].items.size()) > kMaxSetItems) {
        diags_.error(t.loc, "a set's enum may have at most 62 items");
        return std::nullopt;
      }
      ir::TypeId s = set_type(*elem);
      if (!name_hint.empty() && m_.types[s].name.rfind("set<", 0) == 0) m_.types[s].name = name_hint;
      return s;
    }
    case ast::TypeKind::kSeq: {
      if (!t.bounds.empty()) {
        // `seq mod M`: any modulus, exactly (no --seq-bits reduction).
        std::optional<int64_t> m = const_int(t.bounds[0], "a sequence number modulus");
        if (!m) return std::nullopt;
        if (*m < 2 || *m > (int64_t{1} << 32)) {
          diags_.error(t.bounds[0].loc, "seq mod " + std::to_string(*m) + ": the modulus must be 2..2^32");
          return std::nullopt;
        }
        return seq_mod_type(*m);
      }
      if (t.bits < 2 || t.bits > 64) {
        diags_.error(t.loc, "seq<" + std::to_string(t.bits) + ">: width must be 2..64 bits");
        return std::nullopt;
      }
      int wire = static_cast<int>(t.bits);
      int checked = std::min(wire, options_.seq_bits.value_or(3));
      checked = std::min(checked, kMaxCheckedSeqBits);
      for (size_t i = 0; i < m_.types.size(); ++i) {
        const ir::Type& x = m_.types[i];
        if (x.kind == ir::TypeKind::kSeq && x.seq_wire_bits == wire) return static_cast<int>(i);
      }
      ir::Type s;
      s.kind = ir::TypeKind::kSeq;
      s.name = "seq<" + std::to_string(wire) + ">";
      s.seq_bits = checked;
      s.seq_wire_bits = wire;
      s.lo = 0;
      s.hi = (int64_t{1} << checked) - 1;
      return add_type(s);
    }
    case ast::TypeKind::kMap: {
      if (t.args.size() != 2 || t.bounds.size() != 1) return std::nullopt;
      std::optional<ir::TypeId> k = resolve_type(t.args[0], "");
      std::optional<ir::TypeId> v = resolve_type(t.args[1], "");
      std::optional<int64_t> cap = const_int(t.bounds[0], "a map capacity");
      if (!k || !v || !cap) return std::nullopt;
      for (ir::TypeId part : {*k, *v}) {
        ir::TypeKind kind = m_.types[part].kind;
        if (kind == ir::TypeKind::kMap || kind == ir::TypeKind::kDuration) {
          diags_.error(t.loc, "a map's key and value must be scalar, not " + type_name(part));
          return std::nullopt;
        }
      }
      if (*cap < 1 || *cap > 64) {
        diags_.error(t.bounds[0].loc, "map capacity must be 1..64, not " + std::to_string(*cap));
        return std::nullopt;
      }
      ir::Type mt;
      mt.kind = ir::TypeKind::kMap;
      mt.name = "map<" + type_name(*k) + ", " + type_name(*v) + "> capacity " +
                std::to_string(*cap);
      mt.key = *k;
      mt.value = *v;
      mt.capacity = static_cast<int>(*cap);
      return add_type(mt);
    }
    case ast::TypeKind::kList: {
      // list<T, N>: one integer holding the length and N elements (docs/language.md, "Lists").
      if (t.args.size() != 1 || t.bounds.size() != 1) return std::nullopt;
      std::optional<ir::TypeId> elem = resolve_type(t.args[0], "");
      std::optional<int64_t> cap = const_int(t.bounds[0], "a list capacity");
      if (!elem || !cap) return std::nullopt;
      const ir::TypeKind k = m_.types[*elem].kind;
      if (k == ir::TypeKind::kMap || k == ir::TypeKind::kDuration || k == ir::TypeKind::kList) {
        diags_.error(t.args[0].loc, "a list's elements must be scalar (bool, int[lo..hi], an enum, a set, seq, mac "
                                    "or ip4), not " + type_name(*elem));
        return std::nullopt;
      }
      if (*cap < 1 || *cap > ir::detail::kMaxListBits) {
        diags_.error(t.bounds[0].loc, "list capacity must be 1.." + std::to_string(ir::detail::kMaxListBits) +
                                          ", not " + std::to_string(*cap));
        return std::nullopt;
      }
      const int elem_bits = ir::detail::RangeOf(m_, *elem).bits;
      const int bits = ir::detail::BitsForSpan(static_cast<uint64_t>(*cap)) + static_cast<int>(*cap) * elem_bits;
      if (bits > ir::detail::kMaxListBits) {
        diags_.error(t.loc, "list<" + type_name(*elem) + ", " + std::to_string(*cap) + "> needs " +
                                std::to_string(bits) + " bits (length and " + std::to_string(*cap) + " elements of " +
                                std::to_string(elem_bits) + "); a list holds at most " +
                                std::to_string(ir::detail::kMaxListBits) +
                                ": lower the capacity or narrow the element type");
        return std::nullopt;
      }
      return list_type(*elem, static_cast<int>(*cap));
    }
    case ast::TypeKind::kNamed: {
      auto it = named_types_.find(t.name.name);
      if (it != named_types_.end()) return it->second;
      std::vector<std::string> names;
      for (const auto& [n, id] : named_types_) names.push_back(n);
      diags_.error(t.name.loc,
                   "unknown type '" + t.name.name + "'" + did_you_mean(t.name.name, names));
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace sp::sema
