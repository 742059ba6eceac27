// BMC and k-induction loops over BaseSearch and InductionStep.
//
// BMC: depth 0, 1, ..., K from the initial state; a target bad at depth k is violated
// with a k-step counterexample (the shortest, as the explicit BFS finds). No violation up
// to K leaves the verdict unknown.
//
// k-induction, for k = 0, 1, ..., K: (1) base case: no target is bad at depth k (paths
// restricted to simple ones, which keeps every shortest counterexample); if no simple
// path of length k+1 exists at all, every reachable state has been checked and the open
// targets hold. (2) step: a target not bad in k+1 consecutive distinct states (with the
// lemmas) is not bad in the next one: proved. Proofs that assumed lemmas count once
// every lemma they assumed is proved (joint induction); see docs/checker.md.
#include "checker/symbolic/symbolic.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <stdexcept>
#include <thread>

#include "checker/symbolic/induction.hpp"
#include "util/z3_context.hpp"

namespace sp::checker::symbolic {

const char* engine_name(Engine e) { return e == Engine::kBmc ? "bmc" : "k-induction"; }

namespace {

size_t OpenCount(const std::vector<Target>& targets) {
  size_t n = 0;
  for (const Target& t : targets) n += t.open ? 1 : 0;
  return n;
}

void Unknown(std::vector<Target>& targets, std::vector<Outcome>& outcomes, const std::string& why,
             const Deadline& d, int depth) {
  for (Target& t : targets) {
    if (!t.open) continue;
    t.open = false;
    Outcome& o = outcomes[t.outcome];
    o.verdict = Verdict::kUnknown;
    o.message = why;
    o.stats.seconds = d.elapsed();
    o.stats.max_depth = static_cast<uint64_t>(depth < 0 ? 0 : depth);
  }
}

void Progress(const SymbolicOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
}

void RunBmc(Encoding& enc, std::vector<Target>& targets, std::vector<Outcome>& outcomes, const SymbolicOptions& opt,
            const Deadline& deadline, SymbolicResult& res) {
  BaseSearch base(enc, targets, outcomes, deadline, false);
  for (int k = 0;; ++k) {
    std::string why;
    if (deadline.expired() || base.check_targets(&why) == BaseSearch::Status::kLimit) {
      Unknown(targets, outcomes, why.empty() ? deadline.why() : why + " at depth " + std::to_string(k), deadline,
              k - 1);
      res.result.limit = why.empty() ? deadline.why() : why;
      return;
    }
    res.depth = k;
    Progress(opt, "bmc depth " + std::to_string(k) + ": " + std::to_string(OpenCount(targets)) + " open, " +
                      std::to_string(deadline.elapsed()) + " s");
    if (OpenCount(targets) == 0 || k >= opt.depth) break;
    base.extend();
  }
  Unknown(targets, outcomes, "no violation up to depth " + std::to_string(opt.depth), deadline, opt.depth);
  res.result.limit = "depth " + std::to_string(opt.depth);
}

void RunKind(Encoding& enc, std::vector<Target>& targets, std::vector<Outcome>& outcomes, const SymbolicOptions& opt,
             const Deadline& deadline, SymbolicResult& res) {
  BaseSearch base(enc, targets, outcomes, deadline, true);
  InductionStep step(enc, targets, deadline);
  res.cti.assign(outcomes.size(), "");
  // Proofs waiting for their lemmas: target -> (k, lemmas assumed).
  struct Pending {
    int k = 0;
    std::vector<size_t> lemmas;
  };
  std::vector<std::optional<Pending>> pending(targets.size());
  std::vector<int> last_k(targets.size(), -1);
  // Lemmas to assume: those proved so far, or also the open ones (a proof that assumes
  // an open lemma waits for it).
  auto lemma_set = [&](bool with_open) {
    std::vector<size_t> v;
    for (size_t t = 0; t < targets.size(); ++t) {
      if (targets[t].lemma && ((with_open && targets[t].open) || pending[t])) v.push_back(t);
    }
    return v;
  };
  std::string limit;
  for (int k = 0; k <= opt.depth; ++k) {
    // Base case at depth k (the proved-but-pending targets are done with it).
    std::string why;
    if (deadline.expired() || base.check_targets(&why) == BaseSearch::Status::kLimit) {
      limit = why.empty() ? deadline.why() : why;
      break;
    }
    res.depth = k;
    if (OpenCount(targets) == 0) break;
    // Completeness: no simple path one step longer means nothing new is reachable.
    base.extend();
    const z3::check_result longer = base.path_exists();
    if (longer == z3::unknown) {
      limit = deadline.expired() ? deadline.why() : "z3 gave up";
      break;
    }
    if (longer == z3::unsat) {
      for (Target& t : targets) {
        if (!t.open) continue;
        t.open = false;
        Outcome& o = outcomes[t.outcome];
        o.verdict = Verdict::kHolds;
        o.message = "every reachable state is within " + std::to_string(k) + " steps";
        o.stats.max_depth = static_cast<uint64_t>(k);
        o.stats.seconds = deadline.elapsed();
      }
      break;
    }
    // Induction step for every open target.
    for (size_t t = 0; t < targets.size(); ++t) {
      if (!targets[t].open) continue;
      if (deadline.expired()) {  // building a query's terms takes time too
        limit = deadline.why();
        break;
      }
      std::vector<size_t> lemmas = lemma_set(false);
      std::string cti;
      InductionStep::Answer a = step.prove(t, lemmas, k, &cti, &why);
      if (a == InductionStep::Answer::kFailed && lemma_set(true).size() > lemmas.size()) {
        lemmas = lemma_set(true);
        a = step.prove(t, lemmas, k, &cti, &why);
      }
      if (a == InductionStep::Answer::kLimit) {
        limit = why;
        break;
      }
      last_k[t] = k;
      if (a == InductionStep::Answer::kFailed) {
        res.cti[targets[t].outcome] = cti;
        continue;
      }
      targets[t].open = false;
      pending[t] = Pending{k, lemmas};
      Outcome& o = outcomes[targets[t].outcome];
      o.stats.max_depth = static_cast<uint64_t>(k);
      o.stats.seconds = deadline.elapsed();
      res.cti[targets[t].outcome].clear();
    }
    Progress(opt, "k-induction k=" + std::to_string(k) + ": " + std::to_string(OpenCount(targets)) + " open, " +
                      std::to_string(deadline.elapsed()) + " s");
    if (!limit.empty()) break;
  }
  // Joint induction: keep the proofs whose lemmas are all proved (a fixed point, since
  // lemmas may assume one another).
  std::set<size_t> proved;
  for (size_t t = 0; t < targets.size(); ++t) {
    if (pending[t]) proved.insert(t);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = proved.begin(); it != proved.end();) {
      bool ok = true;
      for (size_t l : pending[*it]->lemmas) ok = ok && (l == *it || proved.count(l) > 0);
      if (!ok) {
        it = proved.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    if (!pending[t]) continue;
    Outcome& o = outcomes[targets[t].outcome];
    if (proved.count(t)) {
      o.verdict = Verdict::kHolds;
      o.message = "proved by " + std::to_string(pending[t]->k) + "-induction";
      size_t used = 0;
      for (size_t l : pending[t]->lemmas) used += l != t ? 1 : 0;
      if (used > 0) o.message += " with " + std::to_string(used) + " lemma" + (used > 1 ? "s" : "");
    } else {
      o.verdict = Verdict::kUnknown;
      o.message = "inductive only with a lemma that is not proved";
    }
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    if (!targets[t].open) continue;
    targets[t].open = false;
    Outcome& o = outcomes[targets[t].outcome];
    const std::string at = "k=" + std::to_string(last_k[t] < 0 ? 0 : last_k[t]);
    o.verdict = Verdict::kUnknown;
    o.message = limit.empty() ? "not inductive at " + at : limit + " at " + at;
    o.stats.seconds = deadline.elapsed();
    o.stats.max_depth = static_cast<uint64_t>(last_k[t] < 0 ? 0 : last_k[t]);
  }
  if (!limit.empty()) res.result.limit = limit;
}

// Z3 honours a query's "timeout" parameter only at some points: the QF_BV solver's
// simplification and bit-blasting of a depth's formula ran on for seconds past it
// (tcp.sp at 32 bits: --timeout 1 ended after 3.7 s). The watchdog interrupts the
// context when the deadline passes; the interrupted call returns unknown or throws, and
// the search reports the open properties as unknown (timeout).
class Watchdog {
 public:
  Watchdog(z3::context& ctx, const Deadline& deadline, double seconds, const std::atomic<bool>* cancel) {
    if (seconds <= 0 && cancel == nullptr) return;
    thread_ = std::thread([this, &ctx, &deadline, seconds, cancel] {
      std::unique_lock<std::mutex> lock(mu_);
      const auto until = seconds > 0 ? std::chrono::steady_clock::now() +
                                           std::chrono::duration<double>(std::max(0.0, seconds - deadline.elapsed()))
                                     : std::chrono::steady_clock::time_point::max();
      // Wakes every 50 ms to look at the cancel flag (set from a signal handler).
      while (!done_) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until || (cancel != nullptr && cancel->load())) {
          ctx.interrupt();
          return;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
    });
  }
  ~Watchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

SymbolicResult check_symbolic(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                              const SymbolicOptions& options) {
  SymbolicResult res;
  const Deadline deadline(options.timeout_seconds, options.cancel);
  std::vector<Target> targets;
  make_targets(ts, properties, options.check_errors, res.result.outcomes, targets);
  try {
    std::unique_ptr<z3::context> made = make_z3_context(&res.error);
    if (!made) throw std::bad_alloc();
    z3::context& ctx = *made;
    Watchdog watchdog(ctx, deadline, options.timeout_seconds, options.cancel);
    try {
      Encoding enc(ts, ctx);
      if (options.engine == Engine::kBmc) {
        RunBmc(enc, targets, res.result.outcomes, options, deadline, res);
      } else {
        RunKind(enc, targets, res.result.outcomes, options, deadline, res);
      }
    } catch (const z3::exception&) {
      if (!deadline.expired()) throw;
      // Interrupted by the watchdog while building or simplifying a formula.
      Unknown(targets, res.result.outcomes, deadline.why() + std::string(" at depth ") + std::to_string(res.depth),
              deadline, res.depth);
      res.result.limit = deadline.why();
    }
    if (!options.free_on_cancel && deadline.cancelled()) {
      z3::context* kept = made.release();  // left to the process's exit (SymbolicOptions::free_on_cancel)
#if defined(__SANITIZE_ADDRESS__)
      __lsan_ignore_object(kept);  // on purpose, not a leak to report
#endif
      (void)kept;
    }
  } catch (const z3::exception& e) {
    res.error = std::string("z3: ") + e.msg();
  } catch (const std::bad_alloc&) {
    if (res.error.empty()) res.error = "out of memory";
  }
  if (!res.error.empty()) {
    Unknown(targets, res.result.outcomes, res.error, deadline, res.depth);
    res.result.limit = res.error;
  }
  res.result.stats.seconds = deadline.elapsed();
  res.result.stats.max_depth = static_cast<uint64_t>(res.depth);
  res.result.complete = true;
  for (const Outcome& o : res.result.outcomes) {
    if (o.verdict == Verdict::kUnknown && o.message.find("not checked") == std::string::npos) res.result.complete = false;
  }
  if (res.cti.size() < res.result.outcomes.size()) res.cti.resize(res.result.outcomes.size());
  return res;
}

}  // namespace sp::checker::symbolic
