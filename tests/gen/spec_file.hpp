// Compiles a spec of the repository (spec/NAME) for the generator tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/sema/compile.hpp"

namespace sp::gen::testing {

inline ir::Model compile_repo_spec(const std::string& name) {
  const std::string path = std::string(STATEPROOF_SOURCE_DIR) + "/spec/" + name;
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  SourceFile file{path, text.str()};
  Diagnostics diags(file);
  CompileOptions co;
  co.warnings = false;
  ir::Model m;
  EXPECT_TRUE(compile_spec(diags, co, m)) << diags.format_all();
  return m;
}

}  // namespace sp::gen::testing
