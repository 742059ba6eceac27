#include <cstdio>
#include <filesystem>

#include "harness/report/report.hpp"
#include "util/atomic_file.hpp"
#include "util/utf8.hpp"

namespace sp::harness {

std::string xml_escape(const std::string& text) { return util::xml_escape(text); }

namespace {

std::string seconds(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// The suite a test belongs to: the name of its folder (`tcp` for suites/tcp/x.spt).
std::string classname(const TestResult& r, const std::string& target) {
  std::string dir = std::filesystem::path(r.path).parent_path().filename().string();
  return "stateproof." + target + (dir.empty() || dir == ".." ? "" : "." + dir);
}

}  // namespace

std::string junit_header(const ReportInfo& info, const std::map<std::string, size_t>& counts,
                         const std::vector<std::string>& test_properties) {
  auto count = [&](const char* verdict) {
    auto it = counts.find(verdict);
    return it == counts.end() ? size_t{0} : it->second;
  };
  size_t tests = 0;
  for (const auto& [verdict, n] : counts) tests += n;
  const std::string totals = "tests=\"" + std::to_string(tests) + "\" failures=\"" +
                             std::to_string(count("fail")) + "\" errors=\"" + std::to_string(count("error")) + "\"";
  // junit-10.xsd: `skipped` is an attribute of testsuite, not of testsuites.
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites name=\"stateproof run\" " + totals + " time=\"" + seconds(info.seconds) + "\">\n";
  s += "  <testsuite name=\"" + xml_escape("stateproof." + info.target) + "\" " + totals + " skipped=\"" +
       std::to_string(count("skipped") + count("inconclusive")) + "\" time=\"" + seconds(info.seconds) + "\">\n";
  s += "      <properties>\n        <property name=\"profile\" value=\"" +
       xml_escape(info.profile.empty() ? "none" : info.profile) + "\"/>\n";
  if (info.interrupted_by) {
    s += "        <property name=\"interrupted\" value=\"true (signal " + std::to_string(info.interrupted_by) +
         "): only the tests that finished are reported\"/>\n";
  }
  for (const RunSetting& st : info.settings) {
    s += "        <property name=\"setting " + xml_escape(st.name) + "\" value=\"" + xml_escape(st.value) +
         " (" + xml_escape(st.source) + ")\"/>\n";
  }
  for (const RunSetting& p : info.timer_parameters) {
    s += "        <property name=\"" + xml_escape(p.name) + "\" value=\"" + xml_escape(p.value) + " (" +
         xml_escape(p.source) + ")\"/>\n";
  }
  for (const std::string& d : info.stale_deviations) {
    s += "        <property name=\"stale deviation\" value=\"" + xml_escape(d) + "\"/>\n";
  }
  for (const std::string& p : test_properties) s += p;
  return s + "      </properties>\n";
}

std::string junit_test_properties(const TestResult& r) {
  // junit-10.xsd has no properties inside a testcase: a test's own are the suite's,
  // named after the test (docs/harness.md, "JUnit").
  std::string s;
  if (r.verdict == Verdict::kExpectedDeviation) {
    s += "        <property name=\"expected deviation\" value=\"" + xml_escape(r.name + ": " + r.deviation) +
         "\"/>\n";
  }
  for (const std::string& st : r.settings) {
    size_t eq = st.find('=');
    s += "        <property name=\"setting " + xml_escape(st.substr(0, eq)) + " (test " + xml_escape(r.name) +
         ")\" value=\"" + xml_escape(eq == std::string::npos ? "" : st.substr(eq + 1)) + "\"/>\n";
  }
  return s;
}

std::string junit_testcase(const TestResult& r, const std::string& target) {
  std::string s = "    <testcase name=\"" + xml_escape(r.name) + "\" classname=\"" +
                  xml_escape(classname(r, target)) + "\" time=\"" + seconds(r.duration) + "\"";
  std::string message = r.failure ? r.failure->message : r.note;
  std::string body;
  switch (r.verdict) {
    case Verdict::kPass: break;
    case Verdict::kFail:
      body += "      <failure message=\"" + xml_escape(message) + "\" type=\"" +
             xml_escape(r.failure ? r.failure->kind : "fail") + "\">" + xml_escape(r.diff) +
             "</failure>\n";
      break;
    case Verdict::kError:
      body += "      <error message=\"" + xml_escape(message) + "\">" + xml_escape(r.diff) + "</error>\n";
      break;
    case Verdict::kInconclusive:
      body += "      <skipped message=\"" + xml_escape("inconclusive: " + message) + "\"/>\n" +
             "      <system-out>" + xml_escape(r.diff) + "</system-out>\n";
      break;
    case Verdict::kSkipped:
      body += "      <skipped message=\"" + xml_escape(r.note) + "\"/>\n";
      break;
    case Verdict::kExpectedDeviation:
      body += "      <system-out>" +
             xml_escape("expected deviation `" + r.deviation + "`: " + r.deviation_text + "\n" +
                        r.diff) +
             "</system-out>\n";
      break;
  }
  s += body.empty() ? "/>\n" : ">\n" + body + "    </testcase>\n";
  return s;
}

bool write_junit(const std::string& path, const std::vector<TestResult>& results,
                 const ReportInfo& info, std::string* error) {
  return write_report(StreamedReport::Format::kJUnit, path, results, info, error);
}

}  // namespace sp::harness
