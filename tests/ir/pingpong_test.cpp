// A two-instance ping-pong over a lossy-1 fifo channel: successor counts, labels, the
// exact number of reachable states, and reproducible successor order.
//
//   client: IDLE --internal ping / send, start rtx--> WAIT
//           WAIT --timeout rtx / send, start rtx--> WAIT
//           WAIT --recv pong / stop rtx--> DONE
//   server: READY --recv / send back--> READY
//   client.net->server.net capacity 1 lossy 1; server.net->client.net capacity 1
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

struct PingPong {
  ModelBuilder b;
  TypeId tn;
  int client_role, server_role;
  std::unique_ptr<TransitionSystem> ts;

  PingPong() {
    tn = b.Int(0, 3);
    const int ping = b.AddMessage("Ping", {{"n", tn}});
    client_role = b.AddRole("Client", {"IDLE", "WAIT", "DONE"});
    const int cnet = b.AddPort(client_role, "net", ping);
    const int rtx = b.AddTimer(client_role, "rtx");
    b.AddTransition(client_role, "ping", {0}, EventKind::kInternal, -1, 1,
                    {Send(cnet, {Const(tn, 0)}, 10), Start(rtx)});
    b.AddTransition(client_role, "resend", {1}, EventKind::kTimeout, rtx, -1,
                    {Send(cnet, {Const(tn, 0)}, 11), Start(rtx)});
    b.AddTransition(client_role, "pong", {1}, EventKind::kRecv, cnet, 2, {Stop(rtx)}).cite = "RFC 0 §1";
    server_role = b.AddRole("Server", {"READY"});
    const int snet = b.AddPort(server_role, "net", ping);
    b.AddTransition(server_role, "echo", {0}, EventKind::kRecv, snet, -1, {Send(snet, {FieldE(tn, 0)}, 20)});
    const int s = b.AddSystem("pair");
    b.AddInstance(s, "client", client_role);
    b.AddInstance(s, "server", server_role);
    Queue& c2s = b.AddQueue(s, "client.net->server.net", {0}, cnet, 1, snet, ping, 1);
    c2s.lossy = true;
    c2s.loss_budget = 1;
    b.AddQueue(s, "server.net->client.net", {1}, snet, 0, cnet, ping, 1);
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
};

TEST(PingPong, InitialSuccessors) {
  PingPong p;
  const Slots init = p.ts->initial_state();
  const auto succ = Succs(*p.ts, init);
  ASSERT_EQ(succ.size(), 2u);
  EXPECT_EQ(p.ts->describe_label(succ[0].label),
            "client: ping [IDLE -> WAIT] send Ping{n=0} to client.net->server.net");
  EXPECT_EQ(p.ts->describe_label(succ[1].label),
            "client: ping [IDLE -> WAIT] send Ping{n=0} to client.net->server.net LOST");
  for (const auto& s : succ) {
    EXPECT_TRUE(s.error.empty());
    EXPECT_EQ(s.label.instance, 0);
    EXPECT_EQ(s.label.transition, 0);
    EXPECT_EQ(s.label.from_state, 0);
    ASSERT_EQ(s.label.sends.size(), 1u);
    EXPECT_EQ(s.label.sends[0].queue, 0);
    EXPECT_EQ(s.label.sends[0].fields, std::vector<int64_t>{0});
    EXPECT_FALSE(s.label.sends[0].duplicated);
    EXPECT_EQ(p.ts->control_state(s.state, 0), 1);
  }
  EXPECT_FALSE(succ[0].label.sends[0].lost);
  EXPECT_TRUE(succ[1].label.sends[0].lost);
  const Layout& l = p.ts->layout();
  EXPECT_EQ(succ[0].state[static_cast<size_t>(l.queues[0].len)], 1);
  EXPECT_EQ(succ[0].state[static_cast<size_t>(l.queues[0].loss_budget)], 1);
  EXPECT_EQ(succ[1].state[static_cast<size_t>(l.queues[0].len)], 0);
  EXPECT_EQ(succ[1].state[static_cast<size_t>(l.queues[0].loss_budget)], 0);
  EXPECT_EQ(succ[0].state[static_cast<size_t>(l.instances[0].timers[0])], 1);
}

TEST(PingPong, SecondStep) {
  PingPong p;
  // (WAIT, rtx armed, ping in flight, budget 1): resend overflows or is lost; echo.
  const Slots s1 = Succs(*p.ts, p.ts->initial_state())[0].state;
  const auto succ = Succs(*p.ts, s1);
  ASSERT_EQ(succ.size(), 3u);
  EXPECT_EQ(succ[0].error, "channel client.net->server.net overflows (capacity 1)");
  EXPECT_EQ(p.ts->describe_label(succ[0].label),
            "client: resend [WAIT -> WAIT] timeout rtx; send Ping{n=0} to client.net->server.net");
  EXPECT_EQ(p.ts->describe_label(succ[1].label),
            "client: resend [WAIT -> WAIT] timeout rtx; send Ping{n=0} to client.net->server.net LOST");
  EXPECT_TRUE(succ[1].error.empty());
  EXPECT_EQ(p.ts->describe_label(succ[2].label),
            "server: echo [READY -> READY] recv Ping{n=0} from client.net->server.net; "
            "send Ping{n=0} to server.net->client.net");
  EXPECT_EQ(succ[2].label.recv_queue, 0);
  EXPECT_EQ(succ[2].label.received, std::vector<int64_t>{0});

  // Then the pong: the transition's cite appears in the label.
  const auto third = Succs(*p.ts, succ[2].state);
  bool saw_pong = false;
  for (const auto& s : third) {
    if (s.label.instance == 0 && s.label.transition == 2) {
      saw_pong = true;
      EXPECT_EQ(p.ts->describe_label(s.label),
                "client: pong [WAIT -> DONE] (RFC 0 §1) recv Ping{n=0} from server.net->client.net");
      EXPECT_EQ(s.state[static_cast<size_t>(p.ts->layout().instances[0].timers[0])], 0);
    }
  }
  EXPECT_TRUE(saw_pong);
}

TEST(PingPong, ErrorCarriesSendLine) {
  PingPong p;
  const Slots s1 = Succs(*p.ts, p.ts->initial_state())[0].state;
  bool found = false;
  p.ts->successors(s1, [&](const Successor& s) {
    if (s.error) {
      found = true;
      EXPECT_EQ(s.error->line, 11);
    }
  });
  EXPECT_TRUE(found);
}

// Hand count (c = client state, r = rtx, q1 = client->server length, b = loss budget,
// q2 = server->client length):
//   S0 (IDLE,0,0,1,0) -> S1 (WAIT,1,1,1,0), S2 (WAIT,1,0,0,0)
//   S1 -> err, S3 (WAIT,1,1,0,0), S4 (WAIT,1,0,1,1)       S2 -> S3
//   S3 -> err, S5 (WAIT,1,0,0,1)
//   S4 -> S6 (WAIT,1,1,1,1), S5, S7 (DONE,0,0,1,0)
//   S5 -> S8 (WAIT,1,1,0,1), S9 (DONE,0,0,0,0)
//   S6 -> err, S8, S10 (DONE,0,1,1,0), err (echo into a full reply channel)
//   S8 -> err, S11 (DONE,0,1,0,0), err                   S10 -> S12 (DONE,0,0,1,1)
//   S11 -> S13 (DONE,0,0,0,1)                            S7, S9, S12, S13: none
// 14 states, 16 non-error successors, 6 error successors.
TEST(PingPong, ReachableStates) {
  PingPong p;
  const Reach r = Bfs(*p.ts);
  EXPECT_EQ(r.states, 14u);
  EXPECT_EQ(r.edges, 16u);
  EXPECT_EQ(r.errors, 6u);
}

TEST(PingPong, DeterministicOrder) {
  PingPong p;
  const Reach r = Bfs(*p.ts);
  Slots s;
  for (const Packed& packed : r.seen) {
    p.ts->layout().unpack(packed.data(), s);
    const auto a = Succs(*p.ts, s);
    const auto b = Succs(*p.ts, s);
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(p.ts->describe_label(a[k].label), p.ts->describe_label(b[k].label));
      EXPECT_EQ(a[k].state, b[k].state);
      if (k > 0) {  // instance-major, then transition
        const auto prev = std::make_pair(a[k - 1].label.instance, a[k - 1].label.transition);
        const auto cur = std::make_pair(a[k].label.instance, a[k].label.transition);
        EXPECT_LE(prev, cur);
      }
    }
    // successors_of over all groups yields the same sequence.
    std::vector<std::string> grouped;
    for (int i = 0; i < 2; ++i) {
      const int nt = static_cast<int>(p.b.m.roles[static_cast<size_t>(p.b.sys().instances[static_cast<size_t>(i)].role)]
                                          .transitions.size());
      for (int t = 0; t < nt; ++t) {
        p.ts->successors_of(s, i, t, [&](const Successor& x) { grouped.push_back(p.ts->describe_label(x.label)); });
      }
    }
    ASSERT_EQ(grouped.size(), a.size());
    for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(grouped[k], p.ts->describe_label(a[k].label));
    // So does successors_of_instance, one instance after the other (the partial-order
    // reduction numbers successors this way).
    std::vector<std::string> by_instance;
    std::vector<Slots> states;
    for (int i = 0; i < 2; ++i) {
      p.ts->successors_of_instance(s, i, [&](const Successor& x) {
        by_instance.push_back(p.ts->describe_label(x.label));
        states.push_back(x.state);
      });
    }
    ASSERT_EQ(by_instance.size(), a.size());
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(by_instance[k], p.ts->describe_label(a[k].label));
      EXPECT_EQ(states[k], a[k].state);
    }
  }
}

TEST(PingPong, NestedSuccessorCallsKeepTheirScratch) {
  PingPong p;
  const Slots init = p.ts->initial_state();
  std::vector<std::string> outer;
  size_t inner_total = 0;
  p.ts->successors(init, [&](const Successor& s) {
    const std::string before = p.ts->describe_label(s.label);
    p.ts->successors(s.state, [&](const Successor&) { ++inner_total; });
    EXPECT_EQ(p.ts->describe_label(s.label), before);
    outer.push_back(before);
  });
  EXPECT_EQ(outer.size(), 2u);
  EXPECT_EQ(inner_total, 4u);  // S1: 3, S2: 1
}

TEST(PingPong, DescribeState) {
  PingPong p;
  const Slots s1 = Succs(*p.ts, p.ts->initial_state())[0].state;
  EXPECT_EQ(p.ts->describe_state(s1),
            "client: WAIT rtx armed\n"
            "server: READY\n"
            "client.net->server.net: [Ping{n=0}] loss budget 1\n");
}

}  // namespace
}  // namespace sp::ir
