// Byte-exact outputs of the .spt, packetdrill and pcap writers for fixed specs and
// seeds (tests/gen/golden/). Regenerate with STATEPROOF_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "compiler/sema/compile.hpp"
#include "gen/generate.hpp"
#include "gen/packetdrill_writer.hpp"
#include "gen/spt_writer.hpp"

namespace sp::gen {
namespace {

const char* const kHandshake = R"(protocol hs "golden"
type Flags = set<enum { FIN, SYN, RST, PSH, ACK, URG }>
type Seq = seq<32>
message Seg wire tcp { flags: Flags, seq: Seq, ack: Seq }
role Srv {
  port net: Seg
  calls listen, close
  states CLOSED, LISTEN, SYN_RCVD, ESTABLISHED
  initial CLOSED
  var iss: Seq
  var snd_nxt, rcv_nxt: Seq
  var n: int[0..1] = 0
  timer rtx = 1s backoff 2
  open: from CLOSED on call listen -> LISTEN cite "RFC 9293 §3.10.1"
  syn: from LISTEN on recv net(s) if s.flags == {SYN} -> SYN_RCVD cite "RFC 9293 §3.10.7.2" {
    rcv_nxt = s.seq + 1
    snd_nxt = iss + 1
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    start rtx
  }
  resend: from SYN_RCVD on timeout rtx if n < 1 -> same cite "RFC 9293 §3.10.8" {
    n = n + 1
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    start rtx
  }
  ack: from SYN_RCVD on recv net(s) if ACK in s.flags && s.ack == snd_nxt && s.seq - rcv_nxt < 2
      -> ESTABLISHED cite "RFC 9293 §3.10.7.4" { stop rtx }
  fin: from ESTABLISHED on call close -> CLOSED cite "RFC 9293 §3.10.4" {
    send net { flags = {FIN, ACK}, seq = snd_nxt, ack = rcv_nxt }
  }
  // Two from-states: transition coverage tests it from each (rst, rst.established).
  rst: from { SYN_RCVD, ESTABLISHED } on recv net(s) if RST in s.flags && s.seq == rcv_nxt
      -> CLOSED cite "RFC 9293 §3.10.7.4"
}
)";

const char* const kArp = R"(protocol a "golden arp"
message Arp wire arp { op: enum { REQUEST = 1, REPLY = 2 }, sha: mac, spa: ip4, tha: mac, tpa: ip4 }
role Host {
  port eth: Arp
  states UP
  initial UP
  var my_ip: ip4
  var my_mac: mac
  answer: from UP on recv eth(p) if p.op == REQUEST && p.tpa == my_ip -> same
      cite "RFC 826 \"Packet Reception\"" {
    send eth { op = REPLY, sha = my_mac, spa = my_ip, tha = p.sha, tpa = p.spa }
  }
}
)";

std::string Dir() { return std::string(STATEPROOF_SOURCE_DIR) + "/tests/gen/golden/"; }

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream b;
  b << f.rdbuf();
  return b.str();
}

void Golden(const std::string& name, const std::string& actual) {
  const std::string path = Dir() + name;
  if (std::getenv("STATEPROOF_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(Read(path), actual) << "golden file " << path
                                << " differs (STATEPROOF_UPDATE_GOLDEN=1 rewrites it)";
}

GenResult Gen(const char* text, const std::string& role, Coverage c, uint64_t seed,
              ir::Model* model) {
  SourceFile file{"golden.sp", text};
  Diagnostics diags(file);
  CompileOptions o;
  o.warnings = false;
  EXPECT_TRUE(compile_spec(diags, o, *model)) << diags.format_all();
  GenOptions g;
  g.role = role;
  g.coverage = c;
  g.seed = seed;
  GenResult r;
  std::string error;
  EXPECT_TRUE(generate(*model, g, &r, &error)) << error;
  return r;
}

TEST(GenGolden, HandshakeSuite) {
  for (uint64_t seed : {0, 42}) {
    ir::Model m;
    GenResult r = Gen(kHandshake, "Srv", Coverage::kBoundary, seed, &m);
    const std::string tag = "hs_seed" + std::to_string(seed) + "_";
    std::string all;
    for (const TestCase& t : r.tests) all += to_spt(t) + "\n";
    Golden(tag + "suite.spt", all);
    Golden(tag + "coverage.txt", r.report());
    auto dir = std::filesystem::temp_directory_path() / ("gen_golden_" + std::to_string(seed));
    std::filesystem::remove_all(dir);
    GenOptions o;
    o.role = "Srv";
    o.pcap = true;
    o.packetdrill = true;
    std::string error;
    ASSERT_TRUE(write_suite(m, r, o, dir.string(), &error)) << error;
    for (const char* t : {"ack", "resend"}) {
      Golden(tag + t + ".pkt", Read((dir / (std::string(t) + ".pkt")).string()));
      Golden(tag + t + ".pcap", Read((dir / (std::string(t) + ".pcap")).string()));
    }
  }
}

// A seed randomizes values only in an anchored sequence space (docs/test-format.md): the
// tester's first segment (its SYN) is at its ISN, and an `ack` injected before the IUT's
// first SYN is 0 (the harness counts the unknown ISN as 0). An early seed-42 golden
// file had `inject flags=S seq=4290527300 ack=56765515` in LISTEN: a SYN away from the
// tester's ISN and an ack that is absolute in effect.
TEST(GenGolden, SeedKeepsValuesRelativeToIsns) {
  for (uint64_t seed : {0, 42, 7}) {
    ir::Model m;
    GenResult r = Gen(kHandshake, "Srv", Coverage::kBoundary, seed, &m);
    int syns = 0;
    for (const TestCase& t : r.tests) {
      bool iut_syn = false, first = true;
      for (const Event& e : t.events) {
        std::map<std::string, std::string> f(e.fields.begin(), e.fields.end());
        if (e.kind == Event::Kind::kExpect && f["flags"].find('S') != std::string::npos) {
          iut_syn = true;
        }
        if (e.kind != Event::Kind::kInject) continue;
        if (!iut_syn) {
          EXPECT_EQ(f["ack"], "0") << t.name << " seed " << seed << "\n" << to_spt(t);
        }
        if (first && f["flags"] == "S") {
          EXPECT_EQ(f["seq"], "0") << t.name << " seed " << seed << "\n" << to_spt(t);
          ++syns;
        }
        first = false;
      }
    }
    EXPECT_GT(syns, 5) << "seed " << seed;
  }
}

TEST(GenGolden, ArpReply) {
  ir::Model m;
  GenResult r = Gen(kArp, "Host", Coverage::kTransition, 0, &m);
  ASSERT_EQ(r.tests.size(), 1u);
  Golden("arp_answer.spt", to_spt(r.tests[0]));
  auto dir = std::filesystem::temp_directory_path() / "gen_golden_arp";
  std::filesystem::remove_all(dir);
  GenOptions o;
  o.role = "Host";
  o.pcap = true;
  std::string error;
  ASSERT_TRUE(write_suite(m, r, o, dir.string(), &error)) << error;
  Golden("arp_answer.pcap", Read((dir / "answer.pcap").string()));
}

}  // namespace
}  // namespace sp::gen
