// The shipped specs: every one compiles cleanly, and the IR of spec/tcp.sp has the
// facts the product promises (RFC 9293's 11 states, the named transitions, cites).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/ir/system.hpp"
#include "compiler/sema/compile.hpp"

namespace sp {
namespace {

namespace fs = std::filesystem;

struct Loaded {
  bool ok = false;
  std::string messages;
  ir::Model model;
};

Loaded load(const fs::path& path, CompileOptions options = {}) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  SourceFile file{path.string(), buf.str()};
  Diagnostics diags(file);
  Loaded l;
  l.ok = compile_spec(diags, options, l.model);
  l.messages = diags.format_all();
  return l;
}

std::vector<fs::path> shipped_specs() {
  std::vector<fs::path> out;
  fs::path root = fs::path(STATEPROOF_SOURCE_DIR) / "spec";
  for (const auto& dir : {root, root / "variants"}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".sp") out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShippedSpecs, AllCompileWithoutErrors) {
  std::vector<fs::path> specs = shipped_specs();
  ASSERT_GE(specs.size(), 6u);  // tcp, arp and at least four variants
  for (const fs::path& p : specs) {
    Loaded l = load(p);
    EXPECT_TRUE(l.ok) << p << "\n" << l.messages;
    // The correct specs are also warning-free; a variant's bug may show as a warning
    // (arp_no_give_up never reaches FAILED).
    if (p.parent_path().filename() != "variants") {
      EXPECT_EQ(l.messages, "") << p;
    }
  }
}

TEST(ShippedSpecs, EveryTransitionCitesItsRfcSection) {
  const std::regex cite(R"(^RFC [0-9]+ (§[0-9.]+|"[^"]+")( .*)?$)");
  for (const fs::path& p : shipped_specs()) {
    Loaded l = load(p);
    ASSERT_TRUE(l.ok) << p;
    for (const ir::Role& r : l.model.roles) {
      for (const ir::Transition& t : r.transitions) {
        EXPECT_FALSE(t.generated_name) << p << ": " << t.name << " has no name";
        EXPECT_TRUE(std::regex_match(t.cite, cite)) << p << ": " << t.name << " cites '" << t.cite << "'";
      }
    }
  }
}

TEST(TcpSpec, IrFacts) {
  Loaded l = load(fs::path(STATEPROOF_SOURCE_DIR) / "spec/tcp.sp");
  ASSERT_TRUE(l.ok) << l.messages;
  const ir::Model& m = l.model;
  int role = m.find_role("Endpoint");
  ASSERT_GE(role, 0);
  const ir::Role& r = m.roles[role];
  const std::vector<std::string> states = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD",
                                           "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
                                           "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};
  EXPECT_EQ(r.states, states);
  EXPECT_EQ(r.states[r.initial], "CLOSED");
  std::set<std::string> names;
  for (const ir::Transition& t : r.transitions) names.insert(t.name);
  // Opens, the SEGMENT ARRIVES rules, closes, retransmission, RST and TIME-WAIT.
  for (const char* n : {"passive_open", "active_open", "rcv_syn_listen", "rcv_synack_syn_sent",
                        "rcv_syn_syn_sent", "rcv_ack_syn_rcvd", "rcv_rst_syn_rcvd_passive",
                        "rcv_rst_challenge", "rcv_syn_challenge", "rcv_fin_established",
                        "rcv_fin_fin_wait_1", "rcv_fin_fin_wait_2", "rcv_ack_of_fin_closing",
                        "rcv_ack_of_fin_last_ack", "close_established", "close_close_wait",
                        "rtx_syn", "rtx_syn_ack", "rtx_fin", "user_timeout",
                        "time_wait_expired", "abort_synchronized"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  EXPECT_EQ(r.transitions.size(), names.size());  // names are unique
  int pair = m.find_system("pair");
  ASSERT_GE(pair, 0);
  ir::Layout layout = ir::build_layout(m, pair);
  EXPECT_EQ(layout.total_bits, 394);
  EXPECT_EQ(layout.bytes(), 50);
  for (const char* p : {"time_wait_only_on_active_closer", "no_deadlock", "close_completes",
                        "seq_consistent"}) {
    EXPECT_GE(m.find_property(p), 0) << p;
  }
  EXPECT_EQ(m.properties[m.find_property("close_completes")].kind, ir::PropertyKind::kLtl);
  EXPECT_EQ(m.properties[m.find_property("no_deadlock")].kind, ir::PropertyKind::kDeadlock);
}

TEST(TcpSpec, SeqBitsWidensEverySequenceSlot) {
  CompileOptions wide;
  wide.seq_bits = 32;
  Loaded narrow = load(fs::path(STATEPROOF_SOURCE_DIR) / "spec/tcp.sp");
  Loaded l = load(fs::path(STATEPROOF_SOURCE_DIR) / "spec/tcp.sp", wide);
  ASSERT_TRUE(l.ok && narrow.ok);
  int pair = l.model.find_system("pair");
  // Each endpoint stores iss? snd_una, snd_nxt, rcv_nxt; each queued segment seq and ack.
  EXPECT_GT(ir::build_layout(l.model, pair).total_bits,
            ir::build_layout(narrow.model, pair).total_bits + 6 * 29);
}

TEST(ArpSpec, IrFacts) {
  Loaded l = load(fs::path(STATEPROOF_SOURCE_DIR) / "spec/arp.sp");
  ASSERT_TRUE(l.ok) << l.messages;
  int lan = l.model.find_system("lan");
  ASSERT_GE(lan, 0);
  const ir::System& s = l.model.systems[lan];
  EXPECT_EQ(s.instances.size(), 3u);
  EXPECT_EQ(s.queues.size(), 3u);  // one receive queue per host on the broadcast segment
  for (const ir::Queue& q : s.queues) EXPECT_EQ(q.senders.size(), 2u);
  EXPECT_EQ(l.model.messages[s.queues[0].message].wire, "arp");
}

}  // namespace
}  // namespace sp
