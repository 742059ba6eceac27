// A suite: the `*.spt` files under the paths given to `stateproof run`, parsed, then
// narrowed by shard, name filter and tier.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/engine/result.hpp"
#include "harness/suite/parse.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

struct Selection {
  std::string filter;      // glob on test names (fnmatch); empty = all
  bool fast = false;       // skip `tier slow`
  int shard_index = 1;     // 1-based: this run takes files i with i % count == index - 1
  int shard_count = 1;
};

struct Suite {
  std::vector<TestCase> tests;          // to run, in file-name order
  std::vector<TestResult> not_run;      // bad files (error) and slow tests under --fast (skipped)
  std::vector<ParseError> errors;       // every parse error, for stderr
  bool bad_input = false;               // some file could not be read or parsed, or names clash
  size_t matched = 0;                   // tests that passed --filter (every parsed test without one)
};

// A suite without its tests: which files hold the selected tests, for loading each again
// when it runs (`stateproof run` holds this over a long run, not the parsed tests), and
// the problems. The k-th test to run is in files[selected[k]] of the files indexed.
struct SuiteIndex {
  std::vector<uint32_t> selected;       // ascending
  std::vector<TestResult> not_run;      // as Suite::not_run
  std::vector<ParseError> errors;
  bool bad_input = false;
  size_t matched = 0;
};

// Files named directly, and every *.spt under directories (recursively), sorted and
// without duplicates. A path that does not exist is an error. What a directory holds but
// cannot be a test is skipped with a warning naming it: a dangling symbolic link or a
// loop of them, a *.spt that is not a regular file (a FIFO, a socket, a device), a
// subdirectory that cannot be read, a symbolic link to a directory (not followed).
std::vector<std::string> collect_test_files(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                            std::vector<std::string>* warnings = nullptr);

// Why `pattern` is no valid --filter glob (an unclosed `[`, a trailing `\`), or "".
std::string glob_error(const std::string& pattern);

// Parses `shard` of the files and applies the selection.
Suite load_suite(const std::vector<std::string>& files, const Selection& selection);
// The same, keeping only the index of each selected test's file; `on_test` sees each
// selected test (in file-name order) before it is dropped.
SuiteIndex index_suite(const std::vector<std::string>& files, const Selection& selection,
                       const std::function<void(TestCase&&)>& on_test);

// Parses "I/N" (1 <= I <= N); false on anything else.
bool parse_shard(const std::string& text, int* index, int* count);

}  // namespace sp::harness
