// The Linux kernel as the IUT: a TUN (`linux`) or TAP (`linux-tap`) device in a fresh
// network namespace, the upper tester as socket calls in that namespace, TCP states
// through sock_diag and the neighbour table through rtnetlink.
//
// Created by the worker process right after it entered its own namespace; everything it
// builds lives in that namespace and vanishes when the worker exits.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/engine/target.hpp"
#include "harness/netns/netlink.hpp"
#include "harness/netns/netns.hpp"
#include "harness/netns/user_open.hpp"

namespace sp::harness {

struct LinuxTargetConfig {
  bool tap = false;  // TAP (Ethernet, ARP) rather than TUN (IPv4)
  // For wire tcp on TAP the tester's address is a permanent neighbour entry, so no ARP
  // exchange precedes the test's packets; wire arp tests start with an empty table.
  bool static_neighbour = true;
  AddressBook book;
  // Applied in order after the device exists (profile first, then the test's own).
  std::vector<std::pair<std::string, std::string>> sysctls;
  // The namespace the harness was started in: nothing is ever configured there.
  uint64_t host_netns = 0;
  std::string ifname = "sp0";
};

// Not thread-safe. Owns the device, the sockets and the netlink sockets.
class LinuxTarget : public Target {
 public:
  // Builds the device and its configuration in the calling process's namespace, which
  // must not be config.host_netns. Returns nullptr with *error set on failure.
  static std::unique_ptr<LinuxTarget> create(const LinuxTargetConfig& config, std::string* error);
  ~LinuxTarget() override;

  LinkType link() const override { return config_.tap ? LinkType::kEthernet : LinkType::kIpv4; }
  double now() override;
  bool send(std::span<const uint8_t> packet, std::string* error) override;
  Received receive(double deadline) override;
  CallOutcome call(const Call& call) override;
  StateObservation tcp_state() override;
  NeighbourObservation neighbour(packet::Ipv4Address address) override;

 private:
  explicit LinuxTarget(const LinuxTargetConfig& config) : config_(config) {}
  netns::Status setup();
  // listen and connect: a fresh socket each (docs/harness.md, "Upper tester").
  CallOutcome do_open(const Call& call);
  CallOutcome do_accept();
  CallOutcome do_send(int64_t bytes);
  CallOutcome do_close(bool abort);
  CallOutcome do_shutdown();
  CallOutcome do_resolve(const std::string& address);
  CallOutcome do_announce();
  // The RFC's passive OPEN has one TCB that becomes the connection: when a call meant
  // for the connection finds only the listener, a connection waiting in its accept
  // queue is taken (accepted) first. No-op otherwise.
  void adopt_pending_connection();

  LinuxTargetConfig config_;
  netns::TunDevice device_;
  netns::Netlink diag_;
  netns::Netlink route_;
  int ifindex_ = 0;
  netns::UserSockets user_;  // the sockets of listen, connect and accept
  int udp_ = -1;         // for `resolve`
};

}  // namespace sp::harness
