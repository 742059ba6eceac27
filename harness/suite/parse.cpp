#include "harness/suite/parse.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "harness/packet/address.hpp"
#include "harness/packet/tcp.hpp"
#include "harness/suite/lex.hpp"
#include "util/read_file.hpp"

namespace sp::harness {

std::string ParseError::format() const {
  std::string s = path.empty() ? "<test>" : path;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s + ": error: " + message;
}

const std::vector<std::string>& tcp_state_names() {
  static const std::vector<std::string> kNames = {
      "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
      "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK", "TIME_WAIT"};
  return kNames;
}

const char* call_name(Call::Kind kind) {
  switch (kind) {
    case Call::Kind::kListen: return "listen";
    case Call::Kind::kConnect: return "connect";
    case Call::Kind::kAccept: return "accept";
    case Call::Kind::kSend: return "send";
    case Call::Kind::kShutdown: return "shutdown";
    case Call::Kind::kClose: return "close";
    case Call::Kind::kAbort: return "abort";
    case Call::Kind::kResolve: return "resolve";
    case Call::Kind::kAnnounce: return "announce";
  }
  return "?";
}

std::optional<std::string> canonical_state(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '-') c = '_';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    s += c;
  }
  if (s == "SYN_RECEIVED" || s == "SYN_RECV") s = "SYN_RCVD";
  if (s == "FIN_WAIT1") s = "FIN_WAIT_1";
  if (s == "FIN_WAIT2") s = "FIN_WAIT_2";
  if (s == "CLOSE") s = "CLOSED";
  for (const std::string& n : tcp_state_names()) {
    if (n == s) return s;
  }
  return std::nullopt;
}

std::optional<double> parse_seconds(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  }
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  if (v > 86400) return std::nullopt;  // a day: anything longer is a typo
  return v;
}

std::string format_seconds(double seconds) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", seconds);
  std::string t = b;
  while (t.size() > 1 && t.back() == '0') t.pop_back();
  if (t.back() == '.') t.pop_back();
  return t;
}

std::optional<double> parse_duration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) ++digits;
  std::string_view unit = text.substr(digits);
  const double scale = unit == "ms" ? 0.001 : unit == "s" ? 1 : unit == "min" ? 60 : 0;
  if (scale == 0) return std::nullopt;
  std::optional<double> v = parse_seconds(text.substr(0, digits));
  if (!v) return std::nullopt;
  return *v * scale;
}

namespace {

bool parse_int(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 24) return false;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  if (v > (uint64_t{1} << 40)) return false;  // far beyond any field: a typo
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

// What a field accepts.
enum class FieldClass { kFlags, kSeq, kUint, kOption, kSackOk, kTs, kOp, kMac, kIp };

struct FieldSpec {
  const char* name;
  FieldClass cls;
  int64_t max;
};

// The time prefix that counts from the IUT's latest expected packet: `iut+1.5`.
constexpr std::string_view kIutAnchor = "iut+";

constexpr FieldSpec kTcpFields[] = {
    {"flags", FieldClass::kFlags, 0},     {"seq", FieldClass::kSeq, 0},
    {"ack", FieldClass::kSeq, 0},         {"win", FieldClass::kUint, 65535},
    {"len", FieldClass::kUint, 65000},    {"mss", FieldClass::kOption, 65535},
    {"wscale", FieldClass::kOption, 255}, {"sackok", FieldClass::kSackOk, 1},
    {"ts", FieldClass::kTs, 0},           {"sport", FieldClass::kUint, 65535},
    {"dport", FieldClass::kUint, 65535},  {"urg", FieldClass::kUint, 65535},
};
constexpr FieldSpec kArpFields[] = {
    {"op", FieldClass::kOp, 65535}, {"sha", FieldClass::kMac, 0}, {"spa", FieldClass::kIp, 0},
    {"tha", FieldClass::kMac, 0},   {"tpa", FieldClass::kIp, 0},  {"src", FieldClass::kMac, 0},
    {"dst", FieldClass::kMac, 0},
};

bool is_mac_symbol(std::string_view s) {
  return s == "iut.mac" || s == "tester.mac" || s == "other.mac" || s == "broadcast" ||
         s == "zero";
}
bool is_ip_symbol(std::string_view s) {
  return s == "iut.ip" || s == "tester.ip" || s == "other.ip" || s == "broadcast" ||
         s == "zero";
}

// Collects errors for one file.
class Parser {
 public:
  Parser(std::string_view text, const std::string& path) : text_(text), path_(path) {}
  ParseOutcome run();

  void error(int line, int column, std::string message) {
    if (errors_.size() < 50) errors_.push_back({path_, line, column, std::move(message)});
  }

 private:
  void parse_line(int line, std::string_view raw);
  void parse_header(int line, const std::vector<Token>& t, std::string_view raw);
  void parse_event(int line, const std::vector<Token>& t, std::string_view raw);
  void parse_alternative(int line, const std::vector<Token>& t, std::string_view raw);
  bool parse_fields(int line, const std::vector<Token>& t, size_t from, size_t to,
                    std::vector<Field>* out);
  std::optional<Value> parse_value(int line, int column, const FieldSpec& spec,
                                   std::string_view text);
  void finish();

  std::string_view text_;
  std::string path_;
  TestCase test_;
  std::vector<ParseError> errors_;
  bool have_name_ = false;
  bool expected_packet_ = false;  // an earlier event expects a packet (`iut+D` needs one)
  bool have_wire_ = false, have_tier_ = false, have_kind_ = false, have_isn_ = false;
  // Fields are classified against the wire once the whole file is read.
  std::vector<std::pair<int, size_t>> pending_events_;  // (line, index in events)
  std::vector<std::pair<int, size_t>> pending_allows_;
  std::vector<std::pair<int, size_t>> pending_alternatives_;
};

ParseOutcome Parser::run() {
  test_.path = path_;
  if (text_.size() > (size_t{16} << 20)) {
    error(0, 0, "file larger than 16 MiB; not a test");
    return {std::nullopt, errors_};
  }
  int line = 0;
  size_t pos = 0;
  while (pos <= text_.size()) {
    size_t nl = text_.find('\n', pos);
    if (nl == std::string_view::npos) nl = text_.size();
    ++line;
    parse_line(line, text_.substr(pos, nl - pos));
    pos = nl + 1;
  }
  finish();
  if (!errors_.empty()) return {std::nullopt, errors_};
  return {std::move(test_), {}};
}

void Parser::parse_line(int line, std::string_view raw) {
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char u = static_cast<unsigned char>(raw[i]);
    if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7f) {
      error(line, static_cast<int>(i) + 1, "control character in line");
      return;
    }
  }
  std::vector<Token> t;
  std::string err;
  int col = 0;
  if (!tokenize_line(raw, &t, &err, &col)) {
    error(line, col, err);
    return;
  }
  if (t.empty()) return;
  if (!t[0].quoted && !t[0].text.empty() &&
      (t[0].text[0] == '+' || t[0].text[0] == '@' || t[0].text.starts_with(kIutAnchor))) {
    parse_event(line, t, raw);
  } else {
    parse_header(line, t, raw);
  }
}

// The rest of the line after token `i`, trimmed, without a trailing comment: used for
// `note` where the text is free.
std::string rest_of_line(std::string_view raw, const std::vector<Token>& t, size_t i) {
  if (i >= t.size()) return "";
  size_t from = static_cast<size_t>(t[i].column - 1);
  return std::string(raw.substr(from, t.back().end - from));
}

// The trailing `# comment` of a line, without `#` and the blanks around it; "" if none.
std::string trailing_comment(std::string_view raw, const std::vector<Token>& t) {
  size_t hash = raw.find('#', t.back().end);
  if (hash == std::string_view::npos) return "";
  std::string_view c = raw.substr(hash + 1);
  while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) c.remove_prefix(1);
  while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) c.remove_suffix(1);
  return std::string(c);
}

void Parser::parse_header(int line, const std::vector<Token>& t, std::string_view raw) {
  const std::string& d = t[0].text;
  auto need = [&](size_t n, const char* what) {
    if (t.size() < 2) {
      error(line, t[0].column + static_cast<int>(d.size()), "`" + d + "` needs " + what);
      return false;
    }
    if (n == 1 && t.size() > 2) {
      error(line, t[2].column, "unexpected `" + t[2].text + "` after `" + d + " " + t[1].text + "`");
      return false;
    }
    return true;
  };
  if (d == "test") {
    if (!need(1, "a name")) return;
    if (have_name_) {
      error(line, t[0].column, "second `test` line; one test per file");
      return;
    }
    const std::string& n = t[1].text;
    bool ok = !n.empty() && n.size() <= 200;
    for (char c : n) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
    }
    if (!ok) {
      error(line, t[1].column, "test name `" + n + "` must match [A-Za-z0-9_.-]+");
      return;
    }
    test_.name = n;
    have_name_ = true;
  } else if (d == "covers") {
    if (!need(0, "at least one ROLE.TRANSITION")) return;
    for (size_t i = 1; i < t.size(); ++i) test_.covers.push_back(t[i].text);
  } else if (d == "cite") {
    if (!need(1, "a quoted text, e.g. \"RFC 9293 §3.10.7.4\"")) return;
    test_.cites.push_back(t[1].text);
  } else if (d == "note") {
    if (!need(0, "a text")) return;
    test_.notes.push_back(rest_of_line(raw, t, 1));
  } else if (d == "tier") {
    if (!need(1, "fast or slow")) return;
    if (have_tier_) error(line, t[0].column, "second `tier` line");
    if (t[1].text == "fast") {
      test_.tier = Tier::kFast;
    } else if (t[1].text == "slow") {
      test_.tier = Tier::kSlow;
    } else {
      error(line, t[1].column, "tier must be fast or slow, not `" + t[1].text + "`");
    }
    have_tier_ = true;
  } else if (d == "wire") {
    if (!need(1, "tcp or arp")) return;
    if (have_wire_) error(line, t[0].column, "second `wire` line");
    if (t[1].text == "tcp") {
      test_.wire = Wire::kTcp;
    } else if (t[1].text == "arp") {
      test_.wire = Wire::kArp;
    } else {
      error(line, t[1].column, "wire must be tcp or arp, not `" + t[1].text + "`");
    }
    have_wire_ = true;
  } else if (d == "kind") {
    if (!need(1, "positive or negative")) return;
    if (have_kind_) error(line, t[0].column, "second `kind` line");
    if (t[1].text == "positive" || t[1].text == "negative") {
      test_.negative = t[1].text == "negative";
    } else {
      error(line, t[1].column, "kind must be positive or negative, not `" + t[1].text + "`");
    }
    have_kind_ = true;
  } else if (d == "isn") {
    if (!need(1, "a number 0..4294967295")) return;
    if (have_isn_) error(line, t[0].column, "second `isn` line");
    int64_t n = 0;
    if (!parse_int(t[1].text, &n) || n < 0 || n > 0xffffffffLL) {
      error(line, t[1].column, "isn must be a number 0..4294967295, not `" + t[1].text + "`");
      return;
    }
    test_.tester_isn = static_cast<uint32_t>(n);
    have_isn_ = true;
  } else if (d == "sysctl") {
    if (!need(1, "NAME=VALUE")) return;
    const std::string& s = t[1].text;
    size_t eq = s.find('=');
    std::string name = s.substr(0, eq);
    bool ok = eq != std::string::npos && eq + 1 < s.size() && name.rfind("net.", 0) == 0 &&
              name.find("..") == std::string::npos && name.find('/') == std::string::npos;
    for (char c : name) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
    }
    if (!ok) {
      error(line, t[1].column,
            "sysctl must be NAME=VALUE with a NAME under net. (per network namespace), got `" +
                s + "`");
      return;
    }
    test_.sysctls.push_back({line, name, s.substr(eq + 1)});
  } else if (d == "allow") {
    Allow a;
    a.line = line;
    a.text = rest_of_line(raw, t, 0);
    size_t end = t.size();
    if (end > 1 && !t[end - 1].quoted && t[end - 1].text == "unprompted") {
      a.unprompted = true;
      --end;
    }
    if (end < 2) {
      error(line, t[0].column, "`allow` needs fields, e.g. allow flags=A ack=*");
      return;
    }
    if (!parse_fields(line, t, 1, end, &a.fields)) return;
    test_.allows.push_back(std::move(a));
    pending_allows_.push_back({line, test_.allows.size() - 1});
  } else if (d == "or") {
    parse_alternative(line, t, raw);
  } else if (d == "call" || d == "inject" || d == "expect" || d == "wait") {
    error(line, t[0].column, "event `" + d + "` needs a time first: `+0 " + d + " ...`");
  } else {
    error(line, t[0].column,
          "unknown directive `" + d +
              "` (expected test, covers, cite, tier, wire, kind, note, isn, sysctl, allow, or, or "
              "an event starting with +D, @T or iut+D)");
  }
}

// or STEP (FIELDS | none) [state STATE]: for the step above, from its call or inject.
void Parser::parse_alternative(int line, const std::vector<Token>& t, std::string_view raw) {
  size_t first = test_.events.size();
  while (first > 0 && test_.events[first - 1].type != Event::Type::kCall &&
         test_.events[first - 1].type != Event::Type::kInject) {
    --first;
  }
  if (first == 0) {
    error(line, t[0].column,
          "`or` gives another outcome of the step above it, and no `call` or `inject` comes before it");
    return;
  }
  Alternative a;
  a.line = line;
  a.text = rest_of_line(raw, t, 0);
  a.comment = trailing_comment(raw, t);
  a.first_event = first - 1;
  a.end_event = test_.events.size();
  if (t.size() < 3 || t[1].text.find('=') != std::string::npos || t[1].quoted) {
    error(line, t[0].column + 2,
          "expected `or ROLE.TRANSITION FIELDS [state STATE]` or `or ROLE.TRANSITION none [state STATE]`");
    return;
  }
  a.step = t[1].text;
  size_t end = t.size();
  if (end >= 4 && t[end - 2].text == "state") {
    std::optional<std::string> st = canonical_state(t[end - 1].text);
    if (!st) {
      error(line, t[end - 1].column, "unknown state `" + t[end - 1].text + "`");
      return;
    }
    a.state = *st;
    end -= 2;
  } else if (t[end - 1].text == "state") {
    error(line, t[end - 1].column, "`state` needs a state name, e.g. state ESTABLISHED");
    return;
  }
  if (end == 3 && t[2].text == "none") {
    a.silent = true;
  } else if (end < 3) {
    error(line, t[1].column, "`or " + a.step + "` needs the packet's fields, or none");
    return;
  } else if (!parse_fields(line, t, 2, end, &a.fields)) {
    return;
  }
  test_.alternatives.push_back(std::move(a));
  if (!test_.alternatives.back().silent) pending_alternatives_.push_back({line, test_.alternatives.size() - 1});
}

void Parser::parse_event(int line, const std::vector<Token>& t, std::string_view raw) {
  Event e;
  e.line = line;
  e.text = rest_of_line(raw, t, 0);
  e.comment = trailing_comment(raw, t);
  const std::string& ts = t[0].text;
  size_t prefix = 1;
  if (ts.starts_with(kIutAnchor)) {
    e.anchor = Event::Anchor::kIutPacket;
    prefix = kIutAnchor.size();
  } else if (ts[0] == '@') {
    e.anchor = Event::Anchor::kStart;
  }
  std::optional<double> secs = parse_seconds(std::string_view(ts).substr(prefix));
  if (!secs) {
    error(line, t[0].column,
          "bad time `" + ts + "`: expected +SECONDS, @SECONDS or iut+SECONDS, e.g. +0.5");
    return;
  }
  if (e.anchor == Event::Anchor::kIutPacket && !expected_packet_) {
    error(line, t[0].column,
          "`" + ts + "` counts from the packet an earlier `expect` matched, and no line before "
          "expects a packet");
    return;
  }
  e.time = *secs;
  if (t.size() < 2) {
    error(line, t[0].column + static_cast<int>(ts.size()),
          "expected call, inject, expect or wait after the time");
    return;
  }
  const std::string& kw = t[1].text;
  size_t end = t.size();
  // A trailing `timer NAME=DURATION` on expects and waits.
  if (end >= 3 && t[end - 2].text == "timer") {
    if (kw != "expect" && kw != "wait") {
      error(line, t[end - 2].column, "`timer NAME=DURATION` applies to `expect` and `wait` lines only");
      return;
    }
    const std::string& v = t[end - 1].text;
    size_t eq = v.find('=');
    std::optional<double> base = eq == std::string::npos ? std::nullopt : parse_duration(v.substr(eq + 1));
    if (eq == 0 || !base || *base <= 0) {
      error(line, t[end - 1].column,
            "bad `timer " + v + "`: expected NAME=DURATION with a unit, e.g. timer rtx=1s (ms, s, min)");
      return;
    }
    e.timer = v.substr(0, eq);
    e.timer_base = *base;
    end -= 2;
  } else if (t.back().text == "timer") {
    error(line, t.back().column, "`timer` needs NAME=DURATION, e.g. timer rtx=1s");
    return;
  }
  // A trailing `within W` on expects.
  auto take_within = [&]() -> bool {
    if (end >= 4 && t[end - 2].text == "within") {
      std::optional<double> w = parse_seconds(t[end - 1].text);
      if (!w) {
        error(line, t[end - 1].column, "bad tolerance `" + t[end - 1].text + "` after within");
        return false;
      }
      e.within = *w;
      end -= 2;
    } else if (end >= 3 && t[end - 1].text == "within") {
      error(line, t[end - 1].column, "`within` needs a number of seconds");
      return false;
    }
    return true;
  };
  if (kw == "call") {
    e.type = Event::Type::kCall;
    if (t.size() < 3) {
      error(line, t[1].column, "`call` needs a name: listen, connect, accept, send N, shutdown, "
                               "close, abort, resolve ADDR");
      return;
    }
    const std::string& c = t[2].text;
    // Trailing modifiers: `reuseaddr` (listen, connect) and `may-refuse` (any TCP call).
    size_t last = t.size();
    while (last > 3 && (t[last - 1].text == "may-refuse" || t[last - 1].text == "reuseaddr")) {
      const Token& m = t[last - 1];
      bool& flag = m.text == "may-refuse" ? e.call.may_refuse : e.call.reuseaddr;
      if (flag) {
        error(line, m.column, "`" + m.text + "` given twice");
        return;
      }
      if (m.text == "reuseaddr" && c != "listen" && c != "connect") {
        error(line, m.column, "`reuseaddr` applies to `call listen` and `call connect` only");
        return;
      }
      if (m.text == "may-refuse" && (c == "resolve" || c == "announce")) {
        error(line, m.column, "`may-refuse` applies to TCP calls only");
        return;
      }
      flag = true;
      --last;
    }
    size_t nargs = last - 3;
    auto no_args = [&](Call::Kind k) {
      e.call.kind = k;
      if (nargs != 0) {
        error(line, t[3].column, "`call " + c + "` takes no argument");
        return false;
      }
      return true;
    };
    if (c == "listen") {
      if (!no_args(Call::Kind::kListen)) return;
    } else if (c == "connect") {
      if (!no_args(Call::Kind::kConnect)) return;
    } else if (c == "accept") {
      if (!no_args(Call::Kind::kAccept)) return;
    } else if (c == "shutdown") {
      if (!no_args(Call::Kind::kShutdown)) return;
    } else if (c == "close") {
      if (!no_args(Call::Kind::kClose)) return;
    } else if (c == "abort") {
      if (!no_args(Call::Kind::kAbort)) return;
    } else if (c == "announce") {
      if (!no_args(Call::Kind::kAnnounce)) return;
    } else if (c == "send") {
      e.call.kind = Call::Kind::kSend;
      int64_t n = 0;
      if (nargs != 1 || !parse_int(t[3].text, &n) || n < 0 || n > 1000000) {
        error(line, nargs ? t[3].column : t[2].column,
              "`call send` needs one byte count 0..1000000, e.g. call send 100");
        return;
      }
      e.call.bytes = n;
    } else if (c == "resolve") {
      e.call.kind = Call::Kind::kResolve;
      if (nargs != 1 || !(is_ip_symbol(t[3].text) || packet::Ipv4Address::parse(t[3].text))) {
        error(line, nargs ? t[3].column : t[2].column,
              "`call resolve` needs one IPv4 address (other.ip, tester.ip or a literal)");
        return;
      }
      e.call.address = t[3].text;
    } else {
      error(line, t[2].column,
            "unknown call `" + c +
                "` (expected listen, connect, accept, send N, shutdown, close, abort, resolve "
                "ADDR, announce)");
      return;
    }
  } else if (kw == "inject") {
    e.type = Event::Type::kInject;
    if (!parse_fields(line, t, 2, t.size(), &e.fields)) return;
  } else if (kw == "wait") {
    e.type = Event::Type::kWait;
    std::optional<double> w = end == 3 ? parse_seconds(t[2].text) : std::nullopt;
    if (!w) {
      error(line, t.size() > 2 ? t[2].column : t[1].column, "`wait` needs one number of seconds");
      return;
    }
    e.wait = *w;
  } else if (kw == "expect") {
    if (!take_within()) return;
    if (end < 3) {
      error(line, t[1].column, "`expect` needs state NAME, none, cache ADDR ..., isn unpredictable, or fields");
      return;
    }
    const std::string& what = t[2].text;
    if (what == "state") {
      e.type = Event::Type::kExpectState;
      if (end != 4) {
        error(line, t[2].column, "expected `expect state NAME [within W]`");
        return;
      }
      std::optional<std::string> s = canonical_state(t[3].text);
      if (!s) {
        error(line, t[3].column,
              "unknown state `" + t[3].text +
                  "` (CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, "
                  "CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT)");
        return;
      }
      e.state = *s;
    } else if (what == "isn") {
      e.type = Event::Type::kExpectIsn;
      if (end != 4 || t[3].text != "unpredictable" || e.within) {
        error(line, t[2].column, "expected `expect isn unpredictable`");
        return;
      }
    } else if (what == "none") {
      e.type = Event::Type::kExpectNone;
      if (end != 3) {
        error(line, t[3].column, "expected `expect none [within W]`");
        return;
      }
    } else if (what == "cache") {
      e.type = Event::Type::kExpectCache;
      // cache ADDR = ADDR | cache ADDR=ADDR | cache ADDR absent
      std::vector<std::string> parts;
      for (size_t i = 3; i < end; ++i) parts.push_back(t[i].text);
      if (parts.size() == 1 && parts[0].find('=') != std::string::npos) {
        std::string p = parts[0];
        size_t eq = p.find('=');
        parts = {p.substr(0, eq), "=", p.substr(eq + 1)};
      }
      bool ok = false;
      if (parts.size() == 2 && parts[1] == "absent") {
        ok = true;
      } else if (parts.size() == 3 && parts[1] == "=") {
        ok = is_mac_symbol(parts[2]) || packet::MacAddress::parse(parts[2]).has_value();
        if (ok) e.cache_value = parts[2];
      }
      if (!ok || !(is_ip_symbol(parts[0]) || packet::Ipv4Address::parse(parts[0]))) {
        error(line, t[2].column,
              "expected `expect cache IPADDR = MACADDR` or `expect cache IPADDR absent`");
        return;
      }
      e.cache_address = parts[0];
    } else {
      e.type = Event::Type::kExpectPacket;
      if (!parse_fields(line, t, 2, end, &e.fields)) return;
    }
  } else {
    error(line, t[1].column,
          "unknown event `" + kw + "` (expected call, inject, expect or wait)");
    return;
  }
  if (e.type == Event::Type::kExpectPacket) expected_packet_ = true;
  test_.events.push_back(std::move(e));
  if (test_.events.back().type == Event::Type::kInject ||
      test_.events.back().type == Event::Type::kExpectPacket) {
    pending_events_.push_back({line, test_.events.size() - 1});
  }
}

bool Parser::parse_fields(int line, const std::vector<Token>& t, size_t from, size_t to,
                          std::vector<Field>* out) {
  bool ok = true;
  std::set<std::string> seen;
  for (size_t i = from; i < to; ++i) {
    const std::string& s = t[i].text;
    size_t eq = s.find('=');
    if (t[i].quoted || eq == std::string::npos || eq == 0 || eq + 1 == s.size()) {
      error(line, t[i].column, "expected FIELD=VALUE, got `" + s + "`");
      ok = false;
      continue;
    }
    Field f;
    f.name = s.substr(0, eq);
    f.text = s;
    f.value.text = s.substr(eq + 1);  // classified once the wire is known
    if (!seen.insert(f.name).second) {
      error(line, t[i].column, "field `" + f.name + "` given twice");
      ok = false;
      continue;
    }
    f.value.low = t[i].column + static_cast<int64_t>(eq) + 1;  // column of the value, for now
    out->push_back(std::move(f));
  }
  return ok;
}

std::optional<Value> Parser::parse_value(int line, int column, const FieldSpec& spec,
                                         std::string_view text) {
  Value v;
  v.text = std::string(text);
  auto fail = [&](const std::string& what) -> std::optional<Value> {
    error(line, column, std::string(spec.name) + "=" + std::string(text) + ": " + what);
    return std::nullopt;
  };
  if (text == "*") {
    v.kind = Value::Kind::kAny;
    return v;
  }
  switch (spec.cls) {
    case FieldClass::kFlags: {
      v.kind = Value::Kind::kNumber;
      if (text == ".") return v;
      for (char c : text) {
        uint16_t bit = 0;
        switch (c) {
          case 'S': bit = packet::kTcpSyn; break;
          case 'A': bit = packet::kTcpAck; break;
          case 'F': bit = packet::kTcpFin; break;
          case 'R': bit = packet::kTcpRst; break;
          case 'P': bit = packet::kTcpPsh; break;
          case 'U': bit = packet::kTcpUrg; break;
          case 'E': bit = packet::kTcpEce; break;
          case 'W': bit = packet::kTcpCwr; break;
          default: return fail("flags are letters from S A F R P U E W (or `.` for none)");
        }
        if (v.low & bit) return fail(std::string("flag ") + c + " given twice");
        v.low |= bit;
      }
      return v;
    }
    case FieldClass::kOp:
      if (text == "request") {
        v.kind = Value::Kind::kNumber;
        v.low = 1;
        return v;
      }
      if (text == "reply") {
        v.kind = Value::Kind::kNumber;
        v.low = 2;
        return v;
      }
      break;
    case FieldClass::kMac:
      if (is_mac_symbol(text) || packet::MacAddress::parse(text)) {
        v.kind = Value::Kind::kAddress;
        return v;
      }
      return fail("expected a MAC address (iut.mac, tester.mac, other.mac, broadcast, zero, or "
                  "02:00:00:00:00:09)");
    case FieldClass::kIp:
      if (is_ip_symbol(text) || packet::Ipv4Address::parse(text)) {
        v.kind = Value::Kind::kAddress;
        return v;
      }
      return fail("expected an IPv4 address (iut.ip, tester.ip, other.ip, zero, or 192.0.2.9)");
    default:
      break;
  }
  if (text == "none") {
    if (spec.cls == FieldClass::kOption || spec.cls == FieldClass::kSackOk ||
        spec.cls == FieldClass::kTs) {
      v.kind = Value::Kind::kNone;
      return v;
    }
    return fail("`none` is only for options (mss, wscale, sackok, ts)");
  }
  if (!text.empty() && text[0] == '#') {
    if (spec.cls != FieldClass::kSeq) return fail("`#` (absolute) is only for seq and ack");
    int64_t n = 0;
    if (!parse_int(text.substr(1), &n) || n < 0 || n > 0xffffffffLL) {
      return fail("expected #N with 0 <= N <= 4294967295");
    }
    v.kind = Value::Kind::kAbsolute;
    v.low = n;
    return v;
  }
  bool signed_ok = spec.cls == FieldClass::kSeq;
  int64_t max = spec.cls == FieldClass::kSeq ? 0xffffffffLL : spec.max;
  int64_t min = signed_ok ? -0xffffffffLL : 0;
  if (!text.empty() && text[0] == '[') {
    size_t dots = text.find("..");
    if (text.back() != ']' || dots == std::string_view::npos) {
      return fail("expected a range [LOW..HIGH]");
    }
    int64_t lo = 0, hi = 0;
    if (!parse_int(text.substr(1, dots - 1), &lo) ||
        !parse_int(text.substr(dots + 2, text.size() - dots - 3), &hi)) {
      return fail("expected a range of integers [LOW..HIGH]");
    }
    if (lo > hi) return fail("empty range: LOW > HIGH");
    if (lo < min || hi > max) return fail("range outside " + std::to_string(min) + ".." + std::to_string(max));
    v.kind = Value::Kind::kRange;
    v.low = lo;
    v.high = hi;
    return v;
  }
  int64_t n = 0;
  if (!parse_int(text, &n)) {
    if (spec.cls == FieldClass::kOp) return fail("expected request, reply, a number or *");
    return fail("expected a number, *, [LOW..HIGH]" +
                std::string(signed_ok ? ", #ABSOLUTE" : "") +
                (spec.cls == FieldClass::kOption ? " or none" : ""));
  }
  if (n < min || n > max) {
    return fail("out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  if (spec.cls == FieldClass::kSackOk && n == 0) {
    v.kind = Value::Kind::kNone;
    return v;
  }
  v.kind = Value::Kind::kNumber;
  v.low = n;
  return v;
}

void Parser::finish() {
  if (!have_name_) error(1, 0, "missing `test NAME` line");
  std::span<const FieldSpec> specs = test_.wire == Wire::kTcp ? std::span<const FieldSpec>(kTcpFields)
                                                              : std::span<const FieldSpec>(kArpFields);
  auto classify = [&](int line, std::vector<Field>& fields) {
    for (Field& f : fields) {
      int column = static_cast<int>(f.value.low);
      const FieldSpec* spec = nullptr;
      for (const FieldSpec& s : specs) {
        if (f.name == s.name) spec = &s;
      }
      if (!spec) {
        std::string names;
        for (const FieldSpec& s : specs) names += std::string(names.empty() ? "" : " ") + s.name;
        error(line, column - static_cast<int>(f.name.size()) - 1,
              "unknown field `" + f.name + "` for wire " +
                  (test_.wire == Wire::kTcp ? "tcp" : "arp") + " (fields: " + names + ")");
        continue;
      }
      std::string text = f.value.text;
      if (spec->cls == FieldClass::kTs && text != "*" && text != "none") {
        size_t colon = text.find(':');
        if (colon == std::string::npos) {
          error(line, column, "ts=" + text + ": expected ts=VAL:ECR, ts=* or ts=none");
          continue;
        }
        FieldSpec part{"ts", FieldClass::kSeq, 0};
        std::optional<Value> a = parse_value(line, column, part, text.substr(0, colon));
        std::optional<Value> b = parse_value(line, column, part, text.substr(colon + 1));
        if (!a || !b) continue;
        f.value = *a;
        f.second = *b;
        continue;
      }
      std::optional<Value> v = parse_value(line, column, *spec, text);
      if (v) f.value = *v;
    }
  };
  for (auto [line, idx] : pending_events_) {
    Event& e = test_.events[idx];
    classify(line, e.fields);
    if (test_.wire == Wire::kTcp && e.type == Event::Type::kExpectPacket) {
      bool has_flags = false;
      for (const Field& f : e.fields) has_flags = has_flags || f.name == "flags";
      if (!has_flags) error(line, 0, "an expected TCP packet must give flags= (flags=* for any)");
    }
    if (e.type == Event::Type::kInject) {
      for (const Field& f : e.fields) {
        if (f.value.kind == Value::Kind::kRange) {
          error(line, 0, "inject " + f.text + ": a range cannot be sent; give one value");
        }
        if (test_.wire == Wire::kArp && f.value.kind == Value::Kind::kAny) {
          error(line, 0, "inject " + f.text + ": `*` cannot be sent; give a value or leave the field out");
        }
      }
    }
  }
  for (auto [line, idx] : pending_allows_) classify(line, test_.allows[idx].fields);
  for (auto [line, idx] : pending_alternatives_) classify(line, test_.alternatives[idx].fields);
  for (const Alternative& a : test_.alternatives) {
    if (test_.wire == Wire::kArp && !a.state.empty()) {
      error(a.line, 0, "wire arp: an `or` line cannot name a TCP state");
    }
  }
  for (const Event& e : test_.events) {
    if (test_.wire == Wire::kArp &&
        (e.type == Event::Type::kExpectState || e.type == Event::Type::kExpectIsn ||
         (e.type == Event::Type::kCall && e.call.kind != Call::Kind::kResolve &&
          e.call.kind != Call::Kind::kAnnounce))) {
      error(e.line, 0,
            "wire arp: only `call resolve`, `call announce`, ARP packets and `expect cache` apply");
    }
    if (test_.wire == Wire::kTcp &&
        (e.type == Event::Type::kExpectCache ||
         (e.type == Event::Type::kCall &&
          (e.call.kind == Call::Kind::kResolve || e.call.kind == Call::Kind::kAnnounce)))) {
      error(e.line, 0, "wire tcp: `resolve`, `announce` and `expect cache` need wire arp");
    }
  }
}

}  // namespace

ParseOutcome parse_test(std::string_view text, const std::string& path) {
  Parser p(text, path);
  return p.run();
}

ParseOutcome read_test_file(const std::string& path) {
  std::string text, error;
  if (!read_file_bounded(path, &text, &error)) return {std::nullopt, {{path, 0, 0, "cannot read: " + error}}};
  return parse_test(text, path);
}

}  // namespace sp::harness
