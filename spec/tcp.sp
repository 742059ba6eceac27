// tcp.sp -- TCP connection management (RFC 9293), two endpoints, lossy channels.
//
// Reading list (cited on every transition as `RFC NNNN §x.y.z`):
//   RFC 9293 §3.3.2     state machine overview, Figure 5 and its notes
//   RFC 9293 §3.5.2/3   reset generation and reset processing
//   RFC 9293 §3.6       closing a connection (normal, simultaneous close)
//   RFC 9293 §3.8.3     excessive retransmission: thresholds R1/R2, "close the connection"
//   RFC 9293 §3.10.1    OPEN call           §3.10.4 CLOSE call     §3.10.5 ABORT call
//   RFC 9293 §3.10.7.1  SEGMENT ARRIVES in CLOSED     §3.10.7.2 in LISTEN
//   RFC 9293 §3.10.7.3  in SYN-SENT                   §3.10.7.4 in the other states
//   RFC 9293 §3.10.8    timeouts: user timeout, retransmission, TIME-WAIT
//   RFC 5961 §3.2, §4.2 challenge ACK for in-window RST not at RCV.NXT, and for SYN
//   RFC 5961 §5.2       ACK validation against MAX.SND.WND (an alternative, MAY-12)
//   RFC 5681 §4.2       immediate duplicate ACK of an out-of-order segment (an alternative)
//   RFC 5961 §7         challenge ACK throttling (an alternative)
//   RFC 1122 §4.2.2.13  closing; the 2xMSL TIME-WAIT linger (now RFC 9293 §3.6.1, MUST-13)
//   RFC 6298 §2         initial RTO of 1 second
//
// Modelling decisions. The system `pair` mirrors the hand-written SPIN model
// ../shared/reference/spin/tcp_close.pml (see RESULTS.md there) so that the two can
// be cross-checked; docs/specs.md explains each decision at length.
//  - A segment is <flags, seq, ack> and carries no data (SEG.LEN counts SYN and FIN
//    only). Sequence numbers are seq<32>, reduced to 3 bits in checking (--seq-bits 3,
//    the default), so they are taken mod 8 as in the SPIN model. The client's ISS is 6
//    and the server's 2: the client's sequence space wraps (6, 7, 0).
//  - RCV.WND is the constant RCV_WND = 2. The window never changes (no data), so the
//    send-window variables SND.WND/WL1/WL2 and MAX.SND.WND are not modelled.
//  - Segments the SPIN model sends: SYN, SYN-ACK, ACK, FIN (always with ACK), RST,
//    RST-ACK. A FIN always carries ACK here: every FIN is sent from a state in which
//    RCV.NXT is known, and RFC 9293 sends the ACK field on every segment after the SYN.
//    Guards test the flag bits the way §3.10.7 does, so every one of the 64 flag
//    combinations is handled in every state (what a conformance tester may send).
//  - Receive processing is one transition per (state, outcome): the guards of the
//    transitions of one state partition all segments, so a received segment is always
//    consumed, and exactly one way -- except where a later RFC gives the implementation
//    another outcome (the "RFC alternatives" below). In-window segments that do not
//    start at RCV.NXT are not held for later (§3.10.7.4 SHLD-31): a FIN is processed
//    only when SEG.SEQ = RCV.NXT, as in the SPIN model.
//  - RFC alternatives. Where RFC 9293 and a later RFC both allow an outcome, both are
//    transitions taking the same segment in the same state, and the implementation may
//    take either, segment by segment: RFC 5961 §5.2's ACK validation (rcv_ack_too_old and
//    rcv_ack_ahead_last_ack, beside RFC 9293's "it can be ignored"), RFC 5681 §4.2's
//    immediate duplicate ACK of an out-of-order FIN (rcv_fin_ahead_*, beside holding it
//    silently) and RFC 5961 §7's throttling of challenge ACKs (rcv_*_challenge_throttled,
//    once a challenge ACK was sent). Generated tests accept either outcome at such a step
//    (an `or` line, docs/test-format.md). The per-instance `rfc_alternatives` enables
//    them; `pair` sets it from RFC_ALTERNATIVES (false by default, as tcp_close.pml has
//    none of them; --const RFC_ALTERNATIVES=1 checks every property with them).
//  - Timers are untimed in checking: the retransmission timer `rtx` may fire at any time
//    while a SYN, SYN-ACK or FIN is unacknowledged (which covers every delay and every
//    spurious retransmission); the MAX_RETX+1st expiry is the user timeout (R2 of
//    §3.8.3): CLOSED, no RST. TIME-WAIT expires at any time. FIN-WAIT-2 has no timer.
//  - `retx` counts retransmissions of the segment at the head of the retransmission
//    queue; it is reset when a SYN-ACK or FIN is queued, as in tcp_close.pml.
//  - Entering CLOSED deletes the TCB: every TCB variable returns to 0 (the canonical
//    CLOSED TCB, DELETE_TCB in tcp_close.pml). LISTEN keeps only `passive`.
//  - One incarnation per endpoint: the environment opens and closes each endpoint once.
//    A CLOSED endpoint whose connection is over answers every non-RST segment with a
//    RST (§3.10.7.1). In `pair`, segments that reach an endpoint before its user's OPEN
//    wait for the OPEN (`defer_until_open`): tcp_close.pml starts every endpoint with its
//    OPEN. With `defer_until_open = false` (the default) a fresh CLOSED endpoint answers
//    with RST, as a real host without a TCB does.
//  - CLOSE is called in ESTABLISHED or CLOSE-WAIT in `pair` (as in the SPIN model); the
//    RFC's CLOSE in LISTEN, SYN-SENT and SYN-RECEIVED is in the role, enabled by the
//    per-instance constant `early_close` (default true; false in `pair`). Calls that
//    only return an error ("connection already exists", "connection closing") change
//    nothing and are not modelled: the environment cannot make them.
//  - The SEND and RECEIVE calls, URG, PUSH, security/compartment checks and TIME-WAIT
//    reopening by SYN (MAY-2) are out of scope.
//
// The RFC's tests are named predicates of the role (`def`, expanded where they are used),
// each citing its section: in_window(SEG.SEQ) is IN_WINDOW, ack_ok(SEG.ACK) is ACK_OK,
// ack_ahead(SEG.ACK) is ACK_AHEAD, fin_here(SEG.CTL, SEG.SEQ) is FIN_HERE.

protocol tcp "RFC 9293 connection management"

const MAX_RETX = 2                // retransmissions of SYN / SYN-ACK / FIN before the user timeout
const MAX_LOSS = 1                // segments each direction may lose (the channels' loss budget)
const RCV_WND = 2                 // RCV.WND, constant
const QSZ = 6 * MAX_RETX + 2      // channel capacity: the SPIN model's exact maximum occupancy
const MSL: duration = 2min        // RFC 9293 §3.4.2: "an MSL of 2 minutes"; TIME-WAIT lasts 2 MSL (MUST-13)
const RTO: duration = 1s          // RFC 6298 §2.1: RTO <- 1 second before any RTT sample
// MAX.SND.WND (RFC 9293 §3.10.7.4, RFC 5961 §5.2): the largest window the peer has
// advertised. Segments carry no window here; 65535 is the largest without window scaling
// (RFC 7323 §2.2), the window a conformance tester advertises. At 3 bits no ACK is that
// far behind, so rcv_ack_too_old never fires in checking at the default width.
const MAX_SND_WND = 65535
// The RFC alternatives in `pair` (see the header): off, to mirror tcp_close.pml.
const RFC_ALTERNATIVES = false
// Initial sequence numbers (RFC 9293 §3.4.1). Checked at 3 bits they are 6 and 2; at
// --seq-bits 32, --const CLIENT_ISS=4294967294 --const SERVER_ISS=4294967290 gives the
// same run with both sequence spaces wrapping past 2^32 within the first segments
// (4294967294 mod 8 = 6, 4294967290 mod 8 = 2: the same explicit state space).
const CLIENT_ISS = 6
const SERVER_ISS = 2

type Flags = set<enum { FIN, SYN, RST, PSH, ACK, URG }>   // TCP header bit order
type Seq = seq<32>

message Segment wire tcp {
  flags: Flags
  seq: Seq
  ack: Seq
}

role Endpoint {
  port net: Segment
  calls listen, connect, close, abort     // passive OPEN, active OPEN, CLOSE, ABORT

  states CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
         CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT
  initial CLOSED

  // For `stateproof gen`, not the protocol: a test's preamble reaches the closing states
  // through ESTABLISHED when a path of the same length can (connect, SYN-ACK, CLOSE
  // rather than listen, SYN, CLOSE in SYN-RECEIVED, §3.10.4). The usual path is the one
  // every stack and socket API can drive; CLOSE in SYN-RECEIVED keeps its own tests.
  preamble via ESTABLISHED

  // The states of §3.10.7.4 ("Otherwise"): SYN-RECEIVED and the synchronized states.
  group SEQ_CHECKED = { SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT,
                        CLOSING, LAST_ACK, TIME_WAIT }
  group SYNCHRONIZED = { ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING,
                         LAST_ACK, TIME_WAIT }
  // The states with a SYN, SYN-ACK or FIN on the retransmission queue.
  group RTX_STATES = { SYN_SENT, SYN_RCVD, FIN_WAIT_1, CLOSING, LAST_ACK }

  // The RFC's tests (IN_WINDOW, ACK_OK, ACK_AHEAD, FIN_HERE in the comments on guards).
  // RFC 9293 §3.10.7.4, "First, check sequence number": the acceptability test. Segments
  // carry no data, so SEG.LEN =< 1 and the RFC's two tests (first or last octet in the
  // window) coincide: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND. `sn - rcv_nxt` between two
  // sequence numbers is the distance (sn - rcv_nxt) mod 2^bits, so this is exactly the
  // RFC's test across wrap-around (and the SPIN model's SEQ_OK).
  def in_window(sn: Seq): bool = sn - rcv_nxt < RCV_WND
  // RFC 9293 §3.10.7.3 and §3.10.7.4 "Fifth, check the ACK field": the ACK acceptability
  // test, SND.UNA < SEG.ACK =< SND.NXT. `<` and `<=` are RFC 1982 serial comparisons,
  // exact here because SND.NXT - SND.UNA never exceeds 2.
  def ack_ok(ack: Seq): bool = snd_una < ack && ack <= snd_nxt
  // RFC 9293 §3.10.7.4: "If the ACK acknowledges something not yet sent (SEG.ACK >
  // SND.NXT), then send an ACK, drop the segment, and return."
  def ack_ahead(ack: Seq): bool = ack > snd_nxt
  // RFC 9293 §3.10.7.4 "Eighth, check the FIN bit": a FIN this endpoint can process. In-
  // window segments that do not start at RCV.NXT are not held for later (SHLD-31), so a
  // FIN is processed only when SEG.SEQ = RCV.NXT, as in the SPIN model.
  def fin_here(flags: Flags, sn: Seq): bool = FIN in flags && sn == rcv_nxt
  // An in-window FIN beyond RCV.NXT: an out-of-order segment (SEG.LEN = 1), which RFC
  // 5681 §4.2 acknowledges at once.
  def fin_ahead(flags: Flags, sn: Seq): bool = FIN in flags && sn != rcv_nxt
  // RFC 5961 §5.2: "the ACK value is acceptable only if it is in the range of ((SND.UNA
  // - MAX.SND.WND) =< SEG.ACK =< SND.NXT)". An ACK behind SND.UNA (serial `<`) by more
  // than MAX.SND.WND is outside it.
  def ack_too_old(ack: Seq): bool = ack < snd_una && snd_una - ack > MAX_SND_WND

  // Per-instance configuration (never assigned by a transition).
  var iss: Seq                            // initial send sequence number (§3.4.1)
  var early_close: bool = true            // the user may CLOSE before ESTABLISHED
  var defer_until_open: bool = false      // segments wait for the user's OPEN
  var rfc_alternatives: bool = true       // the RFC alternatives (header) may be taken

  // The TCB.
  var snd_una, snd_nxt, rcv_nxt: Seq
  var retx: int[0..MAX_RETX] = 0          // retransmissions of the head of the queue
  var passive: bool = false               // the connection came from LISTEN (passive OPEN)
  var challenged: bool = false            // sent an RFC 5961 challenge ACK (with rfc_alternatives)

  // Ghosts (read by properties only).
  var closed_first: bool = false          // sent our FIN before receiving the peer's FIN
  var close_called: bool = false          // the user has called CLOSE
  var opened: bool = false                // the user has called OPEN

  timer rtx = RTO backoff 2 retries MAX_RETX
  timer time_wait = 2 * MSL

  // =====================================================================================
  // OPEN call (§3.10.1)
  // =====================================================================================

  // "If passive, enter the LISTEN state and return."
  passive_open: from CLOSED on call listen -> LISTEN cite "RFC 9293 §3.10.1" {
    passive = true
    opened = true
  }

  // "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to
  // ISS+1, enter SYN-SENT state, and return."
  active_open: from CLOSED on call connect -> SYN_SENT cite "RFC 9293 §3.10.1" {
    opened = true
    snd_una = iss
    snd_nxt = iss + 1
    retx = 0
    send net { flags = {SYN}, seq = iss }
    start rtx
  }

  // LISTEN: "If the OPEN call is active and the remote socket is specified, then change
  // the connection from passive to active, select an ISS. Send a SYN segment, set SND.UNA
  // to ISS, SND.NXT to ISS+1. Enter SYN-SENT state."
  active_open_listen: from LISTEN on call connect -> SYN_SENT cite "RFC 9293 §3.10.1" {
    passive = false
    snd_una = iss
    snd_nxt = iss + 1
    retx = 0
    send net { flags = {SYN}, seq = iss }
    start rtx
  }

  // =====================================================================================
  // CLOSE call (§3.10.4)
  // =====================================================================================

  // LISTEN: "Any outstanding RECEIVEs are returned with "error: closing" responses.
  // Delete TCB, enter CLOSED state, and return."
  close_listen: from LISTEN on call close if early_close -> CLOSED
      cite "RFC 9293 §3.10.4" {
    close_called = true
    passive = false
  }

  // SYN-SENT: "Delete the TCB and return "error: closing" responses to any queued SENDs,
  // or RECEIVEs."
  close_syn_sent: from SYN_SENT on call close if early_close -> CLOSED
      cite "RFC 9293 §3.10.4" {
    close_called = true
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    passive = false
    stop rtx
  }

  // SYN-RECEIVED: "If no SENDs have been issued and there is no pending data to send,
  // then form a FIN segment and send it, and enter FIN-WAIT-1 state". (No data: always.)
  close_syn_rcvd: from SYN_RCVD on call close if early_close -> FIN_WAIT_1
      cite "RFC 9293 §3.10.4" {
    close_called = true
    closed_first = true
    send net { flags = {FIN, ACK}, seq = snd_nxt, ack = rcv_nxt }
    snd_nxt = snd_nxt + 1
    start rtx                             // the SYN-ACK is still on the queue
  }

  // ESTABLISHED: "Queue this until all preceding SENDs have been segmentized, then form a
  // FIN segment and send it. In any case, enter FIN-WAIT-1 state."
  close_established: from ESTABLISHED on call close -> FIN_WAIT_1 cite "RFC 9293 §3.10.4" {
    close_called = true
    closed_first = true                   // we send our FIN before receiving the peer's
    send net { flags = {FIN, ACK}, seq = snd_nxt, ack = rcv_nxt }
    snd_nxt = snd_nxt + 1
    retx = 0
    start rtx
  }

  // CLOSE-WAIT: "Queue this request until all preceding SENDs have been segmentized;
  // then send a FIN segment, enter LAST-ACK state."
  close_close_wait: from CLOSE_WAIT on call close -> LAST_ACK cite "RFC 9293 §3.10.4" {
    close_called = true
    send net { flags = {FIN, ACK}, seq = snd_nxt, ack = rcv_nxt }
    snd_nxt = snd_nxt + 1
    retx = 0
    start rtx
  }

  // =====================================================================================
  // ABORT call (§3.10.5). Not offered by the environment of `pair` (as in tcp_close.pml).
  // (§3.5.2: "The side of a connection issuing a reset should enter the TIME-WAIT state";
  // §3.10.5 says CLOSED, and this spec follows §3.10.5.)
  // =====================================================================================

  // LISTEN: "Delete TCB, enter CLOSED state, and return."
  abort_listen: from LISTEN on call abort -> CLOSED cite "RFC 9293 §3.10.5" {
    passive = false
  }

  // SYN-SENT: "Delete the TCB, enter CLOSED state, and return."
  abort_syn_sent: from SYN_SENT on call abort -> CLOSED cite "RFC 9293 §3.10.5" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    passive = false
    stop rtx
  }

  // SYN-RECEIVED .. CLOSE-WAIT: "Send a reset segment: <SEQ=SND.NXT><CTL=RST> ... Delete
  // the TCB, enter CLOSED state, and return."
  abort_synchronized: from { SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT }
      on call abort -> CLOSED cite "RFC 9293 §3.10.5" {
    send net { flags = {RST}, seq = snd_nxt }
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
    stop rtx
  }

  // CLOSING, LAST-ACK, TIME-WAIT: "Respond with "ok" and delete the TCB, enter CLOSED
  // state, and return."
  abort_closing: from { CLOSING, LAST_ACK, TIME_WAIT } on call abort -> CLOSED
      cite "RFC 9293 §3.10.5" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
    stop rtx
    stop time_wait
  }

  // =====================================================================================
  // SEGMENT ARRIVES in CLOSED (§3.10.7.1)
  // "An incoming segment containing a RST is discarded. An incoming segment not containing
  // a RST causes a RST to be sent in response."
  // All three are disabled before the user's OPEN when `defer_until_open` (see header).
  // =====================================================================================

  rcv_rst_closed: from CLOSED on recv net(s)
      if (opened || !defer_until_open) && RST in s.flags
      -> same cite "RFC 9293 §3.10.7.1"

  // "If the ACK bit is off, sequence number zero is used,
  //    <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
  // SEG.LEN counts SYN and FIN (no data).
  rcv_closed_no_ack: from CLOSED on recv net(s)
      if (opened || !defer_until_open) && !(RST in s.flags) && !(ACK in s.flags)
      -> same cite "RFC 9293 §3.10.7.1" {
    if SYN in s.flags && FIN in s.flags {
      send net { flags = {RST, ACK}, seq = 0, ack = s.seq + 2 }
    } else if SYN in s.flags || FIN in s.flags {
      send net { flags = {RST, ACK}, seq = 0, ack = s.seq + 1 }
    } else {
      send net { flags = {RST, ACK}, seq = 0, ack = s.seq }
    }
  }

  // "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
  rcv_closed_ack: from CLOSED on recv net(s)
      if (opened || !defer_until_open) && !(RST in s.flags) && ACK in s.flags
      -> same cite "RFC 9293 §3.10.7.1" {
    send net { flags = {RST}, seq = s.ack }
  }

  // =====================================================================================
  // SEGMENT ARRIVES in LISTEN (§3.10.7.2)
  // =====================================================================================

  // "First, check for a RST: ... An incoming RST should be ignored. Return."
  rcv_rst_listen: from LISTEN on recv net(s) if RST in s.flags -> same
      cite "RFC 9293 §3.10.7.2"

  // "Second, check for an ACK: Any acknowledgment is bad if it arrives on a connection
  // still in the LISTEN state. An acceptable reset segment should be formed for any
  // arriving ACK-bearing segment. The RST should be formatted as follows:
  //    <SEQ=SEG.ACK><CTL=RST>"
  rcv_ack_listen: from LISTEN on recv net(s) if !(RST in s.flags) && ACK in s.flags
      -> same cite "RFC 9293 §3.10.7.2" {
    send net { flags = {RST}, seq = s.ack }
  }

  // "Third, check for a SYN: ... Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ... ISS
  // should be selected and a SYN segment sent of the form: <SEQ=ISS><ACK=RCV.NXT>
  // <CTL=SYN,ACK>. SND.NXT is set to ISS+1 and SND.UNA to ISS. The connection state should
  // be changed to SYN-RECEIVED."
  rcv_syn_listen: from LISTEN on recv net(s)
      if !(RST in s.flags) && !(ACK in s.flags) && SYN in s.flags
      -> SYN_RCVD cite "RFC 9293 §3.10.7.2" {
    rcv_nxt = s.seq + 1
    snd_una = iss
    snd_nxt = iss + 1
    retx = 0
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    start rtx
  }

  // "Fourth, other data or control: This should not be reached. Drop the segment and
  // return."
  rcv_other_listen: from LISTEN on recv net(s)
      if !(RST in s.flags) && !(ACK in s.flags) && !(SYN in s.flags)
      -> same cite "RFC 9293 §3.10.7.2"

  // =====================================================================================
  // SEGMENT ARRIVES in SYN-SENT (§3.10.7.3)
  // In SYN-SENT SND.UNA = ISS and SND.NXT = ISS+1, so ACK_OK is SEG.ACK = ISS+1 and its
  // negation is the RFC's "SEG.ACK =< ISS or SEG.ACK > SND.NXT" (written as the negation
  // so that it stays exhaustive under 3-bit serial arithmetic, where ISS+4 is neither).
  // =====================================================================================

  // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if
  // so drop the segment and return) <SEQ=SEG.ACK><CTL=RST> and discard the segment."
  rcv_bad_ack_syn_sent: from SYN_SENT on recv net(s)
      if ACK in s.flags && !ack_ok(s.ack) && !(RST in s.flags)
      -> same cite "RFC 9293 §3.10.7.3" {
    send net { flags = {RST}, seq = s.ack }
  }

  rcv_bad_ack_rst_syn_sent: from SYN_SENT on recv net(s)
      if ACK in s.flags && !ack_ok(s.ack) && RST in s.flags
      -> same cite "RFC 9293 §3.10.7.3"

  // "If the ACK was acceptable, then signal to the user "error: connection reset", drop
  // the segment, enter CLOSED state, delete TCB, and return." (Connection refused.) The
  // RFC 5961 check of SEG.SEQ against RCV.NXT is not applied: RCV.NXT is not yet known in
  // SYN-SENT (as in tcp_close.pml).
  rcv_rst_syn_sent: from SYN_SENT on recv net(s)
      if ACK in s.flags && ack_ok(s.ack) && RST in s.flags
      -> CLOSED cite "RFC 9293 §3.10.7.3" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    passive = false
    stop rtx
  }

  // "Otherwise (no ACK), drop the segment and return."
  rcv_rst_no_ack_syn_sent: from SYN_SENT on recv net(s)
      if !(ACK in s.flags) && RST in s.flags
      -> same cite "RFC 9293 §3.10.7.3"

  // "If the SYN bit is on ... RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA
  // should be advanced to equal SEG.ACK (if there is an ACK) ... If SND.UNA > ISS (our SYN
  // has been ACKed), change the connection state to ESTABLISHED, form an ACK segment
  // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
  rcv_synack_syn_sent: from SYN_SENT on recv net(s)
      if ACK in s.flags && ack_ok(s.ack) && !(RST in s.flags)
         && SYN in s.flags
      -> ESTABLISHED cite "RFC 9293 §3.10.7.3" {
    rcv_nxt = s.seq + 1
    snd_una = s.ack
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    stop rtx
  }

  // Simultaneous open. "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
  // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it."
  rcv_syn_syn_sent: from SYN_SENT on recv net(s)
      if !(ACK in s.flags) && !(RST in s.flags) && SYN in s.flags
      -> SYN_RCVD cite "RFC 9293 §3.10.7.3" {
    rcv_nxt = s.seq + 1
    retx = 0
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    start rtx
  }

  // "Fifth, if neither of the SYN or RST bits is set, then drop the segment and return."
  rcv_other_syn_sent: from SYN_SENT on recv net(s)
      if !(RST in s.flags) && !(SYN in s.flags)
         && (!(ACK in s.flags) || ack_ok(s.ack))
      -> same cite "RFC 9293 §3.10.7.3"

  // =====================================================================================
  // SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states (§3.10.7.4)
  // =====================================================================================

  // ---- First, check sequence number ---------------------------------------------------
  // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
  // (unless the RST bit is set, if so drop the segment and return):
  //    <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
  // For SEG.LEN =< 1 the RFC's two tests (first or last octet in the window) coincide.
  rcv_unacceptable: from SEQ_CHECKED on recv net(s)
      if !in_window(s.seq) && !(RST in s.flags)
      -> same cite "RFC 9293 §3.10.7.4" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  // RFC 5961 §3.2 step 1: "If the RST bit is set and the sequence number is outside the
  // current receive window, silently drop the segment."
  rcv_unacceptable_rst: from SEQ_CHECKED on recv net(s)
      if !in_window(s.seq) && RST in s.flags
      -> same cite "RFC 9293 §3.10.7.4"

  // ---- Second, check the RST bit (RFC 5961 §3.2 as adopted by RFC 9293) ---------------
  // "If the RST bit is set and the sequence number exactly matches the next expected
  // sequence number (RCV.NXT), then TCP endpoints MUST reset the connection in the manner
  // prescribed below according to the connection state."

  // SYN-RECEIVED: "If this connection was initiated with a passive OPEN (i.e., came from
  // the LISTEN state), then return this connection to LISTEN state and return."
  rcv_rst_syn_rcvd_passive: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && RST in s.flags && s.seq == rcv_nxt && passive
      -> LISTEN cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    stop rtx
  }

  // "If this connection was initiated with an active OPEN (i.e., came from SYN-SENT
  // state), then the connection was refused ... enter the CLOSED state and delete the
  // TCB, and return."
  rcv_rst_syn_rcvd_active: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && RST in s.flags && s.seq == rcv_nxt && !passive
      -> CLOSED cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    closed_first = false
    stop rtx
  }

  // ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "If the RST bit is set, then any
  // outstanding RECEIVEs and SEND should receive "reset" responses ... Enter the CLOSED
  // state, delete the TCB, and return."
  rcv_rst_synchronized: from { ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT }
      on recv net(s) if in_window(s.seq) && RST in s.flags && s.seq == rcv_nxt
      -> CLOSED cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
    stop rtx
  }

  // CLOSING, LAST-ACK, TIME-WAIT: "If the RST bit is set, then enter the CLOSED state,
  // delete the TCB, and return." (In TIME-WAIT this is the "TIME-WAIT assassination" of
  // RFC 1337; RFC 9293 keeps it.)
  rcv_rst_closing: from { CLOSING, LAST_ACK, TIME_WAIT }
      on recv net(s) if in_window(s.seq) && RST in s.flags && s.seq == rcv_nxt
      -> CLOSED cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
    stop rtx
    stop time_wait
  }

  // "If the RST bit is set and the sequence number does not exactly match the next
  // expected sequence value, yet is within the current receive window, TCP endpoints MUST
  // send an acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  // After sending the challenge ACK, TCP endpoints MUST drop the unacceptable segment and
  // stop processing the incoming packet further." (RFC 5961 §3.2 step 3)
  rcv_rst_challenge: from SEQ_CHECKED on recv net(s)
      if in_window(s.seq) && RST in s.flags && s.seq != rcv_nxt
      -> same cite "RFC 5961 §3.2" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives
  }

  // ---- Third, check security: not modelled --------------------------------------------

  // ---- Fourth, check the SYN bit -------------------------------------------------------
  // SYN-RECEIVED: "If the connection was initiated with a passive OPEN, then return this
  // connection to the LISTEN state and return. Otherwise, handle per the directions for
  // synchronized states below." (tcp_close.pml sends a challenge ACK in both cases; no
  // in-window SYN reaches SYN-RECEIVED in `pair`, so the two models still agree.)
  rcv_syn_syn_rcvd_passive: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && SYN in s.flags && passive
      -> LISTEN cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    stop rtx
  }

  rcv_syn_syn_rcvd_active: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && SYN in s.flags && !passive
      -> same cite "RFC 5961 §4.2" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives
  }

  // Synchronized states: "RFC 5961 recommends that in these synchronized states, if the
  // SYN bit is set, irrespective of the sequence number, TCP endpoints MUST send a
  // "challenge ACK" to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  // After sending the acknowledgment, TCP implementations MUST drop the unacceptable
  // segment and stop processing further." (An out-of-window SYN got its ACK in step one.)
  rcv_syn_challenge: from SYNCHRONIZED on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && SYN in s.flags
      -> same cite "RFC 5961 §4.2" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives
  }
  // RFC alternatives: a challenge ACK withheld. RFC 5961 §7: "An implementation SHOULD
  // include an ACK throttling mechanism to be conservative": a limit on the challenge ACKs
  // sent in a time window, both numbers tunable ("in any 5 second window, no more than 10
  // challenge ACKs"). The spec keeps no time, so once a connection has sent a challenge ACK
  // (RFC 5961 §3.2, §4.2 or §5.2), any later segment that draws one may instead be
  // dropped silently. The first is never withheld, so a stack that sends none still fails.
  rcv_rst_challenge_throttled: from SEQ_CHECKED on recv net(s)
      if challenged && in_window(s.seq) && RST in s.flags && s.seq != rcv_nxt
      -> same cite "RFC 5961 §7"

  rcv_syn_challenge_throttled: from SYNCHRONIZED on recv net(s)
      if challenged && in_window(s.seq) && !(RST in s.flags) && SYN in s.flags
      -> same cite "RFC 5961 §7"

  // ... and RFC 5961 §5.2's ACK for an ACK outside ((SND.UNA - MAX.SND.WND) =< SEG.ACK =<
  // SND.NXT), which a stack that implements RFC 5961 sends as a challenge ACK: the segment
  // dropped silently (a FIN on it not processed).
  rcv_ack_challenge_throttled: from { ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK }
      on recv net(s)
      if challenged && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && (ack_too_old(s.ack) || ack_ahead(s.ack))
      -> same cite "RFC 5961 §7"


  // ---- Fifth, check the ACK field ------------------------------------------------------
  // "if the ACK bit is off, drop the segment and return"
  rcv_no_ack: from SEQ_CHECKED on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && !(ACK in s.flags)
      -> same cite "RFC 9293 §3.10.7.4"

  // SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and
  // continue processing". Processing continues to the eighth step, so a FIN at RCV.NXT
  // carried by the same segment moves on to CLOSE-WAIT (next transition).
  rcv_ack_syn_rcvd: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ok(s.ack)
         && !fin_here(s.flags, s.seq)
      -> ESTABLISHED cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    stop rtx
  }

  // ... and the eighth step for the ESTABLISHED state just entered: "If the FIN bit is set,
  // ... advance RCV.NXT over the FIN, and send an acknowledgment for the FIN. ...
  // SYN-RECEIVED STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state."
  rcv_ack_fin_syn_rcvd: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ok(s.ack)
         && fin_here(s.flags, s.seq)
      -> CLOSE_WAIT cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    stop rtx
    rcv_nxt = rcv_nxt + 1
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  // "If the segment acknowledgment is not acceptable, form a reset segment
  // <SEQ=SEG.ACK><CTL=RST> and send it."
  rcv_bad_ack_syn_rcvd: from SYN_RCVD on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ok(s.ack)
      -> same cite "RFC 9293 §3.10.7.4" {
    send net { flags = {RST}, seq = s.ack }
  }

  // ESTABLISHED (and, by reference, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING): "If the
  // ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
  // segment, and return."
  rcv_ack_ahead: from { ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING }
      on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ahead(s.ack)
      -> same cite "RFC 9293 §3.10.7.4" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives         // RFC 5961 §5.2: SEG.ACK > SND.NXT is outside its range too
  }

  // An RFC alternative. RFC 9293 §3.10.7.4 (MAY-12): "RFC 5961, Section 5 describes a
  // potential blind data injection attack, and mitigation that implementations MAY choose
  // to include." RFC 5961 §5.2: "TCP stacks that implement RFC 5961 MUST add an input
  // check that the ACK value is acceptable only if it is in the range of ((SND.UNA -
  // MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments whose ACK value doesn't
  // satisfy the above condition MUST be discarded and an ACK sent back." The transitions
  // below take the same segments the RFC 9293 way ("If the ACK is a duplicate (SEG.ACK =<
  // SND.UNA), it can be ignored", and a FIN on it is processed).
  rcv_ack_too_old: from { ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK }
      on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_too_old(s.ack)
      -> same cite "RFC 5961 §5.2" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives
  }

  // ... and the upper edge of that range, SEG.ACK > SND.NXT, in LAST-ACK, where RFC 9293
  // has no "send an ACK, drop the segment" of its own (rcv_ack_ahead does it in the other
  // synchronized states but TIME-WAIT): rcv_ack_last_ack takes the segment, a FIN on it
  // processed.
  rcv_ack_ahead_last_ack: from LAST_ACK on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ahead(s.ack)
      -> same cite "RFC 5961 §5.2" {
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    challenged = rfc_alternatives
  }

  // ESTABLISHED: "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. ... If the
  // ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
  rcv_ack_established: from ESTABLISHED on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
         && !fin_here(s.flags, s.seq)
      -> same cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
  }

  // Eighth, check the FIN bit: "ESTABLISHED STATE: Enter the CLOSE-WAIT state."
  rcv_fin_established: from ESTABLISHED on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
         && fin_here(s.flags, s.seq)
      -> CLOSE_WAIT cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    rcv_nxt = rcv_nxt + 1
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  // FIN-WAIT-1: "In addition to the processing for the ESTABLISHED state, if the FIN
  // segment is now acknowledged, then enter FIN-WAIT-2 and continue processing in that
  // state." In FIN-WAIT-1 SND.UNA < SND.NXT, so our FIN is acknowledged exactly when
  // SEG.ACK = SND.NXT. This transition: our FIN not acknowledged, no FIN from the peer.
  rcv_ack_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack) && s.ack != snd_nxt
         && !fin_here(s.flags, s.seq)
      -> same cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
  }

  // Our FIN acknowledged, no FIN from the peer: FIN-WAIT-2. The retransmission queue is
  // now empty: "turn off" the retransmission timer.
  rcv_ack_of_fin_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && s.ack == snd_nxt
         && !fin_here(s.flags, s.seq)
      -> FIN_WAIT_2 cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    stop rtx
  }

  // Simultaneous close. Eighth step, "FIN-WAIT-1 STATE: If our FIN has been ACKed (perhaps
  // in this segment), then enter TIME-WAIT, start the time-wait timer, turn off the other
  // timers; otherwise, enter the CLOSING state." -- here: otherwise.
  rcv_fin_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack) && s.ack != snd_nxt
         && fin_here(s.flags, s.seq)
      -> CLOSING cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    rcv_nxt = rcv_nxt + 1
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  // ... "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT" (the
  // transition Note 2 of Figure 5 says the diagram omits).
  rcv_fin_ack_of_fin_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && s.ack == snd_nxt
         && fin_here(s.flags, s.seq)
      -> TIME_WAIT cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    rcv_nxt = rcv_nxt + 1
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    stop rtx
    start time_wait
  }

  // FIN-WAIT-2: "In addition to the processing for the ESTABLISHED state, if the
  // retransmission queue is empty, the user's CLOSE can be acknowledged ("ok") but do not
  // delete the TCB."
  rcv_ack_fin_wait_2: from FIN_WAIT_2 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
         && !fin_here(s.flags, s.seq)
      -> same cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
  }

  // RFC alternatives: an out-of-order FIN acknowledged at once. RFC 5681 §4.2: "A TCP
  // receiver SHOULD send an immediate duplicate ACK when an out-of-order segment arrives."
  // The transitions above hold such a FIN silently (RFC 9293 §3.10.7.4: "Segments with
  // higher beginning sequence numbers SHOULD be held for later processing"); these take
  // the same segments, do the same ACK processing, and send <SEQ=SND.NXT><ACK=RCV.NXT>.
  rcv_fin_ahead_syn_rcvd: from SYN_RCVD on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ok(s.ack)
         && fin_ahead(s.flags, s.seq)
      -> ESTABLISHED cite "RFC 5681 §4.2" {
    snd_una = s.ack
    stop rtx
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  rcv_fin_ahead_established: from { ESTABLISHED, FIN_WAIT_2 } on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
         && fin_ahead(s.flags, s.seq)
      -> same cite "RFC 5681 §4.2" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  rcv_fin_ahead_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack) && s.ack != snd_nxt
         && fin_ahead(s.flags, s.seq)
      -> same cite "RFC 5681 §4.2" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  rcv_fin_ahead_ack_of_fin_fin_wait_1: from FIN_WAIT_1 on recv net(s)
      if rfc_alternatives && in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && s.ack == snd_nxt
         && fin_ahead(s.flags, s.seq)
      -> FIN_WAIT_2 cite "RFC 5681 §4.2" {
    snd_una = s.ack
    stop rtx
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  // Eighth step, "FIN-WAIT-2 STATE: Enter the TIME-WAIT state. Start the time-wait timer,
  // turn off the other timers."
  rcv_fin_fin_wait_2: from FIN_WAIT_2 on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
         && fin_here(s.flags, s.seq)
      -> TIME_WAIT cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    rcv_nxt = rcv_nxt + 1
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    start time_wait
  }

  // CLOSE-WAIT: "Do the same processing as for the ESTABLISHED state." Eighth step,
  // "CLOSE-WAIT STATE: Remain in the CLOSE-WAIT state."
  rcv_ack_close_wait: from CLOSE_WAIT on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack)
      -> same cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    if fin_here(s.flags, s.seq) {
      rcv_nxt = rcv_nxt + 1
      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    }
  }

  // CLOSING: "In addition to the processing for the ESTABLISHED state, if the ACK
  // acknowledges our FIN, then enter the TIME-WAIT state; otherwise, ignore the segment."
  rcv_ack_of_fin_closing: from CLOSING on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && s.ack == snd_nxt
      -> TIME_WAIT cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    stop rtx
    start time_wait
    if fin_here(s.flags, s.seq) {          // eighth step in TIME-WAIT
      rcv_nxt = rcv_nxt + 1
      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    }
  }

  // ... otherwise. (A FIN at RCV.NXT is still processed -- "CLOSING STATE: Remain in the
  // CLOSING state." -- as tcp_close.pml does; none arrives in `pair`.)
  rcv_ack_closing: from CLOSING on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ahead(s.ack) && s.ack != snd_nxt
      -> same cite "RFC 9293 §3.10.7.4" {
    if ack_ok(s.ack) {
      snd_una = s.ack
    }
    if fin_here(s.flags, s.seq) {
      rcv_nxt = rcv_nxt + 1
      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    }
  }

  // LAST-ACK: "The only thing that can arrive in this state is an acknowledgment of our
  // FIN. If our FIN is now acknowledged, delete the TCB, enter the CLOSED state, and
  // return." Our FIN is acknowledged by an acceptable ACK (SND.UNA < SEG.ACK =< SND.NXT;
  // here SND.NXT = SND.UNA+1, so SEG.ACK = SND.NXT).
  rcv_ack_of_fin_last_ack: from LAST_ACK on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && ack_ok(s.ack)
      -> CLOSED cite "RFC 9293 §3.10.7.4" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
    stop rtx
  }

  // Any other ACK leaves LAST-ACK as it is. Eighth step, "LAST-ACK STATE: Remain in the
  // LAST-ACK state."
  rcv_ack_last_ack: from LAST_ACK on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags && !ack_ok(s.ack)
      -> same cite "RFC 9293 §3.10.7.4" {
    if fin_here(s.flags, s.seq) {
      rcv_nxt = rcv_nxt + 1
      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
    }
  }

  // TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the
  // remote FIN. Acknowledge it, and restart the 2 MSL timeout." A retransmitted FIN has
  // SEG.SEQ = RCV.NXT-1 and is answered by the first step's ACK; a FIN at RCV.NXT takes
  // the eighth step: "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL
  // time-wait timeout." (Restarting is a no-op in untimed checking.)
  rcv_ack_time_wait: from TIME_WAIT on recv net(s)
      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)
         && ACK in s.flags
      -> same cite "RFC 9293 §3.10.7.4" {
    if fin_here(s.flags, s.seq) {
      rcv_nxt = rcv_nxt + 1
      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
      start time_wait
    }
  }

  // =====================================================================================
  // Timeouts (§3.10.8, §3.8.3)
  // "RETRANSMISSION TIMEOUT: For any state if the retransmission timeout expires on a
  // segment in the retransmission queue, send the segment at the front of the
  // retransmission queue again, reinitialize the retransmission timer, and return."
  // =====================================================================================

  rtx_syn: from SYN_SENT on timeout rtx if retx < MAX_RETX -> same
      cite "RFC 9293 §3.10.8" {
    retx = retx + 1
    send net { flags = {SYN}, seq = iss }
    start rtx
  }

  rtx_syn_ack: from SYN_RCVD on timeout rtx if retx < MAX_RETX -> same
      cite "RFC 9293 §3.10.8" {
    retx = retx + 1
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    start rtx
  }

  // The FIN is the front of the queue, except after a CLOSE in SYN-RECEIVED while our SYN
  // is still unacknowledged (SND.UNA = ISS): then the SYN-ACK is.
  rtx_fin: from { FIN_WAIT_1, CLOSING, LAST_ACK } on timeout rtx if retx < MAX_RETX -> same
      cite "RFC 9293 §3.10.8" {
    retx = retx + 1
    if snd_una == iss {
      send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    } else {
      send net { flags = {FIN, ACK}, seq = snd_nxt - 1, ack = rcv_nxt }
    }
    start rtx
  }

  // §3.8.3: "When the number of transmissions of the same segment reaches a threshold R2
  // greater than R1, close the connection." §3.10.8, USER TIMEOUT: "flush all queues,
  // signal the user "error: connection aborted due to user timeout" ... delete the TCB,
  // enter the CLOSED state, and return." No RST is sent.
  user_timeout: from RTX_STATES on timeout rtx if retx >= MAX_RETX -> CLOSED
      cite "RFC 9293 §3.10.8" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
  }

  // "TIME-WAIT TIMEOUT: If the time-wait timeout expires on a connection, delete the TCB,
  // enter the CLOSED state, and return." (RFC 1122 §4.2.2.13 / RFC 9293 §3.6.1 MUST-13:
  // linger for 2xMSL.)
  time_wait_expired: from TIME_WAIT on timeout time_wait -> CLOSED cite "RFC 9293 §3.10.8" {
    snd_una = 0
    snd_nxt = 0
    rcv_nxt = 0
    retx = 0
    challenged = false
    passive = false
    closed_first = false
  }
}

// ---------------------------------------------------------------------------------------
// The connection pair of tcp_close.pml (N_CONN = 1).
// ---------------------------------------------------------------------------------------
system pair {
  instance client: Endpoint { iss = CLIENT_ISS, early_close = false, defer_until_open = true,
                              rfc_alternatives = RFC_ALTERNATIVES }
  instance server: Endpoint { iss = SERVER_ISS, early_close = false, defer_until_open = true,
                              rfc_alternatives = RFC_ALTERNATIVES }
  // Lossy FIFO channels: each direction may lose MAX_LOSS segments (--const MAX_LOSS=2).
  channel client.net -> server.net capacity QSZ lossy MAX_LOSS
  channel server.net -> client.net capacity QSZ lossy MAX_LOSS
  // Client: active OPEN. Server: passive OPEN, or active OPEN (simultaneous open).
  // One incarnation each; CLOSE is possible in ESTABLISHED or CLOSE-WAIT only.
  environment calls client.connect once, { server.listen, server.connect } once,
                    client.close once, server.close once
}

// ---------------------------------------------------------------------------------------
// Properties. (a)-(c) are the three properties of RESULTS.md.
// ---------------------------------------------------------------------------------------

// (a) Only an active closer (sent FIN before receiving one; in a simultaneous close both
// are) enters TIME-WAIT. RFC 9293 §3.6.1: "When a connection is closed actively, it MUST
// linger in the TIME-WAIT state".
property time_wait_only_on_active_closer in pair:
  always forall p: Endpoint . (p in TIME_WAIT -> p.closed_first)

// (b) No deadlock: every state other than CLOSED and LISTEN can make progress (the SPIN
// model's end-state check, with `end` labels on CLOSED and LISTEN).
property no_deadlock in pair:
  deadlock free except (client in { CLOSED, LISTEN } && server in { CLOSED, LISTEN })

// (c) Once both users have called CLOSE, both endpoints eventually reach CLOSED (the SPIN
// model's `closeall`, checked there with weak fairness).
property close_completes in pair:
  always ((client.close_called && server.close_called)
          -> eventually (client in CLOSED && server in CLOSED))
  under weak fair timeout, weak fair recv

// SND.UNA =< SND.NXT wherever a send sequence space exists (serial comparison at the
// checked width: it holds because SND.NXT - SND.UNA never exceeds 2).
property seq_consistent in pair:
  always forall p: Endpoint . (!(p in { CLOSED, LISTEN }) -> p.snd_una <= p.snd_nxt)

// The states after a FIN was sent first are only reached by the endpoint that closed
// first; the passive-close states only by the other one.
property fin_states_only_on_active_closer in pair:
  always forall p: Endpoint . (p in { FIN_WAIT_1, FIN_WAIT_2, CLOSING } -> p.closed_first)

property passive_close_states_not_closed_first in pair:
  always forall p: Endpoint . (p in { CLOSE_WAIT, LAST_ACK } -> !p.closed_first)

// Timer discipline: the retransmission timer runs exactly while a SYN, SYN-ACK or FIN is
// unacknowledged, and the 2MSL timer exactly in TIME-WAIT.
property rtx_armed_iff_unacked in pair:
  always forall p: Endpoint . ((p.rtx -> p in RTX_STATES) && (p in RTX_STATES -> p.rtx))

property time_wait_timer_iff_time_wait in pair:
  always forall p: Endpoint . ((p.time_wait -> p in TIME_WAIT) && (p in TIME_WAIT -> p.time_wait))

// No half-open connection in which one side is ESTABLISHED while the other has gone back
// to (or never left) LISTEN: a passive SYN-RECEIVED only returns to LISTEN on a RST at
// RCV.NXT or an in-window SYN, neither of which a peer that reached ESTABLISHED sends.
property no_half_open in pair:
  never ((client in ESTABLISHED && server in LISTEN) || (server in ESTABLISHED && client in LISTEN))

// Two ESTABLISHED endpoints agree on both sequence spaces.
property established_pairs_agree in pair:
  always ((client in ESTABLISHED && server in ESTABLISHED)
          -> (client.snd_nxt == server.rcv_nxt && server.snd_nxt == client.rcv_nxt))
