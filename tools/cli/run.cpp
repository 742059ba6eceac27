// stateproof run DIR|FILES --target linux|linux-tap|lwip|raw:IFACE: run conformance tests against a
// real stack, each in its own network namespace (harness/runner/suite_run.hpp).
#include <unistd.h>

#include <iostream>

#include "tools/cli/common.hpp"
#include "tools/cli/numbers.hpp"

#ifdef STATEPROOF_HAVE_HARNESS_RUN
#include "harness/runner/suite_run.hpp"
#endif

namespace sp::cli {

void add_run(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand(
      "run", "Run conformance tests (*.spt) against a target stack, each test in its own "
             "network namespace");
#ifdef STATEPROOF_HAVE_HARNESS_RUN
  auto o = std::make_shared<harness::SuiteRunOptions>();
  cmd->add_option("tests", o->paths, "test files, or directories searched for *.spt")->required();
  cmd->add_option("--target", o->target,
                  "linux (TUN, IPv4), linux-tap (TAP, Ethernet and ARP), lwip (lwIP on a TAP), or "
                  "raw:IFACE (AF_PACKET on an existing interface)")
      ->capture_default_str();
  cmd->add_option("--agent", o->agent,
                  "raw:IFACE only: the stack's upper tester, an agent command started per test or IPV4:PORT "
                  "of a running agent (docs/agent-protocol.md)");
  cmd->add_option("--jobs,-j", o->jobs, "tests run at once (default: 8 per CPU; tests mostly wait for the IUT)")
      ->check(integer_in(1, 4096));
  cmd->add_option("--junit", o->junit, "write a JUnit XML report");
  cmd->add_option("--pcap", o->pcap_dir, "write DIR/<test>.pcap for every test");
  cmd->add_option("--results", o->results_json, "write verdicts, diffs and packets as JSON");
  cmd->add_option("--msc-svg", o->msc_svg,
                  "draw every test's message sequence chart (tester and IUT, mismatches marked) as SVG "
                  "in this file");
  cmd->add_option("--profile", o->profile,
                  "target profile of known deviations (default: the target's built-in; none: no "
                  "profile)");
  cmd->add_flag("--strict-profile", o->strict_profile,
                "fail (exit 1) when a profile entry applied to a test of the run but excused no "
                "failure (a stale entry that could hide a regression)");
  auto specs = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--spec", *specs,
                  "the spec(s) the suite was generated from: a profile entry naming a transition "
                  "their roles lack is an error");
  cmd->add_option("--filter", o->filter, "run only tests whose name matches this glob");
  cmd->add_option("--shard", o->shard, "run shard I of N (I/N, 1-based) of the test files");
  cmd->add_option("--settle", o->execute.settle,
                  "seconds to keep listening for trailing packets after a test's last event")
      ->capture_default_str()
      ->check(real_in(0, 3600));
  cmd->add_flag("--fast", o->fast, "skip slow tests (tier slow: those that wait for timers)");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress and no per-test lines");
  cmd->add_flag("--verbose,-v", o->verbose, "print the report of every test");
  cmd->callback([=] {
    *run = [=] {
      harness::SuiteRunOptions options = *o;
      for (const std::string& path : *specs) {
        SpecOptions spec;
        spec.path = path;
        spec.no_warnings = true;
        int exit_code = kOk;
        std::optional<ir::Model> model = load_spec(spec, &exit_code);
        if (!model) return exit_code == kFailed ? static_cast<int>(kUsage) : exit_code;
        for (const ir::Role& role : model->roles) {
          for (const ir::Transition& t : role.transitions) options.spec_transitions[role.name].insert(t.name);
        }
      }
      options.progress = !options.quiet && isatty(STDERR_FILENO);
      return harness::run_suite(options, std::cout, std::cerr).exit_code;
    };
  });
#else
  cmd->allow_extras();
  cmd->callback([=] {
    *run = [] {
      std::cerr << "stateproof run: this build has no harness (configured with "
                   "STATEPROOF_SKIP=harness)\n";
      return static_cast<int>(kEnvironment);
    };
  });
#endif
}

}  // namespace sp::cli
