#!/usr/bin/env python3
"""Regenerates the deliberately broken variants in this directory from ../tcp.sp and
../arp.sp: each variant is a full copy of its base spec with a header naming the bug,
the property it breaks and the expected counterexample, and ONE bug, marked `// BUG`.

    python3 spec/variants/regen.py          # rewrite every variant
    python3 spec/variants/regen.py --check  # exit 1 if a variant is stale

Every edit must match its base text exactly the stated number of times, so a change to
a base spec that invalidates a variant fails loudly instead of silently dropping the bug.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SPEC = HERE.parent

VARIANTS = [
    {
        "file": "tcp_passive_time_wait.sp",
        "base": "tcp.sp",
        "spin": "-DBUG_PASSIVE_TW",
        "bug": "LAST-ACK + the ACK of our FIN -> TIME-WAIT instead of CLOSED.",
        "breaks": "time_wait_only_on_active_closer",
        "trace": [
            "Open normally; the client closes (FIN_WAIT_1); the server receives the FIN",
            "(CLOSE_WAIT) and closes (LAST_ACK); the client receives the server's FIN in",
            "FIN_WAIT_2 (TIME_WAIT) and ACKs it; that ACK takes the server, the passive",
            "closer (closed_first = false), to TIME_WAIT. About 9-11 steps.",
        ],
        "edits": [
            (
                "      && ACK in s.flags && ack_ok(s.ack)\n"
                "      -> CLOSED cite \"RFC 9293 §3.10.7.4\" {\n"
                "    snd_una = 0\n"
                "    snd_nxt = 0\n"
                "    rcv_nxt = 0\n"
                "    retx = 0\n"
                "    passive = false\n"
                "    closed_first = false\n"
                "    stop rtx\n"
                "  }\n",
                "      && ACK in s.flags && ack_ok(s.ack)\n"
                "      -> TIME_WAIT cite \"RFC 9293 §3.10.7.4\" {     // BUG: must be CLOSED\n"
                "    snd_una = s.ack\n"
                "    stop rtx\n"
                "    start time_wait\n"
                "  }\n",
                1,
            ),
        ],
    },
    {
        "file": "tcp_no_lastack_retx.sp",
        "base": "tcp.sp",
        "spin": "-DBUG_NO_LASTACK_RETX",
        "bug": "LAST-ACK never retransmits its FIN (and never times out).",
        "breaks": "no_deadlock, close_completes",
        "trace": [
            "The server's FIN (sent on its CLOSE in CLOSE_WAIT) is lost: the server waits",
            "in LAST_ACK and the client in FIN_WAIT_2 forever, channels empty. Shortest",
            "(SPIN, 8 transitions): the ACK of the SYN-ACK is lost, the client closes, the",
            "server in SYN_RCVD takes the FIN to CLOSE_WAIT, its ACK moves the client to",
            "FIN_WAIT_2, the server closes and its FIN is lost.",
        ],
        "edits": [
            (
                "  rtx_fin: from { FIN_WAIT_1, CLOSING, LAST_ACK } on timeout rtx",
                "  // BUG: LAST_ACK is missing from the from-sets of rtx_fin and user_timeout.\n"
                "  rtx_fin: from { FIN_WAIT_1, CLOSING } on timeout rtx",
                1,
            ),
            (
                "  user_timeout: from RTX_STATES on timeout rtx",
                "  user_timeout: from { SYN_SENT, SYN_RCVD, FIN_WAIT_1, CLOSING } on timeout rtx",
                1,
            ),
        ],
    },
    {
        "file": "tcp_lastack_anyack.sp",
        "base": "tcp.sp",
        "spin": "-DBUG_LASTACK_ANYACK",
        "bug": "LAST-ACK takes any ACK as the ACK of its FIN (no SND.UNA < SEG.ACK =< SND.NXT).",
        "breaks": "no_deadlock, close_completes",
        "trace": [
            "A spurious SYN-ACK retransmission reaches the client in FIN_WAIT_1, which",
            "answers with an old ACK (ack = server ISS+1). The server receives the client's",
            "FIN, closes, and its FIN is lost; in LAST_ACK it takes the stale ACK for the ACK",
            "of its FIN and goes to CLOSED. The client is stuck in FIN_WAIT_2 (SPIN: 11-15",
            "transitions).",
        ],
        "edits": [
            (
                "      && ACK in s.flags && ack_ok(s.ack)\n"
                "      -> CLOSED cite \"RFC 9293 §3.10.7.4\" {\n",
                "      && ACK in s.flags                    // BUG: no SND.UNA < SEG.ACK =< SND.NXT\n"
                "      -> CLOSED cite \"RFC 9293 §3.10.7.4\" {\n",
                1,
            ),
            (
                # The other LAST-ACK transition handled the unacceptable ACKs, which the
                # buggy one now takes: drop it so that the guards still partition.
                "  // Any other ACK leaves LAST-ACK as it is. Eighth step, \"LAST-ACK STATE: Remain in the\n"
                "  // LAST-ACK state.\"\n"
                "  rcv_ack_last_ack: from LAST_ACK on recv net(s)\n"
                "      if in_window(s.seq) && !(RST in s.flags) && !(SYN in s.flags)\n"
                "         && ACK in s.flags && !ack_ok(s.ack)\n"
                "      -> same cite \"RFC 9293 §3.10.7.4\" {\n"
                "    if fin_here(s.flags, s.seq) {\n"
                "      rcv_nxt = rcv_nxt + 1\n"
                "      send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }\n"
                "    }\n"
                "  }\n",
                "  // (BUG: rcv_ack_last_ack removed -- rcv_ack_of_fin_last_ack takes every ACK.)\n",
                1,
            ),
        ],
    },
    {
        "file": "tcp_ack_off_by_one.sp",
        "base": "tcp.sp",
        "spin": None,
        "bug": "ACK acceptability off by one: SND.UNA =< SEG.ACK =< SND.NXT instead of\n"
               "//   SND.UNA < SEG.ACK =< SND.NXT, everywhere the test is made (one helper).",
        "breaks": "no_deadlock, close_completes",
        "trace": [
            "As tcp_lastack_anyack.sp: the stale ACK (SEG.ACK = SND.UNA, the server's FIN",
            "sequence number) now passes the test in LAST_ACK, so the server closes while its",
            "FIN was lost and the client waits in FIN_WAIT_2 forever.",
        ],
        "edits": [
            # One edit: every test of the spec calls the named predicate.
            (
                "  def ack_ok(ack: Seq): bool = snd_una < ack && ack <= snd_nxt\n",
                "  def ack_ok(ack: Seq): bool = snd_una <= ack && ack <= snd_nxt   // BUG: <\n",
                1,
            ),
        ],
    },
    {
        "file": "tcp_no_syn_retx.sp",
        "base": "tcp.sp",
        "spin": None,
        "bug": "SYN-SENT never retransmits its SYN (and never times out): the retransmission\n"
               "//   timer is armed but SYN-SENT has no transition for it.",
        "breaks": "no_deadlock",
        "trace": [
            "server.listen; client.connect with the SYN lost: the client waits in SYN_SENT",
            "and the server in LISTEN forever (3 steps).",
        ],
        "edits": [
            (
                "  rtx_syn: from SYN_SENT on timeout rtx if retx < MAX_RETX -> same\n"
                "      cite \"RFC 9293 §3.10.8\" {\n"
                "    retx = retx + 1\n"
                "    send net { flags = {SYN}, seq = iss }\n"
                "    start rtx\n"
                "  }\n",
                "  // (BUG: rtx_syn removed.)\n",
                1,
            ),
            (
                "  user_timeout: from RTX_STATES on timeout rtx",
                "  // BUG: SYN_SENT is missing from the from-set of user_timeout (and rtx_syn is gone).\n"
                "  user_timeout: from { SYN_RCVD, FIN_WAIT_1, CLOSING, LAST_ACK } on timeout rtx",
                1,
            ),
        ],
    },
    {
        "file": "arp_reply_any.sp",
        "base": "arp.sp",
        "spin": None,
        "bug": "A host answers every REQUEST, whatever its ar$tpa (the \"?Am I the target\n"
               "//   protocol address?\" test is skipped for requests).",
        "breaks": "replies_only_for_own_address",
        "trace": [
            "a.resolve(192.0.2.2) broadcasts a REQUEST; c receives it and answers although",
            "192.0.2.2 is not its address: c.answered_for = 192.0.2.2 (2 steps).",
        ],
        "edits": [
            (
                "  rcv_merge_only: from any on recv eth(p)\n"
                "      if (p.op == REQUEST || p.tha == my_mac) && !am_target(p.tpa)\n",
                "  rcv_merge_only: from any on recv eth(p)\n"
                "      if p.op == REPLY && p.tha == my_mac && !am_target(p.tpa)   // BUG: requests go to rcv_request\n",
                1,
            ),
            (
                "  rcv_request: from any on recv eth(p) if p.op == REQUEST && am_target(p.tpa)\n",
                "  rcv_request: from any on recv eth(p) if p.op == REQUEST   // BUG: no am_target(p.tpa)\n",
                1,
            ),
        ],
    },
    {
        "file": "arp_cache_broadcast.sp",
        "base": "arp.sp",
        "spin": None,
        "bug": "The target of a REQUEST adds <ar$spa, ar$tha> instead of <ar$spa, ar$sha>\n"
               "//   (a field mix-up); a's REQUESTs carry ar$tha = broadcast (its request_tha).",
        "breaks": "cache_never_maps_broadcast, cache_consistent",
        "trace": [
            "a.resolve(192.0.2.2) broadcasts a REQUEST (ar$tha = ff:ff:ff:ff:ff:ff); b is the",
            "target, has no entry for 192.0.2.1, and adds 192.0.2.1 -> ff:ff:ff:ff:ff:ff",
            "(2 steps).",
        ],
        "edits": [
            (
                "    } else {\n"
                "      cache[p.spa] = p.sha                   // Merge_flag is false: add the triplet\n"
                "    }\n"
                "    send eth { op = REPLY",
                "    } else {\n"
                "      cache[p.spa] = p.tha                   // BUG: must be p.sha\n"
                "    }\n"
                "    send eth { op = REPLY",
                1,
            ),
        ],
    },
    {
        "file": "arp_no_give_up.sp",
        "base": "arp.sp",
        "spin": None,
        "bug": "A resolution never gives up: after MAX_TRIES retransmissions the timer is\n"
               "//   still armed but nothing handles it.",
        "breaks": "resolution_ends, quiescent_only_when_idle",
        "trace": [
            "c.resolve(192.0.2.99) broadcasts a REQUEST nobody answers and retransmits it",
            "MAX_TRIES times; c then stays in RESOLVING forever and the LAN falls silent",
            "(about 2 + MAX_TRIES steps, plus the other hosts' receptions).",
        ],
        "edits": [
            (
                "  give_up: from RESOLVING on timeout retry if tries >= MAX_TRIES && !known(query)\n"
                "      -> FAILED cite \"RFC 1122 §2.3.2.1\"\n",
                "  // (BUG: give_up removed.)\n",
                1,
            ),
        ],
    },
]


def render(v):
    base = (SPEC / v["base"]).read_text()
    text = base
    for old, new, count in v["edits"]:
        found = text.count(old)
        if found != count:
            sys.exit(f"{v['file']}: expected {count} match(es) of {old[:60]!r}..., found {found}")
        text = text.replace(old, new)
    header = [
        f"// VARIANT {v['file']} -- a copy of spec/{v['base']} with ONE deliberate bug.",
        "// Generated by spec/variants/regen.py: edit the base spec or regen.py, not this file.",
        "//",
        f"// Bug: {v['bug']}",
        f"// Breaks: {v['breaks']}",
    ]
    if v["spin"]:
        header.append(f"// SPIN equivalent: tcp_close.pml {v['spin']}")
    header.append("// Expected counterexample:")
    header += [f"//   {line}" for line in v["trace"]]
    header.append("// The changed lines are marked `BUG`.")
    header.append("")
    return "\n".join(header) + "\n" + text


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for v in VARIANTS:
        out = HERE / v["file"]
        text = render(v)
        if check:
            if not out.exists() or out.read_text() != text:
                stale.append(v["file"])
        else:
            out.write_text(text)
    if stale:
        print("stale variants: " + ", ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
