// stateproof export SPEC --to dot: Graphviz per role (rendered to SVG when the output
// file ends in .svg and Graphviz's dot is installed).
// stateproof export SPEC --to promela [--system S]: an equivalent SPIN model of one system
// (compiler/ir/promela.hpp; docs/checker.md, "Cross-validation with SPIN").
#include <cstdio>
#include <iostream>

#include "compiler/ir/promela.hpp"
#include "compiler/ir/views.hpp"
#include "tools/cli/common.hpp"
#include "util/atomic_file.hpp"

namespace sp::cli {

namespace {

int write_output(const std::string& text, const std::string& out, bool render_svg) {
  if (out.empty() || out == "-") {
    std::cout << text;
    return kOk;
  }
  bool svg = render_svg && out.size() > 4 && out.substr(out.size() - 4) == ".svg";
  std::string error;
  if (!svg) {
    if (!util::write_file_atomic(out, text, &error)) {
      std::cerr << "stateproof: " << error << "\n";
      return kUsage;
    }
    return kOk;
  }
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    std::cerr << "stateproof: rendering " << out << " needs Graphviz's dot "
              << "(apt-get install graphviz); write a .dot file instead\n";
    return kEnvironment;
  }
  if (out.find('\'') != std::string::npos) {
    std::cerr << "stateproof: output file name must not contain a quote\n";
    return kUsage;
  }
  // dot writes the temporary file; it becomes `out` only when dot succeeded.
  util::AtomicFile file;
  if (!file.open(out, &error)) {
    std::cerr << "stateproof: " << error << "\n";
    return kUsage;
  }
  std::string cmd = "dot -Tsvg -o '" + file.temp_path() + "'";
  FILE* p = popen(cmd.c_str(), "w");
  if (!p) {
    std::cerr << "stateproof: cannot run dot\n";
    return kEnvironment;
  }
  fwrite(text.data(), 1, text.size(), p);
  int status = pclose(p);
  if (status != 0) {
    std::cerr << "stateproof: dot failed rendering " << out << "\n";
    return kEnvironment;
  }
  if (!file.commit(&error)) {
    std::cerr << "stateproof: " << error << "\n";
    return kUsage;
  }
  return kOk;
}

}  // namespace

void add_export(CLI::App& app, Action* run) {
  auto* cmd = app.add_subcommand("export", "Export a spec to another tool's format");
  auto opts = std::make_shared<SpecOptions>();
  auto to = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto self_loops = std::make_shared<bool>(false);
  auto system = std::make_shared<std::string>();
  opts->add_to(*cmd);
  cmd->add_flag("--self-loops", *self_loops, "dot: also draw transitions that keep the state");
  cmd->add_option("--to", *to, "format: dot or promela")->required()->check(CLI::IsMember({"dot", "promela"}));
  cmd->add_option("--system", *system, "promela: the system to export (needed when the spec has several)");
  cmd->add_option("-o,--out", *out, "output file (default: standard output; .svg renders with dot)");
  cmd->callback([=] {
    *run = [=] {
      if (*to == "dot" && !system->empty()) {
        std::cerr << "stateproof: --system applies to --to promela only (dot draws every role)\n";
        return static_cast<int>(kUsage);
      }
      if (*to == "promela" && *self_loops) {
        std::cerr << "stateproof: --self-loops applies to --to dot only\n";
        return static_cast<int>(kUsage);
      }
      int code = kOk;
      std::optional<ir::Model> model = load_spec(*opts, &code);
      if (!model) return code;
      if (*to == "dot") return write_output(ir::to_dot(*model, *self_loops), *out, true);
      std::optional<int> sys = pick_system(*model, *system);
      if (!sys) return static_cast<int>(kUsage);
      std::string error;
      std::optional<ir::PromelaModel> pml = ir::to_promela(*model, *sys, &error);
      if (!pml) {
        std::cerr << "stateproof: " << error << "\n";
        return static_cast<int>(kFailed);
      }
      return write_output(pml->text, *out, false);
    };
  });
}

}  // namespace sp::cli
