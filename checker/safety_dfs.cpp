// Single-threaded depth-first search (docs/checker.md).
//
// A state is marked visited when it is first reached; its successors are generated at
// once into an arena of entries [packed state][uint32 successor number] and explored in
// order. The stack of frames is the path from the initial state, so a counterexample is
// read off the stack: no per-state parent is stored, which is what makes bitstate
// hashing (a few bits per state) usable.
#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>

#include "checker/bitstate.hpp"
#include "checker/delta_pack.hpp"
#include "checker/hash.hpp"
#include "checker/monitor.hpp"
#include "checker/search_util.hpp"
#include "checker/state_store.hpp"

namespace sp::checker::detail {

namespace {

class Dfs {
 public:
  Dfs(const ir::TransitionSystem& ts, const std::vector<int>& properties, const Options& o)
      : ts_(ts),
        layout_(ts.layout()),
        opt_(o),
        monitor_(ts, properties, o.check_errors),
        state_bytes_(static_cast<size_t>(std::max(1, ts.layout().bytes()))),
        entry_bytes_(state_bytes_ + sizeof(uint32_t)),
        packer_(ts.layout()) {
    if (o.store == StoreMode::kBitstate) {
      bits_ = std::make_unique<BitStateSet>(o.bitstate_log2, o.bitstate_k);
    } else {
      const bool compact = o.store == StoreMode::kHashCompact;
      store_ = std::make_unique<StateStore>(StateStore::Config{
          compact ? sizeof(uint64_t) : state_bytes_, 0, 16, static_cast<size_t>(o.max_memory), false});
    }
  }

  Result run();

 private:
  struct Frame {
    size_t arena_begin = 0;
    uint32_t count = 0;       // successors (entries in the arena, error ones excluded)
    uint32_t next = 0;        // next entry to explore
    uint32_t entered_by = 0;  // successor number of this state in its parent
  };

  // Marks the packed state visited; false when it was already. Sets *full when the
  // store is out of memory.
  bool visit(const uint8_t* packed, bool* full);
  void push(const ir::Slots& state, uint32_t entered_by);
  std::vector<uint32_t> stack_path() const;
  Stats now() const;
  uint64_t memory() const;
  uint64_t stored() const { return store_ ? store_->size() : bit_states_; }

  const ir::TransitionSystem& ts_;
  const ir::Layout& layout_;
  const Options& opt_;
  Monitor monitor_;
  const size_t state_bytes_;
  const size_t entry_bytes_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<BitStateSet> bits_;
  uint64_t bit_states_ = 0;
  Clock clock_;

  std::vector<Frame> frames_;
  std::vector<uint8_t> arena_;
  ir::Packed buf_;
  ir::Packed parent_;
  const DeltaPacker packer_;
  uint64_t transitions_ = 0;
  uint64_t max_depth_ = 0;
  uint64_t peak_memory_ = 0;
  double last_progress_ = 0;
};

bool Dfs::visit(const uint8_t* packed, bool* full) {
  if (bits_) {
    if (!bits_->insert(packed, state_bytes_)) return false;
    ++bit_states_;
    return true;
  }
  const uint8_t* key = packed;
  uint64_t sig = 0;
  if (opt_.store == StoreMode::kHashCompact) {
    sig = hash_bytes(packed, state_bytes_, kSignatureSeed);
    key = reinterpret_cast<const uint8_t*>(&sig);
  }
  const StateStore::InsertResult r = store_->insert(key);
  if (r.status == StateStore::Status::kFull) *full = true;
  return r.status == StateStore::Status::kInserted;
}

std::vector<uint32_t> Dfs::stack_path() const {
  std::vector<uint32_t> path;
  for (size_t i = 1; i < frames_.size(); ++i) path.push_back(frames_[i].entered_by);
  return path;
}

uint64_t Dfs::memory() const {
  return (store_ ? store_->memory_bytes() : bits_->memory_bytes()) + arena_.capacity() +
         frames_.capacity() * sizeof(Frame);
}

Stats Dfs::now() const {
  Stats s;
  s.states = stored();
  s.transitions = transitions_;
  s.max_depth = max_depth_;
  s.seconds = clock_.seconds();
  s.cpu_seconds = clock_.cpu_seconds();
  s.peak_memory_bytes = std::max(peak_memory_, memory());
  return s;
}

void Dfs::push(const ir::Slots& state, uint32_t entered_by) {
  // The packed form of `state`, which successors are packed against (a copy: the arena
  // may move while it grows).
  layout_.pack(state, parent_);
  parent_.resize(state_bytes_ + DeltaPacker::kSlack);
  Frame f;
  f.arena_begin = arena_.size();
  f.entered_by = entered_by;
  frames_.push_back(f);
  max_depth_ = std::max<uint64_t>(max_depth_, frames_.size() - 1);
  uint32_t k = 0, count = 0;
  ts_.successors(state, [&](const ir::Successor& s) {
    const uint32_t n = k++;
    if (s.error) {
      monitor_.report_error(
          *s.error,
          [&] {
            std::vector<uint32_t> p = stack_path();
            p.push_back(n);
            return p;
          },
          [&] { return now(); });
      return;
    }
    const size_t at = arena_.size();
    arena_.resize(at + entry_bytes_ + DeltaPacker::kSlack);
    packer_.pack_changed(parent_.data(), s.state, s.changed, arena_.data() + at);
    arena_.resize(at + entry_bytes_);
    std::memcpy(arena_.data() + at + state_bytes_, &n, sizeof n);
    ++count;
  });
  transitions_ += k;
  frames_.back().count = count;
  if (k == 0 && monitor_.has_deadlock()) {
    monitor_.check_deadlock(state, [&] { return stack_path(); }, [&] { return now(); });
  }
}

Result Dfs::run() {
  Result result;
  std::string limit;
  ir::Slots slots = ts_.initial_state();
  {
    layout_.pack(slots, buf_);
    bool full = false;
    visit(buf_.data(), &full);
    if (full) limit = "max-memory";
  }
  if (limit.empty()) {
    if (monitor_.has_invariants()) {
      monitor_.check_state(slots, [] { return std::vector<uint32_t>{}; }, [&] { return now(); });
    }
    push(slots, 0);
  }
  uint64_t tick = 0;
  while (limit.empty() && !frames_.empty() && !monitor_.done()) {
    Frame& f = frames_.back();
    if (f.next == f.count) {
      arena_.resize(f.arena_begin);
      frames_.pop_back();
      continue;
    }
    const uint8_t* e = arena_.data() + f.arena_begin + static_cast<size_t>(f.next) * entry_bytes_;
    ++f.next;
    bool full = false;
    if (!visit(e, &full)) {
      if (full) limit = "max-memory";
      continue;
    }
    uint32_t entered_by;
    std::memcpy(&entered_by, e + state_bytes_, sizeof entered_by);
    layout_.unpack(e, slots);
    if (monitor_.has_invariants()) {
      monitor_.check_state(
          slots,
          [&] {
            std::vector<uint32_t> p = stack_path();
            p.push_back(entered_by);
            return p;
          },
          [&] { return now(); });
    }
    push(slots, entered_by);
    if (opt_.max_states != 0 && stored() >= opt_.max_states) limit = "max-states";
    if ((++tick & 1023) == 0) {
      const uint64_t mem = memory();
      peak_memory_ = std::max(peak_memory_, mem);
      if (opt_.max_memory != 0 && mem > opt_.max_memory) limit = "max-memory";
      std::string t = time_limit_hit(opt_, clock_);
      if (!t.empty()) limit = t;
      if (opt_.progress && clock_.seconds() - last_progress_ >= opt_.progress_interval) {
        last_progress_ = clock_.seconds();
        Progress p;
        p.states = stored();
        p.transitions = transitions_;
        p.depth = max_depth_;
        p.queue = frames_.size();
        p.memory_bytes = mem;
        p.seconds = last_progress_;
        opt_.progress(p);
      }
    }
  }
  const bool complete = limit.empty() && frames_.empty();
  result.stats = now();
  result.complete = complete;
  result.limit = limit;
  if (bits_) {
    result.hash_factor = bits_->hash_factor(bit_states_);
    result.omission_probability = bits_->omission_probability(bit_states_);
  } else if (opt_.store == StoreMode::kHashCompact) {
    result.omission_probability = signature_collision_probability(store_->size());
  }
  result.outcomes = monitor_.finish(complete, limit, result.stats);
  return result;
}

}  // namespace

Result run_dfs(const ir::TransitionSystem& ts, const std::vector<int>& properties,
               const Options& options) {
  Dfs dfs(ts, properties, options);
  return dfs.run();
}

}  // namespace sp::checker::detail
