#include "harness/profile/profile.hpp"

#include <fnmatch.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "harness/suite/lex.hpp"

namespace sp::harness {
namespace {

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
    auto missing = [&](bool absent, const char* what) {
      if (absent) error(d.source_line, 0, "deviation " + d.name + " has no `" + what + "` line");
    };
    missing(d.tests.empty(), "tests");
    missing(d.cites.empty(), "cite");
    missing(d.rfc.empty(), "rfc");
    missing(d.reason.empty(), "reason");
    missing(d.matches.empty(), "match");
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
      profile_.sysctls.emplace_back(name, t[1].text.substr(eq + 1));
    } else if (d == "deviation") {
      close_deviation();
      if (!args(1)) return;
      current_ = Deviation{};
      current_->name = t[1].text;
      current_->source_line = line;
    } else if (d == "tests" || d == "cite" || d == "rfc" || d == "reason" || d == "match") {
      if (!current_) {
        error(line, t[0].column, "`" + d + "` outside a deviation (start one with `deviation NAME`)");
        return;
      }
      if (!args(1)) return;
      if (d == "tests") {
        for (size_t i = 1; i < t.size(); ++i) current_->tests.push_back(t[i].text);
      } else if (d == "cite") {
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
                "` (expected profile, targets, sysctl, deviation, tests, cite, rfc, reason, match)");
    }
  }

  void parse_match(int line, const std::vector<Token>& t) {
    DeviationMatch m;
    m.source_line = line;
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
        m.kind = value;
      } else if (key == "field") {
        m.field = value;
      } else if (key == "expected") {
        m.expected = value;
      } else if (key == "actual") {
        m.actual = value;
      } else if (key == "observed") {
        m.observed = value;
      } else if (key == "event") {
        m.event = value;
      } else if (key == "line") {
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), m.line);
        if (ec != std::errc() || p != value.data() + value.size() || m.line <= 0) {
          error(line, t[i].column, "line=" + value + ": expected a line number");
        }
      } else {
        error(line, t[i].column,
              "unknown match key `" + key + "` (kind, field, expected, actual, observed, event, line)");
      }
    }
    if (m.kind.empty()) error(line, t[0].column, "a match must give kind=");
    if (m.field.empty() && m.expected.empty() && m.actual.empty() && m.observed.empty()) {
      error(line, t[0].column,
            "a match must describe the failure: field=, expected=, actual= or observed= (a "
            "profile entry never excuses every failure of a test)");
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

bool matches_failure(const DeviationMatch& m, const Failure& f) {
  if (!glob(m.kind, f.kind)) return false;
  if (m.line != 0 && m.line != f.line) return false;
  if (!glob(m.observed, f.observed)) return false;
  if (!glob(m.event, f.event)) return false;
  if (m.field.empty() && m.expected.empty() && m.actual.empty()) return true;
  // Some differing field must be the one described.
  for (const FieldDiff& d : f.fields) {
    if (d.ok) continue;
    if (glob(m.field, d.field) && glob(m.expected, d.expected) && glob(m.actual, d.actual)) return true;
  }
  return false;
}

std::string describe(const DeviationMatch& m) {
  std::string s = "kind=" + m.kind;
  if (m.line) s += " line=" + std::to_string(m.line);
  if (!m.field.empty()) s += " field=" + m.field;
  if (!m.expected.empty()) s += " expected=" + m.expected;
  if (!m.actual.empty()) s += " actual=" + m.actual;
  if (!m.observed.empty()) s += " observed=\"" + m.observed + "\"";
  if (!m.event.empty()) s += " event=\"" + m.event + "\"";
  return s;
}

}  // namespace

std::optional<Profile> parse_profile(std::string_view text, const std::string& path,
                                     std::vector<ParseError>* errors) {
  ProfileParser p(text, path, errors);
  return p.run();
}

std::optional<Profile> read_profile(const std::string& path, std::vector<ParseError>* errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors->push_back({path, 0, 0, std::string("cannot read: ") + std::strerror(errno)});
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_profile(buf.str(), path, errors);
}

void apply_profile(const Profile& profile, TestResult* result) {
  if (result->verdict != Verdict::kFail || !result->failure) return;
  std::string near_misses;
  for (const Deviation& d : profile.deviations) {
    bool named = false, specifically = false;
    for (const std::string& g : d.tests) {
      bool hit = glob(g, result->name);
      named = named || hit;
      specifically = specifically || (hit && g != "*");
    }
    if (!named) continue;
    for (const DeviationMatch& m : d.matches) {
      if (matches_failure(m, *result->failure)) {
        result->verdict = Verdict::kExpectedDeviation;
        result->deviation = d.name;
        std::string cites;
        for (const std::string& c : d.cites) cites += (cites.empty() ? "" : ", ") + c;
        result->deviation_text = cites + ": \"" + d.rfc + "\" — " + d.reason;
        return;
      }
    }
    if (!specifically) continue;  // an entry for every test says nothing about this one
    near_misses += std::string(near_misses.empty() ? "" : "\n") + "profile entry `" + d.name + "` (" + profile.path + ":" +
                   std::to_string(d.source_line) + ") names this test but describes another failure (";
    for (size_t i = 0; i < d.matches.size(); ++i) {
      near_misses += (i ? "; " : "") + describe(d.matches[i]);
    }
    near_misses += ")";
  }
  if (!near_misses.empty()) {
    result->note += (result->note.empty() ? "" : "\n") + near_misses;
  }
}

}  // namespace sp::harness
