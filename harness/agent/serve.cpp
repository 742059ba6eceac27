#include "harness/agent/serve.hpp"

#include <unistd.h>

#include <cerrno>

namespace sp::harness::agent {
namespace {

bool write_line(int fd, std::string line) {
  line += "\n";
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = write(fd, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

int serve(int in, int out, Driver& driver, const std::string& ready_text) {
  if (!write_line(out, std::string(kReadyWord) + (ready_text.empty() ? "" : " " + ready_text))) return 1;
  std::string buffer;
  bool discarding = false;  // inside an over-long line: skip to its end
  int status = 0;
  bool quit = false;
  while (!quit) {
    size_t nl;
    while (!quit && (nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (discarding) {
        discarding = false;
        continue;
      }
      std::string error;
      std::optional<Command> c = parse_command(line, &error);
      Reply reply = c ? driver.handle(*c) : err_reply(kErrUsage, error);
      if (!write_line(out, format_reply(reply))) return 1;
      quit = c && c->verb == Command::Verb::kQuit;
    }
    if (quit) break;
    if (buffer.size() > kMaxLine && !discarding) {
      if (!write_line(out, format_reply(err_reply(kErrUsage, "line longer than " +
                                                                 std::to_string(kMaxLine) + " bytes")))) {
        return 1;
      }
      discarding = true;
    }
    if (discarding) buffer.clear();
    char buf[4096];
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(buf, static_cast<size_t>(n));
  }
  Command reset;
  reset.verb = Command::Verb::kReset;
  driver.handle(reset);
  return status;
}

}  // namespace sp::harness::agent
