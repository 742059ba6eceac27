#include "harness/report/compare.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "util/read_file.hpp"

namespace sp::harness {
namespace {

using Json = nlohmann::json;

bool failing(const std::string& verdict) { return verdict == "fail" || verdict == "error"; }
bool departing(const std::string& verdict) { return verdict == "expected deviation"; }

std::string describe(const TestOutcome& t) {
  std::string s = t.verdict;
  if (!t.deviation.empty()) s += " (" + t.deviation + ")";
  if (!t.failure_kind.empty() && t.verdict != "pass") {
    s += ": " + t.failure_kind + (t.failure_line ? " at line " + std::to_string(t.failure_line) : "") + ": " +
         t.failure_message;
  }
  return s;
}

std::string join(const std::vector<std::string>& v) {
  if (v.empty()) return "(nothing)";
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : "; ") + x;
  return s;
}

}  // namespace

std::string reduce_summary(const std::string& summary) {
  size_t flags = summary.find("Flags [");
  if (flags != std::string::npos) {
    size_t close = summary.find(']', flags);
    std::string f = close == std::string::npos ? "?" : summary.substr(flags + 7, close - flags - 7);
    size_t len = summary.rfind(", length ");
    std::string n = len == std::string::npos ? "?" : summary.substr(len + 9);
    return f + " len " + n;
  }
  size_t arp = summary.find("ARP, ");
  if (arp != std::string::npos) return summary.substr(arp);
  // Anything else: without the Ethernet addresses, which are the same on both sides.
  size_t colon = summary.find(": ");
  return colon == std::string::npos ? summary : summary.substr(colon + 2);
}

namespace {

// A field's value, or `fallback` when the field is absent or null; a value of another
// type sets *error (naming the field) and returns false.
template <typename T>
bool field(const Json& object, const char* key, const std::string& where, T fallback, T* out, std::string* error) {
  *out = fallback;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  const bool ok = std::is_same_v<T, std::string> ? it->is_string() : it->is_number_integer();
  if (!ok) {
    const std::string type = it->type_name();
    *error = where + "\"" + key + "\" must be " + (std::is_same_v<T, std::string> ? "a string" : "an integer") +
             " (it is " + (type[0] == 'a' || type[0] == 'o' ? "an " : "a ") + type + ")";
    return false;
  }
  *out = it->get<T>();
  return true;
}

}  // namespace

bool parse_results(const std::string& text, const std::string& path, ResultsFile* out, std::string* error) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = path + ": not a JSON object (expected the output of `stateproof run --results`)";
    return false;
  }
  if (!j.contains("tests") || !j["tests"].is_array()) {
    *error = path + ": no \"tests\" array (expected the output of `stateproof run --results`)";
    return false;
  }
  out->path = path;
  if (!field<std::string>(j, "target", path + ": ", "", &out->target, error)) return false;
  out->tests.clear();
  size_t i = 0;
  for (const Json& t : j["tests"]) {
    const std::string where = path + ": test " + std::to_string(i) + ": ";
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string() || !t.contains("verdict") ||
        !t["verdict"].is_string()) {
      *error = path + ": test " + std::to_string(i) + " lacks a string \"name\" or \"verdict\"";
      return false;
    }
    TestOutcome o;
    o.name = t["name"];
    o.verdict = t["verdict"];
    if (t.contains("failure") && t["failure"].is_object()) {
      const Json& f = t["failure"];
      if (!field<std::string>(f, "kind", where + "failure: ", "", &o.failure_kind, error) ||
          !field<int>(f, "line", where + "failure: ", 0, &o.failure_line, error) ||
          !field<std::string>(f, "message", where + "failure: ", "", &o.failure_message, error)) {
        return false;
      }
    }
    if (!field<std::string>(t, "deviation", where, "", &o.deviation, error)) return false;
    if (t.contains("packets") && t["packets"].is_array()) {
      for (const Json& p : t["packets"]) {
        std::string from, fate, summary;
        if (!p.is_object()) continue;
        if (!field<std::string>(p, "from", where + "packet: ", "", &from, error) ||
            !field<std::string>(p, "disposition", where + "packet: ", "", &fate, error) ||
            !field<std::string>(p, "summary", where + "packet: ", "", &summary, error)) {
          return false;
        }
        if (from != "iut") continue;
        if (fate == "harness") continue;  // the harness's own frames (ARP for the tester)
        o.behaviour.push_back(reduce_summary(summary) + " [" + fate + "]");
      }
    }
    out->tests.push_back(std::move(o));
    ++i;
  }
  return true;
}

bool load_results(const std::string& path, ResultsFile* out, std::string* error) {
  std::string text, why;
  if (!read_file_bounded(path, &text, &why)) {
    *error = "cannot read " + path + ": " + why;
    return false;
  }
  return parse_results(text, path, out, error);
}

Comparison compare_results(const ResultsFile& a, const ResultsFile& b) {
  Comparison c;
  std::map<std::string, const TestOutcome*> in_b;
  for (const TestOutcome& t : b.tests) in_b[t.name] = &t;
  std::map<std::string, bool> seen;
  for (const TestOutcome& ta : a.tests) {
    seen[ta.name] = true;
    TestDifference d;
    d.name = ta.name;
    d.a = &ta;
    auto it = in_b.find(ta.name);
    if (it == in_b.end()) {
      c.differences.push_back(d);
      continue;
    }
    const TestOutcome& tb = *it->second;
    d.b = &tb;
    d.verdict_differs = ta.verdict != tb.verdict || ta.deviation != tb.deviation;
    d.behaviour_differs = ta.behaviour != tb.behaviour;
    bool failed_differently = failing(ta.verdict) && failing(tb.verdict) &&
                              (ta.failure_kind != tb.failure_kind || ta.failure_line != tb.failure_line);
    d.new_failure = failing(tb.verdict) && (!failing(ta.verdict) || failed_differently);
    d.verdict_differs = d.verdict_differs || failed_differently;
    bool departs_differently = departing(ta.verdict) && departing(tb.verdict) &&
                               (ta.deviation != tb.deviation || ta.failure_kind != tb.failure_kind ||
                                ta.failure_line != tb.failure_line);
    d.new_departure = departing(tb.verdict) && (ta.verdict == "pass" || departs_differently);
    d.verdict_differs = d.verdict_differs || departs_differently;
    if (d.verdict_differs || d.behaviour_differs) {
      c.new_failures += d.new_failure;
      c.new_departures += d.new_departure;
      c.differences.push_back(d);
    } else {
      ++c.same;
    }
  }
  for (const TestOutcome& tb : b.tests) {
    if (seen.count(tb.name)) continue;
    TestDifference d;
    d.name = tb.name;
    d.b = &tb;
    d.new_failure = failing(tb.verdict);
    c.new_failures += d.new_failure;
    c.differences.push_back(d);
  }
  return c;
}

std::string format_comparison(const Comparison& c, const ResultsFile& a, const ResultsFile& b) {
  std::ostringstream s;
  s << "A: " << a.path << " (target " << a.target << ", " << a.tests.size() << " tests)\n"
    << "B: " << b.path << " (target " << b.target << ", " << b.tests.size() << " tests)\n";
  size_t verdicts = 0, behaviour = 0, only_a = 0, only_b = 0;
  for (const TestDifference& d : c.differences) {
    s << "\n"
      << d.name << (d.new_failure ? "  [new failure in B]" : d.new_departure ? "  [new departure in B]" : "") << "\n";
    if (!d.b) {
      ++only_a;
      s << "    only in A: " << describe(*d.a) << "\n";
      continue;
    }
    if (!d.a) {
      ++only_b;
      s << "    only in B: " << describe(*d.b) << "\n";
      continue;
    }
    if (d.verdict_differs) {
      ++verdicts;
    } else {
      ++behaviour;
    }
    s << "    A: " << describe(*d.a) << "\n    B: " << describe(*d.b) << "\n";
    if (d.behaviour_differs) {
      s << "    A sent: " << join(d.a->behaviour) << "\n    B sent: " << join(d.b->behaviour) << "\n";
    }
  }
  s << "\n" << c.same + verdicts + behaviour << " tests in both: " << c.same << " same, " << verdicts
    << " with different verdicts, " << behaviour << " with the same verdict but different packets; " << only_a
    << " only in A, " << only_b << " only in B; " << c.new_failures << " new failures in B, " << c.new_departures
    << " new departures in B\n";
  return s.str();
}

}  // namespace sp::harness
