// The slot layout of a system and its bit-packed encoding.
//
// Packing is little-endian and LSB-first: slot i occupies bits [offset, offset + bits) of
// the packed vector, bit k of the vector being bit (k % 8) of byte k / 8. A slot stores
// `value - lo`; a 0-bit slot (a single-valued range, or a variable no transition writes)
// always unpacks to `lo`.
//
// The fast path (a PackPlan) works on 64-bit words: each word is the OR of its slots'
// values shifted into place, a slot that straddles two words contributing one step to
// each, so pack and unpack are a few branch-free instructions per slot.
#include <algorithm>
#include <bit>
#include <cstring>

#include "compiler/ir/state.hpp"
#include "compiler/ir/system.hpp"
#include "compiler/ir/value_range.hpp"

namespace sp::ir {

struct PackPlan {
  // Pack: one slot's part in one 64-bit word: word |= ((value - lo) & mask) << l >> r.
  struct Step {
    int32_t slot;
    uint8_t l, r;
  };
  std::vector<Step> steps;          // in bit order
  std::vector<int32_t> word_begin;  // first step of each word, then steps.size()
  // Unpack: each slot from one unaligned 8-byte load at `byte`, shifted right by `sh`
  // (a slot of more than 57 bits also takes the ninth byte).
  struct Read {
    uint32_t byte;
    uint8_t sh;
    bool wide;
  };
  std::vector<Read> reads;          // per slot
  std::vector<int64_t> lo;          // per slot
  std::vector<uint64_t> mask;       // per slot
  size_t nslots = 0;
  int total_bits = 0;
};

namespace {

void MarkWritten(const std::vector<Stmt>& body, std::vector<bool>& written) {
  for (const Stmt& s : body) {
    switch (s.kind) {
      case StmtKind::kAssign:
      case StmtKind::kMapPut:
      case StmtKind::kMapRemove:
        if (s.index >= 0 && s.index < static_cast<int>(written.size())) {
          written[static_cast<size_t>(s.index)] = true;
        }
        break;
      case StmtKind::kIf:
        MarkWritten(s.then_body, written);
        MarkWritten(s.else_body, written);
        break;
      default:
        break;
    }
  }
}

class Builder {
 public:
  explicit Builder(Layout& l) : l_(l) {}

  int Add(std::string name, const detail::ValueRange& r) { return Add(std::move(name), r.lo, r.bits); }

  int Add(std::string name, int64_t lo, int bits) {
    Slot s;
    s.name = std::move(name);
    s.lo = lo;
    s.bits = bits;
    s.offset = l_.total_bits;
    l_.total_bits += bits;
    l_.slots.push_back(std::move(s));
    return static_cast<int>(l_.slots.size()) - 1;
  }

 private:
  Layout& l_;
};

inline uint64_t Mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

inline void Store64(uint8_t* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

inline uint64_t Load64Full(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

inline uint64_t Load64(const uint8_t* p, const uint8_t* end) {
  uint64_t v = 0;
  if (end - p >= 8) {
    std::memcpy(&v, p, 8);
  } else if (end > p) {
    std::memcpy(&v, p, static_cast<size_t>(end - p));
  }
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

}  // namespace

Layout build_layout(const Model& model, int system) {
  Layout l;
  Builder b(l);
  const System& sys = model.systems.at(static_cast<size_t>(system));

  for (const Instance& inst : sys.instances) {
    const Role& role = model.roles.at(static_cast<size_t>(inst.role));
    InstanceLayout il;
    il.state = b.Add(inst.name + ".state", 0,
                     detail::BitsForSpan(role.states.empty() ? 0 : role.states.size() - 1));

    std::vector<bool> written(role.vars.size(), false);
    for (size_t v = 0; v < role.vars.size(); ++v) written[v] = role.vars[v].assigned;
    for (const Transition& t : role.transitions) MarkWritten(t.actions, written);

    for (size_t v = 0; v < role.vars.size(); ++v) {
      const Var& var = role.vars[v];
      const std::string base = inst.name + "." + var.name;
      const bool constant = !written[v];
      const Type* type = (var.type >= 0 && var.type < static_cast<int>(model.types.size()))
                             ? &model.types[static_cast<size_t>(var.type)]
                             : nullptr;
      if (type != nullptr && type->kind == TypeKind::kMap) {
        const int cap = type->capacity < 0 ? 0 : type->capacity;
        detail::ValueRange kr = detail::RangeOf(model, type->key);
        detail::ValueRange vr = detail::RangeOf(model, type->value);
        il.vars.push_back(
            b.Add(base + ".size", 0, constant ? 0 : detail::BitsForSpan(static_cast<uint64_t>(cap))));
        for (int i = 0; i < cap; ++i) {
          const std::string pair = base + "[" + std::to_string(i) + "]";
          b.Add(pair + ".key", kr.lo, constant ? 0 : kr.bits);
          b.Add(pair + ".value", vr.lo, constant ? 0 : vr.bits);
        }
        continue;
      }
      detail::ValueRange r = detail::RangeOf(model, var.type);
      if (constant) {
        int64_t init = v < inst.init.size() ? inst.init[v] : var.init;
        if (r.kind == TypeKind::kSeq) init = static_cast<int64_t>(static_cast<uint64_t>(init) & r.seq_mask);
        il.vars.push_back(b.Add(base, init, 0));
      } else {
        il.vars.push_back(b.Add(base, r));
      }
    }
    for (const Timer& t : role.timers) il.timers.push_back(b.Add(inst.name + "." + t.name, 0, 1));
    l.instances.push_back(std::move(il));
  }

  for (const Queue& q : sys.queues) {
    QueueLayout ql;
    const int cap = q.capacity < 0 ? 0 : q.capacity;
    ql.len = b.Add(q.name + ".len", 0, detail::BitsForSpan(static_cast<uint64_t>(cap)));
    const Message* msg = (q.message >= 0 && q.message < static_cast<int>(model.messages.size()))
                             ? &model.messages[static_cast<size_t>(q.message)]
                             : nullptr;
    ql.fields = msg == nullptr ? 0 : static_cast<int>(msg->fields.size());
    ql.first = static_cast<int>(l.slots.size());
    for (int i = 0; i < cap; ++i) {
      for (int f = 0; f < ql.fields; ++f) {
        const Field& field = msg->fields[static_cast<size_t>(f)];
        b.Add(q.name + "[" + std::to_string(i) + "]." + field.name, detail::RangeOf(model, field.type));
      }
    }
    if (q.lossy && q.loss_budget) {
      ql.loss_budget = b.Add(q.name + ".loss_budget", 0,
                             detail::BitsForSpan(static_cast<uint64_t>(*q.loss_budget < 0 ? 0 : *q.loss_budget)));
    }
    if (q.dup && q.dup_budget) {
      ql.dup_budget = b.Add(q.name + ".dup_budget", 0,
                            detail::BitsForSpan(static_cast<uint64_t>(*q.dup_budget < 0 ? 0 : *q.dup_budget)));
    }
    if (q.lossy && q.loss_run) {
      ql.loss_run = b.Add(q.name + ".loss_run", 0, detail::BitsForSpan(static_cast<uint64_t>(*q.loss_run < 0 ? 0 : *q.loss_run)));
    }
    l.queues.push_back(ql);
  }

  const Environment& env = sys.environment;
  for (size_t e = 0; e < env.entries.size(); ++e) {
    const CallEntry& entry = env.entries[e];
    if (!env.unrestricted && !env.script && entry.bound) {
      l.env_counters.push_back(
          b.Add("env[" + std::to_string(e) + "].count", 0,
                detail::BitsForSpan(static_cast<uint64_t>(*entry.bound < 0 ? 0 : *entry.bound))));
    } else {
      l.env_counters.push_back(-1);
    }
  }
  if (!env.unrestricted && env.script) {
    l.script_pc = b.Add("env.pc", 0, detail::BitsForSpan(env.entries.size()));
  }
  l.finalize();
  return l;
}

void Layout::finalize() {
  auto p = std::make_shared<PackPlan>();
  total_bits = 0;
  for (Slot& s : slots) {
    if (s.bits < 0) s.bits = 0;
    if (s.bits > 64) s.bits = 64;
    s.offset = total_bits;
    total_bits += s.bits;
  }
  const int words = (total_bits + 63) / 64;
  p->nslots = slots.size();
  p->total_bits = total_bits;
  p->word_begin.assign(static_cast<size_t>(words) + 1, 0);
  std::vector<std::vector<PackPlan::Step>> per_word(static_cast<size_t>(words));
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot& s = slots[i];
    p->lo.push_back(s.lo);
    p->mask.push_back(Mask(s.bits));
    p->reads.push_back(PackPlan::Read{static_cast<uint32_t>(s.offset / 8), static_cast<uint8_t>(s.offset % 8),
                                      s.offset % 8 + s.bits > 64});
    if (s.bits == 0) continue;
    const int word = s.offset / 64, sh = s.offset % 64;
    per_word[static_cast<size_t>(word)].push_back(
        PackPlan::Step{static_cast<int32_t>(i), static_cast<uint8_t>(sh), 0});
    if (sh + s.bits > 64) {  // the high part starts the next word
      per_word[static_cast<size_t>(word) + 1].push_back(
          PackPlan::Step{static_cast<int32_t>(i), 0, static_cast<uint8_t>(64 - sh)});
    }
  }
  for (int w = 0; w < words; ++w) {
    p->word_begin[static_cast<size_t>(w)] = static_cast<int32_t>(p->steps.size());
    p->steps.insert(p->steps.end(), per_word[static_cast<size_t>(w)].begin(), per_word[static_cast<size_t>(w)].end());
  }
  p->word_begin[static_cast<size_t>(words)] = static_cast<int32_t>(p->steps.size());
  plan = std::move(p);
}

void Layout::pack(const Slots& in, Packed& out) const {
  out.resize(static_cast<size_t>(bytes()));
  const PackPlan* plan_ = plan.get();
  if (plan_ != nullptr && plan_->nslots == slots.size() && plan_->total_bits == total_bits) {
    const PackPlan& pl = *plan_;
    const int64_t* v = in.data();
    const PackPlan::Step* st = pl.steps.data();
    const int64_t* lo = pl.lo.data();
    const uint64_t* mask = pl.mask.data();
    const size_t words = pl.word_begin.size() - 1;
    uint8_t* o = out.data();
    for (size_t w = 0; w < words; ++w) {
      uint64_t acc = 0;
      for (int32_t k = pl.word_begin[w]; k < pl.word_begin[w + 1]; ++k) {
        const int32_t i = st[k].slot;
        const uint64_t x = (static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(lo[i])) & mask[i];
        acc |= (x << st[k].l) >> st[k].r;
      }
      if (w + 1 < words) {
        Store64(o + 8 * w, acc);
      } else {
        for (size_t b = 8 * w; b < out.size(); ++b, acc >>= 8) o[b] = static_cast<uint8_t>(acc);
      }
    }
    return;
  }
  uint8_t* p = out.data();
  uint64_t acc = 0;
  int n = 0;  // bits in acc
  const size_t count = slots.size();
  const Slot* s = slots.data();
  const int64_t* v = in.data();
  for (size_t i = 0; i < count; ++i) {
    const int bits = s[i].bits;
    if (bits == 0) continue;
    const uint64_t x = (static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(s[i].lo)) & Mask(bits);
    acc |= x << n;
    if (n + bits >= 64) {
      Store64(p, acc);
      p += 8;
      const int used = 64 - n;  // bits of x that went into this word
      acc = used >= 64 ? 0 : x >> used;
      n = n + bits - 64;
    } else {
      n += bits;
    }
  }
  for (int done = 0; done < n; done += 8) {
    *p++ = static_cast<uint8_t>(acc);
    acc >>= 8;
  }
}

void Layout::unpack(const uint8_t* in, Slots& out) const {
  const size_t count = slots.size();
  out.resize(count);
  const PackPlan* plan_ = plan.get();
  if (plan_ != nullptr && plan_->nslots == count && plan_->total_bits == total_bits) {
    const PackPlan& pl = *plan_;
    const size_t nbytes = static_cast<size_t>(bytes());
    // Reads near the end come from a zero-padded copy of the last bytes.
    const size_t base = nbytes > 16 ? nbytes - 16 : 0;
    uint8_t pad[32] = {};
    if (nbytes > 0) std::memcpy(pad, in + base, nbytes - base);
    const PackPlan::Read* rd = pl.reads.data();
    uint64_t* raw = reinterpret_cast<uint64_t*>(out.data());
    const int64_t* lo = pl.lo.data();
    const uint64_t* mask = pl.mask.data();
    for (size_t i = 0; i < count; ++i) {
      const PackPlan::Read r = rd[i];
      const uint8_t* src = r.byte + 9 <= nbytes ? in + r.byte : pad + (r.byte - base);
      const uint64_t w = Load64Full(src);
      uint64_t x = w >> r.sh;
      if (r.wide) x |= static_cast<uint64_t>(src[8]) << (64 - r.sh);
      raw[i] = (x & mask[i]) + static_cast<uint64_t>(lo[i]);
    }
    return;
  }
  const uint8_t* p = in;
  const uint8_t* end = in + bytes();
  uint64_t acc = 0;
  int have = 0;  // unread bits in acc
  const Slot* s = slots.data();
  int64_t* o = out.data();
  for (size_t i = 0; i < count; ++i) {
    const int bits = s[i].bits;
    uint64_t x;
    if (bits == 0) {
      x = 0;
    } else if (have >= bits) {
      x = acc & Mask(bits);
      acc = bits >= 64 ? 0 : acc >> bits;
      have -= bits;
    } else {
      const uint64_t w = Load64(p, end);
      p += 8;
      x = (acc | (w << have)) & Mask(bits);
      const int need = bits - have;  // bits taken from w
      acc = need >= 64 ? 0 : w >> need;
      have = 64 - need;
    }
    o[i] = static_cast<int64_t>(x + static_cast<uint64_t>(s[i].lo));
  }
}

std::vector<int32_t> port_queues(const System& sys, const Layout& l, int inst, int port, bool incoming) {
  std::vector<int32_t> out;
  for (size_t q = 0; q < sys.queues.size() && q < l.queues.size(); ++q) {
    const Queue& qu = sys.queues[q];
    const bool at = incoming ? qu.receiver == inst && qu.recv_port == port
                             : qu.send_port == port &&
                                   std::find(qu.senders.begin(), qu.senders.end(), inst) != qu.senders.end();
    if (!at) continue;
    out.push_back(l.queues[q].len);
    out.push_back(qu.capacity);
  }
  return out;
}

}  // namespace sp::ir
