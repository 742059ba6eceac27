#include "tools/cli/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace sp::cli {

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};
std::atomic<const char*> g_exit_message{nullptr};
pid_t g_main_pid = 0;

void Exit(int sig, const char* message) {
  if (message != nullptr && ::getpid() == g_main_pid) {
    ssize_t ignored = ::write(STDERR_FILENO, message, std::strlen(message));
    (void)ignored;
  }
  ::_exit(128 + sig);
}

void OnSignal(int sig) {
  if (const char* message = g_exit_message.load()) Exit(sig, message);
  if (g_interrupted.load()) Exit(sig, "stateproof: interrupted again; stopping at once\n");
  g_signal.store(sig);
  g_interrupted.store(true);
}

sigset_t Signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void catch_interrupts() {
  g_main_pid = ::getpid();
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

const std::atomic<bool>* interrupt_flag() { return &g_interrupted; }

int interrupt_signal() { return g_interrupted.load() ? g_signal.load() : 0; }

InterruptMode::InterruptMode(const char* exit_message) : previous_(g_exit_message.exchange(exit_message)) {
  if (exit_message == nullptr) return;
  if (const int sig = interrupt_signal()) Exit(sig, exit_message);  // it arrived before
}

InterruptMode::~InterruptMode() { g_exit_message.store(previous_); }

DeferInterrupts::DeferInterrupts() {
  const sigset_t set = Signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

DeferInterrupts::~DeferInterrupts() {
  const sigset_t set = Signals();
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace sp::cli
