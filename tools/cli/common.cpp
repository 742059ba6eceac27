#include "tools/cli/common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "compiler/diagnostics.hpp"
#include "tools/cli/numbers.hpp"
#include "util/atomic_file.hpp"
#include "util/read_file.hpp"

namespace sp::cli {

void SpecOptions::add_to(CLI::App& app) {
  app.add_option("spec", path, "the spec file (.sp)")->required();
  app.add_option("--seq-bits", seq_bits, "width of every seq<N> in checking (default 3; 2..32)")
      ->check(integer_in(2, 32));
  app.add_option("--const", consts, "override a constant: NAME=VALUE (repeatable)");
  app.add_flag("--no-warnings", no_warnings, "do not print compiler warnings");
}

std::optional<ir::Model> load_spec(const SpecOptions& options, int* exit_code) {
  SourceFile file;
  file.path = options.path;
  std::string error;
  if (!read_file_bounded(options.path, &file.text, &error)) {
    std::cerr << "stateproof: cannot read " << options.path << ": " << error << "\n";
    *exit_code = kUsage;
    return std::nullopt;
  }
  CompileOptions copts;
  copts.seq_bits = options.seq_bits;
  copts.warnings = !options.no_warnings;
  for (const std::string& c : options.consts) {
    size_t eq = c.find('=');
    std::string name = c.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : c.substr(eq + 1);
    std::optional<int64_t> v = value == "true" ? 1 : value == "false" ? 0 : parse_integer(value);
    if (eq == std::string::npos || name.empty() || !v) {
      std::cerr << "stateproof: --const " << c << ": expected NAME=INTEGER\n";
      *exit_code = kUsage;
      return std::nullopt;
    }
    copts.const_overrides.emplace_back(name, *v);
  }
  Diagnostics diags(file);
  ir::Model model;
  bool ok = compile_spec(diags, copts, model);
  std::cerr << diags.format_all();
  if (!ok) {
    bool usage = false;
    for (const Diagnostic& d : diags.all()) {
      if (d.severity == Severity::kError && d.loc.line == 0 && d.loc.offset == 0) usage = true;
    }
    *exit_code = usage ? kUsage : kFailed;
    return std::nullopt;
  }
  return model;
}

std::string unwritable_dir(const std::string& dir) {
  std::filesystem::path p = dir.empty() ? "." : dir;
  for (;;) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      const std::string what = p.string() == dir ? "" : p.string() + ": ";
      if (!S_ISDIR(st.st_mode)) return what + "not a directory";
      if (::access(p.c_str(), W_OK | X_OK) != 0) return what + std::strerror(errno);
      return "";
    }
    if (errno != ENOENT) return std::strerror(errno);
    std::filesystem::path parent = p.parent_path();
    if (parent.empty()) parent = ".";
    if (parent == p) return std::strerror(ENOENT);
    p = parent;
  }
}

bool write_msc_svg(const std::string& path, const util::MscChart& chart) {
  std::string error;
  if (util::write_file_atomic(path, util::msc_svg_document({util::draw_msc(chart)}), &error)) return true;
  std::cerr << "stateproof: " << error << "\n";
  return false;
}

std::optional<int> pick_system(const ir::Model& model, const std::string& name) {
  if (model.systems.empty()) {
    std::cerr << "stateproof: the spec declares no system\n";
    return std::nullopt;
  }
  if (name.empty()) {
    if (model.systems.size() == 1) {
      if (!model.systems[0].errors.empty()) {
        for (const std::string& e : model.systems[0].errors) std::cerr << e << "\n";
        std::cerr << "stateproof: system '" << model.systems[0].name << "' cannot be used (see above)\n";
        return std::nullopt;
      }
      return 0;
    }
    std::cerr << "stateproof: the spec has several systems; choose one with --system:";
    for (const ir::System& s : model.systems) std::cerr << " " << s.name;
    std::cerr << "\n";
    return std::nullopt;
  }
  int s = model.find_system(name);
  if (s >= 0 && !model.systems[static_cast<size_t>(s)].errors.empty()) {
    for (const std::string& e : model.systems[static_cast<size_t>(s)].errors) std::cerr << e << "\n";
    std::cerr << "stateproof: system '" << name << "' cannot be used (see above)\n";
    return std::nullopt;
  }
  if (s < 0) {
    std::vector<std::string> names;
    for (const ir::System& x : model.systems) names.push_back(x.name);
    std::cerr << "stateproof: no system '" << name << "' in the spec" << did_you_mean(name, names)
              << "\n";
    return std::nullopt;
  }
  return s;
}

}  // namespace sp::cli
