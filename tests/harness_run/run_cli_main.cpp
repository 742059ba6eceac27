// `stateproof run` alone: the same subcommand (tools/cli/run.cpp) behind a minimal main,
// so the process-level tests (signals, killed workers) run even while other subcommands
// of the stateproof binary are mid-change. Mirrors tools/main.cpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "tools/cli/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"stateproof (run only, for tests)"};
  app.require_subcommand(1);
  sp::cli::Action run;
  sp::cli::add_run(app, &run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return sp::cli::kUsage;
  }
  if (!run) return sp::cli::kUsage;
  try {
    return run();
  } catch (const std::exception& e) {
    std::cerr << "stateproof: internal error: " << e.what() << "\n";
    return sp::cli::kInternal;
  }
}
