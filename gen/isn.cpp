// The ISN test (RFC 9293 §3.4.1, RFC 6528 §3): one stack, several connections in a row
// from different tester ports, and `expect isn unpredictable` on the ISNs it chose. The
// spec gives each endpoint one ISS, so the spec itself cannot say what a second
// connection's ISN is; what it gives is the loop: a SYN the IUT answers with a segment at
// its ISS (seq 0 relative to it, SYN set), and a segment that takes the IUT back to the
// state the SYN came in (LISTEN after a RST in SYN-RECEIVED, §3.10.7.4). The test is that
// loop's path, with the loop made again from other ports.
#include <algorithm>

#include "gen/suite.hpp"

namespace sp::gen {

namespace {

constexpr int kIsnConnections = 8;
constexpr int kFirstTesterPort = 40001;

const std::string* Field(const Event& e, const std::string& name) {
  for (const auto& [k, v] : e.fields) {
    if (k == name) return &v;
  }
  return nullptr;
}

void SetField(Event* e, const std::string& name, const std::string& value) {
  for (auto& [k, v] : e->fields) {
    if (k == name) {
      v = value;
      return;
    }
  }
  e->fields.emplace_back(name, value);
}

// The index of the `nth` last inject of `tc` (1: the last), or -1.
int NthLastInject(const TestCase& tc, int nth) {
  for (int i = static_cast<int>(tc.events.size()) - 1; i >= 0; --i) {
    if (tc.events[i].kind == Event::Kind::kInject && --nth == 0) return i;
  }
  return -1;
}

// A test whose last two steps are the loop: the SYN (flags S, no ACK) answered at the
// IUT's ISS (an expect with S and seq=0), then a segment back to the SYN's state.
bool IsLoop(const TestCase& tc) {
  const int syn = NthLastInject(tc, 2), back = NthLastInject(tc, 1);
  if (syn < 0 || back < 0) return false;
  const std::string* flags = Field(tc.events[syn], "flags");
  if (!flags || *flags != "S") return false;
  for (int i = syn + 1; i < back; ++i) {
    const Event& e = tc.events[i];
    if (e.kind != Event::Kind::kExpect) continue;
    const std::string* f = Field(e, "flags");
    const std::string* seq = Field(e, "seq");
    if (f && f->find('S') != std::string::npos && seq && *seq == "0") return true;
  }
  return false;
}

}  // namespace

void add_isn_test(SuiteContext& sc) {
  const ir::Role& role = sc.enc.role();
  const auto& nodes = sc.ex.nodes();
  for (size_t id = 1; id < nodes.size(); ++id) {
    const Node& back = nodes[id];
    if (back.parent <= 0 || back.transition < 0) continue;
    const Node& syn = nodes[back.parent];
    const ir::Transition& ts = role.transitions[syn.transition];
    const ir::Transition& tb = role.transitions[back.transition];
    // Both steps inject (recv); the second returns to the state the SYN came in.
    if (ts.event != ir::EventKind::kRecv || tb.event != ir::EventKind::kRecv || syn.sends.empty()) continue;
    if (sc.model.messages[role.ports[ts.event_index].message].wire != "tcp") continue;
    if (back.state.control != nodes[syn.parent].state.control || syn.state.control == back.state.control) continue;
    ConcretizeInput in;
    in.base = static_cast<int>(id);
    in.seed = sc.options.seed;
    in.name = "isn_unpredictable";
    std::string why;
    std::optional<TestCase> tc = sc.conc.run(in, &why);
    if (!tc || !IsLoop(*tc)) continue;
    // The loop's events, its packets and its replay steps, made again from other ports.
    const int first = NthLastInject(*tc, 2);
    const std::vector<Event> loop(tc->events.begin() + first, tc->events.end());
    tc->events.resize(static_cast<size_t>(first));
    std::vector<size_t> tester_packets;  // one per inject
    for (size_t p = 0; p < tc->packets.size(); ++p) {
      if (!tc->packets[p].from_iut) tester_packets.push_back(p);
    }
    if (tester_packets.size() < 2 || tc->replay.size() < 2) continue;
    const size_t first_packet = tester_packets[tester_packets.size() - 2];
    const std::vector<Packet> loop_packets(tc->packets.begin() + static_cast<std::ptrdiff_t>(first_packet),
                                           tc->packets.end());
    const std::vector<ReplayStep> loop_replay(tc->replay.end() - 2, tc->replay.end());
    tc->packets.resize(first_packet);
    tc->replay.resize(tc->replay.size() - 2);
    for (int k = 0; k < kIsnConnections; ++k) {
      const std::string port = std::to_string(kFirstTesterPort + k);
      for (Event e : loop) {
        // The state of a connection from another port is not "the connection" the
        // harness observes (agents ask for the one with port 40000).
        if (e.kind == Event::Kind::kExpectState || e.kind == Event::Kind::kAlternative) continue;
        // Silence is asserted once, at the end: a stray segment before it fails the
        // next expect anyway (docs/test-format.md, Strictness).
        if (e.kind == Event::Kind::kExpectNone && k + 1 < kIsnConnections) continue;
        if (e.kind == Event::Kind::kInject) SetField(&e, "sport", port);
        if (e.kind == Event::Kind::kExpect) {
          SetField(&e, "dport", port);
          // Each connection has an ISN of its own: the first one's is the reference.
          if (k > 0 && Field(e, "seq")) SetField(&e, "seq", "*");
        }
        tc->events.push_back(std::move(e));
      }
      // Connection k starts after connection k-1's last packet.
      const double shift = loop_packets.empty()
                               ? 0
                               : next_packet_time(tc->packets, loop_packets.front().time) -
                                     loop_packets.front().time;
      for (Packet p : loop_packets) {
        p.time += shift;
        tc->packets.push_back(p);
      }
      tc->replay.insert(tc->replay.end(), loop_replay.begin(), loop_replay.end());
    }
    Event check;
    check.kind = Event::Kind::kExpectIsn;
    check.comment = "RFC 6528 §3: ISN = M + F(4-tuple, secret)";
    tc->events.push_back(std::move(check));
    tc->cites.push_back("RFC 9293 §3.4.1");
    tc->cites.push_back("RFC 6528 §3");
    tc->notes.push_back(std::to_string(kIsnConnections) + " connections from tester ports " +
                        std::to_string(kFirstTesterPort) + ".." +
                        std::to_string(kFirstTesterPort + kIsnConnections - 1) +
                        "; their ISNs must not be predictable from each other");
    sc.add(std::move(*tc), syn.transition);
    return;
  }
  sc.out.skipped.push_back("isn_unpredictable: no SYN answered at the ISS and undone by a segment within depth " +
                           std::to_string(sc.options.depth));
}

}  // namespace sp::gen
