// Network-namespace plumbing for the Linux targets: entering a fresh namespace,
// per-namespace sysctls, interface configuration by ioctl, and the TUN/TAP device.
//
// Safety rule (docs/harness.md): nothing here may run in the namespace the harness was
// started in. Every function that changes configuration takes the inode of that
// namespace and refuses to act when the calling process is still in it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/packet/address.hpp"

namespace sp::harness::netns {

// Empty when it worked, otherwise one readable sentence.
struct Status {
  std::string error;
  bool ok() const { return error.empty(); }
  static Status Ok() { return {}; }
  static Status Error(std::string text) { return {std::move(text)}; }
  // "what: strerror(errno)".
  static Status Errno(const std::string& what, int err);
};

// Inode of /proc/self/ns/net: identifies the calling process's network namespace.
std::optional<uint64_t> current_netns();

// unshare(CLONE_NEWNET) for the calling process. The namespace and everything in it
// disappears when the last process in it exits.
Status enter_new_netns();

// Fails unless the calling process is in a namespace other than `host_netns`.
Status require_private_netns(uint64_t host_netns);

// Writes /proc/sys/<name with dots as slashes>. Only names under `net.` are accepted
// (the per-namespace ones); refuses to act in `host_netns`.
Status write_sysctl(uint64_t host_netns, const std::string& name, const std::string& value);

// Interface configuration by ioctl on an AF_INET datagram socket.
Status set_link_up(uint64_t host_netns, const std::string& ifname);
Status set_ipv4_address(uint64_t host_netns, const std::string& ifname,
                        packet::Ipv4Address address, int prefix_length);
Status set_mac_address(uint64_t host_netns, const std::string& ifname,
                       const packet::MacAddress& mac);

// A TUN (IPv4 packets, no packet-info header) or TAP (Ethernet frames) device created in
// the calling process's namespace; the device disappears when the descriptor closes.
// Move-only; closes the descriptor on destruction.
class TunDevice {
 public:
  TunDevice() = default;
  TunDevice(TunDevice&& other) noexcept;
  TunDevice& operator=(TunDevice&& other) noexcept;
  TunDevice(const TunDevice&) = delete;
  TunDevice& operator=(const TunDevice&) = delete;
  ~TunDevice();

  // Opens /dev/net/tun and creates `name`; the descriptor is non-blocking.
  static Status create(uint64_t host_netns, const std::string& name, bool tap, TunDevice* out);

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }

 private:
  int fd_ = -1;
  std::string name_;
};

}  // namespace sp::harness::netns
