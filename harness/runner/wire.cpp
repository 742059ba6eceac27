#include "harness/runner/wire.hpp"

#include <cstdint>
#include <cstring>

namespace sp::harness {
namespace {

constexpr uint32_t kMagic = 0x53505233;  // "SPR3"

class Writer {
 public:
  void u32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), 4); }
  void i64(int64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool u32(uint32_t* v) { return raw(v, 4); }
  bool i64(int64_t* v) { return raw(v, 8); }
  bool f64(double* v) { return raw(v, 8); }
  bool i32(int* v) {
    uint32_t u;
    if (!u32(&u)) return false;
    *v = static_cast<int>(u);
    return true;
  }
  bool str(std::string* s) {
    uint32_t n;
    if (!u32(&n) || n > in_.size() - pos_) return false;
    s->assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  bool raw(void* v, size_t n) {
    if (in_.size() - pos_ < n) return false;
    std::memcpy(v, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string encode_result(const TestResult& r) {
  Writer w;
  w.u32(kMagic);
  w.str(r.name);
  w.str(r.path);
  w.u32(static_cast<uint32_t>(r.verdict));
  w.u32(r.failure ? 1 : 0);
  if (r.failure) {
    const Failure& f = *r.failure;
    w.str(f.kind);
    w.u32(static_cast<uint32_t>(f.line));
    w.str(f.event);
    w.str(f.step);
    w.str(f.stimulus);
    w.str(f.state);
    w.str(f.message);
    w.str(f.observed);
    w.u32(static_cast<uint32_t>(f.fields.size()));
    for (const FieldDiff& d : f.fields) {
      w.str(d.field);
      w.str(d.expected);
      w.str(d.actual);
      w.u32(d.ok ? 1 : 0);
    }
  }
  w.str(r.diff);
  w.str(r.deviation);
  w.str(r.deviation_text);
  w.str(r.note);
  w.f64(r.duration);
  w.i64(r.start_realtime_ns);
  w.u32(r.link_ethernet ? 1 : 0);
  w.u32(static_cast<uint32_t>(r.packets.size()));
  for (const PacketRecord& p : r.packets) {
    w.f64(p.time);
    w.u32(p.from_iut ? 1 : 0);
    w.str(std::string_view(reinterpret_cast<const char*>(p.bytes.data()), p.bytes.size()));
    w.str(p.summary);
    w.str(p.disposition);
    w.u32(static_cast<uint32_t>(p.line));
  }
  w.u32(static_cast<uint32_t>(r.trace.size()));
  for (const std::string& t : r.trace) w.str(t);
  w.u32(static_cast<uint32_t>(r.reaction_latencies.size()));
  for (double l : r.reaction_latencies) w.f64(l);
  w.u32(kMagic);
  return w.take();
}

bool decode_result(std::string_view bytes, TestResult* out) {
  Reader rd(bytes);
  TestResult r;
  uint32_t magic = 0, u = 0, n = 0;
  if (!rd.u32(&magic) || magic != kMagic) return false;
  if (!rd.str(&r.name) || !rd.str(&r.path) || !rd.u32(&u) || u > 5) return false;
  r.verdict = static_cast<Verdict>(u);
  if (!rd.u32(&u)) return false;
  if (u) {
    Failure f;
    if (!rd.str(&f.kind) || !rd.i32(&f.line) || !rd.str(&f.event) || !rd.str(&f.step) || !rd.str(&f.stimulus) || !rd.str(&f.state) || !rd.str(&f.message) ||
        !rd.str(&f.observed) || !rd.u32(&n) || n > bytes.size()) {
      return false;
    }
    for (uint32_t i = 0; i < n; ++i) {
      FieldDiff d;
      if (!rd.str(&d.field) || !rd.str(&d.expected) || !rd.str(&d.actual) || !rd.u32(&u)) return false;
      d.ok = u != 0;
      f.fields.push_back(std::move(d));
    }
    r.failure = std::move(f);
  }
  if (!rd.str(&r.diff) || !rd.str(&r.deviation) || !rd.str(&r.deviation_text) || !rd.str(&r.note) ||
      !rd.f64(&r.duration) || !rd.i64(&r.start_realtime_ns) || !rd.u32(&u) || !rd.u32(&n) ||
      n > bytes.size()) {
    return false;
  }
  r.link_ethernet = u != 0;
  for (uint32_t i = 0; i < n; ++i) {
    PacketRecord p;
    std::string raw;
    if (!rd.f64(&p.time) || !rd.u32(&u) || !rd.str(&raw) || !rd.str(&p.summary) ||
        !rd.str(&p.disposition) || !rd.i32(&p.line)) {
      return false;
    }
    p.from_iut = u != 0;
    p.bytes.assign(raw.begin(), raw.end());
    r.packets.push_back(std::move(p));
  }
  if (!rd.u32(&n) || n > bytes.size()) return false;
  for (uint32_t i = 0; i < n; ++i) {
    std::string t;
    if (!rd.str(&t)) return false;
    r.trace.push_back(std::move(t));
  }
  if (!rd.u32(&n) || n > bytes.size()) return false;
  for (uint32_t i = 0; i < n; ++i) {
    double l = 0;
    if (!rd.f64(&l)) return false;
    r.reaction_latencies.push_back(l);
  }
  if (!rd.u32(&magic) || magic != kMagic || !rd.done()) return false;
  *out = std::move(r);
  return true;
}

}  // namespace sp::harness
