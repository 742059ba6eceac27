// The user's OPEN (RFC 9293 §3.10.1) on the kernel's socket API, shared by the Linux
// target and the Linux agent: every OPEN gets a fresh socket, as an application would
// open one, and the kernel decides whether the port is free. A connection that has ended
// (reset, aborted, or gone to TIME-WAIT) no longer holds the user's OPEN; one that still
// lives holds its port, and the kernel refuses the new bind ("connection already exists",
// §3.10.1) unless the test asked for SO_REUSEADDR and the kernel allows it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/netns/connection.hpp"

namespace sp::harness::netns {

// The user's sockets on the IUT's port.
struct UserSockets {
  int listener = -1;              // the passive OPEN, until its connection is taken
  int connection = -1;            // the connection (connect, or taken from the listener)
  std::vector<int> superseded;    // live connections a later OPEN (reuseaddr) left behind
  EarlierConnections earlier;     // what `state` no longer sees
};

struct OpenFailure {
  bool harness = false;  // the harness failed (socket(), sock_diag), not the stack
  std::string message;   // "bind: Address already in use (EADDRINUSE)"
};

// A passive (no peer) or active OPEN from `local`. On success the new socket is
// u->listener or u->connection and the sockets that were on the port are earlier
// connections. Active: a listener is closed first (RFC 9293 §3.10.1, LISTEN: "change
// the connection from passive to active").
std::optional<OpenFailure> user_open(Netlink& diag, UserSockets* u, const Endpoint& local,
                                     const std::optional<Endpoint>& peer, bool reuseaddr);

// Closes every socket of `u` (an abort: SO_LINGER 0 first when `abort`) and forgets the
// earlier connections.
void close_user_sockets(UserSockets* u, bool abort);

}  // namespace sp::harness::netns
