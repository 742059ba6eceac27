// arp.sp -- Address resolution (RFC 826) on one Ethernet segment.
//
// Reading list:
//   RFC 826 "Packet Generation"   a miss in the table broadcasts a REQUEST
//   RFC 826 "Packet Reception"    the reception algorithm (merge flag, target check, reply)
//   RFC 826 "Packet format"       ar$op, ar$sha, ar$spa, ar$tha, ar$tpa
//   RFC 1122 §2.3.2.1             ARP cache validation; request flooding limit (1/s/destination)
//   RFC 5227 §2.3                 ARP Announcement (gratuitous ARP): spa == tpa == own address
//
// RFC 826 has no numbered sections: transitions cite its section titles, as
// `RFC 826 "Packet Reception"`.
//
// Modelling decisions (docs/specs.md explains them):
//  - One protocol (Internet) on one hardware (10Mbit Ethernet): the "?Do I have the
//    hardware type in ar$hrd?" and "?Do I speak the protocol in ar$pro?" checks always
//    pass, so ar$hrd, ar$pro, ar$hln and ar$pln are not modelled.
//  - The Ethernet segment is one broadcast channel: every frame reaches every other host.
//    A REPLY is sent "to the (new) target hardware address", i.e. unicast to the frame's
//    ar$tha; a host's interface does not deliver a unicast frame addressed to another
//    station, so a host drops a REPLY whose ar$tha is not its own address
//    (`rcv_not_for_me`). (The language has no per-frame destination on a broadcast
//    channel; ar$tha carries it, as RFC 826 suggests some drivers do.)
//  - ar$tha of a REQUEST is the implementation's choice: RFC 826 "does not set ar$tha to
//    anything in particular, because it is this value that it is trying to determine. It
//    could set ar$tha to the broadcast address for the hardware ... if that makes it
//    convenient for some aspect of the implementation." Each host has its own
//    `request_tha`, set per instance; the systems give a the broadcast address (which
//    makes `cache_never_maps_broadcast` meaningful: a host that merged the wrong hardware
//    field would cache ff:ff:ff:ff:ff:ff) and b and c zero (what Linux sends). The role
//    gives it no value, so a generated test expects any ar$tha in a REQUEST (`tha=*`).
//  - The cache has no aging (RFC 1122 §2.3.2.1 timeouts are out of scope) and holds
//    CACHE_SIZE entries: enough for the two other hosts of `lan`.
//  - Resolution: `resolve(t)` answers from the cache, or broadcasts a REQUEST and
//    retransmits it every RETRY (RFC 1122 §2.3.2.1 flooding limit) at most MAX_TRIES times,
//    then fails. It succeeds as soon as the table holds the target, whoever put it there
//    (a reply, or a request from the target itself: "if A has some reason to talk to B,
//    then B will probably have some reason to talk to A"). Timers are untimed in
//    checking: a retransmission may happen at any time, even before any answer could
//    have arrived, so a resolution may fail although the target is up.
//  - Gratuitous ARP (`announce`) is the RFC 5227 ARP Announcement: a REQUEST with
//    ar$spa = ar$tpa = own address, ar$tha zero. Receivers handle it with the ordinary
//    reception algorithm, which updates an existing entry and adds none.

protocol arp "RFC 826 address resolution on one Ethernet segment"

const MAX_TRIES = 1                          // retransmissions of a REQUEST before failing
                                             // (small for checking: --const MAX_TRIES=2)
const RETRY: duration = 1s                   // RFC 1122 §2.3.2.1: at most 1 per second
const CACHE_SIZE = 2                         // table entries per host
const QSZ = 4 * (MAX_TRIES + 1)              // frames queued towards one host, at most
const BROADCAST: mac = ff:ff:ff:ff:ff:ff     // "all ones in the case of the 10Mbit Ethernet"
const NO_MAC: mac = 00:00:00:00:00:00
const NO_IP: ip4 = 0.0.0.0

message Arp wire arp {
  op: enum { REQUEST = 1, REPLY = 2 }        // ares_op$REQUEST, ares_op$REPLY
  sha: mac                                   // ar$sha, sender hardware address
  spa: ip4                                   // ar$spa, sender protocol address
  tha: mac                                   // ar$tha, target hardware address
  tpa: ip4                                   // ar$tpa, target protocol address
}

role Host {
  port eth: Arp
  calls resolve(target: ip4), announce

  states IDLE, RESOLVING, RESOLVED, FAILED
  initial IDLE

  var my_ip: ip4                             // per instance
  var my_mac: mac                            // per instance
  var request_tha: mac                       // per instance: ar$tha of our REQUESTs
  var cache: map<ip4, mac> capacity CACHE_SIZE   // the translation table
  var query: ip4 = NO_IP                     // the protocol address being (last) resolved
  var tries: int[0..MAX_TRIES] = 0
  var answered_for: ip4 = NO_IP              // ghost: ar$tpa of the last REQUEST answered

  timer retry = RETRY retries MAX_TRIES

  // RFC 826 "Packet Reception": "?Is the pair <protocol type, sender protocol address>
  // already in my translation table?"
  def known(pa: ip4): bool = pa in cache
  // RFC 826 "Packet Reception": "?Am I the target protocol address?"
  def am_target(pa: ip4): bool = pa == my_ip

  // =====================================================================================
  // Packet Generation
  // "The Address Resolution module tries to find this pair in a table. If it finds the
  // pair, it gives the corresponding 48.bit Ethernet address back to the caller"
  // =====================================================================================

  resolve_hit: from { IDLE, RESOLVED, FAILED } on call resolve(t) if known(t)
      -> RESOLVED cite "RFC 826 \"Packet Generation\"" {
    query = t
  }

  // "If it does not, ... generates an Ethernet packet with a type field of
  // ether_type$ADDRESS_RESOLUTION. ... ar$op to ares_op$REQUEST, ar$sha with the 48.bit
  // ethernet address of itself, ar$spa with the protocol address of itself, and ar$tpa
  // with the protocol address of the machine that is trying to be accessed. It does not
  // set ar$tha to anything in particular, because it is this value that it is trying to
  // determine. It could set ar$tha to the broadcast address for the hardware ... It then
  // causes this packet to be broadcast to all stations on the Ethernet cable". The
  // machine "trying to be accessed" is another one: a host never resolves its own
  // protocol address (its packets to itself do not go out on the cable).
  resolve_miss: from { IDLE, RESOLVED, FAILED } on call resolve(t) if !known(t) && !am_target(t)
      -> RESOLVING cite "RFC 826 \"Packet Generation\"" {
    query = t
    tries = 0
    send eth { op = REQUEST, sha = my_mac, spa = my_ip, tha = request_tha, tpa = t }
    start retry
  }

  // The table now holds the target (merged from a REPLY, or from the target's own
  // REQUEST): the caller gets its hardware address.
  resolved: from RESOLVING on internal if known(query) -> RESOLVED
      cite "RFC 826 \"Packet Generation\"" {
    stop retry
  }

  // RFC 1122 §2.3.2.1: "A mechanism to prevent ARP flooding (repeatedly sending an ARP
  // Request for the same IP address, at a high rate) MUST be included. The recommended
  // maximum rate is 1 per second per destination." (RFC 826 itself leaves retransmission
  // to "a higher network layer".)
  retransmit: from RESOLVING on timeout retry if tries < MAX_TRIES && !known(query)
      -> same cite "RFC 1122 §2.3.2.1" {
    tries = tries + 1
    send eth { op = REQUEST, sha = my_mac, spa = my_ip, tha = request_tha, tpa = query }
    start retry
  }

  give_up: from RESOLVING on timeout retry if tries >= MAX_TRIES && !known(query)
      -> FAILED cite "RFC 1122 §2.3.2.1"

  // =====================================================================================
  // Gratuitous ARP (RFC 5227 §2.3, ARP Announcement)
  // "An ARP Announcement is identical to the ARP Probe described above, except that now
  // the sender and target IP addresses are both set to the host's newly selected IPv4
  // address. The purpose of these ARP Announcements is to make sure that other hosts on
  // the link do not have stale ARP cache entries"
  // =====================================================================================

  gratuitous_announce: from any on call announce -> same cite "RFC 5227 §2.3" {
    send eth { op = REQUEST, sha = my_mac, spa = my_ip, tha = NO_MAC, tpa = my_ip }
  }

  // =====================================================================================
  // Packet Reception
  // "?Do I have the hardware type in ar$hrd? Yes: (almost definitely) ... ?Do I speak the
  // protocol in ar$pro? Yes: ...
  //   Merge_flag := false
  //   If the pair <protocol type, sender protocol address> is already in my translation
  //   table, update the sender hardware address field of the entry with the new
  //   information in the packet and set Merge_flag to true.
  //   ?Am I the target protocol address?
  //   Yes:
  //     If Merge_flag is false, add the triplet <protocol type, sender protocol address,
  //     sender hardware address> to the translation table.
  //     ?Is the opcode ares_op$REQUEST?  (NOW look at the opcode!!)
  //     Yes:
  //       Swap hardware and protocol fields, putting the local hardware and protocol
  //       addresses in the sender fields.
  //       Set the ar$op field to ares_op$REPLY
  //       Send the packet to the (new) target hardware address on the same hardware on
  //       which the request was received."
  // "Negative conditionals indicate an end of processing and a discarding of the packet."
  // The reception algorithm does not depend on the resolution state: `from any`.
  // =====================================================================================

  // A REPLY is unicast to its ar$tha: another station's interface does not deliver it.
  rcv_not_for_me: from any on recv eth(p) if p.op == REPLY && p.tha != my_mac -> same
      cite "RFC 826 \"Packet Reception\""

  // Not the target: merge only. (This is how a gratuitous ARP updates existing entries.)
  rcv_merge_only: from any on recv eth(p)
      if (p.op == REQUEST || p.tha == my_mac) && !am_target(p.tpa)
      -> same cite "RFC 826 \"Packet Reception\"" {
    if known(p.spa) {
      cache[p.spa] = p.sha                   // update; Merge_flag := true
    }
  }

  // The target of a REQUEST: merge or add, then answer.
  rcv_request: from any on recv eth(p) if p.op == REQUEST && am_target(p.tpa)
      -> same cite "RFC 826 \"Packet Reception\"" {
    if known(p.spa) {
      cache[p.spa] = p.sha                   // update; Merge_flag := true
    } else {
      cache[p.spa] = p.sha                   // Merge_flag is false: add the triplet
    }
    send eth { op = REPLY, sha = my_mac, spa = my_ip, tha = p.sha, tpa = p.spa }
    answered_for = p.tpa
  }

  // The target of a REPLY: merge or add; "(NOW look at the opcode!!)": not a REQUEST, done.
  rcv_reply: from any on recv eth(p) if p.op == REPLY && p.tha == my_mac && am_target(p.tpa)
      -> same cite "RFC 826 \"Packet Reception\"" {
    if known(p.spa) {
      cache[p.spa] = p.sha                   // update; Merge_flag := true
    } else {
      cache[p.spa] = p.sha                   // Merge_flag is false: add the triplet
    }
  }
}

// ---------------------------------------------------------------------------------------
// Three hosts on one Ethernet segment. Two systems keep each state space small (every
// frame is copied to two queues, each copy lost or not): `lan` has a resolution that
// succeeds, one that cannot (nobody owns 192.0.2.99) and an announcement; `lan_mutual`
// has two hosts resolving each other at the same time, so that a REQUEST from the target
// itself can complete a resolution ("Y has remembered the information from X's request").
// ---------------------------------------------------------------------------------------
system lan {
  instance a: Host { my_ip = 192.0.2.1, my_mac = 02:00:00:00:00:01, request_tha = BROADCAST }
  instance b: Host { my_ip = 192.0.2.2, my_mac = 02:00:00:00:00:02, request_tha = NO_MAC }
  instance c: Host { my_ip = 192.0.2.3, my_mac = 02:00:00:00:00:03, request_tha = NO_MAC }
  channel eth broadcast lossy 1 capacity QSZ
  environment calls a.resolve(192.0.2.2) once, c.resolve(192.0.2.99) once, b.announce once
}

system lan_mutual {
  instance a: Host { my_ip = 192.0.2.1, my_mac = 02:00:00:00:00:01, request_tha = BROADCAST }
  instance b: Host { my_ip = 192.0.2.2, my_mac = 02:00:00:00:00:02, request_tha = NO_MAC }
  instance c: Host { my_ip = 192.0.2.3, my_mac = 02:00:00:00:00:03, request_tha = NO_MAC }
  channel eth broadcast lossy 1 capacity QSZ
  environment calls a.resolve(192.0.2.2) once, b.resolve(192.0.2.1) once
}

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

// A host answers only requests for its own protocol address ("?Am I the target protocol
// address?" before "Send the packet").
property replies_only_for_own_address in lan:
  always forall h: Host . (h.answered_for == NO_IP || h.answered_for == h.my_ip)

// The table never maps a protocol address to the broadcast hardware address.
property cache_never_maps_broadcast in lan:
  always forall h: Host . forall ip: ip4 . (ip in h.cache -> h.cache[ip] != BROADCAST)

// Stronger: every entry maps a host's protocol address to that host's hardware address.
property cache_consistent in lan:
  always forall h: Host . forall o: Host . (o.my_ip in h.cache -> h.cache[o.my_ip] == o.my_mac)

// A resolution that succeeded left its answer in the table (there is no aging).
property resolved_is_cached in lan:
  always forall h: Host . (h in RESOLVED -> h.query in h.cache)

// Every resolution ends, resolved or failed.
property resolution_ends in lan:
  always forall h: Host . (h in RESOLVING -> eventually (h in { RESOLVED, FAILED }))
  under weak fair timeout, weak fair internal

// The LAN only falls silent with no resolution pending.
property quiescent_only_when_idle in lan:
  deadlock free except forall h: Host . !(h in RESOLVING)

// The same guarantees when two hosts resolve each other.
property replies_only_for_own_address_mutual in lan_mutual:
  always forall h: Host . (h.answered_for == NO_IP || h.answered_for == h.my_ip)

property cache_consistent_mutual in lan_mutual:
  always forall h: Host . forall o: Host . (o.my_ip in h.cache -> h.cache[o.my_ip] == o.my_mac)

property resolved_is_cached_mutual in lan_mutual:
  always forall h: Host . (h in RESOLVED -> h.query in h.cache)

property resolution_ends_mutual in lan_mutual:
  always forall h: Host . (h in RESOLVING -> eventually (h in { RESOLVED, FAILED }))
  under weak fair timeout, weak fair internal
