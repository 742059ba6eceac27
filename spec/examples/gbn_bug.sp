// gbn_bug.sp -- spec/examples/gbn.sp with ONE deliberate bug: sequence numbers mod 2
// for a window of 2.
//
// Bug: M = W = 2. A window must be smaller than the sequence space [TW11 §3.4.2],
//   [KR17 §3.4.4]: with W = M, the receiver cannot tell a retransmission of an old frame
//   from a new frame with the same number.
// Breaks: in_order.
// Expected counterexample: frames 0 and 1 arrive and are delivered (the receiver now
//   expects 2 mod 2 = 0); the sender's timer goes off before their acknowledgements
//   arrive and it resends frame 0, which the receiver delivers as message 2 (6 steps).
// The changed lines are marked `BUG`.

// The spec below is gbn.sp's: go-back-N with a window of W = 2 frames and sequence numbers modulo M,
// over lossy FIFO channels; cumulative acknowledgements.
//
// Sources (cited on every transition):
//   TW11  A. S. Tanenbaum, D. J. Wetherall, "Computer Networks", 5th ed., §3.4.2
//         (protocol 5, go-back-N; why the window must be smaller than the number of
//         sequence numbers: at most MAX_SEQ outstanding frames with MAX_SEQ + 1 numbers).
//   KR17  J. F. Kurose, K. W. Ross, "Computer Networking", 7th ed., §3.4.3 (GBN sender
//         and receiver, cumulative ACK) and §3.4.4 (the window/sequence-space rule).
//
// Modelling decisions:
//  - The sender transfers N messages; `d` in a frame is the message's index, a ghost the
//    protocol never reads: it lets the properties say "delivered in order, once each".
//    On the wire there is only `seq` = d mod M.
//  - An acknowledgement carries the sequence number of the next frame the receiver
//    expects (cumulative: every frame before it arrived). The sender counts how many
//    outstanding frames it acknowledges as (ack - base) mod M, written with `+ M` since
//    `%` truncates toward zero.
//  - Timers are untimed: the timer may go off before the acknowledgements arrive (a
//    premature timeout), and the sender then goes back to `base` and resends every
//    outstanding frame (W = 2: at most two sends, spelt out).
//  - A full channel is a checking error in the language, so the sender goes back at most
//    MAX_RETX times without progress; with LOSS = 1 loss per channel in the whole run
//    that is enough, so every run ends and the liveness property needs no fairness.

protocol gbn_bug "go-back-N, window 2, sequence numbers mod 2 (BUG), lossy FIFO channels"

const N = 3              // messages to transfer
const W = 2              // the sender's window (frames outstanding at most)
const M = 2              // BUG: sequence numbers 0..1 for a window of 2 (needs W < M)
const MAX_RETX = 2       // go-backs without progress, at most
const LOSS = 1           // frames each channel may lose (in the whole run)
const CAP = N + W * MAX_RETX * N   // every frame the sender can send: nothing overflows

message Frame {
  seq: int[0..M - 1]     // the sequence number, mod M
  d: int[0..N - 1]       // ghost: which message this is
}

message Ack {
  ack: int[0..M - 1]     // the sequence number the receiver expects next
}

role Sender {
  port data: Frame
  port ack: Ack
  states RUN
  initial RUN

  var base: int[0..N] = 0        // the oldest unacknowledged message
  var nxt: int[0..N] = 0         // the next message to send
  var tries: int[0..MAX_RETX] = 0
  timer rtx = 1s

  // A new frame while the window has room [KR17 §3.4.3]; the timer runs for the oldest
  // unacknowledged frame [TW11 §3.4.2].
  send_new: from RUN on internal if nxt < base + W && nxt < N -> same cite "KR17 §3.4.3" {
    send data { seq = nxt % M, d = nxt }
    nxt = nxt + 1
    start rtx
  }

  // A cumulative acknowledgement of k = (ack - base) mod M outstanding frames, 1 <= k <=
  // nxt - base, slides the window [KR17 §3.4.3]; the timer restarts for what is left.
  ack_new: from RUN on recv ack(a)
      if (a.ack + M - base % M) % M >= 1 && (a.ack + M - base % M) % M <= nxt - base
      -> same cite "KR17 §3.4.3" {
    base = base + (a.ack + M - base % M) % M
    tries = 0
    if base == nxt {
      stop rtx
    } else {
      start rtx
    }
  }

  // Any other acknowledgement (a duplicate, for frames already acknowledged) is ignored.
  ack_old: from RUN on recv ack(a)
      if !((a.ack + M - base % M) % M >= 1 && (a.ack + M - base % M) % M <= nxt - base)
      -> same cite "KR17 §3.4.3"

  // Timeout: go back N, resend every outstanding frame [TW11 §3.4.2].
  go_back: from RUN on timeout rtx if tries < MAX_RETX -> same cite "TW11 §3.4.2" {
    tries = tries + 1
    send data { seq = base % M, d = base }
    if nxt > base + 1 {
      send data { seq = (base + 1) % M, d = base + 1 }
    }
    start rtx
  }
}

role Receiver {
  port data: Frame
  port ack: Ack
  states RUN
  initial RUN

  var expected: int[0..M - 1] = 0  // the sequence number of the next in-order frame
  var last: int[-1..N - 1] = -1    // ghost: the last message delivered to the user
  var wrong: bool = false          // ghost: a delivery out of order or twice

  // The in-order frame is delivered and acknowledged [KR17 §3.4.3].
  accept: from RUN on recv data(f) if f.seq == expected -> same cite "KR17 §3.4.3" {
    if f.d != last + 1 {
      wrong = true
    }
    last = f.d
    expected = (expected + 1) % M
    send ack { ack = expected }
  }

  // Any other frame is discarded; the receiver acknowledges the last in-order frame
  // again [KR17 §3.4.3] (GBN keeps no out-of-order frames).
  discard: from RUN on recv data(f) if f.seq != expected -> same cite "KR17 §3.4.3" {
    send ack { ack = expected }
  }
}

system gbn {
  instance sender: Sender
  instance receiver: Receiver
  channel sender.data -> receiver.data capacity CAP lossy LOSS
  channel receiver.ack -> sender.ack capacity CAP lossy LOSS
}

// Every message is delivered in order and once: no duplicate, no gap, no reordering.
property in_order in gbn: always !receiver.wrong

// The receiver never delivers a message the sender has not sent.
property delivers_only_sent in gbn: always receiver.last < sender.nxt

// The protocol stops only when every message is acknowledged.
property no_deadlock in gbn: deadlock free except sender.base == N

// Every message reaches the user (every run ends: see the header).
property all_delivered in gbn: eventually receiver.last == N - 1
