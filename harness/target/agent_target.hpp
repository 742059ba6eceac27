// A stack the harness reaches only from outside: the lower tester on an Ethernet
// interface through an AF_PACKET socket, the upper tester through an agent
// (docs/agent-protocol.md). `--target raw:IFACE` uses it on an interface the user
// names; `--target lwip` on the kernel side of the TAP device that lwIP owns, in the
// test's own namespace (lwip_target.hpp).
//
// With wire tcp the lower tester plays a host that owns tester.ip: it answers the
// IUT's ARP requests for that address (RFC 826), and those frames are the harness's
// own, never matched. With wire arp it answers nothing: the test speaks ARP itself.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/agent/client.hpp"
#include "harness/engine/target.hpp"

namespace sp::harness {

struct AgentTargetConfig {
  std::string ifname;      // the lower tester's interface
  AddressBook book;
  bool answer_arp = true;  // wire tcp: answer ARP requests for tester.ip
  // Before each call and observation, `sync` with the agent over the frames written so
  // far (lwIP takes frames on a thread of its own; docs/agent-protocol.md).
  bool sync_frames = false;
  // Sent to the agent as `sysctl NAME VALUE` before the test (profile, then test).
  std::vector<std::pair<std::string, std::string>> sysctls;
};

// Not thread-safe.
class AgentTarget : public Target {
 public:
  // Opens the AF_PACKET socket on config.ifname (promiscuous while open) and takes the
  // agent (nullptr: no upper tester; calls and state observations are harness errors).
  // nullptr with *error set on failure.
  static std::unique_ptr<AgentTarget> create(const AgentTargetConfig& config,
                                             std::unique_ptr<agent::AgentClient> agent, std::string* error);
  ~AgentTarget() override;

  LinkType link() const override { return LinkType::kEthernet; }
  double now() override;
  bool send(std::span<const uint8_t> packet, std::string* error) override;
  Received receive(double deadline) override;
  CallOutcome call(const Call& call) override;
  StateObservation tcp_state() override;
  NeighbourObservation neighbour(packet::Ipv4Address address) override;

 private:
  explicit AgentTarget(const AgentTargetConfig& config) : config_(config) {}
  // An ARP request for tester.ip gets its reply; true when `frame` was one.
  bool answer_arp(const std::vector<uint8_t>& frame);

  AgentTargetConfig config_;
  std::unique_ptr<agent::AgentClient> agent_;
  int fd_ = -1;
  int ifindex_ = 0;
  uint64_t frames_sent_ = 0;
  // "" or why the agent could not confirm it has taken the frames sent so far.
  std::string sync();
};

}  // namespace sp::harness
