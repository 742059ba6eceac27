// The product of a system and a Büchi automaton: layout, expansion, fairness marks,
// limits; and the entry point that picks the search.
#include "checker/ltl/product.hpp"

#include <algorithm>

#include "checker/ltl/product_core.hpp"

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

Product::Product(StateSpace& space, const Automaton& automaton, const std::vector<FairSet>& fairness,
                 const SearchOptions& options)
    : space_(space), aut_(automaton), options_(options), start_(std::chrono::steady_clock::now()) {
  b_ = space.state_bytes();
  k_ = b_ + 2;
  e_ = k_ + 10;
  StateStore::Config config;
  config.key_bytes = k_;
  config.meta_bytes = 1;
  config.initial_log2 = 16;
  config.max_memory = options.max_memory_bytes;
  store_ = std::make_unique<StateStore>(config);
  sys_.reset(b_);
  key_scratch_.resize(k_);

  const int k = aut_.acc_sets;
  int weak = 0, strong = 0;
  for (const FairSet& f : fairness) (f.strong ? strong : weak)++;
  strong_sets_ = strong;
  fair_ = weak + strong > 0;
  const int bits = k + weak + strong;
  w_ = std::max(1, (bits + 63) / 64);
  const int groups = std::max(0, space.group_count());
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

const uint8_t* Product::initial_key() {
  space_.initial_state(key_scratch_.data());
  key_scratch_[b_] = static_cast<uint8_t>(aut_.initial & 0xff);
  key_scratch_[b_ + 1] = static_cast<uint8_t>(aut_.initial >> 8);
  return key_scratch_.data();
}

bool Product::expand(const uint8_t* key, uint32_t* count, uint64_t* state_bits) {
  *count = 0;
  if (state_bits != nullptr) std::fill(state_bits, state_bits + w_, 0);
  const int q = aut_state(key);
  uint64_t valuation = 0;
  if (!space_.atoms(key, &valuation)) {
    stop(SearchStatus::kError, space_.error());
    return false;
  }
  const std::vector<Edge>& edges = aut_.out[static_cast<size_t>(q)];
  matching_.clear();
  for (size_t i = 0; i < edges.size(); ++i) {
    if (edges[i].label.matches(valuation)) matching_.push_back(static_cast<int>(i));
  }
  if (matching_.empty()) return true;  // the automaton rejects here: no product successor
  sys_.clear();
  if (!space_.successors(key, sys_)) {
    stop(SearchStatus::kError, space_.error());
    return false;
  }
  if (sys_.size() == 0) sys_.add(key, -1, 0);  // stutter: the end state repeats
  if (fair_ && state_bits != nullptr) {
    std::fill(enabled_.begin(), enabled_.end(), 0);
    for (size_t i = 0; i < sys_.size(); ++i) {
      bits_or(enabled_.data(), &group_marks_[static_cast<size_t>(sys_.group(i) + 1) * static_cast<size_t>(w_)], w_);
    }
    for (int i = 0; i < w_; ++i) state_bits[i] = (weak_[i] & ~enabled_[i]) | (strong_[i] & enabled_[i]);
  }
  const size_t n = matching_.size() * sys_.size();
  if (n > 0xffffffffu) {
    stop(SearchStatus::kError, "too many successors of one product state");
    return false;
  }
  const size_t off = arena_.size();
  arena_.resize(off + n * e_);
  uint8_t* p = arena_.data() + off;
  for (int e : matching_) {
    const int dest = edges[static_cast<size_t>(e)].dest;
    for (size_t i = 0; i < sys_.size(); ++i) {
      if (b_ != 0) std::memcpy(p, sys_.state(i), b_);
      p[b_] = static_cast<uint8_t>(dest & 0xff);
      p[b_ + 1] = static_cast<uint8_t>(dest >> 8);
      const int32_t g = sys_.group(i);
      const uint32_t tag = sys_.tag(i);
      std::memcpy(p + k_, &g, 4);
      std::memcpy(p + k_ + 4, &tag, 4);
      p[k_ + 8] = static_cast<uint8_t>(e & 0xff);
      p[k_ + 9] = static_cast<uint8_t>(e >> 8);
      p += e_;
    }
  }
  *count = static_cast<uint32_t>(n);
  return true;
}

bool Product::expand_id(uint32_t id, uint32_t* count, uint64_t* state_bits) {
  return expand(store_->key(id), count, state_bits);  // store records never move
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
  if (options_.max_states != 0 && store_->size() >= options_.max_states) {
    stop(SearchStatus::kLimit, "max-states");
    return false;
  }
  if ((++calls_ & 63) != 0) return true;
  const size_t mem = store_->memory_bytes() + arena_.capacity() + extra_memory;
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
    pr.states = store_->size();
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
  s.states = store_->size();
  s.transitions = transitions;
  s.max_depth = max_depth;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  s.peak_memory_bytes = std::max(peak_memory_, store_->memory_bytes() + arena_.capacity() + extra_memory);
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
  l.tags.assign(path.tags.begin(), path.tags.begin() + static_cast<long>(steps));
  l.loop_start = loop;
  l.states.resize((steps + 1) * b_);
  for (size_t i = 0; i <= steps; ++i) {
    if (b_ != 0) std::memcpy(l.states.data() + i * b_, store_->key(path.ids[i]), b_);
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
    detail::Product p(space, sba, fairness, options);
    r = detail::run_nested_dfs(p);
    r.algorithm = Algorithm::kNestedDfs;
  } else {
    detail::Product p(space, automaton, fairness, options);
    r = detail::run_scc(p);
    r.algorithm = Algorithm::kScc;
  }
  return r;
}

}  // namespace sp::checker::ltl
