// Message sequence charts as SVG: lifelines side by side, then rows top to bottom —
// steps (a mark on the acting lifeline, its text and RFC cite at the right), messages
// (arrows; lost ones end in a cross halfway, duplicated ones have a double head,
// mismatched ones are red), state changes (a box on the lifeline) and notes. The
// checker builds one from a counterexample (checker/msc.hpp), the runner from a test's
// packets (harness/report/report.hpp).
#pragma once

#include <string>
#include <vector>

namespace sp::util {

struct MscRow {
  enum class Kind {
    kStep,     // a mark on lifeline `from`; text (and cite) at the right
    kMessage,  // an arrow from lifeline `from` to `to`
    kState,    // lifeline `from` is now in state `text`
    kNote,     // text across the chart (a cycle's start, a verdict)
    kError,    // an error mark on lifeline `from`, text in red
  };
  Kind kind = Kind::kNote;
  size_t from = 0, to = 0;
  std::string label;  // kStep: the step number ("3"), or the time ("+0.105")
  std::string text;
  std::string cite;   // "RFC 9293 §3.10.7.4", or "line 12"
  bool lost = false, duplicated = false, mismatch = false;
};

struct MscChart {
  std::string title;
  std::vector<std::string> lifelines;
  std::vector<std::string> initial;  // the state under each lifeline's name, or empty
  std::vector<MscRow> rows;
};

// One chart drawn as an SVG group at the origin, with its size.
struct MscDrawing {
  std::string svg;  // a <g> element
  double width = 0, height = 0;
};
MscDrawing draw_msc(const MscChart& chart);

// A whole SVG document of drawings one below the other.
std::string msc_svg_document(const std::vector<MscDrawing>& drawings);
// The document's parts, for writing drawings as they come (harness reports): the
// header for the total size, each drawing placed at `y`, the footer.
std::string msc_svg_header(double width, double height);
std::string msc_svg_placed(const std::string& drawing_svg, double y);
std::string msc_svg_footer();

}  // namespace sp::util
