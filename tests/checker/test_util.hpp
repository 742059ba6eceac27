// Helpers for the checker tests: compiling a spec from a string, running a check.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "checker/safety.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/ir/system.hpp"
#include "compiler/sema/compile.hpp"

namespace sp::checker::testing {

// Compiles `text`; fails the test (and returns an empty model) on a compile error.
inline ir::Model Compile(const std::string& text, CompileOptions options = {}) {
  SourceFile file{"test.sp", text};
  Diagnostics diags(file);
  ir::Model m;
  options.warnings = false;
  bool ok = compile_spec(diags, options, m);
  EXPECT_TRUE(ok) << diags.format_all();
  return m;
}

inline std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream b;
  b << in.rdbuf();
  return b.str();
}

// Every property of system `s`, in model order.
inline std::vector<int> PropertiesOf(const ir::Model& m, int s) {
  std::vector<int> v;
  for (size_t p = 0; p < m.properties.size(); ++p) {
    if (m.properties[p].system == s && m.properties[p].kind != ir::PropertyKind::kLtl) {
      v.push_back(static_cast<int>(p));
    }
  }
  return v;
}

inline const Outcome* Find(const Result& r, const std::string& name) {
  for (const Outcome& o : r.outcomes) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// A full breadth-first search: no partial-order reduction, so state and transition
// counts are the whole state space's (SPIN's -DNOREDUCE figures) and counterexamples the
// shortest.
inline Options Bfs(int jobs = 1) {
  Options o;
  o.jobs = jobs;
  o.por = false;
  return o;
}

// The default search: breadth-first with partial-order reduction.
inline Options BfsPor(int jobs = 1) {
  Options o;
  o.jobs = jobs;
  return o;
}

}  // namespace sp::checker::testing
