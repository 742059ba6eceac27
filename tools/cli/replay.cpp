// stateproof replay SPEC TRACE.json: re-executes a counterexample written by
// `stateproof check --trace-out` against the spec, step by step, and rechecks its verdict.
#include <fstream>
#include <iostream>
#include <sstream>

#include "checker/msc.hpp"
#include "checker/trace_json.hpp"
#include "compiler/ir/system.hpp"
#include "tools/cli/common.hpp"

namespace sp::cli {

namespace {

struct ReplayOptions {
  SpecOptions spec;
  std::string trace;
  std::string system;
  bool quiet = false;
};

int RunReplay(const ReplayOptions& ro) {
  std::ifstream in(ro.trace, std::ios::binary);
  if (!in) {
    std::cerr << "stateproof: cannot read " << ro.trace << "\n";
    return kUsage;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  std::string err;
  std::optional<std::string> recorded = checker::trace_file_system(text, &err);
  if (!recorded) {
    std::cerr << "stateproof: " << ro.trace << ": " << err << "\n";
    return kUsage;
  }
  int code = kOk;
  std::optional<ir::Model> model = load_spec(ro.spec, &code);
  if (!model) return code;
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
  if (!r.replayed) {
    std::cout << "MISMATCH after " << r.steps_matched << " matching steps: " << r.mismatch << "\n";
    return kFailed;
  }
  if (!r.verdict_matches) {
    std::cout << "MISMATCH: the trace replays (" << r.steps_matched
              << " steps) but does not show its verdict: " << r.verdict << "\n";
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
  cmd->callback([=] {
    *run = [=] { return RunReplay(*ro); };
  });
}

}  // namespace sp::cli
