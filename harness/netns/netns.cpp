#include "harness/netns/netns.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace sp::harness::netns {

Status Status::Errno(const std::string& what, int err) {
  return Error(what + ": " + std::strerror(err));
}

std::optional<uint64_t> current_netns() {
  struct stat st {};
  if (stat("/proc/self/ns/net", &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_ino);
}

Status enter_new_netns() {
  if (unshare(CLONE_NEWNET) != 0) return Status::Errno("unshare(CLONE_NEWNET)", errno);
  return Status::Ok();
}

Status require_private_netns(uint64_t host_netns) {
  std::optional<uint64_t> now = current_netns();
  if (!now) return Status::Errno("stat /proc/self/ns/net", errno);
  if (*now == host_netns || host_netns == 0) {
    return Status::Error("refusing to configure the network namespace the harness was started in");
  }
  return Status::Ok();
}

Status write_sysctl(uint64_t host_netns, const std::string& name, const std::string& value) {
  if (Status s = require_private_netns(host_netns); !s.ok()) return s;
  if (name.rfind("net.", 0) != 0 || name.find("..") != std::string::npos ||
      name.find('/') != std::string::npos) {
    return Status::Error("sysctl " + name + ": only net.* sysctls (per namespace) may be set");
  }
  std::string path = "/proc/sys/";
  for (char c : name) path += c == '.' ? '/' : c;
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::Errno("sysctl " + name + " (" + path + ")", errno);
  std::string text = value + "\n";
  ssize_t n = write(fd, text.data(), text.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    return Status::Errno("sysctl " + name + "=" + value, n < 0 ? err : EIO);
  }
  return Status::Ok();
}

namespace {

// Runs one SIOC* ioctl on an AF_INET datagram socket.
Status interface_ioctl(uint64_t host_netns, unsigned long request, struct ifreq* ifr,
                       const std::string& what) {
  if (Status s = require_private_netns(host_netns); !s.ok()) return s;
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return Status::Errno("socket(AF_INET)", errno);
  int rc = ioctl(sock, request, ifr);
  int err = errno;
  close(sock);
  if (rc != 0) return Status::Errno(what, err);
  return Status::Ok();
}

bool fill_name(struct ifreq* ifr, const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) return false;
  std::memset(ifr, 0, sizeof *ifr);
  std::memcpy(ifr->ifr_name, name.c_str(), name.size());
  return true;
}

void fill_addr(struct sockaddr* sa, uint32_t host_order) {
  auto* in = reinterpret_cast<struct sockaddr_in*>(sa);
  in->sin_family = AF_INET;
  in->sin_addr.s_addr = htonl(host_order);
}

}  // namespace

Status set_link_up(uint64_t host_netns, const std::string& ifname) {
  struct ifreq ifr;
  if (!fill_name(&ifr, ifname)) return Status::Error("bad interface name " + ifname);
  if (Status s = interface_ioctl(host_netns, SIOCGIFFLAGS, &ifr, "SIOCGIFFLAGS " + ifname); !s.ok()) {
    return s;
  }
  ifr.ifr_flags |= IFF_UP;
  return interface_ioctl(host_netns, SIOCSIFFLAGS, &ifr, "SIOCSIFFLAGS " + ifname);
}

Status set_ipv4_address(uint64_t host_netns, const std::string& ifname, packet::Ipv4Address address,
                        int prefix_length) {
  struct ifreq ifr;
  if (!fill_name(&ifr, ifname)) return Status::Error("bad interface name " + ifname);
  fill_addr(&ifr.ifr_addr, address.value);
  if (Status s = interface_ioctl(host_netns, SIOCSIFADDR, &ifr, "SIOCSIFADDR " + ifname); !s.ok()) {
    return s;
  }
  uint32_t mask = prefix_length <= 0 ? 0 : ~uint32_t{0} << (32 - prefix_length);
  fill_name(&ifr, ifname);
  fill_addr(&ifr.ifr_netmask, mask);
  return interface_ioctl(host_netns, SIOCSIFNETMASK, &ifr, "SIOCSIFNETMASK " + ifname);
}

Status set_mac_address(uint64_t host_netns, const std::string& ifname, const packet::MacAddress& mac) {
  struct ifreq ifr;
  if (!fill_name(&ifr, ifname)) return Status::Error("bad interface name " + ifname);
  ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
  std::memcpy(ifr.ifr_hwaddr.sa_data, mac.bytes.data(), 6);
  return interface_ioctl(host_netns, SIOCSIFHWADDR, &ifr, "SIOCSIFHWADDR " + ifname);
}

TunDevice::TunDevice(TunDevice&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), name_(std::move(other.name_)) {}

TunDevice& TunDevice::operator=(TunDevice&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    name_ = std::move(other.name_);
  }
  return *this;
}

TunDevice::~TunDevice() {
  if (fd_ >= 0) close(fd_);
}

Status TunDevice::create(uint64_t host_netns, const std::string& name, bool tap, TunDevice* out) {
  if (Status s = require_private_netns(host_netns); !s.ok()) return s;
  struct ifreq ifr;
  if (!fill_name(&ifr, name)) return Status::Error("bad interface name " + name);
  // The device is created in the namespace of the process that opens /dev/net/tun.
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Status::Errno("open /dev/net/tun", errno);
  ifr.ifr_flags = static_cast<short>((tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI);
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
    int err = errno;
    close(fd);
    return Status::Errno(std::string("TUNSETIFF (create ") + (tap ? "TAP" : "TUN") + " " + name + ")",
                         err);
  }
  TunDevice d;
  d.fd_ = fd;
  d.name_ = ifr.ifr_name;
  *out = std::move(d);
  return Status::Ok();
}

}  // namespace sp::harness::netns
