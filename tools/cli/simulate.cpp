// stateproof simulate SPEC --system S --seed N --steps K: one random run, printed as a
// message sequence.
#include <iostream>

#include "compiler/ir/system.hpp"
#include "compiler/ir/views.hpp"
#include "tools/cli/common.hpp"
#include "tools/cli/numbers.hpp"

namespace sp::cli {

void add_simulate(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("simulate", "Run a system randomly and print the run as a "
                                             "message sequence (same seed, same run)");
  auto opts = std::make_shared<SpecOptions>();
  auto system = std::make_shared<std::string>();
  auto seed = std::make_shared<uint64_t>(1);
  auto steps = std::make_shared<int>(50);
  opts->add_to(*cmd);
  cmd->add_option("--system", *system, "the system to run (default: the only one)");
  cmd->add_option("--seed", *seed, "random seed (default 1)")->check(integer_in(0, INT64_MAX));
  cmd->add_option("--steps", *steps, "maximum number of steps (default 50)")
      ->check(integer_in(0, 10000000));
  cmd->callback([=] {
    *run = [=] {
      int code = kOk;
      std::optional<ir::Model> model = load_spec(*opts, &code);
      if (!model) return code;
      std::optional<int> s = pick_system(*model, *system);
      if (!s) return static_cast<int>(kUsage);
      ir::TransitionSystem ts(*model, *s);
      ir::Simulation sim = ir::simulate(ts, *seed, *steps);
      std::cout << ir::format_simulation(ts, sim);
      bool error = !sim.steps.empty() && !sim.steps.back().error.empty();
      return static_cast<int>(error ? kFailed : kOk);
    };
  });
}

}  // namespace sp::cli
