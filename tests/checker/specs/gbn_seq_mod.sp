// Go-back-N with sequence numbers modulo M = 3 (`seq mod M`) and a window of W = 2
// (spec/examples/gbn.sp with the arithmetic written as sequence numbers): `+` wraps mod
// M, `a - b` is the distance in 0..M-1. Correct only when W < M: `--const M=2` breaks
// in_order. Used by the SPIN and symbolic agreement tests.
protocol gbn_seq_mod "go-back-N, window 2, seq mod 3"

const N = 3              // messages to transfer
const W = 2              // window
const M = 3              // sequence numbers mod M
const MAX_RETX = 2
const LOSS = 1
const CAP = N + W * MAX_RETX * N
type Seq = seq mod M

message Frame {
  seq: Seq
  d: int[0..N - 1]       // ghost: which message this is
}
message Ack { ack: Seq } // the sequence number expected next

role Sender {
  port data: Frame
  port ack: Ack
  states RUN
  initial RUN
  var base: int[0..N] = 0         // oldest unacknowledged message (ghost count)
  var nxt: int[0..N] = 0
  var base_seq: Seq = 0
  var nxt_seq: Seq = 0
  var tries: int[0..MAX_RETX] = 0
  timer rtx = 1s

  send_new: from RUN on internal if nxt < base + W && nxt < N -> same {
    send data { seq = nxt_seq, d = nxt }
    nxt = nxt + 1
    nxt_seq = nxt_seq + 1
    start rtx
  }
  // A cumulative acknowledgement of k = ack - base_seq outstanding frames.
  ack_new: from RUN on recv ack(a) if a.ack - base_seq >= 1 && a.ack - base_seq <= nxt - base -> same {
    base = base + (a.ack - base_seq)
    base_seq = a.ack
    tries = 0
    if base == nxt { stop rtx } else { start rtx }
  }
  ack_old: from RUN on recv ack(a) if !(a.ack - base_seq >= 1 && a.ack - base_seq <= nxt - base) -> same
  go_back: from RUN on timeout rtx if tries < MAX_RETX -> same {
    tries = tries + 1
    send data { seq = base_seq, d = base }
    if nxt > base + 1 {
      send data { seq = base_seq + 1, d = base + 1 }
    }
    start rtx
  }
}

role Receiver {
  port data: Frame
  port ack: Ack
  states RUN
  initial RUN
  var expected: Seq = 0
  var last: int[-1..N - 1] = -1
  var wrong: bool = false
  accept: from RUN on recv data(f) if f.seq == expected -> same {
    if f.d != last + 1 { wrong = true }
    last = f.d
    expected = expected + 1
    send ack { ack = expected }
  }
  discard: from RUN on recv data(f) if f.seq != expected -> same {
    send ack { ack = expected }
  }
}

system gbn {
  instance sender: Sender
  instance receiver: Receiver
  channel sender.data -> receiver.data capacity CAP lossy LOSS
  channel receiver.ack -> sender.ack capacity CAP lossy LOSS
}

property in_order in gbn: always !receiver.wrong
// Distances mod M: the receiver is at most W ahead of the oldest unacknowledged frame;
// the sender's sequence numbers count its outstanding frames.
property window in gbn: always (receiver.expected - sender.base_seq <= W)
property outstanding in gbn: always (sender.nxt_seq - sender.base_seq == sender.nxt - sender.base)
// Serial order mod M: one outstanding frame is one ahead.
property serial in gbn: always (sender.nxt == sender.base + 1 -> sender.base_seq < sender.nxt_seq)
property no_deadlock in gbn: deadlock free except sender.base == N
