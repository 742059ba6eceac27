# Profile of the Linux kernel (targets linux and linux-tap): its known departures from the
# RFCs. Format: docs/harness.md "Target profiles". No settings: the kernel is tested as
# shipped (the namespace's default sysctls); a profile that sets one says so in every
# run's header, results JSON and JUnit properties.
#
# Each entry applies only at the spec steps it names (`at`: the transition a generated
# test line names in its `# comment`, or a hand-written test's `covers`) and excuses only
# the failure its `match` lines describe exactly: the kind, every differing field with
# its expected and actual value. Any other mismatch in the same test stays a fail.
# Seen on Linux 6.18 with the suites `stateproof gen` writes for spec/tcp.sp (transition
# coverage, and boundary coverage with --const RCV_WND=64240, the window Linux
# advertises) and spec/arp.sp (--const MAX_TRIES=2: Linux sends mcast_solicit = 3
# requests; RFC 1122 §2.3.2.1 fixes only their rate), and the hand-written suites in
# tests/harness_run/suites. Entries are tried in order.

profile linux
targets linux linux-tap

# --- Timers ---------------------------------------------------------------------------

deviation syn_retransmitted_without_back_off
at     Endpoint.rtx_syn
cite   "RFC 6298 §5.5"
rfc    "The host MUST set RTO <- RTO * 2 (\"back off the timer\")."
reason "Since Linux 6.5 the first tcp_syn_linear_timeouts = 4 (the default) retransmissions"
reason "of a SYN go at a constant RTO, 1 s apart (tcp_retransmit_timer: \"linear timeouts\""
reason "for thin streams and SYNs); only the later ones are backed off."
match  kind=unexpected actual="flags=S seq=0 win=* len=0 (retransmission after 1.[0-2]?? s)"

parameter fin_rto_200_ms
at     Endpoint.rtx_fin
timer  rtx=200ms
cite   "RFC 6298 §2.4"
rfc    "Whenever RTO is computed, if it is less than 1 second, then the RTO SHOULD be"
rfc    "rounded up to 1 second."
reason "Linux's minimum RTO is 200 ms (TCP_RTO_MIN; net.ipv4.tcp_rto_min_us, route option"
reason "rto_min) and its RTO is about srtt + 200 ms: a FIN sent after a handshake with a"
reason "short RTT is retransmitted after 0.2 s, then 0.4 s, 0.8 s (backed off from there)."

deviation rto_below_one_second
later  Endpoint.active_open Endpoint.close_listen
at     Endpoint.rcv_ack_fin_wait_1 Endpoint.rcv_ack_of_fin_fin_wait_1
at     Endpoint.rcv_ack_closing Endpoint.rcv_ack_last_ack Endpoint.rcv_unacceptable
cite   "RFC 6298 §2.4"
rfc    "Whenever RTO is computed, if it is less than 1 second, then the RTO SHOULD be"
rfc    "rounded up to 1 second."
reason "Linux's minimum RTO is 200 ms (TCP_RTO_MIN; net.ipv4.tcp_rto_min_us, route option"
reason "rto_min): after a handshake with a short RTT its FIN is retransmitted 0.2-0.3 s after"
reason "the first, inside windows where an RTO of at least 1 s keeps the IUT silent, or in"
reason "place of the acknowledgment the step expects next."
match  kind=unexpected actual="flags=FA seq=1 ack=[12] win=* len=0 (retransmission after 0.[2-9]?? s)"
match  kind=packet field=flags expected=A actual=FA field=seq expected=2 actual="1 (absolute *)" field=ack expected=3 actual="2 (absolute *)" observed="* (retransmission after 0.[2-9]?? s)"
match  kind=packet field=flags expected=A actual=FA field=seq expected=2 actual="1 (absolute *)" observed="* (retransmission after 0.[2-9]?? s)"

parameter time_wait_60_seconds
at     Endpoint.time_wait_expired
timer  time_wait=60s
cite   "RFC 9293 §3.10.8"
cite   "RFC 9293 §3.4.2"
rfc    "When a connection is closed actively, it MUST linger in the TIME-WAIT state for a"
rfc    "time 2xMSL (Maximum Segment Lifetime) (MUST-13)" (MSL: 2 minutes, RFC 9293 §3.4.2)
reason "TIME-WAIT lasts TCP_TIMEWAIT_LEN = 60 s (a compile-time constant, not a sysctl),"
reason "not 4 minutes."

# --- The handshake ----------------------------------------------------------------------

deviation syn_sent_bad_ack_resends_syn_at_once
at     Endpoint.rcv_bad_ack_syn_sent Endpoint.rcv_bad_ack_rst_syn_sent
later  Endpoint.active_open Endpoint.rcv_syn_syn_sent
cite   "RFC 9293 §3.10.7.3"
cite   "RFC 6298 §5.5"
rfc    "SYN-SENT STATE ... If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the"
rfc    "RST bit is set, if so drop the segment and return) ... and discard the segment."
reason "tcp_rcv_synsent_state_process() also re-arms the retransmission timer to"
reason "TCP_TIMEOUT_MIN (2 jiffies) when the ACK is unacceptable (\"Previous FIN/ACK or"
reason "RST/ACK might be ignored\"), so the SYN is sent again within ~10-100 ms, long before"
reason "the retransmission timeout."
match  kind=unexpected actual="flags=S seq=0 win=* len=0 (retransmission after 0.0?? s)"
match  kind=unexpected actual="flags=SA seq=0 ack=1 win=* len=0 (retransmission after 0.0?? s)" state=SYN_SENT

deviation syn_rcvd_duplicate_syn_answered_with_synack
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return):"
rfc    "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "tcp_check_req() takes a SYN carrying the peer's initial sequence number as a sign"
reason "that its SYN-ACK was lost and retransmits the SYN-ACK (<SEQ=ISS><CTL=SYN,ACK>)"
reason "instead of acknowledging with SND.NXT."
match  kind=packet field=flags expected=A actual=SA field=seq expected=1 actual="0 (absolute *)" stimulus="*inject flags=S *"

deviation syn_rcvd_in_window_syn_draws_rst
at     Endpoint.rcv_syn_syn_rcvd_passive
later  Endpoint.active_open_listen
cite   "RFC 9293 §3.10.7.4"
rfc    "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN, then return"
rfc    "this connection to the LISTEN state and return."
reason "tcp_check_req() handles an in-window SYN with a new sequence number as an"
reason "embryonic reset: the request socket is dropped (so the listener is back to LISTEN)"
reason "but a RST is sent to the peer first (<SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>)."
match  kind=unexpected actual="flags=RA seq=* ack=* win=0 len=0" stimulus="*inject flags=S *"
# The W-method's next step is an OPEN: the RST is read by the expect of its SYN.
match  kind=packet field=flags expected=S actual=RA stimulus="*inject flags=S seq=1 *" state=LISTEN

deviation syn_rcvd_ack_checked_before_sequence_number
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "first check sequence number ... If an incoming segment is not acceptable, an"
rfc    "acknowledgment should be sent in reply (unless the RST bit is set, if so drop the"
rfc    "segment and return)"
reason "tcp_check_req() checks the ACK of a segment for a request socket (SYN-RECEIVED)"
reason "before its sequence number: an unacceptable ACK draws the RST of the fifth step"
reason "(\"If the segment acknowledgment is not acceptable, form a reset segment\") even"
reason "when the sequence number is outside the window."
match  kind=packet field=flags expected=A actual=R field=seq expected=1 actual="0 (absolute *)" field=ack expected=1 actual="4293967296 (absolute 0), ACK bit off"

deviation close_in_syn_rcvd_sends_nothing
at     Endpoint.close_syn_rcvd
cite   "RFC 9293 §3.10.4"
rfc    "SYN-RECEIVED STATE: If no SENDs have been issued and there is no pending data to"
rfc    "send, then form a FIN segment and send it, and enter FIN-WAIT-1 state"
reason "Before accept() the application has no handle on a Linux connection: CLOSE can"
reason "only close the listener, and inet_csk_listen_stop() drops the request socket"
reason "(SYN-RECEIVED) without sending anything."
match  kind=timeout expected="flags=FA seq=1 ack=1"

deviation abort_in_syn_rcvd_sends_nothing
at     Endpoint.abort_synchronized
cite   "RFC 9293 §3.10.5"
rfc    "SYN-RECEIVED STATE ... Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
reason "Before accept() the application has no handle on a Linux connection: ABORT can"
reason "only close the listener, and inet_csk_listen_stop() drops the request socket"
reason "(SYN-RECEIVED) without a RST."
tests  *syn_rcvd* *SYN_RCVD*
match  kind=timeout expected="flags=R seq=1"

deviation abort_in_time_wait_keeps_time_wait
at     Endpoint.abort_closing
later  Endpoint.active_open Endpoint.rcv_closed_no_ack
cite   "RFC 9293 §3.10.5"
rfc    "CLOSING STATE, LAST-ACK STATE, TIME-WAIT STATE: Respond with \"ok\" and delete the"
rfc    "TCB, enter CLOSED state, and return."
reason "ABORT through the socket API (SO_LINGER {1, 0}, then close()) of a connection in"
reason "TIME-WAIT does not end it: the kernel keeps the connection's TIME-WAIT (a timewait"
reason "minisock once the socket is closed) for its 60 s, which the application cannot"
reason "reach. As with SYN-RECEIVED, the API gives no handle to abort it with. In a test"
reason "that goes on (the W-method's), the TIME-WAIT still holds the port (a new OPEN's bind"
reason "fails with EADDRINUSE) and answers segments as TIME-WAIT does (an ACK where CLOSED"
reason "sends a reset)."
match  kind=state field=state expected=CLOSED actual=TIME_WAIT state=TIME_WAIT
match  kind=call field=call expected=ok actual="connect: bind: Address already in use (EADDRINUSE)" state=CLOSED
match  kind=packet field=flags expected=RA actual=A state=CLOSED

# --- Synchronized states ------------------------------------------------------------------

deviation abort_rst_carries_ack
at     Endpoint.abort_synchronized
cite   "RFC 9293 §3.10.5"
rfc    "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE, CLOSE-WAIT STATE: Send a"
rfc    "reset segment: <SEQ=SND.NXT><CTL=RST>"
reason "tcp_send_active_reset() sets ACK (with RCV.NXT) on the RST of an ABORT. A"
reason "difference in the letter only: RFC 9293 §3.10.7 checks a RST by its sequence"
reason "number, so receivers take it either way."
match  kind=packet field=flags expected=R actual=RA

deviation zero_length_segment_at_right_window_edge_accepted
at     Endpoint.rcv_unacceptable Endpoint.rcv_unacceptable_rst
cite   "RFC 9293 §3.10.7.4"
rfc    "Segment Length 0, Receive Window >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND"
reason "tcp_sequence() accepts SEG.SEQ up to RCV.NXT + RCV.WND inclusive (!after()), and"
reason "tcp_in_window() in SYN-RECEIVED does too for a segment without data: a segment"
reason "exactly at the right edge is taken as acceptable and draws no ACK (one further is"
reason "unacceptable and acknowledged); a RST there draws a challenge ACK (RFC 5961 §3.2)"
reason "instead of being dropped."
match  kind=timeout expected="flags=A seq=1 ack=1" stimulus="*inject flags=A seq=64241 *"
match  kind=timeout expected="flags=A seq=2 ack=1" stimulus="*inject flags=A seq=64241 *"
match  kind=unexpected actual="flags=A seq=1 ack=1 win=* len=0*" stimulus="*inject flags=R seq=64241 *"
match  kind=unexpected actual="flags=A seq=1 ack=1 win=* len=0*" stimulus="*inject flags=R seq=#* *"

deviation fin_at_right_window_edge_accepted
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "Segment Length >0, Receive Window >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND or"
rfc    "RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND"
reason "The same inclusive right edge as for zero-length segments (tcp_sequence(): !after(seq,"
reason "rcv_nxt + rcv_wnd)): a FIN whose sequence number is RCV.NXT + RCV.WND is acceptable to"
reason "Linux, so its ACK field is processed (our FIN acknowledged: FIN-WAIT-2) and the FIN is"
reason "queued out of order with a duplicate ACK, where the RFC drops the segment with an ACK."
match  kind=state field=state expected=FIN_WAIT_1 actual=FIN_WAIT_2 stimulus="*inject flags=FA seq=64241 ack=2 *"

deviation fin_ending_at_rcv_nxt_accepted
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "Segment Length >0, Receive Window >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND or"
rfc    "RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND"
reason "tcp_sequence() takes a segment whose end (SEG.SEQ + SEG.LEN) is not before RCV.NXT:"
reason "a FIN at RCV.NXT - 1, all of it old, is acceptable to Linux, so its ACK field is"
reason "processed (our FIN acknowledged: FIN-WAIT-2) before the old FIN is acknowledged again,"
reason "where the RFC drops the whole segment with an ACK."
match  kind=state field=state expected=FIN_WAIT_1 actual=FIN_WAIT_2 stimulus="*inject flags=FA seq=0 ack=2 *"

deviation ack_of_bytes_never_sent_challenged
at     Endpoint.rcv_ack_established
tests  rcv_ack_too_old.*
cite   "RFC 5961 §5.2"
rfc    "The ACK value is considered acceptable only if it is in the range of ((SND.UNA -"
rfc    "MAX.SND.WND) <= SEG.ACK <= SND.NXT)."
reason "tcp_ack() narrows the range to SND.UNA - min(MAX.SND.WND, bytes acknowledged so far)"
reason "(\"do not accept ACK for bytes we never sent\"): with no data sent, an ACK anywhere"
reason "behind SND.UNA is discarded with a challenge ACK, inside the range RFC 5961 accepts"
reason "(here up to 65535 behind, the window the tester advertised)."
match  kind=unexpected actual="flags=A seq=1 ack=1 win=* len=0*" stimulus="*inject flags=A seq=1 ack=42949017* *"

deviation out_of_window_ack_rate_limited
at     Endpoint.rcv_unacceptable
tests  rcv_syn_challenge_throttled.b1.* rcv_ack_challenge_throttled.b1.*
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
reason "tcp_validate_incoming() sends the ACK for an unacceptable SYN or pure ACK through"
reason "tcp_oow_rate_limited(): at most one such ACK, or challenge ACK, per connection every"
reason "net.ipv4.tcp_invalid_ratelimit = 500 ms. Here the SYN or ACK outside the window comes"
reason "a few milliseconds after a challenge ACK and draws nothing."
match  kind=timeout expected="flags=A seq=1 ack=1" stimulus="*inject flags=S *"
match  kind=timeout expected="flags=A seq=1 ack=1" stimulus="*inject flags=A *"

deviation unacceptable_segment_without_ack_dropped
at     Endpoint.rcv_unacceptable
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return):"
rfc    "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "tcp_rcv_established() drops a segment with none of ACK, RST and SYN before the"
reason "sequence number check (SKB_DROP_REASON_TCP_FLAGS), so an unacceptable segment"
reason "without ACK draws no acknowledgment; with ACK it does."
match  kind=timeout expected="flags=A seq=[12] ack=[12]" stimulus="*inject flags=. *"

deviation fin_after_fin_not_acknowledged
at     Endpoint.rcv_ack_close_wait Endpoint.rcv_ack_of_fin_closing Endpoint.rcv_ack_closing
at     Endpoint.rcv_ack_last_ack Endpoint.rcv_ack_time_wait
cite   "RFC 9293 §3.10.7.4"
rfc    "If the FIN bit is set, signal the user \"connection closing\" and return any pending"
rfc    "RECEIVEs with same message, advance RCV.NXT over the FIN, and send an"
rfc    "acknowledgment for the FIN."
reason "In CLOSE-WAIT, CLOSING and LAST-ACK, tcp_rcv_state_process() does not queue a"
reason "segment at or beyond RCV.NXT (the peer already sent its FIN): a second FIN is"
reason "dropped without an ACK; in LAST-ACK, carried on an ACK of data not yet sent, it draws"
reason "an ACK of the old RCV.NXT (tcp_ack: \"send an ACK, drop the segment\"). In TIME-WAIT"
reason "(tcp_timewait_state_process) it is answered with an ACK of the old RCV.NXT: the"
reason "second FIN is not taken."
match  kind=timeout expected="flags=A seq=1 ack=3" stimulus="*inject flags=F*"
match  kind=timeout expected="flags=A seq=2 ack=3" stimulus="*inject flags=F*"
match  kind=packet field=ack expected=3 actual="2 (absolute *)" stimulus="*inject flags=F*" event="*# rcv_ack_time_wait*"
match  kind=packet field=ack expected=3 actual="2 (absolute *)" stimulus="*inject flags=FA seq=2 ack=3 *" event="*# rcv_ack_last_ack*"

deviation time_wait_segment_not_at_rcv_nxt_acknowledged
at     Endpoint.rcv_ack_time_wait
cite   "RFC 9293 §3.10.7.4"
rfc    "TIME-WAIT STATE: The only thing that can arrive in this state is a retransmission"
rfc    "of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
reason "The timewait minisock (tcp_timewait_state_process) answers every segment whose"
reason "sequence number is not exactly RCV.NXT with an ACK (TCP_TW_ACK), even an acceptable"
reason "ACK segment inside the window that the RFC's TIME-WAIT processing leaves"
reason "unanswered."
match  kind=unexpected actual="flags=A seq=2 ack=2 win=* len=0*"

deviation time_wait_rst_in_window_no_challenge_ack
at     Endpoint.rcv_rst_challenge
cite   "RFC 9293 §3.10.7.4"
cite   "RFC 5961 §3.2"
rfc    "If the RST bit is set and the sequence number does not exactly match the next"
rfc    "expected sequence value, yet is within the current receive window, TCP endpoints"
rfc    "MUST send an acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "A TIME-WAIT connection is a timewait minisock (tcp_timewait_state_process): an"
reason "in-window RST whose sequence number is not RCV.NXT is dropped silently, with no"
reason "challenge ACK; the TIME-WAIT state stays."
match  kind=timeout expected="flags=A seq=2 ack=2" state=TIME_WAIT

# --- Behaviour a later RFC allows that spec/tcp.sp does not model yet (docs/harness.md):
# listed here so that every mismatch is named, with the sentence the spec follows.

# --- ARP -----------------------------------------------------------------------------------

deviation arp_unsolicited_reply_not_added
at     Host.rcv_reply
cite   "RFC 826 (Packet Reception)"
rfc    "?Am I the target protocol address? Yes: If Merge_flag is false, add the triplet"
rfc    "<protocol type, sender protocol address, sender hardware address> to the"
rfc    "translation table."
reason "With net.ipv4.conf.*.arp_accept=0 (the default) arp_process() only updates"
reason "existing neighbour entries from replies it did not ask for; it never creates one."
match  kind=cache field="cache tester.ip" expected="02:00:00:00:00:02 (tester.mac)" actual=absent
match  kind=cache field="cache other.ip" expected="02:00:00:00:00:03 (other.mac)" actual=absent
