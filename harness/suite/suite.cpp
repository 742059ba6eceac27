#include "harness/suite/suite.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

namespace sp::harness {

namespace fs = std::filesystem;

namespace {

// Every *.spt under `dir`, recursively; what is skipped goes to *warnings.
void walk(const fs::path& dir, std::vector<std::string>* files, std::vector<std::string>* warnings) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    warnings->push_back(dir.string() + ": cannot read the directory (" + ec.message() + "), skipped");
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      warnings->push_back(dir.string() + ": " + ec.message() + ", the rest of the directory skipped");
      return;
    }
    const fs::path& p = it->path();
    const bool spt = p.extension() == ".spt";
    std::error_code lec, sec;
    const fs::file_status link = it->symlink_status(lec);
    const fs::file_status target = it->status(sec);
    if (fs::is_symlink(link) && sec) {
      warnings->push_back(p.string() + ": " +
                          (sec.value() == ELOOP ? "a loop of symbolic links" : "a dangling symbolic link") +
                          ", skipped");
    } else if (fs::is_directory(target)) {
      if (fs::is_symlink(link)) {
        warnings->push_back(p.string() + ": a symbolic link to a directory, not followed");
      } else {
        walk(p, files, warnings);
      }
    } else if (spt && !fs::is_regular_file(target)) {
      warnings->push_back(p.string() + ": not a regular file, skipped");
    } else if (spt) {
      files->push_back(p.lexically_normal().string());
    }
  }
}

}  // namespace

std::string glob_error(const std::string& pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (++i == pattern.size()) return "a trailing `\\` escapes nothing";
    } else if (pattern[i] == '[') {
      size_t j = i + 1;
      if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;  // `]` first is a member
      j = pattern.find(']', j);
      if (j == std::string::npos) return "the `[` at column " + std::to_string(i + 1) + " is not closed";
      i = j;
    }
  }
  return "";
}

std::vector<std::string> collect_test_files(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                            std::vector<std::string>* warnings) {
  std::vector<std::string> ignored;
  if (warnings == nullptr) warnings = &ignored;
  // A vector sorted once rather than a set: a suite of a million files keeps one string
  // per file, not a tree node besides.
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      errors->push_back(p + ": no such file or directory");
      continue;
    }
    if (fs::is_directory(st)) {
      fs::directory_iterator probe(p, ec);
      if (ec) {
        errors->push_back(p + ": " + ec.message());
        continue;
      }
      walk(p, &files, warnings);
    } else {
      files.push_back(fs::path(p).lexically_normal().string());
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  files.shrink_to_fit();
  return files;
}

Suite load_suite(const std::vector<std::string>& files, const Selection& selection) {
  Suite suite;
  SuiteIndex index = index_suite(files, selection, [&](TestCase&& t) { suite.tests.push_back(std::move(t)); });
  suite.not_run = std::move(index.not_run);
  suite.errors = std::move(index.errors);
  suite.bad_input = index.bad_input;
  suite.matched = index.matched;
  return suite;
}

SuiteIndex index_suite(const std::vector<std::string>& files, const Selection& selection,
                       const std::function<void(TestCase&&)>& on_test) {
  SuiteIndex suite;
  std::map<std::string, size_t> names;  // test name -> index of its file
  for (size_t i = 0; i < files.size(); ++i) {
    if (selection.shard_count > 1 &&
        static_cast<int>(i % static_cast<size_t>(selection.shard_count)) != selection.shard_index - 1) {
      continue;
    }
    ParseOutcome parsed = read_test_file(files[i]);
    if (!parsed.test) {
      suite.bad_input = true;
      TestResult r;
      r.path = files[i];
      r.name = fs::path(files[i]).stem().string();
      r.verdict = Verdict::kError;
      Failure f;
      f.kind = "harness";
      f.line = parsed.errors.empty() ? 0 : parsed.errors.front().line;
      f.message = "the test file does not parse";
      for (const ParseError& e : parsed.errors) r.diff += e.format() + "\n";
      r.failure = f;
      suite.errors.insert(suite.errors.end(), parsed.errors.begin(), parsed.errors.end());
      suite.not_run.push_back(std::move(r));
      continue;
    }
    TestCase& t = *parsed.test;
    if (!selection.filter.empty() && fnmatch(selection.filter.c_str(), t.name.c_str(), 0) != 0) continue;
    ++suite.matched;
    auto [it, fresh] = names.emplace(t.name, i);
    if (!fresh) {
      suite.bad_input = true;
      ParseError e{t.path, 1, 0, "test name `" + t.name + "` is also used by " + files[it->second]};
      suite.errors.push_back(e);
      TestResult r;
      r.path = t.path;
      r.name = t.name;
      r.verdict = Verdict::kError;
      Failure f;
      f.kind = "harness";
      f.message = e.message;
      r.failure = f;
      r.diff = e.format() + "\n";
      suite.not_run.push_back(std::move(r));
      continue;
    }
    if (selection.fast && t.tier == Tier::kSlow) {
      TestResult r;
      r.path = t.path;
      r.name = t.name;
      r.verdict = Verdict::kSkipped;
      r.note = "tier slow, skipped by --fast";
      suite.not_run.push_back(std::move(r));
      continue;
    }
    suite.selected.push_back(static_cast<uint32_t>(i));
    on_test(std::move(t));
  }
  return suite;
}

bool parse_shard(const std::string& text, int* index, int* count) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  int i = 0, n = 0;
  auto a = std::from_chars(text.data(), text.data() + slash, i);
  auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), n);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
      b.ptr != text.data() + text.size()) {
    return false;
  }
  if (n < 1 || i < 1 || i > n || n > 100000) return false;
  *index = i;
  *count = n;
  return true;
}

}  // namespace sp::harness
