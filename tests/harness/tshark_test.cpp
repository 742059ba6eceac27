// Cross-checks the builders against Wireshark's dissectors: frames are written to a
// pcap file (format written by hand: global header plus one record header per frame)
// and decoded with `tshark -V` with IPv4 and TCP checksum validation on. Skipped when
// tshark is not installed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "harness/packet/decode.hpp"
#include "harness/packet/format.hpp"
#include "tests/harness/packet_samples.hpp"

namespace sp::packet {
namespace {

using namespace tcp_option;
using testing::captured_arp_request_frame;
using testing::captured_syn_frame;
using testing::client_to_server_ip;
using testing::kClientIp;
using testing::kClientMac;
using testing::kServerIp;
using testing::kServerMac;
using testing::make_frame;
using testing::make_segment;

// Runs a shell command and returns its standard output (stderr discarded).
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

bool have_tshark() { return !run("command -v tshark").empty(); }

void put_u32(std::ofstream& out, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8),
                         static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
  out.write(bytes, 4);
}

void put_u16(std::ofstream& out, uint16_t v) {
  const char bytes[2] = {static_cast<char>(v), static_cast<char>(v >> 8)};
  out.write(bytes, 2);
}

// Classic pcap, little-endian, microsecond timestamps, LINKTYPE_ETHERNET (1).
std::string write_pcap(const std::string& name, const std::vector<Bytes>& frames) {
  // The pid keeps concurrent runs of the suite (several build trees) apart.
  const std::string path = ::testing::TempDir() + std::to_string(getpid()) + "_" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  put_u32(out, 0xa1b2c3d4);  // magic
  put_u16(out, 2);           // version 2.4
  put_u16(out, 4);
  put_u32(out, 0);      // thiszone
  put_u32(out, 0);      // sigfigs
  put_u32(out, 65535);  // snaplen
  put_u32(out, 1);      // network: Ethernet
  uint32_t usec = 0;
  for (const Bytes& frame : frames) {
    put_u32(out, 1700000000);  // seconds
    put_u32(out, usec += 1000);
    put_u32(out, static_cast<uint32_t>(frame.size()));  // captured length
    put_u32(out, static_cast<uint32_t>(frame.size()));  // original length
    out.write(reinterpret_cast<const char*>(frame.data()),
              static_cast<std::streamsize>(frame.size()));
  }
  return path;
}

const char* kTsharkChecks = " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE";

std::string tshark_verbose(const std::string& path) {
  return run("tshark -n -r " + path + kTsharkChecks + " -V");
}

// Markers of a frame Wireshark could not decode, whose checksum it rejected (IPv4:
// "Header checksum status: Bad", TCP: "Checksum Status: Bad", both "incorrect,
// should be 0x...") or whose option lengths it found wrong.
std::vector<std::string> problems(const std::string& text) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    for (const char* marker :
         {"Malformed", "incorrect", "Bad checksum", "status: Bad", "Status: Bad",
          "Expert Info (Error", "goes past end of options", "bogus", "should be"}) {
      if (line.find(marker) != std::string::npos) found.push_back(line);
    }
  }
  return found;
}

EthernetHeader to_server() { return {kServerMac, kClientMac, kEtherTypeIpv4}; }
EthernetHeader to_client() { return {kClientMac, kServerMac, kEtherTypeIpv4}; }

Ipv4Header server_to_client_ip() {
  Ipv4Header ip;
  ip.src = kServerIp;
  ip.dst = kClientIp;
  return ip;
}

TcpSegment from_server(uint16_t flags, uint32_t seq, uint32_t ack, TcpOptions options = {},
                       Bytes payload = {}) {
  TcpSegment s = make_segment(flags, seq, ack, 65160, std::move(options), std::move(payload));
  std::swap(s.header.src_port, s.header.dst_port);
  return s;
}

// A handshake, data with odd lengths, SACK, IP options, an unknown option, ARP, and a
// TCP segment split into two IPv4 fragments.
std::vector<Bytes> sample_frames() {
  std::vector<Bytes> frames;
  frames.push_back(captured_arp_request_frame());
  ArpPacket reply;
  reply.operation = kArpReply;
  reply.sender_mac = kServerMac;
  reply.sender_ip = kServerIp;
  reply.target_mac = kClientMac;
  reply.target_ip = kClientIp;
  frames.push_back(build_frame_arp({kClientMac, kServerMac, kEtherTypeArp}, reply,
                                   {.pad_to_minimum = true}));
  frames.push_back(captured_syn_frame());
  const uint32_t c = 0xa5ec2ff1;  // client ISN, from the captured SYN
  const uint32_t s = 0x01020304;  // server ISN
  frames.push_back(build_frame_tcp(to_client(), server_to_client_ip(),
                                   from_server(kTcpSyn | kTcpAck, s, c + 1,
                                               {Mss{1460}, SackPermitted{}, Timestamps{77, 133967114},
                                                Nop{}, WindowScale{7}}))
                       .value());
  frames.push_back(make_frame(make_segment(kTcpAck, c + 1, s + 1, 502,
                                           {Nop{}, Nop{}, Timestamps{133967115, 77}})));
  frames.push_back(make_frame(make_segment(kTcpAck | kTcpPsh, c + 1, s + 1, 502,
                                           {Nop{}, Nop{}, Timestamps{133967116, 77}},
                                           Bytes{'h', 'e', 'l', 'l', 'o'})));
  frames.push_back(build_frame_tcp(to_client(), server_to_client_ip(),
                                   from_server(kTcpAck, s + 1, c + 1,
                                               {Nop{}, Nop{}, Sack{{{c + 2, c + 4}, {c + 5, c + 6}}}}))
                       .value());
  // IP options: Router Alert (RFC 2113) and a padding EOL word.
  Ipv4Header with_options = client_to_server_ip();
  with_options.options = {0x94, 0x04, 0x00, 0x00};
  frames.push_back(build_frame_tcp(to_server(), with_options,
                                   make_segment(kTcpAck | kTcpPsh, c + 6, s + 1, 502, {},
                                                Bytes(7, 'x')))
                       .value());
  // RFC 6994 experimental option (kind 254, ExID 0xf989) and an unknown kind 99.
  frames.push_back(make_frame(make_segment(
      kTcpAck, c + 13, s + 1, 502,
      {Raw{254, {0xf9, 0x89, 0x01, 0x02}, std::nullopt}, Raw{99, {}, std::nullopt}, Nop{},
       Nop{}})));
  frames.push_back(make_frame(make_segment(kTcpFin | kTcpAck, c + 13, s + 1, 502)));
  frames.push_back(build_frame_tcp(to_client(), server_to_client_ip(),
                                   from_server(kTcpRst, s + 1, 0))
                       .value());
  // One TCP segment of 20 + 23 bytes in two fragments: 24 bytes at offset 0 (MF),
  // 19 bytes at offset 3 (x8 = 24).
  Ipv4Header ip = client_to_server_ip();
  ip.dont_fragment = false;
  ip.identification = 0x4242;
  const Bytes segment =
      build_tcp(make_segment(kTcpAck | kTcpPsh, c + 14, s + 1, 502, {}, Bytes(23, 'f')),
                ip.src, ip.dst)
          .value();
  Ipv4Packet first{ip, Bytes(segment.begin(), segment.begin() + 24)};
  first.header.more_fragments = true;
  Ipv4Packet second{ip, Bytes(segment.begin() + 24, segment.end())};
  second.header.fragment_offset = 3;
  frames.push_back(build_ethernet({to_server(), build_ipv4(first).value()}));
  frames.push_back(build_ethernet({to_server(), build_ipv4(second).value()}));
  return frames;
}

TEST(TsharkTest, BuiltFramesDecodeCleanly) {
  if (!have_tshark()) GTEST_SKIP() << "tshark is not installed; install it to cross-check frames";
  const std::vector<Bytes> frames = sample_frames();
  for (const Bytes& frame : frames) {  // our own decoder agrees first
    auto d = decode_frame(frame);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_TRUE(d->checksums_ok()) << format_frame(*d);
  }
  const std::string path = write_pcap("stateproof_good.pcap", frames);
  const std::string text = tshark_verbose(path);
  ASSERT_NE(text.find("Frame " + std::to_string(frames.size()) + ":"), std::string::npos)
      << "tshark did not decode all " << frames.size() << " frames:\n" << text;
  for (const std::string& line : problems(text)) ADD_FAILURE() << "tshark: " << line;
  // Validation was on and saw good checksums.
  EXPECT_NE(text.find("[Checksum Status: Good]"), std::string::npos) << text;
  // The fragments were reassembled into a TCP segment with 23 bytes of data.
  EXPECT_NE(text.find("[Reassembled IPv4 length: 43]"), std::string::npos) << text;
  EXPECT_NE(text.find("Len: 23"), std::string::npos) << text;
  std::remove(path.c_str());
}

TEST(TsharkTest, FieldsMatchOurDecoder) {
  if (!have_tshark()) GTEST_SKIP() << "tshark is not installed; install it to cross-check frames";
  const std::vector<Bytes> frames = sample_frames();
  const std::string path = write_pcap("stateproof_fields.pcap", frames);
  const std::string text =
      run("tshark -n -r " + path + kTsharkChecks +
          " -Y tcp -T fields -E separator=, -e frame.number -e tcp.srcport -e tcp.seq_raw"
          " -e tcp.ack_raw -e tcp.flags -e tcp.window_size_value -e tcp.len"
          " -e tcp.options.mss_val -e tcp.options.wscale.shift");
  std::istringstream lines(text);
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string number;
    std::getline(fields, number, ',');
    const size_t index = std::stoul(number) - 1;
    ASSERT_LT(index, frames.size());
    auto d = decode_frame(frames[index]);
    ASSERT_TRUE(d.ok());
    if (!d->ipv4->tcp) continue;  // the fragment, reassembled by tshark
    const TcpHeader& h = d->ipv4->tcp->header;
    char flags[8];
    std::snprintf(flags, sizeof flags, "0x%04x", h.flags);
    const Mss* mss = find_tcp_option<Mss>(h.options);
    const WindowScale* ws = find_tcp_option<WindowScale>(h.options);
    const std::string expected =
        number + "," + std::to_string(h.src_port) + "," + std::to_string(h.seq) + "," +
        (h.has(kTcpAck) ? std::to_string(h.ack) : "0") + "," + flags + "," +
        std::to_string(h.window) + "," + std::to_string(d->ipv4->tcp->payload.size()) + "," +
        (mss ? std::to_string(mss->value) : "") + "," + (ws ? std::to_string(ws->shift) : "");
    EXPECT_EQ(line, expected) << format_frame(*d);
    ++checked;
  }
  EXPECT_GE(checked, 9);
  std::remove(path.c_str());
}

// The markers the first test looks for do appear for broken frames, so its silence
// means something.
TEST(TsharkTest, BrokenFramesAreFlagged) {
  if (!have_tshark()) GTEST_SKIP() << "tshark is not installed; install it to cross-check frames";
  Bytes bad_ip = captured_syn_frame();
  bad_ip[14 + 10] ^= 0xff;
  Bytes bad_tcp = captured_syn_frame();
  bad_tcp[34 + 17] ^= 0x01;
  TcpSegment lying = make_segment(kTcpAck, 1, 1, 1, {Raw{kTcpOptionMss, {5, 0xb4}, uint8_t{9}}});
  auto bad_option = make_frame(lying);
  for (const Bytes& frame : {bad_ip, bad_tcp, bad_option}) {
    const std::string path = write_pcap("stateproof_bad.pcap", {frame});
    const std::string text = tshark_verbose(path);
    EXPECT_FALSE(problems(text).empty()) << format_frame_bytes(frame) << "\n" << text;
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace sp::packet
