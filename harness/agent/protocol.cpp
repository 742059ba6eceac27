#include "harness/agent/protocol.hpp"

#include <charconv>

namespace sp::harness::agent {
namespace {

struct VerbInfo {
  Command::Verb verb;
  const char* name;
};

constexpr VerbInfo kVerbs[] = {
    {Command::Verb::kListen, "listen"},       {Command::Verb::kConnect, "connect"},
    {Command::Verb::kAccept, "accept"},       {Command::Verb::kSend, "send"},
    {Command::Verb::kRecv, "recv"},           {Command::Verb::kShutdown, "shutdown"},
    {Command::Verb::kClose, "close"},         {Command::Verb::kAbort, "abort"},
    {Command::Verb::kState, "state"},         {Command::Verb::kResolve, "resolve"},
    {Command::Verb::kAnnounce, "announce"},   {Command::Verb::kNeighbour, "neighbour"},
    {Command::Verb::kSysctl, "sysctl"},       {Command::Verb::kSync, "sync"},       {Command::Verb::kReset, "reset"},
    {Command::Verb::kQuit, "quit"},
};

template <typename T>
bool parse_number(std::string_view text, T min, T max, T* out) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool printable(std::string_view line) {
  for (unsigned char c : line) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

bool is_harness_error_code(std::string_view code) {
  return code == kErrUsage || code == kErrUnsupported || code == kErrNoSocket || code == kErrExists;
}

const char* verb_name(Command::Verb verb) {
  for (const VerbInfo& v : kVerbs) {
    if (v.verb == verb) return v.name;
  }
  return "?";
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::optional<Command> parse_command(std::string_view line, std::string* error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLine) {
    *error = "line longer than " + std::to_string(kMaxLine) + " bytes";
    return std::nullopt;
  }
  if (!printable(line)) {
    *error = "control characters in the line";
    return std::nullopt;
  }
  std::vector<std::string_view> w = split_words(line);
  if (w.empty()) {
    *error = "empty line";
    return std::nullopt;
  }
  Command c;
  const VerbInfo* info = nullptr;
  for (const VerbInfo& v : kVerbs) {
    if (w[0] == v.name) info = &v;
  }
  if (!info) {
    *error = "unknown command `" + std::string(w[0]) + "`";
    return std::nullopt;
  }
  c.verb = info->verb;
  const std::string verb = info->name;
  auto arity = [&](size_t lo, size_t hi, const char* usage) {
    if (w.size() - 1 >= lo && w.size() - 1 <= hi) return true;
    *error = "usage: " + std::string(usage);
    return false;
  };
  auto port = [&](std::string_view text, uint16_t* out) {
    if (parse_number<uint16_t>(text, 1, 65535, out)) return true;
    *error = verb + ": bad port `" + std::string(text) + "` (1..65535)";
    return false;
  };
  auto address = [&](std::string_view text) {
    std::optional<packet::Ipv4Address> a = packet::Ipv4Address::parse(text);
    if (a) c.address = *a;
    else *error = verb + ": bad IPv4 address `" + std::string(text) + "`";
    return a.has_value();
  };
  switch (c.verb) {
    case Command::Verb::kListen:
    case Command::Verb::kConnect: {
      // A trailing `reuseaddr` on either.
      if (w.size() > 1 && w.back() == "reuseaddr") {
        c.reuseaddr = true;
        w.pop_back();
      }
      if (c.verb == Command::Verb::kListen) {
        if (!arity(1, 1, "listen PORT [reuseaddr]") || !port(w[1], &c.port)) return std::nullopt;
        break;
      }
      if (!arity(2, 3, "connect ADDR PORT [LOCALPORT] [reuseaddr]") || !address(w[1]) || !port(w[2], &c.port)) {
        return std::nullopt;
      }
      if (w.size() == 4 && !port(w[3], &c.local_port)) return std::nullopt;
      break;
    }
    case Command::Verb::kSend:
      if (!arity(1, 1, "send N")) return std::nullopt;
      if (!parse_number<int64_t>(w[1], 0, 1 << 20, &c.bytes)) {
        *error = "send: bad byte count `" + std::string(w[1]) + "` (0..1048576)";
        return std::nullopt;
      }
      break;
    case Command::Verb::kState:
      if (!arity(0, 2, "state [ADDR PORT]")) return std::nullopt;
      if (w.size() == 2) {
        *error = "usage: state [ADDR PORT]";
        return std::nullopt;
      }
      if (w.size() == 3) {
        if (!address(w[1]) || !port(w[2], &c.port)) return std::nullopt;
        c.has_peer = true;
      }
      break;
    case Command::Verb::kResolve:
    case Command::Verb::kNeighbour:
      if (!arity(1, 1, c.verb == Command::Verb::kResolve ? "resolve ADDR" : "neighbour ADDR") ||
          !address(w[1])) {
        return std::nullopt;
      }
      break;
    case Command::Verb::kSync:
      if (!arity(1, 1, "sync N")) return std::nullopt;
      if (!parse_number<uint64_t>(w[1], 0, uint64_t{1} << 40, &c.frames)) {
        *error = "sync: bad frame count `" + std::string(w[1]) + "`";
        return std::nullopt;
      }
      break;
    case Command::Verb::kSysctl:
      if (!arity(2, 2, "sysctl NAME VALUE")) return std::nullopt;
      c.name = w[1];
      c.value = w[2];
      break;
    default:
      if (!arity(0, 0, info->name)) return std::nullopt;
  }
  return c;
}

std::string format_command(const Command& c) {
  std::string s = verb_name(c.verb);
  switch (c.verb) {
    case Command::Verb::kListen:
      s += " " + std::to_string(c.port);
      if (c.reuseaddr) s += " reuseaddr";
      break;
    case Command::Verb::kConnect:
      s += " " + c.address.to_string() + " " + std::to_string(c.port);
      if (c.local_port) s += " " + std::to_string(c.local_port);
      if (c.reuseaddr) s += " reuseaddr";
      break;
    case Command::Verb::kSend: s += " " + std::to_string(c.bytes); break;
    case Command::Verb::kState:
      if (c.has_peer) s += " " + c.address.to_string() + " " + std::to_string(c.port);
      break;
    case Command::Verb::kResolve:
    case Command::Verb::kNeighbour: s += " " + c.address.to_string(); break;
    case Command::Verb::kSysctl: s += " " + c.name + " " + c.value; break;
    case Command::Verb::kSync: s += " " + std::to_string(c.frames); break;
    default: break;
  }
  return s;
}

std::optional<Reply> parse_reply(std::string_view line, std::string* error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLine) {
    *error = "reply longer than " + std::to_string(kMaxLine) + " bytes";
    return std::nullopt;
  }
  if (!printable(line)) {
    *error = "control characters in the reply";
    return std::nullopt;
  }
  auto rest_after = [&](size_t n) {
    std::string_view r = line.substr(std::min(n, line.size()));
    while (!r.empty() && r.front() == ' ') r.remove_prefix(1);
    return std::string(r);
  };
  if (line == "ok" || line.starts_with("ok ")) return Reply{true, "", rest_after(2)};
  if (line.starts_with("err ")) {
    std::string tail = rest_after(4);
    size_t sp = tail.find(' ');
    std::string code = tail.substr(0, sp);
    bool good = !code.empty();
    for (char ch : code) good = good && ch >= 'a' && ch <= 'z';
    if (!good) {
      *error = "`err` without a lower-case error code";
      return std::nullopt;
    }
    return Reply{false, code, sp == std::string::npos ? "" : rest_after(4 + sp + 1)};
  }
  *error = "neither `ok` nor `err CODE`";
  return std::nullopt;
}

std::string format_reply(const Reply& r) {
  std::string s = r.ok ? "ok" : "err " + r.code;
  if (!r.text.empty()) s += " " + r.text;
  // A reply is one line: the text can never break the framing.
  for (char& ch : s) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  }
  if (s.size() > kMaxLine) s.resize(kMaxLine);
  return s;
}

Reply ok_reply(std::string text) { return Reply{true, "", std::move(text)}; }
Reply err_reply(std::string_view code, std::string text) { return Reply{false, std::string(code), std::move(text)}; }

std::optional<Command> command_for_call(const Call& call, const AddressBook& book, std::string* error) {
  Command c;
  switch (call.kind) {
    case Call::Kind::kListen:
      c.verb = Command::Verb::kListen;
      c.port = book.iut_port;
      c.reuseaddr = call.reuseaddr;
      return c;
    case Call::Kind::kConnect:
      c.verb = Command::Verb::kConnect;
      c.address = book.tester_ip;
      c.port = book.tester_port;
      c.local_port = book.iut_port;
      c.reuseaddr = call.reuseaddr;
      return c;
    case Call::Kind::kAccept: c.verb = Command::Verb::kAccept; return c;
    case Call::Kind::kSend:
      c.verb = Command::Verb::kSend;
      c.bytes = call.bytes;
      return c;
    case Call::Kind::kShutdown: c.verb = Command::Verb::kShutdown; return c;
    case Call::Kind::kClose: c.verb = Command::Verb::kClose; return c;
    case Call::Kind::kAbort: c.verb = Command::Verb::kAbort; return c;
    case Call::Kind::kResolve: {
      std::optional<packet::Ipv4Address> a = book.ip(call.address);
      if (!a) {
        *error = "resolve: bad address " + call.address;
        return std::nullopt;
      }
      c.verb = Command::Verb::kResolve;
      c.address = *a;
      return c;
    }
    case Call::Kind::kAnnounce: c.verb = Command::Verb::kAnnounce; return c;
  }
  *error = "unknown call";
  return std::nullopt;
}

}  // namespace sp::harness::agent
