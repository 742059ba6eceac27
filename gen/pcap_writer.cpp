#include "gen/pcap_writer.hpp"

#include <cmath>

#include "gen/sym.hpp"
#include "util/atomic_file.hpp"
#include "util/pcap_file.hpp"

namespace sp::gen {

namespace {

void Put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void Put32(std::vector<uint8_t>& b, uint32_t v) {
  Put16(b, static_cast<uint16_t>(v >> 16));
  Put16(b, static_cast<uint16_t>(v));
}
void PutMac(std::vector<uint8_t>& b, uint64_t m) {
  for (int i = 5; i >= 0; --i) b.push_back(static_cast<uint8_t>(m >> (8 * i)));
}

uint32_t Sum(const uint8_t* p, size_t n, uint32_t acc) {
  for (size_t i = 0; i + 1 < n; i += 2) acc += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n & 1) acc += static_cast<uint32_t>(p[n - 1] << 8);
  return acc;
}

uint16_t Fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
  return static_cast<uint16_t>(~acc);
}

std::vector<uint8_t> Tcp(const Packet& p, uint16_t ip_id) {
  const uint32_t src = static_cast<uint32_t>(p.from_iut ? Addresses::kIutIp : Addresses::kTesterIp);
  const uint32_t dst = static_cast<uint32_t>(p.from_iut ? Addresses::kTesterIp : Addresses::kIutIp);
  std::vector<uint8_t> tcp;
  Put16(tcp, p.from_iut ? kIutPort : kTesterPort);
  Put16(tcp, p.from_iut ? kTesterPort : kIutPort);
  Put32(tcp, p.seq);
  Put32(tcp, (p.flags & 0x10) ? p.ack : 0);
  tcp.push_back(5 << 4);
  tcp.push_back(p.flags);
  Put16(tcp, p.win);
  Put16(tcp, 0);  // checksum
  Put16(tcp, 0);  // urgent pointer
  for (int i = 0; i < p.len; ++i) tcp.push_back('x');
  std::vector<uint8_t> pseudo;
  Put32(pseudo, src);
  Put32(pseudo, dst);
  Put16(pseudo, 6);
  Put16(pseudo, static_cast<uint16_t>(tcp.size()));
  uint16_t ck = Fold(Sum(tcp.data(), tcp.size(), Sum(pseudo.data(), pseudo.size(), 0)));
  tcp[16] = static_cast<uint8_t>(ck >> 8);
  tcp[17] = static_cast<uint8_t>(ck);
  std::vector<uint8_t> ip;
  ip.push_back(0x45);
  ip.push_back(0);
  Put16(ip, static_cast<uint16_t>(20 + tcp.size()));
  Put16(ip, ip_id);
  Put16(ip, 0x4000);  // DF
  ip.push_back(64);
  ip.push_back(6);
  Put16(ip, 0);
  Put32(ip, src);
  Put32(ip, dst);
  uint16_t ick = Fold(Sum(ip.data(), ip.size(), 0));
  ip[10] = static_cast<uint8_t>(ick >> 8);
  ip[11] = static_cast<uint8_t>(ick);
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  return ip;
}

std::vector<uint8_t> Arp(const Packet& p) {
  std::vector<uint8_t> f;
  PutMac(f, p.eth_dst);
  PutMac(f, p.eth_src);
  Put16(f, 0x0806);
  Put16(f, 1);       // Ethernet
  Put16(f, 0x0800);  // IPv4
  f.push_back(6);
  f.push_back(4);
  Put16(f, p.op);
  PutMac(f, p.sha);
  Put32(f, p.spa);
  PutMac(f, p.tha);
  Put32(f, p.tpa);
  while (f.size() < 60) f.push_back(0);  // minimum Ethernet frame (without FCS)
  return f;
}

}  // namespace

std::vector<uint8_t> encode_packet(const TestCase& tc, const Packet& p, uint16_t ip_id) {
  return tc.wire == "arp" ? Arp(p) : Tcp(p, ip_id);
}

std::string pcap_file(const TestCase& tc) {
  util::PcapFile file(tc.wire == "arp" ? util::kLinktypeEthernet : util::kLinktypeRaw);
  uint16_t id = 1;
  for (const Packet& p : tc.packets) file.add(std::llround(p.time * 1e6), encode_packet(tc, p, id++));
  return file.bytes();
}

bool write_pcap(const TestCase& tc, const std::string& path, std::string* error) {
  return util::write_file_atomic(path, pcap_file(tc), error);
}

}  // namespace sp::gen
