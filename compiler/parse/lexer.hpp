// The lexical layer of the spec parser (docs/language.md, "Lexical structure"): blanks
// and comments, words and keywords, numeric and string literals, and the description of
// the token at a position for "expected X but found Y" messages.
//
// Plain functions over `const char*` ranges, no Spirit: the X3 token parsers in
// tokens.hpp wrap them. Malformed literals (an unterminated string or comment, `300.1.1.1`,
// a number that overflows int64) are errors whatever the context, so they throw
// LexError instead of failing a match.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.hpp"

namespace sp::parse {

// A syntax error found while scanning: where it is and what is wrong.
struct LexError {
  const char* where;
  std::string message;
};

inline bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `word` is a reserved keyword (docs/language.md); keywords are not identifiers.
bool is_keyword(std::string_view word);

// Whether keyword `word` stays reserved where a name is contextual (a variable, parameter,
// call or transition name, a name in an expression): the keywords that start or continue
// an expression, a statement, a role or system item or a declaration, so that reading
// them as a name could change how a spec parses. Every other keyword (`dup`, `seq`,
// `recv`, `timeout`, ...) is a name there.
bool is_reserved(std::string_view word);

// Skips whitespace, `// line` and `/* block */` comments. Returns whether it moved `p`.
// Throws LexError at the `/*` of an unterminated block comment.
bool skip_blanks(const char*& p, const char* end);

// Length of the word ([A-Za-z_][A-Za-z0-9_]*) at `p`, 0 when there is none.
size_t scan_word(const char* p, const char* end);

// Whether the word `word` is at `p` and not followed by a word character.
bool word_at(const char* p, const char* end, std::string_view word);

// A numeric literal: an integer (decimal or 0x hex), a duration in milliseconds, a MAC
// address (48 bits) or an IPv4 address (32 bits, host order).
enum class NumberKind { kInt, kDuration, kMac, kIp4 };
struct Number {
  NumberKind kind = NumberKind::kInt;
  int64_t value = 0;
};

// Scans a numeric literal at `p` and advances past it. Returns false, `p` unchanged,
// when `p` does not start one (a word such as `ff` that is not a full MAC address is
// left to the identifier rule). Throws LexError when it starts a malformed one.
bool lex_number(const char*& p, const char* end, Number& out);

// Scans a string literal `"..."` (escapes `\"` and `\\`, on one line) at `p`. Returns
// false when `p` is not at a `"`; throws LexError when the string is malformed.
bool lex_string(const char*& p, const char* end, std::string& out);

// Describes what is at `p` (blanks and comments skipped) for a diagnostic:
// "but found 'LISTN'", "but found keyword 'from'", "at end of input".
std::string describe_found(const char* p, const char* end);

// Line starts of a text, for turning offsets into 1-based line and column in O(log n).
// Agrees with Diagnostics::locate.
class LineMap {
 public:
  explicit LineMap(std::string_view text);
  ast::Loc locate(uint32_t offset) const;

 private:
  std::vector<uint32_t> starts_;
  uint32_t size_;
};

}  // namespace sp::parse
