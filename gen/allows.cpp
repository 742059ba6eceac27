#include "gen/allows.hpp"

#include <cstdint>
#include <string>

namespace sp::gen {
namespace {

constexpr uint8_t kFin = 0x01, kSyn = 0x02, kAck = 0x10;

std::string field(const Event& e, const std::string& name) {
  for (const auto& [k, v] : e.fields) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

std::vector<Allow> retransmission_allows(const TestCase& tc, bool has_timeout) {
  std::vector<Allow> out;
  if (tc.wire != "tcp" || has_timeout) return out;
  std::vector<const Event*> expects;
  for (const Event& e : tc.events) {
    if (e.kind == Event::Kind::kExpect) expects.push_back(&e);
  }
  size_t k = 0;  // index of the IUT's packet in `expects`
  for (size_t i = 0; i < tc.packets.size(); ++i) {
    const Packet& p = tc.packets[i];
    if (!p.from_iut) continue;
    const Event* e = k < expects.size() ? expects[k] : nullptr;
    ++k;
    if (!e || !(p.flags & (kSyn | kFin))) continue;
    // RFC 9293 §3.4: SYN and FIN each occupy one sequence number; acknowledged once the
    // tester's ACK covers the segment's end.
    const uint32_t end = p.seq + p.len + ((p.flags & kSyn) ? 1 : 0) + ((p.flags & kFin) ? 1 : 0);
    // ... by an acceptable ACK: one that acknowledges nothing beyond the IUT's SND.NXT
    // (the end of everything it has sent so far; RFC 9293 §3.10.7.4: SND.UNA < SEG.ACK
    // =< SND.NXT). An ACK of unsent data leaves the segment unacknowledged.
    bool acked = false;
    uint32_t snd_nxt = end;
    for (size_t j = i + 1; j < tc.packets.size() && !acked; ++j) {
      const Packet& q = tc.packets[j];
      if (q.from_iut) {
        const uint32_t q_end = q.seq + q.len + ((q.flags & kSyn) ? 1 : 0) + ((q.flags & kFin) ? 1 : 0);
        if (static_cast<int32_t>(q_end - snd_nxt) > 0) snd_nxt = q_end;
        continue;
      }
      acked = (q.flags & kAck) && static_cast<int32_t>(q.ack - end) >= 0 &&
              static_cast<int32_t>(snd_nxt - q.ack) >= 0;
    }
    const std::string flags = field(*e, "flags"), seq = field(*e, "seq");
    if (acked || flags.empty() || seq.empty() || seq == "*") continue;
    Allow a;
    a.fields = {{"flags", flags}, {"seq", seq}};
    a.unprompted = true;
    a.comment = "the IUT's own retransmission of its " +
                std::string((p.flags & kSyn) ? ((p.flags & kAck) ? "SYN-ACK" : "SYN") : "FIN");
    bool dup = false;
    for (const Allow& b : out) dup |= b.fields == a.fields;
    if (!dup) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace sp::gen
