// Splitting one line of a `*.spt` or `*.profile` file into tokens: whitespace
// separates, "..." quotes (also inside a token: key="a b"), a token that starts with
// '#' begins a comment (so `seq=#42` is not one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sp::harness {

struct Token {
  std::string text;  // quotes removed, \" and \\ unescaped
  int column = 0;    // 1-based
  size_t end = 0;    // offset just past the token in the line
  bool quoted = false;  // the whole token was one quoted string
};

// False on an unterminated quote, with *error and *error_column set.
bool tokenize_line(std::string_view line, std::vector<Token>* out, std::string* error,
                   int* error_column);

}  // namespace sp::harness
