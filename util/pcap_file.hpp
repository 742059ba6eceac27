// The classic pcap file format (what libpcap's pcap_dump writes: magic a1b2c3d4 in host
// byte order, version 2.4, microsecond timestamps), built in memory so that the file can
// be written whole (atomic_file.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sp::util {

// LINKTYPE_ values of the file header (libpcap maps them back to its DLT_ on reading).
constexpr uint32_t kLinktypeEthernet = 1;
constexpr uint32_t kLinktypeRaw = 101;  // IPv4/IPv6 without a link-layer header

class PcapFile {
 public:
  explicit PcapFile(uint32_t linktype, uint32_t snaplen = 65535);
  // A packet captured `micros` microseconds after the epoch.
  void add(int64_t micros, const std::vector<uint8_t>& bytes);
  const std::string& bytes() const { return data_; }

 private:
  void put32(uint32_t v);
  std::string data_;
};

}  // namespace sp::util
