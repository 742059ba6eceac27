#include "harness/netns/user_open.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sp::harness::netns {
namespace {

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err) + " (" + strerrorname_np(err) + ")";
}

void close_fd(int* fd, bool abort) {
  if (*fd < 0) return;
  if (abort) {
    struct linger l {1, 0};
    setsockopt(*fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }
  ::close(*fd);
  *fd = -1;
}

}  // namespace

std::optional<OpenFailure> user_open(Netlink& diag, UserSockets* u, const Endpoint& local,
                                     const std::optional<Endpoint>& peer, bool reuseaddr) {
  if (u->connection >= 0 && connection_ended(u->connection)) close_fd(&u->connection, false);
  // A connection still in the listener's accept queue is the passive OPEN's connection:
  // closing the listener under it would reset it, so it is taken first.
  if (u->connection < 0 && u->listener >= 0) {
    int fd = accept4(u->listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      u->connection = fd;
      close_fd(&u->listener, false);
    }
  }
  if (peer) close_fd(&u->listener, false);
  if (Status s = u->earlier.snapshot(diag, local.port); !s.ok()) return OpenFailure{true, s.error};
  const char* what = "";
  int err = 0;
  int fd = open_socket(local, reuseaddr, &what, &err);
  if (fd < 0) return OpenFailure{std::strcmp(what, "bind") != 0, errno_text(what, err)};
  if (peer) {
    struct sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(peer->ip.value);
    to.sin_port = htons(peer->port);
    if (connect(fd, reinterpret_cast<struct sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS) {
      err = errno;
      ::close(fd);
      return OpenFailure{false, errno_text("connect", err)};
    }
  } else if (listen(fd, 16) != 0) {
    err = errno;
    ::close(fd);
    return OpenFailure{false, errno_text("listen", err)};
  }
  // The kernel let the new OPEN have the port: what held it before is history.
  for (int* old : {&u->listener, &u->connection}) {
    if (*old >= 0) u->superseded.push_back(*old);
    *old = -1;
  }
  (peer ? u->connection : u->listener) = fd;
  u->earlier.commit();
  return std::nullopt;
}

void close_user_sockets(UserSockets* u, bool abort) {
  close_fd(&u->connection, abort);
  close_fd(&u->listener, abort);
  for (int& fd : u->superseded) close_fd(&fd, abort);
  u->superseded.clear();
  u->earlier.clear();
}

}  // namespace sp::harness::netns
