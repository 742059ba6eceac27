// A quick micro-benchmark of successors(): a sliding-window sender and receiver over two
// lossy channels (seq<3>, window 2, retransmission timer), with a bounded open/close
// environment. Prints successors/s and unpack+successors+pack states/s (per CPU second of
// the measuring thread); asserts only a very low floor so sanitizer builds pass.
#include <gtest/gtest.h>

#include <ctime>
#include <cstdio>
#include <thread>
#include <unordered_set>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// Thread CPU time: the build machine is shared, so wall-clock rates would measure the load.
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct PackedHash {
  size_t operator()(const Packed& p) const {
    uint64_t h = 1469598103934665603ull;
    for (uint8_t c : p) h = (h ^ c) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

struct Window {
  ModelBuilder b;
  std::unique_ptr<TransitionSystem> ts;
  Window() {
    const TypeId tbool = b.Bool();
    const TypeId tseq = b.Seq(3);
    const TypeId tint = b.Int(0, 7);
    const TypeId tlen = b.Int(0, 1);
    const TypeId tcnt = b.Int(0, 3);
    const int seg = b.AddMessage("Seg", {{"seq", tseq}, {"ack", tbool}, {"len", tlen}});

    const int snd = b.AddRole("Sender", {"CLOSED", "OPEN"});
    const int snet = b.AddPort(snd, "net", seg);
    const int open = b.AddCall(snd, "open");
    const int close = b.AddCall(snd, "close");
    const int next = b.AddVar(snd, "next", tseq);
    const int una = b.AddVar(snd, "una", tseq);
    const int sent = b.AddVar(snd, "sent", tcnt);
    const int rtx = b.AddTimer(snd, "rtx");
    auto inflight = Bin(Op::kSub, tint, VarE(tseq, next), VarE(tseq, una));
    b.AddTransition(snd, "open", {0}, EventKind::kCall, open, 1);
    b.AddTransition(snd, "close", {1}, EventKind::kCall, close, 0, {Stop(rtx)});
    b.AddTransition(snd, "send", {1}, EventKind::kInternal, -1, -1,
                    {Send(snet, {VarE(tseq, next), Const(tbool, 0), Const(tlen, 1)}),
                     Assign(next, Bin(Op::kAdd, tseq, VarE(tseq, next), Const(tint, 1))),
                     If(Bin(Op::kLt, tbool, VarE(tcnt, sent), Const(tcnt, 3)),
                        {Assign(sent, Bin(Op::kAdd, tcnt, VarE(tcnt, sent), Const(tcnt, 1)))}),
                     Start(rtx)})
        .guard = Bin(Op::kAnd, tbool, Bin(Op::kLt, tbool, inflight, Const(tint, 2)),
                     Bin(Op::kLt, tbool, VarE(tcnt, sent), Const(tcnt, 3)));
    b.AddTransition(snd, "ack", {}, EventKind::kRecv, snet, -1,
                    {If(Bin(Op::kLt, tbool, VarE(tseq, una), FieldE(tseq, 0)),
                        {Assign(una, FieldE(tseq, 0))}),
                     If(Bin(Op::kEq, tbool, VarE(tseq, una), VarE(tseq, next)), {Stop(rtx)})})
        .guard = FieldE(tbool, 1);
    b.AddTransition(snd, "retx", {1}, EventKind::kTimeout, rtx, -1,
                    {Send(snet, {VarE(tseq, una), Const(tbool, 0), Const(tlen, 1)}), Start(rtx)});

    const int rcv = b.AddRole("Receiver", {"LISTEN"});
    const int rnet = b.AddPort(rcv, "net", seg);
    const int expect = b.AddVar(rcv, "expect", tseq);
    b.AddTransition(rcv, "data", {}, EventKind::kRecv, rnet, -1,
                    {If(Bin(Op::kEq, tbool, FieldE(tseq, 0), VarE(tseq, expect)),
                        {Assign(expect, Bin(Op::kAdd, tseq, VarE(tseq, expect), Const(tint, 1)))}),
                     Send(rnet, {VarE(tseq, expect), Const(tbool, 1), Const(tlen, 0)})});

    const int s = b.AddSystem("pair");
    b.AddInstance(s, "tx", snd);
    b.AddInstance(s, "rx", rcv);
    Queue& q1 = b.AddQueue(s, "tx.net->rx.net", {0}, snet, 1, rnet, seg, 2);
    q1.lossy = true;
    q1.loss_budget = 2;
    Queue& q2 = b.AddQueue(s, "rx.net->tx.net", {1}, rnet, 0, snet, seg, 2);
    q2.lossy = true;
    q2.loss_budget = 1;
    Environment& env = b.sys(s).environment;
    env.unrestricted = false;
    CallEntry e;
    e.targets = {CallEntry::Target{0, open, {}}};
    e.bound = 2;
    env.entries.push_back(e);
    e.targets = {CallEntry::Target{0, close, {}}};
    e.bound = 1;
    env.entries.push_back(e);
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
};

__attribute__((noinline)) size_t SuccessorsOfAll(const TransitionSystem& ts, const std::vector<Slots>& states) {
  size_t n = 0;
  for (const Slots& s : states) ts.successors(s, [&](const Successor&) { ++n; });
  return n;
}

TEST(Bench, SuccessorsPerSecond) {
  Window w;
  const TransitionSystem& ts = *w.ts;
  const Layout& l = ts.layout();

  // Reachable states (BFS), kept packed.
  std::unordered_set<Packed, PackedHash> seen;
  std::vector<Packed> order;
  Packed p;
  l.pack(ts.initial_state(), p);
  seen.insert(p);
  order.push_back(p);
  size_t errors = 0;
  Slots cur;
  Packed q;
  for (size_t k = 0; k < order.size(); ++k) {
    l.unpack(order[k].data(), cur);
    ts.successors(cur, [&](const Successor& x) {
      if (x.error) {
        ++errors;
        return;
      }
      l.pack(x.state, q);
      if (seen.insert(q).second) order.push_back(q);
    });
  }
  ASSERT_GT(order.size(), 1000u);

  // Time successors() over every reachable state, repeatedly.
  std::vector<Slots> states(order.size());
  for (size_t k = 0; k < order.size(); ++k) l.unpack(order[k].data(), states[k]);
  size_t succs = 0;
  const double t0 = CpuSeconds();
  int rounds = 0;
  double secs = 0;
  do {
    succs += SuccessorsOfAll(ts, states);
    ++rounds;
    secs = CpuSeconds() - t0;
  } while (secs < 0.3);
  const double rate = static_cast<double>(succs) / secs;

  // Checker-like inner loop: unpack, successors, pack each successor.
  size_t packed = 0;
  const double t1 = CpuSeconds();
  int rounds2 = 0;
  double secs2 = 0;
  do {
    for (const Packed& s : order) {
      l.unpack(s.data(), cur);
      ts.successors(cur, [&](const Successor& x) {
        l.pack(x.state, q);
        packed += q[0];
      });
    }
    ++rounds2;
    secs2 = CpuSeconds() - t1;
  } while (secs2 < 0.3);

  // Four threads on disjoint slices: thread safety (same successors as one thread).
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t k = static_cast<size_t>(t); k < states.size(); k += 4) {
        ts.successors(states[k], [&](const Successor&) { ++counts[static_cast<size_t>(t)]; });
      }
    });
  }
  for (auto& th : threads) th.join();
  size_t total = 0;
  for (size_t c : counts) total += c;
  EXPECT_EQ(total * static_cast<size_t>(rounds), succs);

  std::printf("[bench] %zu states (%d bytes packed, %zu slots), %zu error successors\n", order.size(), l.bytes(),
              l.slots.size(), errors);
  std::printf("[bench] successors(): %.2fM successors/s (%.2fM states/s), %d rounds\n", rate / 1e6,
              static_cast<double>(states.size()) * rounds / secs / 1e6, rounds);
  std::printf("[bench] unpack+successors+pack: %.2fM states/s\n", static_cast<double>(order.size()) * rounds2 / secs2 / 1e6);
  EXPECT_GT(rate, 1e4);
  EXPECT_NE(packed, 1u);
}

}  // namespace
}  // namespace sp::ir
