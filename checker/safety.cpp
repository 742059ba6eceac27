#include "checker/safety.hpp"

#include <new>

#include "checker/monitor.hpp"
#include "checker/search_util.hpp"

namespace sp::checker {

namespace detail {

double signature_collision_probability(uint64_t n) {
  // n^2 / 2^65, capped at 1.
  const double x = static_cast<double>(n);
  const double p = x * x / 36893488147419103232.0;
  return p > 1 ? 1 : p;
}

}  // namespace detail

Result check_safety(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                    const Options& options) {
  std::vector<std::string> notes;
  Options o = options;
  if (o.store == StoreMode::kBitstate && o.search == Search::kBfs) {
    o.search = Search::kDfs;
    notes.push_back("bitstate hashing searches depth-first (no parent links to rebuild traces)");
  }
  if (o.search == Search::kDfs && o.jobs > 1) {
    notes.push_back("depth-first search is single-threaded: --jobs ignored");
  }
  Result r;
  try {
    r = o.search == Search::kDfs ? detail::run_dfs(ts, properties, o)
                                 : detail::run_bfs(ts, properties, o);
  } catch (const std::bad_alloc&) {
    // The machine ran out before --max-memory did: every verdict is unknown.
    detail::Monitor m(ts, properties, o.check_errors);
    r = Result{};
    r.limit = "out of memory";
    r.outcomes = m.finish(false, r.limit, Stats{});
  }
  r.notes.insert(r.notes.begin(), notes.begin(), notes.end());
  return r;
}

}  // namespace sp::checker
