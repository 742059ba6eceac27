// A suite: the `*.spt` files under the paths given to `stateproof run`, parsed, then
// narrowed by shard, name filter and tier.
#pragma once

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
};

// Files named directly, and every *.spt under directories (recursively), sorted and
// without duplicates. A path that does not exist is an error.
std::vector<std::string> collect_test_files(const std::vector<std::string>& paths,
                                            std::vector<std::string>* errors);

// Parses `shard` of the files and applies the selection.
Suite load_suite(const std::vector<std::string>& files, const Selection& selection);

// Parses "I/N" (1 <= I <= N); false on anything else.
bool parse_shard(const std::string& text, int* index, int* count);

}  // namespace sp::harness
