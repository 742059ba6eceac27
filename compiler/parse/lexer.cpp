#include "compiler/parse/lexer.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace sp::parse {

namespace {

// docs/language.md, "Keywords" (sorted, for binary search). `backoff`, `retries`, `at` and
// `most` are words with a meaning in one place only, not reserved.
constexpr std::string_view kKeywords[] = {
    "always", "any", "assert", "bag", "bool", "broadcast", "call", "calls",
    "capacity", "channel", "cite", "const", "deadlock", "dup", "duration", "else", "enum",
    "environment", "eventually", "except", "exists", "fair", "false", "fifo", "forall",
    "free", "from", "group", "if", "in", "initial", "instance", "int", "internal", "ip4",
    "lemma", "lossy", "mac", "map", "message", "never", "next", "on", "once", "port",
    "property", "protocol", "recv", "remove", "role", "same", "script", "send",
    "seq", "set", "start", "states", "stop", "strong", "system", "timeout", "timer",
    "true", "type", "under", "until", "var", "weak", "wire",
};
static_assert(std::is_sorted(std::begin(kKeywords), std::end(kKeywords)));

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The text of a malformed literal for its error message: the run of characters that
// can belong to a number, capped so a junk file gives a short message.
std::string literal_text(const char* p, const char* end) {
  const char* q = p;
  while (q < end && (is_word_char(*q) || *q == '.' || *q == ':') && q - p < 40) ++q;
  std::string s(p, q);
  if (q < end && (is_word_char(*q) || *q == '.' || *q == ':')) s += "...";
  return s;
}

// Six groups of two hex digits separated by ':', not followed by a word character or
// another ':' / '.'. On success `p` is advanced past it.
bool scan_mac(const char*& p, const char* end, int64_t& value) {
  const char* q = p;
  uint64_t v = 0;
  for (int group = 0; group < 6; ++group) {
    if (group > 0) {
      if (q >= end || *q != ':') return false;
      ++q;
    }
    if (end - q < 2 || !is_hex(q[0]) || !is_hex(q[1])) return false;
    v = (v << 8) | static_cast<uint64_t>(hex_value(q[0]) * 16 + hex_value(q[1]));
    q += 2;
  }
  if (q < end && (is_word_char(*q) || *q == ':' || *q == '.')) return false;
  value = static_cast<int64_t>(v);
  p = q;
  return true;
}

// Four decimal octets (1 to 3 digits, at most 255) separated by '.', not followed by a
// word character or by '.' and a digit.
bool scan_ip4(const char*& p, const char* end, int64_t& value) {
  const char* q = p;
  uint64_t v = 0;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) {
      if (q >= end || *q != '.') return false;
      ++q;
    }
    int digits = 0;
    unsigned octet = 0;
    while (q < end && is_digit(*q) && digits < 4) {
      octet = octet * 10 + static_cast<unsigned>(*q - '0');
      ++q;
      ++digits;
    }
    if (digits == 0 || digits > 3 || octet > 255) return false;
    v = (v << 8) | octet;
  }
  if (q < end && (is_word_char(*q) || (*q == '.' && q + 1 < end && is_digit(q[1])))) {
    return false;
  }
  value = static_cast<int64_t>(v);
  p = q;
  return true;
}

}  // namespace

bool is_keyword(std::string_view word) {
  return std::binary_search(std::begin(kKeywords), std::end(kKeywords), word);
}

bool is_reserved(std::string_view word) {
  static constexpr std::string_view kReserved[] = {
      "always", "assert", "calls", "channel", "const", "else", "environment", "eventually",
      "exists", "false", "forall", "from", "group", "if", "in", "initial", "instance",
      "lemma", "message", "never", "next", "on", "port", "property", "protocol", "remove",
      "role", "send", "start", "states", "stop", "system", "timer", "true", "type", "until",
      "var",
  };
  static_assert(std::is_sorted(std::begin(kReserved), std::end(kReserved)));
  return std::binary_search(std::begin(kReserved), std::end(kReserved), word);
}

bool skip_blanks(const char*& p, const char* end) {
  const char* start = p;
  while (p < end) {
    char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++p;
    } else if (c == '/' && p + 1 < end && p[1] == '/') {
      while (p < end && *p != '\n') ++p;
    } else if (c == '/' && p + 1 < end && p[1] == '*') {
      const char* open = p;
      p += 2;
      for (;;) {
        if (end - p < 2) {
          p = open;
          throw LexError{open, "unterminated block comment"};
        }
        if (p[0] == '*' && p[1] == '/') break;
        ++p;
      }
      p += 2;
    } else {
      break;
    }
  }
  return p != start;
}

size_t scan_word(const char* p, const char* end) {
  if (p >= end || !is_word_start(*p)) return 0;
  const char* q = p + 1;
  while (q < end && is_word_char(*q)) ++q;
  return static_cast<size_t>(q - p);
}

bool word_at(const char* p, const char* end, std::string_view word) {
  if (static_cast<size_t>(end - p) < word.size()) return false;
  if (std::string_view(p, word.size()) != word) return false;
  return p + word.size() == end || !is_word_char(p[word.size()]);
}

bool lex_number(const char*& p, const char* end, Number& out) {
  if (p >= end) return false;
  // MAC addresses may start with a letter (ff:ff:ff:ff:ff:ff); a word that is not a
  // complete one is an identifier.
  if (!is_digit(*p)) {
    if (!is_hex(*p)) return false;
    int64_t v;
    if (!scan_mac(p, end, v)) return false;
    out = {NumberKind::kMac, v};
    return true;
  }
  const char* start = p;
  // Two hex digits and a ':' can only start a MAC address.
  if (end - p >= 3 && is_hex(p[1]) && p[2] == ':') {
    int64_t v;
    if (!scan_mac(p, end, v)) {
      throw LexError{start, "invalid MAC address '" + literal_text(start, end) +
                                "' (expected six hex pairs like 02:00:00:00:00:01)"};
    }
    out = {NumberKind::kMac, v};
    return true;
  }
  // Digits, '.', digit can only start an IPv4 address.
  const char* q = p;
  while (q < end && is_digit(*q)) ++q;
  if (end - q >= 2 && q[0] == '.' && is_digit(q[1])) {
    int64_t v;
    if (!scan_ip4(p, end, v)) {
      throw LexError{start, "invalid IPv4 address '" + literal_text(start, end) +
                                "' (expected four numbers 0..255 like 192.0.2.1)"};
    }
    out = {NumberKind::kIp4, v};
    return true;
  }
  // An integer or a duration: the whole word-character run must be one of them.
  q = p;
  while (q < end && is_word_char(*q)) ++q;
  std::string_view text(p, static_cast<size_t>(q - p));
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  auto too_large = [&] {
    return LexError{start, "number '" + literal_text(start, end) + "' is too large"};
  };
  uint64_t v = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    for (size_t i = 2; i < text.size(); ++i) {
      if (!is_hex(text[i])) {
        throw LexError{start, "invalid number '" + literal_text(start, end) + "'"};
      }
      if (v > (kMax >> 4)) throw too_large();
      v = (v << 4) | static_cast<uint64_t>(hex_value(text[i]));
    }
    p = q;
    out = {NumberKind::kInt, static_cast<int64_t>(v)};
    return true;
  }
  size_t i = 0;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    uint64_t d = static_cast<uint64_t>(text[i] - '0');
    if (v > (kMax - d) / 10) throw too_large();
    v = v * 10 + d;
  }
  std::string_view suffix = text.substr(i);
  uint64_t scale = 0;
  if (suffix.empty()) {
    scale = 0;
  } else if (suffix == "ms") {
    scale = 1;
  } else if (suffix == "s") {
    scale = 1000;
  } else if (suffix == "min") {
    scale = 60000;
  } else {
    throw LexError{start, "invalid number '" + literal_text(start, end) +
                              "' (durations are written 500ms, 60s, 2min)"};
  }
  if (scale > 1 && v > kMax / scale) throw too_large();
  p = q;
  if (scale == 0) {
    out = {NumberKind::kInt, static_cast<int64_t>(v)};
  } else {
    out = {NumberKind::kDuration, static_cast<int64_t>(v * scale)};
  }
  return true;
}

bool lex_string(const char*& p, const char* end, std::string& out) {
  if (p >= end || *p != '"') return false;
  const char* open = p;
  const char* q = p + 1;
  std::string s;
  for (;;) {
    if (q >= end || *q == '\n' || *q == '\r') {
      throw LexError{open, "unterminated string"};
    }
    char c = *q;
    if (c == '"') break;
    if (c == '\\') {
      if (q + 1 < end && (q[1] == '"' || q[1] == '\\')) {
        s += q[1];
        q += 2;
        continue;
      }
      throw LexError{q, "invalid escape in string (only \\\" and \\\\ are allowed)"};
    }
    s += c;
    ++q;
  }
  p = q + 1;
  out = std::move(s);
  return true;
}

namespace {

// A byte as it may appear in a message: itself when printable ASCII, else \xNN.
std::string printable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  static const char kHex[] = "0123456789abcdef";
  return std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
}

}  // namespace

std::string describe_found(const char* p, const char* end) {
  try {
    skip_blanks(p, end);
  } catch (const LexError&) {
    return "but found an unterminated block comment";
  }
  if (p >= end) return "at end of input";
  constexpr size_t kMaxShown = 40;
  std::string token;
  bool keyword = false;
  if (size_t n = scan_word(p, end)) {
    token.assign(p, std::min(n, kMaxShown));
    if (n > kMaxShown) token += "...";
    keyword = is_keyword(std::string_view(p, n));
  } else if (is_digit(*p)) {
    token = literal_text(p, end);
  } else if (*p == '"') {
    const char* q = p + 1;
    while (q < end && *q != '"' && *q != '\n' && q - p < static_cast<long>(kMaxShown)) ++q;
    for (const char* r = p; r < q; ++r) token += printable(*r);
    if (q < end && *q == '"') {
      token += '"';
    } else {
      token += "...";
    }
  } else {
    static const char* const kOps[] = {"->", "..", "==", "!=", "<=", ">=", "&&", "||"};
    for (const char* op : kOps) {
      if (end - p >= 2 && p[0] == op[0] && p[1] == op[1]) token = op;
    }
    if (token.empty()) token = printable(*p);
  }
  return std::string("but found ") + (keyword ? "keyword '" : "'") + token + "'";
}

LineMap::LineMap(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < size_; ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

ast::Loc LineMap::locate(uint32_t offset) const {
  if (offset > size_) offset = size_;
  // The last line start at or before offset.
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  --it;
  ast::Loc loc;
  loc.offset = offset;
  loc.line = static_cast<uint32_t>(it - starts_.begin()) + 1;
  loc.col = offset - *it + 1;
  return loc;
}

}  // namespace sp::parse
