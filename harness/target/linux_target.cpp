#include "harness/target/linux_target.hpp"

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "harness/netns/connection.hpp"
#include "harness/target/wait.hpp"

namespace sp::harness {
namespace {

struct sockaddr_in make_addr(packet::Ipv4Address a, uint16_t port) {
  struct sockaddr_in s {};
  s.sin_family = AF_INET;
  s.sin_addr.s_addr = htonl(a.value);
  s.sin_port = htons(port);
  return s;
}

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err) + " (" + strerrorname_np(err) + ")";
}

CallOutcome harness_failure(std::string message) { return {false, true, std::move(message)}; }
CallOutcome iut_failure(std::string message) { return {false, false, std::move(message)}; }
// Nothing to act on: the harness cannot make the call, unless the test lets the IUT
// refuse it (then it is the RFC's "connection does not exist").
CallOutcome no_connection(std::string message) { return {false, true, std::move(message), true}; }

}  // namespace

std::unique_ptr<LinuxTarget> LinuxTarget::create(const LinuxTargetConfig& config, std::string* error) {
  std::unique_ptr<LinuxTarget> t(new LinuxTarget(config));
  netns::Status s = t->setup();
  if (!s.ok()) {
    *error = s.error;
    return nullptr;
  }
  return t;
}

LinuxTarget::~LinuxTarget() {
  netns::close_user_sockets(&user_, false);
  if (udp_ >= 0) close(udp_);
}

netns::Status LinuxTarget::setup() {
  const uint64_t host = config_.host_netns;
  if (netns::Status s = netns::require_private_netns(host); !s.ok()) return s;
  // No IPv6 on the device: no router solicitations or MLD reports on the wire.
  for (const char* name : {"net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6"}) {
    netns::Status s = netns::write_sysctl(host, name, "1");
    if (!s.ok() && s.error.find("No such file") == std::string::npos) return s;
  }
  if (netns::Status s = netns::set_link_up(host, "lo"); !s.ok()) return s;
  if (netns::Status s = netns::TunDevice::create(host, config_.ifname, config_.tap, &device_); !s.ok()) {
    return s;
  }
  ifindex_ = static_cast<int>(if_nametoindex(device_.name().c_str()));
  if (ifindex_ == 0) return netns::Status::Errno("if_nametoindex " + device_.name(), errno);
  if (config_.tap) {
    if (netns::Status s = netns::set_mac_address(host, device_.name(), config_.book.iut_mac); !s.ok()) {
      return s;
    }
  }
  if (netns::Status s = netns::set_ipv4_address(host, device_.name(), config_.book.iut_ip, 24); !s.ok()) {
    return s;
  }
  if (netns::Status s = netns::set_link_up(host, device_.name()); !s.ok()) return s;
  for (const auto& [name, value] : config_.sysctls) {
    if (netns::Status s = netns::write_sysctl(host, name, value); !s.ok()) return s;
  }
  if (netns::Status s = netns::Netlink::open(NETLINK_SOCK_DIAG, &diag_); !s.ok()) return s;
  if (netns::Status s = netns::Netlink::open(NETLINK_ROUTE, &route_); !s.ok()) return s;
  if (config_.tap && config_.static_neighbour) {
    netns::Status s = netns::add_permanent_neighbour(host, route_, ifindex_, config_.book.tester_ip,
                                                     config_.book.tester_mac);
    if (!s.ok()) return s;
  }
  return netns::Status::Ok();
}

double LinuxTarget::now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

bool LinuxTarget::send(std::span<const uint8_t> packet, std::string* error) {
  ssize_t n = write(device_.fd(), packet.data(), packet.size());
  if (n != static_cast<ssize_t>(packet.size())) {
    *error = n < 0 ? errno_text("write", errno) : "short write to the device";
    return false;
  }
  return true;
}

Received LinuxTarget::receive(double deadline) {
  Received r;
  std::vector<uint8_t> buf(65536 + 64);
  while (true) {
    ssize_t n = read(device_.fd(), buf.data(), buf.size());
    if (n > 0) {
      r.status = Received::Status::kPacket;
      r.time = now();
      buf.resize(static_cast<size_t>(n));
      r.bytes = std::move(buf);
      return r;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      r.status = Received::Status::kError;
      r.error = errno_text("read", errno);
      return r;
    }
    double left = deadline - now();
    if (left <= 0) {
      r.status = Received::Status::kTimeout;
      return r;
    }
    if (wait_readable(device_.fd(), left) < 0 && errno != EINTR) {
      r.status = Received::Status::kError;
      r.error = errno_text("ppoll", errno);
      return r;
    }
  }
}

CallOutcome LinuxTarget::call(const Call& call) {
  switch (call.kind) {
    case Call::Kind::kListen:
    case Call::Kind::kConnect: return do_open(call);
    case Call::Kind::kAccept: return do_accept();
    case Call::Kind::kSend: return do_send(call.bytes);
    case Call::Kind::kShutdown: return do_shutdown();
    case Call::Kind::kClose: return do_close(false);
    case Call::Kind::kAbort: return do_close(true);
    case Call::Kind::kResolve: return do_resolve(call.address);
    case Call::Kind::kAnnounce: return do_announce();
  }
  return harness_failure("unknown call");
}

CallOutcome LinuxTarget::do_open(const Call& call) {
  std::optional<netns::Endpoint> peer;
  if (call.kind == Call::Kind::kConnect) peer = netns::Endpoint{config_.book.tester_ip, config_.book.tester_port};
  std::optional<netns::OpenFailure> f = netns::user_open(
      diag_, &user_, {config_.book.iut_ip, config_.book.iut_port}, peer, call.reuseaddr);
  if (!f) return {};
  std::string message = std::string(call_name(call.kind)) + ": " + f->message;
  return f->harness ? harness_failure(std::move(message)) : iut_failure(std::move(message));
}

void LinuxTarget::adopt_pending_connection() {
  if (user_.connection >= 0 || user_.listener < 0) return;
  int fd = accept4(user_.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  user_.connection = fd;
  close(user_.listener);
  user_.listener = -1;
}

CallOutcome LinuxTarget::do_accept() {
  if (user_.listener < 0) return harness_failure("accept: no listening socket (call listen first)");
  if (user_.connection >= 0) return harness_failure("accept: a connection already exists");
  struct pollfd p {user_.listener, POLLIN, 0};
  int pr = poll(&p, 1, static_cast<int>(kDefaultWithin * 1000));
  if (pr <= 0) return iut_failure("accept: no established connection within 0.5 s");
  int fd = accept4(user_.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return iut_failure(errno_text("accept", errno));
  user_.connection = fd;
  // The RFC's passive OPEN has one TCB that becomes the connection: once the
  // connection is accepted the listener goes, so that the state observed after the
  // connection ends is CLOSED (docs/harness.md).
  close(user_.listener);
  user_.listener = -1;
  return {};
}

CallOutcome LinuxTarget::do_send(int64_t bytes) {
  adopt_pending_connection();
  if (user_.connection < 0) {
    if (user_.listener >= 0) return harness_failure("send: the connection is not established yet");
    return no_connection("send: no connection");
  }
  std::vector<char> data(static_cast<size_t>(bytes), 'x');
  ssize_t n = ::send(user_.connection, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0) return iut_failure(errno_text("send", errno));
  if (n != bytes) {
    return iut_failure("send: only " + std::to_string(n) + " of " + std::to_string(bytes) +
                       " bytes accepted");
  }
  return {};
}

CallOutcome LinuxTarget::do_shutdown() {
  adopt_pending_connection();
  if (user_.connection < 0) return no_connection("shutdown: no connection");
  if (shutdown(user_.connection, SHUT_WR) != 0) return iut_failure(errno_text("shutdown", errno));
  return {};
}

CallOutcome LinuxTarget::do_close(bool abort) {
  adopt_pending_connection();
  int* fd = user_.connection >= 0 ? &user_.connection : user_.listener >= 0 ? &user_.listener : nullptr;
  if (!fd) return no_connection(std::string(abort ? "abort" : "close") + ": no socket");
  if (!abort && fd == &user_.connection) {
    std::string error;
    if (!netns::close_connection(fd, &error)) return iut_failure("close: " + error);
    return {};
  }
  if (abort) {
    struct linger l {1, 0};
    if (setsockopt(*fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0) {
      return harness_failure(errno_text("setsockopt SO_LINGER", errno));
    }
  }
  close(*fd);
  *fd = -1;
  return {};
}

CallOutcome LinuxTarget::do_resolve(const std::string& address) {
  std::optional<packet::Ipv4Address> a = config_.book.ip(address);
  if (!a) return harness_failure("resolve: bad address " + address);
  if (udp_ < 0) {
    udp_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (udp_ < 0) return harness_failure(errno_text("socket", errno));
  }
  // Sending a datagram makes the kernel resolve the next hop; the datagram itself
  // leaves once the address is resolved and is recognised by its payload.
  struct sockaddr_in to = make_addr(*a, 9);
  if (sendto(udp_, kResolveMarker.data(), kResolveMarker.size(), 0,
             reinterpret_cast<struct sockaddr*>(&to), sizeof to) < 0 &&
      errno != EAGAIN) {
    return iut_failure(errno_text("resolve (sendto)", errno));
  }
  return {};
}

CallOutcome LinuxTarget::do_announce() {
  if (!config_.tap) return harness_failure("announce: needs an Ethernet target (linux-tap)");
  // With arp_notify, a NETDEV_CHANGEADDR makes the kernel send a gratuitous ARP request
  // for each of the device's addresses (inetdev_send_gratuitous_arp): setting the MAC
  // address, even to the same value, raises it.
  std::string name = "net.ipv4.conf." + device_.name() + ".arp_notify";
  if (netns::Status s = netns::write_sysctl(config_.host_netns, name, "1"); !s.ok()) {
    return harness_failure("announce: " + s.error);
  }
  if (netns::Status s = netns::set_mac_address(config_.host_netns, device_.name(), config_.book.iut_mac);
      !s.ok()) {
    return harness_failure("announce: " + s.error);
  }
  return {};
}

StateObservation LinuxTarget::tcp_state() {
  StateObservation o;
  std::vector<netns::TcpSocketInfo> sockets;
  netns::Status s = netns::dump_tcp_sockets(diag_, &sockets);
  if (!s.ok()) {
    o.ok = false;
    o.error = s.error;
    return o;
  }
  // The namespace holds no other peer than the tester: every socket on the port counts.
  netns::ConnectionView v = netns::pick_connection(user_.earlier.current(std::move(sockets)),
                                                   {config_.book.iut_ip, config_.book.iut_port}, std::nullopt);
  o.state = std::move(v.state);
  o.detail = std::move(v.detail);
  return o;
}

NeighbourObservation LinuxTarget::neighbour(packet::Ipv4Address address) {
  NeighbourObservation o;
  std::vector<netns::NeighbourInfo> entries;
  netns::Status s = netns::dump_neighbours(route_, ifindex_, &entries);
  if (!s.ok()) {
    o.ok = false;
    o.error = s.error;
    return o;
  }
  o.detail = "no entry for " + address.to_string();
  for (const netns::NeighbourInfo& n : entries) {
    if (n.address != address) continue;
    o.detail = address.to_string() + " " + netns::nud_state_name(n.nud_state) +
               (n.mac ? " lladdr " + n.mac->to_string() : "");
    bool usable = n.mac && !(n.nud_state & (NUD_INCOMPLETE | NUD_FAILED)) && n.nud_state != NUD_NONE;
    if (usable) o.mac = n.mac;
  }
  return o;
}

}  // namespace sp::harness
