// The set of configurations a role may be in, given what a capture showed so far (the
// ioco view, as netsem's trace checker takes it): the role is nondeterministic (RFC
// alternatives, timer expiries, application calls the capture cannot show), so every
// configuration consistent with the observations is kept. A configuration is the role's
// state (control state, variables, armed timers), the outputs it produced that the
// capture has not shown yet (in order), and when each armed timer was started.
//
// Exactly: before each observation the set is closed under the unobserved steps (calls,
// timer expiries, internal steps; at most kClosureDepth in a row), since the role may have
// taken them at any time before. A segment from the peer is then received by every
// configuration; a segment the role sent must be the next output of a configuration,
// which is kept with that output removed. The observation departs from the spec when no
// configuration is left.
//
// Fast: most segments are explained without most of that closure, so each observation
// is first tried lazily (before a receive only the steps that send nothing; a sent
// segment first as an output already pending, the whole closure only if none is). Only
// when that leaves nothing are the observations since the last checkpoint (at most
// kWindow) replayed exactly from it: the verdict is the exact one, unless an explanation
// needs an unobserved step more than kWindow segments back.
//
// Timers: an expiry at time T by transition t is allowed when T - start >= interval *
// (1 - slack), the interval being the timer's duration (or the target profile's value for
// t), times its backoff for each expiry that restarted it. Late expiries are allowed
// (timers in the spec are lower bounds). Not thread-safe; one tracker per connection and
// side.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/monitor/role_system.hpp"

namespace sp::monitor {

inline constexpr int64_t kUnknownTime = INT64_MIN;  // a timer started before the capture

struct TimerPolicy {
  std::vector<int64_t> interval_us;  // per role timer: its base interval
  // Per role transition: the base interval of the timer it expires (a target profile's
  // `parameter`), or 0 for the timer's own.
  std::vector<int64_t> transition_interval_us;
  double slack = 0.1;                // fraction of the interval an expiry may come early
  bool check = true;                 // false: expiries at any time (untimed, as in checking)
};

// Fixed-size parts are arrays: a configuration is copied at every step, and each vector
// would be an allocation.
inline constexpr size_t kMaxTimers = RoleSystem::kMaxTimers;

struct Config {
  ir::Slots slots;
  // The transition that produced each pending output (as many as the output queue holds).
  std::array<int32_t, RoleSystem::kOutputCapacity> origin{};
  std::array<int64_t, kMaxTimers> timer_start{};    // per timer, when armed: when (re)started, or kUnknownTime
  std::array<int64_t, kMaxTimers> timer_backoff{};  // per timer, when armed: the interval's multiplier (1, 2, 4..)
};

// What a configuration expected next when an observation departed.
struct Expected {
  std::vector<int64_t> message;  // empty: nothing (the role sends nothing here)
  int transition = -1;           // the step that produces (or produced) it
  bool early_timer = false;      // allowed only if timer expiries may come earlier
};

class Tracker {
 public:
  static constexpr int kClosureDepth = 3;
  static constexpr size_t kMaxConfigs = 4096;
  static constexpr size_t kWindow = 8;

  enum class Outcome { kOk, kDeparts, kTooMany };

  Tracker(const RoleSystem& rs, const TimerPolicy& timers);

  void seed(std::vector<Config> configs);
  // A fresh configuration: the role's initial state with `per_instance` values for its
  // per-instance constants (by variable index; others keep their declared values).
  Config initial(const std::vector<std::pair<int, int64_t>>& per_instance) const;

  // kDeparts leaves the configurations those (exactly) before the observation.
  Outcome receive(const std::vector<int64_t>& message, int64_t now_us);
  Outcome send(const std::vector<int64_t>& message, int64_t now_us);

  const std::vector<Config>& configs() const { return configs_; }
  // The control states of the current configurations (sorted, distinct).
  std::vector<int> states() const;
  // What the configurations (closed under unobserved steps at `now_us`) would send next,
  // and, among what only too-early timer expiries would produce, what that would be.
  std::vector<Expected> expected_outputs(int64_t now_us) const;
  // Whether every configuration is in the initial state with nothing pending.
  bool all_closed() const;
  // Observations that needed the exact replay (for statistics).
  uint64_t replays() const { return replays_; }

 private:
  struct Event {
    bool sent = false;
    std::vector<int64_t> message;
    int64_t now = 0;
  };
  Outcome observe(Event e);
  // One observation on `set`: exactly (full closure) or lazily; the result in *out.
  Outcome step(const std::vector<Config>& set, const Event& e, bool exact, std::vector<Config>* out) const;
  std::vector<Config> closure(const std::vector<Config>& from, RoleSystem::Kind steps, int64_t now, bool timed,
                              bool* too_many) const;
  void receive_into(const std::vector<Config>& set, const Event& e, std::vector<Config>* out) const;
  void match_into(const std::vector<Config>& set, const Event& e, std::vector<Config>* out) const;
  // The configuration after successor `s` of `c` by transition t at time now.
  Config after(const Config& c, const ir::Successor& s, int t, int64_t now) const;
  bool timer_allows(const Config& c, int t, int64_t now) const;
  int pending(const ir::Slots& s) const;

  const RoleSystem& rs_;
  TimerPolicy timers_;
  std::vector<Config> configs_;
  std::vector<Config> base_;     // the checkpoint: the set before window_
  std::vector<Event> window_;
  uint64_t replays_ = 0;
};

}  // namespace sp::monitor
