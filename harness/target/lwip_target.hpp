// lwIP as the IUT (`--target lwip`): stateproof-lwip-agent runs lwIP in the test's
// namespace on a TAP device it creates through PRECONFIGURED_TAPIF; the TAP's kernel
// side is up with no address and ARP off (IPv6 is disabled in the namespace), so the
// kernel takes no part; the lower tester is an AF_PACKET socket on that kernel side and
// the upper tester the agent's command channel (AgentTarget).
#pragma once

#include <memory>
#include <string>

#include "harness/target/agent_target.hpp"

namespace sp::harness {

struct LwipTargetConfig {
  AddressBook book;
  bool answer_arp = true;   // wire tcp
  uint64_t host_netns = 0;  // nothing is ever configured there
  std::string ifname = "sp0";
  std::string agent_path;   // find_lwip_agent()
};

// Builds the topology in the calling process's namespace (not config.host_netns).
std::unique_ptr<Target> create_lwip_target(const LwipTargetConfig& config, std::string* error);

// The driver program: $STATEPROOF_LWIP_AGENT, else stateproof-lwip-agent beside the
// running executable, else the one of the build tree. "" when none is executable.
std::string find_lwip_agent();

}  // namespace sp::harness
