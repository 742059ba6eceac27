#include "harness/target/lwip_target.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "harness/netns/netns.hpp"

#ifndef STATEPROOF_LWIP_AGENT_PATH
#define STATEPROOF_LWIP_AGENT_PATH ""
#endif

namespace sp::harness {
namespace {

// The kernel side of the TAP: up, and IFF_NOARP so that the kernel never speaks ARP on
// it; no address, so it neither answers nor sends IPv4.
netns::Status kernel_side_up_noarp(uint64_t host, const std::string& ifname) {
  if (netns::Status s = netns::require_private_netns(host); !s.ok()) return s;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return netns::Status::Errno("socket", errno);
  struct ifreq ifr {};
  std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  netns::Status s;
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
    s = netns::Status::Errno("SIOCGIFFLAGS " + ifname, errno);
  } else {
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_NOARP);
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) s = netns::Status::Errno("SIOCSIFFLAGS " + ifname, errno);
  }
  close(fd);
  return s;
}

bool executable(const std::string& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; }

}  // namespace

std::string find_lwip_agent() {
  if (const char* env = std::getenv("STATEPROOF_LWIP_AGENT"); env && *env) return executable(env) ? env : "";
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::string beside = (self.parent_path() / "stateproof-lwip-agent").string();
    if (executable(beside)) return beside;
  }
  return executable(STATEPROOF_LWIP_AGENT_PATH) ? STATEPROOF_LWIP_AGENT_PATH : "";
}

std::unique_ptr<Target> create_lwip_target(const LwipTargetConfig& config, std::string* error) {
  const uint64_t host = config.host_netns;
  if (netns::Status s = netns::require_private_netns(host); !s.ok()) {
    *error = s.error;
    return nullptr;
  }
  // No IPv6 on the kernel side: no router solicitations or MLD reports on the wire.
  for (const char* name : {"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"}) {
    netns::Status s = netns::write_sysctl(host, name, "1");
    if (!s.ok() && s.error.find("No such file") == std::string::npos) {
      *error = s.error;
      return nullptr;
    }
  }
  if (config.agent_path.empty()) {
    *error = "stateproof-lwip-agent not found (not built: liblwip-dev missing?)";
    return nullptr;
  }
  const AddressBook& b = config.book;
  std::string command = config.agent_path + " --ip " + b.iut_ip.to_string() + " --netmask 255.255.255.0 --mac " +
                        b.iut_mac.to_string();
  std::unique_ptr<agent::AgentClient> client =
      agent::AgentClient::spawn(command, {{"PRECONFIGURED_TAPIF", config.ifname}}, error);
  if (!client) return nullptr;
  if (!client->wait_ready(agent::kReadyTimeout)) {
    *error = client->error();
    return nullptr;
  }
  if (netns::Status s = kernel_side_up_noarp(host, config.ifname); !s.ok()) {
    *error = s.error;
    return nullptr;
  }
  AgentTargetConfig t;
  t.ifname = config.ifname;
  t.book = config.book;
  t.answer_arp = config.answer_arp;
  t.sync_frames = true;  // lwIP reads the TAP on its own thread
  return AgentTarget::create(t, std::move(client), error);
}

}  // namespace sp::harness
