// Netlink queries for state observation inside a test's namespace: TCP sockets through
// sock_diag (INET_DIAG, what `ss` shows, including TIME-WAIT and SYN-RECV request
// sockets) and the neighbour table through rtnetlink (RTM_GETNEIGH, RTM_NEWNEIGH).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/netns/netns.hpp"
#include "harness/packet/address.hpp"

namespace sp::harness::netns {

struct TcpSocketInfo {
  uint8_t state = 0;  // the kernel's TCP_* value (include/net/tcp_states.h)
  packet::Ipv4Address src, dst;
  uint16_t sport = 0, dport = 0;
  uint32_t rqueue = 0;  // for a listener: connections waiting in its accept queue
  uint64_t cookie = 0;  // the kernel's socket cookie: unique while the namespace lives
};

struct NeighbourInfo {
  packet::Ipv4Address address;
  std::optional<packet::MacAddress> mac;  // NDA_LLADDR, when present
  uint16_t nud_state = 0;                 // NUD_* bits
  int ifindex = 0;
};

// One netlink socket of a given protocol (NETLINK_SOCK_DIAG, NETLINK_ROUTE), bound to
// the namespace it was opened in. Move-only; closes on destruction.
class Netlink {
 public:
  Netlink() = default;
  Netlink(Netlink&& other) noexcept;
  Netlink& operator=(Netlink&& other) noexcept;
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;
  ~Netlink();

  static Status open(int protocol, Netlink* out);

  // Sends `request` (a complete netlink message; its sequence number is set here) and
  // collects the payloads of the replies: every message up to NLMSG_DONE for a dump, or
  // the acknowledgement for a request with NLM_F_ACK. A NLMSG_ERROR with an error code
  // becomes a failed Status.
  Status transact(std::vector<uint8_t> request, std::vector<std::vector<uint8_t>>* replies);

 private:
  int fd_ = -1;
  uint32_t seq_ = 1;
};

Status dump_tcp_sockets(Netlink& diag, std::vector<TcpSocketInfo>* out);
Status dump_neighbours(Netlink& route, int ifindex, std::vector<NeighbourInfo>* out);
Status add_permanent_neighbour(uint64_t host_netns, Netlink& route, int ifindex,
                               packet::Ipv4Address address, const packet::MacAddress& mac);

// Deletes the learned (not permanent) IPv4 neighbour entries of `ifindex`: a test on a
// stack that outlives it starts with an empty ARP cache, as in a fresh namespace. Refuses
// in the namespace the harness was started in (`host_netns`).
Status flush_learned_neighbours(uint64_t host_netns, Netlink& route, int ifindex);

// "ESTABLISHED", "SYN_RECV", "TIME_WAIT", ... as the kernel names TCP states.
const char* kernel_tcp_state_name(uint8_t state);
// "REACHABLE", "STALE|PERMANENT", ...
std::string nud_state_name(uint16_t state);

}  // namespace sp::harness::netns
