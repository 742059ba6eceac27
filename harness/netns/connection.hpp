// The TCP sockets of a namespace seen as the RFC's one connection: which socket on the
// IUT's port stands for "the connection" (its TCB), and how to remove leftovers. Shared
// by the Linux target (the kernel in the test's namespace) and the Linux agent (the
// kernel in a namespace of its own, driven over the agent protocol).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/netns/netlink.hpp"

namespace sp::harness::netns {

struct ConnectionView {
  std::string state;   // the test format's name (SYN_RCVD, ...); CLOSED when no socket
  std::string detail;  // every socket considered, as `ss` would name them
};

struct Endpoint {
  packet::Ipv4Address ip;
  uint16_t port = 0;
};

// Among `sockets`, those bound to `local` (ip 0.0.0.0: any address) and, for all but
// listeners, connected to `peer` when given: a full socket over a request socket over a
// TIME-WAIT one over the listener. A listener whose accept queue holds connections that
// are no longer in the table stands for a connection closed before anyone accepted it:
// CLOSED (docs/harness.md).
ConnectionView pick_connection(const std::vector<TcpSocketInfo>& sockets, const Endpoint& local,
                               const std::optional<Endpoint>& peer);

// A new OPEN of the user (listen, connect) on a port that earlier connections used.
// Once it succeeds those connections are no longer "the connection" (a TIME-WAIT one may
// linger for 2 MSL, RFC 9293 §3.6.1): they are remembered by socket cookie and left out
// of what `expect state` sees.
class EarlierConnections {
 public:
  // The sockets on `port` now (before the OPEN); commit() retires them once it succeeded.
  Status snapshot(Netlink& diag, uint16_t port);
  void commit();
  void clear();
  // `sockets` without the retired ones.
  std::vector<TcpSocketInfo> current(std::vector<TcpSocketInfo> sockets) const;

 private:
  std::vector<uint64_t> pending_, retired_;
};

// A fresh TCP socket (non-blocking) bound to `local`, with SO_REUSEADDR when `reuseaddr`:
// the socket of an OPEN. -1 on failure, with *what the call that failed ("socket",
// "bind") and *err its errno; a bind failure (EADDRINUSE: the port is held by an earlier
// connection or a listener) is the stack refusing the OPEN.
int open_socket(const Endpoint& local, bool reuseaddr, const char** what, int* err);

// Whether the connection of socket `fd` has ended (kernel state CLOSE: reset, aborted,
// or handed over to a TIME-WAIT minisock). Such a socket is only the user's handle on a
// deleted TCB; closing it sends nothing.
bool connection_ended(int fd);

// RFC 9293 CLOSE ("I have no more to send", §3.10.4) on the socket of a connection. Once
// the connection is synchronized that is shutdown(SHUT_WR) and the socket stays open:
// the RFC's user keeps the connection after CLOSE (it may still receive, and ABORT, in
// FIN-WAIT-1 .. TIME-WAIT), whereas close() would orphan it and bring Linux's orphan
// rules into the test (tcp_fin_timeout in FIN-WAIT-2, a RST for data that arrives after
// close()). In SYN-SENT CLOSE deletes the TCB: close(), and *fd becomes -1. False with
// *error set when a system call fails.
bool close_connection(int* fd, std::string* error);

// SOCK_DESTROY of one socket (CONFIG_INET_DIAG_DESTROY): a full socket is reset, a
// request or TIME-WAIT socket is dropped.
Status destroy_tcp_socket(Netlink& diag, const TcpSocketInfo& socket);

}  // namespace sp::harness::netns
