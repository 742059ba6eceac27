#include <filesystem>

#include "harness/report/report.hpp"
#include "util/atomic_file.hpp"
#include "util/pcap_file.hpp"

namespace sp::harness {

bool write_pcap(const std::string& dir, const TestResult& result, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  std::string path = dir + "/" + (result.name.empty() ? "unnamed" : result.name) + ".pcap";
  util::PcapFile file(result.link_ethernet ? util::kLinktypeEthernet : util::kLinktypeRaw);
  for (const PacketRecord& p : result.packets) {
    int64_t ns = result.start_realtime_ns + static_cast<int64_t>(p.time * 1e9);
    file.add(ns / 1000, p.bytes);
  }
  return util::write_file_atomic(path, file.bytes(), error);
}

}  // namespace sp::harness
