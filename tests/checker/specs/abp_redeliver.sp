// The alternating-bit protocol (spec/examples/abp.sp) over channels that duplicate by
// redelivery (docs/language.md, "Channels"): a receive may leave the frame in the queue,
// so one frame can be delivered up to DUP + 1 times, later than it was sent. `abp` keeps
// every property; `abp_bug`, whose receiver ignores the bit, delivers a frame twice
// (in_order_bug). Used by the agreement tests of the explicit and symbolic engines and
// SPIN (tests/checker/redeliver_agreement_test.cpp).
protocol abp_redeliver "alternating bit over lossy channels that redeliver"

const N = 3              // messages to transfer
const MAX_RETX = 2       // retransmissions of one message, at most
const LOSS = 1           // messages each channel may lose (in the whole run)
const DUP = 1            // redeliveries each channel may make (in the whole run)
const CAP = 2 * (MAX_RETX + 1) + DUP  // each redelivered frame draws one more acknowledgement

message Frame {
  bit: int[0..1]         // the alternating bit
  d: int[0..N]           // ghost: which message this is
}

message Ack {
  bit: int[0..1]         // the bit of the frame acknowledged
}

role Sender {
  port data: Frame
  port ack: Ack
  states READY, WAIT
  initial READY

  var sb: int[0..1] = 0          // the bit of the current message
  var cur: int[0..N] = 0        // the current message (N: all acknowledged)
  var tries: int[0..MAX_RETX] = 0
  timer rtx = 1s

  // The sender transmits the frame and starts its timer [TW11 §3.3.3].
  send_frame: from READY on internal if cur < N -> WAIT cite "TW11 §3.3.3" {
    send data { bit = sb, d = cur }
    tries = 0
    start rtx
  }

  // When the timer goes off, the frame is sent again [TW11 §3.3.3] (here at most MAX_RETX times).
  retransmit: from WAIT on timeout rtx if tries < MAX_RETX -> same cite "TW11 §3.3.3" {
    tries = tries + 1
    send data { bit = sb, d = cur }
    if tries < MAX_RETX {
      start rtx
    }
  }

  // A valid acknowledgement: the sender takes the next message and flips the sequence
  // bit [TW11 §3.3.3]; the bit alternates [BSW69].
  ack_ok: from WAIT on recv ack(a) if a.bit == sb -> READY cite "BSW69" {
    stop rtx
    sb = 1 - sb
    cur = cur + 1
  }

  // Any other acknowledgement leaves the message and the bit unchanged [TW11 §3.3.3]:
  // it acknowledges the previous message again (a duplicate).
  ack_old: from WAIT on recv ack(a) if a.bit != sb -> same cite "TW11 §3.3.3"

  // A duplicate acknowledgement that arrives after the message was acknowledged.
  ack_late: from READY on recv ack(a) -> same cite "KR17 §3.4.1"
}

role Receiver {
  port data: Frame
  port ack: Ack
  states RECV
  initial RECV

  var eb: int[0..1] = 0          // the bit expected next
  var last: int[-1..N] = -1      // ghost: the last message delivered to the user
  var wrong: bool = false        // ghost: a delivery out of order or twice

  // The receiver checks the sequence bit; the expected one is passed to the user and
  // acknowledged [TW11 §3.3.3].
  deliver: from RECV on recv data(f) if f.bit == eb -> same cite "TW11 §3.3.3" {
    if f.d != last + 1 {
      wrong = true
    }
    last = f.d
    eb = 1 - eb
    send ack { bit = f.bit }
  }

  // A duplicate: not delivered, but acknowledged again, in case the first
  // acknowledgement was lost [KR17 §3.4.1, rdt2.2].
  reack: from RECV on recv data(f) if f.bit != eb -> same cite "KR17 §3.4.1" {
    send ack { bit = f.bit }
  }
}

role BuggyReceiver {  // delivers every frame it receives: ignores the bit
  port data: Frame
  port ack: Ack
  states RECV
  initial RECV

  var eb: int[0..1] = 0          // the bit expected next
  var last: int[-1..N] = -1      // ghost: the last message delivered to the user
  var wrong: bool = false        // ghost: a delivery out of order or twice

  // The receiver checks the sequence bit; the expected one is passed to the user and
  // acknowledged [TW11 §3.3.3].
  deliver: from RECV on recv data(f) -> same cite "TW11 §3.3.3" {  // BUG: no `if f.bit == eb`
    if f.d != last + 1 {
      wrong = true
    }
    last = f.d
    eb = 1 - eb
    send ack { bit = f.bit }
  }

}

system abp {
  instance sender: Sender
  instance receiver: Receiver
  channel sender.data -> receiver.data capacity CAP lossy LOSS dup DUP redeliver
  channel receiver.ack -> sender.ack capacity CAP lossy LOSS dup DUP redeliver
}

// Every message is delivered in order and once: no duplicate, no gap, no reordering.
property in_order in abp: always !receiver.wrong

// The receiver never delivers a message the sender has not handed to the channel.
property delivers_only_sent in abp: always receiver.last <= sender.cur

// The protocol stops only when every message is acknowledged.
property no_deadlock in abp: deadlock free except sender.cur == N

// Every message reaches the user (every run ends: see the header).
property all_delivered in abp: eventually receiver.last == N - 1

system abp_bug {
  instance sender: Sender
  instance receiver: BuggyReceiver
  channel sender.data -> receiver.data capacity CAP lossy LOSS dup DUP redeliver
  channel receiver.ack -> sender.ack capacity CAP lossy LOSS dup DUP redeliver
}

// Every message is delivered in order and once: no duplicate, no gap, no reordering.
property in_order_bug in abp_bug: always !receiver.wrong

// The receiver never delivers a message the sender has not handed to the channel.
property delivers_only_sent_bug in abp_bug: always receiver.last <= sender.cur

// The protocol stops only when every message is acknowledged.
property no_deadlock_bug in abp_bug: deadlock free except sender.cur == N

// Every message reaches the user (every run ends: see the header).
property all_delivered_bug in abp_bug: eventually receiver.last == N - 1
