// Reading a capture file with libpcap (pcap and pcapng alike, pcap_open_offline decides):
// each record's link-layer header is taken off (Ethernet, Linux cooked SLL and SLL2, raw
// IP) and what it carries is returned as IPv4 bytes or an ARP packet. Records that carry
// neither (IPv6, other EtherTypes, VLAN tags) are counted and skipped.
//
// Not thread-safe (one libpcap handle); move-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "harness/packet/arp.hpp"

namespace sp::monitor {

enum class RecordKind {
  kIpv4,     // `bytes` is an IPv4 packet (header first)
  kArp,      // `arp` is set
  kOther,    // neither: skipped by the monitor
  kTruncated,  // captured shorter than it was on the wire (snaplen) or than its link header
};

struct Record {
  uint64_t frame = 0;            // 1-based record number, as Wireshark numbers frames
  int64_t time_us = 0;           // capture time, microseconds since the epoch
  RecordKind kind = RecordKind::kOther;
  std::span<const uint8_t> bytes;  // kIpv4 / kTruncated: from the IPv4 header on; valid until next()
  std::span<const uint8_t> raw;    // the whole record as captured (for --pcap-out)
  packet::ArpPacket arp;         // kArp
  uint32_t wire_length = 0;      // the record's original length on the wire
};

class Capture {
 public:
  // nullptr and *error ("cannot read x.pcap: unknown file format") when the file cannot
  // be opened or its link type is not one of those above.
  static std::unique_ptr<Capture> open(const std::string& path, std::string* error);
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  // The next record: true with *out set; false at the end, or with *error set when the
  // file is corrupt or ends inside a record ("truncated dump file").
  bool next(Record* out, std::string* error);

  int datalink() const { return dlt_; }        // the DLT_ value
  int linktype() const { return linktype_; }   // the LINKTYPE_ value, for writing
  uint32_t snaplen() const { return snaplen_; }

 private:
  Capture() = default;
  struct Handle;
  Handle* handle_ = nullptr;
  int dlt_ = 0;
  int linktype_ = 0;
  uint32_t snaplen_ = 0;
  uint64_t frame_ = 0;
  std::string path_;
};

}  // namespace sp::monitor
