#include "harness/packet/tcp.hpp"

#include "harness/packet/byte_order.hpp"
#include "harness/packet/ipv4.hpp"

namespace sp::packet {
namespace {

constexpr size_t kChecksumOffset = 16;

std::string n(size_t value) { return std::to_string(value); }

}  // namespace

Result<TcpSegment> parse_tcp(std::span<const uint8_t> segment) {
  if (segment.size() < kTcpMinHeaderLength) {
    return make_error(ErrorCode::kTruncated, "tcp",
                      "segment of " + n(segment.size()) +
                          " bytes is shorter than the 20-byte header");
  }
  const uint8_t* p = segment.data();
  TcpSegment s;
  TcpHeader& h = s.header;
  h.data_offset = p[12] >> 4;
  if (h.data_offset < 5) {
    return make_error(ErrorCode::kBadLength, "tcp",
                      "data offset " + n(h.data_offset) + " words is less than the minimum 5");
  }
  const size_t header_bytes = size_t{h.data_offset} * 4;
  if (header_bytes > segment.size()) {
    return make_error(ErrorCode::kTruncated, "tcp",
                      "data offset " + n(h.data_offset) + " words exceeds segment length " +
                          n(segment.size()));
  }
  auto options = parse_tcp_options(segment.subspan(kTcpMinHeaderLength,
                                                   header_bytes - kTcpMinHeaderLength));
  if (!options) return options.error();
  h.options = std::move(options).value();
  h.src_port = load_be16(p);
  h.dst_port = load_be16(p + 2);
  h.seq = load_be32(p + 4);
  h.ack = load_be32(p + 8);
  h.reserved = (p[12] >> 1) & 0x07;
  h.flags = static_cast<uint16_t>(((p[12] & 0x01) << 8) | p[13]);
  h.window = load_be16(p + 14);
  h.checksum = load_be16(p + kChecksumOffset);
  h.urgent_pointer = load_be16(p + 18);
  s.payload.assign(segment.begin() + header_bytes, segment.end());
  return s;
}

Result<Bytes> build_tcp(const TcpSegment& segment, Ipv4Address src, Ipv4Address dst,
                        const TcpBuildOptions& options) {
  const TcpHeader& h = segment.header;
  Bytes option_bytes = build_tcp_options(h.options);
  if (option_bytes.size() > kTcpMaxOptionsLength && !options.keep_data_offset) {
    return make_error(ErrorCode::kTooLong, "tcp",
                      "options of " + n(option_bytes.size()) +
                          " bytes exceed the 40 bytes a TCP header can carry");
  }
  const size_t header_bytes = kTcpMinHeaderLength + (option_bytes.size() + 3) / 4 * 4;
  const size_t total = header_bytes + segment.payload.size();
  if (total > 0xffff) {
    return make_error(ErrorCode::kTooLong, "tcp",
                      "segment of " + n(total) + " bytes exceeds 65535");
  }
  const uint8_t data_offset =
      options.keep_data_offset ? h.data_offset : static_cast<uint8_t>(header_bytes / 4);

  Bytes out;
  out.reserve(total);
  append_be16(out, h.src_port);
  append_be16(out, h.dst_port);
  append_be32(out, h.seq);
  append_be32(out, h.ack);
  out.push_back(static_cast<uint8_t>(((data_offset & 0x0f) << 4) | ((h.reserved & 0x07) << 1) |
                                     ((h.flags >> 8) & 0x01)));
  out.push_back(static_cast<uint8_t>(h.flags));
  append_be16(out, h.window);
  append_be16(out, 0);  // checksum, filled in below
  append_be16(out, h.urgent_pointer);
  out.insert(out.end(), option_bytes.begin(), option_bytes.end());
  out.resize(header_bytes, 0);
  out.insert(out.end(), segment.payload.begin(), segment.payload.end());
  const uint16_t checksum = options.keep_checksum
                                ? h.checksum
                                : pseudo_header_checksum(src, dst, kIpProtocolTcp, out);
  store_be16(out.data() + kChecksumOffset, checksum);
  return out;
}

ChecksumCheck check_tcp_checksum(Ipv4Address src, Ipv4Address dst,
                                 std::span<const uint8_t> segment) {
  ChecksumCheck check;
  if (segment.size() < kTcpMinHeaderLength) {
    check.valid = false;
    return check;
  }
  check.found = load_be16(segment.data() + kChecksumOffset);
  check.valid = pseudo_header_checksum(src, dst, kIpProtocolTcp, segment) == 0;
  // The sum with the checksum field left out is the sum with it zeroed.
  ChecksumAccumulator acc;
  acc.add_u32(src.value);
  acc.add_u32(dst.value);
  acc.add_u16(kIpProtocolTcp);
  acc.add_u16(static_cast<uint16_t>(segment.size()));
  acc.add(segment.first(kChecksumOffset));
  acc.add(segment.subspan(kChecksumOffset + 2));
  check.expected = acc.finish();
  return check;
}

}  // namespace sp::packet
