#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/report/report.hpp"
#include "harness/report/utf8.hpp"

namespace sp::harness {

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
          if (const size_t n = detail::utf8_sequence_length(text, i); n > 0) {
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

bool write_junit(const std::string& path, const std::vector<TestResult>& results,
                 const ReportInfo& info, std::string* error) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const TestResult& r : results) {
    failures += r.verdict == Verdict::kFail;
    errors += r.verdict == Verdict::kError;
    skipped += r.verdict == Verdict::kSkipped || r.verdict == Verdict::kInconclusive;
  }
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites name=\"stateproof run\" tests=\"" + std::to_string(results.size()) +
       "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
       "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(info.seconds) + "\">\n";
  s += "  <testsuite name=\"" + xml_escape("stateproof." + info.target) + "\" tests=\"" +
       std::to_string(results.size()) + "\" failures=\"" + std::to_string(failures) +
       "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
       "\" time=\"" + seconds(info.seconds) + "\">\n";
  s += "      <properties>\n        <property name=\"profile\" value=\"" +
       xml_escape(info.profile.empty() ? "none" : info.profile) + "\"/>\n";
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
  s += "      </properties>\n";
  for (const TestResult& r : results) {
    s += "    <testcase name=\"" + xml_escape(r.name) + "\" classname=\"" +
         xml_escape(classname(r, info.target)) + "\" file=\"" + xml_escape(r.path) + "\" time=\"" +
         seconds(r.duration) + "\"";
    std::string message = r.failure ? r.failure->message : r.note;
    std::string body;
    if (!r.settings.empty()) {
      body += "      <properties>\n";
      for (const std::string& st : r.settings) {
        size_t eq = st.find('=');
        body += "        <property name=\"setting " + xml_escape(st.substr(0, eq)) + "\" value=\"" +
                xml_escape(eq == std::string::npos ? "" : st.substr(eq + 1)) + "\"/>\n";
      }
      body += "      </properties>\n";
    }
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
  }
  s += "  </testsuite>\n</testsuites>\n";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << s;
  out.close();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace sp::harness
