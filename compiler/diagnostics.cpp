#include "compiler/diagnostics.hpp"

#include <algorithm>
#include <cctype>

namespace sp {

void Diagnostics::error(const ast::Loc& loc, std::string message) {
  list_.push_back({Severity::kError, loc, std::move(message)});
  ++errors_;
}

void Diagnostics::warning(const ast::Loc& loc, std::string message) {
  list_.push_back({Severity::kWarning, loc, std::move(message)});
}

void Diagnostics::note(const ast::Loc& loc, std::string message) {
  list_.push_back({Severity::kNote, loc, std::move(message)});
}

ast::Loc Diagnostics::locate(uint32_t offset) const {
  const std::string& text = file_->text;
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  ast::Loc loc;
  loc.offset = offset;
  loc.line = 1;
  uint32_t line_start = 0;
  for (uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      line_start = i + 1;
    }
  }
  loc.col = offset - line_start + 1;
  return loc;
}

std::string Diagnostics::format(const Diagnostic& d) const {
  static const char* const kNames[] = {"error", "warning", "note"};
  std::string out = file_->path;
  ast::Loc loc = d.loc;
  if (loc.line == 0 && loc.offset > 0) loc = locate(loc.offset);
  if (loc.line > 0) {
    out += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
  }
  out += ": ";
  out += kNames[static_cast<int>(d.severity)];
  // A message quotes source text (a name, a literal), which may be as long as a line.
  out += ": " + (d.message.size() > 2 * kMaxEchoedLine ? d.message.substr(0, 2 * kMaxEchoedLine) + "..." : d.message) +
         "\n";
  if (loc.line == 0) return out;
  // The source line, tabs kept so the caret lines up.
  const std::string& text = file_->text;
  size_t start = 0;
  for (uint32_t line = 1; line < loc.line && start < text.size(); ++line) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) return out;
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  // A long line is shown as a window of it around the column, cut with "...".
  const size_t col = std::min<size_t>(loc.col - 1, end - start);
  size_t from = start, to = end;
  if (end - start > kMaxEchoedLine) {
    from = start + (col > kMaxEchoedLine / 2 ? col - kMaxEchoedLine / 2 : 0);
    to = std::min(end, from + kMaxEchoedLine);
    from = to - kMaxEchoedLine;
  }
  const std::string before = from > start ? "..." : "";
  out += "  " + before + text.substr(from, to - from) + (to < end ? "..." : "") + "\n  ";
  out += std::string(before.size(), ' ');
  for (size_t i = from; i < start + col; ++i) out += text[i] == '\t' ? '\t' : ' ';
  out += "^\n";
  return out;
}

std::string Diagnostics::format_all() const {
  std::string out;
  for (const Diagnostic& d : list_) out += format(d);
  return out;
}

namespace {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions),
// case-insensitive: `opne` is one edit from `open`.
size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 0;
  for (const std::string& c : candidates) {
    if (c == name) continue;
    size_t d = edit_distance(name, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // A plausible typo: about a third of the name differs (1 to 3 edits); names of one or
  // two letters are too short to guess from.
  if (name.size() <= 2 || name.size() > 64) return "";
  size_t limit = std::clamp<size_t>((name.size() + 2) / 3, 1, 3);
  if (best.empty() || best_distance > limit) return "";
  return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best = nearest_name(name, candidates);
  return best.empty() ? "" : " (did you mean " + best + "?)";
}

}  // namespace sp
