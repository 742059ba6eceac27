#include "harness/engine/isn_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sp::harness {

IsnVerdict judge_isns(const std::vector<IsnSample>& samples) {
  IsnVerdict v;
  char buf[160];
  for (const IsnSample& s : samples) {
    std::snprintf(buf, sizeof buf, "%s%u (port %u, +%.3f s)", v.detail.empty() ? "ISNs " : ", ", s.isn, s.peer_port,
                  s.time - samples.front().time);
    v.detail += buf;
  }
  v.enough = samples.size() >= kMinIsnSamples;
  if (!v.enough) {
    v.detail += "; " + std::to_string(kMinIsnSamples) + " are needed";
    return v;
  }
  std::vector<double> d, dt;
  for (size_t i = 1; i < samples.size(); ++i) {
    d.push_back(static_cast<double>(static_cast<uint32_t>(samples[i].isn - samples[i - 1].isn)));
    dt.push_back(samples[i].time - samples[i - 1].time);
  }
  const double n = static_cast<double>(d.size());
  double md = 0, mt = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    md += d[i] / n;
    mt += dt[i] / n;
  }
  double stt = 0, std_ = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    stt += (dt[i] - mt) * (dt[i] - mt);
    std_ += (dt[i] - mt) * (d[i] - md);
  }
  // Equal time steps leave the rate undetermined: then the constant fit alone.
  const double rate = stt > 1e-12 ? std_ / stt : 0;
  const double a = md - rate * mt;
  double worst = 0;
  for (size_t i = 0; i < d.size(); ++i) worst = std::max(worst, std::fabs(d[i] - (a + rate * dt[i])));
  v.predictable = worst <= kIsnTolerance;
  std::snprintf(buf, sizeof buf, "; differences fit %.0f + %.0f/s x elapsed within %.0f (predictable below %.0f)", a,
                rate, worst, kIsnTolerance);
  v.detail += buf;
  return v;
}

}  // namespace sp::harness
