// stateproof gen SPEC --role R --out DIR: a conformance test suite for one role
// (library: gen/generate.hpp; design: docs/gen.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "gen/generate.hpp"
#include "tools/cli/common.hpp"
#include "tools/cli/interrupt.hpp"
#include "tools/cli/numbers.hpp"

namespace sp::cli {

void add_gen(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("gen", "Generate a conformance test suite for one role");
  auto opts = std::make_shared<SpecOptions>();
  auto g = std::make_shared<gen::GenOptions>();
  auto out = std::make_shared<std::string>();
  auto coverage = std::make_shared<std::string>("transition");
  auto quiet = std::make_shared<bool>(false);
  opts->add_to(*cmd);
  cmd->add_option("--role", g->role, "the role the implementation under test plays")->required();
  cmd->add_option("--out", *out, "directory for the .spt files and coverage.txt")->required();
  cmd->add_option("--coverage", *coverage, "transition (default), boundary or wmethod")
      ->check(CLI::IsMember({"transition", "boundary", "wmethod"}));
  cmd->add_option("--seed", g->seed, "pick among solutions (same seed, same suite; default 0)")
      ->check(integer_in(0, INT64_MAX));
  cmd->add_option("--depth", g->depth, "exploration depth in tester actions (default 10)")
      ->check(integer_in(1, 1000));
  cmd->add_option("--extra-states", g->extra_states, "W-method: states beyond the spec's (default 0)")
      ->check(integer_in(0, 100));
  cmd->add_option("--prefer-via", g->prefer_via,
                  "control states a preamble passes through when a path of the same length "
                  "can (repeatable; e.g. ESTABLISHED: FIN-WAIT-1 by connect/SYN-ACK/close, not "
                  "listen/SYN/close)")
      ->delimiter(',');
  cmd->add_option("--jobs,-j", g->jobs,
                  "worker processes (default: one per CPU; the suite does not depend on it)")
      ->check(integer_in(1, 256));
  cmd->add_flag("--pcap", g->pcap, "also write each test's expected exchange as a pcap");
  cmd->add_flag("--packetdrill", g->packetdrill, "also write packetdrill scripts (wire tcp)");
  cmd->add_flag("-q,--quiet", *quiet, "print nothing but errors");
  cmd->callback([=] {
    *run = [=]() -> int {
      const std::string unwritable = unwritable_dir(*out);
      if (!unwritable.empty()) {
        std::cerr << "stateproof: --out " << *out << ": cannot write there: " << unwritable << "\n";
        return kUsage;
      }
      int code = kOk;
      std::optional<ir::Model> model = load_spec(*opts, &code);
      if (!model) return code;
      g->coverage = *coverage == "boundary" ? gen::Coverage::kBoundary
                    : *coverage == "wmethod" ? gen::Coverage::kWMethod
                                             : gen::Coverage::kTransition;
      gen::GenResult result;
      std::string error;
      {
        // The solver and the worker processes have no stopping point: a signal ends them.
        InterruptMode at_once("stateproof gen: interrupted; nothing written\n");
        if (!gen::generate(*model, *g, &result, &error)) {
          std::cerr << "stateproof: " << error << "\n";
          return result.out_of_memory ? kLimit : kUsage;
        }
      }
      InterruptMode polled(nullptr);
      {
        DeferInterrupts whole_files;  // a signal waits until the suite is written
        if (!gen::write_suite(*model, result, *g, *out, &error)) {
          std::cerr << "stateproof: " << error << "\n";
          return kUsage;
        }
      }
      if (const int sig = interrupt_signal()) {
        std::cerr << "stateproof gen: interrupted by signal " << sig << " after writing the suite ("
                  << result.tests.size() << " tests in " << *out << ")\n";
        return 128 + sig;
      }
      if (!*quiet) {
        std::cout << result.report();
        char line[400];
        std::snprintf(line, sizeof line,
                      "\n%zu tests written to %s in %.2f s (%ld solver queries, %.3f ms each, %ld unknown;"
                      " %ld more answered by a cached model; exploration %.2f s, %ld queries)\n",
                      result.tests.size(), out->c_str(), result.total_seconds, result.queries,
                      result.queries ? 1000.0 * result.solver_seconds / result.queries : 0.0,
                      result.unknown, result.model_hits, result.explore_seconds,
                      result.explore_queries);
        std::cout << line;
      }
      return kOk;
    };
  });
}

}  // namespace sp::cli
