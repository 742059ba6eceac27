// TCP expectations and injections (wire tcp).

// GCC 12 reports -Wmaybe-uninitialized inside std::variant's move constructor when a
// TcpOption (a variant holding vectors) is pushed into a vector: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <cmath>

#include "harness/match/match.hpp"
#include "harness/packet/ethernet.hpp"
#include "harness/packet/tcp.hpp"
#include "harness/packet/tcp_option.hpp"

namespace sp::harness {

using packet::TcpSegment;
namespace opt = packet::tcp_option;

std::string flags_text(uint16_t flags) {
  static constexpr struct {
    uint16_t bit;
    char letter;
  } kOrder[] = {{packet::kTcpSyn, 'S'}, {packet::kTcpFin, 'F'}, {packet::kTcpRst, 'R'},
                {packet::kTcpPsh, 'P'}, {packet::kTcpAck, 'A'}, {packet::kTcpUrg, 'U'},
                {packet::kTcpEce, 'E'}, {packet::kTcpCwr, 'W'}};
  std::string s;
  for (const auto& l : kOrder) {
    if (flags & l.bit) s += l.letter;
  }
  if (flags & packet::kTcpAe) s += "(AE)";
  return s.empty() ? "." : s;
}

std::string fields_text(const std::vector<Field>& fields) {
  std::string s;
  for (const Field& f : fields) {
    if (!s.empty()) s += ' ';
    s += f.text;
  }
  return s;
}

void SeqContext::observe_iut(const TcpSegment& segment) {
  const packet::TcpHeader& h = segment.header;
  if (h.has(packet::kTcpSyn) && !iut_isn) iut_isn = h.seq;
  uint32_t isn = iut_isn.value_or(0);
  uint32_t end = h.seq - isn + static_cast<uint32_t>(segment.payload.size()) +
                 (h.has(packet::kTcpSyn) ? 1 : 0) + (h.has(packet::kTcpFin) ? 1 : 0);
  if (static_cast<int32_t>(end - iut_next) > 0) iut_next = end;
  if (const auto* ts = packet::find_tcp_option<opt::Timestamps>(h.options)) iut_tsval = ts->value;
}

void SeqContext::learn_new_isn(const TcpSegment& segment) {
  iut_isn = segment.header.seq;
  iut_next = 0;
  observe_iut(segment);
}

void SeqContext::start_connection() {
  iut_isn.reset();
  tester_next = 0;
  iut_next = 0;
  iut_tsval.reset();
}

namespace {

std::string num(int64_t v) { return std::to_string(v); }

// Whether the 32-bit relative value `rel` is what `v` asks for.
bool seq_matches(const Value& v, uint32_t rel, uint32_t raw) {
  switch (v.kind) {
    case Value::Kind::kAny: return true;
    case Value::Kind::kNumber: return rel == static_cast<uint32_t>(v.low);
    case Value::Kind::kAbsolute: return raw == static_cast<uint32_t>(v.low);
    case Value::Kind::kRange:
      return static_cast<uint32_t>(rel - static_cast<uint32_t>(v.low)) <=
             static_cast<uint64_t>(v.high - v.low);
    default: return false;
  }
}

bool number_matches(const Value& v, std::optional<int64_t> actual) {
  switch (v.kind) {
    case Value::Kind::kAny: return true;
    case Value::Kind::kNone: return !actual;
    case Value::Kind::kNumber: return actual && *actual == v.low;
    case Value::Kind::kRange: return actual && *actual >= v.low && *actual <= v.high;
    default: return false;
  }
}

// Relative values shown as signed when they are small negatives (seq=-1).
std::string rel_text(uint32_t rel) {
  int32_t s = static_cast<int32_t>(rel);
  if (s < 0 && s > -65536) return num(s);
  return num(rel);
}

}  // namespace

std::string tcp_notation(const TcpSegment& segment, const SeqContext& ctx) {
  const packet::TcpHeader& h = segment.header;
  std::string s = "flags=" + flags_text(h.flags & 0x1ff);
  s += ctx.iut_isn ? " seq=" + rel_text(h.seq - *ctx.iut_isn) : " seq=#" + num(h.seq);
  if (h.has(packet::kTcpAck)) s += " ack=" + rel_text(h.ack - ctx.tester_isn);
  s += " win=" + num(h.window) + " len=" + num(static_cast<int64_t>(segment.payload.size()));
  return s;
}

MatchOutcome match_tcp(const std::vector<Field>& fields, const packet::DecodedIpv4& packet,
                       const SeqContext& ctx) {
  MatchOutcome out;
  out.match = true;
  if (!packet.tcp) {
    out.match = false;
    out.fields.push_back({"protocol", "TCP", packet::ip_protocol_name(packet.ip.header.protocol) +
                                                 (packet.is_fragment() ? " fragment" : ""),
                          false});
    return out;
  }
  const TcpSegment& seg = *packet.tcp;
  const packet::TcpHeader& h = seg.header;
  for (const Field& f : fields) {
    FieldDiff d;
    d.field = f.name;
    d.expected = f.value.text;
    const Value& v = f.value;
    if (f.name == "flags") {
      uint16_t actual = h.flags & 0x1ff;
      d.actual = flags_text(actual);
      d.ok = v.kind == Value::Kind::kAny || actual == static_cast<uint16_t>(v.low);
    } else if (f.name == "seq" || f.name == "ack") {
      bool is_seq = f.name == "seq";
      uint32_t raw = is_seq ? h.seq : h.ack;
      // Until the IUT's ISN is learned it counts as 0: relative values are absolute.
      std::optional<uint32_t> isn = is_seq ? ctx.iut_isn : std::optional<uint32_t>(ctx.tester_isn);
      uint32_t rel = raw - isn.value_or(0);
      d.actual = isn ? rel_text(rel) + " (absolute " + num(raw) + ")"
                     : num(raw) + " (absolute; the IUT's ISN is not known yet)";
      if (v.kind == Value::Kind::kAbsolute) d.actual = num(raw) + " (relative " + rel_text(rel) + ")";
      d.ok = seq_matches(v, rel, raw);
      if (!is_seq && !h.has(packet::kTcpAck)) d.actual += ", ACK bit off";
    } else if (f.name == "win") {
      d.actual = num(h.window);
      d.ok = number_matches(v, h.window);
    } else if (f.name == "len") {
      d.actual = num(static_cast<int64_t>(seg.payload.size()));
      d.ok = number_matches(v, static_cast<int64_t>(seg.payload.size()));
    } else if (f.name == "sport") {
      d.actual = num(h.src_port);
      d.ok = number_matches(v, h.src_port);
    } else if (f.name == "dport") {
      d.actual = num(h.dst_port);
      d.ok = number_matches(v, h.dst_port);
    } else if (f.name == "urg") {
      d.actual = num(h.urgent_pointer);
      d.ok = number_matches(v, h.urgent_pointer);
    } else if (f.name == "mss") {
      const auto* o = packet::find_tcp_option<opt::Mss>(h.options);
      d.actual = o ? num(o->value) : "none";
      d.ok = number_matches(v, o ? std::optional<int64_t>(o->value) : std::nullopt);
    } else if (f.name == "wscale") {
      const auto* o = packet::find_tcp_option<opt::WindowScale>(h.options);
      d.actual = o ? num(o->shift) : "none";
      d.ok = number_matches(v, o ? std::optional<int64_t>(o->shift) : std::nullopt);
    } else if (f.name == "sackok") {
      bool present = packet::find_tcp_option<opt::SackPermitted>(h.options) != nullptr;
      d.actual = present ? "1" : "none";
      d.ok = v.kind == Value::Kind::kAny || (v.kind == Value::Kind::kNone ? !present : present);
    } else if (f.name == "ts") {
      const auto* o = packet::find_tcp_option<opt::Timestamps>(h.options);
      d.actual = o ? num(o->value) + ":" + num(o->echo_reply) : "none";
      if (v.kind == Value::Kind::kAny) {
        d.ok = true;
      } else if (v.kind == Value::Kind::kNone) {
        d.ok = !o;
      } else {
        // Timestamps are compared as raw values; ts=*:ECR is the usual form.
        d.ok = o && seq_matches(v, o->value, o->value) &&
               (!f.second || seq_matches(*f.second, o->echo_reply, o->echo_reply));
      }
    } else {
      d.actual = "?";
      out.harness_error = "field " + f.name + " cannot be matched on wire tcp";
    }
    out.match = out.match && d.ok;
    out.fields.push_back(std::move(d));
  }
  if (!out.harness_error.empty()) out.match = false;
  return out;
}

namespace {

const Field* find_field(const std::vector<Field>& fields, const char* name) {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

packet::Result<packet::Bytes> build_tcp_injection(const std::vector<Field>& fields,
                                                  SeqContext& ctx, const AddressBook& book,
                                                  LinkType link, double now) {
  TcpSegment seg;
  packet::TcpHeader& h = seg.header;
  h.src_port = book.tester_port;
  h.dst_port = book.iut_port;
  h.window = 65535;
  h.flags = packet::kTcpAck;
  if (const Field* f = find_field(fields, "flags"); f && f->value.kind == Value::Kind::kNumber) {
    h.flags = static_cast<uint16_t>(f->value.low);
  }
  auto number = [&](const char* name, int64_t fallback) {
    const Field* f = find_field(fields, name);
    return f && f->value.kind == Value::Kind::kNumber ? f->value.low : fallback;
  };
  h.src_port = static_cast<uint16_t>(number("sport", h.src_port));
  h.dst_port = static_cast<uint16_t>(number("dport", h.dst_port));
  h.window = static_cast<uint16_t>(number("win", h.window));
  h.urgent_pointer = static_cast<uint16_t>(number("urg", 0));
  seg.payload.assign(static_cast<size_t>(number("len", 0)), 'x');

  uint32_t rel_seq = ctx.tester_next;
  if (const Field* f = find_field(fields, "seq")) {
    if (f->value.kind == Value::Kind::kNumber) rel_seq = static_cast<uint32_t>(f->value.low);
    if (f->value.kind == Value::Kind::kAbsolute) {
      rel_seq = static_cast<uint32_t>(f->value.low) - ctx.tester_isn;
    }
  }
  h.seq = ctx.tester_isn + rel_seq;

  const Field* ack = find_field(fields, "ack");
  if (ack && ack->value.kind == Value::Kind::kAbsolute) {
    h.ack = static_cast<uint32_t>(ack->value.low);
  } else if (ack && ack->value.kind == Value::Kind::kNumber) {
    // Until the IUT's ISN is learned it counts as 0.
    h.ack = ctx.iut_isn.value_or(0) + static_cast<uint32_t>(ack->value.low);
  } else if (h.has(packet::kTcpAck)) {
    h.ack = ctx.iut_isn.value_or(0) + ctx.iut_next;
  }
  // Without the ACK bit the field means nothing (RFC 9293 §3.1) and goes out as zero, as
  // in the pcaps `gen` writes; a raw `ack=#N` is sent as written.
  if (!h.has(packet::kTcpAck) && !(ack && ack->value.kind == Value::Kind::kAbsolute)) h.ack = 0;

  // Options in Linux's order: mss, sackOK + TS (or nop nop TS), nop, wscale.
  const Field* mss = find_field(fields, "mss");
  const Field* sackok = find_field(fields, "sackok");
  const Field* ts = find_field(fields, "ts");
  const Field* wscale = find_field(fields, "wscale");
  auto present = [](const Field* f) { return f && f->value.kind != Value::Kind::kNone; };
  if (present(mss)) {
    h.options.push_back(opt::Mss{static_cast<uint16_t>(
        mss->value.kind == Value::Kind::kNumber ? mss->value.low : 1460)});
  }
  bool sack = present(sackok);
  if (present(ts)) {
    uint32_t val = ts->value.kind == Value::Kind::kAny
                       ? static_cast<uint32_t>(std::llround(now * 1000)) + 1
                       : static_cast<uint32_t>(ts->value.low);
    uint32_t ecr = 0;
    if (ts->second && ts->second->kind != Value::Kind::kAny) {
      ecr = static_cast<uint32_t>(ts->second->low);
    } else {
      ecr = ctx.iut_tsval.value_or(0);
    }
    if (sack) {
      h.options.push_back(opt::SackPermitted{});
    } else {
      h.options.push_back(opt::Nop{});
      h.options.push_back(opt::Nop{});
    }
    h.options.push_back(opt::Timestamps{val, ecr});
  } else if (sack) {
    h.options.push_back(opt::Nop{});
    h.options.push_back(opt::Nop{});
    h.options.push_back(opt::SackPermitted{});
  }
  if (present(wscale)) {
    h.options.push_back(opt::Nop{});
    h.options.push_back(opt::WindowScale{static_cast<uint8_t>(
        wscale->value.kind == Value::Kind::kNumber ? wscale->value.low : 7)});
  }

  uint32_t advance = static_cast<uint32_t>(seg.payload.size()) + (h.has(packet::kTcpSyn) ? 1 : 0) +
                     (h.has(packet::kTcpFin) ? 1 : 0);
  uint32_t end = rel_seq + advance;
  if (static_cast<int32_t>(end - ctx.tester_next) > 0) ctx.tester_next = end;

  packet::Ipv4Header ip;
  ip.src = book.tester_ip;
  ip.dst = book.iut_ip;
  ip.ttl = 64;
  ip.dont_fragment = true;
  ip.identification = ctx.ip_id++;
  ip.protocol = packet::kIpProtocolTcp;
  if (link == LinkType::kIpv4) return packet::build_ipv4_tcp(ip, seg);
  packet::EthernetHeader eth{book.iut_mac, book.tester_mac, packet::kEtherTypeIpv4};
  return packet::build_frame_tcp(eth, ip, seg);
}

}  // namespace sp::harness
