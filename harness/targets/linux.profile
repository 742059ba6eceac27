# Profile of the Linux kernel (targets linux and linux-tap): settings applied inside
# every test's network namespace, and the known departures of Linux from the RFCs.
# Format: docs/harness.md "Target profiles". A deviation turns a failing test into an
# "expected deviation" only when the test's name matches `tests` AND its failure matches
# one `match` line (kind, field, expected and actual values): any other failure of the
# same test stays a fail.
# Seen on Linux 6.18 with this harness (tests/harness_run/suites).

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
tests  *unsolicited_reply*
cite   "RFC 826"
rfc    "?Am I the target protocol address? Yes: If Merge_flag is false, add the triplet"
rfc    "<protocol type, sender protocol address, sender hardware address> to the"
rfc    "translation table."
reason "With net.ipv4.conf.*.arp_accept=0 (the default) arp_process() only updates"
reason "existing neighbour entries from replies it did not ask for; it never creates one."
match  kind=cache field=cache* actual=absent
