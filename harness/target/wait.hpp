// Waiting for a target's descriptor to become readable, with sub-millisecond timeouts
// (ppoll takes a timespec; poll's milliseconds would round the executor's deadlines).
#pragma once

#include <poll.h>
#include <time.h>

namespace sp::harness {

// ppoll for POLLIN on `fd` for at most `seconds` (> 0). Returns ppoll's result.
inline int wait_readable(int fd, double seconds) {
  struct timespec ts;
  ts.tv_sec = static_cast<time_t>(seconds);
  ts.tv_nsec = static_cast<long>((seconds - static_cast<double>(ts.tv_sec)) * 1e9);
  struct pollfd p {fd, POLLIN, 0};
  return ppoll(&p, 1, &ts, nullptr);
}

}  // namespace sp::harness
