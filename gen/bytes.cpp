#include "gen/bytes.hpp"

#include <cstring>

namespace sp::gen {

void ByteWriter::test(const TestCase& tc) {
  str(tc.name);
  strs(tc.covers);
  strs(tc.cites);
  str(tc.tier);
  str(tc.wire);
  str(tc.kind);
  strs(tc.notes);
  u64(tc.tester_isn.has_value());
  u64(tc.tester_isn.value_or(0));
  u64(tc.allows.size());
  for (const Allow& a : tc.allows) {
    pairs(a.fields);
    u64(a.unprompted);
    str(a.comment);
  }
  u64(tc.events.size());
  for (const Event& e : tc.events) {
    u64(static_cast<uint64_t>(e.kind));
    str(e.name);
    strs(e.args);
    u64(e.may_refuse);
    pairs(e.fields);
    u64(e.within.has_value());
    f64(e.within.value_or(0));
    f64(e.seconds);
    str(e.timer);
    u64(static_cast<uint64_t>(e.timer_base_ms));
    str(e.comment);
    u64(e.after_iut_packet);
  }
  u64(tc.packets.size());
  for (const Packet& p : tc.packets) {
    u64(p.from_iut);
    f64(p.time);
    for (uint64_t v : {uint64_t{p.flags}, uint64_t{p.seq}, uint64_t{p.ack}, uint64_t{p.win},
                       uint64_t{p.len}, uint64_t{p.op}, p.sha, p.tha, p.eth_src, p.eth_dst,
                       uint64_t{p.spa}, uint64_t{p.tpa}}) {
      u64(v);
    }
  }
  u64(tc.concrete_iut_isn);
  u64(tc.concrete_tester_isn);
  u64(tc.replay.size());
  for (const ReplayStep& r : tc.replay) {
    i64(r.transition);
    u64(r.ignored);
    ints(r.msg);
    ints(r.args);
    u64(r.sends.size());
    for (const auto& [port, fields] : r.sends) {
      i64(port);
      ints(fields);
    }
    i64(r.state_after);
  }
  ints(tc.iut_params);
  i64(tc.target_transition);
}

void ByteReader::Need(size_t n) const {
  if (n > bytes_.size() - pos_) throw ByteError("truncated worker result");
}

template <typename T>
T ByteReader::Fixed() {
  Need(sizeof(T));
  T v;
  std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
  pos_ += sizeof(T);
  return v;
}

uint64_t ByteReader::u64() { return Fixed<uint64_t>(); }

double ByteReader::f64() { return Fixed<double>(); }

size_t ByteReader::count() {
  const uint64_t n = u64();
  // Every element takes at least one byte (strings: their 8-byte length).
  if (n > bytes_.size() - pos_) throw ByteError("inconsistent worker result");
  return static_cast<size_t>(n);
}

std::string ByteReader::str() {
  const size_t n = count();
  std::string s = bytes_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::vector<std::string> ByteReader::strs() {
  std::vector<std::string> v(count());
  for (std::string& s : v) s = str();
  return v;
}

std::vector<std::pair<std::string, std::string>> ByteReader::pairs() {
  std::vector<std::pair<std::string, std::string>> v(count());
  for (auto& [k, x] : v) {
    k = str();
    x = str();
  }
  return v;
}

std::vector<int64_t> ByteReader::ints() {
  std::vector<int64_t> v(count());
  for (int64_t& x : v) x = i64();
  return v;
}

TestCase ByteReader::test() {
  TestCase tc;
  tc.name = str();
  tc.covers = strs();
  tc.cites = strs();
  tc.tier = str();
  tc.wire = str();
  tc.kind = str();
  tc.notes = strs();
  const bool has_isn = u64() != 0;
  const uint64_t isn = u64();
  if (has_isn) tc.tester_isn = static_cast<uint32_t>(isn);
  tc.allows.resize(count());
  for (Allow& a : tc.allows) {
    a.fields = pairs();
    a.unprompted = u64() != 0;
    a.comment = str();
  }
  tc.events.resize(count());
  for (Event& e : tc.events) {
    const uint64_t kind = u64();
    if (kind > static_cast<uint64_t>(Event::Kind::kAlternative)) throw ByteError("bad event kind");
    e.kind = static_cast<Event::Kind>(kind);
    e.name = str();
    e.args = strs();
    e.may_refuse = u64() != 0;
    e.fields = pairs();
    const bool has_within = u64() != 0;
    const double within = f64();
    if (has_within) e.within = within;
    e.seconds = f64();
    e.timer = str();
    e.timer_base_ms = static_cast<int64_t>(u64());
    e.comment = str();
    e.after_iut_packet = u64() != 0;
  }
  tc.packets.resize(count());
  for (Packet& p : tc.packets) {
    p.from_iut = u64() != 0;
    p.time = f64();
    p.flags = static_cast<uint8_t>(u64());
    p.seq = static_cast<uint32_t>(u64());
    p.ack = static_cast<uint32_t>(u64());
    p.win = static_cast<uint16_t>(u64());
    p.len = static_cast<uint16_t>(u64());
    p.op = static_cast<uint16_t>(u64());
    p.sha = u64();
    p.tha = u64();
    p.eth_src = u64();
    p.eth_dst = u64();
    p.spa = static_cast<uint32_t>(u64());
    p.tpa = static_cast<uint32_t>(u64());
  }
  tc.concrete_iut_isn = static_cast<uint32_t>(u64());
  tc.concrete_tester_isn = static_cast<uint32_t>(u64());
  tc.replay.resize(count());
  for (ReplayStep& r : tc.replay) {
    r.transition = static_cast<int>(i64());
    r.ignored = u64() != 0;
    r.msg = ints();
    r.args = ints();
    r.sends.resize(count());
    for (auto& [port, fields] : r.sends) {
      port = static_cast<int>(i64());
      fields = ints();
    }
    r.state_after = static_cast<int>(i64());
  }
  tc.iut_params = ints();
  tc.target_transition = static_cast<int>(i64());
  return tc;
}

}  // namespace sp::gen
