// Nested depth-first search for an accepting cycle (no fairness), iterative.
//
// Schwoon and Esparza, "A note on on-the-fly verification algorithms" (TACAS 2005): the
// blue search colours states cyan while they are on its stack and blue (or red, for
// accepting states after their red search) when done; the red search, started from an
// accepting state when the blue search leaves it, walks blue states (turning them red)
// and reports a cycle as soon as it reaches a cyan state, which lies on the blue stack
// and therefore leads back to the seed. A blue edge into a cyan state closes a cycle
// at once when either end is accepting. Each state is expanded once by the blue search
// and at most once by all red searches together.
#include <algorithm>

#include "checker/ltl/product_core.hpp"

namespace sp::checker::ltl::detail {

namespace {

enum Colour : uint8_t { kWhite = 0, kCyan = 1, kBlue = 2, kRed = 3 };

struct Frame {
  uint32_t id;
  uint32_t count;  // successors in the arena
  uint32_t next;   // the next one to follow
  size_t offset;   // of the first successor in the arena
};

class NestedDfs {
 public:
  explicit NestedDfs(Product& p) : p_(p) {}

  SearchResult run() {
    SearchResult r;
    uint32_t init = 0;
    if (p_.store_initial(&init)) {
      *p_.meta(init) = kCyan;
      if (push(blue_, init, false)) blue_loop(r);
    }
    if (r.status != SearchStatus::kCycle) {
      r.status = p_.status();
      r.message = p_.message();
    }
    r.stats = p_.stats();
    return r;
  }

 private:
  bool accepting(uint32_t id) const {
    return p_.automaton().accepting[static_cast<size_t>(p_.aut_state(id))];
  }

  // Pushes a frame for `id`; `shared` reuses the successors of the blue frame on top (a
  // red search starting at the seed).
  bool push(std::vector<Frame>& stack, uint32_t id, bool shared) {
    Frame f{id, 0, 0, p_.arena().size()};
    if (shared) {
      f.offset = blue_.back().offset;
      f.count = blue_.back().count;
    } else if (!p_.expand(id, &f.count, nullptr)) {
      return false;
    }
    stack.push_back(f);
    p_.extra_memory = (blue_.capacity() + red_.capacity()) * sizeof(Frame);
    return p_.keep_going(blue_.size() + red_.size());
  }

  void pop(std::vector<Frame>& stack, bool shared) {
    if (!shared) p_.arena().resize(stack.back().offset);
    stack.pop_back();
  }

  void blue_loop(SearchResult& r) {
    while (!blue_.empty()) {
      Frame& f = blue_.back();
      if (f.next < f.count) {
        const uint32_t t = Product::entry_id(p_.entry(f.offset, f.next));
        ++f.next;
        ++p_.transitions;
        uint8_t& colour = *p_.meta(t);
        if (colour == kCyan && (accepting(f.id) || accepting(t))) {
          r.status = SearchStatus::kCycle;
          r.lasso = p_.project(path(t, 0));
          return;
        }
        if (colour == kWhite) {
          colour = kCyan;
          if (!push(blue_, t, false)) return;  // f is invalid from here
        }
        continue;
      }
      const uint32_t id = f.id;
      if (accepting(id)) {
        if (red_search(id, r)) return;
        if (p_.status() != SearchStatus::kNoCycle) return;
        *p_.meta(id) = kRed;
      } else {
        *p_.meta(id) = kBlue;
      }
      pop(blue_, false);
    }
  }

  bool red_search(uint32_t seed, SearchResult& r) {
    if (!push(red_, seed, true)) return false;
    while (!red_.empty()) {
      Frame& f = red_.back();
      if (f.next < f.count) {
        const uint32_t t = Product::entry_id(p_.entry(f.offset, f.next));
        ++f.next;
        ++p_.transitions;
        uint8_t& colour = *p_.meta(t);
        if (colour == kCyan) {
          r.status = SearchStatus::kCycle;
          r.lasso = p_.project(path(t, red_.size()));
          return true;
        }
        if (colour == kBlue) {
          colour = kRed;
          if (!push(red_, t, false)) return false;
        }
        continue;
      }
      pop(red_, red_.size() == 1);
    }
    return false;
  }

  // The lasso closed by the edge just followed from the top frame (of the red stack when
  // `red_frames` > 0, else of the blue stack) into the cyan state `target`.
  ProductPath path(uint32_t target, size_t red_frames) {
    ProductPath path;
    auto step = [&](const Frame& f) { path.groups.push_back(Product::entry_group(p_.entry(f.offset, f.next - 1))); };
    for (const Frame& f : blue_) {
      path.ids.push_back(f.id);
      if (f.id == target) path.loop = path.ids.size() - 1;
    }
    // blue_[i] -> blue_[i + 1] went through blue_[i]'s current successor.
    for (size_t i = 0; i + 1 < blue_.size(); ++i) step(blue_[i]);
    if (red_frames == 0) {
      step(blue_.back());
    } else {
      for (size_t i = 0; i < red_frames; ++i) {
        if (i > 0) path.ids.push_back(red_[i].id);
        step(red_[i]);
      }
    }
    path.ids.push_back(target);
    return path;
  }

  Product& p_;
  std::vector<Frame> blue_, red_;
};

}  // namespace

SearchResult run_nested_dfs(Product& p) { return NestedDfs(p).run(); }

}  // namespace sp::checker::ltl::detail
