// The compiler's entry point: spec text in, IR Model out (or diagnostics).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/ir/model.hpp"

namespace sp {

struct CompileOptions {
  std::optional<int> seq_bits;  // --seq-bits: width of every seq<N> in checking
  std::vector<std::pair<std::string, int64_t>> const_overrides;  // --const NAME=V
  bool warnings = true;
};

// Parses and checks `diags.file()` and lowers it to `out`. Returns false when any
// error was reported (warnings do not fail). Never throws.
bool compile_spec(Diagnostics& diags, const CompileOptions& options, ir::Model& out);

// Semantic analysis and lowering of an already parsed spec.
bool lower_spec(const ast::Spec& spec, Diagnostics& diags, const CompileOptions& options,
                ir::Model& out);

}  // namespace sp
