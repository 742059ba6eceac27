// Sets of integers and set operators: a sender tracks which of 4 slots are outstanding
// (set<int[0..3]>), a receiver which it has seen; `+` is union, `-` difference, `*`
// intersection. Used by the SPIN and symbolic agreement tests.
protocol slots "set<int[0..N]> and set operators"

const N = 3
type Slot = int[0..N]
type Slots = set<Slot>

message Pkt { slot: Slot }
message Ack { slot: Slot }

role Sender {
  port data: Pkt
  port ack: Ack
  states RUN
  initial RUN
  var outstanding: Slots = {}
  var done: Slots = {}
  calls push(k: Slot)
  from RUN on call push(k) if !(k in outstanding + done) -> same {
    outstanding = outstanding + {k}
    send data { slot = k }
  }
  from RUN on recv ack(a) if a.slot in outstanding -> same {
    outstanding = outstanding - {a.slot}
    done = done + {a.slot}
  }
  from RUN on recv ack(a) if !(a.slot in outstanding) -> same
}

role Receiver {
  port data: Pkt
  port ack: Ack
  states RUN
  initial RUN
  var seen: Slots = {}
  from RUN on recv data(p) -> same {
    seen = seen + {p.slot}
    send ack { slot = p.slot }
  }
}

system pair {
  instance s: Sender
  instance r: Receiver
  channel s.data -> r.data capacity 2 lossy 1 blocking
  channel r.ack -> s.ack capacity 2 blocking
  environment calls s.push at most 3
}

property disjoint in pair: always (s.outstanding * s.done == {})
property done_were_seen in pair: always (s.done - r.seen == {})
property not_all_done in pair: never (s.done == {0, 1, 2})
