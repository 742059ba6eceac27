#include "harness/engine/executor.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <deque>
#include <optional>

#include "harness/engine/isn_check.hpp"
#include "harness/match/match.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/format.hpp"
#include "harness/suite/steps.hpp"

namespace sp::harness {
namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// A packet from the IUT, decoded once on arrival.
struct Observed {
  enum class Class { kTcp, kArp, kOther, kMalformed, kBadChecksum, kHarness };
  size_t record = 0;  // index in TestResult::packets
  double time = 0;    // since the test started
  Class cls = Class::kOther;
  std::optional<packet::DecodedIpv4> ip;
  std::optional<packet::EthernetHeader> ethernet;
  std::optional<packet::ArpPacket> arp;
  std::string error;  // kMalformed, kBadChecksum
};

class Executor {
 public:
  Executor(const TestCase& test, Target& target, const ExecuteOptions& options)
      : test_(test), target_(target), options_(options) {
    ctx_.tester_isn = test.tester_isn.value_or(options.tester_isn);
    step_ = initial_step(test);
  }

  TestResult run();

 private:
  bool failed() const { return result_.failure.has_value(); }
  void fail(Verdict verdict, Failure failure) {
    if (failed()) return;
    result_.verdict = verdict;
    result_.failure = std::move(failure);
  }
  Failure make_failure(const Event* e, std::string kind, std::string message) {
    Failure f;
    f.kind = std::move(kind);
    f.line = e ? e->line : 0;
    f.event = e ? e->text + (e->comment.empty() ? "" : "  # " + e->comment) : "end of test";
    f.step = step_;
    f.stimulus = stimulus_;
    f.state = state_;
    f.message = std::move(message);
    return f;
  }
  double rel(double t) const { return t - t0_; }
  void trace(const Event* e, const std::string& text) {
    std::string s = "+" + seconds_text(rel(target_.now())) + " ";
    s += e ? "line " + std::to_string(e->line) + ": " : "end: ";
    result_.trace.push_back(s + text);
  }

  // Receives packets until `until` (absolute), queueing them; with `first`, returns
  // as soon as one packet has been queued. False on a device error.
  bool pump(double until, bool first = false);
  Observed classify(const std::vector<uint8_t>& bytes) const;
  // The allow line that covers `o`, or null.
  const Allow* allowed(const Observed& o) const;
  MatchOutcome match(const std::vector<Field>& fields, const Observed& o) const;
  // " (retransmission after 0.207 s)" when the IUT sent the same segment (flags, seq,
  // length) before, with the time since its previous transmission; else "".
  std::string retransmission(const Observed& o) const;
  // Judges every queued packet: allowed ones are recorded, the first other one fails the
  // test as unexpected (`why`), unless it is an `or` outcome of the step holding event
  // `step_event` (-1: none). False when the test ended.
  bool judge_queue(const Event* e, const char* why, long step_event);
  // Whether the IUT took an `or` outcome of the step holding events[step_event]: `o` the
  // packet it sent instead of what the line `e` expects, or null for silence where `e`
  // expects a packet. Then the test ends, inconclusive, and the answer is true.
  bool take_alternative(long step_event, const Event* e, const Observed* o);
  // Fails with the packet at the front of the queue as unexpected / malformed.
  void fail_with_packet(const Event* e, const Observed& o, const char* why);

  void do_call(const Event& e, double at);
  void judge_before_inject(const Event& e, double at);
  void do_inject(const Event& e, double at);
  void expect_packet(const Event& e, double at);
  void expect_none(const Event& e, double at);
  void expect_state(const Event& e, double at);
  void expect_cache(const Event& e, double at);
  void expect_isn(const Event& e, double at);
  void finish();

  const TestCase& test_;
  Target& target_;
  const ExecuteOptions& options_;
  SeqContext ctx_;
  TestResult result_;
  std::deque<Observed> queue_;
  double t0_ = 0;
  double prev_ = 0;  // when the previous event completed (absolute)
  // Arrival (absolute) of the packet the latest `expect` matched; < 0 before any.
  double last_expected_ = -1;
  // Every event since that match was a `+0` observation: an inject now answers it.
  bool answering_ = false;
  // When the latest inject was written or call returned (absolute); -inf before any.
  double prompted_ = -1e300;
  std::string step_;  // Failure::step: the transition the latest commented line named
  std::string stimulus_;  // Failure::stimulus: the latest inject line
  std::string state_;     // Failure::state: the latest state confirmed by `expect state`
  bool opened_ = false;  // a listen or connect has succeeded
  std::vector<IsnSample> isns_;  // the ISN of the IUT's first SYN towards each tester port
  long index_ = -1;              // the event running (index in test_.events)
};


TestResult Executor::run() {
  result_.name = test_.name;
  result_.path = test_.path;
  result_.verdict = Verdict::kPass;
  result_.link_ethernet = target_.link() == LinkType::kEthernet;
  t0_ = target_.now();
  prev_ = t0_;
  for (const Event& e : test_.events) {
    ++index_;
    double at = e.anchor == Event::Anchor::kStart      ? t0_ + e.time
                : e.anchor == Event::Anchor::kIutPacket ? last_expected_ + e.time
                                                        : prev_ + e.time;
    if (e.anchor == Event::Anchor::kIutPacket && last_expected_ < 0) {
      // The parser refuses `iut+D` before any expect of a packet; a test built in code
      // may still get here.
      fail(Verdict::kError, make_failure(&e, "harness", "iut+ before any expected packet from the IUT"));
      break;
    }
    const bool observation = e.type == Event::Type::kExpectState || e.type == Event::Type::kExpectCache ||
                             e.type == Event::Type::kExpectPacket || e.type == Event::Type::kInject;
    if (e.anchor != Event::Anchor::kPrevious || e.time != 0 || !observation) answering_ = false;
    // What the IUT sent before a stimulus and no line consumed cannot be an answer to it:
    // judged before the inject, at the step that was running, so an expect after the
    // inject is met only by a packet sent after it.
    if (e.type == Event::Type::kInject) {
      judge_before_inject(e, at);
      if (failed()) break;
    }
    if (std::string s = step_of_comment(test_, e.comment); !s.empty()) step_ = std::move(s);
    if (std::string s = spec_state_of_comment(e.comment); !s.empty()) state_ = std::move(s);
    switch (e.type) {
      case Event::Type::kCall: do_call(e, at); break;
      case Event::Type::kInject: do_inject(e, at); break;
      case Event::Type::kWait:
        if (pump(at + e.wait)) prev_ = target_.now();
        break;
      case Event::Type::kExpectPacket: expect_packet(e, at); break;
      case Event::Type::kExpectNone: expect_none(e, at); break;
      case Event::Type::kExpectState: expect_state(e, at); break;
      case Event::Type::kExpectIsn: expect_isn(e, at); break;
      case Event::Type::kExpectCache: expect_cache(e, at); break;
    }
    if (failed()) break;
  }
  if (!failed()) finish();
  // Whatever is still queued was never judged.
  for (const Observed& o : queue_) {
    if (result_.packets[o.record].disposition.empty()) result_.packets[o.record].disposition = "unread";
  }
  result_.duration = target_.now() - t0_;
  return std::move(result_);
}

bool Executor::pump(double until, bool first) {
  while (true) {
    Received r = target_.receive(until);
    if (r.status == Received::Status::kTimeout) return true;
    if (r.status == Received::Status::kError) {
      Failure f = make_failure(nullptr, "setup", "reading the device failed: " + r.error);
      fail(Verdict::kError, std::move(f));
      return false;
    }
    PacketRecord rec;
    rec.time = rel(r.time);
    rec.from_iut = true;
    rec.bytes = std::move(r.bytes);
    Observed o = classify(rec.bytes);
    if (r.harness) o.cls = Observed::Class::kHarness;
    o.time = r.time;
    o.record = result_.packets.size();
    rec.summary = target_.link() == LinkType::kEthernet ? packet::format_frame_bytes(rec.bytes)
                                                          : packet::format_ipv4_bytes(rec.bytes);
    if (o.cls == Observed::Class::kHarness) rec.disposition = "harness";
    result_.packets.push_back(std::move(rec));
    if (o.cls == Observed::Class::kTcp) {
      ctx_.observe_iut(*o.ip->tcp);
      const packet::TcpHeader& h = o.ip->tcp->header;
      if (h.has(packet::kTcpSyn) && std::none_of(isns_.begin(), isns_.end(), [&](const IsnSample& s) {
            return s.peer_port == h.dst_port;
          })) {
        isns_.push_back({h.seq, r.time, h.dst_port});
      }
    }
    if (o.cls != Observed::Class::kHarness) {
      queue_.push_back(std::move(o));
      if (first) return true;
    }
    if (target_.now() >= until) return true;
  }
}

Observed Executor::classify(const std::vector<uint8_t>& bytes) const {
  Observed o;
  auto from_ipv4 = [&](packet::DecodedIpv4 ip) {
    if (std::optional<packet::PacketError> bad = ip.checksum_error()) {
      o.cls = Observed::Class::kBadChecksum;
      o.error = bad->message;
    } else if (ip.ip.header.protocol == packet::kIpProtocolUdp && ip.ip.payload.size() >= 8 &&
               std::string_view(reinterpret_cast<const char*>(ip.ip.payload.data()) + 8,
                                ip.ip.payload.size() - 8)
                       .starts_with(kResolveMarker)) {
      o.cls = Observed::Class::kHarness;
    } else if (ip.tcp) {
      o.cls = Observed::Class::kTcp;
    } else {
      o.cls = Observed::Class::kOther;
    }
    o.ip = std::move(ip);
  };
  if (target_.link() == LinkType::kIpv4) {
    auto d = packet::decode_ipv4(bytes);
    if (!d.ok()) {
      o.cls = Observed::Class::kMalformed;
      o.error = d.error().message;
      return o;
    }
    from_ipv4(std::move(d).value());
    return o;
  }
  auto d = packet::decode_frame(bytes);
  if (!d.ok()) {
    o.cls = Observed::Class::kMalformed;
    o.error = d.error().message;
    return o;
  }
  o.ethernet = d->ethernet.header;
  if (d->arp) {
    o.cls = Observed::Class::kArp;
    o.arp = *d->arp;
  } else if (d->ipv4) {
    from_ipv4(std::move(*d->ipv4));
  } else {
    o.cls = Observed::Class::kOther;
  }
  return o;
}

MatchOutcome Executor::match(const std::vector<Field>& fields, const Observed& o) const {
  if (test_.wire == Wire::kTcp) {
    if (o.cls == Observed::Class::kTcp || (o.cls == Observed::Class::kOther && o.ip)) {
      return match_tcp(fields, *o.ip, ctx_);
    }
    MatchOutcome m;
    m.fields.push_back({"protocol", "TCP", o.arp ? "ARP" : "not IPv4", false});
    return m;
  }
  if (o.cls == Observed::Class::kArp) return match_arp(fields, *o.ethernet, *o.arp, options_.book);
  MatchOutcome m;
  m.fields.push_back({"protocol", "ARP", o.ip ? "IPv4" : "other", false});
  return m;
}

const Allow* Executor::allowed(const Observed& o) const {
  if (o.cls == Observed::Class::kMalformed || o.cls == Observed::Class::kBadChecksum) return nullptr;
  for (const Allow& a : test_.allows) {
    if (a.unprompted && o.time - prompted_ < kPromptedWithin) continue;
    MatchOutcome m = match(a.fields, o);
    if (m.match) return &a;
  }
  return nullptr;
}

std::string Executor::retransmission(const Observed& o) const {
  const packet::TcpSegment& seg = *o.ip->tcp;
  double previous = -1;
  for (size_t i = 0; i < o.record; ++i) {
    const PacketRecord& p = result_.packets[i];
    if (!p.from_iut) continue;
    std::span<const uint8_t> bytes(p.bytes);
    if (target_.link() == LinkType::kEthernet) {
      if (bytes.size() < packet::kEthernetHeaderLength) continue;
      bytes = bytes.subspan(packet::kEthernetHeaderLength);
    }
    auto ip = packet::decode_ipv4(bytes);
    if (!ip.ok() || !ip->tcp) continue;
    const packet::TcpHeader& h = ip->tcp->header;
    if (h.seq == seg.header.seq && h.flags == seg.header.flags &&
        ip->tcp->payload.size() == seg.payload.size()) {
      previous = p.time;
    }
  }
  if (previous < 0) return "";
  return " (retransmission after " + seconds_text(rel(o.time) - previous) + " s)";
}

void Executor::fail_with_packet(const Event* e, const Observed& o, const char* why) {
  PacketRecord& rec = result_.packets[o.record];
  rec.line = e ? e->line : 0;
  if (o.cls == Observed::Class::kMalformed) {
    rec.disposition = "unexpected";
    Failure f = make_failure(e, "malformed", "the IUT sent a malformed packet: " + o.error);
    f.observed = rec.summary;
    f.fields.push_back({"decode", "well-formed", o.error, false});
    fail(Verdict::kFail, std::move(f));
    return;
  }
  if (o.cls == Observed::Class::kBadChecksum) {
    rec.disposition = "unexpected";
    Failure f = make_failure(e, "checksum", "the IUT sent a packet with a bad checksum: " + o.error);
    f.observed = rec.summary;
    f.fields.push_back({"checksum", "valid", o.error, false});
    fail(Verdict::kFail, std::move(f));
    return;
  }
  rec.disposition = "unexpected";
  Failure f = make_failure(e, "unexpected", why);
  f.observed = rec.summary;
  std::string actual = o.cls == Observed::Class::kTcp ? tcp_notation(*o.ip->tcp, ctx_) + retransmission(o)
                       : o.arp                        ? arp_notation(*o.arp, options_.book)
                                                      : rec.summary;
  f.fields.push_back({"packet", "no packet", actual, false});
  fail(Verdict::kFail, std::move(f));
}

void Executor::do_call(const Event& e, double at) {
  if (!pump(at)) return;
  CallOutcome c = target_.call(e.call);
  trace(&e, std::string("call ") + call_name(e.call.kind) + (c.ok ? " ok" : ": " + c.message));
  if (!c.ok && e.call.may_refuse && (!c.harness_error || c.no_connection)) {
    // The IUT refused a call the test lets it refuse: nothing more to judge here; what
    // it sends (or not) is for the following lines.
    trace(&e, "refusal allowed (may-refuse)");
    prev_ = target_.now();
    return;
  }
  if (!c.ok) {
    Failure f = make_failure(&e, c.harness_error ? "harness" : "call",
                             std::string("call ") + call_name(e.call.kind) + " failed: " + c.message);
    f.fields.push_back({"call", "ok", c.message, false});
    fail(c.harness_error ? Verdict::kError : Verdict::kFail, std::move(f));
    return;
  }
  if (e.call.kind == Call::Kind::kListen || e.call.kind == Call::Kind::kConnect) {
    // Every OPEN after the first starts a new connection (RFC 9293 §3.10.1; a connect
    // after listen selects a new ISS too): its sequence numbers are relative to its own
    // ISNs, the IUT's learned again from its next SYN.
    if (opened_) ctx_.start_connection();
    opened_ = true;
  }
  prev_ = target_.now();
  prompted_ = prev_;
}

bool Executor::judge_queue(const Event* e, const char* why, long step_event) {
  while (!queue_.empty()) {
    Observed o = std::move(queue_.front());
    queue_.pop_front();
    if (allowed(o)) {
      result_.packets[o.record].disposition = "allowed";
      if (e) result_.packets[o.record].line = e->line;
      continue;
    }
    if (!take_alternative(step_event, e, &o)) fail_with_packet(e, o, why);
    return false;
  }
  return true;
}

bool Executor::take_alternative(long step_event, const Event* e, const Observed* o) {
  if (step_event < 0 || test_.alternatives.empty()) return false;
  if (o && o->cls != Observed::Class::kTcp && o->cls != Observed::Class::kArp) return false;
  const size_t k = static_cast<size_t>(step_event);
  for (const Alternative& a : test_.alternatives) {
    if (k < a.first_event || k >= a.end_event) continue;
    if (o ? a.silent || !match(a.fields, *o).match : !a.silent) continue;
    std::string observed_state;
    if (!a.state.empty()) {
      // The state the alternative leads to, observed as `expect state` does.
      const double end = target_.now() + kDefaultWithin;
      while (true) {
        StateObservation st = target_.tcp_state();
        if (!st.ok) break;
        observed_state = st.state;
        if (st.state == a.state) break;
        const double now = target_.now();
        if (now >= end || !pump(std::min(end, now + options_.poll_interval))) break;
      }
      if (observed_state != a.state) continue;
    }
    Failure f = make_failure(e, "alternative",
                             "the IUT took " + a.step + ", another outcome the spec allows at this step (line " +
                                 std::to_string(a.line) + "); the test aims at " +
                                 (step_.empty() ? std::string("the lines above") : step_));
    f.fields.push_back({"step", step_.empty() ? "-" : step_, a.step, false});
    if (o) {
      PacketRecord& rec = result_.packets[o->record];
      rec.disposition = "alternative";
      rec.line = a.line;
      f.observed = rec.summary;
      f.fields.push_back({"packet", e && e->type == Event::Type::kExpectPacket ? fields_text(e->fields) : "no packet",
                          o->cls == Observed::Class::kTcp ? tcp_notation(*o->ip->tcp, ctx_)
                                                          : arp_notation(*o->arp, options_.book),
                          false});
    } else {
      f.fields.push_back({"packet", e ? fields_text(e->fields) : "-", "nothing", false});
    }
    if (!a.state.empty()) f.fields.push_back({"state", a.state, observed_state, true});
    trace(e, "the IUT took the alternative " + a.step + " (line " + std::to_string(a.line) + ")");
    fail(Verdict::kInconclusive, std::move(f));
    return true;
  }
  return false;
}

void Executor::judge_before_inject(const Event& e, double at) {
  if (pump(at)) judge_queue(&e, "the IUT sent a packet that no line before this inject consumed", index_ - 1);
}

void Executor::do_inject(const Event& e, double at) {
  if (!pump(at)) return;
  packet::Result<packet::Bytes> bytes =
      test_.wire == Wire::kTcp
          ? build_tcp_injection(e.fields, ctx_, options_.book, target_.link(), rel(target_.now()))
          : build_arp_injection(e.fields, options_.book);
  if (!bytes.ok()) {
    fail(Verdict::kError, make_failure(&e, "harness", "cannot build the packet: " + bytes.error().message));
    return;
  }
  if (test_.wire == Wire::kArp && target_.link() != LinkType::kEthernet) {
    fail(Verdict::kError, make_failure(&e, "harness", "wire arp needs an Ethernet target (linux-tap)"));
    return;
  }
  PacketRecord rec;
  rec.time = rel(target_.now());
  rec.from_iut = false;
  rec.bytes = *bytes;
  rec.summary = target_.link() == LinkType::kEthernet ? packet::format_frame_bytes(rec.bytes)
                                                        : packet::format_ipv4_bytes(rec.bytes);
  rec.disposition = "injected";
  rec.line = e.line;
  std::string error;
  const double written = target_.now();
  if (!target_.send(*bytes, &error)) {
    fail(Verdict::kError, make_failure(&e, "setup", "writing to the device failed: " + error));
    return;
  }
  if (answering_) result_.reaction_latencies.push_back(written - last_expected_);
  answering_ = false;
  prompted_ = written;
  trace(&e, "inject " + rec.summary);
  stimulus_ = e.text;
  result_.packets.push_back(std::move(rec));
  prev_ = target_.now();
}

void Executor::expect_packet(const Event& e, double at) {
  double within = e.within.value_or(kDefaultWithin);
  double lo = at - within, hi = at + within;
  std::string allowed_seen;
  while (true) {
    if (queue_.empty()) {
      if (!pump(hi, true)) return;
      if (queue_.empty()) {
        if (!allowed_seen.empty()) {
          Failure f = make_failure(&e, "timeout",
                                   "the IUT sent a packet the test allows instead of the expected "
                                   "one");
          f.observed = allowed_seen;
          f.fields.push_back({"packet", fields_text(e.fields), "only allowed: " + allowed_seen, false});
          fail(Verdict::kInconclusive, std::move(f));
        } else if (!take_alternative(index_, &e, nullptr)) {
          Failure f = make_failure(&e, "timeout",
                                   "no packet from the IUT within " + seconds_text(within) +
                                       " s of +" + seconds_text(rel(at)));
          f.fields.push_back({"packet", fields_text(e.fields), "nothing", false});
          fail(Verdict::kFail, std::move(f));
        }
        return;
      }
    }
    Observed o = std::move(queue_.front());
    queue_.pop_front();
    PacketRecord& rec = result_.packets[o.record];
    if (o.cls == Observed::Class::kMalformed || o.cls == Observed::Class::kBadChecksum) {
      fail_with_packet(&e, o, "");
      return;
    }
    MatchOutcome m = match(e.fields, o);
    if (!m.harness_error.empty()) {
      Failure f = make_failure(&e, "harness", m.harness_error);
      f.observed = rec.summary;
      f.fields = m.fields;
      fail(Verdict::kError, std::move(f));
      return;
    }
    if (m.match) {
      rec.line = e.line;
      if (o.time < lo - 1e-9 || o.time > hi + 1e-9) {
        rec.disposition = "unexpected";
        Failure f = make_failure(&e, "timing",
                                 "the expected packet arrived " +
                                     std::string(o.time < lo ? "too early" : "too late"));
        f.observed = rec.summary;
        f.fields = m.fields;
        f.fields.push_back({"arrival", "+" + seconds_text(rel(at)) + " ± " + seconds_text(within),
                            "+" + seconds_text(rel(o.time)), false});
        fail(Verdict::kFail, std::move(f));
        return;
      }
      rec.disposition = "expected";
      trace(&e, "expected " + rec.summary);
      if (o.ip && o.ip->tcp && o.ip->tcp->header.has(packet::kTcpSyn) &&
          std::any_of(e.fields.begin(), e.fields.end(),
                      [](const Field& f) { return f.name == "seq" && f.value.kind == Value::Kind::kAny; })) {
        ctx_.learn_new_isn(*o.ip->tcp);
      }
      prev_ = o.time;
      last_expected_ = o.time;
      answering_ = true;
      return;
    }
    if (const Allow* a = allowed(o)) {
      rec.disposition = "allowed";
      rec.line = e.line;
      trace(&e, "allowed " + rec.summary);
      // An unprompted packet (a timer's) is not the IUT's answer in place of the
      // expected one: when nothing else comes, the expected answer is simply missing.
      if (allowed_seen.empty() && !a->unprompted) allowed_seen = rec.summary;
      continue;
    }
    if (take_alternative(index_, &e, &o)) return;
    rec.disposition = "unexpected";
    rec.line = e.line;
    Failure f = make_failure(&e, "packet", "the packet from the IUT does not match the expect");
    // Whether it is a retransmission matters to a reader and to profiles (an RTO firing
    // early looks like this; the first transmission of the same segment does not).
    f.observed = rec.summary + (o.cls == Observed::Class::kTcp ? retransmission(o) : "");
    f.fields = m.fields;
    fail(Verdict::kFail, std::move(f));
    return;
  }
}

void Executor::expect_none(const Event& e, double at) {
  double within = e.within.value_or(kDefaultWithin);
  double end = at + within;
  while (true) {
    if (!judge_queue(&e, "the IUT sent a packet while the test expects silence", index_)) return;
    if (target_.now() >= end) break;
    if (!pump(end, true)) return;
    if (queue_.empty()) break;
  }
  trace(&e, "silence for " + seconds_text(within) + " s");
  prev_ = std::max(target_.now(), end);
}

void Executor::expect_isn(const Event& e, double at) {
  if (!pump(at)) return;
  IsnVerdict v = judge_isns(isns_);
  trace(&e, v.detail);
  if (!v.enough) {
    // The test itself is short of connections: it cannot judge the stack.
    fail(Verdict::kError, make_failure(&e, "harness", "expect isn unpredictable: too few connections: " + v.detail));
    return;
  }
  if (v.predictable) {
    Failure f = make_failure(&e, "isn", "the IUT's ISNs are predictable from each other (RFC 6528 §3)");
    f.fields.push_back({"isn", "unpredictable", v.detail, false});
    fail(Verdict::kFail, std::move(f));
    return;
  }
  prev_ = target_.now();
}

void Executor::expect_state(const Event& e, double at) {
  if (!pump(at)) return;
  double end = at + e.within.value_or(kDefaultWithin);
  while (true) {
    StateObservation s = target_.tcp_state();
    if (!s.ok) {
      fail(Verdict::kError, make_failure(&e, "setup", "observing the TCP state failed: " + s.error));
      return;
    }
    if (s.state == e.state) {
      trace(&e, "state " + s.state + (s.detail.empty() ? "" : " (" + s.detail + ")"));
      state_ = s.state;
      prev_ = target_.now();
      return;
    }
    double now = target_.now();
    if (now >= end) {
      Failure f = make_failure(&e, "state", "the IUT is in state " + s.state + ", not " + e.state);
      f.fields.push_back({"state", e.state, s.state, false});
      if (!s.detail.empty()) f.observed = s.detail;
      fail(Verdict::kFail, std::move(f));
      return;
    }
    if (!pump(std::min(end, now + options_.poll_interval))) return;
  }
}

void Executor::expect_cache(const Event& e, double at) {
  if (!pump(at)) return;
  double end = at + e.within.value_or(kDefaultWithin);
  std::optional<packet::Ipv4Address> addr = options_.book.ip(e.cache_address);
  std::optional<packet::MacAddress> want;
  if (e.cache_value) want = options_.book.mac(*e.cache_value);
  if (!addr || (e.cache_value && !want)) {
    fail(Verdict::kError, make_failure(&e, "harness", "cannot resolve the addresses of this line"));
    return;
  }
  std::string expected = e.cache_value ? options_.book.describe(*want) : "absent";
  while (true) {
    NeighbourObservation n = target_.neighbour(*addr);
    if (!n.ok) {
      fail(Verdict::kError, make_failure(&e, "setup", "reading the neighbour table failed: " + n.error));
      return;
    }
    bool ok = want ? (n.mac && *n.mac == *want) : !n.mac;
    std::string actual = n.mac ? options_.book.describe(*n.mac) : "absent";
    if (ok) {
      trace(&e, "cache " + options_.book.describe(*addr) + " " + actual);
      prev_ = target_.now();
      return;
    }
    double now = target_.now();
    if (now >= end) {
      Failure f = make_failure(&e, "cache",
                               "the IUT's neighbour table maps " + options_.book.describe(*addr) +
                                   " to " + actual + ", not " + expected);
      f.fields.push_back({"cache " + e.cache_address, expected, actual, false});
      f.observed = n.detail;
      fail(Verdict::kFail, std::move(f));
      return;
    }
    if (!pump(std::min(end, now + options_.poll_interval))) return;
  }
}

void Executor::finish() {
  if (pump(target_.now() + options_.settle)) {
    judge_queue(nullptr, "the IUT sent a packet that no expect consumed", static_cast<long>(test_.events.size()) - 1);
  }
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kFail: return "fail";
    case Verdict::kInconclusive: return "inconclusive";
    case Verdict::kExpectedDeviation: return "expected deviation";
    case Verdict::kError: return "error";
    case Verdict::kSkipped: return "skipped";
  }
  return "?";
}

TestResult execute_test(const TestCase& test, Target& target, const ExecuteOptions& options) {
  Executor x(test, target, options);
  return x.run();
}

}  // namespace sp::harness
