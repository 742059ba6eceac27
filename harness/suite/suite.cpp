#include "harness/suite/suite.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

namespace sp::harness {

namespace fs = std::filesystem;

std::vector<std::string> collect_test_files(const std::vector<std::string>& paths,
                                            std::vector<std::string>* errors) {
  std::set<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      errors->push_back(p + ": no such file or directory");
      continue;
    }
    if (fs::is_directory(st)) {
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) {
        errors->push_back(p + ": " + ec.message());
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          errors->push_back(p + ": " + ec.message());
          break;
        }
        if (it->is_regular_file(ec) && it->path().extension() == ".spt") {
          files.insert(it->path().lexically_normal().string());
        }
      }
    } else {
      files.insert(fs::path(p).lexically_normal().string());
    }
  }
  return {files.begin(), files.end()};
}

Suite load_suite(const std::vector<std::string>& files, const Selection& selection) {
  Suite suite;
  std::map<std::string, std::string> names;  // test name -> file
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
    auto [it, fresh] = names.emplace(t.name, t.path);
    if (!fresh) {
      suite.bad_input = true;
      ParseError e{t.path, 1, 0, "test name `" + t.name + "` is also used by " + it->second};
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
    suite.tests.push_back(std::move(t));
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
