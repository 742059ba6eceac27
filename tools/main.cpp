// stateproof: a protocol model checker and conformance test generator.
// Each subcommand is a thin layer over a library function (tools/cli/*.cpp).
#include <CLI/CLI.hpp>

#include <iostream>
#include <new>

#include "tools/cli/common.hpp"
#include "tools/cli/interrupt.hpp"

int main(int argc, char** argv) {
  CLI::App app{"stateproof: check protocol specs, generate conformance tests, run them "
               "against real stacks"};
  app.require_subcommand(1);
  // Flag errors in one line: "stateproof: --settle: 'nan' is not a number from 0 to 3600".
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("stateproof: ") + e.what() + " (see --help)\n";
  });
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  sp::cli::Action run;
  sp::cli::add_show(app, &run);
  sp::cli::add_export(app, &run);
  sp::cli::add_simulate(app, &run);
  sp::cli::add_run(app, &run);
  sp::cli::add_gen(app, &run);
  sp::cli::add_check(app, &run);
  sp::cli::add_replay(app, &run);
  sp::cli::add_diff(app, &run);
  sp::cli::add_monitor(app, &run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return sp::cli::kUsage;
  }
  if (!run) return sp::cli::kUsage;
  sp::cli::catch_interrupts();
  sp::cli::InterruptMode at_once("stateproof: interrupted\n");  // check and gen stop cleanly
  try {
    return run();
  } catch (const std::bad_alloc&) {
    std::cerr << "stateproof: out of memory\n";
    return sp::cli::kLimit;
  } catch (const std::exception& e) {  // a bug: every input has an error message of its own
    std::cerr << "stateproof: internal error: " << e.what() << "\n";
    return sp::cli::kInternal;
  }
}
