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

// The boundary suite for Linux: generated with the receive window Linux advertises
// (64240) instead of spec/tcp.sp's RCV_WND = 2, so the window edges are Linux's
// (docs/harness.md, "The boundary suite on Linux"). Keep in sync with CMakeLists.txt.
inline constexpr const char* kTcpBoundaryForLinux = "--coverage boundary --const RCV_WND=64240";
// The same for lwIP, which advertises 65535 (docs/lwip-vs-linux.md).
inline constexpr const char* kTcpBoundaryForLwip = "--coverage boundary --const RCV_WND=65535";

// The W-method suite: OPENs again after a connection ended (docs/test-format.md).
inline constexpr const char* kTcpWmethod = "--coverage wmethod";

struct GeneratedSuites {
  std::filesystem::path dir;  // tcp/, tcp-boundary/, tcp-boundary-lwip/, tcp-wmethod/ (Endpoint), arp/ (Host)
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
  for (const auto& [name, spec, role, extra] :
       {std::tuple{"tcp", "spec/tcp.sp", "Endpoint", ""},
        std::tuple{"arp", "spec/arp.sp", "Host", ""},
        std::tuple{"tcp-boundary", "spec/tcp.sp", "Endpoint", kTcpBoundaryForLinux},
        std::tuple{"tcp-boundary-lwip", "spec/tcp.sp", "Endpoint", kTcpBoundaryForLwip},
        std::tuple{"tcp-wmethod", "spec/tcp.sp", "Endpoint", kTcpWmethod}}) {
    CommandResult g = run(bin() + " gen " + src(spec) + " --role " + role + " --out " +
                          (s.dir / name).string() + " -q " + extra);
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
