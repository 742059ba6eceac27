// `stateproof monitor` as a user runs it: exit statuses, the summary, JSON and --pcap-out
// written whole or not at all, and one-line errors for bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

class MonitorCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sp_monitor_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    spec_ = src("spec/tcp.sp");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  void WriteFile(const std::string& name, const std::string& bytes) {
    std::ofstream(Path(name), std::ios::binary) << bytes;
  }
  fs::path dir_;
  std::string spec_;
};

void Put(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }

// A raw-IP pcap of one handshake whose SYN-ACK acknowledges `synack_ack` (1001 is right).
std::string Handshake(uint32_t synack_ack) {
  std::string f;
  Put(&f, 0xa1b2c3d4);
  f.append("\x02\x00\x04\x00", 4);
  Put(&f, 0);
  Put(&f, 0);
  Put(&f, 65535);
  Put(&f, 101);
  struct S {
    bool c;
    uint8_t flags;
    uint32_t seq, ack;
  } segs[] = {{true, 0x02, 1000, 0}, {false, 0x12, 5000, synack_ack}, {true, 0x10, 1001, 5001}};
  uint32_t usec = 0;
  for (const S& s : segs) {
    uint8_t p[40] = {0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    if (!s.c) std::swap_ranges(p + 12, p + 16, p + 16);
    uint8_t* t = p + 20;
    const uint16_t sport = s.c ? 40000 : 80, dport = s.c ? 80 : 40000;
    t[0] = uint8_t(sport >> 8), t[1] = uint8_t(sport), t[2] = uint8_t(dport >> 8), t[3] = uint8_t(dport);
    for (int i = 0; i < 4; ++i) t[4 + i] = uint8_t(s.seq >> (24 - 8 * i)), t[8 + i] = uint8_t(s.ack >> (24 - 8 * i));
    t[12] = 0x50, t[13] = s.flags, t[14] = 0xff, t[15] = 0xff;
    Put(&f, 1700000000);
    Put(&f, usec += 1000);
    Put(&f, 40);
    Put(&f, 40);
    f.append(reinterpret_cast<const char*>(p), 40);
  }
  return f;
}

TEST_F(MonitorCli, ConformingCaptureExitsZeroAndWritesJson) {
  WriteFile("ok.pcap", Handshake(1001));
  CommandResult r = run(bin() + " monitor " + spec_ + " --role Endpoint " + Path("ok.pcap") + " --json " +
                        Path("ok.json") + " --pcap-out " + Path("out.pcap"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("#1 10.0.0.1:40000 <-> 10.0.0.2:80: frames 1-3, 3 segments"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client 10.0.0.1:40000: conforms (3 segments checked)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 departing connections written to"), std::string::npos) << r.out;
  std::ifstream j(Path("ok.json"));
  const std::string json((std::istreambuf_iterator<char>(j)), {});
  EXPECT_NE(json.find("\"conforms\":2"), std::string::npos) << json;
  EXPECT_EQ(fs::file_size(Path("out.pcap")), 24u);  // the header, no record
}

TEST_F(MonitorCli, DepartingCaptureExitsOneAndKeepsItsConnection) {
  WriteFile("bad.pcap", Handshake(1007));
  CommandResult r = run(bin() + " monitor " + spec_ + " --role Endpoint " + Path("bad.pcap") + " --side server" +
                        " --pcap-out " + Path("out.pcap"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("server 10.0.0.2:80: departs at frame 2 (sent by the role): flags=SA seq=5000 ack=1007"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("flags=SA seq=5000 ack=1001  (rcv_syn_listen, RFC 9293 §3.10.7.2)"), std::string::npos) << r.out;
  EXPECT_EQ(fs::file_size(Path("out.pcap")), 24u + 3 * (16 + 40));
}

TEST_F(MonitorCli, BadInputIsOneLineAndExitTwoWithNothingWritten) {
  WriteFile("junk.pcap", std::string(64, 'j'));
  const std::string whole = Handshake(1001);
  WriteFile("cut.pcap", whole.substr(0, whole.size() - 7));
  WriteFile("ok.pcap", whole);
  struct Case {
    std::string args, needle;
  } cases[] = {
      {Path("junk.pcap"), "cannot read " + Path("junk.pcap")},
      {Path("cut.pcap"), "truncated"},
      {Path("none.pcap"), "cannot read " + Path("none.pcap")},
      {Path("ok.pcap") + " --side sideways", "--side sideways: expected both, client, server or an IPv4 address"},
      {Path("ok.pcap") + " --role Nobody", "the spec has no role Nobody (roles: Endpoint)"},
  };
  for (const Case& c : cases) {
    std::string args = c.args;
    if (args.find("--role") == std::string::npos) args += " --role Endpoint";
    CommandResult r = run(bin() + " monitor " + spec_ + " " + args + " --json " + Path("r.json") + " --pcap-out " +
                          Path("r.pcap") + " -q");
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.needle), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(Path("r.json"))) << args;
    EXPECT_FALSE(fs::exists(Path("r.pcap"))) << args;
    // No temporary file left behind either.
    for (const auto& e : fs::directory_iterator(dir_)) {
      EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
    }
  }
  // A spec checked at a narrower width cannot follow 32-bit sequence numbers.
  CommandResult r = run(bin() + " monitor " + spec_ + " --role Endpoint " + Path("ok.pcap") + " --seq-bits 3");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--seq-bits 32"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sp::e2e
