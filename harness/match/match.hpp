// Matching packets from the IUT against a test's expected fields, and building the
// packets the lower tester injects. Pure functions over decoded packets and a small
// sequence-number context: no I/O, no clock.
//
// Sequence numbers in tests are relative (docs/test-format.md): `seq` of an inject and
// `ack` of an expect to the tester's ISN; `seq` of an expect and `ack` of an inject to
// the IUT's ISN, learned from the IUT's first SYN or SYN-ACK. `#N` is absolute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/result.hpp"
#include "harness/engine/target.hpp"
#include "harness/packet/decode.hpp"
#include "harness/packet/result.hpp"
#include "harness/suite/testcase.hpp"

namespace sp::harness {

// What the lower tester knows about the connection. Value type.
struct SeqContext {
  uint32_t tester_isn = 1000;
  std::optional<uint32_t> iut_isn;  // learned from the IUT's first SYN
  uint32_t tester_next = 0;         // relative: the tester's next sequence number
  uint32_t iut_next = 0;            // relative: past the IUT's highest byte/SYN/FIN seen
  std::optional<uint32_t> iut_tsval;  // the IUT's last TSval, echoed by ts=V:*
  uint16_t ip_id = 1;

  // Learns the IUT's ISN (first SYN) and advances iut_next; call for every TCP
  // segment from the IUT before matching it.
  void observe_iut(const packet::TcpSegment& segment);
  // A new connection (a later OPEN): forgets the IUT's ISN, both sides' next sequence
  // numbers and the IUT's TSval; the tester's ISN stays.
  void start_connection();
  // An expected SYN whose seq the test leaves open (`seq=*`: a new connection's ISN)
  // matched `segment`: the relative numbers after it count from its ISN.
  void learn_new_isn(const packet::TcpSegment& segment);
};

struct MatchOutcome {
  bool match = false;
  std::vector<FieldDiff> fields;  // every named field, ok or not
  std::string harness_error;      // the expectation cannot be evaluated (error verdict)
};

// Matches a decoded IPv4 packet from the IUT against TCP fields. A packet that is not
// TCP never matches.
MatchOutcome match_tcp(const std::vector<Field>& fields, const packet::DecodedIpv4& packet,
                       const SeqContext& ctx);

// Matches an ARP packet (and its Ethernet header) against ARP fields.
MatchOutcome match_arp(const std::vector<Field>& fields, const packet::EthernetHeader& ethernet,
                       const packet::ArpPacket& arp, const AddressBook& book);

// The IPv4 packet (kIpv4) or Ethernet frame (kEthernet) for an `inject` on wire tcp,
// advancing ctx.tester_next. Errors (e.g. a relative ack before the IUT's ISN is known)
// are returned as a message.
packet::Result<packet::Bytes> build_tcp_injection(const std::vector<Field>& fields,
                                                  SeqContext& ctx, const AddressBook& book,
                                                  LinkType link, double now);

// The Ethernet frame for an `inject` on wire arp.
packet::Result<packet::Bytes> build_arp_injection(const std::vector<Field>& fields,
                                                  const AddressBook& book);

// Flags in the test's notation, letters in the order S F R P A U E W ("SA", "FA", ".").
std::string flags_text(uint16_t flags);

// The fields of an expectation as the test wrote them: `flags=SA seq=0 ack=1`.
std::string fields_text(const std::vector<Field>& fields);

// An observed packet in the test's notation, for failures without an expectation to
// compare with (an unexpected packet) and for profiles to match on:
// `flags=RA seq=#0 ack=1001 win=0 len=0` (seq relative once the IUT's ISN is known, else
// `#` absolute; ack relative to the tester's ISN), or
// `op=reply sha=iut.mac spa=iut.ip tha=tester.mac tpa=tester.ip`.
std::string tcp_notation(const packet::TcpSegment& segment, const SeqContext& ctx);
std::string arp_notation(const packet::ArpPacket& arp, const AddressBook& book);

}  // namespace sp::harness
