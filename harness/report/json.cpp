#include <cstdio>

#include "harness/report/report.hpp"
#include "util/utf8.hpp"
#include "util/atomic_file.hpp"

namespace sp::harness {

std::string json_string(const std::string& text) {
  return "\"" +
         util::escape_text(
             text,
             [](unsigned char c, char* buf) -> const char* {
               switch (c) {
                 case '"': return "\\\"";
                 case '\\': return "\\\\";
                 case '\n': return "\\n";
                 case '\r': return "\\r";
                 case '\t': return "\\t";
                 default:
                   if (c >= 0x20 && c != 0x7f) return nullptr;
                   std::snprintf(buf, 16, "\\u%04x", c);
                   return buf;
               }
             },
             "\\ufffd") +
         "\"";
}

namespace {

std::string hex(const std::vector<uint8_t>& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string settings_array(const std::vector<RunSetting>& settings) {
  std::string s = "[";
  for (size_t i = 0; i < settings.size(); ++i) {
    const RunSetting& st = settings[i];
    s += std::string(i ? ", " : "") + "{\"name\": " + json_string(st.name) + ", \"value\": " +
         json_string(st.value) + ", \"source\": " + json_string(st.source) + "}";
  }
  return s + "]";
}

}  // namespace

std::string json_header(const ReportInfo& info, const std::map<std::string, size_t>& counts) {
  std::string s = "{\n  \"target\": " + json_string(info.target) + ",\n  \"seconds\": " +
                  number(info.seconds) + ",\n  \"interrupted\": " + (info.interrupted_by ? "true" : "false");
  if (info.interrupted_by) s += ", \"interrupted_by_signal\": " + std::to_string(info.interrupted_by);
  s += ",\n  \"profile\": " + json_string(info.profile) + ",\n  \"settings\": " + settings_array(info.settings) +
       ",\n  \"timer_parameters\": " + settings_array(info.timer_parameters);
  s += ",\n  \"stale_deviations\": [";
  for (size_t i = 0; i < info.stale_deviations.size(); ++i) {
    s += (i ? ", " : "") + json_string(info.stale_deviations[i]);
  }
  s += "],\n  \"summary\": {";
  bool first = true;
  for (const auto& [verdict, n] : counts) {
    s += std::string(first ? "" : ", ") + json_string(verdict) + ": " + std::to_string(n);
    first = false;
  }
  return s + "},\n  \"tests\": [";
}

std::string json_test(const TestResult& r) {
  std::string s = "{\"name\": " + json_string(r.name) + ", \"path\": " + json_string(r.path) +
                  ", \"verdict\": " + json_string(verdict_name(r.verdict)) +
                  ", \"duration\": " + number(r.duration);
  if (r.failure) {
    const Failure& f = *r.failure;
    s += ",\n     \"failure\": {\"kind\": " + json_string(f.kind) + ", \"line\": " +
         std::to_string(f.line) + ", \"event\": " + json_string(f.event) +
         ", \"step\": " + json_string(f.step) +
         ", \"stimulus\": " + json_string(f.stimulus) + ", \"state\": " + json_string(f.state) + ", \"message\": " + json_string(f.message) + ", \"observed\": " + json_string(f.observed) +
         ", \"fields\": [";
    for (size_t k = 0; k < f.fields.size(); ++k) {
      const FieldDiff& d = f.fields[k];
      s += std::string(k ? ", " : "") + "{\"field\": " + json_string(d.field) +
           ", \"expected\": " + json_string(d.expected) + ", \"actual\": " + json_string(d.actual) +
           ", \"ok\": " + (d.ok ? "true" : "false") + "}";
    }
    s += "]}";
  }
  if (!r.diff.empty()) s += ",\n     \"diff\": " + json_string(r.diff);
  if (!r.deviation.empty()) {
    s += ",\n     \"deviation\": " + json_string(r.deviation) +
         ", \"deviation_text\": " + json_string(r.deviation_text);
  }
  if (!r.note.empty()) s += ",\n     \"note\": " + json_string(r.note);
  if (!r.settings.empty()) {
    s += ",\n     \"settings\": [";
    for (size_t k = 0; k < r.settings.size(); ++k) s += (k ? ", " : "") + json_string(r.settings[k]);
    s += "]";
  }
  s += ",\n     \"packets\": [";
  for (size_t k = 0; k < r.packets.size(); ++k) {
    const PacketRecord& p = r.packets[k];
    s += std::string(k ? ",\n       " : "\n       ") + "{\"time\": " + number(p.time) +
         ", \"from\": " + (p.from_iut ? "\"iut\"" : "\"tester\"") +
         ", \"disposition\": " + json_string(p.disposition) + ", \"line\": " +
         std::to_string(p.line) + ", \"summary\": " + json_string(p.summary) +
         ", \"hex\": \"" + hex(p.bytes) + "\"}";
  }
  s += "],\n     \"trace\": [";
  for (size_t k = 0; k < r.trace.size(); ++k) s += (k ? ", " : "") + json_string(r.trace[k]);
  s += "],\n     \"reaction_latencies\": [";
  for (size_t k = 0; k < r.reaction_latencies.size(); ++k) {
    s += (k ? ", " : "") + number(r.reaction_latencies[k]);
  }
  s += "]}";
  return s;
}

bool write_results_json(const std::string& path, const std::vector<TestResult>& results,
                        const ReportInfo& info, std::string* error) {
  return write_report(StreamedReport::Format::kJson, path, results, info, error);
}

}  // namespace sp::harness
