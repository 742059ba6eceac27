// Running SPIN from tests: is a tool installed; build a Promela model's verifier and run
// it, returning what pan reported. Used by the SPIN differential tests (ltl_spin_test,
// promela_agreement_test). Nothing here is needed when spin or gcc is missing: the tests
// skip.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace sp::checker::testing {

// A fresh directory /tmp/PREFIX_XXXXXX holding `model.pml` (`text`), removed with its
// contents when the object goes; path() is "" when it could not be made.
class PanDir {
 public:
  PanDir(const std::string& prefix, const std::string& text) {
    std::string tmpl = "/tmp/" + prefix + "_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return;
    path_ = tmpl;
    std::ofstream(path_ + "/model.pml") << text;
  }
  ~PanDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  PanDir(const PanDir&) = delete;
  PanDir& operator=(const PanDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline bool HaveTool(const std::string& tool) {
  return std::system(("command -v " + tool + " > /dev/null 2>&1").c_str()) == 0;
}

// Builds `pan` in `dir` from `dir`/model.pml: `spin <spin_flags> -a`, then `gcc <gcc_flags>`.
// Returns false (with the compiler's output in *log) when either fails.
inline bool BuildPan(const std::string& dir, const std::string& spin_flags, const std::string& gcc_flags,
                     std::string* log = nullptr) {
  const std::string cmd = "cd " + dir + " && rm -f pan pan.* && spin " + spin_flags +
                          " -a model.pml > build.out 2>&1 && gcc " + gcc_flags + " -w -o pan pan.c >> build.out 2>&1";
  const bool ran = std::system(cmd.c_str()) == 0;
  std::ifstream in(dir + "/build.out");
  std::ostringstream b;
  b << in.rdbuf();
  if (log != nullptr) *log = b.str();
  // spin reports some errors (an array passed to an inline...) and still writes pan.c.
  return ran && b.str().find("Error") == std::string::npos;
}

// What one pan run reported.
struct PanRun {
  bool ok = false;                 // pan ran and printed its summary
  int64_t errors = -1;
  uint64_t states = 0;             // "states, stored"
  std::set<std::string> messages;  // each distinct error line, without "pan:N: " and the depth
  std::string output;
};

inline PanRun RunPan(const std::string& dir, const std::string& flags) {
  PanRun r;
  const std::string cmd = "cd " + dir + " && ./pan " + flags + " > pan.out 2>&1";
  std::system(cmd.c_str());
  std::ifstream in(dir + "/pan.out");
  std::string line;
  std::ostringstream all;
  while (std::getline(in, line)) {
    all << line << "\n";
    size_t at = line.find("errors: ");
    if (at != std::string::npos) {
      r.errors = std::atoll(line.c_str() + at + 8);
      r.ok = true;
    }
    at = line.find(" states, stored");
    if (at != std::string::npos) r.states = std::strtoull(line.c_str(), nullptr, 10);
    if (line.rfind("pan:", 0) == 0 && line.find(": ", 4) != std::string::npos && line.find("(at depth") != std::string::npos) {
      std::string msg = line.substr(line.find(": ", 4) + 2);
      msg = msg.substr(0, msg.find(" (at depth"));
      r.messages.insert(msg);
    }
  }
  r.output = all.str();
  return r;
}

}  // namespace sp::checker::testing
