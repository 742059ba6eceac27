// Level-synchronous, multi-threaded breadth-first search (docs/checker.md).
//
// Stored states get consecutive ids, so the states of level d+1 are exactly the ids
// handed out while level d is expanded: with the full store the frontier is an id range
// and costs no memory (the states are read from the store's records, in id order).
// Workers claim chunks of the level with one atomic cursor, expand each state and insert
// its successors into the shared lock-free StateStore. With hash-compact, where the store
// keeps only signatures, each worker appends its new states to its own buffer of entries
// [packed state][uint32 id] for level d+1. A std::barrier ends the level. Each stored
// state's meta is {parent id, successor number}, from which traces are rebuilt.
//
// The store grows at safe points: workers hold a shared lock while expanding a chunk;
// the worker that sees the load pass the threshold takes the lock exclusively and grows.
//
// Partial-order reduction (Options::por, checker/por.hpp): a state's instances are
// expanded one at a time, in order; the first whose steps form an ample set is the
// state's whole expansion (the successors of the instances before it are dropped: their
// numbers stay those of the full enumeration, so traces rebuild unchanged). Cycle
// proviso: a state is expanded fully when one of its ample successors was stored before
// its level began (depth <= its own). Every cycle of the reduced graph has such an edge,
// at its deepest state, so every cycle has a fully expanded state. The test depends only
// on the states of depth <= d, fixed before level d starts, so the reduced graph (and the
// state count) is the same for any number of workers.
#include <algorithm>
#include <barrier>
#include <cstring>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "checker/delta_pack.hpp"
#include "checker/hash.hpp"
#include "checker/monitor.hpp"
#include "checker/por.hpp"
#include "checker/search_util.hpp"
#include "checker/state_store.hpp"

namespace sp::checker::detail {

namespace {

struct Meta {
  uint32_t parent;
  uint32_t index;  // which successor of the parent
};
constexpr uint32_t kNoParent = 0xffffffffu;
// Successors inserted together (prefetched as a batch): about a dozen states' worth.
constexpr size_t kBatch = 48;

class Bfs {
 public:
  Bfs(const ir::TransitionSystem& ts, const std::vector<int>& properties, const Options& o)
      : ts_(ts),
        layout_(ts.layout()),
        opt_(o),
        monitor_(ts, properties, o.check_errors),
        por_(o.por ? std::make_unique<AmpleSets>(ts, monitor_.invariant_slots()) : nullptr),
        compact_(o.store == StoreMode::kHashCompact),
        state_bytes_(static_cast<size_t>(std::max(1, ts.layout().bytes()))),
        entry_bytes_(state_bytes_ + sizeof(uint32_t)),
        stride_(state_bytes_ + DeltaPacker::kSlack),
        packer_(ts.layout()),
        jobs_(o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
        store_(StateStore::Config{compact_ ? sizeof(uint64_t) : state_bytes_, sizeof(Meta), 16,
                                  static_cast<size_t>(o.max_memory), true}) {
    cur_.resize(static_cast<size_t>(jobs_));
    next_.resize(static_cast<size_t>(jobs_));
    prefix_.assign(static_cast<size_t>(jobs_) + 1, 0);
  }

  Result run();

 private:
  struct Worker {
    int index = 0;
    ir::Slots slots;
    uint32_t id = 0;       // the state being expanded
    const uint8_t* packed = nullptr;  // its packed form
    uint32_t count = 0;    // successors seen so far
    bool halt = false;
    uint64_t transitions = 0;
    std::vector<uint8_t>* out = nullptr;
    // The successors of a group of kGroup expanded states, packed, then inserted as a
    // batch: their buckets, then the records they point to, are prefetched first, so the
    // cache misses of a group overlap instead of following one another.
    size_t batched = 0;
    std::vector<uint8_t> batch;      // stride_ bytes each
    std::vector<uint32_t> numbers;   // successor numbers
    std::vector<uint64_t> hashes;
    std::vector<uint32_t> parents;   // the states they are successors of
    std::vector<uint64_t> sigs;      // hash-compact: the signatures (the store's keys)
    std::vector<uint64_t> touched;   // the invariants each step may change (Monitor mask)
    ir::Slots fresh;                 // a new state, unpacked for the invariants
    // Partial-order reduction, for the instance being expanded: which of its transitions
    // have steps, and whether one of them is a checking error.
    std::vector<uint8_t> enabled;
    bool step_error = false;
    uint64_t reduced = 0;            // states expanded by one instance
    uint32_t dropped = 0;            // successors of the state generated but not explored
  };

  void work(Worker& w);
  void expand_chunk(Worker& w, uint64_t a, uint64_t b);
  // Expands the state in w (partial-order reduction on): one instance's steps, or all.
  void expand_reduced(Worker& w, const std::function<void(const ir::Successor&)>& cb);
  // Whether a batch entry is a state stored before the current level began.
  bool stored_before_level(const Worker& w, size_t j) const;
  void on_successor(Worker& w, const ir::Successor& s);
  void insert_batch(Worker& w);
  void end_level();
  void halt(const std::string& limit);
  std::vector<uint32_t> path_to(uint32_t id) const;
  Stats now(uint64_t depth) const;
  uint64_t memory_estimate() const;
  void after_chunk(Worker& w);

  const ir::TransitionSystem& ts_;
  const ir::Layout& layout_;
  const Options& opt_;
  Monitor monitor_;
  const std::unique_ptr<AmpleSets> por_;
  std::atomic<uint64_t> reduced_{0};
  const bool compact_;
  const size_t state_bytes_;
  const size_t entry_bytes_;
  const size_t stride_;  // of a batch entry
  const DeltaPacker packer_;
  const int jobs_;
  StateStore store_;
  Clock clock_;

  // Levels: cur_ is being expanded, next_ filled (one buffer per worker).
  std::vector<std::vector<uint8_t>> cur_, next_;
  std::vector<uint64_t> prefix_;  // prefix_[t]: entries in cur_[0..t)
  uint64_t level_first_ = 0;  // full store: the level is ids [level_first_, +level_size_)
  uint64_t level_size_ = 0;
  uint64_t level_bytes_ = 0;
  uint64_t states_at_level_start_ = 0;
  uint64_t chunk_ = 1;
  uint64_t depth_ = 0;           // depth of the states of the level being expanded
  uint64_t max_depth_ = 0;
  bool finished_ = false;
  bool complete_ = false;
  alignas(64) std::atomic<uint64_t> cursor_{0};  // written per chunk: own cache line

  alignas(64) std::atomic<bool> stop_{false};
  std::mutex limit_mu_;
  std::string limit_;
  alignas(64) std::atomic<uint64_t> transitions_{0};
  std::atomic<uint64_t> peak_memory_{0};
  std::shared_mutex grow_mu_;
  std::atomic<bool> grow_pending_{false};
  double last_progress_ = 0;
};

void Bfs::halt(const std::string& limit) {
  if (!limit.empty()) {
    std::lock_guard<std::mutex> lock(limit_mu_);
    if (limit_.empty()) limit_ = limit;
  }
  stop_.store(true, std::memory_order_release);
}

std::vector<uint32_t> Bfs::path_to(uint32_t id) const {
  std::vector<uint32_t> path;
  for (;;) {
    Meta m;
    std::memcpy(&m, store_.meta(id), sizeof m);
    if (m.parent == kNoParent) break;
    path.push_back(m.index);
    id = m.parent;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

uint64_t Bfs::memory_estimate() const {
  if (!compact_) return store_.memory_bytes();
  const uint64_t fresh = store_.size() - states_at_level_start_;
  return store_.memory_bytes() + level_bytes_ + fresh * entry_bytes_;
}

Stats Bfs::now(uint64_t depth) const {
  Stats s;
  s.states = store_.size();
  s.transitions = transitions_.load(std::memory_order_relaxed);
  s.max_depth = depth;
  s.seconds = clock_.seconds();
  s.cpu_seconds = clock_.cpu_seconds();
  s.peak_memory_bytes = std::max(peak_memory_.load(std::memory_order_relaxed), memory_estimate());
  return s;
}

void Bfs::on_successor(Worker& w, const ir::Successor& s) {
  const uint32_t k = w.count++;
  if (por_ && !w.enabled.empty()) {
    w.enabled[static_cast<size_t>(s.label.transition)] = 1;
    w.step_error = w.step_error || s.error.has_value();
  }
  if (w.halt) return;
  if (s.error) {
    if (monitor_.wants_errors()) {
      const uint32_t parent = w.id;
      monitor_.report_error(
          *s.error,
          [&] {
            std::vector<uint32_t> p = path_to(parent);
            p.push_back(k);
            return p;
          },
          [&] { return now(depth_ + 1); });
    }
    return;
  }
  const size_t j = w.batched++;
  if (w.batch.size() < w.batched * stride_) {
    w.batch.resize(w.batched * stride_ * 2);
    w.numbers.resize(w.batched * 2);
    w.parents.resize(w.batched * 2);
    w.hashes.resize(w.batched * 2);
    w.sigs.resize(w.batched * 2);
    w.touched.resize(w.batched * 2);
  }
  packer_.pack_changed(w.packed, s.state, s.changed, w.batch.data() + j * stride_);
  w.touched[j] = monitor_.has_invariants() ? monitor_.invariants_touched(s.changed) : 0;
  w.numbers[j] = k;
  w.parents[j] = w.id;
}

bool Bfs::stored_before_level(const Worker& w, size_t j) const {
  const uint8_t* key = w.batch.data() + j * stride_;
  uint64_t sig = 0;
  if (compact_) {
    sig = hash_bytes(key, state_bytes_, kSignatureSeed);
    key = reinterpret_cast<const uint8_t*>(&sig);
  }
  const std::optional<uint32_t> id = store_.find(key);
  return id && *id < states_at_level_start_;
}

void Bfs::expand_reduced(Worker& w, const std::function<void(const ir::Successor&)>& cb) {
  const size_t mark = w.batched;
  const int n = static_cast<int>(layout_.instances.size());
  bool any = false;  // some instance may be alone: else the plain full expansion
  for (int i = 0; i < n && !any; ++i) {
    any = por_->may_reduce(i, static_cast<int>(w.slots[static_cast<size_t>(layout_.instances[static_cast<size_t>(i)].state)]));
  }
  if (!any) {
    w.enabled.clear();
    ts_.successors(w.slots, cb);
    return;
  }
  for (int i = 0; i < n; ++i) {
    const size_t first = w.batched;
    const uint32_t count = w.count;
    const int cs = static_cast<int>(w.slots[static_cast<size_t>(layout_.instances[static_cast<size_t>(i)].state)]);
    const bool candidate = por_->may_reduce(i, cs);
    if (candidate) {
      const ir::Role& role = ts_.model().roles[static_cast<size_t>(ts_.system().instances[static_cast<size_t>(i)].role)];
      w.enabled.assign(role.transitions.size(), 0);
    } else {
      w.enabled.clear();  // on_successor records nothing
    }
    w.step_error = false;
    ts_.successors_of_instance(w.slots, i, cb);
    if (!candidate || w.halt || w.step_error || w.count == count || !por_->ample(w.slots, i, w.enabled)) continue;
    bool proviso = true;
    for (size_t j = first; j < w.batched && proviso; ++j) proviso = !stored_before_level(w, j);
    if (!proviso) continue;
    // Instance i alone: keep its successors, drop those of the instances before it.
    if (first != mark) {
      const size_t len = w.batched - first;
      std::memmove(w.batch.data() + mark * stride_, w.batch.data() + first * stride_, len * stride_);
      for (auto* v : {&w.numbers, &w.parents}) std::copy(v->begin() + first, v->begin() + first + len, v->begin() + mark);
      std::copy(w.touched.begin() + first, w.touched.begin() + first + len, w.touched.begin() + mark);
      w.batched = mark + len;
    }
    ++w.reduced;
    w.dropped = count;
    return;
  }
}

void Bfs::insert_batch(Worker& w) {
  const size_t n = w.batched;
  w.batched = 0;
  for (size_t j = 0; j < n; ++j) {
    const uint8_t* key = w.batch.data() + j * stride_;
    if (compact_) {
      w.sigs[j] = hash_bytes(key, state_bytes_, kSignatureSeed);
      key = reinterpret_cast<const uint8_t*>(&w.sigs[j]);
    }
    w.hashes[j] = store_.hash(key);
    store_.prefetch(w.hashes[j]);
  }
  for (size_t j = 0; j < n; ++j) store_.prefetch_record(w.hashes[j]);
  for (size_t j = 0; j < n && !w.halt; ++j) {
    const uint8_t* packed = w.batch.data() + j * stride_;
    const uint8_t* key = compact_ ? reinterpret_cast<const uint8_t*>(&w.sigs[j]) : packed;
    const Meta meta{w.parents[j], w.numbers[j]};
    const StateStore::InsertResult r = store_.insert_hashed(key, w.hashes[j], &meta);
    if (r.status == StateStore::Status::kFound) continue;
    if (r.status == StateStore::Status::kFull) {
      w.halt = true;
      halt("max-memory");
      return;
    }
    if (compact_) {
      std::vector<uint8_t>& out = *w.out;
      const size_t at = out.size();
      out.resize(at + entry_bytes_);
      std::memcpy(out.data() + at, packed, state_bytes_);
      std::memcpy(out.data() + at + state_bytes_, &r.id, sizeof r.id);
    }
    if (w.touched[j] != 0) {
      const uint32_t id = r.id;
      packer_.unpack_slots(packed, monitor_.invariant_slots(), w.fresh);
      monitor_.check_state(w.fresh, [&] { return path_to(id); }, [&] { return now(depth_ + 1); }, w.touched[j]);
    }
    if (opt_.max_states != 0 && uint64_t{r.id} + 1 >= opt_.max_states) {
      w.halt = true;
      halt("max-states");
    }
  }
}

void Bfs::expand_chunk(Worker& w, uint64_t a, uint64_t b) {
  // Built once per chunk (not per state): std::function may allocate.
  const std::function<void(const ir::Successor&)> cb = [this, &w](const ir::Successor& s) {
    on_successor(w, s);
  };
  size_t t = 0;
  while (compact_ && prefix_[t + 1] <= a) ++t;
  for (uint64_t i = a; i < b && !w.halt; ++i) {
    const uint8_t* e;
    if (compact_) {
      while (prefix_[t + 1] <= i) ++t;
      e = cur_[t].data() + (i - prefix_[t]) * entry_bytes_;
      std::memcpy(&w.id, e + state_bytes_, sizeof w.id);
    } else {
      w.id = static_cast<uint32_t>(level_first_ + i);
      e = store_.key(w.id);
    }
    packer_.unpack(e, w.slots);
    w.packed = e;
    w.count = 0;
    w.dropped = 0;
    if (por_) {
      expand_reduced(w, cb);
    } else {
      ts_.successors(w.slots, cb);
    }
    if (w.batched >= kBatch) insert_batch(w);
    w.transitions += w.count - w.dropped;
    if (w.count == 0 && monitor_.has_deadlock()) {
      const uint32_t id = w.id;
      monitor_.check_deadlock(w.slots, [&] { return path_to(id); }, [&] { return now(depth_); });
    }
  }
  if (w.batched > 0) {
    if (!w.halt) insert_batch(w);
    w.batched = 0;
  }
  if (monitor_.done()) {
    w.halt = true;
    halt("");
  }
}

void Bfs::after_chunk(Worker& w) {
  transitions_.fetch_add(w.transitions, std::memory_order_relaxed);
  w.transitions = 0;
  reduced_.fetch_add(w.reduced, std::memory_order_relaxed);
  w.reduced = 0;
  const uint64_t mem = memory_estimate();
  uint64_t peak = peak_memory_.load(std::memory_order_relaxed);
  while (mem > peak && !peak_memory_.compare_exchange_weak(peak, mem, std::memory_order_relaxed)) {
  }
  if (opt_.max_memory != 0 && mem > opt_.max_memory) halt("max-memory");
  std::string lim = time_limit_hit(opt_, clock_);
  if (!lim.empty()) halt(lim);
  if (w.index == 0 && opt_.progress) {
    const double t = clock_.seconds();
    if (t - last_progress_ >= opt_.progress_interval) {
      last_progress_ = t;
      Progress p;
      p.states = store_.size();
      p.transitions = transitions_.load(std::memory_order_relaxed);
      p.depth = depth_;
      p.queue = level_size_ - std::min(level_size_, cursor_.load(std::memory_order_relaxed)) +
                (store_.size() - states_at_level_start_);
      p.memory_bytes = mem;
      p.seconds = t;
      opt_.progress(p);
    }
  }
}

void Bfs::work(Worker& w) {
  for (;;) {
    if (stop_.load(std::memory_order_acquire)) break;
    if (jobs_ > 1) {
      while (grow_pending_.load(std::memory_order_acquire)) std::this_thread::yield();
    }
    const uint64_t a = cursor_.fetch_add(chunk_, std::memory_order_relaxed);
    if (a >= level_size_) break;
    const uint64_t b = std::min(level_size_, a + chunk_);
    if (jobs_ > 1) {
      std::shared_lock<std::shared_mutex> lock(grow_mu_);
      expand_chunk(w, a, b);
    } else {
      expand_chunk(w, a, b);
    }
    after_chunk(w);
    if (store_.needs_grow()) {
      if (jobs_ == 1) {
        store_.grow();
      } else {
        bool expected = false;
        if (grow_pending_.compare_exchange_strong(expected, true)) {
          std::unique_lock<std::shared_mutex> lock(grow_mu_);
          if (store_.needs_grow()) store_.grow();
          grow_pending_.store(false, std::memory_order_release);
        }
      }
    }
  }
}

void Bfs::end_level() {
  if (stop_.load(std::memory_order_acquire)) {
    finished_ = true;
    return;
  }
  if (compact_) {
    std::swap(cur_, next_);
    for (auto& v : next_) v.clear();
    level_size_ = 0;
    level_bytes_ = 0;
    for (size_t t = 0; t < cur_.size(); ++t) {
      prefix_[t] = level_size_;
      level_size_ += cur_[t].size() / entry_bytes_;
      level_bytes_ += cur_[t].capacity() + next_[t].capacity();
    }
    prefix_[cur_.size()] = level_size_;
  } else {
    level_first_ = states_at_level_start_;
    level_size_ = store_.size() - level_first_;
  }
  if (level_size_ == 0) {
    finished_ = true;
    complete_ = true;
    return;
  }
  ++depth_;
  max_depth_ = depth_;
  states_at_level_start_ = store_.size();
  chunk_ = std::clamp<uint64_t>(level_size_ / (static_cast<uint64_t>(jobs_) * 8), 1, 256);
  cursor_.store(0, std::memory_order_relaxed);
  while (store_.needs_grow() && store_.grow()) {
  }
}

Result Bfs::run() {
  Result result;
  // The initial state: depth 0, the only entry of level 0.
  {
    ir::Slots init = ts_.initial_state();
    ir::Packed buf;
    layout_.pack(init, buf);
    buf.resize(state_bytes_);
    uint64_t sig = hash_bytes(buf.data(), state_bytes_, kSignatureSeed);
    const uint8_t* key = compact_ ? reinterpret_cast<const uint8_t*>(&sig) : buf.data();
    const Meta meta{kNoParent, 0};
    StateStore::InsertResult r = store_.insert(key, &meta);
    if (r.status == StateStore::Status::kFull) {
      halt("max-memory");
    } else {
      if (compact_) {
        next_[0].resize(entry_bytes_);
        std::memcpy(next_[0].data(), buf.data(), state_bytes_);
        std::memcpy(next_[0].data() + state_bytes_, &r.id, sizeof r.id);
      }
      if (monitor_.has_invariants()) {
        monitor_.check_state(init, [] { return std::vector<uint32_t>{}; }, [&] { return now(0); });
      }
      if (monitor_.done()) halt("");
    }
  }
  end_level();
  depth_ = 0;
  max_depth_ = 0;

  if (!finished_) {
    if (jobs_ == 1) {
      Worker w;
      while (!finished_) {
        w.out = &next_[0];
        work(w);
        end_level();
      }
      transitions_.fetch_add(w.transitions);
    } else {
      auto completion = [this]() noexcept { end_level(); };
      std::barrier sync(jobs_, completion);
      auto body = [&](int t) {
        Worker w;
        w.index = t;
        while (!finished_) {
          w.out = &next_[static_cast<size_t>(t)];
          work(w);
          sync.arrive_and_wait();
        }
      };
      std::vector<std::thread> threads;
      for (int t = 1; t < jobs_; ++t) threads.emplace_back(body, t);
      body(0);
      for (std::thread& th : threads) th.join();
    }
  }

  result.stats.states = store_.size();
  result.stats.transitions = transitions_.load();
  result.stats.max_depth = max_depth_;
  result.stats.seconds = clock_.seconds();
  result.stats.cpu_seconds = clock_.cpu_seconds();
  result.stats.peak_memory_bytes = std::max(peak_memory_.load(), memory_estimate());
  result.complete = complete_;
  result.limit = limit_;
  result.reduced_states = reduced_.load();
  if (compact_) result.omission_probability = signature_collision_probability(store_.size());
  result.outcomes = monitor_.finish(complete_, limit_, result.stats);
  return result;
}

}  // namespace

Result run_bfs(const ir::TransitionSystem& ts, const std::vector<int>& properties,
               const Options& options) {
  Bfs bfs(ts, properties, options);
  return bfs.run();
}

}  // namespace sp::checker::detail
