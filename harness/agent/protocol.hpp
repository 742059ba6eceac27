// The agent protocol (docs/agent-protocol.md): a line-based command channel through
// which the harness's upper tester drives a stack it cannot call directly (lwIP in a
// driver process, a kernel in another namespace, a device on a wire). This file is the
// syntax only: commands and replies as text, both ways, with every malformed line
// named. No I/O; the client (client.hpp) and the agents' loop (serve.hpp) use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/target.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness::agent {

// Longest line either side may send, newline excluded. A longer line is garbage.
inline constexpr size_t kMaxLine = 1024;

// What the agent writes once its stack is up, before reading the first command.
inline constexpr std::string_view kReadyWord = "ready";

// Error codes of `err CODE TEXT`. The first four mean the harness asked for something
// the agent cannot do (an error verdict); `stack` and `timeout` mean the stack under
// test refused or did not deliver (a failed call, the IUT's doing).
inline constexpr std::string_view kErrUsage = "usage";              // malformed command
inline constexpr std::string_view kErrUnsupported = "unsupported";  // not implemented by this agent
inline constexpr std::string_view kErrNoSocket = "nosocket";        // nothing to act on
inline constexpr std::string_view kErrExists = "exists";            // already listening / connected
inline constexpr std::string_view kErrStack = "stack";              // the stack returned an error
inline constexpr std::string_view kErrTimeout = "timeout";          // accept: nothing within 0.5 s

bool is_harness_error_code(std::string_view code);

struct Command {
  enum class Verb {
    kListen,     // listen PORT [reuseaddr]
    kConnect,    // connect ADDR PORT [LOCALPORT] [reuseaddr]
    kAccept,     // accept
    kSend,       // send N
    kRecv,       // recv
    kShutdown,   // shutdown
    kClose,      // close
    kAbort,      // abort
    kState,      // state [ADDR PORT]
    kResolve,    // resolve ADDR
    kAnnounce,   // announce
    kNeighbour,  // neighbour ADDR
    kSysctl,     // sysctl NAME VALUE
    kSync,       // sync N: the stack has taken and processed N frames from its device
    kReset,      // reset
    kQuit,       // quit
  };
  Verb verb = Verb::kState;
  packet::Ipv4Address address;  // connect, state, resolve, neighbour
  uint16_t port = 0;            // listen, connect, state
  uint16_t local_port = 0;      // connect (0: any)
  bool has_peer = false;        // state ADDR PORT
  bool reuseaddr = false;       // listen, connect: SO_REUSEADDR (or the stack's own)
  int64_t bytes = 0;            // send
  uint64_t frames = 0;          // sync
  std::string name, value;      // sysctl
};

// "listen", "connect", ...
const char* verb_name(Command::Verb verb);

// Parses one command line (without its newline). Returns nullopt with *error set to a
// sentence naming what is wrong.
std::optional<Command> parse_command(std::string_view line, std::string* error);
std::string format_command(const Command& command);

struct Reply {
  bool ok = true;
  std::string code;  // err only
  std::string text;  // the rest of the line (may be empty)
};

// Parses one reply line: `ok [TEXT]` or `err CODE [TEXT]` (CODE lower-case letters).
std::optional<Reply> parse_reply(std::string_view line, std::string* error);
std::string format_reply(const Reply& reply);
Reply ok_reply(std::string text = {});
Reply err_reply(std::string_view code, std::string text);

// The agent command for a test-format call (`call listen`, `call send 10`, ...), with
// the addresses of `book`: listen on the IUT's port, connect from it to the tester.
std::optional<Command> command_for_call(const Call& call, const AddressBook& book, std::string* error);

// Splits `text` at runs of spaces.
std::vector<std::string_view> split_words(std::string_view text);

}  // namespace sp::harness::agent
