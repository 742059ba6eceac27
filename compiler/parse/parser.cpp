// parse_spec: runs the X3 grammar (grammar_def.hpp) over a source file and turns every
// way it can stop (an expectation failure, a lexical error, nesting too deep, trailing
// input) into exactly one diagnostic. This is the only translation unit that
// instantiates the grammar.
#include "compiler/parse/parser.hpp"

#include <limits>
#include <new>
#include <string>

#include "compiler/parse/grammar_def.hpp"

namespace sp {

namespace {

void report(Diagnostics& diags, const parse::ParseState& st, const char* where,
            std::string message) {
  diags.error(st.loc(where), std::move(message));
}

// "expected X but found 'Y'" at the token after `where` (blanks skipped).
void report_expected(Diagnostics& diags, const parse::ParseState& st, const char* where,
                     const char* last, const std::string& what) {
  const char* at = where;
  try {
    parse::skip_blanks(at, last);
  } catch (const parse::LexError& e) {
    report(diags, st, e.where, e.message);
    return;
  }
  std::string found = parse::describe_found(at, last);
  if (at == last) {
    // At end of input, point just after the last token rather than at an empty line.
    while (at > st.base && (at[-1] == ' ' || at[-1] == '\t' || at[-1] == '\n' ||
                            at[-1] == '\r' || at[-1] == '\f' || at[-1] == '\v')) {
      --at;
    }
  }
  report(diags, st, at, "expected " + what + " " + found);
}

}  // namespace

bool parse_spec(Diagnostics& diags, ast::Spec& out) {
  namespace x3 = boost::spirit::x3;
  const std::string& text = diags.file().text;
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    diags.error(ast::Loc{}, "file too large (4 GiB or more)");
    return false;
  }
  parse::ParseState st(text);
  const char* first = text.data();
  const char* const last = first + text.size();
  ast::Spec spec;
  try {
    auto const grammar = x3::with<parse::state_tag>(st)[parse::grammar::spec];
    bool ok = x3::phrase_parse(first, last, grammar, parse::blank_skipper{}, spec);
    if (!ok || first != last) {
      report_expected(diags, st, first, last, "a declaration");
      return false;
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    report_expected(diags, st, e.where(), last, e.which());
    return false;
  } catch (const parse::LexError& e) {
    report(diags, st, e.where, e.message);
    return false;
  } catch (const std::bad_alloc&) {
    diags.error(st.loc(first), "out of memory while parsing");
    return false;
  } catch (const std::exception& e) {
    diags.error(st.loc(first), std::string("internal parser error: ") + e.what());
    return false;
  } catch (...) {
    diags.error(st.loc(first), "internal parser error");
    return false;
  }
  out = std::move(spec);
  return true;
}

}  // namespace sp
