// UTF-8 in output text: JSON, JUnit XML and SVG pass valid sequences through and
// replace stray bytes.
#pragma once

#include <cstddef>
#include <string>

namespace sp::util {

// The length of the valid UTF-8 sequence of 2 to 4 bytes that starts at text[i] (a byte
// >= 0x80), or 0 when the bytes there are not one (a stray continuation byte, an
// overlong lead byte, a sequence cut short).
inline size_t utf8_sequence_length(const std::string& text, size_t i) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  const size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// `text` with each ASCII byte replaced by `ascii(c)` (a pointer to its escape, or null
// to keep the byte), valid UTF-8 sequences kept and stray bytes replaced by `invalid`.
std::string escape_text(const std::string& text, const char* (*ascii)(unsigned char c, char* buf),
                        const char* invalid);

// XML-escaped text, safe in attributes: & < > " ' as entities, newline and tab as
// character references, other control bytes and invalid UTF-8 as '?'.
std::string xml_escape(const std::string& text);

}  // namespace sp::util
