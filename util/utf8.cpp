#include "util/utf8.hpp"

#include <cstdio>

namespace sp::util {

std::string escape_text(const std::string& text, const char* (*ascii)(unsigned char c, char* buf),
                        const char* invalid) {
  std::string s;
  char buf[16];
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const char* e = ascii(c, buf);
      if (e) {
        s += e;
      } else {
        s += static_cast<char>(c);
      }
    } else if (const size_t n = utf8_sequence_length(text, i); n > 0) {
      s.append(text, i, n);
      i += n - 1;
    } else {
      s += invalid;
    }
  }
  return s;
}

std::string xml_escape(const std::string& text) {
  return escape_text(
      text,
      [](unsigned char c, char*) -> const char* {
        switch (c) {
          case '&': return "&amp;";
          case '<': return "&lt;";
          case '>': return "&gt;";
          case '"': return "&quot;";
          case '\'': return "&apos;";
          case '\n': return "&#10;";
          case '\t': return "&#9;";
          default: return c < 0x20 || c == 0x7f ? "?" : nullptr;
        }
      },
      "?");
}

}  // namespace sp::util
