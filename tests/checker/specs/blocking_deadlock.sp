// Two peers that only send, on blocking channels of capacity 1: after one send each,
// both channels are full and no step is enabled. A deadlock every engine must find
// (a send on a full blocking channel is not enabled; it is not a checking error).
protocol stuck "sends that block"

message M { v: int[0..1] }

role Peer {
  port net: M
  states A, B
  initial A
  var sent: int[0..2] = 0
  from A on internal if nfull(net) -> B { send net { v = 1 } sent = sent + 1 }
  from B on internal -> A { send net { v = 0 } if sent < 2 { sent = sent + 1 } }
}

system two {
  instance p, q: Peer
  channel p.net -> q.net capacity 1 blocking
  channel q.net -> p.net capacity 1 blocking
}

property no_deadlock in two: deadlock free
property full_means_waiting in two: always (full(p.net) -> len(q.net) == 1)
property waiting_at_most_one in two: always (len(p.net) <= 1)
