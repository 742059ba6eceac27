// Slot layout (widths, order) and bit-packing round trips.
#include <gtest/gtest.h>

#include <random>

#include "compiler/ir/state.hpp"
#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using test::ModelBuilder;

int SlotBits(const Layout& l, const std::string& name) {
  for (const Slot& s : l.slots) {
    if (s.name == name) return s.bits;
  }
  ADD_FAILURE() << "no slot " << name;
  return -1;
}

TEST(Layout, BitWidthsFromTypes) {
  ModelBuilder b;
  const TypeId tbool = b.Bool();
  const TypeId t02 = b.Int(0, 2);
  const TypeId t03 = b.Int(0, 3);
  const TypeId t04 = b.Int(0, 4);
  const TypeId t55 = b.Int(5, 5);
  const TypeId tneg = b.Int(-3, 3);
  const TypeId tenum = b.Enum("Kind", {"A", "B", "C"});
  const TypeId tflag = b.Enum("Flag", {"FIN", "SYN", "RST", "PSH", "ACK", "URG"});
  const TypeId tset = b.Set("Flags", tflag);
  const TypeId tseq = b.Seq(3);
  const TypeId tmac = b.Mac();
  const TypeId tip = b.Ip4();
  b.m.macs.values = {0, 1, 2, 3, 0xffffffffffff};  // zero, 3 literals, other: 5 -> 3 bits
  b.m.ip4s.values = {0, 0xc0000201, 0xc0000202};   // 3 -> 2 bits
  const TypeId tmap = b.Map(tip, tmac, 2);
  const int msg = b.AddMessage("M", {{"a", tbool}, {"b", t04}});

  const int r = b.AddRole("R", {"S0", "S1", "S2", "S3", "S4"});
  b.AddVar(r, "vb", tbool);
  b.AddVar(r, "v02", t02);
  b.AddVar(r, "v03", t03);
  b.AddVar(r, "v04", t04);
  b.AddVar(r, "v55", t55, 5);
  b.AddVar(r, "vneg", tneg, -3);
  b.AddVar(r, "ve", tenum);
  b.AddVar(r, "vs", tset);
  b.AddVar(r, "vq", tseq);
  b.AddVar(r, "vm", tmac);
  b.AddVar(r, "vi", tip);
  b.AddVar(r, "cache", tmap);
  b.AddVar(r, "konst", t04, 3, /*assigned=*/false);
  b.AddTimer(r, "rtx");
  const int port = b.AddPort(r, "net", msg);
  const int s = b.AddSystem("sys");
  b.AddInstance(s, "a", r);
  b.AddInstance(s, "b", r);
  Queue& q = b.AddQueue(s, "a.net->b.net", {0}, port, 1, port, msg, 3);
  q.lossy = true;
  q.loss_budget = 2;
  q.dup = true;
  q.dup_budget = 1;
  CallEntry e;
  e.bound = 3;
  b.sys(s).environment.unrestricted = false;
  b.sys(s).environment.entries.push_back(e);
  b.sys(s).environment.entries.push_back(CallEntry{});  // unbounded: no counter

  const Layout l = build_layout(b.m, s);
  EXPECT_EQ(SlotBits(l, "a.state"), 3);
  EXPECT_EQ(SlotBits(l, "a.vb"), 1);
  EXPECT_EQ(SlotBits(l, "a.v02"), 2);
  EXPECT_EQ(SlotBits(l, "a.v03"), 2);
  EXPECT_EQ(SlotBits(l, "a.v04"), 3);
  EXPECT_EQ(SlotBits(l, "a.v55"), 0);
  EXPECT_EQ(SlotBits(l, "a.vneg"), 3);
  EXPECT_EQ(SlotBits(l, "a.ve"), 2);
  EXPECT_EQ(SlotBits(l, "a.vs"), 6);
  EXPECT_EQ(SlotBits(l, "a.vq"), 3);
  EXPECT_EQ(SlotBits(l, "a.vm"), 3);
  EXPECT_EQ(SlotBits(l, "a.vi"), 2);
  EXPECT_EQ(SlotBits(l, "a.cache.size"), 2);
  EXPECT_EQ(SlotBits(l, "a.cache[0].key"), 2);
  EXPECT_EQ(SlotBits(l, "a.cache[0].value"), 3);
  EXPECT_EQ(SlotBits(l, "a.cache[1].key"), 2);
  EXPECT_EQ(SlotBits(l, "a.konst"), 0);  // per-instance constant: out of the packed vector
  EXPECT_EQ(SlotBits(l, "a.rtx"), 1);
  EXPECT_EQ(SlotBits(l, "a.net->b.net.len"), 2);
  EXPECT_EQ(SlotBits(l, "a.net->b.net[2].b"), 3);
  EXPECT_EQ(SlotBits(l, "a.net->b.net.loss_budget"), 2);
  EXPECT_EQ(SlotBits(l, "a.net->b.net.dup_budget"), 1);
  EXPECT_EQ(SlotBits(l, "env[0].count"), 2);
  EXPECT_EQ(l.env_counters.size(), 2u);
  EXPECT_GE(l.env_counters[0], 0);
  EXPECT_EQ(l.env_counters[1], -1);
  EXPECT_EQ(l.script_pc, -1);

  // Structure: per instance state, vars, timers; maps 1 + 2N slots; queues 1 + N*F.
  ASSERT_EQ(l.instances.size(), 2u);
  const InstanceLayout& a = l.instances[0];
  EXPECT_EQ(a.state, 0);
  EXPECT_EQ(a.vars[0], 1);
  EXPECT_EQ(a.vars[12], a.vars[11] + 5);
  EXPECT_EQ(a.timers[0], a.vars[12] + 1);
  EXPECT_EQ(l.instances[1].state, a.timers[0] + 1);
  ASSERT_EQ(l.queues.size(), 1u);
  EXPECT_EQ(l.queues[0].fields, 2);
  EXPECT_EQ(l.queues[0].first, l.queues[0].len + 1);
  EXPECT_EQ(l.queues[0].loss_budget, l.queues[0].first + 6);
  EXPECT_EQ(l.queues[0].dup_budget, l.queues[0].loss_budget + 1);

  int total = 0;
  for (const Slot& sl : l.slots) {
    EXPECT_EQ(sl.offset, total) << sl.name;
    total += sl.bits;
  }
  EXPECT_EQ(l.total_bits, total);
  EXPECT_EQ(l.bytes(), (total + 7) / 8);
  EXPECT_NE(l.plan, nullptr);

  // The constant's value is answered from its slot's `lo`.
  TransitionSystem ts(b.m, s);
  const Slots init = ts.initial_state();
  EXPECT_EQ(init[static_cast<size_t>(ts.layout().instances[1].vars[12])], 3);
  Packed p;
  ts.layout().pack(init, p);
  Slots back;
  ts.layout().unpack(p.data(), back);
  EXPECT_EQ(back, init);
}

TEST(Layout, ScriptPc) {
  ModelBuilder b;
  const int r = b.AddRole("R", {"S"});
  b.AddCall(r, "go");
  const int s = b.AddSystem("sys");
  b.AddInstance(s, "a", r);
  Environment& env = b.sys(s).environment;
  env.unrestricted = false;
  env.script = true;
  for (int k = 0; k < 5; ++k) {
    CallEntry e;
    e.targets.push_back(CallEntry::Target{0, 0, {}});
    env.entries.push_back(e);
  }
  const Layout l = build_layout(b.m, s);
  ASSERT_GE(l.script_pc, 0);
  EXPECT_EQ(l.slots[static_cast<size_t>(l.script_pc)].bits, 3);  // pc in 0..5
}

// Random layouts of every width 0..64 (with random offsets `lo`), random in-range values.
TEST(Layout, PackUnpackRoundTripRandom) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 400; ++round) {
    Layout l;
    const int nslots = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < nslots; ++k) {
      Slot s;
      s.name = "s" + std::to_string(k);
      s.bits = static_cast<int>(rng() % 65);
      if (round % 3 == 0) s.bits = static_cast<int>(rng() % 9);  // many small, byte-crossing
      s.lo = s.bits >= 63 ? 0 : static_cast<int64_t>(rng() % 2001) - 1000;
      s.offset = l.total_bits;
      l.total_bits += s.bits;
      l.slots.push_back(s);
    }
    Slots in(l.slots.size());
    for (size_t k = 0; k < in.size(); ++k) {
      const int bits = l.slots[k].bits;
      const uint64_t raw = bits == 0 ? 0 : bits == 64 ? rng() : rng() & ((uint64_t{1} << bits) - 1);
      in[k] = static_cast<int64_t>(raw + static_cast<uint64_t>(l.slots[k].lo));
    }
    ASSERT_EQ(l.plan, nullptr);
    Packed p;
    l.pack(in, p);  // generic path
    ASSERT_EQ(static_cast<int>(p.size()), l.bytes());
    Slots out;
    l.unpack(p.data(), out);
    ASSERT_EQ(out, in) << "round " << round;

    // The planned path (after finalize) gives the same bytes and values.
    Layout planned = l;
    planned.finalize();
    ASSERT_NE(planned.plan, nullptr);
    ASSERT_EQ(planned.total_bits, l.total_bits);
    Packed p2(3, 0xff);  // re-used buffer with stale contents
    planned.pack(in, p2);
    ASSERT_EQ(p2, p) << "round " << round;
    Slots out2(2, 7);
    planned.unpack(p2.data(), out2);
    ASSERT_EQ(out2, in) << "round " << round;
  }
}

// Out-of-range values are masked to their slot and never spill into neighbours.
TEST(Layout, PackMasksOutOfRangeValues) {
  Layout l;
  for (int w : {3, 5, 2}) {
    Slot s;
    s.bits = w;
    l.slots.push_back(s);
  }
  l.finalize();
  Packed p;
  l.pack(Slots{0, 0xfff, 0}, p);
  Slots out;
  l.unpack(p.data(), out);
  EXPECT_EQ(out, (Slots{0, 31, 0}));
}

// The packed encoding puts slot k at its documented bit offset, LSB first.
TEST(Layout, PackedBitPositions) {
  Layout l;
  const int widths[] = {3, 7, 1, 13, 2, 64, 5};
  for (int w : widths) {
    Slot s;
    s.bits = w;
    s.offset = l.total_bits;
    l.total_bits += w;
    l.slots.push_back(s);
  }
  Layout planned = l;
  planned.finalize();
  for (const Layout* layout : {&l, &planned}) {
    for (size_t k = 0; k < layout->slots.size(); ++k) {
      Slots in(layout->slots.size(), 0);
      in[k] = 1;  // lowest bit of slot k only
      Packed p;
      layout->pack(in, p);
      const int off = layout->slots[k].offset;
      for (int bit = 0; bit < layout->total_bits; ++bit) {
        const int v = (p[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1;
        ASSERT_EQ(v, bit == off ? 1 : 0) << "slot " << k << " bit " << bit;
      }
    }
  }
}

TEST(Layout, EmptyAndZeroWidth) {
  Layout l;
  Slot s;
  s.bits = 0;
  s.lo = 42;
  l.slots.push_back(s);
  Packed p;
  l.pack(Slots{42}, p);
  EXPECT_TRUE(p.empty());
  Slots out;
  l.unpack(p.data(), out);
  EXPECT_EQ(out, Slots{42});
}

}  // namespace
}  // namespace sp::ir
