// The whole text of a file, for tests that check what a command wrote ("" when it
// cannot be read).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sp::testing {

inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream b;
  b << f.rdbuf();
  return b.str();
}

}  // namespace sp::testing
