#include <cstdio>

#include "harness/report/report.hpp"

namespace sp::harness {
namespace {

std::string time_text(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+%.3f", t);
  return buf;
}

}  // namespace

std::string render_diff(const TestResult& r) {
  if (!r.failure) return "";
  const Failure& f = *r.failure;
  std::string s = r.path.empty() ? r.name : r.path;
  if (f.line > 0) s += ":" + std::to_string(f.line);
  s += std::string(": ") + verdict_name(r.verdict) + ": " + f.message + "\n";
  if (f.line > 0) {
    s += "    line " + std::to_string(f.line) + ": " + f.event + "\n";
  } else if (!f.event.empty()) {
    s += "    at: " + f.event + "\n";
  }
  if (!f.observed.empty()) s += "    observed: " + f.observed + "\n";
  for (const FieldDiff& d : f.fields) {
    if (d.ok) continue;
    s += "    " + d.field + ": expected: " + d.expected + " vs actual: " + d.actual + "\n";
  }
  for (const FieldDiff& d : f.fields) {
    if (!d.ok) continue;
    s += "    " + d.field + ": " + d.actual + " (matches " + d.expected + ")\n";
  }
  if (r.verdict == Verdict::kExpectedDeviation) {
    s += "    expected deviation `" + r.deviation + "`: " + r.deviation_text + "\n";
  }
  if (!r.note.empty()) s += "    note: " + r.note + "\n";
  if (!r.packets.empty()) {
    s += "    packets:\n";
    size_t from = r.packets.size() > 24 ? r.packets.size() - 24 : 0;
    if (from > 0) s += "      ... " + std::to_string(from) + " earlier packets\n";
    for (size_t i = from; i < r.packets.size(); ++i) {
      const PacketRecord& p = r.packets[i];
      s += "      " + time_text(p.time) + (p.from_iut ? " IUT>    " : " tester> ") + p.summary;
      std::string why = p.disposition;
      if (p.line > 0) why += (why.empty() ? "line " : ", line ") + std::to_string(p.line);
      if (!why.empty()) s += "  [" + why + "]";
      s += "\n";
    }
  }
  return s;
}

std::map<std::string, size_t> count_verdicts(const std::vector<TestResult>& results) {
  std::map<std::string, size_t> counts;
  for (const TestResult& r : results) ++counts[verdict_name(r.verdict)];
  return counts;
}

std::string format_summary(const std::vector<TestResult>& results, double seconds) {
  return format_summary(count_verdicts(results), seconds);
}

std::string format_summary(const std::map<std::string, size_t>& counts, double seconds) {
  char head[128];
  size_t total = 0;
  for (const auto& [verdict, n] : counts) total += n;
  const auto skipped = counts.find(verdict_name(Verdict::kSkipped));
  const size_t ran = total - (skipped == counts.end() ? 0 : skipped->second);
  std::snprintf(head, sizeof head, "%zu tests in %.2f s (%.1f tests/s)", total, seconds,
                seconds > 0 ? static_cast<double>(ran) / seconds : 0.0);
  std::string s = head;
  const char* order[] = {"pass", "fail", "inconclusive", "expected deviation", "error", "skipped"};
  bool first = true;
  for (const char* v : order) {
    auto it = counts.find(v);
    if (it == counts.end()) continue;
    s += (first ? ": " : ", ") + std::to_string(it->second) + " " + v;
    first = false;
  }
  return s;
}

std::string format_settings(const ReportInfo& info) {
  std::string s;
  if (info.settings.empty()) {
    s = "settings: the profile changes none (the target as shipped)\n";
  } else {
    s = "settings changed in every test's namespace:\n";
    for (const RunSetting& st : info.settings) s += "  " + st.name + "=" + st.value + "  (" + st.source + ")\n";
  }
  if (!info.timer_parameters.empty()) {
    s += "stack timer parameters (the windows of the tests they apply to are the stack's; each such test "
         "is a deviation):\n";
    for (const RunSetting& p : info.timer_parameters) s += "  " + p.name + " = " + p.value + "  (" + p.source + ")\n";
  }
  return s;
}

}  // namespace sp::harness
