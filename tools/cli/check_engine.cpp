#include "tools/cli/check_engine.hpp"

#include <cstdio>
#include <iostream>

#include "checker/symbolic/symbolic.hpp"

namespace sp::cli {

EngineChoice choose_engine(const std::string& requested, const ir::TransitionSystem& ts) {
  if (requested != "auto") return {requested, ""};
  int widest = 0;
  for (const ir::Type& t : ts.model().types) {
    if (t.kind == ir::TypeKind::kSeq) widest = std::max(widest, t.seq_bits);
  }
  if (widest <= kAutoExplicitSeqBits) {
    return {"explicit", widest > 0 ? "sequence numbers of " + std::to_string(widest) + " bits" : "no sequence numbers"};
  }
  return {"kind", "sequence numbers of " + std::to_string(widest) + " bits (explicit up to " +
                      std::to_string(kAutoExplicitSeqBits) + ")"};
}

SymbolicRun run_symbolic(const ir::TransitionSystem& ts, const std::vector<int>& safety, const std::string& engine,
                         int depth, double timeout, const std::atomic<bool>* cancel, bool live, std::ostream& out) {
  checker::symbolic::SymbolicOptions o;
  o.engine = engine == "bmc" ? checker::symbolic::Engine::kBmc : checker::symbolic::Engine::kKind;
  o.depth = depth;
  o.timeout_seconds = timeout;
  o.cancel = cancel;
  o.free_on_cancel = false;  // a cancelled check exits at once (128 + the signal)
  bool shown = false;
  if (live) {
    o.progress = [&](const std::string& line) {
      std::cerr << "\r" << ts.system().name << ": " << line << "\033[K" << std::flush;
      shown = true;
    };
  }
  checker::symbolic::SymbolicResult r = checker::symbolic::check_symbolic(ts, safety, o);
  if (shown) std::cerr << "\r\033[K" << std::flush;
  if (!r.error.empty()) std::cerr << "stateproof: " << ts.system().name << ": the solver failed: " << r.error << "\n";
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f s", r.result.stats.seconds);
  out << "  symbolic search (" << checker::symbolic::engine_name(o.engine) << ", Z3): "
      << (o.engine == checker::symbolic::Engine::kBmc ? "depth " : "k up to ") << r.depth << " of " << depth << ", "
      << secs << (r.result.limit.empty() ? "" : ", stopped: " + r.result.limit) << "\n";
  return SymbolicRun{std::move(r.result.outcomes), std::move(r.cti)};
}

}  // namespace sp::cli
