// Snapshots of the host namespace's network configuration, to assert that a run changed
// nothing there: `ip -o link` (without counters and operational flags that move by
// themselves), `ip -o route`, `ip netns list` and the named namespaces in /run/netns.
#pragma once

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace sp::harness::testing {

inline std::string command_output(const std::string& cmd) {
  std::string text;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "popen failed";
  char buf[512];
  while (fgets(buf, sizeof buf, p)) text += buf;
  pclose(p);
  return text;
}

struct HostState {
  std::string links;
  std::string routes;
  std::string netns;
  std::string netns_list;

  static HostState capture() {
    HostState s;
    // Interface names, indexes, flags and addresses; not qdisc statistics.
    s.links = command_output("ip -o link show 2>&1 | sed -e 's/ qlen [0-9]*//'");
    s.routes = command_output("ip -o route show table all 2>&1");
    s.netns_list = command_output("ip netns list 2>&1");
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/run/netns", ec)) {
      s.netns += e.path().filename().string() + "\n";
    }
    return s;
  }

  bool operator==(const HostState&) const = default;
};

}  // namespace sp::harness::testing
