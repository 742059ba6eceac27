// stateproof-linux-agent: drives the Linux kernel of its network namespace over the
// agent protocol (docs/agent-protocol.md), on stdin/stdout or, with --listen, on TCP
// connections (one session at a time). The upper tester of `--target raw:IFACE` when
// the stack under test is a kernel in another namespace.
//
//   stateproof-linux-agent [--netns PATH] [--ifname IF] [--port 8080] [--listen IP:PORT]
//
// Settings (`sysctl`, `announce`) are accepted only with --netns: the agent never
// changes the namespace it was started in.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "harness/agent/linux_driver.hpp"
#include "harness/netns/netns.hpp"
#include "harness/packet/address.hpp"

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "stateproof-linux-agent: %s\n"
               "usage: stateproof-linux-agent [--netns PATH] [--ifname IF] [--port PORT] [--listen IP:PORT]\n",
               why);
  return 2;
}

uint64_t g_origin_netns = 0;

int session(int in, int out, const std::string& ifname, uint16_t port) {
  sp::harness::agent::LinuxDriver driver(ifname, port, g_origin_netns);
  std::string error = driver.start();
  if (!error.empty()) {
    std::fprintf(stderr, "stateproof-linux-agent: %s\n", error.c_str());
    return 1;
  }
  return sp::harness::agent::serve(in, out, driver, "linux");
}

}  // namespace

int main(int argc, char** argv) {
  std::string netns, ifname, listen_on;
  long port = 8080;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + a).c_str());
    std::string v = argv[++i];
    if (a == "--netns") netns = v;
    else if (a == "--ifname") ifname = v;
    else if (a == "--listen") listen_on = v;
    else if (a == "--port") {
      char* end = nullptr;
      port = std::strtol(v.c_str(), &end, 10);
      if (*end || port < 0 || port > 65535) return usage("bad --port");
    } else {
      return usage(("unknown option " + a).c_str());
    }
  }
  signal(SIGPIPE, SIG_IGN);
  g_origin_netns = sp::harness::netns::current_netns().value_or(0);
  if (!netns.empty()) {
    int fd = open(netns.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
      std::fprintf(stderr, "stateproof-linux-agent: cannot enter %s: %s\n", netns.c_str(), std::strerror(errno));
      return 1;
    }
    close(fd);
  }
  if (listen_on.empty()) return session(0, 1, ifname, static_cast<uint16_t>(port));

  size_t colon = listen_on.rfind(':');
  auto ip = colon == std::string::npos ? std::nullopt : sp::packet::Ipv4Address::parse(listen_on.substr(0, colon));
  int lport = colon == std::string::npos ? 0 : std::atoi(listen_on.c_str() + colon + 1);
  if (!ip || lport <= 0 || lport > 65535) return usage("--listen expects IPV4:PORT");
  int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(ip->value);
  a.sin_port = htons(static_cast<uint16_t>(lport));
  if (bind(server, reinterpret_cast<struct sockaddr*>(&a), sizeof a) != 0 || listen(server, 4) != 0) {
    std::fprintf(stderr, "stateproof-linux-agent: cannot listen on %s: %s\n", listen_on.c_str(), std::strerror(errno));
    return 1;
  }
  while (true) {
    int fd = accept4(server, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "stateproof-linux-agent: accept: %s\n", std::strerror(errno));
      return 1;
    }
    session(fd, fd, ifname, static_cast<uint16_t>(port));
    close(fd);
  }
}
