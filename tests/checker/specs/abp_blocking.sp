// Alternating-bit protocol over lossy channels that block when full. The sender
// retransmits on every timeout, without a retransmission bound: a blocking channel of
// capacity 1 keeps the state space finite (docs/language.md, "Channel conditions and
// blocking sends"). Used by the SPIN and symbolic agreement tests.
protocol abp "alternating bit over lossy blocking channels"

message Data { alt: int[0..1], payload: int[0..1] }
message Ack { alt: int[0..1] }

role Sender {
  port data: Data
  port ack: Ack
  states SENDING
  initial SENDING
  var bit: int[0..1] = 0
  var payload: int[0..1] = 0          // the payload being sent
  var sent: int[0..3] = 0          // ghost: payloads acknowledged
  timer rtx = 1s

  from SENDING on internal if empty(ack) && nfull(data) -> same { send data { alt = bit, payload = payload } start rtx }
  from SENDING on timeout rtx -> same { send data { alt = bit, payload = payload } start rtx }
  from SENDING on recv ack(a) if a.alt == bit -> same {
    bit = 1 - bit
    payload = 1 - payload
    if sent < 3 { sent = sent + 1 }
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
  var delivered: int[0..3] = 0

  from WAITING on recv data(d) if d.alt == expect -> same {
    expect = 1 - expect
    if delivered < 3 { delivered = delivered + 1 }
    send ack { alt = d.alt }
  }
  from WAITING on recv data(d) if d.alt != expect -> same { send ack { alt = d.alt } }
}

system pair {
  instance s: Sender
  instance r: Receiver
  channel s.data -> r.data capacity 1 lossy 2 blocking
  channel r.ack -> s.ack capacity 1 lossy 2 blocking
}

property in_order in pair: always (r.delivered == s.sent || r.delivered == s.sent + 1 || r.delivered == 3)
property queues_bounded in pair: always (len(r.data) <= 1 && len(s.ack) <= 1)
property full_is_len in pair: always (full(s.data) == (len(r.data) == 1) && nfull(r.ack) == empty(s.ack))
property no_deadlock in pair: deadlock free
property progress in pair: always (s.sent < 3 -> eventually (s.sent == 3)) under weak fair s, weak fair r
