#include "util/msc_svg.hpp"

#include <algorithm>
#include <cstdio>

#include "util/utf8.hpp"

namespace sp::util {

namespace {

constexpr double kMargin = 16;
constexpr double kLabelWidth = 56;   // the step number column
constexpr double kColumn = 150;      // between lifelines
constexpr double kRow = 22;
constexpr double kHeader = 44;       // title and lifeline names
constexpr double kCharWidth = 6.6;   // 11px monospace, for the width of the notes column

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

std::string text_at(double x, double y, const std::string& text, const std::string& cls,
                    const char* anchor = "start") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" class=\"" + cls + "\" text-anchor=\"" + anchor +
         "\">" + xml_escape(text) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& cls,
                 const std::string& extra = "") {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
         "\" class=\"" + cls + "\"" + extra + "/>";
}

}  // namespace

MscDrawing draw_msc(const MscChart& chart) {
  const size_t n = std::max<size_t>(chart.lifelines.size(), 1);
  auto x_of = [&](size_t i) { return kMargin + kLabelWidth + kColumn / 2 + static_cast<double>(i) * kColumn; };
  const double notes_x = kMargin + kLabelWidth + static_cast<double>(n) * kColumn + 8;
  size_t longest = chart.title.size();
  for (const MscRow& r : chart.rows) longest = std::max(longest, r.text.size() + r.cite.size() + 3);
  MscDrawing d;
  d.width = notes_x + std::min<double>(static_cast<double>(longest) * kCharWidth, 1600) + kMargin;
  const bool have_initial = !chart.initial.empty();
  const double top = kHeader + (have_initial ? kRow : 0);
  d.height = top + static_cast<double>(chart.rows.size() + 1) * kRow + kMargin;
  std::string& s = d.svg;
  s += "<g class=\"msc\">\n";
  s += text_at(kMargin, 18, chart.title, "title") + "\n";
  for (size_t i = 0; i < chart.lifelines.size(); ++i) {
    s += text_at(x_of(i), 38, chart.lifelines[i], "lifeline-name", "middle") + "\n";
    s += line(x_of(i), 44, x_of(i), d.height - kMargin, "lifeline") + "\n";
    if (have_initial && i < chart.initial.size() && !chart.initial[i].empty()) {
      s += "<rect x=\"" + num(x_of(i) - 60) + "\" y=\"" + num(kHeader + 3) + "\" width=\"120\" height=\"16\" rx=\"6\" class=\"state\"/>";
      s += text_at(x_of(i), kHeader + 15, chart.initial[i], "state-text", "middle") + "\n";
    }
  }
  double y = top;
  for (const MscRow& r : chart.rows) {
    y += kRow;
    const double mid = y - 6;
    const size_t from = std::min(r.from, n - 1), to = std::min(r.to, n - 1);
    std::string note = r.text + (r.cite.empty() ? "" : "  [" + r.cite + "]");
    switch (r.kind) {
      case MscRow::Kind::kStep:
        s += "<circle cx=\"" + num(x_of(from)) + "\" cy=\"" + num(mid) + "\" r=\"4\" class=\"step\"/>";
        s += text_at(kMargin, y - 2, r.label, "label");
        s += text_at(notes_x, y - 2, r.text, "step-text");
        if (!r.cite.empty()) {
          s += text_at(notes_x + (static_cast<double>(r.text.size()) + 2) * kCharWidth, y - 2, "[" + r.cite + "]", "cite");
        }
        break;
      case MscRow::Kind::kMessage: {
        const std::string cls = std::string("message") + (r.mismatch ? " mismatch" : "") + (r.lost ? " lost" : "") +
                                (r.duplicated ? " duplicated" : "");
        s += "<g class=\"" + cls + "\">";
        const double xa = x_of(from), xb = x_of(to);
        if (!r.label.empty()) s += text_at(kMargin, y - 2, r.label, "label");
        if (from == to) {
          s += "<path d=\"M" + num(xa) + " " + num(mid - 6) + " h24 v12 h-20\" class=\"arrow\" marker-end=\"url(#head)\"/>";
        } else if (r.lost) {
          const double xm = (xa + xb) / 2;
          s += line(xa, mid, xm, mid, "arrow");
          s += line(xm - 5, mid - 5, xm + 5, mid + 5, "cross") + line(xm - 5, mid + 5, xm + 5, mid - 5, "cross");
        } else {
          s += line(xa, mid, xb, mid, "arrow", std::string(" marker-end=\"url(#") + (r.duplicated ? "dhead" : "head") + ")\"");
        }
        s += text_at(notes_x, y - 2, note + (r.lost ? "  LOST" : "") + (r.duplicated ? "  DUPLICATED" : "") +
                                         (r.mismatch ? "  MISMATCH" : ""),
                     r.mismatch ? "message-text mismatch-text" : "message-text");
        s += "</g>";
        break;
      }
      case MscRow::Kind::kState:
        s += "<rect x=\"" + num(x_of(from) - 60) + "\" y=\"" + num(y - 16) + "\" width=\"120\" height=\"16\" rx=\"6\" class=\"state\"/>";
        s += text_at(x_of(from), y - 4, r.label.empty() ? r.text : r.label, "state-text", "middle");
        if (!r.label.empty()) s += text_at(notes_x, y - 2, r.text, "state-change");
        break;
      case MscRow::Kind::kNote:
        s += text_at(notes_x, y - 2, note, "note");
        break;
      case MscRow::Kind::kError:
        s += line(x_of(from) - 6, mid - 6, x_of(from) + 6, mid + 6, "cross error") +
             line(x_of(from) - 6, mid + 6, x_of(from) + 6, mid - 6, "cross error");
        s += text_at(notes_x, y - 2, note, "error-text");
        break;
    }
    s += "\n";
  }
  s += "</g>\n";
  return d;
}

std::string msc_svg_header(double width, double height) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\">\n"
         "<defs>\n"
         "<marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">"
         "<path d=\"M0,0 L10,4 L0,8 z\"/></marker>\n"
         "<marker id=\"dhead\" markerWidth=\"18\" markerHeight=\"8\" refX=\"17\" refY=\"4\" orient=\"auto\">"
         "<path d=\"M0,0 L8,4 L0,8 z M8,0 L16,4 L8,8 z\"/></marker>\n"
         "<style>\n"
         "text { font-family: monospace; font-size: 11px; }\n"
         ".title { font-weight: bold; font-size: 13px; }\n"
         ".lifeline-name { font-weight: bold; }\n"
         ".lifeline { stroke: #555; stroke-dasharray: 4 3; }\n"
         ".arrow { stroke: #000; fill: none; }\n"
         ".duplicated .arrow { stroke-width: 2.5; }\n"
         ".lost .arrow { stroke-dasharray: 5 3; }\n"
         ".cross { stroke: #000; stroke-width: 2; }\n"
         ".mismatch .arrow, .error { stroke: #c00; }\n"
         ".mismatch-text, .error-text { fill: #c00; }\n"
         ".step { fill: #000; }\n"
         ".state { fill: #eef; stroke: #447; }\n"
         ".cite { fill: #066; }\n"
         ".label { fill: #777; }\n"
         ".note { font-style: italic; }\n"
         "</style>\n"
         "</defs>\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
}

std::string msc_svg_placed(const std::string& drawing_svg, double y) {
  return "<g transform=\"translate(0," + num(y) + ")\">\n" + drawing_svg + "</g>\n";
}

std::string msc_svg_footer() { return "</svg>\n"; }

std::string msc_svg_document(const std::vector<MscDrawing>& drawings) {
  double width = 0, height = 0;
  for (const MscDrawing& d : drawings) width = std::max(width, d.width), height += d.height;
  std::string s = msc_svg_header(width, height);
  double y = 0;
  for (const MscDrawing& d : drawings) {
    s += msc_svg_placed(d.svg, y);
    y += d.height;
  }
  return s + msc_svg_footer();
}

}  // namespace sp::util
