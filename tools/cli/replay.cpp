// stateproof replay SPEC TRACE.json: re-executes a counterexample written by
// `stateproof check --trace-out` against the spec, step by step, and rechecks its verdict
// (an invariant, a deadlock, a checking error, an LTL property on its lasso with its
// fairness) against the spec as it is now. The spec is compiled with the constants and
// --seq-bits the trace records, unless given on the command line; any constant that still
// differs is named, since a different constant is the usual reason a trace stops matching.
#include <iostream>
#include <map>
#include <sstream>

#include "checker/msc.hpp"
#include "checker/trace_json.hpp"
#include "compiler/ir/system.hpp"
#include "tools/cli/common.hpp"
#include "util/read_file.hpp"

namespace sp::cli {

namespace {

struct ReplayOptions {
  SpecOptions spec;
  std::string trace;
  std::string system;
  bool quiet = false;
  std::string msc_svg;  // --msc-svg FILE
};

std::map<std::string, int64_t> Consts(const std::vector<std::pair<std::string, int64_t>>& v) {
  return std::map<std::string, int64_t>(v.begin(), v.end());
}

// The constants whose values differ between the trace and the model, in words.
std::vector<std::string> ConstDifferences(const std::map<std::string, int64_t>& recorded, const ir::Model& m) {
  std::vector<std::string> out;
  const std::map<std::string, int64_t> here = Consts(m.consts);
  for (const auto& [name, value] : recorded) {
    auto it = here.find(name);
    if (it == here.end()) {
      out.push_back(name + "=" + std::to_string(value) + " (the spec has no " + name + ")");
    } else if (it->second != value) {
      out.push_back(name + "=" + std::to_string(value) + " (here " + std::to_string(it->second) + ")");
    }
  }
  for (const auto& [name, value] : here) {
    if (!recorded.count(name)) out.push_back(name + " (not in the trace; here " + std::to_string(value) + ")");
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool GivenOnCommandLine(const SpecOptions& o, const std::string& name) {
  for (const std::string& c : o.consts) {
    if (c.compare(0, name.size() + 1, name + "=") == 0) return true;
  }
  return false;
}

// The spec compiled as the trace was: its constants and --seq-bits, except where the
// command line says otherwise. Falls back to the command line's compile (and the caller
// names the differences) when the recorded values cannot be applied (a mac or ip4
// constant, a constant the spec no longer has).
std::optional<ir::Model> LoadAsRecorded(const ReplayOptions& ro, const checker::TraceCompile& rec, int* code,
                                        std::string* applied) {
  std::optional<ir::Model> model = load_spec(ro.spec, code);
  if (!model) return model;
  const std::map<std::string, int64_t> recorded = Consts(rec.consts);
  const std::map<std::string, int64_t> here = Consts(model->consts);
  SpecOptions as_recorded = ro.spec;
  as_recorded.no_warnings = true;  // printed by the first compile
  std::vector<std::string> changed;
  for (const auto& [name, value] : recorded) {
    auto it = here.find(name);
    if (it == here.end() || it->second == value || GivenOnCommandLine(ro.spec, name)) continue;
    as_recorded.consts.push_back(name + "=" + std::to_string(value));
    changed.push_back(name + "=" + std::to_string(value) + " (the spec says " + std::to_string(it->second) + ")");
  }
  if (rec.seq_bits && !ro.spec.seq_bits) {
    as_recorded.seq_bits = rec.seq_bits;
    changed.push_back("--seq-bits " + std::to_string(*rec.seq_bits));
  }
  if (changed.empty()) return model;
  // Compile quietly: a constant that cannot be overridden is reported by the caller.
  std::streambuf* saved = std::cerr.rdbuf();
  std::ostringstream sink;
  std::cerr.rdbuf(sink.rdbuf());
  int ignored = kOk;
  std::optional<ir::Model> again = load_spec(as_recorded, &ignored);
  std::cerr.rdbuf(saved);
  if (!again) return model;
  *applied = Join(changed);
  return again;
}

int RunReplay(const ReplayOptions& ro) {
  std::string text, err;
  if (!read_file_bounded(ro.trace, &text, &err)) {
    std::cerr << "stateproof: cannot read " << ro.trace << ": " << err << "\n";
    return kUsage;
  }
  std::optional<std::string> recorded = checker::trace_file_system(text, &err);
  if (!recorded) {
    std::cerr << "stateproof: " << ro.trace << ": " << err << "\n";
    return kUsage;
  }
  const checker::TraceCompile rec = checker::trace_file_compile(text);
  int code = kOk;
  std::string applied;
  std::optional<ir::Model> model = LoadAsRecorded(ro, rec, &code, &applied);
  if (!model) return code;
  if (!applied.empty()) std::cout << "with the trace's " << applied << "\n";
  // Constants that still differ (given on the command line, or not applicable).
  std::vector<std::string> differ = rec.consts.empty() ? std::vector<std::string>{}
                                                       : ConstDifferences(Consts(rec.consts), *model);
  if (ro.spec.seq_bits && rec.seq_bits != ro.spec.seq_bits) {
    differ.push_back(rec.seq_bits ? "--seq-bits " + std::to_string(*rec.seq_bits) + " (here " +
                                        std::to_string(*ro.spec.seq_bits) + ")"
                                  : "the default --seq-bits (here " + std::to_string(*ro.spec.seq_bits) + ")");
  }
  const std::string differ_text =
      differ.empty() ? "" : "the trace was recorded with other constants: " + Join(differ);
  if (!differ.empty()) std::cout << "note: " << differ_text << "\n";
  std::optional<int> s = pick_system(*model, ro.system.empty() ? *recorded : ro.system);
  if (!s) return kUsage;
  ir::TransitionSystem ts(*model, *s);
  checker::ReplayResult r = checker::replay_trace(ts, text);
  if (!r.parsed) {
    std::cerr << "stateproof: " << ro.trace << ": " << r.mismatch << "\n";
    return kUsage;
  }
  if (!ro.quiet || !r.replayed) {
    checker::MscOptions mo;
    std::cout << checker::format_msc(ts, r.trace, mo);
  }
  if (!ro.msc_svg.empty() && !write_msc_svg(ro.msc_svg, checker::msc_chart(ts, r.trace))) return kUsage;
  const std::string hint = differ.empty() ? "" : "\n(" + differ_text + ")";
  if (!r.replayed) {
    std::cout << "MISMATCH after " << r.steps_matched << " matching steps: " << r.mismatch << hint << "\n";
    return kFailed;
  }
  if (!r.verdict_matches) {
    std::cout << "MISMATCH: the trace replays (" << r.steps_matched
              << " steps) but does not show its verdict: " << r.verdict << hint << "\n";
    return kFailed;
  }
  std::cout << "replayed " << r.steps_matched << " steps: " << r.verdict << "\n";
  return kOk;
}

}  // namespace

void add_replay(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("replay", "Re-execute a counterexample (JSON from check --trace-out) "
                                           "against the spec and recheck its verdict");
  auto ro = std::make_shared<ReplayOptions>();
  ro->spec.add_to(*cmd);
  cmd->add_option("trace", ro->trace, "the trace file (.json)")->required();
  cmd->add_option("--system", ro->system, "the system (default: the one the trace names)");
  cmd->add_flag("--quiet,-q", ro->quiet, "print only the outcome, not the chart");
  cmd->add_option("--msc-svg", ro->msc_svg, "also draw the replayed run's message sequence chart as SVG in this file");
  cmd->callback([=] {
    *run = [=] { return RunReplay(*ro); };
  });
}

}  // namespace sp::cli
