// stateproof show SPEC: the compiled IR, readable.
#include <iostream>

#include "compiler/ir/views.hpp"
#include "tools/cli/common.hpp"

namespace sp::cli {

void add_show(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("show", "Compile a spec and print its IR: roles, states, "
                                         "transitions with cites, systems, state-vector size");
  auto opts = std::make_shared<SpecOptions>();
  auto slots = std::make_shared<bool>(false);
  opts->add_to(*cmd);
  cmd->add_flag("--slots", *slots, "also list every slot of each system's state vector");
  cmd->callback([=] {
    *run = [=] {
      int code = kOk;
      std::optional<ir::Model> model = load_spec(*opts, &code);
      if (!model) return code;
      std::cout << ir::summary(*model, *slots);
      return static_cast<int>(kOk);
    };
  });
}

}  // namespace sp::cli
