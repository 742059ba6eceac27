// The TCP and ARP suites `stateproof gen` writes from the shipped specs, shared by the
// end-to-end tests that run them against stacks. Under ctest the e2e_generate_suites
// fixture (tests/e2e/CMakeLists.txt) writes them once per run and names the folder in
// STATEPROOF_E2E_SUITES: generating takes tens of seconds, and gtest_discover_tests runs
// every test in a process of its own, so a per-process SetUpTestSuite would repeat it for
// every test. Run by hand (no STATEPROOF_E2E_SUITES), a test generates its own copy.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {

struct GeneratedSuites {
  std::filesystem::path dir;  // holds tcp/ (role Endpoint) and arp/ (role Host)
  bool ok = false;
  std::string output;  // why not, when !ok
  bool owned = false;  // generated into `scratch` by this process: remove it when done
};

// The shared suites, or suites freshly generated into `scratch`.
inline GeneratedSuites generated_suites(const std::filesystem::path& scratch) {
  GeneratedSuites s;
  if (const char* shared = std::getenv("STATEPROOF_E2E_SUITES"); shared && *shared) {
    s.dir = shared;
    s.ok = std::filesystem::exists(s.dir / ".complete");
    if (!s.ok) s.output = "the e2e_generate_suites fixture did not finish; see its ctest output";
    return s;
  }
  s.dir = scratch;
  s.owned = true;
  std::error_code ec;
  std::filesystem::remove_all(s.dir, ec);
  std::filesystem::create_directories(s.dir, ec);
  s.ok = true;
  for (const auto& [name, spec, role] : {std::tuple{"tcp", "spec/tcp.sp", "Endpoint"},
                                         std::tuple{"arp", "spec/arp.sp", "Host"}}) {
    CommandResult g = run(bin() + " gen " + src(spec) + " --role " + role + " --out " +
                          (s.dir / name).string() + " -q");
    if (g.status != 0) {
      s.ok = false;
      s.output += g.out;
    }
  }
  return s;
}

// Removes the suites if this process generated them.
inline void release(const GeneratedSuites& s) {
  std::error_code ec;
  if (s.owned) std::filesystem::remove_all(s.dir, ec);
}

}  // namespace sp::e2e
