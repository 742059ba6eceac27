#include "harness/monitor/tracker.hpp"

#include <algorithm>
#include <unordered_map>

namespace sp::monitor {

namespace {

template <typename V>
uint64_t mix(uint64_t h, const V& v) {
  for (int64_t x : v) h = (h ^ static_cast<uint64_t>(x)) * 0x100000001b3ULL;
  return h;
}

bool same(const Config& a, const Config& b) {
  return a.slots == b.slots && a.timer_start == b.timer_start && a.timer_backoff == b.timer_backoff;
}

// Appends configurations to a set, once each (their pending outputs' origins aside).
// Small sets (the usual: one or a few configurations) are searched in a row; large ones
// (a start mid-connection) through a hash index.
class Distinct {
 public:
  static constexpr size_t kIndexFrom = 32;

  explicit Distinct(std::vector<Config>* out) : out_(out) {}
  bool add(Config c) {
    if (out_->empty()) {  // the usual case: one configuration, nothing to hash
      out_->push_back(std::move(c));
      return true;
    }
    while (hashes_.size() < out_->size()) index(hash((*out_)[hashes_.size()]));
    const uint64_t h = hash(c);
    if (hashes_.size() < kIndexFrom) {
      for (size_t i = 0; i < hashes_.size(); ++i) {
        if (hashes_[i] == h && same((*out_)[i], c)) return false;
      }
    } else {
      auto [lo, hi] = by_hash_.equal_range(h);
      for (auto it = lo; it != hi; ++it) {
        if (same((*out_)[it->second], c)) return false;
      }
    }
    index(h);
    out_->push_back(std::move(c));
    return true;
  }

 private:
  void index(uint64_t h) {
    hashes_.push_back(h);
    if (hashes_.size() == kIndexFrom) {
      for (size_t i = 0; i < hashes_.size(); ++i) by_hash_.emplace(hashes_[i], i);
    } else if (hashes_.size() > kIndexFrom) {
      by_hash_.emplace(h, hashes_.size() - 1);
    }
  }
  static uint64_t hash(const Config& c) {
    return mix(mix(mix(0xcbf29ce484222325ULL, c.slots), c.timer_start), c.timer_backoff);
  }
  std::vector<Config>* out_;
  std::vector<uint64_t> hashes_;
  std::unordered_multimap<uint64_t, size_t> by_hash_;
};

}  // namespace

Tracker::Tracker(const RoleSystem& rs, const TimerPolicy& timers) : rs_(rs), timers_(timers) {}

void Tracker::seed(std::vector<Config> configs) {
  configs_.clear();
  Distinct d(&configs_);
  for (Config& c : configs) d.add(std::move(c));
  base_ = configs_;
  window_.clear();
}

Config Tracker::initial(const std::vector<std::pair<int, int64_t>>& per_instance) const {
  Config c;
  c.slots = rs_.ts().initial_state();
  for (const auto& [var, value] : per_instance) c.slots[static_cast<size_t>(rs_.var_slot(var))] = value;
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
  for (int k = pending(c.slots); k < pending(n.slots); ++k) n.origin[static_cast<size_t>(k)] = t;
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

std::vector<Config> Tracker::closure(const std::vector<Config>& from, RoleSystem::Kind steps, int64_t now,
                                     bool timed, bool* too_many) const {
  std::vector<Config> all = from;
  Distinct d(&all);
  size_t begin = 0;
  const Config* cur = nullptr;
  int t = -1;
  const std::function<void(const ir::Successor&)> take = [&](const ir::Successor& s) {
    if (!s.error) d.add(after(*cur, s, t, now));
  };
  for (int depth = 0; depth < kClosureDepth; ++depth) {
    const size_t end = all.size();
    for (size_t i = begin; i < end; ++i) {
      const Config c = all[i];  // `all` grows (and moves) below
      cur = &c;
      for (int step : rs_.from(steps, c.slots[static_cast<size_t>(rs_.state_slot())])) {
        if (timed && !timer_allows(c, step, now)) continue;
        t = step;
        rs_.ts().successors_of(c.slots, 0, t, take);
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

void Tracker::receive_into(const std::vector<Config>& set, const Event& e, std::vector<Config>* out) const {
  const ir::QueueLayout& q = rs_.in_queue();
  Distinct d(out);
  const Config* cur = nullptr;
  int t = -1;
  bool taken = false;
  const std::function<void(const ir::Successor&)> take = [&](const ir::Successor& s) {
    if (s.error) return;
    taken = true;
    d.add(after(*cur, s, t, e.now));
  };
  ir::Slots with;
  for (const Config& c : set) {
    with = c.slots;
    with[static_cast<size_t>(q.len)] = 1;
    for (size_t f = 0; f < e.message.size(); ++f) with[static_cast<size_t>(q.first) + f] = e.message[f];
    cur = &c;
    taken = false;
    for (int r : rs_.from(RoleSystem::Kind::kReceive, c.slots[static_cast<size_t>(rs_.state_slot())])) {
      t = r;
      rs_.ts().successors_of(with, 0, t, take);
    }
    // A segment no transition takes is dropped (the spec leaves it unhandled).
    if (!taken) d.add(c);
  }
}

void Tracker::match_into(const std::vector<Config>& set, const Event& e, std::vector<Config>* out) const {
  const ir::QueueLayout& q = rs_.out_queue();
  Distinct d(out);
  const size_t first = static_cast<size_t>(q.first), fields = static_cast<size_t>(q.fields);
  for (const Config& c : set) {
    const size_t len = static_cast<size_t>(pending(c.slots));
    if (len == 0) continue;
    bool same_head = true;
    for (size_t f = 0; f < e.message.size() && same_head; ++f) same_head = c.slots[first + f] == e.message[f];
    if (!same_head) continue;
    Config n = c;
    // Pop the head: shift the rest of the queue down one message.
    for (size_t k = 0; k + 1 < len; ++k) {
      for (size_t f = 0; f < fields; ++f) n.slots[first + k * fields + f] = n.slots[first + (k + 1) * fields + f];
    }
    for (size_t f = 0; f < fields; ++f) n.slots[first + (len - 1) * fields + f] = 0;
    n.slots[static_cast<size_t>(q.len)] = static_cast<int64_t>(len - 1);
    std::copy(n.origin.begin() + 1, n.origin.end(), n.origin.begin());
    d.add(std::move(n));
  }
}

Tracker::Outcome Tracker::step(const std::vector<Config>& set, const Event& e, bool exact,
                               std::vector<Config>* out) const {
  out->clear();
  bool too_many = false;
  if (!e.sent) {
    const RoleSystem::Kind kind = exact ? RoleSystem::Kind::kUnobserved : RoleSystem::Kind::kSilent;
    bool any = false;  // most states have no such step: spare the copy
    for (const Config& c : set) any = any || !rs_.from(kind, c.slots[static_cast<size_t>(rs_.state_slot())]).empty();
    if (any) {
      receive_into(closure(set, kind, e.now, true, &too_many), e, out);
    } else {
      receive_into(set, e, out);
    }
  } else {
    if (!exact) match_into(set, e, out);
    if (out->empty()) match_into(closure(set, RoleSystem::Kind::kUnobserved, e.now, true, &too_many), e, out);
  }
  if (too_many || out->size() > kMaxConfigs) return Outcome::kTooMany;
  return out->empty() ? Outcome::kDeparts : Outcome::kOk;
}

Tracker::Outcome Tracker::observe(Event e) {
  std::vector<Config> next;
  Outcome o = step(configs_, e, false, &next);
  if (o == Outcome::kTooMany) return o;
  if (o == Outcome::kOk) {
    configs_ = std::move(next);
    window_.push_back(std::move(e));
    if (window_.size() >= kWindow) {
      base_ = configs_;
      window_.clear();
    }
    return o;
  }
  // Nothing lazily: replay the window exactly from the checkpoint.
  ++replays_;
  window_.push_back(std::move(e));
  std::vector<Config> set = base_;
  for (const Event& ev : window_) {
    o = step(set, ev, true, &next);
    if (o != Outcome::kOk) {
      if (o == Outcome::kDeparts) configs_ = std::move(set);  // the exact set before it, for the report
      window_.clear();
      base_ = configs_;
      return o;
    }
    set.swap(next);
  }
  configs_ = std::move(set);
  base_ = configs_;
  window_.clear();
  return Outcome::kOk;
}

Tracker::Outcome Tracker::receive(const std::vector<int64_t>& message, int64_t now) {
  return observe(Event{false, message, now});
}

Tracker::Outcome Tracker::send(const std::vector<int64_t>& message, int64_t now) {
  return observe(Event{true, message, now});
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
        e.transition = c.origin.front();
      }
      bool dup = false;
      for (const Expected& o : out) dup = dup || (o.message == e.message && o.transition == e.transition);
      if (!dup) out.push_back(std::move(e));
    }
  };
  bool too_many = false;
  collect(closure(configs_, RoleSystem::Kind::kUnobserved, now, true, &too_many), false);
  if (timers_.check) {
    // What only the untimed closure adds needs a timer to expire too early.
    std::vector<Expected> timed = std::move(out);
    out.clear();
    collect(closure(configs_, RoleSystem::Kind::kUnobserved, now, false, &too_many), true);
    std::vector<Expected> early;
    for (Expected& e : out) {
      bool known = false;
      for (const Expected& k : timed) known = known || (k.message == e.message && k.transition == e.transition);
      if (!known) early.push_back(std::move(e));
    }
    out = std::move(timed);
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
