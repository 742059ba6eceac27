// Shared pieces of the stateproof subcommands: loading and compiling a spec with the
// common options, and the exit codes (ARCHITECTURE.md).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"
#include "util/msc_svg.hpp"

namespace sp::cli {

enum Exit : int {
  kOk = 0,
  kFailed = 1,       // a bad spec, a violated property, a failed test
  kUsage = 2,        // bad flags or unreadable input
  kEnvironment = 3,  // missing privileges, devices or tools
  kLimit = 4,        // a limit was reached before an answer (memory included)
  kInternal = 70,    // an uncaught exception: a bug
};
// A signal (SIGINT, SIGTERM) stops a command with 128 + the signal (tools/cli/interrupt.hpp).

// Options every subcommand that reads a spec takes.
struct SpecOptions {
  std::string path;
  std::optional<int> seq_bits;
  std::vector<std::string> consts;  // NAME=V
  bool no_warnings = false;

  void add_to(CLI::App& app);
};

// Reads and compiles the spec, printing diagnostics to stderr. Returns the exit code to
// use on failure (kUsage for unreadable files or bad --const, kFailed for a bad spec) in
// *exit_code and nullopt, or the model.
std::optional<ir::Model> load_spec(const SpecOptions& options, int* exit_code);

// Why files cannot be created in directory `dir` (made when missing), or "": it, or the
// nearest ancestor that exists, must be a writable directory. Checked before long work.
std::string unwritable_dir(const std::string& dir);

// Resolves --system: the named system, or the only one; prints an error otherwise.
std::optional<int> pick_system(const ir::Model& model, const std::string& name);

// Writes `chart` as an SVG document to `path` (`--msc-svg FILE`), whole or not at all;
// prints the error and returns false when it cannot.
bool write_msc_svg(const std::string& path, const util::MscChart& chart);

// Each subcommand registers itself and sets `*run` to its action when selected.
using Action = std::function<int()>;
void add_show(CLI::App& app, Action* run);
void add_export(CLI::App& app, Action* run);
void add_simulate(CLI::App& app, Action* run);
void add_run(CLI::App& app, Action* run);
void add_gen(CLI::App& app, Action* run);
void add_check(CLI::App& app, Action* run);
void add_replay(CLI::App& app, Action* run);
void add_diff(CLI::App& app, Action* run);
void add_monitor(CLI::App& app, Action* run);

}  // namespace sp::cli
