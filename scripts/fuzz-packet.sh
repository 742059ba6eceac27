#!/usr/bin/env bash
# Builds the packet-codec fuzzer (harness/fuzz/fuzz_packet.cpp) with clang in
# build-fuzz-packet/ and runs it for $1 seconds (default 300). Prints the number of
# executions and any findings (crash-*, leak-*, timeout-* files in build-fuzz-packet/).
# The corpus is kept in build-fuzz-packet/corpus and seeded with valid frames.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
build_dir=build-fuzz-packet
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSTATEPROOF_FUZZ=ON -DSTATEPROOF_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target fuzz_packet -j "$(nproc)"

corpus=$build_dir/corpus
findings=$build_dir/findings
mkdir -p "$corpus" "$findings"
seed() { printf '%s' "$2" | xxd -r -p > "$corpus/seed-$1"; }
# A SYN captured from Linux (Ethernet), its IPv4 packet alone, its TCP segment, an ARP
# request, and a segment with SACK blocks behind IP options.
syn_ip=4500003c0b1f40004006ab99c0000201c0000202
syn_tcp=9c400050a5ec2ff100000000a002faf021940000020405b40402080a07fc2d0a000000000103030a
seed syn-frame "020000000002020000000001""0800""$syn_ip$syn_tcp"
seed syn-ip "$syn_ip$syn_tcp"
seed syn-tcp "$syn_tcp"
seed arp "ffffffffffff0200000000010806""0001080006040001020000000001c0000201000000000000c0000202"
seed ipopts-sack "460000380000000040060000c0000201c000020294040000""9c4000500000000100000001801001f600000000""0101050a0000000a00000014"

log=$build_dir/fuzz.log
status=0
(cd "$findings" && ../harness/fuzz_packet -max_total_time="$seconds" -max_len=1600 \
  -print_final_stats=1 "../corpus") >"$log" 2>&1 || status=$?

runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
echo "fuzz_packet: ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs"
found=$(ls "$findings" 2>/dev/null | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
if [[ -n "$found" || $status -ne 0 ]]; then
  echo "findings (in $findings):"
  echo "${found:-none saved; exit status $status}"
  grep -E 'ERROR|SUMMARY|property violated|No such file' "$log" | head -20 || true
  exit 1
fi
echo "findings: none"
