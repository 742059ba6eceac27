// format_value, message_text, Model look-ups.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

TEST(FormatValue, EveryKind) {
  ModelBuilder b;
  const TypeId tbool = b.Bool();
  const TypeId tint = b.Int(-5, 5);
  const TypeId tflag = b.Enum("Flag", {"FIN", "SYN", "RST", "PSH", "ACK", "URG"});
  const TypeId tflags = b.Set("Flags", tflag);
  const TypeId tseq = b.Seq(3);
  const TypeId tmac = b.Mac();
  const TypeId tip = b.Ip4();
  Type dur;
  dur.kind = TypeKind::kDuration;
  const TypeId tdur = b.AddType(dur);
  b.m.macs.values = {0, 0x020000000001, 0xffffffffffff};
  b.m.ip4s.values = {0, 0xc0000201};
  const Model& m = b.m;
  EXPECT_EQ(format_value(m, tbool, 0), "false");
  EXPECT_EQ(format_value(m, tbool, 1), "true");
  EXPECT_EQ(format_value(m, tint, -3), "-3");
  EXPECT_EQ(format_value(m, tflag, 1), "SYN");
  EXPECT_EQ(format_value(m, tflag, 9), "9");
  EXPECT_EQ(format_value(m, tflags, 0b10010), "{SYN, ACK}");
  EXPECT_EQ(format_value(m, tflags, 0), "{}");
  EXPECT_EQ(format_value(m, tseq, 6), "6");
  EXPECT_EQ(format_value(m, tmac, 1), "02:00:00:00:00:01");
  EXPECT_EQ(format_value(m, tmac, 2), "ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(format_value(m, tmac, 0), "00:00:00:00:00:00");
  EXPECT_EQ(format_value(m, tip, 1), "192.0.2.1");
  EXPECT_EQ(format_value(m, tip, 7), "ip4#7");
  EXPECT_EQ(format_value(m, tdur, 500), "500ms");
  EXPECT_EQ(format_value(m, tdur, 60000), "1min");
  EXPECT_EQ(format_value(m, tdur, 2000), "2s");
  EXPECT_EQ(format_value(m, -1, 12), "12");
}

TEST(Model, FindByName) {
  ModelBuilder b;
  b.AddRole("Client", {"S"});
  b.AddRole("Server", {"S"});
  b.AddSystem("pair");
  Property p;
  p.name = "safe";
  b.m.properties.push_back(p);
  EXPECT_EQ(b.m.find_role("Server"), 1);
  EXPECT_EQ(b.m.find_role("Nope"), -1);
  EXPECT_EQ(b.m.find_system("pair"), 0);
  EXPECT_EQ(b.m.find_property("safe"), 0);
  EXPECT_EQ(b.m.find_property("unsafe"), -1);
}

TEST(Describe, MessageTextAndLabelWithoutFromState) {
  ModelBuilder b;
  const TypeId tflag = b.Enum("Flag", {"FIN", "SYN", "RST", "PSH", "ACK", "URG"});
  const TypeId tflags = b.Set("Flags", tflag);
  const TypeId tseq = b.Seq(3);
  const int seg = b.AddMessage("Segment", {{"flags", tflags}, {"seq", tseq}, {"ack", tseq}});
  const int r = b.AddRole("Endpoint", {"LISTEN", "SYN_RCVD", "CLOSED"});
  const int net = b.AddPort(r, "net", seg);
  Transition& t = b.AddTransition(r, "rcv_syn", {0, 2}, EventKind::kRecv, net, 1);
  t.cite = "RFC 9293 §3.10.7.2";
  b.AddSystem("one");
  b.AddInstance(0, "server", r);
  b.AddQueue(0, "client.net->server.net", {}, net, 0, net, seg, 1);
  TransitionSystem ts(b.m, 0);
  EXPECT_EQ(ts.message_text(seg, {0b10, 6, 0}), "Segment{flags={SYN}, seq=6, ack=0}");
  Label label;
  label.instance = 0;
  label.transition = 0;
  label.recv_queue = 0;
  label.received = {0b10, 6, 0};
  EXPECT_EQ(ts.describe_label(label),
            "server: rcv_syn [{LISTEN, CLOSED} -> SYN_RCVD] (RFC 9293 §3.10.7.2) recv "
            "Segment{flags={SYN}, seq=6, ack=0} from client.net->server.net");
  label.from_state = 0;
  EXPECT_EQ(ts.describe_label(label),
            "server: rcv_syn [LISTEN -> SYN_RCVD] (RFC 9293 §3.10.7.2) recv "
            "Segment{flags={SYN}, seq=6, ack=0} from client.net->server.net");
}

}  // namespace
}  // namespace sp::ir
