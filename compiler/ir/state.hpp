// The state vector of one system: its logical slots and their bit-packed encoding.
//
// A state is a fixed sequence of slots (one integer each); slot widths come from the
// declared types (bool 1 bit, int[0..2] 2 bits, seq<32> `--seq-bits` bits, ...).
// Unpacked, a state is a std::vector<int64_t> of slot values (what the interpreter works
// on); packed, it is `bytes()` bytes (what a checker stores and hashes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"

namespace sp::ir {

using Slots = std::vector<int64_t>;
using Packed = std::vector<uint8_t>;

struct Slot {
  std::string name;   // `client.state`, `client.snd_nxt`, `a.cache[0].key`, `q0.len`
  int64_t lo = 0;     // stored as value - lo
  int bits = 0;
  int offset = 0;     // bit offset in the packed vector
};

// Where each part of the system lives in the slot vector.
struct InstanceLayout {
  int state = -1;                 // control state slot
  std::vector<int> vars;          // first slot of each role variable
  std::vector<int> timers;        // armed-flag slot of each timer
};

// A map variable of capacity N occupies 1 + 2N slots: size, then (key, value) pairs
// sorted by key so that equal maps have one encoding.
// A queue of capacity N holding messages of F fields occupies 1 + N*F slots (length,
// then the messages from head to tail, unused ones zero), plus a loss-budget slot and a
// dup-budget slot when the channel is lossy / dup with a budget, and a loss-run slot
// when it limits consecutive losses.
struct QueueLayout {
  int len = -1;
  int first = -1;                 // slot of message 0's field 0
  int fields = 0;
  int loss_budget = -1;
  int dup_budget = -1;
  int loss_run = -1;              // `lossy consecutive R`: copies lost since the last delivered one
};

// Packed, slot k occupies bits [offset, offset + bits): bit b of the vector is bit b % 8
// of byte b / 8. A slot stores value - lo; a 0-bit slot unpacks to lo.
struct PackPlan;

struct Layout {
  std::vector<Slot> slots;
  std::vector<InstanceLayout> instances;
  std::vector<QueueLayout> queues;
  std::vector<int> env_counters;  // one per environment entry with a bound (or -1)
  int script_pc = -1;             // environment script position
  int total_bits = 0;

  // Precomputed word-by-word steps that make pack/unpack fast; build_layout() sets it.
  // After building or editing `slots` by hand, call finalize() (without it, pack/unpack
  // take a slower generic path). Shared, immutable.
  std::shared_ptr<const PackPlan> plan;

  int bytes() const { return (total_bits + 7) / 8; }
  void pack(const Slots& in, Packed& out) const;
  void unpack(const uint8_t* in, Slots& out) const;
  void finalize();  // sets offsets, total_bits and the plan from the slots' widths
};

}  // namespace sp::ir
