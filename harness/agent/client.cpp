#include "harness/agent/client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sp::harness::agent {
namespace {

double monotonic_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

int poll_ms(double deadline) {
  return static_cast<int>(std::clamp((deadline - monotonic_now()) * 1000 + 1, 0.0, 60000.0));
}

CallOutcome harness_failure(std::string message) { return {false, true, std::move(message)}; }

// A line as it can be quoted in a message: printable, not too long.
std::string quote(std::string_view line) {
  std::string s;
  for (unsigned char c : line.substr(0, 80)) s += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  return "`" + s + (line.size() > 80 ? "...`" : "`");
}

}  // namespace

AgentClient::AgentClient(int read_fd, int write_fd, pid_t pid, int stderr_fd, std::string label)
    : read_fd_(read_fd), write_fd_(write_fd), pid_(pid), stderr_fd_(stderr_fd), label_(std::move(label)) {
  signal(SIGPIPE, SIG_IGN);
  fcntl(read_fd_, F_SETFL, fcntl(read_fd_, F_GETFL) | O_NONBLOCK);
  if (stderr_fd_ >= 0) fcntl(stderr_fd_, F_SETFL, fcntl(stderr_fd_, F_GETFL) | O_NONBLOCK);
}

std::unique_ptr<AgentClient> AgentClient::adopt(int read_fd, int write_fd, pid_t pid, int stderr_fd,
                                                std::string label) {
  return std::unique_ptr<AgentClient>(new AgentClient(read_fd, write_fd, pid, stderr_fd, std::move(label)));
}

std::unique_ptr<AgentClient> AgentClient::spawn(const std::string& command,
                                                const std::vector<std::pair<std::string, std::string>>& env,
                                                std::string* error) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return nullptr;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    return nullptr;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  return adopt(out[0], in[1], pid, err[0], "agent `" + command + "`");
}

std::unique_ptr<AgentClient> AgentClient::connect_to(const std::string& address, double timeout,
                                                     std::string* error) {
  size_t colon = address.rfind(':');
  std::optional<packet::Ipv4Address> ip =
      colon == std::string::npos ? std::nullopt : packet::Ipv4Address::parse(address.substr(0, colon));
  int port = colon == std::string::npos ? 0 : std::atoi(address.c_str() + colon + 1);
  if (!ip || port <= 0 || port > 65535) {
    *error = "agent address `" + address + "`: expected IPV4:PORT";
    return nullptr;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return nullptr;
  }
  struct sockaddr_in a {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip->value);
  a.sin_port = htons(static_cast<uint16_t>(port));
  int rc = connect(fd, reinterpret_cast<struct sockaddr*>(&a), sizeof a);
  if (rc != 0 && errno == EINPROGRESS) {
    struct pollfd p {fd, POLLOUT, 0};
    rc = poll(&p, 1, static_cast<int>(timeout * 1000)) == 1 ? 0 : -1;
    int soerr = rc == 0 ? 0 : ETIMEDOUT;
    socklen_t len = sizeof soerr;
    if (rc == 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
    errno = soerr;
    rc = soerr == 0 ? 0 : -1;
  }
  if (rc != 0) {
    *error = "cannot connect to the agent at " + address + ": " + std::strerror(errno);
    close(fd);
    return nullptr;
  }
  int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return adopt(fd, dup_fd, -1, -1, "agent at " + address);
}

AgentClient::~AgentClient() {
  // Closing our end is the agent's signal to tear down (EOF on its input); an agent
  // that does not exit within 0.2 s is killed.
  if (write_fd_ >= 0) close(write_fd_);
  if (read_fd_ >= 0 && read_fd_ != write_fd_) close(read_fd_);
  if (pid_ > 0) {
    int status = 0;
    double deadline = monotonic_now() + 0.2;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (monotonic_now() > deadline) {
        kill(pid_, SIGKILL);
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        break;
      }
      usleep(2000);
    }
  }
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

void AgentClient::set_broken(std::string why) {
  if (error_.empty()) error_ = std::move(why);
}

std::string AgentClient::death_notice() {
  if (stderr_fd_ >= 0) {
    char buf[4096];
    ssize_t n;
    while ((n = read(stderr_fd_, buf, sizeof buf)) > 0) stderr_.append(buf, static_cast<size_t>(n));
  }
  std::string s;
  if (pid_ > 0) {
    int status = 0;
    pid_t r = 0;
    for (int i = 0; i < 50 && (r = waitpid(pid_, &status, WNOHANG)) == 0; ++i) usleep(2000);
    if (r == pid_) {
      pid_ = -1;
      if (WIFSIGNALED(status)) {
        const char* abbrev = sigabbrev_np(WTERMSIG(status));
        s = " (killed by signal " + std::to_string(WTERMSIG(status)) +
            (abbrev ? std::string(" SIG") + abbrev : "") + ")";
      } else if (WIFEXITED(status)) {
        s = " (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
      }
    }
  }
  std::string tail = stderr_.size() > 300 ? stderr_.substr(stderr_.size() - 300) : stderr_;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  for (char& c : tail) {
    if (c == '\n') c = '|';
  }
  if (!tail.empty()) s += "; its stderr: " + tail;
  return s;
}

std::optional<std::string> AgentClient::read_line(double deadline, const std::string& waiting_for) {
  while (true) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (buffer_.size() > kMaxLine) {
      set_broken(label_ + " sent garbage " + waiting_for + ": a line longer than " +
                 std::to_string(kMaxLine) + " bytes (" + quote(buffer_) + ")");
      return std::nullopt;
    }
    struct pollfd p[2] = {{read_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
    int pr = poll(p, stderr_fd_ >= 0 ? 2 : 1, poll_ms(deadline));
    if (pr < 0 && errno != EINTR) {
      set_broken(label_ + ": poll: " + std::strerror(errno));
      return std::nullopt;
    }
    if (stderr_fd_ >= 0 && (p[1].revents & POLLIN)) {
      char buf[4096];
      ssize_t n = read(stderr_fd_, buf, sizeof buf);
      if (n > 0) stderr_.append(buf, static_cast<size_t>(n));
      if (stderr_.size() > 65536) stderr_.erase(0, stderr_.size() - 4096);
    }
    char buf[4096];
    ssize_t n = read(read_fd_, buf, sizeof buf);
    if (n > 0) {
      buffer_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      set_broken(label_ + " closed the channel " + waiting_for + death_notice());
      return std::nullopt;
    }
    if (errno != EAGAIN && errno != EINTR) {
      set_broken(label_ + ": read: " + std::strerror(errno) + death_notice());
      return std::nullopt;
    }
    if (pr == 0 && monotonic_now() >= deadline) {
      set_broken(label_ + " did not answer " + waiting_for + " (hung?)");
      return std::nullopt;
    }
  }
}

bool AgentClient::wait_ready(double timeout) {
  if (broken()) return false;
  std::optional<std::string> line =
      read_line(monotonic_now() + timeout, "its ready line within " + seconds(timeout));
  if (!line) return false;
  std::vector<std::string_view> w = split_words(*line);
  if (w.empty() || w[0] != kReadyWord) {
    set_broken(label_ + " sent garbage instead of its ready line: " + quote(*line));
    return false;
  }
  ready_text_ = line->size() > kReadyWord.size() ? line->substr(kReadyWord.size() + 1) : "";
  return true;
}

std::optional<Reply> AgentClient::request(const Command& command, double timeout) {
  if (broken()) return std::nullopt;
  std::string text = format_command(command);
  std::string line = text + "\n";
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = write(write_fd_, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      set_broken(label_ + " cannot be written to (`" + text + "`): " + std::strerror(errno) +
                 death_notice());
      return std::nullopt;
    }
    off += static_cast<size_t>(n);
  }
  std::string what = "`" + text + "` within " + seconds(timeout);
  std::optional<std::string> got = read_line(monotonic_now() + timeout, what);
  if (!got) return std::nullopt;
  std::string why;
  std::optional<Reply> reply = parse_reply(*got, &why);
  if (!reply) set_broken(label_ + " sent garbage in reply to `" + text + "`: " + quote(*got) + " (" + why + ")");
  return reply;
}

CallOutcome AgentClient::call(const Call& call, const AddressBook& book) {
  std::string why;
  std::optional<Command> command = command_for_call(call, book, &why);
  if (!command) return harness_failure(why);
  double timeout = kReplyTimeout + (call.kind == Call::Kind::kAccept ? kDefaultWithin : 0);
  std::optional<Reply> reply = request(*command, timeout);
  if (!reply) return harness_failure(error_);
  if (reply->ok) return {};
  std::string message = std::string(call_name(call.kind)) + ": " + reply->text + " (agent: err " + reply->code + ")";
  CallOutcome out{false, is_harness_error_code(reply->code), message};
  out.no_connection = reply->code == kErrNoSocket;
  return out;
}

std::string AgentClient::sync(uint64_t frames) {
  Command c;
  c.verb = Command::Verb::kSync;
  c.frames = frames;
  std::optional<Reply> reply = request(c, kReplyTimeout + 2);
  if (!reply) return error_;
  return reply->ok ? "" : "sync: err " + reply->code + " " + reply->text;
}

StateObservation AgentClient::tcp_state(packet::Ipv4Address peer, uint16_t peer_port) {
  StateObservation o;
  Command c;
  c.verb = Command::Verb::kState;
  c.address = peer;
  c.port = peer_port;
  c.has_peer = true;
  std::optional<Reply> reply = request(c);
  if (reply && !reply->ok) {
    o.ok = false;
    o.error = "state: err " + reply->code + " " + reply->text;
    return o;
  }
  if (reply) {
    std::vector<std::string_view> w = split_words(reply->text);
    const std::vector<std::string>& names = tcp_state_names();
    if (!w.empty() && std::find(names.begin(), names.end(), w[0]) != names.end()) {
      o.state = std::string(w[0]);
      o.detail = reply->text;
      return o;
    }
    set_broken(label_ + " answered `state` with " + quote(reply->text) + ", not a TCP state name");
  }
  o.ok = false;
  o.error = error_;
  return o;
}

NeighbourObservation AgentClient::neighbour(packet::Ipv4Address address) {
  NeighbourObservation o;
  Command c;
  c.verb = Command::Verb::kNeighbour;
  c.address = address;
  std::optional<Reply> reply = request(c);
  if (reply && !reply->ok) {
    o.ok = false;
    o.error = "neighbour: err " + reply->code + " " + reply->text;
    return o;
  }
  if (reply) {
    std::vector<std::string_view> w = split_words(reply->text);
    std::optional<packet::MacAddress> mac = w.empty() ? std::nullopt : packet::MacAddress::parse(w[0]);
    if (mac || (!w.empty() && w[0] == "none")) {
      o.mac = mac;
      o.detail = reply->text;
      return o;
    }
    set_broken(label_ + " answered `neighbour` with " + quote(reply->text) + ", neither a MAC address nor `none`");
  }
  o.ok = false;
  o.error = error_;
  return o;
}

}  // namespace sp::harness::agent
