#include "harness/packet/ipv4.hpp"

#include "harness/packet/byte_order.hpp"

namespace sp::packet {
namespace {

constexpr size_t kChecksumOffset = 10;

std::string n(size_t value) { return std::to_string(value); }

}  // namespace

Result<Ipv4Packet> parse_ipv4(std::span<const uint8_t> bytes) {
  if (bytes.size() < kIpv4MinHeaderLength) {
    return make_error(ErrorCode::kTruncated, "ipv4",
                      "packet of " + n(bytes.size()) +
                          " bytes is shorter than the 20-byte header");
  }
  const uint8_t* p = bytes.data();
  Ipv4Packet packet;
  Ipv4Header& h = packet.header;
  h.version = p[0] >> 4;
  h.header_length = p[0] & 0x0f;
  if (h.version != 4) {
    return make_error(ErrorCode::kBadField, "ipv4", "version " + n(h.version) + ", expected 4");
  }
  const size_t header_bytes = size_t{h.header_length} * 4;
  if (h.header_length < 5) {
    return make_error(ErrorCode::kBadLength, "ipv4",
                      "header length " + n(h.header_length) +
                          " words is less than the minimum 5");
  }
  if (header_bytes > bytes.size()) {
    return make_error(ErrorCode::kTruncated, "ipv4",
                      "header length " + n(h.header_length) + " words (" + n(header_bytes) +
                          " bytes) exceeds packet length " + n(bytes.size()));
  }
  h.tos = p[1];
  h.total_length = load_be16(p + 2);
  if (h.total_length < header_bytes) {
    return make_error(ErrorCode::kBadLength, "ipv4",
                      "total length " + n(h.total_length) + " is less than the header length " +
                          n(header_bytes));
  }
  if (h.total_length > bytes.size()) {
    return make_error(ErrorCode::kTruncated, "ipv4",
                      "total length " + n(h.total_length) + " exceeds packet length " +
                          n(bytes.size()));
  }
  h.identification = load_be16(p + 4);
  const uint16_t flags_fragment = load_be16(p + 6);
  h.reserved_flag = (flags_fragment & 0x8000) != 0;
  h.dont_fragment = (flags_fragment & 0x4000) != 0;
  h.more_fragments = (flags_fragment & 0x2000) != 0;
  h.fragment_offset = flags_fragment & 0x1fff;
  h.ttl = p[8];
  h.protocol = p[9];
  h.checksum = load_be16(p + kChecksumOffset);
  h.src.value = load_be32(p + 12);
  h.dst.value = load_be32(p + 16);
  h.options.assign(p + kIpv4MinHeaderLength, p + header_bytes);
  packet.payload.assign(p + header_bytes, p + h.total_length);
  return packet;
}

Result<Bytes> build_ipv4(const Ipv4Packet& packet, const Ipv4BuildOptions& options) {
  const Ipv4Header& h = packet.header;
  const size_t options_padded = (h.options.size() + 3) / 4 * 4;
  const size_t header_bytes = kIpv4MinHeaderLength + options_padded;
  if (header_bytes > kIpv4MaxHeaderLength && !options.keep_header_length) {
    return make_error(ErrorCode::kTooLong, "ipv4",
                      "options of " + n(h.options.size()) +
                          " bytes exceed the 40 bytes an IPv4 header can carry");
  }
  const size_t total = header_bytes + packet.payload.size();
  if (total > 0xffff && !options.keep_total_length) {
    return make_error(ErrorCode::kTooLong, "ipv4",
                      "total length " + n(total) + " exceeds 65535");
  }
  const uint8_t ihl =
      options.keep_header_length ? h.header_length : static_cast<uint8_t>(header_bytes / 4);
  const uint16_t total_length =
      options.keep_total_length ? h.total_length : static_cast<uint16_t>(total);

  Bytes out;
  out.reserve(total);
  out.push_back(static_cast<uint8_t>((h.version << 4) | (ihl & 0x0f)));
  out.push_back(h.tos);
  append_be16(out, total_length);
  append_be16(out, h.identification);
  append_be16(out, static_cast<uint16_t>((h.reserved_flag ? 0x8000 : 0) |
                                         (h.dont_fragment ? 0x4000 : 0) |
                                         (h.more_fragments ? 0x2000 : 0) |
                                         (h.fragment_offset & 0x1fff)));
  out.push_back(h.ttl);
  out.push_back(h.protocol);
  append_be16(out, 0);  // checksum, filled in below
  append_be32(out, h.src.value);
  append_be32(out, h.dst.value);
  out.insert(out.end(), h.options.begin(), h.options.end());
  out.resize(header_bytes, 0);
  const uint16_t checksum =
      options.keep_checksum
          ? h.checksum
          : internet_checksum(std::span<const uint8_t>(out.data(), header_bytes));
  store_be16(out.data() + kChecksumOffset, checksum);
  out.insert(out.end(), packet.payload.begin(), packet.payload.end());
  return out;
}

ChecksumCheck check_ipv4_checksum(std::span<const uint8_t> header) {
  ChecksumCheck check;
  if (header.size() < kIpv4MinHeaderLength) {
    check.valid = false;
    return check;
  }
  check.found = load_be16(header.data() + kChecksumOffset);
  check.valid = internet_checksum(header) == 0;
  ChecksumAccumulator acc;
  acc.add(header.first(kChecksumOffset));
  acc.add(header.subspan(kChecksumOffset + 2));
  check.expected = acc.finish();
  return check;
}

std::string ip_protocol_name(uint8_t protocol) {
  switch (protocol) {
    case kIpProtocolIcmp: return "ICMP";
    case kIpProtocolTcp: return "TCP";
    case kIpProtocolUdp: return "UDP";
    default: return "ip-proto-" + std::to_string(protocol);
  }
}

}  // namespace sp::packet
