// Compiles a spec text for the compiler's unit tests: the model, whether it compiled and
// every diagnostic as `stateproof` prints it (warnings off).
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "compiler/ir/model.hpp"
#include "compiler/sema/compile.hpp"

namespace sp::testing {

struct Compiled {
  bool ok = false;
  std::string messages;
  ir::Model model;
};

inline Compiled compile(const std::string& text, const std::string& path = "t.sp") {
  SourceFile file{path, text};
  Diagnostics diags(file);
  Compiled c;
  CompileOptions o;
  o.warnings = false;
  c.ok = compile_spec(diags, o, c.model);
  c.messages = diags.format_all();
  return c;
}

// `text` with each placeholder (`TYPE`, `BODY`, ...) replaced once, in order.
inline std::string fill(std::string text, std::initializer_list<std::pair<const char*, std::string>> parts) {
  for (const auto& [placeholder, part] : parts) {
    const size_t at = text.find(placeholder);
    if (at != std::string::npos) text.replace(at, std::string(placeholder).size(), part);
  }
  return text;
}

}  // namespace sp::testing
