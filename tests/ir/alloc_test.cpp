// successors() and eval() allocate nothing in steady state (after a warm-up call has
// sized the per-thread scratch space). Counts operator new calls on this thread.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <new>

#include "tests/ir/builder.hpp"

namespace {
thread_local bool t_counting = false;
thread_local size_t t_allocations = 0;
}  // namespace

void* operator new(size_t n) {
  if (t_counting) ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// Two hosts learning (key, value) pairs from calls and from each other over lossy bags.
struct Gossip {
  ModelBuilder b;
  TypeId tbool, tk;
  int host, cache;
  std::unique_ptr<TransitionSystem> ts;
  Gossip() {
    tbool = b.Bool();
    tk = b.Int(0, 3);
    const TypeId tmap = b.Map(tk, tk, 4);
    const int msg = b.AddMessage("Learn", {{"k", tk}, {"v", tk}});
    host = b.AddRole("Host", {"IDLE", "BUSY"});
    const int eth = b.AddPort(host, "eth", msg);
    const int learn = b.AddCall(host, "learn", {{"k", tk}, {"v", tk}});
    const int forget = b.AddCall(host, "forget", {{"k", tk}});
    const int t = b.AddTimer(host, "t");
    cache = b.AddVar(host, "cache", tmap);
    b.AddTransition(host, "learn", {}, EventKind::kCall, learn, -1,
                    {Put(cache, ArgE(tk, 0), ArgE(tk, 1)), Send(eth, {ArgE(tk, 0), ArgE(tk, 1)})});
    b.AddTransition(host, "hear", {}, EventKind::kRecv, eth, -1, {Put(cache, FieldE(tk, 0), FieldE(tk, 1))})
        .guard = Node(Op::kNot, tbool, {MapHas(tbool, cache, FieldE(tk, 0))});
    b.AddTransition(host, "forget", {}, EventKind::kCall, forget, -1, {Remove(cache, ArgE(tk, 0))});
    b.AddTransition(host, "tick", {0}, EventKind::kInternal, -1, 1, {Start(t)});
    b.AddTransition(host, "tock", {1}, EventKind::kTimeout, t, 0,
                    {If(MapHas(tbool, cache, Const(tk, 1)), {Assert(Bin(Op::kGe, tbool, MapGet(tk, cache, Const(tk, 1)),
                                                                         Const(tk, 0)),
                                                                     "cache[1] >= 0")})});
    const int s = b.AddSystem("pair");
    b.AddInstance(s, "a", host);
    b.AddInstance(s, "b", host);
    Queue& ab = b.AddQueue(s, "a.eth->b.eth", {0}, eth, 1, eth, msg, 2);
    ab.bag = true;
    ab.lossy = true;
    Queue& ba = b.AddQueue(s, "b.eth->a.eth", {1}, eth, 0, eth, msg, 2);
    ba.lossy = true;
    ba.loss_budget = 1;
    Environment& env = b.sys(s).environment;
    env.unrestricted = false;
    CallEntry e;
    e.targets = {CallEntry::Target{0, learn, {std::nullopt, std::nullopt}}};
    e.bound = 2;
    env.entries.push_back(e);
    e.targets = {CallEntry::Target{1, learn, {2, std::nullopt}}, CallEntry::Target{1, forget, {}}};
    e.bound = 1;
    env.entries.push_back(e);
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
};

TEST(Allocation, SteadyStateSuccessorsAndEvalAllocateNothing) {
  Gossip g;
  const Reach r = Bfs(*g.ts);
  EXPECT_GT(r.states, 100u);
  EXPECT_EQ(r.errors, 0u);

  std::vector<Slots> states;
  Slots s;
  for (const Packed& p : r.seen) {
    g.ts->layout().unpack(p.data(), s);
    states.push_back(s);
  }
  // A property over both instances' maps and control states.
  const Expr property = Bin(Op::kImplies, g.tbool, MapHas(g.tbool, g.cache, Const(g.tk, 2), 0),
                            Bin(Op::kOr, g.tbool, MapHas(g.tbool, g.cache, Const(g.tk, 2), 1),
                                Bin(Op::kEq, g.tbool, InstState(1), Const(-1, 0))));
  size_t count = 0;
  Packed packed;
  Slots unpacked;
  // Made once: a std::function holding a lambda with several captures allocates.
  const std::function<void(const Successor&)> out = [&](const Successor& x) {
    ++count;
    g.ts->layout().pack(x.state, packed);
    g.ts->layout().unpack(packed.data(), unpacked);
  };
  auto pass = [&] {
    for (const Slots& st : states) {
      g.ts->successors(st, out);
      count += static_cast<size_t>(g.ts->eval(st, property).value_or(0));
    }
  };
  pass();  // warm-up: scratch buffers reach their sizes
  t_allocations = 0;
  t_counting = true;
  pass();
  t_counting = false;
  EXPECT_EQ(t_allocations, 0u);
  EXPECT_GT(count, 0u);
}

}  // namespace
}  // namespace sp::ir
