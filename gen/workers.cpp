// Transition and boundary coverage made in forked workers (gen/fork_map.hpp) and merged
// in suite order. The work is cut into a fixed number of shards of whole transitions,
// each made in a fresh child of the same parent state, so a test's values (which depend
// on the solver's history through its models) are the same whatever the number of jobs:
// `--jobs` changes only how many shards run at once.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "gen/bytes.hpp"
#include "gen/fork_map.hpp"
#include "gen/suite.hpp"

namespace sp::gen {

namespace {

constexpr int kShards = kWorkerShards;

struct Section {
  CoverageEntry coverage;
  std::vector<TestCase> tests, boundary_tests;
  std::vector<std::string> skipped, boundary_skipped;
};

void PutTests(ByteWriter& bw, const std::vector<TestCase>& tests, size_t from) {
  bw.u64(tests.size() - from);
  for (size_t i = from; i < tests.size(); ++i) bw.test(tests[i]);
}

void PutStrings(ByteWriter& bw, const std::vector<std::string>& v, size_t from) {
  bw.strs({v.begin() + static_cast<std::ptrdiff_t>(from), v.end()});
}

std::vector<TestCase> GetTests(ByteReader& br) {
  std::vector<TestCase> v(br.count());
  for (TestCase& tc : v) tc = br.test();
  return v;
}

// Shards balanced by estimated work (tests to try), largest first.
std::vector<std::vector<int>> Shards(const SuiteContext& sc,
                                     const std::vector<BoundaryPlan>& plans) {
  const int ntr = static_cast<int>(sc.enc.role().transitions.size());
  std::vector<long> cost(ntr, 0);
  for (int t = 0; t < ntr; ++t) {
    if (sc.ex.first(t) >= 0) cost[t] = transition_test_count(sc, t);
  }
  for (const BoundaryPlan& p : plans) {
    for (const BoundaryPlan::EdgePlan& e : p.edges) cost[p.transition] += e.same_as.empty() && e.not_generated.empty();
    cost[p.transition] += 1;  // the wrap-around test
  }
  std::vector<int> order;
  for (int t = 0; t < ntr; ++t) {
    if (cost[t] > 0) order.push_back(t);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cost[a] > cost[b]; });
  std::vector<std::vector<int>> shards(kShards);
  std::vector<long> load(kShards, 0);
  for (int t : order) {
    const int s = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    shards[s].push_back(t);
    load[s] += cost[t];
  }
  for (std::vector<int>& s : shards) std::sort(s.begin(), s.end());
  return shards;
}

}  // namespace

void put_worker_stats(ByteWriter& bw, const QueryStats& before, const QueryStats& after) {
  bw.u64(static_cast<uint64_t>(after.queries - before.queries));
  bw.u64(static_cast<uint64_t>(after.unknown - before.unknown));
  bw.u64(static_cast<uint64_t>(after.model_hits - before.model_hits));
  bw.f64(after.seconds - before.seconds);
}

void add_worker_stats(ByteReader& br, Explorer& ex) {
  QueryStats s;
  s.queries = static_cast<long>(br.u64());
  s.unknown = static_cast<long>(br.u64());
  s.model_hits = static_cast<long>(br.u64());
  s.seconds = br.f64();
  ex.add_stats(s);
}

void add_tests_in_workers(SuiteContext& sc, int jobs) {
  const int ntr = static_cast<int>(sc.enc.role().transitions.size());
  std::vector<BoundaryPlan> plans;
  if (sc.options.coverage == Coverage::kBoundary) plans = plan_boundary_tests(sc);
  const std::vector<std::vector<int>> shards = Shards(sc, plans);

  std::vector<std::string> results;
  std::string error;
  const bool ok = fork_map(
      kShards, jobs,
      [&](int k) {
        GenResult& o = sc.out;  // this child's copy
        o.tests.clear();
        o.skipped.clear();
        o.coverage.clear();
        const QueryStats before = sc.ex.stats();
        ByteWriter bw;
        bw.u64(shards[k].size());
        for (int t : shards[k]) {
          bw.u64(static_cast<uint64_t>(t));
          size_t tests = o.tests.size(), skipped = o.skipped.size();
          add_transition_tests(sc, t);
          const CoverageEntry& ce = o.coverage.back();
          bw.str(ce.transition);
          bw.u64(static_cast<uint64_t>(ce.status));
          bw.strs(ce.tests);
          bw.str(ce.why);
          std::vector<std::string> from_states, from_tests;
          for (const CoverageEntry::FromState& f : ce.from) {
            from_states.push_back(f.state);
            from_tests.push_back(f.test);
          }
          bw.strs(from_states);
          bw.strs(from_tests);
          PutTests(bw, o.tests, tests);
          PutStrings(bw, o.skipped, skipped);
          tests = o.tests.size();
          skipped = o.skipped.size();
          for (const BoundaryPlan& p : plans) {
            if (p.transition == t) add_boundary_tests(sc, p);
          }
          PutTests(bw, o.tests, tests);
          PutStrings(bw, o.skipped, skipped);
        }
        put_worker_stats(bw, before, sc.ex.stats());
        return bw.bytes();
      },
      &results, &error);
  if (!ok) throw std::runtime_error("test generation worker failed: " + error);

  std::map<int, Section> sections;
  for (const std::string& r : results) {
    ByteReader br(r);
    for (size_t n = br.count(); n-- > 0;) {
      const int t = static_cast<int>(br.u64());
      if (t < 0 || t >= ntr || sections.count(t)) throw ByteError("bad transition in worker result");
      Section& s = sections[t];
      s.coverage.transition = br.str();
      s.coverage.status = static_cast<CoverageEntry::Status>(br.u64());
      s.coverage.tests = br.strs();
      s.coverage.why = br.str();
      const std::vector<std::string> from_states = br.strs(), from_tests = br.strs();
      if (from_states.size() != from_tests.size()) throw ByteError("bad from-states in worker result");
      for (size_t i = 0; i < from_states.size(); ++i) s.coverage.from.push_back({from_states[i], from_tests[i]});
      s.tests = GetTests(br);
      s.skipped = br.strs();
      s.boundary_tests = GetTests(br);
      s.boundary_skipped = br.strs();
    }
    add_worker_stats(br, sc.ex);
    if (!br.done()) throw ByteError("trailing bytes in worker result");
  }

  auto take = [&](std::vector<TestCase>& tests) {
    for (TestCase& tc : tests) {
      tc.name = sc.unique(tc.name);
      sc.names.insert(tc.name);
      sc.out.tests.push_back(std::move(tc));
    }
  };
  for (int t = 0; t < ntr; ++t) {
    auto it = sections.find(t);
    if (it == sections.end()) {
      sc.out.coverage.push_back(unreachable_entry(sc, t));
      continue;
    }
    sc.out.coverage.push_back(it->second.coverage);
    sc.out.skipped.insert(sc.out.skipped.end(), it->second.skipped.begin(),
                          it->second.skipped.end());
    take(it->second.tests);
  }
  for (auto& [t, s] : sections) {
    sc.out.skipped.insert(sc.out.skipped.end(), s.boundary_skipped.begin(), s.boundary_skipped.end());
    take(s.boundary_tests);
  }
}

}  // namespace sp::gen
