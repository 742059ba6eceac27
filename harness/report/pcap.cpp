#include <pcap/pcap.h>

#include <filesystem>

#include "harness/report/report.hpp"

namespace sp::harness {

bool write_pcap(const std::string& dir, const TestResult& result, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  std::string path = dir + "/" + (result.name.empty() ? "unnamed" : result.name) + ".pcap";
  pcap_t* dead = pcap_open_dead(result.link_ethernet ? DLT_EN10MB : DLT_RAW, 65535);
  if (!dead) {
    *error = "pcap_open_dead failed";
    return false;
  }
  pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
  if (!dumper) {
    *error = "cannot write " + path + ": " + pcap_geterr(dead);
    pcap_close(dead);
    return false;
  }
  for (const PacketRecord& p : result.packets) {
    int64_t ns = result.start_realtime_ns + static_cast<int64_t>(p.time * 1e9);
    struct pcap_pkthdr h {};
    h.ts.tv_sec = static_cast<time_t>(ns / 1000000000);
    h.ts.tv_usec = static_cast<suseconds_t>((ns % 1000000000) / 1000);
    h.caplen = static_cast<bpf_u_int32>(p.bytes.size());
    h.len = h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &h, p.bytes.data());
  }
  bool ok = pcap_dump_flush(dumper) == 0;
  pcap_dump_close(dumper);
  pcap_close(dead);
  if (!ok) *error = "cannot write " + path;
  return ok;
}

}  // namespace sp::harness
