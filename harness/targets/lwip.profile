# Profile of lwIP 2.1.3 (Debian's liblwip, target lwip): its known departures from the
# RFCs, each examined on the generated TCP suites (`stateproof gen spec/tcp.sp --role
# Endpoint`, and with `--coverage boundary --const RCV_WND=65535`, the window lwIP
# advertises) against stateproof-lwip-agent. Format: docs/harness.md "Target profiles".
# Which of these are lwIP bugs by the RFC, and the comparison with Linux:
# docs/lwip-vs-linux.md. No sysctls: lwIP has none (its options are compile time).

profile lwip
targets lwip

# The boundary suite first: these name tests the entries below name too, and say what
# happened first.

deviation ack_of_unacceptable_segment_processed
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return) ... After sending"
rfc    "the acknowledgment, drop the unacceptable segment and return."
reason "tcp_receive() processes the ACK field before it looks at the sequence number: a"
reason "segment outside the receive window (above it, or an old duplicate) that acknowledges"
reason "our SYN or FIN moves SYN-RECEIVED to ESTABLISHED, FIN-WAIT-1 to FIN-WAIT-2, CLOSING"
reason "to TIME-WAIT and LAST-ACK to CLOSED. A bug: the state moves on a segment the RFC"
reason "drops."
match  kind=state field=state expected=SYN_RCVD actual=ESTABLISHED
match  kind=state field=state expected=FIN_WAIT_1 actual=FIN_WAIT_2
match  kind=state field=state expected=CLOSING actual=TIME_WAIT
match  kind=timeout expected="flags=A seq=2 ack=2" state=LAST_ACK
match  kind=timeout expected="flags=A seq=2 ack=2" state=TIME_WAIT

deviation fin_with_ack_of_unsent_data_taken
at     Endpoint.rcv_ack_ahead
cite   "RFC 9293 §3.10.7.4"
rfc    "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop"
rfc    "the segment, and return."
reason "A FIN whose acknowledgment is beyond SND.NXT is acknowledged and taken (ESTABLISHED"
reason "to CLOSE-WAIT, FIN-WAIT-1 to CLOSING, FIN-WAIT-2 to TIME-WAIT) instead of dropped;"
reason "one beyond RCV.NXT is queued out of order and draws a second ACK, the duplicate ACK of"
reason "RFC 5681 §4.2, after the one for the acknowledgment. A bug."
match  kind=state field=state expected=ESTABLISHED actual=CLOSE_WAIT stimulus="*inject flags=FA *"
match  kind=state field=state expected=FIN_WAIT_1 actual=CLOSING stimulus="*inject flags=FA *"
match  kind=state field=state expected=FIN_WAIT_2 actual=TIME_WAIT stimulus="*inject flags=FA *"
match  kind=unexpected actual="flags=A seq=[12] ack=1 win=* len=0 (retransmission after 0.0?? s)" stimulus="*inject flags=FA *"

deviation syn_rcvd_ack_checked_before_sequence_number
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "first check sequence number ... If an incoming segment is not acceptable, an"
rfc    "acknowledgment should be sent in reply"
reason "In SYN_RCVD tcp_process() answers an unacceptable ACK with a RST (the fifth step)"
reason "before the sequence number check, even for a segment outside the window (Linux"
reason "does the same: linux.profile)."
match  kind=packet field=flags expected=A actual=RA field=seq expected=1 actual="0 (absolute *)" field=ack expected=1 actual="*(absolute *)" state=SYN_RCVD

deviation rst_at_right_window_edge_challenged
at     Endpoint.rcv_unacceptable_rst
cite   "RFC 9293 §3.10.7.4"
cite   "RFC 5961 §3.2"
rfc    "If the RST bit is set and the sequence number is outside the current receive"
rfc    "window, silently drop the segment."
reason "tcp_process() tests a RST's sequence number with TCP_SEQ_BETWEEN(seqno, rcv_nxt,"
reason "rcv_nxt + rcv_wnd), inclusive at both ends: a RST at RCV.NXT + RCV.WND counts as in"
reason "the window and draws a challenge ACK. (A segment without RST at that edge is"
reason "answered as unacceptable, as the RFC says.)"
match  kind=unexpected actual="flags=A seq=1 ack=1 win=* len=0*" stimulus="*inject flags=R seq=65536 *"
match  kind=unexpected actual="flags=A seq=1 ack=1 win=* len=0*" stimulus="*inject flags=R seq=#* *"

deviation unacceptable_segment_acknowledged_twice
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "... After sending the acknowledgment, drop the unacceptable segment and return."
reason "A segment outside the window whose ACK is also beyond SND.NXT draws two ACKs: one"
reason "for the acknowledgment (tcp_receive) and one for the sequence number."
tests  rcv_ack_ahead.b1.* rcv_ack_ahead_last_ack.b1.* rcv_ack_challenge_throttled.b1.*
match  kind=unexpected actual="flags=A seq=[12] ack=[12] win=* len=0 (retransmission after 0.0?? s)"

deviation rst_always_carries_ack
at     Endpoint.rcv_ack_listen Endpoint.rcv_closed_ack Endpoint.rcv_bad_ack_syn_rcvd Endpoint.rcv_bad_ack_syn_sent Endpoint.abort_synchronized
cite   "RFC 9293 §3.10.7.1"
cite   "RFC 9293 §3.10.7.2"
cite   "RFC 9293 §3.10.5"
rfc    "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
rfc    "(ABORT, SYN-RECEIVED) Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
reason "lwIP's tcp_rst() builds every reset with TCP_RST|TCP_ACK and an acknowledgment"
reason "number; the RST's sequence number is the RFC's, only the ACK flag is extra."
match  kind=packet field=flags expected=R actual=RA

deviation syn_fin_counted_once
at     Endpoint.rcv_closed_no_ack
cite   "RFC 9293 §3.10.7.1"
cite   "RFC 9293 §3.4"
rfc    "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
rfc    "SEG.LEN = the number of octets occupied by the data in the segment (counting SYN and FIN)"
reason "tcp_input() computes the segment length as the payload plus one when SYN or FIN"
reason "is set, so a SYN+FIN counts 1, not 2: the RST acknowledges SEG.SEQ+1."
match  kind=packet field=ack expected=2 actual="1 (absolute *)" stimulus="*inject flags=SF *"
match  kind=packet field=ack expected=2 actual="1 (absolute *)" stimulus="*inject flags=FS *"

deviation abort_syn_sent_sends_rst
at     Endpoint.abort_syn_sent
later  Endpoint.active_open
cite   "RFC 9293 §3.10.5"
rfc    "SYN-SENT STATE: All queued SENDs and RECEIVEs should be given \"reset\" responses,"
rfc    "delete the TCB, enter CLOSED state, and return."
reason "tcp_abort() (tcp_abandon) sends a RST in every state but LISTEN, CLOSED and"
reason "TIME-WAIT; in SYN-SENT it carries ACK with acknowledgment number 0."
match  kind=unexpected actual="flags=RA seq=1 ack=* win=* len=0"
# A W-method test OPENs again at once: the RST is read by the expect of the new SYN.
match  kind=packet field=flags expected=S actual=RA state=CLOSED

deviation abort_closing_sends_rst
at     Endpoint.abort_closing
later  Endpoint.active_open
cite   "RFC 9293 §3.10.5"
rfc    "CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: Respond with \"ok\" and delete the"
rfc    "TCB, enter CLOSED state, and return."
reason "tcp_abort() sends a RST in CLOSING and LAST-ACK as in the synchronized states."
match  kind=unexpected actual="flags=RA seq=2 ack=2 win=* len=0"
match  kind=packet field=flags expected=S actual=RA state=CLOSED

deviation rst_without_ack_bit_accepted_in_syn_sent
at     Endpoint.rcv_rst_no_ack_syn_sent
later  Endpoint.active_open Endpoint.rcv_syn_syn_sent
cite   "RFC 9293 §3.10.7.3"
rfc    "If the RST bit is set, If the ACK was acceptable, then signal to the user"
rfc    "\"error: connection reset\", drop the segment, enter CLOSED state ... Otherwise (no"
rfc    "ACK), drop the segment and return."
reason "tcp_process() in SYN_SENT takes a RST as acceptable when its acknowledgment"
reason "field equals SND.NXT, without looking at the ACK bit: a RST with the ACK bit off"
reason "but a matching field closes the connection."
match  kind=state field=state expected=SYN_SENT actual=CLOSED
# In a W-method test that goes on: an OPEN refused in SYN-SENT sends a SYN (lwIP is
# CLOSED), and a SYN draws the RST of CLOSED instead of a SYN-ACK.
match  kind=unexpected actual="flags=S seq=0 win=* len=0 (retransmission after 0.0?? s)" state=SYN_SENT
match  kind=packet field=flags expected=SA actual=RA field=seq expected=0 actual="1 (absolute *)" state=SYN_SENT

deviation ack_without_syn_in_syn_sent_draws_rst
at     Endpoint.rcv_other_syn_sent
cite   "RFC 9293 §3.10.7.3"
rfc    "fifth, if neither of the SYN or RST bits is set, then drop the segment and return."
reason "tcp_process() in SYN_SENT answers every ACK segment that is not a SYN-ACK with a"
reason "RST (\"send a RST to bring the other side in a non-synchronized state\"), even"
reason "one whose acknowledgment is acceptable."
match  kind=unexpected actual="flags=RA seq=1 ack=1 win=* len=0" state=SYN_SENT

deviation no_simultaneous_open
at     Endpoint.rcv_syn_syn_sent
cite   "RFC 9293 §3.10.7.3"
rfc    "If the SYN bit is on and the security/compartment is acceptable, then ... Otherwise,"
rfc    "enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it."
reason "tcp_process() in SYN_SENT handles only SYN+ACK; a SYN alone is dropped, so"
reason "simultaneous open (and everything after it) is not implemented."
match  kind=timeout expected="flags=SA seq=0 ack=1"

deviation syn_in_syn_rcvd_ignored
at     Endpoint.rcv_syn_syn_rcvd_passive Endpoint.rcv_unacceptable
later  Endpoint.active_open_listen
cite   "RFC 9293 §3.10.7.4"
rfc    "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN, then return"
rfc    "this connection to the LISTEN state and return."
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
reason "lwIP keeps the connection in SYN_RCVD (tcp_process answers the SYN as a duplicate):"
reason "a SYN in the window changes nothing, one with the peer's ISN draws the SYN-ACK"
reason "again, and one outside the window draws no acknowledgment."
match  kind=state field=state expected=LISTEN actual=SYN_RCVD stimulus="*inject flags=S *"
match  kind=packet field=flags expected=A actual=SA field=seq expected=1 actual="0 (absolute *)" stimulus="*inject flags=S *"
match  kind=timeout expected="flags=A seq=1 ack=1" stimulus="*inject flags=S *"
# The SYN-RECEIVED pcb still holds the port: an OPEN in (the spec's) LISTEN fails.
match  kind=call field=call expected=ok actual="connect: ERR_USE*" state=LISTEN

deviation unacceptable_segment_without_ack_dropped
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return)"
reason "A segment with neither ACK nor SYN nor RST is dropped by tcp_process() before the"
reason "sequence number check; a SHOULD, not a MUST."
match  kind=timeout expected="flags=A seq=1 ack=1" stimulus="*inject flags=. *"

deviation fin_after_fin_not_acknowledged
at     Endpoint.rcv_ack_close_wait Endpoint.rcv_ack_closing Endpoint.rcv_ack_of_fin_closing Endpoint.rcv_ack_last_ack Endpoint.rcv_ack_time_wait
cite   "RFC 9293 §3.10.7.4"
rfc    "eighth, check the FIN bit, ... If the FIN bit is set, signal the user \"connection"
rfc    "closing\" and return any pending RECEIVEs with same message, advance RCV.NXT over"
rfc    "the FIN, and send an acknowledgment for the FIN."
reason "A second FIN beyond the first (SEG.SEQ = RCV.NXT after the peer's FIN) is not"
reason "new data for lwIP: in CLOSE-WAIT, CLOSING and LAST-ACK it sends nothing, in"
reason "TIME-WAIT it acknowledges the old RCV.NXT (as for a retransmitted FIN). Linux does"
reason "the same (linux.profile, fin_after_fin_not_acknowledged)."
match  kind=timeout expected="flags=A seq=1 ack=3" stimulus="*inject flags=F*"
match  kind=timeout expected="flags=A seq=2 ack=3" stimulus="*inject flags=F*"
match  kind=packet field=ack expected=3 actual="2 (absolute *)" stimulus="*inject flags=F*" event="*# rcv_ack_time_wait*"
match  kind=packet field=ack expected=3 actual="2 (absolute *)" stimulus="*inject flags=FA seq=2 *" event="*# rcv_ack_last_ack*"

parameter time_wait_two_minutes
at     Endpoint.time_wait_expired
timer  time_wait=120s
cite   "RFC 9293 §3.10.8"
cite   "RFC 9293 §3.4.2"
rfc    "When a connection is closed actively, it MUST linger in the TIME-WAIT state for a"
rfc    "time 2xMSL (Maximum Segment Lifetime) (MUST-13)" (MSL: 2 minutes, RFC 9293 §3.4.2)
reason "lwIP keeps a TIME-WAIT pcb for 2 * TCP_MSL = 2 * 60 s (a compile-time option,"
reason "TCP_MSL = 60000 ms in Debian's liblwip): 2 minutes, not 4."

parameter initial_rto_three_seconds
at     Endpoint.rtx_syn Endpoint.rtx_syn_ack Endpoint.rtx_fin
timer  rtx=3s
cite   "RFC 6298 §2.1"
rfc    "Until a round-trip time (RTT) measurement has been made for a segment sent between"
rfc    "the sender and receiver, the sender SHOULD set RTO <- 1 second"
reason "lwIP starts every connection with RTO = 3 s (pcb->rto = 3000 / TCP_SLOW_INTERVAL),"
reason "the value RFC 2988 had; RFC 6298 §2.1 still permits it (\"A TCP implementation MAY"
reason "still use this value (or any other value > 1 second)\"). Its FIN is timed from the"
reason "same 3 s: lwIP takes no RTT sample from the handshake."

deviation syn_retransmitted_without_back_off
at     Endpoint.rtx_syn
cite   "RFC 6298 §5.5"
rfc    "The host MUST set RTO <- RTO * 2 (\"back off the timer\")."
reason "lwIP retransmits a SYN at a constant RTO, 3 s apart (tcp_slowtmr doubles the"
reason "timeout only outside SYN-SENT); seen with the windows of its own 3 s RTO, the"
reason "second retransmission comes 3 s after the first, not 6 s."
match  kind=unexpected actual="flags=S seq=0 win=* len=0 (retransmission after [23].??? s)"

deviation syn_rcvd_given_up_after_20_seconds
at     Endpoint.rtx_syn_ack
cite   "RFC 9293 §3.8.3"
rfc    "In particular, R2 for a SYN segment MUST be set large enough to provide"
rfc    "retransmission of the segment for at least 3 minutes (MUST-23)."
reason "lwIP removes a pcb that has stayed in SYN-RECEIVED for TCP_SYN_RCVD_TIMEOUT = 20 s"
reason "(tcp_slowtmr), silently: its SYN-ACK is retransmitted 3 s and 9 s after the first,"
reason "and the third retransmission, due 21 s after it, never comes."
match  kind=timeout expected="flags=SA seq=0 ack=1" event="*(1 s x 2^2)*"

deviation every_unacknowledged_segment_retransmitted
at     Endpoint.rtx_fin
cite   "RFC 6298 §5.4"
rfc    "(5.4) Retransmit the earliest segment that has not been acknowledged by the TCP"
rfc    "receiver."
reason "On a retransmission timeout lwIP puts every unacknowledged segment back on its"
reason "send queue (tcp_rexmit_rto): after a CLOSE in SYN-RECEIVED it sends the SYN-ACK"
reason "and the FIN again, not the SYN-ACK alone."
match  kind=unexpected actual="flags=FA seq=1 ack=1 win=* len=0 (retransmission after [2-4].??? s)" state=FIN_WAIT_1

deviation time_wait_ignores_rst
at     Endpoint.rcv_rst_closing Endpoint.rcv_rst_challenge
later  Endpoint.active_open Endpoint.rcv_closed_no_ack
cite   "RFC 9293 §3.10.7.4"
cite   "RFC 5961 §3.2"
rfc    "CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: If the RST bit is set, then enter"
rfc    "the CLOSED state, delete the TCB, and return. ... If the RST bit is set and the"
rfc    "sequence number does not exactly match the next expected sequence value, yet is"
rfc    "within the current receive window, TCP endpoints MUST send an acknowledgment"
rfc    "(challenge ACK)"
reason "tcp_timewait_input() drops every RST in TIME-WAIT, the protection against"
reason "TIME-WAIT assassination RFC 1337 §3 describes (\"ignore RST segments in TIME-WAIT"
reason "state\"), which RFC 9293 does not adopt: a RST at RCV.NXT leaves TIME-WAIT in place,"
reason "and one elsewhere in the window draws no challenge ACK."
match  kind=state field=state expected=CLOSED actual=TIME_WAIT state=TIME_WAIT stimulus="*inject flags=R *"
match  kind=timeout expected="flags=A seq=2 ack=2" state=TIME_WAIT stimulus="*inject flags=R *"
# In a W-method test that goes on after the RST: TIME-WAIT still holds the port and
# answers as TIME-WAIT.
match  kind=call field=call expected=ok actual="connect: ERR_USE*" state=CLOSED stimulus="*inject flags=R *"
match  kind=packet field=flags expected=RA actual=A state=CLOSED

deviation syn_in_time_wait_draws_rst
at     Endpoint.rcv_syn_challenge Endpoint.rcv_syn_challenge_throttled
cite   "RFC 5961 §4.2"
cite   "RFC 9293 §3.10.7.4"
rfc    "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an ACK"
rfc    "(also referred to as challenge ACK) to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "tcp_timewait_input() answers a SYN in the window with a reset (RFC 793's \"If the SYN"
reason "is in the window it is an error, send a reset\"), RST+ACK acknowledging the SYN, not"
reason "the challenge ACK of RFC 5961 §4, which RFC 9293 adopted (nor withholds it, as RFC"
reason "5961 §7 would allow after an earlier challenge ACK). The reset's sequence number is the"
reason "SYN's acknowledgment field, which a segment without ACK carries as 0."
match  kind=packet field=flags expected=A actual=RA field=seq expected=2 actual="* (absolute 0)" field=ack expected=2 actual="3 (absolute *)" state=TIME_WAIT
match  kind=unexpected actual="flags=RA seq=* ack=3 win=* len=0" state=TIME_WAIT stimulus="*inject flags=S *"

deviation isn_predictable
at     Endpoint.rcv_rst_syn_rcvd_passive
cite   "RFC 9293 §3.4.1"
cite   "RFC 6528 §3"
rfc    "A TCP implementation MUST use the above type of \"clock\" for clock-driven selection of"
rfc    "initial sequence numbers (MUST-8), and SHOULD generate its initial sequence numbers"
rfc    "with the expression: ISN = M + F(localip, localport, remoteip, remoteport, secretkey)"
rfc    "(SHLD-1)"
reason "tcp_next_iss() returns a global counter advanced by tcp_ticks (iss += tcp_ticks), no"
reason "hash of the connection and no secret: ISNs to different tester ports follow one"
reason "another (all 6510 in a fresh agent, whose tcp_ticks is still 0), so a tester predicts"
reason "the next from the last. A lwIP port MAY supply LWIP_HOOK_TCP_ISN; Debian's has none."
match  kind=isn field=isn expected=unpredictable actual="ISNs * (predictable below *)"

# ARP (`stateproof gen spec/arp.sp --role Host`): a parameter lwIP cannot be given.

deviation arp_request_retries_fixed_at_build
at     Host.give_up Host.retransmit Host.gratuitous_announce
cite   "RFC 1122 §2.3.2.1"
rfc    "The recommended maximum rate is 1 per second per destination."
reason "Not an RFC departure: RFC 1122 fixes the rate of ARP requests, not their number."
reason "The spec's host retransmits its REQUEST MAX_TRIES = 1 time and then gives up;"
reason "lwIP's etharp_tmr() re-sends the request every second while the entry is pending,"
reason "until ARP_MAXPENDING (5 s in Debian's liblwip, a compile-time option) expires."
reason "Still resolving, it answers `announce` in the spec's FAILED state with its pending"
reason "request. (Linux's suite is generated with its count, --const MAX_TRIES=2.)"
match  kind=unexpected actual="op=request sha=iut.mac spa=iut.ip tha=zero tpa=tester.ip"
match  kind=packet field=tpa expected="192.0.2.1 (iut.ip)" actual="192.0.2.2 (tester.ip)"
