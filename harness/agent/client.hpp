// The harness's side of the agent protocol (docs/agent-protocol.md): one agent session
// over a pair of descriptors — the stdin/stdout of a process the client started, or a
// TCP connection to an agent that runs elsewhere. Every read has a deadline; an agent
// that hangs, dies, or answers something that is not a reply breaks the session with a
// sentence saying which, and every later request fails at once with that sentence, so
// the test gets an error verdict and the run goes on.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/agent/protocol.hpp"
#include "harness/engine/target.hpp"

namespace sp::harness::agent {

// Seconds an agent may take to answer a command; `accept` waits up to 0.5 s on its own.
inline constexpr double kReplyTimeout = 2.0;
// Seconds an agent may take to bring its stack up and write `ready`.
inline constexpr double kReadyTimeout = 5.0;

// Not thread-safe. Ignores SIGPIPE in the calling process (a dead agent must give an
// error, not kill the worker that talks to it).
class AgentClient {
 public:
  // Starts `command` with /bin/sh -c in the calling process's namespace, `env` added to
  // its environment; the agent dies with the caller (PR_SET_PDEATHSIG). Its stderr is
  // kept for error messages. nullptr with *error set when it cannot be started.
  static std::unique_ptr<AgentClient> spawn(const std::string& command,
                                            const std::vector<std::pair<std::string, std::string>>& env,
                                            std::string* error);
  // Connects to an agent listening at HOST:PORT (an IPv4 literal), within `timeout`.
  static std::unique_ptr<AgentClient> connect_to(const std::string& address, double timeout,
                                                 std::string* error);
  // Takes ownership of descriptors (tests: one end of a socketpair for both). `pid` is
  // the agent's process to reap, or -1; `stderr_fd` its stderr pipe, or -1.
  static std::unique_ptr<AgentClient> adopt(int read_fd, int write_fd, pid_t pid, int stderr_fd,
                                            std::string label);
  ~AgentClient();
  AgentClient(const AgentClient&) = delete;
  AgentClient& operator=(const AgentClient&) = delete;

  // Reads the agent's `ready TEXT` line. False with broken() set otherwise.
  bool wait_ready(double timeout);
  const std::string& ready_text() const { return ready_text_; }

  // One command, one reply. nullopt when the session is (or just became) broken; then
  // error() says why.
  std::optional<Reply> request(const Command& command, double timeout = kReplyTimeout);

  bool broken() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  // The target-level view of a session: a test-format call, the TCP state of the
  // connection with `peer`:`peer_port`, an ARP cache entry.
  CallOutcome call(const Call& call, const AddressBook& book);
  StateObservation tcp_state(packet::Ipv4Address peer, uint16_t peer_port);
  NeighbourObservation neighbour(packet::Ipv4Address address);
  // `sync N`: waits until the stack has taken and processed the N frames written to its
  // device so far. "" when it has, else why not.
  std::string sync(uint64_t frames);

 private:
  AgentClient(int read_fd, int write_fd, pid_t pid, int stderr_fd, std::string label);
  void set_broken(std::string why);
  // The next line within `deadline` (monotonic seconds); nullopt and broken otherwise.
  std::optional<std::string> read_line(double deadline, const std::string& waiting_for);
  // Exit status and stderr tail of the agent process, after it closed its end.
  std::string death_notice();

  int read_fd_ = -1;
  int write_fd_ = -1;
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string label_;  // "agent `cmd`" or "agent at 192.0.2.9:7000"
  std::string buffer_;
  std::string stderr_;
  std::string ready_text_;
  std::string error_;
};

}  // namespace sp::harness::agent
