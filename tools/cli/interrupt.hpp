// SIGINT and SIGTERM. One flag, set by the handler: the searches of `check` poll it
// (checker::Options::cancel, the symbolic engine's watchdog) and stop, and the command
// prints what it did so far and exits 128 + the signal (130 for SIGINT). A second signal,
// or one during work that has no stopping point (InterruptMode with a message: the
// default, and `gen` while generating), ends the process at once. `stateproof run` has
// its own handling (harness/runner), which kills and reaps its workers.
#pragma once

#include <atomic>

namespace sp::cli {

// Installs the handler (main does, before any command runs).
void catch_interrupts();
const std::atomic<bool>* interrupt_flag();
int interrupt_signal();  // the signal that arrived, or 0

// What a signal does while one lives (the previous mode comes back after): with a
// message, print it on stderr and exit 128 + the signal (processes forked meanwhile exit
// silently); with nullptr, set the flag for the running search to see.
class InterruptMode {
 public:
  explicit InterruptMode(const char* exit_message);
  ~InterruptMode();
  InterruptMode(const InterruptMode&) = delete;
  InterruptMode& operator=(const InterruptMode&) = delete;

 private:
  const char* previous_;
};

// While one lives, SIGINT and SIGTERM wait (blocked): for writing files that must not be
// left half-written. A signal that arrived meanwhile then sets the flag.
class DeferInterrupts {
 public:
  DeferInterrupts();
  ~DeferInterrupts();
  DeferInterrupts(const DeferInterrupts&) = delete;
  DeferInterrupts& operator=(const DeferInterrupts&) = delete;
};

}  // namespace sp::cli
