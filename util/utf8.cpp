#include "util/utf8.hpp"

namespace sp::util {

std::string xml_escape(const std::string& text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&': s += "&amp;"; break;
      case '<': s += "&lt;"; break;
      case '>': s += "&gt;"; break;
      case '"': s += "&quot;"; break;
      case '\'': s += "&apos;"; break;
      case '\n': s += "&#10;"; break;
      case '\t': s += "&#9;"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          s += "?";
        } else if (c < 0x80) {
          s += static_cast<char>(c);
        } else {
          // Pass valid UTF-8 sequences through, replace stray bytes.
          if (const size_t n = utf8_sequence_length(text, i); n > 0) {
            s.append(text, i, n);
            i += n - 1;
          } else {
            s += "?";
          }
        }
    }
  }
  return s;
}

}  // namespace sp::util
