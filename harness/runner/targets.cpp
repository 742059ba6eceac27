#include "harness/runner/targets.hpp"

#include <linux/if_ether.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/target/agent_target.hpp"
#include "harness/target/linux_target.hpp"
#include "harness/target/lwip_target.hpp"

namespace sp::harness {
namespace {

std::vector<std::pair<std::string, std::string>> sysctls_of(const TestCase& test, const RunOptions& options) {
  std::vector<std::pair<std::string, std::string>> all;
  if (options.profile) {
    for (const Setting& s : options.profile->sysctls) all.emplace_back(s.name, s.value);
  }
  for (const Sysctl& s : test.sysctls) all.emplace_back(s.name, s.value);
  return all;
}

// The upper tester of a raw target: IPV4:PORT is an agent to connect to, anything else
// a command started for this test (in this namespace; it may enter another itself).
std::unique_ptr<agent::AgentClient> start_agent(const std::string& spec, std::string* error) {
  size_t colon = spec.rfind(':');
  bool address = colon != std::string::npos && spec.find(' ') == std::string::npos &&
                 packet::Ipv4Address::parse(spec.substr(0, colon)).has_value();
  std::unique_ptr<agent::AgentClient> client =
      address ? agent::AgentClient::connect_to(spec, agent::kReplyTimeout, error)
              : agent::AgentClient::spawn(spec, {}, error);
  if (!client) return nullptr;
  if (!client->wait_ready(agent::kReadyTimeout)) {
    *error = client->error();
    return nullptr;
  }
  return client;
}

}  // namespace

std::unique_ptr<Target> make_target(const TestCase& test, const RunOptions& options, uint64_t host_netns,
                                    std::string* error) {
  switch (options.target) {
    case TargetKind::kLinux:
    case TargetKind::kLinuxTap: {
      LinuxTargetConfig config;
      config.tap = options.target == TargetKind::kLinuxTap;
      config.static_neighbour = test.wire == Wire::kTcp;
      config.book = options.execute.book;
      config.host_netns = host_netns;
      config.sysctls = sysctls_of(test, options);
      return LinuxTarget::create(config, error);
    }
    case TargetKind::kLwip: {
      if (std::vector<std::pair<std::string, std::string>> s = sysctls_of(test, options); !s.empty()) {
        *error = "lwip has no sysctls (" + s.front().first + ")";
        return nullptr;
      }
      LwipTargetConfig config;
      config.book = options.execute.book;
      config.answer_arp = test.wire == Wire::kTcp;
      config.host_netns = host_netns;
      config.agent_path = find_lwip_agent();
      return create_lwip_target(config, error);
    }
    case TargetKind::kRaw: {
      AgentTargetConfig config;
      config.ifname = options.interface;
      config.book = options.execute.book;
      config.answer_arp = test.wire == Wire::kTcp;
      config.sysctls = sysctls_of(test, options);
      std::unique_ptr<agent::AgentClient> client;
      if (!options.agent.empty()) {
        client = start_agent(options.agent, error);
        if (!client) return nullptr;
      } else if (!config.sysctls.empty()) {
        *error = "sysctl " + config.sysctls.front().first + " needs an agent (--agent)";
        return nullptr;
      }
      return AgentTarget::create(config, std::move(client), error);
    }
  }
  *error = "unknown target";
  return nullptr;
}

EnvironmentStatus check_target_environment(TargetKind target, const std::string& interface) {
  if (target == TargetKind::kLwip && find_lwip_agent().empty()) {
    return {false,
            "the lwip target is not built: liblwip-dev missing (scripts/install-deps.sh installs it; then "
            "rebuild, which builds stateproof-lwip-agent), or set STATEPROOF_LWIP_AGENT to the driver"};
  }
  if (target == TargetKind::kRaw) {
    if (if_nametoindex(interface.c_str()) == 0) {
      return {false, "no interface `" + interface + "` in this network namespace (raw:IFACE names an existing one)"};
    }
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0) {
      return {false, std::string("cannot open an AF_PACKET socket: ") + std::strerror(errno) +
                         " (raw:IFACE needs CAP_NET_RAW: run it as root)"};
    }
    close(fd);
  }
  return {};
}

}  // namespace sp::harness
