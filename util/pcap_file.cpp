#include "util/pcap_file.hpp"

#include <cstring>

namespace sp::util {

PcapFile::PcapFile(uint32_t linktype, uint32_t snaplen) {
  put32(0xa1b2c3d4);
  const uint16_t version[2] = {2, 4};  // major, minor
  data_.append(reinterpret_cast<const char*>(version), sizeof version);
  put32(0);             // thiszone
  put32(0);             // sigfigs
  put32(snaplen);
  put32(linktype);
}

void PcapFile::put32(uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  data_.append(b, 4);
}

void PcapFile::add(int64_t micros, const std::vector<uint8_t>& bytes) {
  int64_t sec = micros / 1000000, usec = micros % 1000000;
  if (usec < 0) sec -= 1, usec += 1000000;
  put32(static_cast<uint32_t>(sec));
  put32(static_cast<uint32_t>(usec));
  put32(static_cast<uint32_t>(bytes.size()));  // caplen
  put32(static_cast<uint32_t>(bytes.size()));  // len
  data_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace sp::util
