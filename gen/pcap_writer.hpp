// A test's expected exchange as a pcap file (util/pcap_file.hpp): IPv4/TCP packets
// (LINKTYPE_RAW) between the IUT 192.0.2.1:8080 and the tester 192.0.2.2:40000, or
// Ethernet/ARP frames, with valid checksums and the concrete ISNs of the TestCase.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen/testcase.hpp"

namespace sp::gen {

constexpr uint16_t kIutPort = 8080;
constexpr uint16_t kTesterPort = 40000;

// The bytes of one packet as it appears in the pcap (IPv4 datagram or Ethernet frame).
std::vector<uint8_t> encode_packet(const TestCase& tc, const Packet& p, uint16_t ip_id);

// The pcap file's bytes; packets at their TestCase times (non-decreasing).
std::string pcap_file(const TestCase& tc);
// pcap_file(tc) as `path`, whole or not at all (util/atomic_file.hpp).
bool write_pcap(const TestCase& tc, const std::string& path, std::string* error);

}  // namespace sp::gen
