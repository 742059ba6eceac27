// stateproof-lwip-agent: lwIP (Debian's liblwip) on a TAP device, driven over the agent
// protocol on stdin/stdout (docs/agent-protocol.md). The lwip target starts one per test
// inside the test's network namespace:
//
//   PRECONFIGURED_TAPIF=sp0 stateproof-lwip-agent --ip 192.0.2.1 --netmask 255.255.255.0
//                                                 --mac 02:00:00:00:00:01
//
// lwIP's tapif opens (creating it if needed) the TAP named by PRECONFIGURED_TAPIF and
// owns its file side; the kernel side is the lower tester's. Without the variable tapif
// would configure a tap0 with ifconfig through system(), so the agent refuses.
#include <semaphore.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "harness/agent/serve.hpp"
#include "harness/lwip_agent/lwip_driver.hpp"
#include "harness/packet/address.hpp"

namespace {

int usage(const std::string& why) {
  std::fprintf(stderr,
               "stateproof-lwip-agent: %s\n"
               "usage: PRECONFIGURED_TAPIF=TAP stateproof-lwip-agent --ip A.B.C.D [--netmask M] [--mac MAC]\n",
               why.c_str());
  return 2;
}

sem_t g_ready;

void on_tcpip_ready(void*) { sem_post(&g_ready); }

ip4_addr_t to_lwip(sp::packet::Ipv4Address a) {
  ip4_addr_t r;
  IP4_ADDR(&r, (a.value >> 24) & 0xff, (a.value >> 16) & 0xff, (a.value >> 8) & 0xff, a.value & 0xff);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<sp::packet::Ipv4Address> ip, netmask = sp::packet::Ipv4Address::parse("255.255.255.0");
  std::optional<sp::packet::MacAddress> mac = sp::packet::MacAddress::parse("02:00:00:00:00:01");
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage("missing value after " + a);
    std::string v = argv[++i];
    if (a == "--ip") ip = sp::packet::Ipv4Address::parse(v);
    else if (a == "--netmask") netmask = sp::packet::Ipv4Address::parse(v);
    else if (a == "--mac") mac = sp::packet::MacAddress::parse(v);
    else return usage("unknown option " + a);
    if ((a == "--ip" && !ip) || (a == "--netmask" && !netmask) || (a == "--mac" && !mac)) {
      return usage("bad value for " + a + ": " + v);
    }
  }
  if (!ip) return usage("--ip is required");
  const char* tap = std::getenv("PRECONFIGURED_TAPIF");
  if (!tap || !*tap) return usage("PRECONFIGURED_TAPIF must name the TAP device lwIP is to open");

  // The protocol owns the original stdout; lwIP's diagnostics (printf) go to stderr.
  int protocol_out = dup(1);
  dup2(2, 1);

  sem_init(&g_ready, 0, 0);
  tcpip_init(on_tcpip_ready, nullptr);
  sem_wait(&g_ready);

  static struct netif netif;
  ip4_addr_t addr = to_lwip(*ip), mask = to_lwip(*netmask), gw = to_lwip(sp::packet::Ipv4Address{});
  LOCK_TCPIP_CORE();
  if (!netif_add(&netif, &addr, &mask, &gw, nullptr, tapif_init, sp::harness::lwip_agent::counting_input)) {
    UNLOCK_TCPIP_CORE();
    std::fprintf(stderr, "stateproof-lwip-agent: netif_add failed\n");
    return 1;
  }
  // tapif gives every device the same made-up address; the test's book has its own.
  std::memcpy(netif.hwaddr, mac->bytes.data(), 6);
  netif_set_default(&netif);
  netif_set_up(&netif);
  UNLOCK_TCPIP_CORE();

  sp::harness::lwip_agent::LwipDriver driver(&netif);
  int status = sp::harness::agent::serve(0, protocol_out, driver, "lwip " LWIP_VERSION_STRING);
  std::fflush(nullptr);
  // lwIP's threads never return; the process ends here, and the TAP with it.
  _exit(status);
}
