// The product of a system and a Büchi automaton: layout, expansion, fairness marks,
// limits; and the entry point that picks the search.
#include "checker/ltl/product.hpp"

#include <algorithm>
#include <bit>

#include "checker/ltl/product_core.hpp"

static_assert(std::endian::native == std::endian::little, "valuations are stored little-endian");

namespace sp::checker::ltl {

const char* algorithm_name(Algorithm a) {
  switch (a) {
    case Algorithm::kNestedDfs: return "nested-dfs";
    case Algorithm::kScc: return "scc";
    case Algorithm::kAuto: break;
  }
  return "auto";
}

namespace detail {

namespace {

// System state meta: cache word index (4; 0: not cached), flags (1), valuation
// (val_bytes_), then the direct product table (4 bytes per automaton state).
constexpr size_t kCacheAt = 0, kFlagsAt = 4, kValuationAt = 5;
constexpr uint8_t kHaveValuation = 1;

uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

Product::Product(StateSpace& space, const Automaton& automaton, const std::vector<FairSet>& fairness,
                 const SearchOptions& options, size_t meta_bytes)
    : space_(space), aut_(automaton), options_(options), start_(std::chrono::steady_clock::now()) {
  b_ = space.state_bytes();
  meta_bytes_ = meta_bytes;
  direct_ = aut_.states() <= kDirectStates;
  uint64_t used = 0;  // atoms the labels test
  for (const auto& edges : aut_.out) {
    for (const Edge& e : edges) used |= e.label.pos | e.label.neg;
  }
  val_bytes_ = used == 0 ? 1 : static_cast<size_t>(64 - __builtin_clzll(used) + 7) / 8;
  table_at_ = kValuationAt + val_bytes_;
  prod_record_ = kProductKeyBytes + meta_bytes;
  StateStore::Config sys;
  sys.key_bytes = std::max<size_t>(b_, 1);
  sys.meta_bytes = table_at_ + (direct_ ? 4 * static_cast<size_t>(aut_.states()) : 0);
  sys.initial_log2 = 16;
  sys.max_memory = options.max_memory_bytes;
  sys_store_ = std::make_unique<StateStore>(sys);
  if (!direct_) {
    StateStore::Config prod;
    prod.key_bytes = kProductKeyBytes;
    prod.meta_bytes = meta_bytes;
    prod.initial_log2 = 16;
    prod.max_memory = options.max_memory_bytes;
    store_ = std::make_unique<StateStore>(prod);
  }
  sys_.reset(b_);
  key_scratch_.assign(std::max<size_t>(b_, 1), 0);
  uint64_t cache = options.successor_cache_bytes;
  if (options.max_memory_bytes != 0) cache = std::min(cache, options.max_memory_bytes / 4);
  cache_limit_ = static_cast<size_t>(std::min<uint64_t>(cache / 4, 0xffffffffu));
  cache_used_ = 1;  // index 0 means "not cached"

  const int k = aut_.acc_sets;
  int weak = 0, strong = 0;
  for (const FairSet& f : fairness) (f.strong ? strong : weak)++;
  strong_sets_ = strong;
  fair_ = weak + strong > 0;
  const int bits = k + weak + strong;
  w_ = std::max(1, (bits + 63) / 64);
  const int groups = std::max(0, space.group_count());
  groups_ = groups;
  group_marks_.assign(static_cast<size_t>(groups + 1) * static_cast<size_t>(w_), 0);
  weak_.assign(static_cast<size_t>(w_), 0);
  strong_.assign(static_cast<size_t>(w_), 0);
  need_.assign(static_cast<size_t>(w_), 0);
  zeros_.assign(static_cast<size_t>(w_), 0);
  enabled_.assign(static_cast<size_t>(w_), 0);
  auto set = [&](std::vector<uint64_t>& v, size_t base, int bit) { v[base + static_cast<size_t>(bit / 64)] |= uint64_t{1} << (bit % 64); };
  for (int j = 0; j < k; ++j) set(need_, 0, j);
  int wi = 0, si = 0;
  for (const FairSet& f : fairness) {
    const int bit = f.strong ? k + weak + si++ : k + wi++;
    set(f.strong ? strong_ : weak_, 0, bit);
    if (!f.strong) set(need_, 0, bit);
    for (int g : f.groups) {
      if (g >= 0 && g < groups) set(group_marks_, static_cast<size_t>(g + 1) * static_cast<size_t>(w_), bit);
    }
  }
}

bool Product::insert(StateStore& store, const uint8_t* key, uint32_t* id) {
  const StateStore::InsertResult r = store.insert(key);
  if (r.status == StateStore::Status::kFull) {
    stop(SearchStatus::kLimit, "max-memory");
    return false;
  }
  *id = r.id;
  return true;
}

bool Product::product(uint32_t sys, int q, uint32_t* id) {
  if (!direct_) {
    std::memcpy(product_key_, &sys, 4);
    product_key_[4] = static_cast<uint8_t>(q & 0xff);
    product_key_[5] = static_cast<uint8_t>(q >> 8);
    return insert(*store_, product_key_, id);
  }
  uint8_t* slot = sys_store_->meta(sys) + table_at_ + 4 * static_cast<size_t>(q);
  const uint32_t v = Load32(slot);
  if (v != 0) {
    *id = v - 1;
    return true;
  }
  if (products_ >= StateStore::kMaxStates) {
    stop(SearchStatus::kLimit, "max-memory");
    return false;
  }
  *id = static_cast<uint32_t>(products_++);
  if ((*id >> kProdChunkLog2) >= prod_chunks_.size()) {
    prod_chunks_.push_back(std::make_unique<uint8_t[]>(prod_record_ << kProdChunkLog2));  // zeroed
  }
  uint8_t* rec = record(*id);
  std::memcpy(rec, &sys, 4);
  rec[4] = static_cast<uint8_t>(q & 0xff);
  rec[5] = static_cast<uint8_t>(q >> 8);
  const uint32_t stored = *id + 1;
  std::memcpy(slot, &stored, 4);
  return true;
}

bool Product::store_initial(uint32_t* id) {
  space_.initial_state(key_scratch_.data());
  uint32_t sys = 0;
  return insert(*sys_store_, key_scratch_.data(), &sys) && product(sys, aut_.initial, id);
}

bool Product::system_successors(uint32_t sys, const uint32_t** list, uint32_t* n) {
  uint8_t* meta = sys_store_->meta(sys);
  const uint32_t cached = Load32(meta + kCacheAt);
  if (cached != 0) {
    const uint32_t* at = cache_[cached >> kChunkLog2].get() + (cached & ((1u << kChunkLog2) - 1));
    *n = at[0];
    *list = at + 1;
    return true;
  }
  sys_.clear();
  if (!space_.successors(sys_store_->key(sys), sys_)) {
    stop(SearchStatus::kError, space_.error());
    return false;
  }
  const size_t count = sys_.size();
  scratch_list_.resize(1 + 2 * count);
  scratch_list_[0] = static_cast<uint32_t>(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* s = b_ == 0 ? key_scratch_.data() : sys_.state(i);  // a 0-byte layout: one state
    uint32_t t = 0;
    if (!insert(*sys_store_, s, &t)) return false;
    const int g = sys_.group(i);
    if (g < 0 || g >= groups_) {
      stop(SearchStatus::kError, "the state space gave a successor an invalid transition group");
      return false;
    }
    scratch_list_[1 + 2 * i] = t;
    scratch_list_[2 + 2 * i] = static_cast<uint32_t>(g);
  }
  *n = static_cast<uint32_t>(count);
  *list = scratch_list_.data() + 1;
  // Cache the list when it fits in a chunk and the budget allows.
  const size_t words = scratch_list_.size();
  const size_t chunk = size_t{1} << kChunkLog2;
  if (words > chunk) return true;
  size_t at = cache_used_;
  if ((at & (chunk - 1)) + words > chunk) at = (at | (chunk - 1)) + 1;  // next chunk
  if (at + words > cache_limit_ || at + words > 0xffffffffu) return true;
  while (cache_.size() <= (at >> kChunkLog2)) cache_.push_back(std::make_unique<uint32_t[]>(chunk));
  uint32_t* dst = cache_[at >> kChunkLog2].get() + (at & (chunk - 1));
  std::memcpy(dst, scratch_list_.data(), words * 4);
  const uint32_t index = static_cast<uint32_t>(at);
  std::memcpy(meta + kCacheAt, &index, 4);
  cache_used_ = at + words;
  return true;
}

bool Product::expand(uint32_t id, uint32_t* count, uint64_t* state_bits) {
  *count = 0;
  if (state_bits != nullptr) std::fill(state_bits, state_bits + w_, 0);
  const uint32_t sys = sys_of(id);
  const int q = aut_state(id);
  uint8_t* meta = sys_store_->meta(sys);  // records never move
  uint64_t valuation = 0;
  if (meta[kFlagsAt] & kHaveValuation) {
    std::memcpy(&valuation, meta + kValuationAt, val_bytes_);  // little-endian
  } else {
    if (!space_.atoms(sys_store_->key(sys), &valuation)) {
      stop(SearchStatus::kError, space_.error());
      return false;
    }
    if (val_bytes_ < 8) valuation &= (uint64_t{1} << (8 * val_bytes_)) - 1;
    std::memcpy(meta + kValuationAt, &valuation, val_bytes_);
    meta[kFlagsAt] |= kHaveValuation;
  }
  const std::vector<Edge>& edges = aut_.out[static_cast<size_t>(q)];
  matching_.clear();
  for (size_t i = 0; i < edges.size(); ++i) {
    if (edges[i].label.matches(valuation)) matching_.push_back(static_cast<int>(i));
  }
  if (matching_.empty()) return true;  // the automaton rejects here: no product successor
  const uint32_t* list = nullptr;
  uint32_t n = 0;
  if (!system_successors(sys, &list, &n)) return false;
  const uint32_t stutter[2] = {sys, static_cast<uint32_t>(-1)};
  if (n == 0) {  // no successor: the end state repeats
    list = stutter;
    n = 1;
  }
  if (fair_ && state_bits != nullptr) {
    std::fill(enabled_.begin(), enabled_.end(), 0);
    for (uint32_t i = 0; i < n; ++i) {
      const int g = static_cast<int32_t>(list[2 * i + 1]);
      bits_or(enabled_.data(), &group_marks_[static_cast<size_t>(g + 1) * static_cast<size_t>(w_)], w_);
    }
    for (int i = 0; i < w_; ++i) state_bits[i] = (weak_[i] & ~enabled_[i]) | (strong_[i] & enabled_[i]);
  }
  const size_t total = matching_.size() * n;
  if (total > 0xffffffffu) {
    stop(SearchStatus::kError, "too many successors of one product state");
    return false;
  }
  const size_t off = arena_.size();
  arena_.resize(off + total * kEntryBytes);
  size_t at = off;
  for (int e : matching_) {
    const int dest = edges[static_cast<size_t>(e)].dest;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t t;
      if (!product(list[2 * i], dest, &t)) {
        arena_.resize(off);
        return false;
      }
      uint8_t* p = arena_.data() + at;
      std::memcpy(p, &t, 4);
      std::memcpy(p + 4, &list[2 * i + 1], 4);
      p[8] = static_cast<uint8_t>(e & 0xff);
      p[9] = static_cast<uint8_t>(e >> 8);
      at += kEntryBytes;
    }
  }
  *count = static_cast<uint32_t>(total);
  return true;
}

size_t Product::memory() const {
  size_t m = sys_store_->memory_bytes() + (store_ ? store_->memory_bytes() : 0);
  m += prod_chunks_.size() * (prod_record_ << kProdChunkLog2);
  m += cache_.size() * (size_t{4} << kChunkLog2) + scratch_list_.capacity() * 4;
  return m + arena_.capacity() + extra_memory;
}

void Product::edge_marks(const uint8_t* ent, int from_aut_state, const uint64_t* state_bits,
                         uint64_t* out) const {
  const int g = entry_group(ent);
  const uint64_t* row = &group_marks_[static_cast<size_t>(g + 1) * static_cast<size_t>(w_)];
  for (int i = 0; i < w_; ++i) out[i] = row[i] | (state_bits[i] & weak_[i]);
  out[0] |= aut_.out[static_cast<size_t>(from_aut_state)][static_cast<size_t>(entry_aut_edge(ent))].acc;
}

bool Product::accepting(const uint64_t* marks, const uint64_t* strong_enabled) const {
  for (int i = 0; i < w_; ++i) {
    if ((marks[i] & need_[i]) != need_[i]) return false;
    if (strong_enabled[i] & strong_[i] & ~marks[i]) return false;
  }
  return true;
}

void Product::stop(SearchStatus status, std::string message) {
  if (status_ != SearchStatus::kNoCycle) return;
  status_ = status;
  message_ = std::move(message);
}

bool Product::keep_going(uint64_t depth) {
  if (depth > max_depth) max_depth = depth;
  if (status_ != SearchStatus::kNoCycle) return false;
  if (options_.max_states != 0 && product_states() >= options_.max_states) {
    stop(SearchStatus::kLimit, "max-states");
    return false;
  }
  if ((++calls_ & 63) != 0) return true;
  const size_t mem = memory();
  peak_memory_ = std::max(peak_memory_, mem);
  if (options_.max_memory_bytes != 0 && mem > options_.max_memory_bytes) {
    stop(SearchStatus::kLimit, "max-memory");
    return false;
  }
  if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
    stop(SearchStatus::kLimit, "cancelled");
    return false;
  }
  const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (options_.timeout_s > 0 && now >= options_.timeout_s) {
    stop(SearchStatus::kLimit, "timeout");
    return false;
  }
  if (options_.progress && now >= next_progress_) {
    next_progress_ = now + options_.progress_interval;
    Progress pr;
    pr.states = product_states();
    pr.transitions = transitions;
    pr.depth = depth;
    pr.queue = depth;
    pr.memory_bytes = mem;
    pr.seconds = now;
    options_.progress(pr);
  }
  return true;
}

Stats Product::stats() const {
  Stats s;
  s.states = product_states();
  s.transitions = transitions;
  s.max_depth = max_depth;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  s.peak_memory_bytes = std::max(peak_memory_, memory());
  return s;
}

Lasso Product::project(const ProductPath& path) const {
  Lasso l;
  l.state_bytes = b_;
  size_t steps = path.groups.size();
  size_t loop = path.loop;
  // Once the system stutters it stays in that end state: cut the run there.
  for (size_t i = 0; i < steps; ++i) {
    if (path.groups[i] < 0) {
      steps = i;
      loop = i;
      break;
    }
  }
  l.groups.assign(path.groups.begin(), path.groups.begin() + static_cast<long>(steps));
  l.loop_start = loop;
  l.states.resize((steps + 1) * b_);
  for (size_t i = 0; i <= steps; ++i) {
    if (b_ != 0) std::memcpy(l.states.data() + i * b_, sys_store_->key(sys_of(path.ids[i])), b_);
  }
  return l;
}

}  // namespace detail

SearchResult find_accepting_run(StateSpace& space, const Automaton& automaton,
                                const std::vector<FairSet>& fairness, const SearchOptions& options) {
  SearchResult r;
  if (automaton.states() > 0xffff) {
    r.status = SearchStatus::kError;
    r.message = "the automaton has more than 65535 states";
    return r;
  }
  const bool ndfs = fairness.empty() && options.algorithm != Algorithm::kScc;
  if (ndfs) {
    const Automaton sba = degeneralize(automaton);
    detail::Product p(space, sba, fairness, options, 1);
    r = detail::run_nested_dfs(p);
    r.algorithm = Algorithm::kNestedDfs;
    r.system_states = p.system_states();
  } else {
    detail::Product p(space, automaton, fairness, options, 4);
    r = detail::run_scc(p);
    r.algorithm = Algorithm::kScc;
    r.system_states = p.system_states();
  }
  return r;
}

}  // namespace sp::checker::ltl
