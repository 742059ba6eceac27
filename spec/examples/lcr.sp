// lcr.sp -- LCR leader election (Le Lann, Chang and Roberts) on a unidirectional ring of
// four processes with unique identifiers, reliable FIFO channels; the leader then
// announces itself around the ring.
//
// Sources (cited on every transition):
//   CR79  E. Chang, R. Roberts, "An improved algorithm for decentralized extrema-finding
//         in circular configurations of processes", CACM 22(5), 1979.
//   L96   N. A. Lynch, "Distributed Algorithms", 1996, §3.3 (the LCR algorithm, and its
//         variant in which the leader sends a halting message around the ring).
//
// Modelling decisions:
//  - Each process starts on its own (`wake`, an internal step at any time), as in [CR79];
//    a process that has not started yet still relays and discards identifiers.
//  - The identifiers are set per instance; MAX_ID is the largest. The algorithm assumes
//    they are unique: spec/examples/lcr_bug.sp gives two processes the same identifier.
//  - Every run is finite (each process sends its identifier once, each identifier and
//    the announcement travel at most once around the ring), so the liveness properties
//    need no fairness.

protocol lcr "LCR leader election on a unidirectional ring of four"

const MAX_ID = 4

message Token {
  kind: enum { CANDIDATE, ELECTED }
  id: int[1..MAX_ID]
}

role Node {
  port inp: Token
  port out: Token
  states SLEEP, AWAKE, LEADER, FOLLOWER
  initial SLEEP

  var my_id: int[1..MAX_ID]          // per instance: this process's identifier
  var leader: int[0..MAX_ID] = 0     // the leader's identifier, once known (0: not yet)

  // Each process sends its identifier to its neighbour [CR79], [L96 §3.3].
  wake: from SLEEP on internal -> AWAKE cite "CR79" {
    send out { kind = CANDIDATE, id = my_id }
  }

  // A larger identifier is passed on [L96 §3.3].
  relay: from any on recv inp(t) if t.kind == CANDIDATE && t.id > my_id -> same cite "L96 §3.3" {
    send out { kind = CANDIDATE, id = t.id }
  }

  // A smaller identifier is discarded [L96 §3.3].
  discard: from any on recv inp(t) if t.kind == CANDIDATE && t.id < my_id -> same cite "L96 §3.3"

  // Its own identifier came back around the ring: the process is the leader, and
  // announces it [L96 §3.3, the halting variant].
  elected: from any on recv inp(t) if t.kind == CANDIDATE && t.id == my_id -> LEADER cite "L96 §3.3" {
    leader = my_id
    send out { kind = ELECTED, id = my_id }
  }

  // The announcement: every other process learns the leader and passes it on [L96 §3.3].
  learn: from any on recv inp(t) if t.kind == ELECTED && t.id != my_id -> FOLLOWER cite "L96 §3.3" {
    leader = t.id
    send out { kind = ELECTED, id = t.id }
  }

  // The announcement came back to the leader: the election is over [L96 §3.3].
  halt: from any on recv inp(t) if t.kind == ELECTED && t.id == my_id -> same cite "L96 §3.3"
}

system ring {
  instance p1: Node { my_id = 2 }
  instance p2: Node { my_id = 4 }
  instance p3: Node { my_id = 1 }
  instance p4: Node { my_id = 3 }
  channel p1.out -> p2.inp capacity 5
  channel p2.out -> p3.inp capacity 5
  channel p3.out -> p4.inp capacity 5
  channel p4.out -> p1.inp capacity 5
}

// At most one leader.
property one_leader in ring:
  always (!(p1 in LEADER && p2 in LEADER) && !(p1 in LEADER && p3 in LEADER) && !(p1 in LEADER && p4 in LEADER)
          && !(p2 in LEADER && p3 in LEADER) && !(p2 in LEADER && p4 in LEADER) && !(p3 in LEADER && p4 in LEADER))

// The leader has the largest identifier, and every process that knows a leader knows it.
property leader_is_max in ring:
  always forall n: Node . ((n in LEADER -> n.my_id == MAX_ID) && (n.leader == 0 || n.leader == MAX_ID))

// The ring falls silent only once a leader is elected.
property no_deadlock in ring: deadlock free except exists n: Node . n in LEADER

// Every process learns the leader (every run ends: see the header).
property all_learn in ring: eventually forall n: Node . n.leader == MAX_ID
