# Profile of the Linux kernel (targets linux and linux-tap): settings applied inside
# every test's network namespace, and the known departures of Linux from the RFCs.
# Format: docs/harness.md "Target profiles". A deviation turns a failing test into an
# "expected deviation" only when the test's name matches `tests` AND its failure matches
# one `match` line (kind, field, expected and actual values): any other failure of the
# same test stays a fail.
# Seen on Linux 6.18 with this harness: the hand-written tests/harness_run/suites and the
# suites `stateproof gen` writes for spec/tcp.sp and spec/arp.sp (test names there are
# transition names; their lines carry the transition as a `# comment`, which `event=`
# sees). Entries are tried in order: specific ones first.

profile linux
targets linux linux-tap

# Out-of-window segments and challenge ACKs are rate limited per socket by
# tcp_invalid_ratelimit (500 ms by default, tcp_oow_rate_limited()): two stimuli within
# half a second would get one answer. The global challenge-ACK budget
# (tcp_challenge_ack_limit) is set high too, for kernels where it is still finite.
# RFC 5961 §7 allows throttling ("an implementation SHOULD include an ACK throttling
# mechanism"); tests measure the protocol, not the throttle.
sysctl net.ipv4.tcp_invalid_ratelimit=0
sysctl net.ipv4.tcp_challenge_ack_limit=2147483647

# An ARP resolution sends its REQUEST and MAX_TRIES = 1 retransmission (spec/arp.sp),
# one per RETRY = 1 s, then gives up. RFC 1122 §2.3.2.1 fixes only the rate ("The
# recommended maximum rate is 1 per second per destination"), not the count; Linux sends
# mcast_solicit = 3 broadcast requests by default, retrans_time = 1 s apart. The IUT is
# configured as the spec's parameter says: 2 requests (change both together).
sysctl net.ipv4.neigh.sp0.mcast_solicit=2

# Likewise TCP: the spec retransmits a SYN or SYN-ACK MAX_RETX = 2 times (RFC 9293
# §3.8.3 leaves R2 to the implementation, at least 3 minutes for a SYN; spec/tcp.sp is
# scaled down for checking), then its user timeout closes the connection. Linux's
# defaults are 6 SYN and 5 SYN-ACK retransmissions; the IUT is set to the spec's count.
sysctl net.ipv4.tcp_syn_retries=2
sysctl net.ipv4.tcp_synack_retries=2
# Since 6.5 Linux retransmits a SYN the first tcp_syn_linear_timeouts = 4 times at a
# constant RTO (1 s apart), not backed off: a departure from RFC 6298 §5.5 ("The host
# MUST set RTO <- RTO * 2 ('back off the timer')"), seen on the generated user_timeout
# test. 0 restores the exponential back-off the spec (timer rtx backoff 2) describes.
sysctl net.ipv4.tcp_syn_linear_timeouts=0

deviation time_wait_rst_in_window_no_challenge_ack
tests  *time_wait*rst*in_window*
cite   "RFC 9293 §3.10.7.4"
cite   "RFC 5961 §3.2"
rfc    "If the RST bit is set and the sequence number does not exactly match the next"
rfc    "expected sequence value, yet is within the current receive window, TCP endpoints"
rfc    "MUST send an acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "A TIME-WAIT connection is a timewait minisock (tcp_timewait_state_process): an"
reason "in-window RST whose sequence number is not RCV.NXT is dropped silently, with no"
reason "challenge ACK; the TIME-WAIT state stays."
match  kind=timeout field=packet expected=flags=A* actual=nothing

deviation arp_unsolicited_reply_not_added
tests  *unsolicited_reply_merged rcv_reply
cite   "RFC 826"
rfc    "?Am I the target protocol address? Yes: If Merge_flag is false, add the triplet"
rfc    "<protocol type, sender protocol address, sender hardware address> to the"
rfc    "translation table."
reason "With net.ipv4.conf.*.arp_accept=0 (the default) arp_process() only updates"
reason "existing neighbour entries from replies it did not ask for; it never creates one."
match  kind=cache field=cache* actual=absent

deviation syn_rcvd_duplicate_syn_answered_with_synack
tests  *syn_rcvd*duplicate_syn* rcv_syn_syn_rcvd_passive.*.distmax
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return):"
rfc    "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "tcp_check_req() takes a SYN carrying the peer's initial sequence number as a sign"
reason "that its SYN-ACK was lost and retransmits the SYN-ACK (<SEQ=ISS><CTL=SYN,ACK>)"
reason "instead of acknowledging with SND.NXT."
match  kind=packet field=flags expected=A actual=SA

deviation syn_rcvd_in_window_syn_draws_rst
tests  *syn_in_syn_rcvd* rcv_syn_syn_rcvd_passive*
cite   "RFC 9293 §3.10.7.4"
rfc    "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN, then return"
rfc    "this connection to the LISTEN state and return."
reason "tcp_check_req() handles an in-window SYN with a new sequence number as an"
reason "embryonic reset: the request socket is dropped (so the listener is back to LISTEN)"
reason "but a RST is sent to the peer first (<SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>)."
match  kind=unexpected field=packet actual=flags=RA*

deviation time_wait_60_seconds
tests  *time_wait_lasts_2msl*
cite   "RFC 9293 §3.10.8"
cite   "RFC 9293 §3.4.2"
rfc    "When a connection is closed actively, it MUST linger in the TIME-WAIT state for a"
rfc    "time 2xMSL (Maximum Segment Lifetime) (MUST-13)" (MSL: 2 minutes, RFC 9293 §3.4.2)
reason "TIME-WAIT lasts TCP_TIMEWAIT_LEN = 60 s (a compile-time constant, not a sysctl),"
reason "not 4 minutes."
match  kind=state field=state expected=TIME_WAIT actual=CLOSED

deviation close_in_syn_rcvd_sends_nothing
tests  *
cite   "RFC 9293 §3.10.4"
rfc    "SYN-RECEIVED STATE: If no SENDs have been issued and there is no pending data to"
rfc    "send, then form a FIN segment and send it, and enter FIN-WAIT-1 state"
reason "Before accept() the application has no handle on a Linux connection: CLOSE can"
reason "only close the listener, and inet_csk_listen_stop() drops the request socket"
reason "(SYN-RECEIVED) without sending anything."
match  kind=timeout field=packet expected=flags=F* actual=nothing event=*close_syn_rcvd*

deviation abort_in_syn_rcvd_sends_nothing
tests  *abort*
cite   "RFC 9293 §3.10.5"
rfc    "SYN-RECEIVED STATE ... Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
reason "Before accept() the application has no handle on a Linux connection: ABORT can"
reason "only close the listener, and inet_csk_listen_stop() drops the request socket"
reason "(SYN-RECEIVED) without a RST."
match  kind=timeout field=packet expected=flags=R* actual=nothing event=*syn_rcvd*
match  kind=timeout field=packet expected=flags=R* actual=nothing event=*abort_synchronized*

deviation syn_sent_bad_ack_resends_syn_at_once
tests  *bad_ack*syn_sent*
cite   "RFC 9293 §3.10.7.3"
cite   "RFC 6298 §5"
rfc    "SYN-SENT STATE ... If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the"
rfc    "RST bit is set, if so drop the segment and return) ... and discard the segment."
reason "tcp_rcv_synsent_state_process() also re-arms the retransmission timer to"
reason "TCP_TIMEOUT_MIN (2 jiffies) when the ACK is unacceptable (\"Previous FIN/ACK or"
reason "RST/ACK might be ignored\"), so the SYN is sent again within ~10 ms, long before"
reason "the retransmission timeout."
match  kind=unexpected field=packet actual=flags=S*retransmission*

# The boundary suite (stateproof gen --coverage boundary; generate it with the IUT's
# receive window, --const RCV_WND=64240, docs/harness.md): entries before the ones below,
# which also name some of these tests, because they say what happened first.

deviation rfc5961_ack_validation
tests  *.far
cite   "RFC 5961 §5.2"
cite   "RFC 9293 §3.10.7.4"
rfc    "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored."
reason "Linux implements the mitigation RFC 5961 §5.2 makes optional (RFC 9293 MAY-12) and"
reason "spec/tcp.sp does not: \"The ACK value is considered acceptable only if it is in the"
reason "range of ((SND.UNA - MAX.SND.WND) <= SEG.ACK <= SND.NXT). All incoming segments whose"
reason "ACK value doesn't satisfy the above condition MUST be discarded and an ACK sent back.\""
reason "A segment whose ACK is 2^31 - 1 behind draws an ACK, and a FIN on it is not taken."
match  kind=unexpected field=packet actual=flags=A*
match  kind=packet field=ack

deviation zero_length_segment_at_right_window_edge_accepted
tests  *.at
cite   "RFC 9293 §3.10.7.4"
rfc    "Segment Length 0, Receive Window >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND"
reason "tcp_sequence() accepts SEG.SEQ up to RCV.NXT + RCV.WND inclusive (!after()), and"
reason "tcp_in_window() in SYN-RECEIVED does too for a segment without data: a segment"
reason "exactly at the right edge is taken as acceptable and draws no ACK (one further is"
reason "unacceptable and acknowledged)."
match  kind=timeout field=packet expected=flags=A* actual=nothing event=*rcv_unacceptable*
match  kind=packet field=flags expected=A actual=FA event=*rcv_unacceptable*

deviation out_of_order_fin_acknowledged_at_once
tests  *.above
cite   "RFC 9293 §3.10.7.4"
cite   "RFC 5681 §4.2"
rfc    "If a segment's contents straddle the boundary between old and new, only the new"
rfc    "parts are processed. ... Segments with higher beginning sequence numbers SHOULD be"
rfc    "held for later processing"
reason "A FIN at RCV.NXT + 1 is out of order; spec/tcp.sp holds it silently, Linux queues it"
reason "and sends a duplicate ACK at once, as RFC 5681 §4.2 asks of a receiver (\"A TCP"
reason "receiver SHOULD send an immediate duplicate ACK when an out-of-order segment"
reason "arrives\"), congestion control the spec leaves out."
match  kind=unexpected field=packet actual=flags=A*

deviation syn_rcvd_ack_checked_before_sequence_number
tests  rcv_bad_ack_syn_rcvd*
cite   "RFC 9293 §3.10.7.4"
rfc    "first check sequence number ... If an incoming segment is not acceptable, an"
rfc    "acknowledgment should be sent in reply (unless the RST bit is set, if so drop the"
rfc    "segment and return)"
reason "tcp_check_req() checks the ACK of a segment for a request socket (SYN-RECEIVED)"
reason "before its sequence number: an unacceptable ACK draws the RST of the fifth step"
reason "(\"If the segment acknowledgment is not acceptable, form a reset segment\") even"
reason "when the sequence number is outside the window."
match  kind=packet field=flags expected=A actual=R

deviation fin_after_fin_not_acknowledged
tests  rcv_ack_close_wait* rcv_ack_last_ack* *fin_after_fin*
tests  rcv_ack_closing* rcv_ack_of_fin_closing* rcv_ack_time_wait* rcv_ack_of_fin_last_ack*
cite   "RFC 9293 §3.10.7.4"
rfc    "If the FIN bit is set, signal the user \"connection closing\" and return any pending"
rfc    "RECEIVEs with same message, advance RCV.NXT over the FIN, and send an"
rfc    "acknowledgment for the FIN."
reason "In CLOSE-WAIT, CLOSING and LAST-ACK, tcp_rcv_state_process() does not queue a"
reason "segment at or beyond RCV.NXT (the peer already sent its FIN): a second FIN is"
reason "dropped without an ACK; what may come instead is the IUT's own FIN retransmitted."
reason "In TIME-WAIT (tcp_timewait_state_process) it is answered with an ACK of the old"
reason "RCV.NXT: the second FIN is not taken."
match  kind=timeout field=packet expected=flags=A* actual=nothing
match  kind=packet field=flags expected=A actual=FA
match  kind=packet field=ack

deviation rto_below_one_second
tests  *
cite   "RFC 6298 §2.4"
rfc    "Whenever RTO is computed, if it is less than 1 second, then the RTO SHOULD be"
rfc    "rounded up to 1 second."
reason "Linux's minimum RTO is 200 ms (TCP_RTO_MIN; net.ipv4.tcp_rto_min_us, route"
reason "option rto_min): after a handshake with a tiny RTT a segment is retransmitted"
reason "after about 200 ms, inside windows where the RFC's 1 s RTO keeps the IUT silent."
match  kind=unexpected field=packet actual=*(retransmission?after?0.*

deviation abort_rst_carries_ack
tests  abort_synchronized*
cite   "RFC 9293 §3.10.5"
rfc    "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE, CLOSE-WAIT STATE: Send a"
rfc    "reset segment: <SEQ=SND.NXT><CTL=RST>"
reason "tcp_send_active_reset() sets ACK (with RCV.NXT) on the RST of an ABORT. A"
reason "difference in the letter only: RFC 9293 §3.10.7 checks a RST by its sequence"
reason "number, so receivers take it either way."
match  kind=packet field=flags expected=R actual=RA

deviation unacceptable_segment_without_ack_dropped
tests  rcv_unacceptable* rcv_no_ack*
cite   "RFC 9293 §3.10.7.4"
rfc    "If an incoming segment is not acceptable, an acknowledgment should be sent in reply"
rfc    "(unless the RST bit is set, if so drop the segment and return):"
rfc    "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
reason "tcp_rcv_established() drops a segment with none of ACK, RST and SYN before the"
reason "sequence number check (SKB_DROP_REASON_TCP_FLAGS), so an unacceptable segment"
reason "without ACK draws no acknowledgment; with ACK it does."
match  kind=timeout field=packet expected=flags=A* actual=nothing
