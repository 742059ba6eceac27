#include "harness/monitor/wire_map.hpp"

namespace sp::monitor {

namespace {

// The header bit of a flag item name (RFC 9293 §3.1 and RFC 3168's ECE, CWR).
uint16_t flag_bit(const std::string& item) {
  static const char* const kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
  for (int i = 0; i < 9; ++i) {
    if (item == kNames[i]) return static_cast<uint16_t>(1u << i);
  }
  return 0;
}

std::string flag_letters(uint16_t bits) {
  static constexpr struct {
    uint16_t bit;
    char letter;
  } kOrder[] = {{packet::kTcpSyn, 'S'}, {packet::kTcpFin, 'F'}, {packet::kTcpRst, 'R'}, {packet::kTcpPsh, 'P'},
                {packet::kTcpAck, 'A'}, {packet::kTcpUrg, 'U'}, {packet::kTcpEce, 'E'}, {packet::kTcpCwr, 'W'}};
  std::string s;
  for (const auto& l : kOrder) {
    if (bits & l.bit) s += l.letter;
  }
  return s.empty() ? "." : s;
}

}  // namespace

std::optional<TcpWireMap> TcpWireMap::build(const ir::Model& model, int message, std::string* error) {
  TcpWireMap m;
  const ir::Message& msg = model.messages.at(static_cast<size_t>(message));
  for (const ir::Field& f : msg.fields) {
    const ir::Type& t = model.types.at(static_cast<size_t>(f.type));
    Entry e{Source::kFlags, f.name, t.lo, t.hi, {}};
    auto want = [&](bool ok, const char* what) {
      if (!ok) *error = "field " + f.name + " of message " + msg.name + " must be " + what + " on wire tcp";
      return ok;
    };
    if (f.name == "flags") {
      if (!want(t.kind == ir::TypeKind::kSet && t.enum_type >= 0, "a set of flag names")) return std::nullopt;
      for (const std::string& item : model.types[static_cast<size_t>(t.enum_type)].items) {
        e.flag_bits.push_back(flag_bit(item));
      }
      m.flags_ = static_cast<int>(m.entries_.size());
    } else if (f.name == "seq" || f.name == "ack") {
      if (!want(t.kind == ir::TypeKind::kSeq && t.seq_bits == 32, "seq<32>, checked at --seq-bits 32")) {
        return std::nullopt;
      }
      e.source = f.name == "seq" ? Source::kSeq : Source::kAck;
      if (e.source == Source::kAck) m.ack_ = static_cast<int>(m.entries_.size());
    } else if (f.name == "win" || f.name == "len" || f.name == "urg" || f.name == "sport" || f.name == "dport") {
      if (!want(t.kind == ir::TypeKind::kInt, "an int")) return std::nullopt;
      e.source = f.name == "win" ? Source::kWin : f.name == "len" ? Source::kLen : f.name == "urg" ? Source::kUrg
                 : f.name == "sport" ? Source::kSport : Source::kDport;
    } else {
      *error = "field " + f.name + " of message " + msg.name +
               " has no wire tcp meaning (flags, seq, ack, win, len, urg, sport, dport)";
      return std::nullopt;
    }
    m.entries_.push_back(std::move(e));
  }
  return m;
}

int TcpWireMap::field(const std::string& name) const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool TcpWireMap::fields(const packet::TcpHeader& h, size_t payload_len, std::vector<int64_t>* out,
                        std::string* why) const {
  out->assign(entries_.size(), 0);
  bool has_len = false;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    int64_t v = 0;
    switch (e.source) {
      case Source::kFlags:
        for (size_t b = 0; b < e.flag_bits.size(); ++b) {
          if (e.flag_bits[b] && (h.flags & e.flag_bits[b])) v |= int64_t{1} << b;
        }
        break;
      case Source::kSeq: v = h.seq; break;
      // RFC 9293 §3.1: without the ACK bit the acknowledgment field means nothing; the
      // spec's sends leave it 0 then, and so does the monitor.
      case Source::kAck: v = (flags_ < 0 || (h.flags & packet::kTcpAck)) ? h.ack : 0; break;
      case Source::kWin: v = h.window; break;
      case Source::kLen: v = static_cast<int64_t>(payload_len); has_len = true; break;
      case Source::kUrg: v = h.urgent_pointer; break;
      case Source::kSport: v = h.src_port; break;
      case Source::kDport: v = h.dst_port; break;
    }
    if (e.source != Source::kFlags && e.source != Source::kSeq && e.source != Source::kAck &&
        (v < e.lo || v > e.hi)) {
      *why = e.name + " " + std::to_string(v) + " outside the spec's range " + std::to_string(e.lo) + ".." +
             std::to_string(e.hi);
      return false;
    }
    (*out)[i] = v;
  }
  if (payload_len > 0 && !has_len) {
    *why = "payload not modelled by the spec (" + std::to_string(payload_len) + " bytes of data)";
    return false;
  }
  return true;
}

uint16_t TcpWireMap::header_flags(const std::vector<int64_t>& f) const {
  if (flags_ < 0) return 0;
  uint16_t bits = 0;
  const Entry& e = entries_[static_cast<size_t>(flags_)];
  for (size_t b = 0; b < e.flag_bits.size(); ++b) {
    if ((f[static_cast<size_t>(flags_)] >> b) & 1) bits |= e.flag_bits[b];
  }
  return bits;
}

bool TcpWireMap::has_ack(const std::vector<int64_t>& f) const {
  return flags_ < 0 || (header_flags(f) & packet::kTcpAck);
}

std::string TcpWireMap::text(const std::vector<int64_t>& f) const {
  std::string s;
  for (size_t i = 0; i < entries_.size() && i < f.size(); ++i) {
    const Entry& e = entries_[i];
    if (!s.empty()) s += ' ';
    if (e.source == Source::kFlags) {
      s += "flags=" + flag_letters(header_flags(f));
    } else if (e.source == Source::kAck && !has_ack(f)) {
      s += "ack=-";
    } else {
      s += e.name + "=" + std::to_string(f[i]);
    }
  }
  return s;
}

}  // namespace sp::monitor
