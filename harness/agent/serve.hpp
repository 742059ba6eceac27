// The agents' side of the agent protocol (docs/agent-protocol.md): the command loop
// every driver shares. A driver implements `handle` for the stack it drives; the loop
// reads lines, answers malformed ones with `err usage`, and ends at EOF or `quit`.
#pragma once

#include <string>

#include "harness/agent/protocol.hpp"

namespace sp::harness::agent {

class Driver {
 public:
  virtual ~Driver() = default;
  // One well-formed command; the reply goes back as one line.
  virtual Reply handle(const Command& command) = 0;
};

// Writes `ready READY_TEXT`, then serves commands from `in` until EOF or `quit`; at the
// end the driver gets a `reset` (close everything, so that nothing lingers on the wire).
// Returns 0, or 1 when `out` cannot be written.
int serve(int in, int out, Driver& driver, const std::string& ready_text);

}  // namespace sp::harness::agent
