#include "harness/monitor/tracker.hpp"

#include <algorithm>
#include <unordered_set>

namespace sp::monitor {

namespace {

// The identity of a configuration (its pending outputs' origins aside).
std::string key_of(const Config& c) {
  std::string k;
  k.reserve((c.slots.size() + 2 * c.timer_start.size()) * sizeof(int64_t));
  k.append(reinterpret_cast<const char*>(c.slots.data()), c.slots.size() * sizeof(int64_t));
  k.append(reinterpret_cast<const char*>(c.timer_start.data()), c.timer_start.size() * sizeof(int64_t));
  k.append(reinterpret_cast<const char*>(c.timer_backoff.data()), c.timer_backoff.size() * sizeof(int64_t));
  return k;
}

// Appends the configurations of `in` not seen yet to `out`.
class Distinct {
 public:
  bool add(Config c, std::vector<Config>* out) {
    if (!seen_.insert(key_of(c)).second) return false;
    out->push_back(std::move(c));
    return true;
  }

 private:
  std::unordered_set<std::string> seen_;
};

}  // namespace

Tracker::Tracker(const RoleSystem& rs, const TimerPolicy& timers) : rs_(rs), timers_(timers) {}

void Tracker::seed(std::vector<Config> configs) {
  configs_.clear();
  Distinct d;
  for (Config& c : configs) d.add(std::move(c), &configs_);
}

Config Tracker::initial(const std::vector<std::pair<int, int64_t>>& per_instance) const {
  Config c;
  c.slots = rs_.ts().initial_state();
  for (const auto& [var, value] : per_instance) c.slots[static_cast<size_t>(rs_.var_slot(var))] = value;
  const size_t n = rs_.role().timers.size();
  c.timer_start.assign(n, 0);
  c.timer_backoff.assign(n, 0);
  return c;
}

int Tracker::pending(const ir::Slots& s) const { return static_cast<int>(s[static_cast<size_t>(rs_.out_queue().len)]); }

bool Tracker::timer_allows(const Config& c, int t, int64_t now) const {
  const ir::Transition& tr = rs_.role().transitions[static_cast<size_t>(t)];
  if (tr.event != ir::EventKind::kTimeout || !timers_.check) return true;
  const size_t k = static_cast<size_t>(tr.event_index);
  if (c.timer_start[k] == kUnknownTime) return true;
  const size_t ti = static_cast<size_t>(t);
  const int64_t base = ti < timers_.transition_interval_us.size() && timers_.transition_interval_us[ti]
                           ? timers_.transition_interval_us[ti]
                           : timers_.interval_us[k];
  const double need = static_cast<double>(base) * static_cast<double>(c.timer_backoff[k]) * (1.0 - timers_.slack);
  return static_cast<double>(now - c.timer_start[k]) >= need;
}

Config Tracker::after(const Config& c, const ir::Successor& s, int t, int64_t now) const {
  Config n;
  n.slots = s.state;
  n.origin = c.origin;
  for (int k = pending(c.slots); k < pending(n.slots); ++k) n.origin.push_back(t);
  n.timer_start = c.timer_start;
  n.timer_backoff = c.timer_backoff;
  const ir::Role& r = rs_.role();
  const ir::Transition& tr = r.transitions[static_cast<size_t>(t)];
  for (size_t k = 0; k < r.timers.size(); ++k) {
    const int slot = rs_.timer_slot(static_cast<int>(k));
    if (!n.slots[static_cast<size_t>(slot)]) {  // disarmed: nothing to remember
      n.timer_start[k] = 0;
      n.timer_backoff[k] = 0;
      continue;
    }
    const bool written = std::find(s.changed.begin(), s.changed.end(), slot) != s.changed.end();
    const bool expired = tr.event == ir::EventKind::kTimeout && tr.event_index == static_cast<int>(k);
    if (!written && !expired) continue;  // still running from before
    // (Re)started by this step: after its own expiry the interval backs off (RFC 6298
    // §5.5 for rtx), otherwise it starts from the base.
    const int64_t prev = c.timer_backoff[k] ? c.timer_backoff[k] : 1;
    n.timer_backoff[k] = expired ? prev * r.timers[k].backoff : 1;
    n.timer_start[k] = now;
  }
  return n;
}

std::vector<Config> Tracker::closure(const std::vector<Config>& from, int64_t now, bool timed,
                                     bool* too_many) const {
  std::vector<Config> all;
  Distinct d;
  for (const Config& c : from) d.add(c, &all);
  size_t begin = 0;
  for (int depth = 0; depth < kClosureDepth; ++depth) {
    const size_t end = all.size();
    for (size_t i = begin; i < end; ++i) {
      const Config cur = all[i];  // `all` grows (and moves) below
      for (int t : rs_.unobserved()) {
        if (timed && !timer_allows(cur, t, now)) continue;
        rs_.ts().successors_of(cur.slots, 0, t, [&](const ir::Successor& s) {
          if (s.error) return;
          d.add(after(cur, s, t, now), &all);
        });
      }
      if (all.size() > kMaxConfigs) {
        *too_many = true;
        return all;
      }
    }
    begin = end;
    if (begin == all.size()) break;
  }
  return all;
}

Tracker::Outcome Tracker::receive(const std::vector<int64_t>& message, int64_t now) {
  bool too_many = false;
  std::vector<Config> before = closure(configs_, now, true, &too_many);
  if (too_many) return Outcome::kTooMany;
  const ir::QueueLayout& q = rs_.in_queue();
  std::vector<Config> next;
  Distinct d;
  for (Config& c : before) {
    ir::Slots with = c.slots;
    with[static_cast<size_t>(q.len)] = 1;
    for (size_t f = 0; f < message.size(); ++f) with[static_cast<size_t>(q.first) + f] = message[f];
    bool taken = false;
    for (int t : rs_.receives()) {
      rs_.ts().successors_of(with, 0, t, [&](const ir::Successor& s) {
        if (s.error) return;
        taken = true;
        d.add(after(c, s, t, now), &next);
      });
    }
    // A segment no transition takes is dropped (the spec leaves it unhandled).
    if (!taken) d.add(std::move(c), &next);
  }
  if (next.size() > kMaxConfigs) return Outcome::kTooMany;
  if (next.empty()) return Outcome::kDeparts;  // the configurations before it stay, for the report
  configs_ = std::move(next);
  return Outcome::kOk;
}

Tracker::Outcome Tracker::send(const std::vector<int64_t>& message, int64_t now) {
  bool too_many = false;
  std::vector<Config> before = closure(configs_, now, true, &too_many);
  if (too_many) return Outcome::kTooMany;
  const ir::QueueLayout& q = rs_.out_queue();
  std::vector<Config> next;
  Distinct d;
  for (Config& c : before) {
    if (pending(c.slots) == 0) continue;
    bool same = true;
    for (size_t f = 0; f < message.size() && same; ++f) same = c.slots[static_cast<size_t>(q.first) + f] == message[f];
    if (!same) continue;
    // Pop the head: shift the rest of the queue down one message.
    const size_t first = static_cast<size_t>(q.first), fields = static_cast<size_t>(q.fields);
    const size_t len = static_cast<size_t>(pending(c.slots));
    for (size_t k = 0; k + 1 < len; ++k) {
      for (size_t f = 0; f < fields; ++f) c.slots[first + k * fields + f] = c.slots[first + (k + 1) * fields + f];
    }
    for (size_t f = 0; f < fields; ++f) c.slots[first + (len - 1) * fields + f] = 0;
    c.slots[static_cast<size_t>(q.len)] = static_cast<int64_t>(len - 1);
    c.origin.erase(c.origin.begin());
    d.add(std::move(c), &next);
  }
  if (next.empty()) return Outcome::kDeparts;
  configs_ = std::move(next);
  return Outcome::kOk;
}

std::vector<int> Tracker::states() const {
  std::vector<int> s;
  for (const Config& c : configs_) s.push_back(static_cast<int>(c.slots[static_cast<size_t>(rs_.state_slot())]));
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

std::vector<Expected> Tracker::expected_outputs(int64_t now) const {
  std::vector<Expected> out;
  const ir::QueueLayout& q = rs_.out_queue();
  auto collect = [&](const std::vector<Config>& set, bool early) {
    for (const Config& c : set) {
      Expected e;
      e.early_timer = early;
      if (pending(c.slots) > 0) {
        e.message.assign(c.slots.begin() + q.first, c.slots.begin() + q.first + q.fields);
        e.transition = c.origin.empty() ? -1 : c.origin.front();
      }
      bool dup = false;
      for (const Expected& o : out) dup = dup || (o.message == e.message && o.transition == e.transition);
      if (!dup) out.push_back(std::move(e));
    }
  };
  bool too_many = false;
  collect(closure(configs_, now, true, &too_many), false);
  if (timers_.check) {
    std::vector<Expected> keep(out.begin(), out.end());
    out.clear();
    collect(closure(configs_, now, false, &too_many), true);
    // Only what the untimed closure adds is "too early".
    std::vector<Expected> early;
    for (Expected& e : out) {
      bool known = false;
      for (const Expected& k : keep) known = known || (k.message == e.message && k.transition == e.transition);
      if (!known) early.push_back(std::move(e));
    }
    out = std::move(keep);
    for (Expected& e : early) out.push_back(std::move(e));
  }
  return out;
}

bool Tracker::all_closed() const {
  const int initial = rs_.role().initial;
  for (const Config& c : configs_) {
    if (c.slots[static_cast<size_t>(rs_.state_slot())] != initial || pending(c.slots) > 0) return false;
  }
  return true;
}

}  // namespace sp::monitor
