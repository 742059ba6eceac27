#include "harness/profile/profile.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness/suite/lex.hpp"
#include "util/read_file.hpp"

namespace sp::harness {
namespace {

// The failure kinds an entry may describe (Failure::kind). setup and harness failures
// are the harness's own (error verdicts), never a target's departure.
const char* const kKinds[] = {"packet", "timeout", "timing",    "unexpected", "state",
                              "cache",  "call",    "malformed", "checksum",   "isn"};

// Field names of the diffs the executor writes (executor.cpp, match/).
bool known_field(const std::string& f) {
  static const char* const kFields[] = {
      "flags", "seq", "ack", "win", "len", "mss", "wscale", "sackok", "ts", "sport", "dport", "urg",
      "op", "sha", "spa", "tha", "tpa", "src", "dst",                 // ARP and Ethernet
      "packet", "arrival", "state", "call", "protocol", "decode", "checksum", "isn"};
  if (f.rfind("cache ", 0) == 0 && f.size() > 6) return true;  // "cache ADDR"
  return std::find_if(std::begin(kFields), std::end(kFields), [&](const char* k) { return f == k; }) !=
         std::end(kFields);
}

bool known_kind(const std::string& k) {
  return std::find_if(std::begin(kKinds), std::end(kKinds), [&](const char* x) { return k == x; }) !=
         std::end(kKinds);
}

// "RFC 9293 §3.10.7.4"; an RFC without numbered sections names its part in parentheses:
// "RFC 826 (Packet Reception)".
bool valid_cite(const std::string& c) {
  static const std::regex kCite(R"(RFC [1-9][0-9]* (§[0-9]+(\.[0-9]+)*|\([A-Za-z][A-Za-z ,'-]*\)))");
  return std::regex_match(c, kCite);
}

bool valid_step(const std::string& s) {
  static const std::regex kStep(R"([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)");
  return std::regex_match(s, kStep);
}

class ProfileParser {
 public:
  ProfileParser(std::string_view text, const std::string& path, std::vector<ParseError>* errors)
      : text_(text), path_(path), errors_(errors) {}

  std::optional<Profile> run() {
    profile_.path = path_;
    int line = 0;
    size_t pos = 0;
    while (pos <= text_.size()) {
      size_t nl = text_.find('\n', pos);
      if (nl == std::string_view::npos) nl = text_.size();
      ++line;
      parse_line(line, text_.substr(pos, nl - pos));
      pos = nl + 1;
    }
    close_deviation();
    if (failed_) return std::nullopt;
    return std::move(profile_);
  }

 private:
  void error(int line, int column, std::string message) {
    failed_ = true;
    errors_->push_back({path_, line, column, std::move(message)});
  }

  void close_deviation() {
    if (!current_) return;
    Deviation& d = *current_;
    const std::string what = d.parameter ? "parameter " : "deviation ";
    auto missing = [&](bool absent, const char* line) {
      if (absent) error(d.source_line, 0, what + d.name + " has no `" + line + "` line");
    };
    missing(d.at.empty(), "at");
    missing(d.cites.empty(), "cite");
    missing(d.rfc.empty(), "rfc");
    missing(d.reason.empty(), "reason");
    if (d.parameter) {
      missing(!d.timer, "timer");
    } else {
      missing(d.matches.empty(), "match");
    }
    for (const Deviation& other : profile_.deviations) {
      if (other.name == d.name) error(d.source_line, 0, "entry " + d.name + " is defined twice");
    }
    profile_.deviations.push_back(std::move(d));
    current_.reset();
  }

  void parse_line(int line, std::string_view raw) {
    std::vector<Token> t;
    std::string err;
    int col = 0;
    if (!tokenize_line(raw, &t, &err, &col)) {
      error(line, col, err);
      return;
    }
    if (t.empty()) return;
    const std::string& d = t[0].text;
    auto args = [&](size_t min) {
      if (t.size() < min + 1) {
        error(line, t[0].column, "`" + d + "` needs " + std::to_string(min) + " argument(s)");
        return false;
      }
      return true;
    };
    if (d == "profile") {
      if (args(1)) profile_.name = t[1].text;
    } else if (d == "targets") {
      if (args(1)) {
        for (size_t i = 1; i < t.size(); ++i) profile_.targets.push_back(t[i].text);
      }
    } else if (d == "sysctl") {
      if (!args(1)) return;
      size_t eq = t[1].text.find('=');
      std::string name = t[1].text.substr(0, eq);
      if (current_ || eq == std::string::npos || name.rfind("net.", 0) != 0) {
        error(line, t[1].column,
              current_ ? "sysctl lines come before the first deviation"
                       : "sysctl must be NAME=VALUE with NAME under net.");
        return;
      }
      profile_.sysctls.push_back({name, t[1].text.substr(eq + 1), line});
    } else if (d == "deviation" || d == "parameter") {
      close_deviation();
      if (!args(1)) return;
      current_ = Deviation{};
      current_->name = t[1].text;
      current_->parameter = d == "parameter";
      current_->source_line = line;
    } else if (d == "at" || d == "later" || d == "tests" || d == "cite" || d == "rfc" || d == "reason" ||
               d == "match" || d == "timer") {
      if (!current_) {
        error(line, t[0].column,
              "`" + d + "` outside an entry (start one with `deviation NAME` or `parameter NAME`)");
        return;
      }
      if (!args(1)) return;
      if (d == "match" && current_->parameter) {
        error(line, t[0].column,
              "a parameter entry rescales timers and excuses no failure: `match` belongs in a "
              "`deviation` entry");
        return;
      }
      if (d == "timer" && !current_->parameter) {
        error(line, t[0].column,
              "`timer` belongs in a `parameter` entry (a deviation describes failures with `match`)");
        return;
      }
      if (d == "timer") {
        const std::string& v = t[1].text;
        size_t eq = v.find('=');
        std::optional<double> secs = eq == std::string::npos ? std::nullopt : parse_duration(v.substr(eq + 1));
        if (t.size() != 2 || eq == 0 || !secs || *secs <= 0) {
          error(line, t[1].column,
                "expected `timer NAME=DURATION` with a unit, e.g. timer rtx=3s (ms, s, min)");
          return;
        }
        if (current_->timer) {
          error(line, t[0].column, "parameter " + current_->name + " has two `timer` lines");
          return;
        }
        current_->timer = TimerValue{v.substr(0, eq), *secs};
      } else if (d == "at" || d == "later") {
        for (size_t i = 1; i < t.size(); ++i) {
          if (!valid_step(t[i].text)) {
            error(line, t[i].column,
                  "`" + d + "` takes Role.transition names (Endpoint.rcv_fin), got `" + t[i].text + "`");
          }
          (d == "at" ? current_->at : current_->later).push_back(t[i].text);
        }
      } else if (d == "tests") {
        for (size_t i = 1; i < t.size(); ++i) current_->tests.push_back(t[i].text);
      } else if (d == "cite") {
        if (!valid_cite(t[1].text)) {
          error(line, t[1].column,
                "cite `" + t[1].text +
                    "` names no section: write \"RFC 9293 §3.10.7.4\" (or, for an RFC without "
                    "numbered sections, its part: \"RFC 826 (Packet Reception)\")");
        }
        current_->cites.push_back(t[1].text);
      } else if (d == "rfc" || d == "reason") {
        std::string& s = d == "rfc" ? current_->rfc : current_->reason;
        for (size_t i = 1; i < t.size(); ++i) s += (s.empty() ? "" : " ") + t[i].text;
      } else {
        parse_match(line, t);
      }
    } else {
      error(line, t[0].column,
            "unknown directive `" + d +
                "` (expected profile, targets, sysctl, deviation, parameter, at, later, tests, cite, rfc, "
                "reason, match, timer)");
    }
  }

  // match kind=K field=F expected=E actual=A [field=... expected=... actual=...]
  //       [observed=O] [event=V] [stimulus=S] [state=STATE] [line=N]
  // timeout and unexpected failures have one field, `packet`: for them `field=packet`
  // may be left out, with actual=nothing (timeout) or expected="no packet" (unexpected).
  void parse_match(int line, const std::vector<Token>& t) {
    DeviationMatch m;
    m.source_line = line;
    FieldPattern* cur = nullptr;
    std::vector<int> columns;  // of each field pattern, for errors
    for (size_t i = 1; i < t.size(); ++i) {
      const std::string& s = t[i].text;
      size_t eq = s.find('=');
      std::string key = s.substr(0, eq);
      std::string value = eq == std::string::npos ? "" : s.substr(eq + 1);
      if (eq == std::string::npos || value.empty()) {
        error(line, t[i].column, "expected KEY=PATTERN, got `" + s + "`");
        continue;
      }
      if (key == "kind") {
        if (!known_kind(value)) {
          error(line, t[i].column,
                "kind=" + value +
                    ": expected one of packet, timeout, timing, unexpected, state, cache, call, "
                    "malformed, checksum, isn (exactly; no pattern)");
        }
        m.kind = value;
      } else if (key == "field") {
        if (!known_field(value)) {
          error(line, t[i].column, "field=" + value + ": no failure has this field (flags, seq, ack, win, "
                                   "len, mss, ..., packet, arrival, state, call, cache ADDR)");
        }
        m.fields.push_back({value, "", ""});
        columns.push_back(t[i].column);
        cur = &m.fields.back();
      } else if (key == "expected" || key == "actual") {
        if (value == "*") {
          error(line, t[i].column,
                key + "=*: describe the value (a bare `*` would excuse any " + key + " value)");
        }
        if (!cur) {
          if (m.kind != "timeout" && m.kind != "unexpected") {
            error(line, t[i].column, key + "= must follow the field= it describes (kind= first)");
            continue;
          }
          m.fields.push_back({"packet", "", ""});
          columns.push_back(t[i].column);
          cur = &m.fields.back();
        }
        std::string& slot = key == "expected" ? cur->expected : cur->actual;
        if (!slot.empty()) error(line, t[i].column, "field " + cur->field + " has two " + key + "= values");
        slot = value;
      } else if (key == "observed") {
        m.observed = value;
      } else if (key == "event") {
        m.event = value;
      } else if (key == "stimulus") {
        m.stimulus = value;
      } else if (key == "state") {
        m.state = value;
      } else if (key == "line") {
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), m.line);
        if (ec != std::errc() || p != value.data() + value.size() || m.line <= 0) {
          error(line, t[i].column, "line=" + value + ": expected a line number");
        }
      } else {
        error(line, t[i].column,
              "unknown match key `" + key + "` (kind, field, expected, actual, observed, event, stimulus, state, line)");
      }
    }
    if (m.kind.empty()) error(line, t[0].column, "a match must give kind=");
    if (m.fields.empty()) {
      error(line, t[0].column,
            "a match must describe the failure's differing fields: field=F expected=E actual=A (a "
            "profile entry never excuses every failure of a test)");
    }
    for (size_t i = 0; i < m.fields.size(); ++i) {
      FieldPattern& f = m.fields[i];
      if (m.kind == "timeout" && f.field == "packet" && f.actual.empty()) f.actual = "nothing";
      if (m.kind == "unexpected" && f.field == "packet" && f.expected.empty()) f.expected = "no packet";
      if (f.expected.empty() || f.actual.empty()) {
        error(line, columns[i], "field=" + f.field + " needs both expected= and actual=");
      }
    }
    current_->matches.push_back(std::move(m));
  }

  std::string_view text_;
  std::string path_;
  std::vector<ParseError>* errors_;
  Profile profile_;
  std::optional<Deviation> current_;
  bool failed_ = false;
};

bool glob(const std::string& pattern, const std::string& text) {
  return pattern.empty() || fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool describes(const FieldPattern& p, const FieldDiff& d) {
  return p.field == d.field && glob(p.expected, d.expected) && glob(p.actual, d.actual);
}

// Exact: the same kind, and the differing fields are exactly the ones described.
bool matches_failure(const DeviationMatch& m, const Failure& f) {
  if (m.kind != f.kind) return false;
  if (m.line != 0 && m.line != f.line) return false;
  if (!glob(m.observed, f.observed)) return false;
  if (!glob(m.event, f.event)) return false;
  if (!glob(m.stimulus, f.stimulus)) return false;
  if (!m.state.empty() && m.state != f.state) return false;
  size_t differing = 0;
  for (const FieldDiff& d : f.fields) {
    if (d.ok) continue;
    ++differing;
    if (std::none_of(m.fields.begin(), m.fields.end(), [&](const FieldPattern& p) { return describes(p, d); })) {
      return false;
    }
  }
  if (differing == 0) return false;
  return std::all_of(m.fields.begin(), m.fields.end(), [&](const FieldPattern& p) {
    return std::any_of(f.fields.begin(), f.fields.end(),
                       [&](const FieldDiff& d) { return !d.ok && describes(p, d); });
  });
}

std::string describe(const DeviationMatch& m) {
  std::string s = "kind=" + m.kind;
  if (m.line) s += " line=" + std::to_string(m.line);
  for (const FieldPattern& p : m.fields) {
    s += " field=" + p.field + " expected=\"" + p.expected + "\" actual=\"" + p.actual + "\"";
  }
  if (!m.observed.empty()) s += " observed=\"" + m.observed + "\"";
  if (!m.event.empty()) s += " event=\"" + m.event + "\"";
  if (!m.stimulus.empty()) s += " stimulus=\"" + m.stimulus + "\"";
  if (!m.state.empty()) s += " state=" + m.state;
  return s;
}

bool named_by_tests(const Deviation& d, const std::string& name) {
  return d.tests.empty() ||
         std::any_of(d.tests.begin(), d.tests.end(), [&](const std::string& g) { return glob(g, name); });
}

bool at_step(const Deviation& d, const std::string& step) {
  return std::find(d.at.begin(), d.at.end(), step) != d.at.end() ||
         std::find(d.later.begin(), d.later.end(), step) != d.later.end();
}

}  // namespace

std::optional<Profile> parse_profile(std::string_view text, const std::string& path,
                                     std::vector<ParseError>* errors) {
  ProfileParser p(text, path, errors);
  return p.run();
}

std::optional<Profile> read_profile(const std::string& path, std::vector<ParseError>* errors) {
  std::string text, error;
  if (!read_file_bounded(path, &text, &error)) {
    errors->push_back({path, 0, 0, "cannot read: " + error});
    return std::nullopt;
  }
  return parse_profile(text, path, errors);
}

void check_profile_steps(const Profile& profile, const TransitionsByRole& roles, std::vector<ParseError>* errors) {
  for (const Deviation& d : profile.deviations) {
    std::vector<std::string> steps = d.at;
    steps.insert(steps.end(), d.later.begin(), d.later.end());
    for (const std::string& step : steps) {
      size_t dot = step.find('.');
      auto role = roles.find(step.substr(0, dot));
      if (role == roles.end() || role->second.count(step.substr(dot + 1))) continue;
      std::string known;
      for (const std::string& t : role->second) known += (known.empty() ? "" : ", ") + t;
      errors->push_back({profile.path, d.source_line, 0,
                         (d.parameter ? "parameter " : "deviation ") + d.name + " names " + step + ", which is not a transition of role " +
                             role->first + " (its transitions: " + known + ")"});
    }
  }
}

bool deviation_applies(const Deviation& d, const std::string& test_name, const std::set<std::string>& steps) {
  return named_by_tests(d, test_name) &&
         std::any_of(d.at.begin(), d.at.end(), [&](const std::string& s) { return steps.count(s) > 0; });
}

bool deviation_applies(const Deviation& d, const TestCase& test) {
  return deviation_applies(d, test.name, steps_of(test));
}

std::optional<size_t> apply_profile(const Profile& profile, TestResult* result) {
  if (result->verdict != Verdict::kFail || !result->failure) return std::nullopt;
  const Failure& failure = *result->failure;
  std::string near_misses;
  for (size_t i = 0; i < profile.deviations.size(); ++i) {
    const Deviation& d = profile.deviations[i];
    if (d.parameter || !at_step(d, failure.step) || !named_by_tests(d, result->name)) continue;
    for (const DeviationMatch& m : d.matches) {
      if (matches_failure(m, failure)) {
        result->verdict = Verdict::kExpectedDeviation;
        result->deviation = d.name;
        std::string cites;
        for (const std::string& c : d.cites) cites += (cites.empty() ? "" : ", ") + c;
        result->deviation_text = cites + ": \"" + d.rfc + "\" — " + d.reason;
        return i;
      }
    }
    near_misses += std::string(near_misses.empty() ? "" : "\n") + "profile entry `" + d.name + "` (" +
                   profile.path + ":" + std::to_string(d.source_line) + ") applies at " + failure.step +
                   " but describes another failure (";
    for (size_t k = 0; k < d.matches.size(); ++k) near_misses += (k ? "; " : "") + describe(d.matches[k]);
    near_misses += ")";
  }
  if (!near_misses.empty()) result->note += (result->note.empty() ? "" : "\n") + near_misses;
  return std::nullopt;
}

}  // namespace sp::harness
