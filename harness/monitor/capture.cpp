#include "harness/monitor/capture.hpp"

#include <pcap/pcap.h>

#include "harness/packet/ethernet.hpp"

namespace sp::monitor {

namespace {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr size_t kSllHeader = 16;   // Linux cooked v1: protocol at offset 14
constexpr size_t kSll2Header = 20;  // Linux cooked v2: protocol at offset 0

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

// The LINKTYPE_ value a pcap file header records for a DLT_ (pcap-linktype(7)).
int linktype_of(int dlt) {
  switch (dlt) {
    case DLT_EN10MB: return 1;
    case DLT_RAW: return 101;
    case DLT_IPV4: return 228;
    case DLT_LINUX_SLL: return 113;
    case DLT_LINUX_SLL2: return 276;
    default: return -1;
  }
}

}  // namespace

struct Capture::Handle {
  pcap_t* pcap = nullptr;
};

std::unique_ptr<Capture> Capture::open(const std::string& path, std::string* error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!p) {
    *error = "cannot read " + path + ": " + errbuf;
    return nullptr;
  }
  std::unique_ptr<Capture> c(new Capture());
  c->handle_ = new Handle{p};
  c->dlt_ = pcap_datalink(p);
  c->linktype_ = linktype_of(c->dlt_);
  c->snaplen_ = static_cast<uint32_t>(pcap_snapshot(p));
  c->path_ = path;
  if (c->linktype_ < 0) {
    const char* name = pcap_datalink_val_to_name(c->dlt_);
    *error = path + ": link type " + (name ? name : std::to_string(c->dlt_)) +
             " is not supported (Ethernet, Linux cooked SLL/SLL2 and raw IP are)";
    return nullptr;
  }
  return c;
}

Capture::~Capture() {
  if (handle_) pcap_close(handle_->pcap);
  delete handle_;
}

bool Capture::next(Record* out, std::string* error) {
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(handle_->pcap, &h, &data);
  if (rc == PCAP_ERROR_BREAK) return false;  // end of file
  if (rc != 1) {
    *error = path_ + ": " + (rc == PCAP_ERROR ? std::string(pcap_geterr(handle_->pcap)) : "read error") +
             " (after record " + std::to_string(frame_) + ")";
    return false;
  }
  ++frame_;
  Record& r = *out;
  r.frame = frame_;
  r.time_us = static_cast<int64_t>(h->ts.tv_sec) * 1000000 + h->ts.tv_usec;
  r.raw = std::span<const uint8_t>(data, h->caplen);
  r.wire_length = h->len;
  r.bytes = {};
  r.kind = RecordKind::kOther;
  const bool cut = h->caplen < h->len;
  uint16_t proto = 0;
  size_t off = 0;
  switch (dlt_) {
    case DLT_EN10MB:
      if (h->caplen < packet::kEthernetHeaderLength) {
        r.kind = RecordKind::kTruncated;
        return true;
      }
      proto = be16(data + 12);
      off = packet::kEthernetHeaderLength;
      break;
    case DLT_LINUX_SLL:
      if (h->caplen < kSllHeader) {
        r.kind = RecordKind::kTruncated;
        return true;
      }
      proto = be16(data + 14);
      off = kSllHeader;
      break;
    case DLT_LINUX_SLL2:
      if (h->caplen < kSll2Header) {
        r.kind = RecordKind::kTruncated;
        return true;
      }
      proto = be16(data);
      off = kSll2Header;
      break;
    default:  // raw IP: the version nibble says which
      if (h->caplen < 1) {
        r.kind = RecordKind::kTruncated;
        return true;
      }
      proto = (data[0] >> 4) == 4 ? kEtherTypeIpv4 : 0;
      break;
  }
  const std::span<const uint8_t> payload(data + off, h->caplen - off);
  if (proto == kEtherTypeIpv4) {
    r.kind = cut ? RecordKind::kTruncated : RecordKind::kIpv4;
    r.bytes = payload;
  } else if (proto == kEtherTypeArp) {
    packet::Result<packet::ArpPacket> a = packet::parse_arp(payload);
    if (a) {
      r.kind = RecordKind::kArp;
      r.arp = *a;
    } else if (a.error().code == packet::ErrorCode::kTruncated || cut) {
      r.kind = RecordKind::kTruncated;
    }
  }
  return true;
}

}  // namespace sp::monitor
