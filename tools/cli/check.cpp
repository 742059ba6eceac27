// stateproof check SPEC: explicit-state model checking of the spec's properties
// (invariants, deadlock freedom and "no checking errors" by checker::check_safety; LTL
// properties by the LTL engine), with counterexamples printed as message sequence
// charts and optionally written as JSON (--trace-out).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "checker/msc.hpp"
#include "checker/safety.hpp"
#include "checker/trace_json.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/ir/system.hpp"
#include "tools/cli/check_engine.hpp"
#include "tools/cli/common.hpp"
#include "tools/cli/interrupt.hpp"
#include "tools/cli/numbers.hpp"
#include "util/atomic_file.hpp"

// ---- The LTL hook: the one place where `check` reaches the LTL engine. ----------------
// The engine (checker/ltl/, another module) declares in checker/ltl/ltl_check.hpp:
//   checker::Result checker::check_ltl(const ir::TransitionSystem&,
//                                      const std::vector<int>& properties,
//                                      const checker::Options&);
// with one Outcome per property, like check_safety. Until that header exists, LTL
// properties are reported unknown ("LTL engine not built").
#if __has_include("checker/ltl/ltl_check.hpp")
#include "checker/ltl/ltl_check.hpp"
#define STATEPROOF_HAVE_LTL 1
#endif

namespace sp::cli {

namespace {

checker::Result RunLtl(const ir::TransitionSystem& ts, const std::vector<int>& properties,
                       const checker::Options& options) {
#ifdef STATEPROOF_HAVE_LTL
  return checker::check_ltl(ts, properties, options);
#else
  (void)options;
  checker::Result r;
  for (int p : properties) {
    checker::Outcome o;
    o.property = p;
    o.name = ts.model().properties[static_cast<size_t>(p)].name;
    o.verdict = checker::Verdict::kUnknown;
    o.message = "LTL engine not built";
    r.outcomes.push_back(std::move(o));
  }
  return r;
#endif
}

// ---------------------------------------------------------------------------------------

struct CheckOptions {
  SpecOptions spec;
  std::string system;
  std::vector<std::string> properties;
  bool bfs = false, dfs = false;
  int jobs = 0;
  uint64_t max_states = 0;
  double max_memory_mb = 0;
  double timeout = 0;
  std::string trace_out;
  std::string msc_svg;  // --msc-svg: the first counterexample's chart as SVG
  bool quiet = false;
  bool hash_compact = false;
  bool no_por = false;
  bool bitstate = false;
  int bitstate_bits = 30;
  int bitstate_k = 3;
  bool no_msc = false;
  std::string engine = "auto";  // explicit, bmc, kind, auto (tools/cli/check_engine.hpp)
  int depth = 20;               // bmc / kind: depth or largest k
};

std::string Count(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Megabytes(uint64_t bytes) { return Fixed(static_cast<double>(bytes) / 1e6, 1) + " MB"; }

std::string Seconds(double s) { return Fixed(s, s < 10 ? 2 : 1) + " s"; }

std::string Rate(double per_second) {
  if (per_second >= 1e6) return Fixed(per_second / 1e6, 2) + "M";
  if (per_second >= 1e3) return Fixed(per_second / 1e3, 1) + "K";
  return Fixed(per_second, 0);
}

std::string Pad(std::string s, size_t n, bool right = false) {
  if (s.size() >= n) return s;
  return right ? std::string(n - s.size(), ' ') + s : s + std::string(n - s.size(), ' ');
}

uint64_t DefaultMaxMemory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 2;  // half the RAM
}

// A live progress line on stderr (a terminal only).
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string label) : enabled_(enabled), label_(std::move(label)) {}
  ~ProgressLine() { clear(); }
  void show(const checker::Progress& p) {
    if (!enabled_) return;
    std::string s = "\r" + label_ + ": " + Count(p.states) + " states, " +
                    Rate(p.seconds > 0 ? static_cast<double>(p.states) / p.seconds : 0) +
                    " states/s, depth " + Count(p.depth) + ", queue " + Count(p.queue) + ", " +
                    Megabytes(p.memory_bytes) + ", " + Seconds(p.seconds) + "\033[K";
    std::cerr << s << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_;
  std::string label_;
  bool shown_ = false;
};

struct Row {
  checker::Outcome outcome;
  std::string system;
  int system_index = -1;
};

int RunCheck(const CheckOptions& co) {
  int code = kOk;
  std::optional<ir::Model> model = load_spec(co.spec, &code);
  if (!model) return code;
  const ir::Model& m = *model;
  if (m.systems.empty()) {
    std::cerr << "stateproof: the spec declares no system\n";
    return kUsage;
  }

  // Which properties of which systems.
  std::map<int, std::vector<int>> selected;  // system -> properties
  int only_system = -1;
  if (!co.system.empty()) {
    only_system = m.find_system(co.system);
    if (only_system < 0) {
      std::vector<std::string> names;
      for (const ir::System& s : m.systems) names.push_back(s.name);
      std::cerr << "stateproof: no system '" << co.system << "' in the spec" << did_you_mean(co.system, names)
                << "\n";
      return kUsage;
    }
  }
  if (!co.properties.empty()) {
    for (const std::string& name : co.properties) {
      const int p = m.find_property(name);
      if (p < 0) {
        std::vector<std::string> names;
        for (const ir::Property& x : m.properties) names.push_back(x.name);
        std::cerr << "stateproof: no property '" << name << "' in the spec" << did_you_mean(name, names) << "\n";
        return kUsage;
      }
      const int s = m.properties[static_cast<size_t>(p)].system;
      if (only_system >= 0 && s != only_system) {
        std::cerr << "stateproof: property '" << name << "' is about system '"
                  << m.systems[static_cast<size_t>(s)].name << "', not '" << co.system << "'\n";
        return kUsage;
      }
      std::vector<int>& v = selected[s];
      if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
    }
  } else {
    for (size_t s = 0; s < m.systems.size(); ++s) {
      if (only_system >= 0 && static_cast<int>(s) != only_system) continue;
      selected[static_cast<int>(s)];  // every system is checked for checking errors
    }
    for (size_t p = 0; p < m.properties.size(); ++p) {
      const int s = m.properties[p].system;
      if (only_system >= 0 && s != only_system) continue;
      selected[s].push_back(static_cast<int>(p));
    }
  }

  // From here a signal stops the search; the verdicts so far are printed (exit 128 + signal).
  InterruptMode polled(nullptr);
  checker::Options opt;
  opt.cancel = interrupt_flag();
  opt.search = co.dfs ? checker::Search::kDfs : checker::Search::kBfs;
  opt.jobs = co.jobs;
  opt.max_states = co.max_states;
  opt.max_memory = co.max_memory_mb > 0 ? static_cast<uint64_t>(co.max_memory_mb * 1e6) : DefaultMaxMemory();
  opt.timeout_seconds = co.timeout;
  opt.store = co.bitstate ? checker::StoreMode::kBitstate
              : co.hash_compact ? checker::StoreMode::kHashCompact
                                : checker::StoreMode::kFull;
  opt.bitstate_log2 = co.bitstate_bits;
  opt.por = !co.no_por;
  opt.bitstate_k = co.bitstate_k;
  if (co.bitstate && (uint64_t{1} << co.bitstate_bits) / 8 > opt.max_memory) {
    std::cerr << "stateproof: --bitstate-bits " << co.bitstate_bits << " needs "
              << Megabytes((uint64_t{1} << co.bitstate_bits) / 8) << ", more than the memory limit of "
              << Megabytes(opt.max_memory) << " (--max-memory)\n";
    return kUsage;
  }
  const bool live = !co.quiet && isatty(STDERR_FILENO);
  const int jobs = co.jobs > 0 ? co.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::vector<Row> rows;
  bool any_violated = false, any_unknown = false, trace_written = false, svg_written = false;
  std::ostringstream traces;

  bool any_unchecked = false;
  for (const auto& [s, props] : selected) {
    const std::string& sname = m.systems[static_cast<size_t>(s)].name;
    if (interrupt_signal()) {
      std::cout << "system " << sname << ": not checked (interrupted)\n";
      continue;
    }
    if (!m.systems[static_cast<size_t>(s)].errors.empty()) {
      // Only this system is out: the others are checked (docs/language.md, "Channels").
      std::cout << "system " << sname << ": not checked:\n";
      for (const std::string& e : m.systems[static_cast<size_t>(s)].errors) std::cout << "  " << e << "\n";
      any_unchecked = true;
      continue;
    }
    ir::TransitionSystem ts(m, s);
    std::vector<int> safety, ltl;
    for (int p : props) {
      (m.properties[static_cast<size_t>(p)].kind == ir::PropertyKind::kLtl ? ltl : safety).push_back(p);
    }
    std::vector<checker::Outcome> outcomes;
    std::vector<std::string> ctis;  // symbolic: counterexamples to induction, per outcome
    std::string mode = opt.search == checker::Search::kDfs || co.bitstate ? "DFS" : "BFS";
    std::cout << "system " << sname << ": state vector " << ts.layout().total_bits << " bits ("
              << ts.layout().bytes() << " bytes)" << std::endl;
    const EngineChoice engine = choose_engine(co.engine, ts);
    if (co.engine == "auto") std::cout << "  engine: " << engine.name << " (auto: " << engine.why << ")\n";
    std::string trace_engine = "explicit-" + std::string(mode == "BFS" ? "bfs" : "dfs");
    if (engine.name != "explicit") {
      trace_engine = engine.name == "bmc" ? "bmc" : "k-induction";
      if (!safety.empty() || co.properties.empty()) {
        SymbolicRun r = run_symbolic(ts, safety, engine.name, co.depth, co.timeout, opt.cancel, live, std::cout);
        for (checker::Outcome& out : r.outcomes) outcomes.push_back(std::move(out));
        ctis = std::move(r.cti);
      }
      for (int p : ltl) {
        checker::Outcome o;
        o.property = p;
        o.name = m.properties[static_cast<size_t>(p)].name;
        o.message = "LTL: explicit engine only";
        outcomes.push_back(std::move(o));
      }
      ltl.clear();
    } else if (!safety.empty() || co.properties.empty()) {
      ProgressLine line(live, sname);
      checker::Options o = opt;
      o.progress = [&line](const checker::Progress& p) { line.show(p); };
      checker::Result r = checker::check_safety(ts, safety, o);
      line.clear();
      const checker::Stats& st = r.stats;
      std::cout << "  safety search (" << mode << (mode == "BFS" ? ", " + std::to_string(jobs) + " jobs" : "")
                << (co.bitstate ? ", bitstate" : co.hash_compact ? ", hash-compact" : "") << "): "
                << Count(st.states) << " states, " << Count(st.transitions) << " transitions, depth "
                << Count(st.max_depth) << ", " << Seconds(st.seconds) << " (cpu " << Seconds(st.cpu_seconds)
                << "), " << Rate(st.states_per_second()) << " states/s, " << Megabytes(st.peak_memory_bytes);
      if (st.states > 0) std::cout << " (" << Fixed(static_cast<double>(st.peak_memory_bytes) / st.states, 1) << " B/state)";
      std::cout << (r.complete         ? ""
                    : r.limit.empty() ? ", stopped: every property answered"
                    : interrupt_signal() ? ", stopped: interrupted"
                                      : ", stopped: " + r.limit)
                << "\n";
      for (const std::string& n : r.notes) std::cout << "  note: " << n << "\n";
      if (r.reduced_states > 0) {
        std::cout << "  partial-order reduction: " << Count(r.reduced_states) << " of "
                  << Count(st.states) << " states expanded by one instance (--no-por: every state fully)\n";
      }
      if (co.bitstate) {
        std::cout << "  bitstate: 2^" << co.bitstate_bits << " bits, " << co.bitstate_k
                  << " hash functions, hash factor " << Fixed(r.hash_factor, 1)
                  << ", estimated probability of omitting a state " << r.omission_probability << "\n";
      } else if (co.hash_compact) {
        std::cout << "  hash-compact: probability that some state was omitted <= "
                  << r.omission_probability << "\n";
      }
      for (checker::Outcome& out : r.outcomes) outcomes.push_back(std::move(out));
    }
    if (!ltl.empty()) {
      ProgressLine line(live, sname + " (LTL)");
      checker::Options o = opt;
      o.progress = [&line](const checker::Progress& p) { line.show(p); };
      checker::Result r = RunLtl(ts, ltl, o);
      line.clear();
      for (checker::Outcome& out : r.outcomes) outcomes.push_back(std::move(out));
    }

    if (interrupt_signal()) {
      for (checker::Outcome& out : outcomes) {
        if (out.verdict == checker::Verdict::kUnknown &&
            (out.message.find("cancel") != std::string::npos || out.message.find("interrupt") != std::string::npos)) {
          out.message = "interrupted";  // the searches' "cancelled"
        }
      }
    }
    size_t w = 20;
    for (const checker::Outcome& out : outcomes) w = std::max(w, out.name.size() + 2);
    std::cout << "  " << Pad("property", w) << Pad("verdict", 22) << Pad("states", 13, true)
              << Pad("transitions", 14, true) << Pad("depth", 8, true) << Pad("time", 10, true)
              << Pad("memory", 11, true) << "\n";
    for (size_t oi = 0; oi < outcomes.size(); ++oi) {
      const checker::Outcome& out = outcomes[oi];
      if (oi < ctis.size() && !ctis[oi].empty()) {
        traces << "\nproperty " << out.name << " in " << sname << " unknown: " << out.message
               << "; counterexample to induction:\n" << ctis[oi];
      }
      std::string verdict = checker::verdict_name(out.verdict);
      if (out.verdict == checker::Verdict::kUnknown) verdict += " (" + out.message + ")";
      const checker::Stats& st = out.stats;
      std::cout << "  " << Pad(out.name, w) << Pad(verdict, 22);
      if (st.states > 0 || st.seconds > 0) {
        std::cout << Pad(Count(st.states), 13, true) << Pad(Count(st.transitions), 14, true)
                  << Pad(Count(st.max_depth), 8, true) << Pad(Seconds(st.seconds), 10, true)
                  << Pad(Megabytes(st.peak_memory_bytes), 11, true);
      }
      std::cout << "\n";
      if (out.verdict == checker::Verdict::kViolated) any_violated = true;
      if (out.verdict == checker::Verdict::kUnknown) any_unknown = true;
      if (out.verdict == checker::Verdict::kViolated) {
        traces << "\n" << (out.property >= 0 ? "property " + out.name + " in " + sname : "system " + sname)
               << " VIOLATED: " << out.message << "\n";
        if (out.trace) {
          traces << "counterexample: " << out.trace->steps.size() << " steps\n";
          if (!co.no_msc) traces << checker::format_msc(ts, *out.trace);
          if (!co.msc_svg.empty() && !svg_written) {
            if (!write_msc_svg(co.msc_svg, checker::msc_chart(ts, *out.trace))) return kUsage;
            svg_written = true;
            traces << "(chart drawn in " << co.msc_svg << ")\n";
          }
          if (!co.trace_out.empty() && !trace_written) {
            checker::TraceInfo info;
            info.spec = co.spec.path;
            info.engine = trace_engine;
            info.seq_bits = co.spec.seq_bits;
            std::string error;
            if (!util::write_file_atomic(co.trace_out, checker::trace_to_json(ts, *out.trace, info), &error)) {
              std::cerr << "stateproof: " << error << "\n";
              return kUsage;
            }
            trace_written = true;
            traces << "(trace written to " << co.trace_out << ")\n";
          }
        }
      }
    }
  }
  std::cout << traces.str();
  if (const int sig = interrupt_signal()) {
    std::cout << std::flush;
    std::cerr << "stateproof: interrupted by signal " << sig << " (" << strsignal(sig)
              << "): the verdicts above are as far as the search got\n";
    return 128 + sig;
  }
  if (any_violated || any_unchecked) return kFailed;
  if (any_unknown) return kLimit;
  return kOk;
}

}  // namespace

void add_check(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand(
      "check", "Model-check a spec: invariants, deadlock freedom, checking errors and LTL "
               "properties, with counterexamples as message sequence charts");
  auto co = std::make_shared<CheckOptions>();
  co->spec.add_to(*cmd);
  cmd->add_option("--system", co->system, "check only this system (default: every system)");
  cmd->add_option("--property", co->properties,
                  "check only these properties (repeatable; default: every property)");
  auto* bfs = cmd->add_flag("--bfs", co->bfs, "breadth-first search (default; shortest counterexamples)");
  auto* dfs = cmd->add_flag("--dfs", co->dfs, "depth-first search (single-threaded)");
  bfs->excludes(dfs);
  cmd->add_option("--jobs,-j", co->jobs, "worker threads for BFS (default: every core)")
      ->check(integer_in(0, 1024));
  cmd->add_option("--max-states", co->max_states, "stop after storing this many states (0: no limit)")
      ->check(integer_in(0, INT64_MAX));
  cmd->add_option("--max-memory", co->max_memory_mb,
                  "memory for the state store and queues, in MB (default: half the RAM)")
      ->check(real_in(1, 1e9));
  cmd->add_option("--timeout", co->timeout, "stop after this many seconds (0: no limit)")->check(real_in(0, 1e9));
  cmd->add_option("--trace-out", co->trace_out, "write the (first) counterexample as JSON");
  cmd->add_option("--msc-svg", co->msc_svg,
                  "draw the (first) counterexample's message sequence chart as SVG in this file");
  cmd->add_flag("--quiet,-q", co->quiet, "no progress line");
  auto* hc = cmd->add_flag("--hash-compact", co->hash_compact,
                           "store 64-bit state signatures instead of states (may omit states)");
  auto* bs = cmd->add_flag("--bitstate", co->bitstate,
                           "bitstate hashing (supertrace, depth-first): a few bits per state, may omit states");
  hc->excludes(bs);
  cmd->add_option("--bitstate-bits", co->bitstate_bits, "log2 of the bitstate array size (default 30)")
      ->check(integer_in(10, 40));
  cmd->add_option("--bitstate-k", co->bitstate_k, "bitstate hash functions (default 3)")->check(integer_in(1, 16));
  cmd->add_flag("--no-msc", co->no_msc, "do not print counterexamples as charts");
  cmd->add_flag("--no-por", co->no_por,
                "no partial-order reduction (every state expanded by every instance; state counts "
                "then match SPIN's -DNOREDUCE)");
  cmd->add_option("--engine", co->engine,
                  "explicit, bmc (bounded, Z3), kind (k-induction, Z3) or auto (default: explicit unless "
                  "sequence numbers are wider than " + std::to_string(kAutoExplicitSeqBits) + " bits)")
      ->check(CLI::IsMember({"explicit", "bmc", "kind", "auto"}));
  cmd->add_option("--depth", co->depth, "bmc: deepest step; kind: largest k (default 20)")
      ->check(integer_in(0, 100000));
  cmd->callback([=] {
    *run = [=] { return RunCheck(*co); };
  });
}

}  // namespace sp::cli
