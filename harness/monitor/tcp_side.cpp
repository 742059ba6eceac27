#include "harness/monitor/tcp_side.hpp"

#include <set>

namespace sp::monitor {

namespace {

int find_var(const ir::Role& r, const char* name) {
  for (size_t v = 0; v < r.vars.size(); ++v) {
    if (r.vars[v].name == name) return static_cast<int>(v);
  }
  return -1;
}

void vars_read(const ir::Expr& e, std::set<int>* out) {
  if (e.op == ir::Op::kVar) out->insert(e.index);
  for (const ir::Expr& a : e.args) vars_read(a, out);
}

std::vector<std::string> names(const ir::Role& r, const std::vector<int>& states) {
  std::vector<std::string> out;
  for (int s : states) out.push_back(r.states[static_cast<size_t>(s)]);
  return out;
}

}  // namespace

TcpSide::TcpSide(const RoleSystem& rs, const TcpWireMap& wire, const TimerPolicy& timers)
    : rs_(rs), wire_(wire), tracker_(rs, timers) {}

bool TcpSide::closed() const { return started_ && tracker_.all_closed(); }

void TcpSide::give_up(const std::string& reason) {
  if (done()) return;
  result_.verdict = Verdict::kInconclusive;
  result_.reason = reason;
  held_.clear();
}

void TcpSide::add(const Segment& s) {
  if (done()) return;
  if (started_) {
    check(s);
    return;
  }
  held_.push_back(s);
  if (s.from_role || held_.size() >= kHold) start();
}

void TcpSide::finish() {
  if (!started_ && !done() && !held_.empty()) start();
}

void TcpSide::start() {
  started_ = true;
  std::vector<Segment> held = std::move(held_);
  held_.clear();
  bool syn_seen = false;
  const Segment* first_role = nullptr;
  for (const Segment& s : held) {
    if (s.from_role && !first_role) first_role = &s;
    if (!first_role && (s.flags & packet::kTcpSyn)) syn_seen = true;
  }
  if (first_role && (first_role->flags & packet::kTcpSyn)) syn_seen = true;
  const ir::Role& r = rs_.role();
  const int iss = find_var(r, "iss");
  if (syn_seen) {
    std::vector<std::pair<int, int64_t>> per_instance;
    if (iss >= 0 && first_role && (first_role->flags & packet::kTcpSyn)) per_instance.emplace_back(iss, first_role->seq);
    tracker_.seed({tracker_.initial(per_instance)});
    for (const Segment& s : held) {
      if (done()) return;
      check(s);
    }
    return;
  }
  if (!first_role) {
    // Nothing to solve a TCB from: the role may be idle in its initial state (a closed
    // port, a listener that drops what it gets). If that explains the segments, it
    // conforms; if not, nothing can be said.
    unsolved_ = true;
    tracker_.seed({tracker_.initial({})});
    for (const Segment& s : held) {
      if (done()) return;
      check(s);
    }
    return;
  }
  result_.mid_connection = true;
  seed_mid_connection(*first_role);
  if (done()) return;
  size_t skipped = 0;
  bool after = false;
  for (const Segment& s : held) {
    if (after) {
      if (done()) return;
      check(s);
    } else if (&s == first_role) {
      after = true;
    } else {
      ++skipped;
    }
  }
  result_.reason = "started mid-connection: state solved from frame " + std::to_string(first_role->frame) +
                   (skipped ? " (" + std::to_string(skipped) + " earlier segments not checked)" : "");
}

void TcpSide::seed_mid_connection(const Segment& s) {
  const ir::Role& r = rs_.role();
  const int una = find_var(r, "snd_una"), nxt = find_var(r, "snd_nxt"), rcv = find_var(r, "rcv_nxt");
  const int iss = find_var(r, "iss");
  if (una < 0 || nxt < 0 || rcv < 0) {
    give_up("the capture starts mid-connection and the role has no TCB variables snd_una, snd_nxt, rcv_nxt to solve");
    return;
  }
  if (!s.unrepresentable.empty()) {
    give_up(s.unrepresentable);
    return;
  }
  const uint32_t next = s.seq + ((s.flags & packet::kTcpFin) ? 1 : 0);
  // The variables the guards read (besides the TCB's numbers) take every value of their
  // type when it is small: which of them holds is learned from what follows.
  std::set<int> read;
  for (const ir::Transition& t : r.transitions) vars_read(t.guard, &read);
  std::vector<std::pair<int, std::vector<int64_t>>> choices;
  for (int v : read) {
    const ir::Var& var = r.vars[static_cast<size_t>(v)];
    if (!var.assigned || v == una || v == nxt || v == rcv) continue;
    const ir::Type& t = rs_.model().types[static_cast<size_t>(var.type)];
    if ((t.kind != ir::TypeKind::kBool && t.kind != ir::TypeKind::kInt) || t.hi - t.lo > 3) continue;
    std::vector<int64_t> values;
    for (int64_t x = t.lo; x <= t.hi; ++x) values.push_back(x);
    choices.emplace_back(v, values);
  }
  const size_t timers = r.timers.size();
  std::vector<Config> seeds;
  Config base = tracker_.initial({});
  for (size_t state = 0; state < r.states.size(); ++state) {
    if (static_cast<int>(state) == r.initial) continue;
    for (uint32_t back = 0; back < 2; ++back) {
      for (uint32_t armed = 0; armed < (1u << timers); ++armed) {
        size_t combos = 1;
        for (const auto& c : choices) combos *= c.second.size();
        for (size_t combo = 0; combo < combos; ++combo) {
          Config c = base;
          c.slots[static_cast<size_t>(rs_.state_slot())] = static_cast<int64_t>(state);
          c.slots[static_cast<size_t>(rs_.var_slot(nxt))] = next;
          c.slots[static_cast<size_t>(rs_.var_slot(una))] = static_cast<uint32_t>(next - back);
          c.slots[static_cast<size_t>(rs_.var_slot(rcv))] = (s.flags & packet::kTcpAck) ? s.ack : 0;
          if (iss >= 0) c.slots[static_cast<size_t>(rs_.var_slot(iss))] = static_cast<uint32_t>(next - back - 1);
          size_t rest = combo;
          for (const auto& [v, values] : choices) {
            c.slots[static_cast<size_t>(rs_.var_slot(v))] = values[rest % values.size()];
            rest /= values.size();
          }
          for (size_t k = 0; k < timers; ++k) {
            const bool on = (armed >> k) & 1;
            c.slots[static_cast<size_t>(rs_.timer_slot(static_cast<int>(k)))] = on;
            c.timer_start[k] = on ? kUnknownTime : 0;
            c.timer_backoff[k] = on ? 1 : 0;
          }
          seeds.push_back(std::move(c));
        }
      }
    }
  }
  tracker_.seed(std::move(seeds));
}

void TcpSide::check(const Segment& s) {
  if (!s.unrepresentable.empty()) {
    give_up(s.unrepresentable + " at frame " + std::to_string(s.frame));
    return;
  }
  const Tracker::Outcome o = s.from_role ? tracker_.send(s.fields, s.time_us) : tracker_.receive(s.fields, s.time_us);
  ++result_.checked;
  if (o == Tracker::Outcome::kTooMany) {
    give_up("more than " + std::to_string(Tracker::kMaxConfigs) + " possible configurations at frame " +
            std::to_string(s.frame));
    return;
  }
  if (o == Tracker::Outcome::kDeparts) depart(s);
}

void TcpSide::depart(const Segment& s) {
  if (unsolved_) {
    give_up("the capture starts mid-connection and the role sent no segment to solve its state from");
    return;
  }
  const ir::Role& r = rs_.role();
  result_.verdict = Verdict::kDeparts;
  Departure& d = result_.departure;
  d.frame = s.frame;
  d.time_us = s.time_us;
  d.direction = s.from_role ? "sent by the role" : "received by the role";
  d.segment = wire_.text(s.fields);
  d.states = names(r, tracker_.states());  // the tracker holds the configurations before it
  for (const Expected& e : tracker_.expected_outputs(s.time_us)) {
    if (!s.from_role && !e.message.empty()) continue;  // a receive departs: outputs are beside the point
    Allowed a;
    a.segment = e.message.empty() ? "nothing" : wire_.text(e.message);
    if (e.transition >= 0) {
      const ir::Transition& t = r.transitions[static_cast<size_t>(e.transition)];
      a.transition = t.name;
      a.cite = t.cite;
      if (e.early_timer && t.event == ir::EventKind::kTimeout) {
        const ir::Timer& timer = r.timers[static_cast<size_t>(t.event_index)];
        a.note = "only if timer " + timer.name + " expired earlier than the spec allows";
      }
    }
    d.allowed.push_back(std::move(a));
  }
}

}  // namespace sp::monitor
