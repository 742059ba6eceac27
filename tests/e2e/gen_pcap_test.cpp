// The pcaps `gen --pcap` writes: timestamps never go backwards, and a segment without
// the ACK bit carries 0 in its acknowledgment field.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

struct Record {
  uint64_t micros;
  std::string bytes;
};

// The records of a classic pcap file in host byte order (what libpcap and gen write).
std::vector<Record> read_pcap(const fs::path& path, uint32_t* linktype) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream b;
  b << f.rdbuf();
  const std::string data = b.str();
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    std::memcpy(&v, data.data() + at, 4);
    return v;
  };
  std::vector<Record> out;
  if (data.size() < 24 || u32(0) != 0xa1b2c3d4) {
    ADD_FAILURE() << path << " is not a pcap file";
    return out;
  }
  *linktype = u32(20);
  for (size_t at = 24; at + 16 <= data.size();) {
    uint32_t caplen = u32(at + 8);
    out.push_back({uint64_t{u32(at)} * 1000000 + u32(at + 4), data.substr(at + 16, caplen)});
    at += 16 + caplen;
  }
  return out;
}

TEST(GenPcap, TimestampsNeverGoBackAndAckIsZeroWithoutTheAckBit) {
  const fs::path dir = fs::temp_directory_path() / ("sp_gen_pcap_" + std::to_string(getpid()));
  fs::remove_all(dir);
  CommandResult r = run(bin() + " gen " + src("spec/tcp.sp") + " --role Endpoint -q --pcap --out " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  size_t files = 0, without_ack = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".pcap") continue;
    ++files;
    uint32_t linktype = 0;
    std::vector<Record> records = read_pcap(e.path(), &linktype);
    ASSERT_EQ(linktype, 101u) << e.path();  // LINKTYPE_RAW: IPv4 first
    for (size_t i = 1; i < records.size(); ++i) {
      EXPECT_LE(records[i - 1].micros, records[i].micros) << e.path().filename() << " packet " << i + 1;
    }
    for (const Record& rec : records) {
      const std::string& p = rec.bytes;
      ASSERT_GE(p.size(), 40u);
      const size_t tcp = (static_cast<uint8_t>(p[0]) & 15) * 4;
      const bool ack_bit = static_cast<uint8_t>(p[tcp + 13]) & 0x10;
      if (ack_bit) continue;
      ++without_ack;
      EXPECT_EQ(p.substr(tcp + 8, 4), std::string(4, '\0')) << e.path().filename();
    }
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(without_ack, 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sp::e2e
