#include "harness/agent/linux_driver.hpp"

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "harness/engine/target.hpp"
#include "harness/netns/connection.hpp"
#include "harness/netns/netns.hpp"

namespace sp::harness::agent {
namespace {

Reply stack_error(const char* what, int err) {
  return err_reply(kErrStack, std::string(strerrorname_np(err)) + ": " + what + ": " + std::strerror(err));
}

struct sockaddr_in make_addr(uint32_t ip, uint16_t port) {
  struct sockaddr_in s {};
  s.sin_family = AF_INET;
  s.sin_addr.s_addr = htonl(ip);
  s.sin_port = htons(port);
  return s;
}

}  // namespace

LinuxDriver::LinuxDriver(std::string ifname, uint16_t port, uint64_t origin_netns)
    : ifname_(std::move(ifname)), origin_netns_(origin_netns), port_(port) {}

LinuxDriver::~LinuxDriver() {
  netns::close_user_sockets(&user_, false);
  close_fd(&udp_);
}

void LinuxDriver::close_fd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

std::string LinuxDriver::start() {
  if (netns::Status s = netns::Netlink::open(NETLINK_SOCK_DIAG, &diag_); !s.ok()) return s.error;
  if (netns::Status s = netns::Netlink::open(NETLINK_ROUTE, &route_); !s.ok()) return s.error;
  // A session killed before its own reset may have left connections on the port.
  Reply r = do_reset();
  return r.ok ? std::string() : r.text;
}

Reply LinuxDriver::handle(const Command& c) {
  switch (c.verb) {
    case Command::Verb::kListen:
    case Command::Verb::kConnect: return do_open(c);
    case Command::Verb::kAccept: return do_accept();
    case Command::Verb::kSend: return do_send(c.bytes);
    case Command::Verb::kRecv: return do_recv();
    case Command::Verb::kShutdown: return do_shutdown();
    case Command::Verb::kClose: return do_close(false);
    case Command::Verb::kAbort: return do_close(true);
    case Command::Verb::kState: return do_state(c);
    case Command::Verb::kResolve: return do_resolve(c.address);
    case Command::Verb::kAnnounce: return do_announce();
    case Command::Verb::kNeighbour: return do_neighbour(c.address);
    case Command::Verb::kSysctl: {
      netns::Status s = netns::write_sysctl(origin_netns_, c.name, c.value);
      return s.ok() ? ok_reply() : err_reply(kErrStack, s.error);
    }
    // The kernel takes a frame in the sender's write (TAP) or in softirq before the next
    // system call of this agent can see its effects: nothing to wait for.
    case Command::Verb::kSync: return ok_reply();
    case Command::Verb::kReset: return do_reset();
    case Command::Verb::kQuit: return ok_reply();
  }
  return err_reply(kErrUnsupported, "unknown command");
}

Reply LinuxDriver::do_open(const Command& c) {
  std::optional<netns::Endpoint> peer;
  uint16_t local = c.port;
  if (c.verb == Command::Verb::kConnect) {
    peer = netns::Endpoint{c.address, c.port};
    local = c.local_port;
  }
  std::optional<netns::OpenFailure> f = netns::user_open(diag_, &user_, {packet::Ipv4Address{}, local}, peer, c.reuseaddr);
  if (f) return err_reply(kErrStack, f->message);
  // The local port of the new socket (connect from any port: the kernel's choice).
  struct sockaddr_in bound {};
  socklen_t len = sizeof bound;
  getsockname(peer ? user_.connection : user_.listener, reinterpret_cast<struct sockaddr*>(&bound), &len);
  port_ = ntohs(bound.sin_port);
  return ok_reply();
}

void LinuxDriver::adopt_pending_connection() {
  // The RFC's passive OPEN has one TCB that becomes the connection: a connection
  // waiting in the accept queue is taken first (docs/harness.md, "Upper tester").
  if (user_.connection >= 0 || user_.listener < 0) return;
  int fd = accept4(user_.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  user_.connection = fd;
  close_fd(&user_.listener);
}

Reply LinuxDriver::do_accept() {
  if (user_.listener < 0) return err_reply(kErrNoSocket, "no listening socket (listen first)");
  if (user_.connection >= 0) return err_reply(kErrExists, "a connection already exists");
  struct pollfd p {user_.listener, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(kDefaultWithin * 1000)) <= 0) {
    return err_reply(kErrTimeout, "no established connection within 0.5 s");
  }
  int fd = accept4(user_.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return stack_error("accept", errno);
  user_.connection = fd;
  close_fd(&user_.listener);
  return ok_reply();
}

Reply LinuxDriver::do_send(int64_t bytes) {
  adopt_pending_connection();
  if (user_.connection < 0) {
    return err_reply(kErrNoSocket, user_.listener >= 0 ? "the connection is not established yet" : "no connection");
  }
  std::vector<char> data(static_cast<size_t>(bytes), 'x');
  ssize_t n = ::send(user_.connection, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0) return stack_error("send", errno);
  return ok_reply(std::to_string(n));
}

Reply LinuxDriver::do_recv() {
  adopt_pending_connection();
  if (user_.connection < 0) return err_reply(kErrNoSocket, "no connection");
  int64_t total = 0;
  char buf[65536];
  while (true) {
    ssize_t n = recv(user_.connection, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      total += n;
      continue;
    }
    if (n == 0) return ok_reply(std::to_string(total) + " eof");
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ok_reply(std::to_string(total));
    return stack_error("recv", errno);
  }
}

Reply LinuxDriver::do_shutdown() {
  adopt_pending_connection();
  if (user_.connection < 0) return err_reply(kErrNoSocket, "no connection");
  if (shutdown(user_.connection, SHUT_WR) != 0) return stack_error("shutdown", errno);
  return ok_reply();
}

Reply LinuxDriver::do_close(bool abort) {
  adopt_pending_connection();
  int* fd = user_.connection >= 0 ? &user_.connection : user_.listener >= 0 ? &user_.listener : nullptr;
  if (!fd) return err_reply(kErrNoSocket, "no socket");
  if (!abort && fd == &user_.connection) {
    std::string error;
    if (!netns::close_connection(fd, &error)) return err_reply(kErrStack, "close: " + error);
    return ok_reply();
  }
  if (abort) {
    struct linger l {1, 0};
    if (setsockopt(*fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0) return stack_error("SO_LINGER", errno);
  }
  close_fd(fd);
  return ok_reply();
}

Reply LinuxDriver::do_state(const Command& c) {
  std::vector<netns::TcpSocketInfo> sockets;
  if (netns::Status s = netns::dump_tcp_sockets(diag_, &sockets); !s.ok()) {
    return err_reply(kErrStack, s.error);
  }
  if (port_ == 0) return ok_reply("CLOSED no listen or connect yet");
  std::optional<netns::Endpoint> peer;
  if (c.has_peer) peer = netns::Endpoint{c.address, c.port};
  netns::ConnectionView v =
      netns::pick_connection(user_.earlier.current(std::move(sockets)), {packet::Ipv4Address{}, port_}, peer);
  return ok_reply(v.state + " " + v.detail);
}

Reply LinuxDriver::do_resolve(packet::Ipv4Address address) {
  if (udp_ < 0) {
    udp_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (udp_ < 0) return stack_error("socket", errno);
  }
  // The kernel resolves the next hop of a datagram; the datagram itself, marked by its
  // payload, is the harness's own once it leaves.
  struct sockaddr_in to = make_addr(address.value, 9);
  if (sendto(udp_, kResolveMarker.data(), kResolveMarker.size(), 0, reinterpret_cast<struct sockaddr*>(&to),
             sizeof to) < 0 &&
      errno != EAGAIN) {
    return stack_error("sendto", errno);
  }
  return ok_reply();
}

Reply LinuxDriver::do_announce() {
  if (ifname_.empty()) return err_reply(kErrUnsupported, "announce needs --ifname");
  // arp_notify: a NETDEV_CHANGEADDR (setting the MAC address, even to itself) makes the
  // kernel send a gratuitous ARP request for each address of the device.
  if (netns::Status s = netns::write_sysctl(origin_netns_, "net.ipv4.conf." + ifname_ + ".arp_notify", "1"); !s.ok()) {
    return err_reply(kErrStack, s.error);
  }
  struct ifreq ifr {};
  std::strncpy(ifr.ifr_name, ifname_.c_str(), IFNAMSIZ - 1);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  bool got = fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0;
  int err = errno;
  if (fd >= 0) close(fd);
  if (!got) return stack_error(("SIOCGIFHWADDR " + ifname_).c_str(), err);
  packet::MacAddress mac;
  std::memcpy(mac.bytes.data(), ifr.ifr_hwaddr.sa_data, 6);
  if (netns::Status s = netns::set_mac_address(origin_netns_, ifname_, mac); !s.ok()) return err_reply(kErrStack, s.error);
  return ok_reply();
}

Reply LinuxDriver::do_neighbour(packet::Ipv4Address address) {
  if (ifname_.empty()) return err_reply(kErrUnsupported, "neighbour needs --ifname");
  int ifindex = static_cast<int>(if_nametoindex(ifname_.c_str()));
  if (ifindex == 0) return stack_error(ifname_.c_str(), errno);
  std::vector<netns::NeighbourInfo> entries;
  if (netns::Status s = netns::dump_neighbours(route_, ifindex, &entries); !s.ok()) {
    return err_reply(kErrStack, s.error);
  }
  for (const netns::NeighbourInfo& n : entries) {
    if (n.address != address) continue;
    std::string state = netns::nud_state_name(n.nud_state);
    bool usable = n.mac && !(n.nud_state & (NUD_INCOMPLETE | NUD_FAILED)) && n.nud_state != NUD_NONE;
    return ok_reply((usable ? n.mac->to_string() : std::string("none")) + " " + state);
  }
  return ok_reply("none no entry");
}

Reply LinuxDriver::do_reset() {
  // Abort what this session holds (a RST rather than a FIN exchange nobody watches),
  // then drop what earlier sessions left on the port (TIME-WAIT, FIN-WAIT, request
  // sockets): the next session starts from CLOSED, as a fresh namespace would.
  netns::close_user_sockets(&user_, true);
  close_fd(&udp_);
  std::string failures;
  if (port_ != 0) {
    std::vector<netns::TcpSocketInfo> sockets;
    if (netns::Status s = netns::dump_tcp_sockets(diag_, &sockets); !s.ok()) return err_reply(kErrStack, s.error);
    for (const netns::TcpSocketInfo& k : sockets) {
      if (k.sport != port_ || k.state == 10) continue;
      if (netns::Status s = netns::destroy_tcp_socket(diag_, k); !s.ok()) failures += s.error + "; ";
    }
  }
  port_ = 0;
  // The ARP cache too (docs/agent-protocol.md "reset"): entries learned in one test would
  // answer the next test's resolve without a REQUEST. Only in the stack's own namespace:
  // an agent run in the harness's namespace leaves that namespace's table alone.
  if (!ifname_.empty() && netns::require_private_netns(origin_netns_).ok()) {
    const int ifindex = static_cast<int>(if_nametoindex(ifname_.c_str()));
    if (ifindex != 0) {
      if (netns::Status s = netns::flush_learned_neighbours(origin_netns_, route_, ifindex); !s.ok()) {
        failures += s.error + "; ";
      }
    }
  }
  return failures.empty() ? ok_reply() : err_reply(kErrStack, failures);
}

}  // namespace sp::harness::agent
