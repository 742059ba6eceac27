// The spec parser (Boost.Spirit X3): source text in, position-tagged AST out.
#pragma once

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"

namespace sp {

// Parses `diags.file()` into `out`. On a syntax error, reports one diagnostic
// (`expected X`, with the position of the offending token) and returns false.
// Never throws, never crashes, and runs in time and memory linear-ish in the input
// (nesting depth is limited; too deep a nesting is an error, not a stack overflow).
bool parse_spec(Diagnostics& diags, ast::Spec& out);

}  // namespace sp
