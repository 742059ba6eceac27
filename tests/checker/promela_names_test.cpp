// Names in the Promela export (compiler/ir/promela_names.hpp, NameTable): a spec whose names
// clash in Promela in every way found — a message field named like an instance (SPIN's
// lexer reads a proctype's name as a keyword-like token anywhere), like an enum item (the
// item is a #define) or like a Promela or C keyword (typedef members are C struct members
// in pan.c); a message named like one of pan.c's own types; a variable whose name is a
// queue's or a map's derived name (`to_X_inp_len`, `put_X_m`); an instance named like a
// Promela keyword, like pan.c's struct of another process (`P1`) or its macro (`Pput`); a
// field named like a pan.c macro (`max`); a property named like an instance, whose atoms would be named like a
// variable. The export must rename, SPIN must accept it (safety and LTL builds, and gcc
// compile pan.c), and SPIN must count exactly stateproof's states with the same verdicts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

const char* kClashes = R"(
protocol clash "names that clash in Promela"

message State {
  receiver: int[0..1]
  od: int[0..1]
  int: int[0..3]
  switch: bool
  ACK: bool
  kind: enum { DATA, ACK }
  max: bool
}

role Sender {
  port out: State
  states S, DONE
  initial S
  var p0: int[0..2] = 0
  var receiver_m: bool = false
  go: from S on internal -> DONE {
    send out { receiver = 1, od = 0, int = 2, switch = true, ACK = false, kind = DATA, max = true }
  }
  again: from DONE on internal if p0 < 1 -> S { p0 = p0 + 1 }
}

role Receiver {
  port inp: State
  states R, GOT
  initial R
  var last: int[0..3] = 0
  var receiver_inp_len: int[0..3] = 0
  var m: map<int[0..3], bool> capacity 2
  got: from any on recv inp(x) if x.receiver == 1 && x.kind == DATA && x.switch && !x.ACK -> GOT {
    last = x.int
    m[x.int] = x.switch
    receiver_inp_len = 1
  }
}

system sys {
  instance receiver: Receiver
  instance ends: Sender
  instance od: Receiver
  instance to: Receiver
  instance put: Sender
  instance Pput: Receiver
  instance P1: Receiver
  channel ends.out -> receiver.inp capacity 4 lossy 1 dup 1
  channel put.out -> od.inp capacity 3 bag
}

property got_two in sys: always (receiver in GOT -> receiver.last == 2)
property ends in sys: always (ends in DONE -> eventually receiver in GOT)
property receiver in sys: always (put in DONE -> eventually od in GOT) under weak fair put, weak fair od
property no_deadlock in sys: deadlock free
)";

TEST(PromelaNames, ClashingNamesAreRenamed) {
  const ir::Model m = testing::Compile(kClashes);
  std::string error;
  const std::optional<ir::PromelaModel> p = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(p) << error;
  const std::string& t = p->text;
  for (const char* snippet : {
           // Fields renamed away from the instance `receiver`, the keyword `od`, the Promela
           // type `int`, the C keyword `switch`, the enum item ACK; the typedef away from
           // pan.c's `State`.
           "typedef State_2 { bit receiver_2; bit od_3; byte int_2; bit switch_2; bit ACK_2; bit kind; bit max_2; }",
           "active proctype od_2() {",  // the instance named like a keyword
           // pan.h defines P<proctype> for each process and has structs P0, P1, ...
           "active proctype Pput_2() {",
           "active proctype P1_2() {",
           // to.receiver_inp_len keeps its name; the queue towards `receiver` moves aside.
           "byte to_receiver_inp_len = 0;",
           "byte to_receiver_inp_2_len = 0;",
           "inline recv_to_receiver_inp_2(pos)",
           // receiver.m's inlines claimed put_receiver_m first; put.receiver_m moves aside.
           "inline put_receiver_m()",
           "#define put_receiver_m_2 0",
           // LTL claims named like instances, their atoms like variables.
           "ltl ends_2 {",
           "ltl receiver_3 {",
       }) {
    EXPECT_NE(t.find(snippet), std::string::npos) << "missing: " << snippet << "\n" << t;
  }
}

TEST(PromelaNames, SpinAcceptsAndAgrees) {
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) {
    GTEST_SKIP() << "needs spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  }
  const ir::Model m = testing::Compile(kClashes);
  std::string error;
  const std::optional<ir::PromelaModel> p = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(p) << error;
  const testing::PanDir pan_dir("promela_names", p->text);
  ASSERT_FALSE(pan_dir.path().empty());
  const std::string& dir = pan_dir.path();
  std::string log;
  ASSERT_TRUE(testing::BuildPan(dir, "-DLIVENESS", "-O0 -DNOREDUCE", &log)) << log;
  ASSERT_TRUE(testing::BuildPan(dir, "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log;
  const testing::PanRun r = testing::RunPan(dir, "-c0 -m100000 -w20");
  ASSERT_TRUE(r.ok) << r.output;

  ir::TransitionSystem ts(m, 0);
  const Result ours = check_safety(ts, testing::PropertiesOf(m, 0), testing::Bfs());
  ASSERT_TRUE(ours.complete);
  EXPECT_EQ(r.states, ours.stats.states) << r.output;
  // The only violation, on both sides: the deadlock once every message is taken.
  const Outcome* deadlock = testing::Find(ours, "no_deadlock");
  ASSERT_NE(deadlock, nullptr);
  EXPECT_EQ(deadlock->verdict, Verdict::kViolated);
  EXPECT_EQ(r.messages, (std::set<std::string>{"assertion violated prop_no_deadlock"})) << r.output;
}

}  // namespace
}  // namespace sp::checker
