#include "harness/suite/lex.hpp"

namespace sp::harness {

bool tokenize_line(std::string_view line, std::vector<Token>* out, std::string* error,
                   int* error_column) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') return true;
    Token t;
    t.column = static_cast<int>(i) + 1;
    t.quoted = c == '"';
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
      if (line[i] != '"') {
        t.text += line[i++];
        continue;
      }
      size_t open = i++;
      bool closed = false;
      while (i < line.size()) {
        char d = line[i];
        if (d == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) {
          t.text += line[i + 1];
          i += 2;
          continue;
        }
        ++i;
        if (d == '"') {
          closed = true;
          break;
        }
        t.text += d;
      }
      if (!closed) {
        *error = "unterminated string";
        *error_column = static_cast<int>(open) + 1;
        return false;
      }
      if (open != static_cast<size_t>(t.column - 1)) t.quoted = false;
    }
    if (t.quoted && i > 0 && line[i - 1] != '"') t.quoted = false;
    t.end = i;
    out->push_back(std::move(t));
  }
  return true;
}

}  // namespace sp::harness
