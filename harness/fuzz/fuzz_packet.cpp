// libFuzzer target for the packet codecs. Decodes arbitrary bytes as an Ethernet
// frame, as an IPv4 packet, as a TCP segment and as a TCP options area, and checks:
//   - no crash, no sanitizer report, an error always carries a message;
//   - a successful decode builds back to the same bytes when every stored length and
//     checksum is kept;
//   - building with computed lengths and checksums gives the same bytes apart from
//     the checksum fields, and the result decodes with good checksums;
//   - formatting never fails.
// Build and run: scripts/fuzz-packet.sh [SECONDS].
#include <cstdio>
#include <cstdlib>
#include <span>

#include "harness/packet/decode.hpp"
#include "harness/packet/format.hpp"

namespace {

using namespace sp::packet;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_packet: property violated: %s\n", what);
    std::abort();
  }
}

// Copies `built` over the first bytes of a copy of `original` (the layer's payload
// may be followed by padding the layer does not own).
Bytes overlay(const Bytes& original, const Bytes& built) {
  require(built.size() <= original.size(), "built layer longer than the decoded buffer");
  Bytes out = original;
  std::copy(built.begin(), built.end(), out.begin());
  return out;
}

// Rebuilds an IPv4 packet (and its TCP segment) from a decode.
Bytes rebuild_ipv4(const DecodedIpv4& d, bool keep) {
  Ipv4Packet ip = d.ip;
  if (d.tcp) {
    auto tcp = build_tcp(*d.tcp, ip.header.src, ip.header.dst,
                         keep ? TcpBuildOptions::keep_all() : TcpBuildOptions{});
    require(tcp.ok(), "a decoded TCP segment does not build");
    ip.payload = std::move(tcp).value();
  }
  auto bytes = build_ipv4(ip, keep ? Ipv4BuildOptions::keep_all() : Ipv4BuildOptions{});
  require(bytes.ok(), "a decoded IPv4 packet does not build");
  return std::move(bytes).value();
}

// Zeroes the IPv4 and TCP checksum fields of a packet that decoded.
void clear_checksums(Bytes& packet, const DecodedIpv4& d) {
  packet[10] = packet[11] = 0;
  if (d.tcp) {
    const size_t tcp = size_t{d.ip.header.header_length} * 4;
    packet[tcp + 16] = packet[tcp + 17] = 0;
  }
}

void check_ipv4(std::span<const uint8_t> data) {
  auto d = decode_ipv4(data);
  if (!d) {
    require(!d.error().message.empty(), "ipv4 error without a message");
    return;
  }
  (void)format_ipv4(*d);
  (void)d->checksum_error();
  const Bytes input(data.begin(), data.begin() + d->ip.header.total_length);

  require(rebuild_ipv4(*d, true) == input, "ipv4 keep-all rebuild differs from the input");

  Bytes computed = rebuild_ipv4(*d, false);
  auto again = decode_ipv4(computed);
  require(again.ok(), "ipv4 computed rebuild does not decode");
  require(again->checksums_ok(), "ipv4 computed rebuild has bad checksums");
  require(again->tcp.has_value() == d->tcp.has_value(), "tcp presence changed on rebuild");
  Bytes expected = input;
  clear_checksums(expected, *d);
  clear_checksums(computed, *d);
  require(computed == expected, "ipv4 computed rebuild differs beyond checksums");
}

void check_frame(std::span<const uint8_t> data) {
  auto d = decode_frame(data);
  if (!d) {
    require(!d.error().message.empty(), "frame error without a message");
    return;
  }
  (void)format_frame(*d);
  const Bytes input(data.begin(), data.end());
  Bytes payload = d->ethernet.payload;
  if (d->arp) payload = overlay(payload, build_arp(*d->arp));
  if (d->ipv4) payload = overlay(payload, rebuild_ipv4(*d->ipv4, true));
  require(build_ethernet({d->ethernet.header, payload}) == input,
          "frame keep-all rebuild differs from the input");
}

void check_tcp(std::span<const uint8_t> data) {
  auto s = parse_tcp(data);
  if (!s) {
    require(!s.error().message.empty(), "tcp error without a message");
    return;
  }
  const Ipv4Address src{0xc0000201}, dst{0xc0000202};
  (void)format_tcp(*s, src, dst);
  auto bytes = build_tcp(*s, src, dst, TcpBuildOptions::keep_all());
  require(bytes.ok() && *bytes == Bytes(data.begin(), data.end()),
          "tcp keep-all rebuild differs from the input");
  auto computed = build_tcp(*s, src, dst);
  require(computed.ok(), "a parsed TCP segment does not build");
  require(check_tcp_checksum(src, dst, *computed).valid, "computed TCP checksum is bad");
}

void check_options(std::span<const uint8_t> data) {
  auto options = parse_tcp_options(data);
  if (!options) {
    require(!options.error().message.empty(), "options error without a message");
    return;
  }
  (void)format_tcp_options(*options);
  require(build_tcp_options(*options) == Bytes(data.begin(), data.end()),
          "options rebuild differs from the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  check_frame(bytes);
  check_ipv4(bytes);
  check_tcp(bytes);
  if (size <= 40) check_options(bytes);
  (void)format_frame_bytes(bytes);
  (void)format_ipv4_bytes(bytes);
  return 0;
}
