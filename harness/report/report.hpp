// Reports of a run: the readable diff of a failure, the summary line, JUnit XML, the
// results JSON and a pcap per test. Pure formatting except the writers, which return
// false with *error set when a file cannot be written.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/engine/result.hpp"
#include "util/msc_svg.hpp"

namespace sp::harness {

// The failure of a result, field by field, in packetdrill's "expected: X vs actual: Y"
// spirit, with the test line and the packets that crossed the device:
//   suite/x.spt:12: fail: the packet from the IUT does not match the expect
//       line 12: +0 expect flags=SA seq=0 ack=1 win=*
//       observed: 192.0.2.1:8080 > 192.0.2.2:40000 Flags [R.], seq 0, ...
//       flags: expected: SA vs actual: RA
//       seq: 0 (matches)
std::string render_diff(const TestResult& result);

// Count of results per verdict name.
std::map<std::string, size_t> count_verdicts(const std::vector<TestResult>& results);

// "14 tests in 0.8 s (17.5 tests/s): 12 pass, 1 fail, 1 expected deviation".
std::string format_summary(const std::vector<TestResult>& results, double seconds);
// The same from the counts per verdict name (count_verdicts).
std::string format_summary(const std::map<std::string, size_t>& counts, double seconds);

// A setting the run changed in every test's namespace (the profile's `sysctl` lines):
// a target is tested as shipped unless a report says otherwise.
struct RunSetting {
  std::string name;    // net.ipv4.tcp_syn_retries
  std::string value;
  std::string source;  // "profile linux (harness/targets/linux.profile:12)"
};

struct ReportInfo {
  std::string target;  // "linux"
  double seconds = 0;  // wall clock of the whole run
  std::string profile;                      // its name, or "" for none
  std::vector<RunSetting> settings;         // changed in every namespace
  // The profile's stack timer parameters: name "timer rtx", value "3s", source the entry
  // and where it applies (harness/profile/timer_parameters.hpp).
  std::vector<RunSetting> timer_parameters;
  std::vector<std::string> stale_deviations;  // entries that applied but matched no failure
  // The signal that stopped the run before every test finished, or 0: the reports then
  // say so (JSON "interrupted": true, a JUnit property "interrupted") and hold only the
  // tests that finished.
  int interrupted_by = 0;
};

// The run header's lines about what the run changes in the target: "" when nothing.
std::string format_settings(const ReportInfo& info);

// A report written as the tests finish, so that a long run holds no test's packets,
// diff or trace in memory: each test's entry goes to an unlinked spool file beside the
// report; finish() writes the report whole (util/atomic_file.hpp): the header with the
// totals and the run's information, the entries in file order (by path, then in the
// order added), the footer. Destroyed unfinished, it leaves nothing behind.
class StreamedReport {
 public:
  enum class Format { kJUnit, kJson, kMscSvg };
  explicit StreamedReport(Format format) : format_(format) {}
  ~StreamedReport();
  StreamedReport(const StreamedReport&) = delete;
  StreamedReport& operator=(const StreamedReport&) = delete;

  bool open(const std::string& path, const std::string& target, std::string* error);
  // `order`: where the entry goes in the report (ascending; ties in the order added).
  // The entry is written to the spool at once; the report keeps 24 bytes of it.
  bool add(const TestResult& result, uint64_t order, std::string* error);
  bool finish(const ReportInfo& info, std::string* error);

 private:
  struct Entry {
    uint64_t order = 0;
    uint64_t offset = 0;
    uint32_t size = 0;
    float height = 0;  // kMscSvg: the drawing's
  };
  Format format_;
  std::string path_, target_;
  int spool_ = -1;
  uint64_t end_ = 0;
  std::vector<Entry> entries_;
  std::map<std::string, size_t> counts_;        // per verdict name
  std::vector<std::string> test_properties_;    // JUnit: deviations and per-test settings
  double width_ = 0;                            // kMscSvg: the widest drawing's
};

// A test's packets as a message sequence chart between the tester and the IUT: an
// arrow per packet with its time, summary, disposition and test line; unexpected ones
// marked as mismatches; the failure and its differing fields at the end (`run
// --msc-svg FILE` draws one per test, StreamedReport::Format::kMscSvg).
util::MscChart run_msc_chart(const TestResult& result);

// The report of `results` in one go (a StreamedReport fed every result).
bool write_report(StreamedReport::Format format, const std::string& path,
                  const std::vector<TestResult>& results, const ReportInfo& info, std::string* error);

// The pieces of the two reports (json.cpp, junit.cpp): the header with the run's totals
// (`counts` per verdict name), one test's entry.
std::string json_header(const ReportInfo& info, const std::map<std::string, size_t>& counts);
std::string json_test(const TestResult& result);
std::string junit_header(const ReportInfo& info, const std::map<std::string, size_t>& counts,
                         const std::vector<std::string>& test_properties);
std::string junit_test_properties(const TestResult& result);
std::string junit_testcase(const TestResult& result, const std::string& target);

bool write_junit(const std::string& path, const std::vector<TestResult>& results,
                 const ReportInfo& info, std::string* error);
bool write_results_json(const std::string& path, const std::vector<TestResult>& results,
                        const ReportInfo& info, std::string* error);
// DIR/<test name>.pcap with every packet that crossed the device (LINKTYPE_RAW for TUN,
// LINKTYPE_ETHERNET for TAP). Creates DIR if needed.
bool write_pcap(const std::string& dir, const TestResult& result, std::string* error);

// JSON string literal for `text` (quotes included); exposed for tests.
std::string json_string(const std::string& text);
// XML-escaped text (attribute-safe); invalid UTF-8 and control bytes replaced.
std::string xml_escape(const std::string& text);

}  // namespace sp::harness
