// The seam between the test executor and a system under test (packetdrill's netdev.h
// plus its syscall runner): the lower tester's device, the upper tester's calls, state
// observation and the clock. LinuxTarget (harness/target/) implements it on a TUN/TAP
// device in a private network namespace; tests implement it with a scripted fake so the
// executor and the matcher are tested without privileges.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/packet/address.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

// The concrete addresses behind the symbols of the test format. Value type.
struct AddressBook {
  packet::Ipv4Address iut_ip = packet::Ipv4Address::from_octets(192, 0, 2, 1);
  packet::Ipv4Address tester_ip = packet::Ipv4Address::from_octets(192, 0, 2, 2);
  packet::Ipv4Address other_ip = packet::Ipv4Address::from_octets(192, 0, 2, 3);
  packet::MacAddress iut_mac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
  packet::MacAddress tester_mac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
  packet::MacAddress other_mac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x03}};
  uint16_t iut_port = 8080;
  uint16_t tester_port = 40000;

  // A symbol (iut.ip, tester.ip, other.ip, broadcast, zero) or a dotted quad.
  std::optional<packet::Ipv4Address> ip(std::string_view text) const;
  // A symbol (iut.mac, tester.mac, other.mac, broadcast, zero) or a MAC literal.
  std::optional<packet::MacAddress> mac(std::string_view text) const;
  // "192.0.2.2 (tester.ip)" for a known address, else the dotted quad.
  std::string describe(packet::Ipv4Address a) const;
  std::string describe(const packet::MacAddress& a) const;
};

enum class LinkType { kIpv4, kEthernet };

// The payload of the UDP datagram a target sends for `call resolve`: the datagram leaves
// once the address is resolved, and frames carrying it are the harness's own.
inline constexpr std::string_view kResolveMarker = "stateproof-resolve";

struct Received {
  enum class Status { kPacket, kTimeout, kError };
  Status status = Status::kTimeout;
  std::vector<uint8_t> bytes;
  double time = 0;      // arrival, on the target's clock
  std::string error;    // kError
  // A frame the target handled itself, e.g. an ARP request for the tester's address that
  // the lower tester answered: recorded as the harness's own, never matched.
  bool harness = false;
};

struct CallOutcome {
  bool ok = true;
  bool harness_error = false;  // the harness, not the IUT, failed (error verdict)
  std::string message;         // e.g. "accept: no connection ready (EAGAIN)"
  // With harness_error: there was no connection or listener to act on. For a call marked
  // `may-refuse` that is the RFC's "error: connection does not exist" (§3.10), a refusal.
  bool no_connection = false;
};

struct StateObservation {
  bool ok = true;      // false: the observation itself failed (error verdict)
  std::string state;   // canonical name (tcp_state_names()); CLOSED when no socket
  std::string detail;  // what was seen, e.g. "SYN_RECV request socket 192.0.2.1:8080"
  std::string error;
};

struct NeighbourObservation {
  bool ok = true;
  std::optional<packet::MacAddress> mac;  // set when an entry with an address exists
  std::string detail;                     // e.g. "REACHABLE 02:00:00:00:00:02"
  std::string error;
};

// Not thread-safe; one target per test, used by one thread.
class Target {
 public:
  virtual ~Target() = default;

  virtual LinkType link() const = 0;
  // Seconds on a monotonic clock; all times below are on it.
  virtual double now() = 0;

  // Lower tester: one IPv4 packet (kIpv4) or Ethernet frame (kEthernet) to the IUT.
  virtual bool send(std::span<const uint8_t> packet, std::string* error) = 0;
  // The next packet from the IUT, waiting until `deadline` at most.
  virtual Received receive(double deadline) = 0;

  // Upper tester.
  virtual CallOutcome call(const Call& call) = 0;
  // The TCP state of the IUT's connection (or its listener), CLOSED when neither exists.
  virtual StateObservation tcp_state() = 0;
  // The IUT's neighbour (ARP) table entry for `address`.
  virtual NeighbourObservation neighbour(packet::Ipv4Address address) = 0;
};

}  // namespace sp::harness
