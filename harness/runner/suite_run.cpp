#include "harness/runner/suite_run.hpp"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <ostream>

#include "harness/netns/parent.hpp"
#include "harness/profile/profile.hpp"
#include "harness/profile/timer_parameters.hpp"
#include "harness/report/report.hpp"
#include "harness/runner/runner.hpp"
#include "harness/suite/suite.hpp"

namespace sp::harness {
namespace {

double monotonic_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  ~Progress() { clear(); }

  void update(const TestResult& r, size_t done, size_t total) {
    ++counts_[r.verdict == Verdict::kPass                ? 0
              : r.verdict == Verdict::kFail              ? 1
              : r.verdict == Verdict::kExpectedDeviation ? 2
                                                         : 3];
    if (!enabled_) return;
    char line[200];
    std::snprintf(line, sizeof line, "\r[%zu/%zu] %zu pass, %zu fail, %zu deviation, %zu other  %-40.40s",
                  done, total, counts_[0], counts_[1], counts_[2], counts_[3], r.name.c_str());
    err_ << line << std::flush;
    shown_ = true;
  }
  void clear() {
    if (!shown_) return;
    err_ << "\r" << std::string(120, ' ') << "\r" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  size_t counts_[4] = {0, 0, 0, 0};
};

// Entries that applied to a test that ran (its steps include one of the entry's) but
// excused no failure of the run: stale, or hiding nothing here. Fed one test at a time
// as its result comes, so a long run holds no test and no set of steps per test.
class StaleDeviations {
 public:
  explicit StaleDeviations(const std::optional<Profile>& profile)
      : profile_(profile), applied_(profile ? profile->deviations.size() : 0, false) {}

  void add(const TestCase& test, const TestResult& r) {
    if (!profile_) return;
    if (!r.deviation.empty()) used_.insert(r.deviation);
    if (r.verdict == Verdict::kSkipped || r.verdict == Verdict::kError) return;
    used_.insert(test.timer_parameters.begin(), test.timer_parameters.end());  // it rescaled a line
    const std::set<std::string> steps = steps_of(test);
    for (size_t k = 0; k < applied_.size(); ++k) {
      applied_[k] = applied_[k] || deviation_applies(profile_->deviations[k], test.name, steps);
    }
  }
  void add_not_run(const TestResult& r) {
    if (profile_ && !r.deviation.empty()) used_.insert(r.deviation);
  }

  std::vector<std::string> stale() const {
    std::vector<std::string> out;
    for (size_t k = 0; k < applied_.size(); ++k) {
      const Deviation& d = profile_->deviations[k];
      if (applied_[k] && !used_.count(d.name)) {
        out.push_back(d.name + " (" + profile_->path + ":" + std::to_string(d.source_line) + ")");
      }
    }
    return out;
  }

 private:
  const std::optional<Profile>& profile_;
  std::vector<bool> applied_;
  std::set<std::string> used_;  // entry names
};

}  // namespace

SuiteRunReport run_suite(const SuiteRunOptions& options, std::ostream& out, std::ostream& err) {
  SuiteRunReport report;
  const double start = monotonic_now();
  auto usage = [&](const std::string& message) {
    err << "stateproof run: " << message << "\n";
    report.exit_code = kRunBadInput;
    return report;
  };

  std::optional<TargetKind> target = parse_target(options.target);
  if (!target) return usage("unknown target `" + options.target + "` (linux, linux-tap, lwip, raw:IFACE)");
  if (!options.agent.empty() && *target != TargetKind::kRaw) {
    return usage("--agent is for raw:IFACE targets (the others bring their own upper tester)");
  }
  Selection selection;
  selection.filter = options.filter;
  selection.fast = options.fast;
  if (!options.shard.empty() && !parse_shard(options.shard, &selection.shard_index, &selection.shard_count)) {
    return usage("--shard " + options.shard + ": expected I/N with 1 <= I <= N");
  }
  if (options.jobs < 0) return usage("--jobs must be at least 1");
  if (std::string why = glob_error(options.filter); !why.empty()) {
    return usage("--filter " + options.filter + ": not a valid pattern: " + why);
  }

  std::optional<Profile> profile;
  if (options.profile != "none") {
    std::vector<ParseError> errors;
    if (options.profile.empty()) {
      std::optional<std::string> text = builtin_profile_text(options.target);
      if (text) profile = parse_profile(*text, "<built-in " + options.target + ".profile>", &errors);
    } else {
      profile = read_profile(options.profile, &errors);
    }
    if (!errors.empty()) {
      for (const ParseError& e : errors) err << e.format() << "\n";
      report.exit_code = kRunBadInput;
      return report;
    }
  }

  std::vector<std::string> file_errors, file_warnings;
  std::vector<std::string> files = collect_test_files(options.paths, &file_errors, &file_warnings);
  for (const std::string& w : file_warnings) err << "stateproof run: warning: " << w << "\n";
  for (const std::string& e : file_errors) err << "stateproof run: " << e << "\n";
  if (!file_errors.empty()) {
    report.exit_code = kRunBadInput;
    return report;
  }
  if (files.empty()) return usage("no test files (*.spt) found");
  // The suite is parsed once here for its errors and each test's plan, and each test again
  // when its worker starts (TestSource): a long run holds no parsed test.
  std::vector<TestPlan> plans;
  SuiteIndex suite = index_suite(files, selection, [&](TestCase&& t) { plans.push_back(plan_of(t)); });
  for (const ParseError& e : suite.errors) err << e.format() << "\n";
  // A filter that selects nothing is a mistake (a typo), not an empty success; a shard may
  // hold none of the tests it selects.
  if (!options.filter.empty() && suite.matched == 0 && selection.shard_count <= 1 && !suite.bad_input) {
    return usage("--filter " + options.filter + ": no test matches (" + std::to_string(files.size()) +
                 " test files)");
  }
  if (profile) {
    std::vector<ParseError> errors;
    check_profile_steps(*profile, options.spec_transitions, &errors);
    if (!errors.empty()) {
      for (const ParseError& e : errors) err << e.format() << "\n";
      report.exit_code = kRunBadInput;
      return report;
    }
  }
  ReportInfo info{options.target, 0, profile ? profile->name : "", {}, {}, {}};
  if (profile) {
    for (const Setting& s : profile->sysctls) {
      info.settings.push_back(
          {s.name, s.value, "profile " + profile->name + ", " + profile->path + ":" + std::to_string(s.source_line)});
    }
    for (const Deviation& d : profile->deviations) {
      if (!d.parameter || !d.timer) continue;
      std::string at;
      for (const std::string& a : d.at) at += (at.empty() ? "" : " ") + a;
      char value[32];
      std::snprintf(value, sizeof value, "%gs", d.timer->seconds);
      info.timer_parameters.push_back({"timer " + d.timer->timer, value,
                                       "parameter " + d.name + " at " + at + "; " + d.cites.front() + "; " +
                                           profile->path + ":" + std::to_string(d.source_line)});
    }
  }
  if (!options.quiet) {
    out << format_settings(info);
    if (target != TargetKind::kRaw) {
      out << "  (and the harness's own: each test namespace gets a TCP hash table of "
          << netns::kChildEhashEntries << " buckets where the kernel supports it, recorded in the reports)\n";
    }
    out << std::flush;
  }

  if (!suite.selected.empty()) {
    EnvironmentStatus env = check_environment(*target, raw_interface(options.target));
    if (!env.ok) {
      err << "stateproof run: environment problem: " << env.message << "\n";
      report.exit_code = kRunEnvironment;
      return report;
    }
  }

  // Every result goes to the reports as its test finishes (the pcap at once, the JUnit
  // and JSON entries to their spools): the run keeps only a light copy of each.
  bool write_failed = false;
  std::string error;
  auto write_error = [&] {
    err << "stateproof run: " << error << "\n";
    write_failed = true;
  };
  std::optional<StreamedReport> junit, json, svg;
  auto open_report = [&](std::optional<StreamedReport>& file, StreamedReport::Format format,
                         const std::string& path) {
    if (path.empty()) return;
    file.emplace(format);
    if (!file->open(path, options.target, &error)) write_error(), file.reset();
  };
  open_report(junit, StreamedReport::Format::kJUnit, options.junit);
  open_report(json, StreamedReport::Format::kJson, options.results_json);
  open_report(svg, StreamedReport::Format::kMscSvg, options.msc_svg);
  bool pcap_failed = false;
  bool failed = false;
  size_t finished = 0;
  // The reports list the tests in path order, the order of `files` (sorted).
  auto order_of = [&](const std::string& path) -> uint64_t {
    return static_cast<uint64_t>(std::lower_bound(files.begin(), files.end(), path) - files.begin());
  };
  auto record = [&](const TestResult& r) {
    const uint64_t order = order_of(r.path);
    for (std::optional<StreamedReport>* file : {&junit, &json, &svg}) {
      if (*file && !(*file)->add(r, order, &error)) write_error(), file->reset();
    }
    if (!options.pcap_dir.empty() && !pcap_failed && !(r.packets.empty() && r.verdict == Verdict::kSkipped)) {
      if (!write_pcap(options.pcap_dir, r, &error)) write_error(), pcap_failed = true;
    }
    ++report.verdicts[verdict_name(r.verdict)];
    failed = failed || r.verdict == Verdict::kFail || (r.verdict == Verdict::kError && !suite.bad_input);
  };
  StaleDeviations stale(profile);

  Progress progress(err, options.progress && !options.quiet);
  size_t total = suite.selected.size();
  auto file_of = [&](size_t k) -> const std::string& { return files[suite.selected[k]]; };
  TestSource source;
  source.plans = std::move(plans);
  source.load = [&](size_t i, std::string* error) -> std::optional<TestCase> {
    ParseOutcome parsed = read_test_file(file_of(i));
    if (!parsed.test) {
      *error = parsed.errors.empty() ? "it does not parse" : parsed.errors.front().format();
      return std::nullopt;
    }
    if (profile) parsed.test->timer_parameters = apply_timer_parameters(*profile, &*parsed.test);
    return std::move(parsed.test);
  };
  source.stub = [&](size_t i) {
    TestCase t;
    t.path = file_of(i);
    t.name = std::filesystem::path(t.path).stem().string();
    return t;
  };
  RunOptions run;
  run.target = *target;
  run.interface = raw_interface(options.target);
  run.agent = options.agent;
  run.jobs = options.jobs;
  run.execute = options.execute;
  run.profile = profile;
  run.handle_signals = options.handle_signals;
  run.keep_results = false;
  run.on_result = [&](const TestCase& test, const TestResult& r, size_t done, size_t) {
    progress.update(r, done, total);
    bool show = options.verbose || (r.verdict != Verdict::kPass && r.verdict != Verdict::kSkipped &&
                                    r.verdict != Verdict::kExpectedDeviation);
    if (show) {
      progress.clear();
      out << (r.diff.empty() ? r.name + ": " + verdict_name(r.verdict) + "\n" : r.diff) << std::flush;
    } else if (!options.quiet && !options.progress) {
      out << verdict_name(r.verdict) << ": " << r.name
          << (r.deviation.empty() ? "" : " (deviation " + r.deviation + ")") << "\n";
    }
    record(r);
    stale.add(test, r);
    ++finished;
  };
  RunOutcome outcome = run_tests(source, run);
  progress.clear();

  // Every selected test in file order: the ones that ran and the ones that did not.
  for (TestResult& r : suite.not_run) {
    if (r.verdict == Verdict::kSkipped && !options.quiet && options.verbose) {
      out << "skipped: " << r.name << " (" << r.note << ")\n";
    }
    record(r);
    stale.add_not_run(r);
  }
  report.seconds = monotonic_now() - start;
  report.interrupted_by = outcome.interrupted_by;

  info.seconds = report.seconds;
  info.interrupted_by = outcome.interrupted_by;
  if (outcome.own_tcp_table) {
    info.settings.push_back({"net.ipv4.tcp_child_ehash_entries", std::to_string(netns::kChildEhashEntries),
                             "the harness: the namespace tests are made from, so each test namespace has a TCP "
                             "hash table of its own (its tcp_max_tw_buckets and tcp_max_syn_backlog set back to "
                             "a fresh namespace's); docs/harness.md \"Reaction latency\""});
  }
  report.stale_deviations = stale.stale();
  info.stale_deviations = report.stale_deviations;
  for (std::optional<StreamedReport>* file : {&junit, &json, &svg}) {
    if (*file && !(*file)->finish(info, &error)) write_error();
  }

  out << format_summary(report.verdicts, report.seconds) << "\n";
  if (!report.stale_deviations.empty()) {
    out << "profile entries that applied to tests of this run but excused no failure"
        << (options.strict_profile ? " (--strict-profile: a fail)" : "") << ":\n";
    for (const std::string& s : report.stale_deviations) out << "  " << s << "\n";
  }
  if (outcome.interrupted_by) {
    err << "stateproof run: interrupted by signal " << outcome.interrupted_by << "; "
        << finished << " of " << total
        << " tests finished, every worker killed\n";
    report.exit_code = 128 + outcome.interrupted_by;
    return report;
  }
  if (suite.bad_input || write_failed) {
    report.exit_code = kRunBadInput;
  } else if (failed || (options.strict_profile && !report.stale_deviations.empty())) {
    report.exit_code = kRunFailed;
  }
  return report;
}

}  // namespace sp::harness
