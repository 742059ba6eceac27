// Source files and diagnostics: every message is `file:line:col: severity: text`,
// followed by the source line and a caret under the column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.hpp"

namespace sp {

struct SourceFile {
  std::string path;
  std::string text;
};

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  ast::Loc loc;
  std::string message;
};

// The most characters of a source line a diagnostic echoes: a longer line is shown as a
// window of this many around the column, cut with "..." (the caret still under it).
inline constexpr size_t kMaxEchoedLine = 120;

// Collects diagnostics for one source file. Not thread-safe.
class Diagnostics {
 public:
  explicit Diagnostics(const SourceFile& file) : file_(&file) {}

  void error(const ast::Loc& loc, std::string message);
  void warning(const ast::Loc& loc, std::string message);
  void note(const ast::Loc& loc, std::string message);

  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  const SourceFile& file() const { return *file_; }

  // Renders one diagnostic as `path:line:col: error: msg\n<line>\n<caret>\n`.
  std::string format(const Diagnostic& d) const;
  // Renders every diagnostic, in the order reported.
  std::string format_all() const;

  // Line and column (1-based) of a byte offset in the file.
  ast::Loc locate(uint32_t offset) const;

 private:
  const SourceFile* file_;
  std::vector<Diagnostic> list_;
  int errors_ = 0;
};

// The candidate closest to `name` by edit distance, or "" when none is close enough
// to be a plausible typo. Used for "did you mean X?" hints.
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean X?)" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace sp
