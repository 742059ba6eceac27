// An agent-protocol driver for the Linux kernel of the namespace it runs in: socket
// calls for the commands, sock_diag for `state`, rtnetlink for `neighbour`. It is the
// upper tester of `--target raw:IFACE` when the stack under test is a Linux kernel in
// another namespace (reached only over a veth pair), and the reference agent for anyone
// writing one (stateproof-linux-agent).
#pragma once

#include <optional>
#include <string>

#include "harness/agent/serve.hpp"
#include "harness/netns/netlink.hpp"
#include "harness/netns/user_open.hpp"

namespace sp::harness::agent {

class LinuxDriver : public Driver {
 public:
  // `ifname`: the stack's interface, for `neighbour` and `announce` ("": unsupported);
  // `port`: the IUT's port, cleaned of leftovers at the start (0: none).
  // `origin_netns`: the namespace the agent was started in (netns::current_netns()
  // before --netns); settings (sysctl, announce) are refused there, so an agent never
  // reconfigures the namespace of whoever started it.
  LinuxDriver(std::string ifname, uint16_t port, uint64_t origin_netns);
  ~LinuxDriver() override;
  // Opens the netlink sockets and removes leftovers (reset). "" when it worked.
  std::string start();
  Reply handle(const Command& command) override;

 private:
  // listen and connect: a fresh socket each (netns/user_open.hpp).
  Reply do_open(const Command& c);
  Reply do_accept();
  Reply do_send(int64_t bytes);
  Reply do_recv();
  Reply do_shutdown();
  Reply do_close(bool abort);
  Reply do_state(const Command& c);
  Reply do_resolve(packet::Ipv4Address address);
  Reply do_announce();
  Reply do_neighbour(packet::Ipv4Address address);
  Reply do_reset();
  void adopt_pending_connection();
  void close_fd(int* fd);

  std::string ifname_;
  uint64_t origin_netns_ = 0;
  netns::Netlink diag_;
  netns::Netlink route_;
  uint16_t port_ = 0;    // the local port of the last listen/connect
  netns::UserSockets user_;
  int udp_ = -1;
};

}  // namespace sp::harness::agent
