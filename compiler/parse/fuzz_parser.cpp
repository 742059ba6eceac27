// libFuzzer entry point: parse_spec on arbitrary bytes (scripts/fuzz.sh).
//
// Besides "no crash, no hang, no sanitizer report", it checks the parser's contract and
// aborts when it is broken: the result is false exactly when an error was reported, there
// is at most one diagnostic, it points inside the file, and it never names an internal
// parser type (X3's default description of an unnamed parser is its typeid).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/diagnostics.hpp"
#include "compiler/parse/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sp::SourceFile file{"fuzz.sp", std::string(reinterpret_cast<const char*>(data), size)};
  sp::Diagnostics diags(file);
  sp::ast::Spec spec;
  bool ok = sp::parse_spec(diags, spec);
  if (ok == diags.has_errors()) std::abort();
  if (diags.all().size() > 1) std::abort();
  for (const sp::Diagnostic& d : diags.all()) {
    if (d.loc.line == 0 || d.loc.offset > size) std::abort();
    // "expected X ...": X comes from the grammar's names, never from the input.
    if (d.message.rfind("expected ", 0) == 0) {
      std::string what = d.message.substr(0, d.message.find(" but found "));
      what = what.substr(0, what.find(" at end of input"));
      if (what.find("spirit") != std::string::npos || what.find("boost") != std::string::npos) {
        std::abort();
      }
    }
    (void)diags.format(d);
  }
  return 0;
}
