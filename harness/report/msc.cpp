#include <cstdio>

#include "harness/report/report.hpp"

namespace sp::harness {

util::MscChart run_msc_chart(const TestResult& r) {
  using Row = util::MscRow;
  util::MscChart chart;
  chart.title = r.name + " (" + r.path + "): " + verdict_name(r.verdict) +
                (r.deviation.empty() ? "" : " `" + r.deviation + "`");
  chart.lifelines = {"tester", "IUT"};
  for (const PacketRecord& p : r.packets) {
    char at[32];
    std::snprintf(at, sizeof at, "+%.3f", p.time);
    Row row{Row::Kind::kMessage, p.from_iut ? 1u : 0u, p.from_iut ? 0u : 1u, at,
            p.summary + "  (" + p.disposition + ")", p.line > 0 ? "line " + std::to_string(p.line) : "",
            false, false, p.disposition == "unexpected"};
    chart.rows.push_back(std::move(row));
  }
  if (r.failure) {
    const Failure& f = *r.failure;
    chart.rows.push_back({Row::Kind::kError, 1, 1, "", f.kind + ": " + f.message,
                          f.line > 0 ? "line " + std::to_string(f.line) + ": " + f.event : f.event, false, false,
                          false});
    for (const FieldDiff& d : f.fields) {
      if (d.ok) continue;
      chart.rows.push_back({Row::Kind::kNote, 0, 0, "", d.field + ": expected " + d.expected + " vs actual " + d.actual,
                            "", false, false, true});
    }
  }
  if (!r.note.empty()) chart.rows.push_back({Row::Kind::kNote, 0, 0, "", r.note, "", false, false, false});
  return chart;
}

}  // namespace sp::harness
