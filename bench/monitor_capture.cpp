// Writes a large capture of mixed TCP connections for bench/monitor.sh: Ethernet, classic
// pcap, many connections open at once (interleaved round-robin), each one of:
//   45%  a clean open and close: SYN, SYN-ACK, ACK, FIN-ACK, ACK, FIN-ACK, ACK
//   25%  data both ways (PSH-ACK segments of 200-1400 bytes), then the close
//   15%  closed by a RST after the handshake
//   10%  refused: SYN, RST-ACK
//    5%  a fault: a bad ACK from the server in the handshake
// Usage: monitor_capture OUT.pcap BYTES [OPEN]   (OPEN: connections open at once, 2000)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Writer {
  FILE* f;
  uint64_t bytes = 0, packets = 0;
  int64_t now_us = 1'700'000'000'000'000;

  void u32(uint32_t v) { std::fwrite(&v, 4, 1, f); }
  void header() {
    u32(0xa1b2c3d4);
    const uint16_t v[2] = {2, 4};
    std::fwrite(v, sizeof v, 1, f);
    u32(0);
    u32(0);
    u32(65535);
    u32(1);  // LINKTYPE_ETHERNET
    bytes = 24;
  }
  static void be16(uint8_t* p, uint32_t v) { p[0] = uint8_t(v >> 8), p[1] = uint8_t(v); }
  static void be32(uint8_t* p, uint32_t v) { be16(p, v >> 16), be16(p + 2, v & 0xffff); }
  static uint16_t sum(const uint8_t* p, size_t n, uint32_t acc) {
    for (size_t i = 0; i + 1 < n; i += 2) acc += uint32_t(p[i]) << 8 | p[i + 1];
    if (n & 1) acc += uint32_t(p[n - 1]) << 8;
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    return uint16_t(~acc);
  }
  void segment(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack,
               uint16_t len) {
    static uint8_t b[14 + 20 + 20 + 1500];
    const size_t ip_len = 20 + 20 + len, total = 14 + ip_len;
    std::memset(b, 0, 14 + 40);
    std::memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
    uint8_t* ip = b + 14;
    ip[0] = 0x45;
    be16(ip + 2, uint32_t(ip_len));
    ip[6] = 0x40;
    ip[8] = 64;
    ip[9] = 6;
    be32(ip + 12, src);
    be32(ip + 16, dst);
    be16(ip + 10, sum(ip, 20, 0));
    uint8_t* t = ip + 20;
    be16(t, sport);
    be16(t + 2, dport);
    be32(t + 4, seq);
    be32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    be16(t + 14, 64240);
    std::memset(t + 20, 'x', len);
    uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + uint32_t(20 + len);
    be16(t + 16, sum(t, 20 + len, pseudo));
    now_us += 50;  // 20,000 packets a second of capture time
    u32(uint32_t(now_us / 1000000));
    u32(uint32_t(now_us % 1000000));
    u32(uint32_t(total));
    u32(uint32_t(total));
    std::fwrite(b, total, 1, f);
    bytes += 16 + total;
    ++packets;
  }
};

constexpr uint8_t F = 1, S = 2, R = 4, P = 8, A = 16;

// One connection's segments, produced one at a time.
struct Conn {
  uint32_t c_ip, s_ip;
  uint16_t c_port, s_port;
  uint32_t cs, ss;  // next sequence numbers
  int kind = 0, step = 0, data = 0;

  // Writes the next segment; false when the connection is over.
  bool next(Writer& w, uint32_t rnd) {
    auto c2s = [&](uint8_t fl, uint32_t seq, uint32_t ack, uint16_t len) { w.segment(c_ip, c_port, s_ip, s_port, fl, seq, ack, len); };
    auto s2c = [&](uint8_t fl, uint32_t seq, uint32_t ack, uint16_t len) { w.segment(s_ip, s_port, c_ip, c_port, fl, seq, ack, len); };
    switch (step++) {
      case 0: c2s(S, cs++, 0, 0); return true;
      case 1:
        if (kind == 3) { s2c(R | A, 0, cs, 0); return false; }
        if (kind == 4) { s2c(S | A, ss, cs + 7, 0); return false; }  // acknowledges unsent data
        s2c(S | A, ss++, cs, 0);
        return true;
      case 2: c2s(A, cs, ss, 0); return true;
      default: break;
    }
    if (kind == 2) { c2s(R, cs, 0, 0); return false; }
    if (kind == 1 && data < 6) {
      const uint16_t len = uint16_t(200 + rnd % 1200);
      if (data++ % 2 == 0) c2s(P | A, cs, ss, len), cs += len; else s2c(P | A, ss, cs, len), ss += len;
      return true;
    }
    switch (step - (kind == 1 ? data : 0)) {
      case 4: c2s(F | A, cs++, ss, 0); return true;
      case 5: s2c(A, ss, cs, 0); return true;
      case 6: s2c(F | A, ss++, cs, 0); return true;
      default: c2s(A, cs, ss, 0); return false;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: monitor_capture OUT.pcap BYTES [OPEN]\n");
    return 2;
  }
  const uint64_t want = std::strtoull(argv[2], nullptr, 10);
  const size_t open = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2000;
  Writer w{std::fopen(argv[1], "wb")};
  if (!w.f) {
    std::perror(argv[1]);
    return 2;
  }
  static char buf[1 << 20];
  std::setvbuf(w.f, buf, _IOFBF, sizeof buf);
  w.header();
  uint32_t rnd = 12345, serial = 0;
  auto rand32 = [&] { return rnd = rnd * 1664525u + 1013904223u; };
  auto fresh = [&] {
    Conn c;
    const uint32_t n = serial++;
    c.c_ip = 0x0a000000 | (1 + n % 200) << 8 | 1;  // 10.0.x.1 -> 10.1.0.x
    c.s_ip = 0x0a010000 | (1 + n % 50);
    c.c_port = uint16_t(20000 + n % 40000);
    c.s_port = 80;
    c.cs = rand32();
    c.ss = rand32();
    const uint32_t r = rand32() % 100;
    c.kind = r < 45 ? 0 : r < 70 ? 1 : r < 85 ? 2 : r < 95 ? 3 : 4;
    return c;
  };
  std::vector<Conn> conns;
  for (size_t i = 0; i < open; ++i) conns.push_back(fresh());
  while (w.bytes < want) {
    for (Conn& c : conns) {
      if (!c.next(w, rand32())) c = fresh();
      if (w.bytes >= want) break;
    }
  }
  if (std::fclose(w.f) != 0) {
    std::perror(argv[1]);
    return 2;
  }
  std::printf("%llu packets, %llu bytes, %u connections started\n", (unsigned long long)w.packets,
              (unsigned long long)w.bytes, serial);
  return 0;
}
