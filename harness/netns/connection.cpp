#include "harness/netns/connection.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sp::harness::netns {
namespace {

constexpr uint8_t kListen = 10;

// The test format's state name for a kernel TCP state (include/net/tcp_states.h).
const char* spec_state(uint8_t kernel) {
  switch (kernel) {
    case 1: return "ESTABLISHED";
    case 2: return "SYN_SENT";
    case 3: return "SYN_RCVD";
    case 4: return "FIN_WAIT_1";
    case 5: return "FIN_WAIT_2";
    case 6: return "TIME_WAIT";
    case 7: return "CLOSED";
    case 8: return "CLOSE_WAIT";
    case 9: return "LAST_ACK";
    case 10: return "LISTEN";
    case 11: return "CLOSING";
    case 12: return "SYN_RCVD";  // NEW_SYN_RECV: a request socket
    default: return "CLOSED";
  }
}

// Which of several sockets on the IUT's port stands for "the connection": a full
// socket over a request socket over a TIME-WAIT one over the listener.
int rank(uint8_t kernel) {
  switch (kernel) {
    case kListen: return 0;
    case 7: return -1;          // CLOSE: not the connection
    case 6: return 1;           // TIME_WAIT
    case 3: case 12: return 2;  // SYN_RECV request socket
    default: return 3;
  }
}

}  // namespace

ConnectionView pick_connection(const std::vector<TcpSocketInfo>& sockets, const Endpoint& local,
                               const std::optional<Endpoint>& peer) {
  ConnectionView v;
  v.state = "CLOSED";
  int best = -2;
  uint32_t queued = 0;
  for (const TcpSocketInfo& k : sockets) {
    if (k.sport != local.port || (local.ip.value != 0 && k.src != local.ip)) continue;
    if (peer && k.state != kListen && (k.dst != peer->ip || k.dport != peer->port)) continue;
    std::string who = std::string(kernel_tcp_state_name(k.state)) + " " + k.src.to_string() + ":" +
                      std::to_string(k.sport);
    if (k.state != kListen) who += " > " + k.dst.to_string() + ":" + std::to_string(k.dport);
    if (k.state == kListen && k.rqueue > 0) {
      queued = k.rqueue;
      who += " (" + std::to_string(k.rqueue) + " in the accept queue)";
    }
    v.detail += (v.detail.empty() ? "" : "; ") + who;
    int r = rank(k.state);
    if (r > best) {
      best = r;
      v.state = r < 0 ? "CLOSED" : spec_state(k.state);
    }
  }
  if (best == 0 && queued > 0) v.state = "CLOSED";
  if (v.detail.empty()) {
    v.detail = "no TCP socket on " + local.ip.to_string() + ":" + std::to_string(local.port);
  }
  return v;
}

Status destroy_tcp_socket(Netlink& diag, const TcpSocketInfo& socket) {
  struct {
    struct nlmsghdr hdr;
    struct inet_diag_req_v2 req;
  } m {};
  m.hdr.nlmsg_type = SOCK_DESTROY;
  m.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  m.req.sdiag_family = AF_INET;
  m.req.sdiag_protocol = IPPROTO_TCP;
  m.req.idiag_states = ~0u;
  m.req.id.idiag_src[0] = htonl(socket.src.value);
  m.req.id.idiag_dst[0] = htonl(socket.dst.value);
  m.req.id.idiag_sport = htons(socket.sport);
  m.req.id.idiag_dport = htons(socket.dport);
  m.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  m.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  std::vector<uint8_t> bytes(sizeof m);
  std::memcpy(bytes.data(), &m, sizeof m);
  std::vector<std::vector<uint8_t>> replies;
  Status s = diag.transact(std::move(bytes), &replies);
  if (!s.ok()) return Status::Error("SOCK_DESTROY " + socket.src.to_string() + ":" + std::to_string(socket.sport) +
                                    " > " + socket.dst.to_string() + ":" + std::to_string(socket.dport) + ": " +
                                    s.error);
  return Status::Ok();
}

bool close_connection(int* fd, std::string* error) {
  struct tcp_info info {};
  socklen_t len = sizeof info;
  if (getsockopt(*fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) {
    *error = std::string("getsockopt TCP_INFO: ") + std::strerror(errno);
    return false;
  }
  if (info.tcpi_state == TCP_SYN_SENT || info.tcpi_state == TCP_CLOSE) {
    ::close(*fd);
    *fd = -1;
    return true;
  }
  if (::shutdown(*fd, SHUT_WR) != 0) {
    *error = std::string("shutdown: ") + std::strerror(errno);
    return false;
  }
  return true;
}

Status EarlierConnections::snapshot(Netlink& diag, uint16_t port) {
  pending_.clear();
  std::vector<TcpSocketInfo> sockets;
  if (Status s = dump_tcp_sockets(diag, &sockets); !s.ok()) return s;
  for (const TcpSocketInfo& k : sockets) {
    if (k.sport == port) pending_.push_back(k.cookie);
  }
  return Status::Ok();
}

void EarlierConnections::commit() {
  retired_.insert(retired_.end(), pending_.begin(), pending_.end());
  pending_.clear();
}

void EarlierConnections::clear() {
  pending_.clear();
  retired_.clear();
}

std::vector<TcpSocketInfo> EarlierConnections::current(std::vector<TcpSocketInfo> sockets) const {
  std::erase_if(sockets, [&](const TcpSocketInfo& k) {
    return std::find(retired_.begin(), retired_.end(), k.cookie) != retired_.end();
  });
  return sockets;
}

int open_socket(const Endpoint& local, bool reuseaddr, const char** what, int* err) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *what = "socket";
    *err = errno;
    return -1;
  }
  int one = 1;
  if (reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
    *what = "setsockopt SO_REUSEADDR";
    *err = errno;
    ::close(fd);
    return -1;
  }
  struct sockaddr_in a {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(local.ip.value);
  a.sin_port = htons(local.port);
  if (bind(fd, reinterpret_cast<struct sockaddr*>(&a), sizeof a) != 0) {
    *what = "bind";
    *err = errno;
    ::close(fd);
    return -1;
  }
  return fd;
}

bool connection_ended(int fd) {
  struct tcp_info info {};
  socklen_t len = sizeof info;
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 && info.tcpi_state == TCP_CLOSE;
}

}  // namespace sp::harness::netns
