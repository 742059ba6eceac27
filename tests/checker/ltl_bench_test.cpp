// LTL engine benchmarks (disabled by default: run with --gtest_also_run_disabled_tests).
//
//   LtlBench.DISABLED_TcpCloseCompletes: spec/tcp.sp, property close_completes (weak
//     fairness), the run SPIN does in 56 s at MAX_RETX=2 (RESULTS.md). MAX_RETX from
//     the environment variable LTL_BENCH_RETX (default 2), algorithm from LTL_BENCH_ALGO
//     (scc, nested-dfs; default: auto).
//   LtlBench.DISABLED_EngineOverhead: a synthetic state space with no interpreter
//     behind it, to measure the product search alone.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "checker/ltl/ltl_check.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/sema/compile.hpp"

namespace sp::checker {
namespace {

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

TEST(LtlBench, DISABLED_TcpCloseCompletes) {
  std::ifstream in(std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp");
  ASSERT_TRUE(in) << "spec/tcp.sp";
  std::ostringstream text;
  text << in.rdbuf();
  SourceFile file{"spec/tcp.sp", text.str()};
  Diagnostics diags(file);
  CompileOptions co;
  co.warnings = false;
  const char* retx = std::getenv("LTL_BENCH_RETX");
  co.const_overrides.emplace_back("MAX_RETX", retx ? std::atoi(retx) : 2);
  ir::Model m;
  ASSERT_TRUE(compile_spec(diags, co, m)) << diags.format_all();
  const int p = m.find_property("close_completes");
  ASSERT_GE(p, 0);
  const ir::Property& prop = m.properties[static_cast<size_t>(p)];
  ir::TransitionSystem ts(m, prop.system);
  LtlOptions o;
  const char* algo = std::getenv("LTL_BENCH_ALGO");
  if (algo && std::strcmp(algo, "scc") == 0) o.algorithm = ltl::Algorithm::kScc;
  if (algo && std::strcmp(algo, "nested-dfs") == 0) o.algorithm = ltl::Algorithm::kNestedDfs;
  const char* nofair = std::getenv("LTL_BENCH_NOFAIR");
  ir::Property unfair = prop;
  if (nofair) unfair.fairness.clear();
  const double cpu0 = CpuSeconds();
  LtlResult r = check_ltl(ts, nofair ? unfair : prop, o);
  const double cpu = CpuSeconds() - cpu0;
  std::printf("  tcp.sp close_completes MAX_RETX=%s%s: %s%s%s, %s, automaton %d states %d sets\n"
              "  %llu product states (%llu system states), %llu transitions, depth %llu, %.2f s wall, %.2f s cpu, "
              "%.0f states/s (cpu), %.0f transitions/s (cpu), %.0f MB, %.1f B/state, state vector %d bytes\n",
              retx ? retx : "2", nofair ? " (no fairness)" : "", verdict_name(r.verdict),
              r.message.empty() ? "" : ": ", r.message.c_str(), ltl::algorithm_name(r.algorithm), r.automaton_states,
              r.automaton_sets, static_cast<unsigned long long>(r.states), static_cast<unsigned long long>(r.system_states),
              static_cast<unsigned long long>(r.transitions), static_cast<unsigned long long>(r.max_depth), r.time_s,
              cpu, r.states / cpu, r.transitions / cpu, r.memory_mb, r.memory_mb * (1 << 20) / std::max<double>(1, r.states),
              ts.layout().bytes());
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.message;
}

// A product of k independent counters mod n (n^k states, k successors each); atom 0:
// counter 0 is zero; atom 1: always true. []<>p1 holds (full search without fairness);
// []<>p0 holds under weak fairness of every counter.
class Counters : public ltl::StateSpace {
 public:
  Counters(int k, int n) : k_(k), n_(n) {}
  size_t state_bytes() const override { return static_cast<size_t>(k_); }
  int group_count() const override { return k_; }
  void initial_state(uint8_t* out) override { std::memset(out, 0, static_cast<size_t>(k_)); }
  bool atoms(const uint8_t* s, uint64_t* v) override {
    *v = (s[0] == 0 ? 1 : 0) | 2;
    return true;
  }
  bool successors(const uint8_t* s, ltl::Successors& out) override {
    for (int i = 0; i < k_; ++i) {
      uint8_t* t = out.add(i);
      std::memcpy(t, s, static_cast<size_t>(k_));
      t[i] = static_cast<uint8_t>((s[i] + 1) % n_);
    }
    return true;
  }

 private:
  int k_, n_;
};

TEST(LtlBench, DISABLED_EngineOverhead) {
  for (bool fair : {false, true}) {
    std::vector<std::string> names = {"p0", "p1"};
    const ltl::Formula f = *ltl::parse_spin(fair ? "[]<>p0" : "[]<>p1", names);
    const ltl::Automaton a = *ltl::translate(ltl::negate(f));
    Counters space(6, 12);  // 2,985,984 states
    std::vector<ltl::FairSet> sets;
    if (fair) {
      for (int i = 0; i < 6; ++i) sets.push_back({false, {i}});
    }
    const double cpu0 = CpuSeconds();
    ltl::SearchResult r = ltl::find_accepting_run(space, a, sets, ltl::SearchOptions{});
    const double cpu = CpuSeconds() - cpu0;
    std::printf("  counters 12^6 %s (%s): %s, %llu product states, %llu transitions, %.2f s cpu, %.0f states/s, "
                "%.0f MB\n",
                fair ? "weak fairness" : "no fairness", ltl::algorithm_name(r.algorithm),
                r.status == ltl::SearchStatus::kNoCycle ? "no accepting run" : "accepting run",
                static_cast<unsigned long long>(r.stats.states), static_cast<unsigned long long>(r.stats.transitions),
                cpu, r.stats.states / cpu, r.stats.peak_memory_bytes / 1048576.0);
  }
}

}  // namespace
}  // namespace sp::checker
