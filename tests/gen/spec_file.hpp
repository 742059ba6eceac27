// Compiles a spec of the repository (spec/NAME) for the generator tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/sema/compile.hpp"

namespace sp::gen::testing {

// seq_bits 0: the compiler's default; the generator's tests of wire values use 32.
inline ir::Model compile_repo_spec(const std::string& name, int seq_bits = 0) {
  const std::string path = std::string(STATEPROOF_SOURCE_DIR) + "/spec/" + name;
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  SourceFile file{path, text.str()};
  Diagnostics diags(file);
  CompileOptions co;
  co.warnings = false;
  if (seq_bits > 0) co.seq_bits = seq_bits;
  ir::Model m;
  EXPECT_TRUE(compile_spec(diags, co, m)) << diags.format_all();
  return m;
}

}  // namespace sp::gen::testing
