// Alternating bit over channels that lose any number of messages but never more than 2
// in a row (`lossy consecutive 2`), the usual fairness assumption for ARQ liveness.
// Without a total loss budget, the sender still gets every payload through.
protocol abp_run "alternating bit with at most 2 consecutive losses"

message Data { alt: int[0..1] }
message Ack { alt: int[0..1] }

role Sender {
  port data: Data
  port ack: Ack
  states SENDING
  initial SENDING
  var bit: int[0..1] = 0
  var sent: int[0..2] = 0
  timer rtx = 1s
  from SENDING on internal if sent < 2 && empty(ack) && nfull(data) -> same { send data { alt = bit } start rtx }
  from SENDING on timeout rtx -> same { send data { alt = bit } start rtx }
  from SENDING on recv ack(a) if a.alt == bit -> same {
    bit = 1 - bit
    if sent < 2 { sent = sent + 1 }
    stop rtx
  }
  from SENDING on recv ack(a) if a.alt != bit -> same
}

role Receiver {
  port data: Data
  port ack: Ack
  states WAITING
  initial WAITING
  var expect: int[0..1] = 0
  from WAITING on recv data(d) if d.alt == expect -> same { expect = 1 - expect send ack { alt = d.alt } }
  from WAITING on recv data(d) if d.alt != expect -> same { send ack { alt = d.alt } }
}

system pair {
  instance s: Sender
  instance r: Receiver
  channel s.data -> r.data capacity 1 lossy consecutive 2 blocking
  channel r.ack -> s.ack capacity 1 lossy consecutive 2 blocking
}

property no_deadlock in pair: deadlock free except s.sent == 2
property both_sent in pair: eventually (s.sent == 2) under weak fair s, weak fair r
