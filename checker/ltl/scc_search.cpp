// SCC-based search for a fair accepting cycle, iterative.
//
// Couvreur, "On-the-fly verification of linear temporal logic" (FM 1999): a DFS that
// keeps a stack of SCC roots, each with the union of the acceptance marks of the edges
// merged into its (partial) SCC; an edge into a live state merges every root above that
// state's into one, and the search stops as soon as a partial SCC carries every mark.
// Weak fairness is one more mark per set. Strong fairness is checked on partial SCCs
// too (every strong set enabled in it is taken in it) and, when a complete SCC has every
// mark but fails it, by Emerson-Lei refinement of that SCC (refine()).
//
// Each state's 4-byte meta is its DFS number (Tarjan's index; 0: not visited yet), or
// kDead once its SCC is complete. Live states (visited, SCC not complete) sit on `live_`
// in increasing DFS number.
#include <algorithm>
#include <cstring>
#include <deque>

#include "checker/ltl/product_core.hpp"
#include "checker/ltl/scc.hpp"

namespace sp::checker::ltl::detail {

namespace {

constexpr uint32_t kDead = 0xffffffffu;

struct Frame {
  uint32_t id;
  uint32_t count;
  uint32_t next;
  size_t offset;
};

struct Root {
  uint32_t num;       // DFS number of the root state
  uint32_t live_pos;  // where its states start on live_
  bool cyclic;        // an edge was merged into it
};

// The subgraph of the product induced by some live states, built explicitly (one more
// expansion of each) for the counterexample and for strong-fairness refinement.
struct LocalGraph {
  std::vector<uint32_t> ids;     // store ids, in increasing DFS number
  std::vector<uint32_t> nums;    // their DFS numbers
  std::vector<size_t> first;     // edges of node v: [first[v], first[v + 1])
  std::vector<uint32_t> target;
  std::vector<int> group;
  std::vector<uint64_t> marks;   // W per edge
  std::vector<uint64_t> strong;  // W per node: strong sets enabled there

  int size() const { return static_cast<int>(ids.size()); }
};

class SccSearch {
 public:
  explicit SccSearch(Product& p) : p_(p), w_(p.words()) {
    scratch_.resize(static_cast<size_t>(w_) * 2);
  }

  SearchResult run() {
    SearchResult r;
    uint32_t init = 0;
    if (p_.store_initial(&init)) {
      std::vector<uint64_t> none(static_cast<size_t>(w_), 0);
      if (push(init, none.data())) loop(r);
    }
    if (r.status != SearchStatus::kCycle) {
      r.status = p_.status();
      r.message = p_.message();
    }
    r.stats = p_.stats();
    return r;
  }

 private:
  uint64_t* root_marks(size_t i) { return &root_bits_[i * 3 * static_cast<size_t>(w_)]; }
  uint64_t* root_strong(size_t i) { return root_marks(i) + w_; }
  uint64_t* root_arc(size_t i) { return root_marks(i) + 2 * w_; }
  uint64_t* frame_bits(size_t i) { return &frame_bits_[i * static_cast<size_t>(w_)]; }
  uint32_t num(uint32_t id) const {
    uint32_t n;
    std::memcpy(&n, p_.meta(id), 4);
    return n;
  }
  void set_num(uint32_t id, uint32_t n) { std::memcpy(p_.meta(id), &n, 4); }

  bool push(uint32_t id, const uint64_t* arc) {
    Frame f{id, 0, 0, p_.arena().size()};
    const uint32_t n = ++visited_;
    set_num(id, n);
    frame_bits_.resize(frame_bits_.size() + static_cast<size_t>(w_));
    uint64_t* bits = frame_bits(frames_.size());
    if (!p_.expand(id, &f.count, bits)) return false;
    frames_.push_back(f);
    roots_.push_back(Root{n, static_cast<uint32_t>(live_.size()), false});
    root_bits_.resize(root_bits_.size() + 3 * static_cast<size_t>(w_), 0);
    const size_t r = roots_.size() - 1;
    for (int i = 0; i < w_; ++i) {
      root_marks(r)[i] = 0;
      root_strong(r)[i] = bits[i] & p_.strong_mask()[i];
      root_arc(r)[i] = arc[i];
    }
    live_.push_back(id);
    p_.extra_memory = frames_.capacity() * sizeof(Frame) + roots_.capacity() * sizeof(Root) +
                      live_.capacity() * 4 + (root_bits_.capacity() + frame_bits_.capacity()) * 8;
    return p_.keep_going(frames_.size());
  }

  void loop(SearchResult& r) {
    uint64_t* marks = scratch_.data();
    uint64_t* strong = scratch_.data() + w_;
    while (!frames_.empty()) {
      const size_t top = frames_.size() - 1;
      Frame& f = frames_[top];
      if (f.next < f.count) {
        const uint8_t* ent = p_.entry(f.offset, f.next);
        ++f.next;
        ++p_.transitions;
        p_.edge_marks(ent, p_.aut_state(f.id), frame_bits(top), marks);
        const uint32_t t = Product::entry_id(ent);
        const uint32_t tn = num(t);
        if (tn == 0) {
          if (!push(t, marks)) return;
          continue;
        }
        if (tn == kDead) continue;
        // An edge into a live state: everything from that state's root up is one SCC.
        std::fill(strong, strong + w_, 0);
        while (roots_.back().num > tn) {
          const size_t i = roots_.size() - 1;
          bits_or(marks, root_marks(i), w_);
          bits_or(marks, root_arc(i), w_);
          bits_or(strong, root_strong(i), w_);
          roots_.pop_back();
          root_bits_.resize(root_bits_.size() - 3 * static_cast<size_t>(w_));
        }
        const size_t i = roots_.size() - 1;
        bits_or(root_marks(i), marks, w_);
        bits_or(root_strong(i), strong, w_);
        roots_[i].cyclic = true;
        if (p_.accepting(root_marks(i), root_strong(i))) {
          found_in_partial_scc(r);
          return;
        }
        continue;
      }
      // Every successor of f followed: if f is a root, its SCC is complete.
      if (roots_.back().num == num(f.id)) {
        const size_t ri = roots_.size() - 1;
        const Root root = roots_[ri];
        if (root.cyclic && p_.has_strong() && p_.accepting(root_marks(ri), p_.zeros())) {
          if (refine(root, r)) return;
          if (p_.status() != SearchStatus::kNoCycle) return;
        }
        for (size_t k = root.live_pos; k < live_.size(); ++k) set_num(live_[k], kDead);
        live_.resize(root.live_pos);
        roots_.pop_back();
        root_bits_.resize(root_bits_.size() - 3 * static_cast<size_t>(w_));
      }
      p_.arena().resize(f.offset);
      frames_.pop_back();
      frame_bits_.resize(frame_bits_.size() - static_cast<size_t>(w_));
    }
  }

  // --- counterexamples ---------------------------------------------------------------

  // The partial SCC of the top root satisfies everything: its states are live_ from the
  // root's position on; the root is on the DFS stack.
  void found_in_partial_scc(SearchResult& r) {
    const Root& root = roots_.back();
    LocalGraph g;
    if (!build(std::vector<uint32_t>(live_.begin() + root.live_pos, live_.end()), g)) return;
    std::vector<char> all(g.ids.size(), 1);
    finish(r, g, all);
  }

  // Strong fairness on a complete SCC whose marks are all there: Emerson-Lei. Remove
  // states where a strong set is enabled that no edge of the SCC takes, split the rest
  // into SCCs, repeat on each.
  bool refine(const Root& root, SearchResult& r) {
    LocalGraph g;
    if (!build(std::vector<uint32_t>(live_.begin() + root.live_pos, live_.end()), g)) return false;
    const int n = g.size();
    std::vector<std::vector<int>> work = {{}};
    for (int v = 0; v < n; ++v) work[0].push_back(v);
    std::vector<char> in(static_cast<size_t>(n), 0);
    std::vector<int> comp;
    std::vector<uint64_t> marks(static_cast<size_t>(w_)), strong(static_cast<size_t>(w_)), bad(static_cast<size_t>(w_));
    while (!work.empty()) {
      std::vector<int> set = std::move(work.back());
      work.pop_back();
      std::fill(in.begin(), in.end(), 0);
      for (int v : set) in[static_cast<size_t>(v)] = 1;
      const int comps = scc_decompose(
          n, [&](int v) { return in[static_cast<size_t>(v)] != 0; },
          [&](int v, auto&& f) {
            for (size_t e = g.first[static_cast<size_t>(v)]; e < g.first[static_cast<size_t>(v) + 1]; ++e) {
              f(static_cast<int>(g.target[e]));
            }
          },
          comp);
      std::vector<std::vector<int>> members(static_cast<size_t>(comps));
      for (int v : set) members[static_cast<size_t>(comp[static_cast<size_t>(v)])].push_back(v);
      for (int c = 0; c < comps; ++c) {
        std::fill(marks.begin(), marks.end(), 0);
        std::fill(strong.begin(), strong.end(), 0);
        bool cyclic = false;
        for (int v : members[static_cast<size_t>(c)]) {
          bits_or(strong.data(), &g.strong[static_cast<size_t>(v) * static_cast<size_t>(w_)], w_);
          for (size_t e = g.first[static_cast<size_t>(v)]; e < g.first[static_cast<size_t>(v) + 1]; ++e) {
            if (comp[g.target[e]] != c || !in[g.target[e]]) continue;
            cyclic = true;
            bits_or(marks.data(), &g.marks[e * static_cast<size_t>(w_)], w_);
          }
        }
        if (!cyclic || !p_.accepting(marks.data(), p_.zeros())) continue;
        bool any_bad = false;
        for (int i = 0; i < w_; ++i) {
          bad[static_cast<size_t>(i)] = strong[static_cast<size_t>(i)] & p_.strong_mask()[i] & ~marks[static_cast<size_t>(i)];
          any_bad = any_bad || bad[static_cast<size_t>(i)] != 0;
        }
        if (!any_bad) {
          std::vector<char> sub(static_cast<size_t>(n), 0);
          for (int v : members[static_cast<size_t>(c)]) sub[static_cast<size_t>(v)] = 1;
          finish(r, g, sub);
          return true;
        }
        std::vector<int> rest;
        for (int v : members[static_cast<size_t>(c)]) {
          bool enabled_bad = false;
          for (int i = 0; i < w_; ++i) {
            enabled_bad = enabled_bad || (g.strong[static_cast<size_t>(v) * static_cast<size_t>(w_) + static_cast<size_t>(i)] & bad[static_cast<size_t>(i)]);
          }
          if (!enabled_bad) rest.push_back(v);
        }
        if (!rest.empty()) work.push_back(std::move(rest));
      }
    }
    return false;
  }

  // Builds the subgraph induced by `ids` (live states, in increasing DFS number).
  bool build(std::vector<uint32_t> ids, LocalGraph& g) {
    g.ids = std::move(ids);
    const size_t n = g.ids.size();
    g.nums.resize(n);
    for (size_t v = 0; v < n; ++v) g.nums[v] = num(g.ids[v]);
    g.first.assign(1, 0);
    g.strong.assign(n * static_cast<size_t>(w_), 0);
    std::vector<uint64_t> bits(static_cast<size_t>(w_)), marks(static_cast<size_t>(w_));
    for (size_t v = 0; v < n; ++v) {
      const size_t base = p_.arena().size();
      uint32_t count = 0;
      if (!p_.expand(g.ids[v], &count, bits.data())) return false;
      const int q = p_.aut_state(g.ids[v]);
      for (int i = 0; i < w_; ++i) g.strong[v * static_cast<size_t>(w_) + static_cast<size_t>(i)] = bits[static_cast<size_t>(i)] & p_.strong_mask()[i];
      for (uint32_t k = 0; k < count; ++k) {
        const uint8_t* ent = p_.entry(base, k);
        const uint32_t tn = num(Product::entry_id(ent));
        auto it = std::lower_bound(g.nums.begin(), g.nums.end(), tn);
        if (tn == 0 || tn == kDead || it == g.nums.end() || *it != tn) continue;
        p_.edge_marks(ent, q, bits.data(), marks.data());
        g.target.push_back(static_cast<uint32_t>(it - g.nums.begin()));
        g.group.push_back(Product::entry_group(ent));
        g.marks.insert(g.marks.end(), marks.begin(), marks.end());
      }
      g.first.push_back(g.target.size());
      p_.arena().resize(base);
    }
    return true;
  }

  // Shortest path of edges inside `in` from `from` to the first edge that `goal` accepts
  // (an edge index); the edges are appended to `path`. With `at_least_one`, a path from
  // `from` to itself is not empty.
  template <class Goal>
  bool bfs(const LocalGraph& g, const std::vector<char>& in, int from, Goal goal, std::vector<size_t>& path) {
    const int n = g.size();
    std::vector<size_t> parent(static_cast<size_t>(n), SIZE_MAX);  // edge into the node
    std::vector<char> seen(static_cast<size_t>(n), 0);
    std::deque<int> queue = {from};
    seen[static_cast<size_t>(from)] = 1;
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (size_t e = g.first[static_cast<size_t>(u)]; e < g.first[static_cast<size_t>(u) + 1]; ++e) {
        const int v = static_cast<int>(g.target[e]);
        if (!in[static_cast<size_t>(v)]) continue;
        if (goal(e)) {
          std::vector<size_t> rev = {e};
          for (int x = u; x != from; x = source_of(g, parent[static_cast<size_t>(x)])) {
            rev.push_back(parent[static_cast<size_t>(x)]);
          }
          path.insert(path.end(), rev.rbegin(), rev.rend());
          return true;
        }
        if (!seen[static_cast<size_t>(v)]) {
          seen[static_cast<size_t>(v)] = 1;
          parent[static_cast<size_t>(v)] = e;
          queue.push_back(v);
        }
      }
    }
    return false;
  }

  static int source_of(const LocalGraph& g, size_t edge) {
    auto it = std::upper_bound(g.first.begin(), g.first.end(), edge);
    return static_cast<int>(it - g.first.begin()) - 1;
  }

  // Builds the lasso: the DFS stack down to the root, a path inside the SCC to the
  // component `sub`, and a cycle in `sub` through an edge of every needed mark (and of
  // every strong set enabled in it).
  // The root is g's node 0 (the smallest DFS number) and lies on the DFS stack.
  void finish(SearchResult& r, const LocalGraph& g, const std::vector<char>& sub) {
    ProductPath path;
    size_t root_frame = 0;
    while (frames_[root_frame].id != g.ids[0]) ++root_frame;
    for (size_t i = 0; i <= root_frame; ++i) {
      path.ids.push_back(frames_[i].id);
      if (i < root_frame) path.groups.push_back(Product::entry_group(p_.entry(frames_[i].offset, frames_[i].next - 1)));
    }
    const int root = 0;
    std::vector<char> everywhere(g.ids.size(), 1);
    std::vector<size_t> edges;
    int start = root;
    if (!sub[static_cast<size_t>(root)]) {
      bfs(g, everywhere, root, [&](size_t e) { return sub[g.target[e]] != 0; }, edges);
      start = static_cast<int>(g.target[edges.back()]);
    }
    const size_t loop_edges = edges.size();
    // Marks to collect: every needed one, and every strong set enabled in `sub`.
    std::vector<uint64_t> want(p_.need(), p_.need() + w_), have(static_cast<size_t>(w_), 0);
    for (int v = 0; v < g.size(); ++v) {
      if (!sub[static_cast<size_t>(v)]) continue;
      for (int i = 0; i < w_; ++i) want[static_cast<size_t>(i)] |= g.strong[static_cast<size_t>(v) * static_cast<size_t>(w_) + static_cast<size_t>(i)];
    }
    int cur = start;
    for (;;) {
      std::vector<uint64_t> missing(static_cast<size_t>(w_));
      bool any = false;
      for (int i = 0; i < w_; ++i) {
        missing[static_cast<size_t>(i)] = want[static_cast<size_t>(i)] & ~have[static_cast<size_t>(i)];
        any = any || missing[static_cast<size_t>(i)] != 0;
      }
      const size_t before = edges.size();
      bool ok;
      if (any) {
        ok = bfs(g, sub, cur, [&](size_t e) {
          for (int i = 0; i < w_; ++i) {
            if (g.marks[e * static_cast<size_t>(w_) + static_cast<size_t>(i)] & missing[static_cast<size_t>(i)]) return true;
          }
          return false;
        }, edges);
      } else {
        if (cur == start && edges.size() > loop_edges) break;
        ok = bfs(g, sub, cur, [&](size_t e) { return static_cast<int>(g.target[e]) == start; }, edges);
      }
      if (!ok) {  // cannot happen: `sub` is strongly connected
        p_.stop(SearchStatus::kError, "internal error: no cycle through the accepting SCC");
        return;
      }
      for (size_t k = before; k < edges.size(); ++k) bits_or(have.data(), &g.marks[edges[k] * static_cast<size_t>(w_)], w_);
      cur = static_cast<int>(g.target[edges.back()]);
    }
    path.loop = path.ids.size() - 1 + loop_edges;
    for (size_t e : edges) {
      path.groups.push_back(g.group[e]);
      path.ids.push_back(g.ids[g.target[e]]);
    }
    r.status = SearchStatus::kCycle;
    r.lasso = p_.project(path);
  }

  Product& p_;
  const int w_;
  std::vector<Frame> frames_;
  std::vector<uint64_t> frame_bits_;  // W per frame: the state's weak-disabled / strong-enabled bits
  std::vector<Root> roots_;
  std::vector<uint64_t> root_bits_;   // 3W per root: marks, strong sets enabled, marks of the edge into it
  std::vector<uint32_t> live_;
  std::vector<uint64_t> scratch_;
  uint32_t visited_ = 0;
};

}  // namespace

SearchResult run_scc(Product& p) { return SccSearch(p).run(); }

}  // namespace sp::checker::ltl::detail
