// The monitor (harness/monitor/) on captures written here: link layers and file formats,
// verdicts on clean exchanges, injected faults departing at the right segment, timers
// against the spec's intervals, a start mid-connection, what makes a side inconclusive,
// corrupt files, and --pcap-out.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "compiler/sema/compile.hpp"
#include "harness/monitor/capture.hpp"
#include "harness/monitor/monitor.hpp"
#include "harness/monitor/pcap_out.hpp"
#include "harness/monitor/role_system.hpp"
#include "harness/packet/decode.hpp"

namespace sp::monitor {
namespace {

namespace fs = std::filesystem;
using packet::kTcpAck;
using packet::kTcpFin;
using packet::kTcpPsh;
using packet::kTcpRst;
using packet::kTcpSyn;

constexpr uint16_t kSA = kTcpSyn | kTcpAck, kFA = kTcpFin | kTcpAck, kA = kTcpAck;

// One segment of a test capture: client 10.0.0.1:40000, server 10.0.0.2:80.
struct Seg {
  int64_t t_us;
  bool from_client;
  uint16_t flags;
  uint32_t seq, ack;
  uint16_t len = 0;
  uint16_t client_port = 40000;
};

enum class Link { kRaw, kEthernet, kSll, kSll2 };

std::vector<uint8_t> Frame(const Seg& s, Link link) {
  packet::Ipv4Header ip;
  const auto c = packet::Ipv4Address::from_octets(10, 0, 0, 1), v = packet::Ipv4Address::from_octets(10, 0, 0, 2);
  ip.src = s.from_client ? c : v;
  ip.dst = s.from_client ? v : c;
  ip.protocol = packet::kIpProtocolTcp;
  packet::TcpSegment t;
  t.header.src_port = s.from_client ? s.client_port : 80;
  t.header.dst_port = s.from_client ? 80 : s.client_port;
  t.header.flags = s.flags;
  t.header.seq = s.seq;
  t.header.ack = s.ack;
  t.header.window = 65535;
  t.payload.assign(s.len, 'x');
  std::vector<uint8_t> bytes = *packet::build_ipv4_tcp(ip, t);
  std::vector<uint8_t> head;
  switch (link) {
    case Link::kRaw: break;
    case Link::kEthernet: head = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00}; break;
    case Link::kSll: head = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00}; break;
    case Link::kSll2: head = {0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}; break;
  }
  head.insert(head.end(), bytes.begin(), bytes.end());
  return head;
}

uint32_t LinkType(Link l) {
  switch (l) {
    case Link::kRaw: return 101;
    case Link::kEthernet: return 1;
    case Link::kSll: return 113;
    case Link::kSll2: return 276;
  }
  return 0;
}

void Put32(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }
void Put16(std::string* s, uint16_t v) { s->append(reinterpret_cast<const char*>(&v), 2); }

// A classic pcap file; `cut` records are captured `cut` bytes shorter than they were.
std::string Pcap(const std::vector<Seg>& segs, Link link = Link::kRaw, size_t cut_record = 0, size_t cut = 0) {
  std::string f;
  Put32(&f, 0xa1b2c3d4);
  Put16(&f, 2);
  Put16(&f, 4);
  Put32(&f, 0);
  Put32(&f, 0);
  Put32(&f, 65535);
  Put32(&f, LinkType(link));
  for (size_t i = 0; i < segs.size(); ++i) {
    std::vector<uint8_t> b = Frame(segs[i], link);
    const int64_t t = 1'700'000'000'000'000 + segs[i].t_us;
    const size_t caplen = i + 1 == cut_record ? b.size() - cut : b.size();
    Put32(&f, static_cast<uint32_t>(t / 1000000));
    Put32(&f, static_cast<uint32_t>(t % 1000000));
    Put32(&f, static_cast<uint32_t>(caplen));
    Put32(&f, static_cast<uint32_t>(b.size()));
    f.append(reinterpret_cast<const char*>(b.data()), caplen);
  }
  return f;
}

// The same as pcapng: a section header, one interface, an enhanced packet block each.
std::string Pcapng(const std::vector<Seg>& segs, Link link) {
  std::string f;
  Put32(&f, 0x0a0d0d0a);
  Put32(&f, 28);
  Put32(&f, 0x1a2b3c4d);
  Put16(&f, 1);
  Put16(&f, 0);
  Put32(&f, 0xffffffff);
  Put32(&f, 0xffffffff);
  Put32(&f, 28);
  Put32(&f, 1);
  Put32(&f, 20);
  Put16(&f, static_cast<uint16_t>(LinkType(link)));
  Put16(&f, 0);
  Put32(&f, 65535);
  Put32(&f, 20);
  for (const Seg& s : segs) {
    std::vector<uint8_t> b = Frame(s, link);
    const size_t padded = (b.size() + 3) / 4 * 4;
    const uint32_t len = static_cast<uint32_t>(32 + padded);
    const uint64_t t = 1'700'000'000'000'000ULL + static_cast<uint64_t>(s.t_us);
    Put32(&f, 6);
    Put32(&f, len);
    Put32(&f, 0);
    Put32(&f, static_cast<uint32_t>(t >> 32));
    Put32(&f, static_cast<uint32_t>(t));
    Put32(&f, static_cast<uint32_t>(b.size()));
    Put32(&f, static_cast<uint32_t>(b.size()));
    f.append(reinterpret_cast<const char*>(b.data()), b.size());
    f.append(padded - b.size(), '\0');
    Put32(&f, len);
  }
  return f;
}

// A clean exchange: the client opens (ISS 1000), the server answers (ISS 5000), the
// client closes first, the server closes after.
std::vector<Seg> Clean(int64_t t0 = 0, uint16_t port = 40000) {
  return {{t0 + 0, true, kTcpSyn, 1000, 0, 0, port},       {t0 + 1000, false, kSA, 5000, 1001, 0, port},
          {t0 + 2000, true, kA, 1001, 5001, 0, port},      {t0 + 10000, true, kFA, 1001, 5001, 0, port},
          {t0 + 11000, false, kA, 5001, 1002, 0, port},    {t0 + 12000, false, kFA, 5001, 1002, 0, port},
          {t0 + 13000, true, kA, 1002, 5002, 0, port}};
}

class MonitorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp");
    static std::string text((std::istreambuf_iterator<char>(in)), {});
    SourceFile file{"tcp.sp", text};
    Diagnostics diags(file);
    CompileOptions co;
    co.seq_bits = 32;
    co.warnings = false;
    static ir::Model model;
    ASSERT_TRUE(compile_spec(diags, co, model)) << diags.format_all();
    std::string error;
    rs_ = RoleSystem::build(model, "Endpoint", "tcp", &error).release();
    ASSERT_NE(rs_, nullptr) << error;
    wire_ = new TcpWireMap(*TcpWireMap::build(rs_->model(), rs_->message(), &error));
  }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sp_monitor_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    for (const ir::Timer& t : rs_->role().timers) options_.timers.interval_us.push_back(t.duration_ms * 1000);
    options_.timers.transition_interval_us.assign(rs_->role().transitions.size(), 0);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Write(const std::string& bytes, const std::string& name = "c.pcap") {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // Runs the monitor; the results by connection, in the order handed out.
  std::vector<ConnectionResult> Run(const std::string& path, bool expect_ok = true) {
    std::vector<ConnectionResult> out;
    keys_.clear();
    totals_ = {};
    error_.clear();
    const bool ok = run_monitor(
        path, *rs_, *wire_, options_,
        [&](const ConnectionResult& r, const FlowKey& k) {
          out.push_back(r);
          keys_.push_back(k);
        },
        &totals_, &error_);
    EXPECT_EQ(ok, expect_ok) << error_;
    return out;
  }

  const SideResult& Side(const ConnectionResult& r, const std::string& side) {
    for (const SideResult& s : r.sides) {
      if (s.side == side) return s;
    }
    static SideResult none;
    ADD_FAILURE() << "no side " << side;
    return none;
  }

  static std::string Allowed(const SideResult& s) {
    std::string a;
    for (const monitor::Allowed& x : s.departure.allowed) a += x.segment + " (" + x.transition + ") " + x.note + "\n";
    return a;
  }

  static RoleSystem* rs_;
  static TcpWireMap* wire_;
  fs::path dir_;
  MonitorOptions options_;
  Totals totals_;
  std::string error_;
  std::vector<FlowKey> keys_;
};

RoleSystem* MonitorTest::rs_ = nullptr;
TcpWireMap* MonitorTest::wire_ = nullptr;

TEST_F(MonitorTest, CleanExchangeConformsOnEveryLinkTypeAndFormat) {
  for (Link link : {Link::kRaw, Link::kEthernet, Link::kSll, Link::kSll2}) {
    for (bool ng : {false, true}) {
      const std::vector<ConnectionResult> r = Run(Write(ng ? Pcapng(Clean(), link) : Pcap(Clean(), link)));
      ASSERT_EQ(r.size(), 1u) << static_cast<int>(link) << " " << ng;
      EXPECT_EQ(r[0].packets, 7u);
      EXPECT_EQ(r[0].a, "10.0.0.1:40000");
      ASSERT_EQ(r[0].sides.size(), 2u);
      for (const SideResult& s : r[0].sides) {
        EXPECT_EQ(s.verdict, Verdict::kConforms) << s.side << " " << s.reason << " link " << static_cast<int>(link);
        EXPECT_EQ(s.checked, 7u);
      }
      EXPECT_EQ(Side(r[0], "client").role_host, "10.0.0.1:40000");
      EXPECT_EQ(Side(r[0], "server").role_host, "10.0.0.2:80");
      EXPECT_EQ(totals_.conforms, 2u);
    }
  }
}

TEST_F(MonitorTest, ReorderedFinDepartsAtTheFin) {
  // The client's FIN before the ACK that completes its handshake: RFC 9293 §3.10.7.3
  // sends that ACK on the SYN-ACK, and a FIN comes only from a CLOSE after it.
  std::vector<Seg> s = Clean();
  std::swap(s[2], s[3]);
  s[2].t_us = 2000;
  s[3].t_us = 10000;
  options_.side = SideChoice::kClient;
  const std::vector<ConnectionResult> r = Run(Write(Pcap(s)));
  ASSERT_EQ(r.size(), 1u);
  const SideResult& c = Side(r[0], "client");
  ASSERT_EQ(c.verdict, Verdict::kDeparts);
  EXPECT_EQ(c.departure.frame, 3u);
  EXPECT_EQ(c.departure.direction, "sent by the role");
  EXPECT_EQ(c.departure.segment, "flags=FA seq=1001 ack=5001");
  // ESTABLISHED, and the states an unseen CLOSE or ABORT would have left it in.
  EXPECT_NE(std::find(c.departure.states.begin(), c.departure.states.end(), "ESTABLISHED"), c.departure.states.end());
  EXPECT_NE(Allowed(c).find("flags=A seq=1001 ack=5001 (rcv_synack_syn_sent)"), std::string::npos) << Allowed(c);
}

TEST_F(MonitorTest, BadAckDepartsAtTheSynAckWithTheRfcCite) {
  std::vector<Seg> s = Clean();
  s[1].ack = 1007;  // acknowledges six octets never sent
  const std::vector<ConnectionResult> r = Run(Write(Pcap(s)));
  ASSERT_EQ(r.size(), 1u);
  const SideResult& v = Side(r[0], "server");
  ASSERT_EQ(v.verdict, Verdict::kDeparts);
  EXPECT_EQ(v.departure.frame, 2u);
  EXPECT_EQ(v.departure.segment, "flags=SA seq=5000 ack=1007");
  bool cited = false;
  for (const monitor::Allowed& a : v.departure.allowed) {
    cited = cited || (a.segment == "flags=SA seq=5000 ack=1001" && a.transition == "rcv_syn_listen" &&
                      a.cite == "RFC 9293 §3.10.7.2");
  }
  EXPECT_TRUE(cited) << Allowed(v);
  // The client got an unacceptable SYN-ACK: RFC 9293 §3.10.7.3 answers <SEQ=SEG.ACK><CTL=RST>,
  // not the ACK the capture shows next.
  const SideResult& c = Side(r[0], "client");
  ASSERT_EQ(c.verdict, Verdict::kDeparts);
  EXPECT_EQ(c.departure.frame, 3u);
  EXPECT_NE(Allowed(c).find("flags=R seq=1007 ack=- (rcv_bad_ack_syn_sent)"), std::string::npos) << Allowed(c);
}

TEST_F(MonitorTest, RetransmissionBeforeTheRtoDepartsAfterItConforms) {
  options_.side = SideChoice::kClient;
  // RFC 6298 §2.1: RTO = 1 s before any RTT sample; then backed off (2 s).
  const std::vector<Seg> on_time = {{0, true, kTcpSyn, 1000, 0}, {1'000'000, true, kTcpSyn, 1000, 0},
                                    {3'000'000, true, kTcpSyn, 1000, 0}};
  std::vector<ConnectionResult> r = Run(Write(Pcap(on_time)));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].sides[0].verdict, Verdict::kConforms) << r[0].sides[0].reason;

  // The second retransmission 1 s after the first: the backed-off 2 s have not passed.
  const std::vector<Seg> no_backoff = {{0, true, kTcpSyn, 1000, 0}, {1'000'000, true, kTcpSyn, 1000, 0},
                                       {2'000'000, true, kTcpSyn, 1000, 0}};
  r = Run(Write(Pcap(no_backoff)));
  ASSERT_EQ(r[0].sides[0].verdict, Verdict::kDeparts);
  EXPECT_EQ(r[0].sides[0].departure.frame, 3u);

  const std::vector<Seg> early = {{0, true, kTcpSyn, 1000, 0}, {200'000, true, kTcpSyn, 1000, 0}};
  r = Run(Write(Pcap(early)));
  ASSERT_EQ(r[0].sides[0].verdict, Verdict::kDeparts);
  EXPECT_EQ(r[0].sides[0].departure.frame, 2u);
  EXPECT_NE(Allowed(r[0].sides[0]).find("flags=S seq=1000 ack=- (rtx_syn) only if timer rtx expired earlier"),
            std::string::npos)
      << Allowed(r[0].sides[0]);

  // A target profile's parameter for rtx_syn (200 ms), or no timing at all, allows it.
  for (size_t t = 0; t < rs_->role().transitions.size(); ++t) {
    if (rs_->role().transitions[t].name == "rtx_syn") options_.timers.transition_interval_us[t] = 200'000;
  }
  r = Run(Write(Pcap(early)));
  EXPECT_EQ(r[0].sides[0].verdict, Verdict::kConforms);
  options_.timers.transition_interval_us.assign(rs_->role().transitions.size(), 0);
  options_.timers.check = false;
  r = Run(Write(Pcap(early)));
  EXPECT_EQ(r[0].sides[0].verdict, Verdict::kConforms);
}

TEST_F(MonitorTest, MidConnectionStartSolvesTheTcbFromTheFirstSegments) {
  const std::vector<Seg> clean = Clean();
  std::vector<Seg> s(clean.begin() + 3, clean.end());  // from the client's FIN on
  std::vector<ConnectionResult> r = Run(Write(Pcap(s)));
  ASSERT_EQ(r.size(), 1u);
  for (const SideResult& side : r[0].sides) {
    EXPECT_EQ(side.verdict, Verdict::kConforms) << side.side << ": " << side.reason;
    EXPECT_TRUE(side.mid_connection);
    EXPECT_NE(side.reason.find("started mid-connection"), std::string::npos) << side.reason;
  }
  // After the server's last ACK it is CLOSED; a further ACK of its own departs.
  s.push_back({20000, false, kA, 7777, 1002});
  options_.side = SideChoice::kServer;
  r = Run(Write(Pcap(s)));
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].sides.size(), 1u);
  EXPECT_EQ(r[0].sides[0].role_host, "10.0.0.2:80");
  EXPECT_EQ(r[0].sides[0].verdict, Verdict::kDeparts);
  EXPECT_EQ(r[0].sides[0].departure.frame, 5u);
}

TEST_F(MonitorTest, DataTheSpecDoesNotModelIsInconclusiveNotADeparture) {
  std::vector<Seg> s = Clean();
  s.insert(s.begin() + 3, Seg{5000, true, kTcpPsh | kTcpAck, 1001, 5001, 10});
  const std::vector<ConnectionResult> r = Run(Write(Pcap(s)));
  ASSERT_EQ(r.size(), 1u);
  for (const SideResult& side : r[0].sides) {
    EXPECT_EQ(side.verdict, Verdict::kInconclusive);
    EXPECT_NE(side.reason.find("payload not modelled by the spec (10 bytes of data) at frame 4"), std::string::npos)
        << side.reason;
  }
}

TEST_F(MonitorTest, TruncatedPacketMakesItsConnectionInconclusive) {
  const std::vector<ConnectionResult> r = Run(Write(Pcap(Clean(), Link::kRaw, 5, 8)));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(totals_.truncated, 1u);
  for (const SideResult& side : r[0].sides) {
    EXPECT_EQ(side.verdict, Verdict::kInconclusive);
    EXPECT_NE(side.reason.find("truncated packet at frame 5 (32 of 40 bytes captured)"), std::string::npos)
        << side.reason;
  }
}

TEST_F(MonitorTest, CorruptOrCutCaptureIsAnError) {
  Run(Write(std::string(100, 'z')), false);
  EXPECT_NE(error_.find("cannot read"), std::string::npos) << error_;
  EXPECT_NE(error_.find("c.pcap"), std::string::npos) << error_;

  const std::string whole = Pcap(Clean());
  Run(Write(whole.substr(0, whole.size() - 10)), false);  // ends inside the last record
  EXPECT_NE(error_.find("truncated"), std::string::npos) << error_;
  EXPECT_NE(error_.find("after record 6"), std::string::npos) << error_;

  std::string wrong_link = whole;
  wrong_link[20] = 105;  // LINKTYPE_IEEE802_11
  Run(Write(wrong_link), false);
  EXPECT_NE(error_.find("is not supported"), std::string::npos) << error_;
}

TEST_F(MonitorTest, ConnectionsSplitByFourTupleAndPcapOutKeepsTheDepartingOnes) {
  std::vector<Seg> good = Clean(0, 40000), bad = Clean(500, 40001);
  bad[1].ack = 1007;
  std::vector<Seg> all;
  for (size_t i = 0; i < good.size(); ++i) all.push_back(good[i]), all.push_back(bad[i]);  // interleaved
  const std::string path = Write(Pcap(all));
  const std::vector<ConnectionResult> r = Run(path);
  ASSERT_EQ(r.size(), 2u);
  std::vector<FlowRange> departing;
  for (size_t i = 0; i < r.size(); ++i) {
    const bool departs = Side(r[i], "server").verdict == Verdict::kDeparts;
    EXPECT_EQ(departs, r[i].a == "10.0.0.1:40001") << r[i].a;
    if (departs) departing.push_back({keys_[i], r[i].first_frame, r[i].last_frame});
  }
  ASSERT_EQ(departing.size(), 1u);
  const std::string out = (dir_ / "departing.pcap").string();
  ASSERT_TRUE(write_flows_pcap(path, departing, out, &error_)) << error_;
  std::unique_ptr<Capture> cap = Capture::open(out, &error_);
  ASSERT_NE(cap, nullptr) << error_;
  Record rec;
  size_t n = 0;
  while (cap->next(&rec, &error_)) {
    ++n;
    std::optional<FlowKey> k = tcp_flow(rec.bytes);
    ASSERT_TRUE(k);
    EXPECT_TRUE(k->a_port == 40001 || k->b_port == 40001);
  }
  EXPECT_EQ(n, 7u);
  // Whole or absent: a destination that cannot be written is left as it was.
  EXPECT_FALSE(write_flows_pcap(path, departing, (dir_ / "no" / "such.pcap").string(), &error_));
  EXPECT_FALSE(fs::exists(dir_ / "no"));
  EXPECT_FALSE(write_flows_pcap((dir_ / "missing.pcap").string(), departing, out + "2", &error_));
  EXPECT_FALSE(fs::exists(out + "2"));
}

TEST_F(MonitorTest, ConnectionsEndAfterTheirLingerSoMemoryFollowsTheOpenOnes) {
  // 200 connections one after another, each closed long before the next: at most a few
  // are open at once.
  std::vector<Seg> all;
  for (int i = 0; i < 200; ++i) {
    for (Seg s : Clean(int64_t{i} * 20'000'000, static_cast<uint16_t>(30000 + i))) all.push_back(s);
  }
  options_.linger_us = 1'000'000;
  const std::vector<ConnectionResult> r = Run(Write(Pcap(all)));
  EXPECT_EQ(r.size(), 200u);
  EXPECT_LE(totals_.peak_open, 3u);
  EXPECT_EQ(totals_.conforms, 400u);
}

}  // namespace
}  // namespace sp::monitor

namespace sp::monitor {
namespace {

TEST_F(MonitorTest, WorkerThreadsGiveTheSameVerdicts) {
  std::vector<Seg> all;
  for (int i = 0; i < 60; ++i) {
    std::vector<Seg> c = Clean(int64_t{i} * 3000, static_cast<uint16_t>(30000 + i));
    if (i % 7 == 0) c[1].ack = 1007;  // a bad ACK now and then
    for (Seg s : c) all.push_back(s);
  }
  std::sort(all.begin(), all.end(), [](const Seg& a, const Seg& b) { return a.t_us < b.t_us; });
  const std::string path = Write(Pcap(all));
  std::vector<ConnectionResult> one = Run(path);
  const Totals t1 = totals_;
  options_.jobs = 2;
  std::vector<ConnectionResult> two = Run(path);
  EXPECT_EQ(totals_.connections, t1.connections);
  EXPECT_EQ(totals_.conforms, t1.conforms);
  EXPECT_EQ(totals_.departs, t1.departs);
  EXPECT_EQ(t1.departs, 18u);  // 9 bad ACKs: the server departs, and the client after it
  auto by_id = [](std::vector<ConnectionResult>& v) {
    std::sort(v.begin(), v.end(), [](const ConnectionResult& a, const ConnectionResult& b) { return a.id < b.id; });
  };
  by_id(one);
  by_id(two);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].id, two[i].id);
    for (size_t k = 0; k < one[i].sides.size(); ++k) {
      EXPECT_EQ(one[i].sides[k].verdict, two[i].sides[k].verdict);
      EXPECT_EQ(one[i].sides[k].departure.frame, two[i].sides[k].departure.frame);
    }
  }
}

}  // namespace
}  // namespace sp::monitor
