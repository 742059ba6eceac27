// The order in which the runner starts tests, and how many run at once.
//
// A test is busy for a few milliseconds (namespace, device, sockets, packets) and idle
// for the rest: its delays, its `wait`s and its `expect none` windows, during which the
// worker sleeps in poll(). Generated suites are mostly idle time: every stimulus that
// must draw no answer waits 0.5 s, and a timer test waits for the IUT's retransmission
// (1 s, 3 s) or for TIME-WAIT to end (60 s). `--jobs` bounds the tests that keep a CPU
// busy; a test that will sleep for at least kWaitingAtLeast seconds does not need a job
// slot: it takes one of kWaitingSlots waiting slots instead, and the waiting tests start
// first, longest first. The whole suite then takes about its longest wait instead of
// the sum of the waits. A waiting test that finds no waiting slot takes a job slot.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <vector>

#include "harness/suite/testcase.hpp"

namespace sp::harness {

// Seconds a test sleeps: its `+D` delays, its latest `@T`, its `wait`s and its
// `expect none` windows. (An expected packet may come at once: its window is not idle.)
// An `iut+D` expect counts from a packet that arrived before the previous event
// completed, typically just before: it counts with the start of its window, D - within.
inline double idle_seconds(const TestCase& test) {
  double relative = 0, latest_absolute = 0;
  for (const Event& e : test.events) {
    if (e.anchor == Event::Anchor::kStart) {
      latest_absolute = std::max(latest_absolute, e.time);
    } else if (e.anchor == Event::Anchor::kIutPacket) {
      relative += std::max(0.0, e.time - e.within.value_or(kDefaultWithin));
    } else {
      relative += e.time;
    }
    relative += e.wait;
    if (e.type == Event::Type::kExpectNone) relative += e.within.value_or(kDefaultWithin);
  }
  return std::max(relative, latest_absolute);
}

// Tests run at once per CPU when --jobs is not given. A test keeps a CPU busy for a few
// milliseconds (namespace, device, sockets, packets) and otherwise waits for the IUT:
// besides the waits known in advance (waiting slots, below), every test whose expected
// packet never comes (most expected deviations) sleeps out its 0.5 s window in a job
// slot. With one job per CPU the generated TCP fast tier ran at 17 tests/s on 2 CPUs;
// with 8 per CPU at ~90, the same verdicts for every test in 15 runs at 4 to 32 jobs.
inline constexpr size_t kJobsPerCpu = 8;

inline constexpr double kWaitingAtLeast = 0.2;  // seconds of sleep that make a test "waiting"
// Enough for the timer tests and the silent windows of the generated suites to overlap;
// few enough that their namespaces, devices and wake-ups stay cheap.
inline constexpr size_t kWaitingSlots = 32;

inline bool is_waiting(const TestCase& test) {
  return test.tier == Tier::kSlow || idle_seconds(test) >= kWaitingAtLeast;
}

// What the schedule needs of a test, known before it runs: a long run keeps this per
// test and loads the test itself only when its worker starts.
struct TestPlan {
  float idle = -1;       // idle_seconds() when the test is waiting, else -1
  bool arp = false;      // wire arp: needs an Ethernet target
  bool waiting() const { return idle >= 0; }
};

inline TestPlan plan_of(const TestCase& test) {
  return TestPlan{is_waiting(test) ? static_cast<float>(idle_seconds(test)) : -1.0f, test.wire == Wire::kArp};
}

// Waiting tests first, longest idle time first (ties: the order given); then the others
// in the order given.
inline std::vector<size_t> schedule_order(const std::vector<TestPlan>& plans, std::vector<size_t> indexes) {
  std::stable_sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) { return plans[a].idle > plans[b].idle; });
  return indexes;
}

inline std::vector<size_t> schedule_order(const std::vector<TestCase>& tests, std::vector<size_t> indexes) {
  std::vector<TestPlan> plans;
  for (const TestCase& t : tests) plans.push_back(plan_of(t));
  return schedule_order(plans, std::move(indexes));
}

class Slots {
 public:
  Slots(size_t jobs, size_t waiting) : jobs_(std::max<size_t>(jobs, 1)), waiting_(waiting) {}

  // A slot is free for a test (`waiting`: one that is_waiting()).
  bool fits(bool waiting) const { return (waiting_used_ < waiting_ && waiting) || jobs_used_ < jobs_; }
  bool fits(const TestCase& test) const { return fits(is_waiting(test)); }

  // Takes a slot for test number `index`: a waiting slot for a waiting test if one is
  // free, else a job slot. False when none is free.
  bool take(size_t index, const TestCase& test) { return take(index, is_waiting(test)); }
  bool take(size_t index, bool is_waiting_test) {
    const bool waiting = waiting_used_ < waiting_ && is_waiting_test;
    if (!waiting && jobs_used_ >= jobs_) return false;
    ++(waiting ? waiting_used_ : jobs_used_);
    held_[index] = waiting;
    return true;
  }

  // Gives back the slot test number `index` held (no-op when it held none).
  void release(size_t index) {
    auto it = held_.find(index);
    if (it == held_.end()) return;
    --(it->second ? waiting_used_ : jobs_used_);
    held_.erase(it);
  }

  size_t jobs_in_use() const { return jobs_used_; }
  size_t waiting_in_use() const { return waiting_used_; }

 private:
  size_t jobs_, waiting_;
  size_t jobs_used_ = 0, waiting_used_ = 0;
  std::map<size_t, bool> held_;  // test index -> holds a waiting slot
};

}  // namespace sp::harness
