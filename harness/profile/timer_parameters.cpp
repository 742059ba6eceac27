#include "harness/profile/timer_parameters.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "harness/suite/parse.hpp"
#include "harness/suite/steps.hpp"

namespace sp::harness {
namespace {

bool names_test(const Deviation& d, const std::string& test) {
  return d.tests.empty() || std::any_of(d.tests.begin(), d.tests.end(), [&](const std::string& g) {
           return fnmatch(g.c_str(), test.c_str(), 0) == 0;
         });
}

// The parameter entry for this timer at this step, or nullptr.
const Deviation* parameter_for(const Profile& profile, const std::string& test, const std::string& timer,
                               const std::string& step) {
  for (const Deviation& d : profile.deviations) {
    if (!d.parameter || !d.timer || d.timer->timer != timer || !names_test(d, test)) continue;
    if (std::find(d.at.begin(), d.at.end(), step) != d.at.end()) return &d;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> apply_timer_parameters(const Profile& profile, TestCase* test) {
  std::vector<const Deviation*> used;
  std::string step = initial_step(*test);
  // The entry that rescaled the latest line of each timer, while that timer runs on: a
  // line at a step no entry names (the user timeout giving up after the retransmissions
  // an entry rescaled) keeps the stack's value until the test calls or injects again.
  std::map<std::string, const Deviation*> running;
  for (Event& e : test->events) {
    if (std::string s = step_of_comment(*test, e.comment); !s.empty()) step = std::move(s);
    if (e.type == Event::Type::kCall || e.type == Event::Type::kInject) running.clear();
    if (e.timer.empty() || e.timer_base <= 0) continue;
    const Deviation* d = parameter_for(profile, test->name, e.timer, step);
    if (!d && running.count(e.timer)) d = running[e.timer];
    running[e.timer] = d;
    if (!d) continue;
    const double scale = d->timer->seconds / e.timer_base;
    e.time *= scale;
    if (e.within) *e.within *= scale;
    e.wait *= scale;
    std::string now;
    if (e.type == Event::Type::kWait) now = "wait " + format_seconds(e.wait);
    if (e.within) now += std::string(now.empty() ? "" : ", ") + "within " + format_seconds(*e.within);
    e.text += "  [" + d->timer->timer + "=" + format_seconds(d->timer->seconds) + " s, parameter " + d->name +
              (now.empty() ? "" : ": " + now) + "]";
    if (std::find(used.begin(), used.end(), d) == used.end()) used.push_back(d);
  }
  std::vector<std::string> names;
  for (const Deviation& d : profile.deviations) {
    if (std::find(used.begin(), used.end(), &d) != used.end()) names.push_back(d.name);
  }
  return names;
}

void report_timer_parameters(const Profile& profile, const std::vector<std::string>& applied, TestResult* result) {
  if (applied.empty()) return;
  std::string names, text;
  for (const std::string& n : applied) {
    auto d = std::find_if(profile.deviations.begin(), profile.deviations.end(),
                          [&](const Deviation& x) { return x.name == n; });
    if (d == profile.deviations.end()) continue;
    std::string cites;
    for (const std::string& c : d->cites) cites += (cites.empty() ? "" : ", ") + c;
    names += (names.empty() ? "" : ",") + n;
    text += (text.empty() ? "" : "\n") + cites + ": \"" + d->rfc + "\" — " + d->reason + " (timer " +
            d->timer->timer + " = " + format_seconds(d->timer->seconds) + " s)";
  }
  if (result->verdict == Verdict::kPass) {
    result->verdict = Verdict::kExpectedDeviation;
    result->deviation = names;
    result->deviation_text = text;
  } else {
    result->note += std::string(result->note.empty() ? "" : "\n") + "timer windows rescaled by profile parameter" +
                    (applied.size() > 1 ? "s " : " ") + names;
  }
}

}  // namespace sp::harness
