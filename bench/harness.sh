#!/usr/bin/env bash
# Harness speed against this machine's kernel: tests per second of the fast tier of the
# generated TCP and ARP suites on 1 and 2 jobs and the default (8 per CPU) (default settle
# time, and --settle 0.005),
# and the wall time of the whole suite (slow timer tests included) next to its longest
# test and to the sum of its slow tests: the runner starts slow tests first, beside the
# fast ones, so the wall time should track the longest timer wait, not the sum.
# Each row also gives the harness's reaction latency (from an IUT segment's arrival to
# the injected answer, TestResult::reaction_latencies): its median and 99th percentile
# in milliseconds. The fast tier runs once more with every CPU busy (bench/load.sh):
# the latency must not follow the load (the IUT takes it as its round-trip time).
# STATEPROOF_REALTIME=0 bench/harness.sh shows the same without real-time workers.
#
#   bench/harness.sh                       # needs root and /dev/net/tun
#   STATEPROOF=build-x/stateproof bench/harness.sh
#   RUNNER=build-x/tests/harness_run/harness_run_cli bench/harness.sh   # runs with another binary
#   WHOLE=0 bench/harness.sh               # fast tier only (the whole suite takes ~75 s)
#   REPEAT=10 bench/harness.sh             # also: the fast tier REPEAT times, verdicts compared
#   PACKETDRILL=/tmp/pd/.../packetdrill bench/harness.sh   # also: packetdrill side by side
# With PACKETDRILL (a packetdrill binary built outside this repository), the TCP tests
# that `gen --packetdrill` could write as packetdrill scripts are run both ways: each
# script by packetdrill in a network namespace of its own (`unshare -n`, as
# tests/gen/packetdrill_test.cpp does), one at a time and two at a time, and the same
# tests' .spt files by stateproof on `linux`.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
runner=${RUNNER:-$bin}
for tool in python3 "$bin"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
tmp=$(mktemp -d)
source bench/load.sh
trap 'stop_load; rm -rf "$tmp"' EXIT

"$bin" gen spec/tcp.sp --role Endpoint --out "$tmp/tcp" -q ${PACKETDRILL:+--packetdrill}
"$bin" gen spec/arp.sp --role Host --out "$tmp/arp" -q
suites=("$tmp/tcp" "$tmp/arp")

# Runs the suites on linux-tap (TCP and ARP both run there); prints the results JSON path.
# Exit 3 (no privileges, no /dev/net/tun) ends the benchmark with the runner's message.
run() {  # NAME ARGS...
  local name=$1 rc=0
  shift
  "$runner" run "${suites[@]}" --target linux-tap --quiet --results "$tmp/$name.json" "$@" >"$tmp/$name.log" 2>&1 || rc=$?
  if [[ $rc == 3 ]]; then
    cat "$tmp/$name.log" >&2
    exit 3
  fi
  echo "$tmp/$name.json"
}

# One row: tests that ran, wall seconds, tests/s, longest test, sum of slow, reaction
# latency p50 and p99 (ms), verdict counts.
row() {  # LABEL JSON
  python3 - "$1" "$2" <<'EOF'
import json, sys
label, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
tests = d["tests"]
ran = [t for t in tests if t["verdict"] != "skipped"]
longest = max((t["duration"] for t in ran), default=0)
def slow(t):
    try:
        return any(l.split() == ["tier", "slow"] for l in open(t["path"]))
    except OSError:
        return False
slow_sum = sum(t["duration"] for t in ran if slow(t))
lat = sorted(l * 1000 for t in ran for l in t.get("reaction_latencies", []))
def pct(q):
    return f"{lat[min(len(lat) - 1, int(q * len(lat)))]:.2f}" if lat else "-"
counts = ", ".join(f"{n} {v}" for v, n in sorted(d["summary"].items()))
print(f"{label:<34} {len(ran):>5} {d['seconds']:>8.2f} {len(ran) / d['seconds']:>8.1f} {longest:>8.2f} {slow_sum:>8.2f} {pct(0.5):>7} {pct(0.99):>7}  {counts}")
EOF
}

echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
header() { printf "%-34s %5s %8s %8s %8s %8s %7s %7s  %s\n" run tests "wall s" tests/s "longest" "slow sum" "p50 ms" "p99 ms" verdicts; }
header
for jobs in 1 2; do
  row "fast tier, --jobs $jobs" "$(run fast$jobs --fast --jobs "$jobs")"
done
row "fast tier, default jobs ($(( $(nproc) * 8 )))" "$(run fastdefault --fast)"
start_load
row "fast tier, default jobs, CPUs busy" "$(run fastloaded --fast)"
stop_load
for jobs in 1 2; do
  row "fast tier, --jobs $jobs --settle 0.005" "$(run fastsettle$jobs --fast --jobs "$jobs" --settle 0.005)"
done
if [[ "${WHOLE:-1}" == 1 ]]; then
  row "whole suite, --jobs 2" "$(run whole --jobs 2)"
  row "whole suite, default jobs" "$(run wholedefault)"
fi

# Flakiness: the same fast tier REPEAT times; every test must get the same verdict each time.
if [[ "${REPEAT:-0}" -gt 0 ]]; then
  jsons=()
  for i in $(seq "$REPEAT"); do jsons+=("$(run repeat$i --fast)"); done
  python3 - "${jsons[@]}" <<'EOF'
import json, sys
runs = [{t["name"]: t["verdict"] for t in json.load(open(p))["tests"]} for p in sys.argv[1:]]
names = sorted(set().union(*runs))
unstable = [n for n in names if len({r.get(n) for r in runs}) > 1]
print(f"{len(runs)} repetitions of {len(names)} tests: {len(unstable)} with differing verdicts")
for n in unstable:
    print(f"  {n}: " + " ".join(str(r.get(n)) for r in runs))
sys.exit(1 if unstable else 0)
EOF
fi

# packetdrill side by side: the same scenarios, the same kernel.
if [[ -n "${PACKETDRILL:-}" ]]; then
  [[ -x $PACKETDRILL ]] || { echo "bench: PACKETDRILL=$PACKETDRILL is not executable" >&2; exit 3; }
  pd_one() {  # SCRIPT: exit status 0 (pass) or not; the namespace is gone when it returns
    timeout 60 unshare -n sh -c "ip link set lo up && $PACKETDRILL --tolerance_usecs=100000 $1" >/dev/null 2>&1
  }
  export -f pd_one
  export PACKETDRILL
  mapfile -t all < <(ls "$tmp/tcp"/*.pkt)
  fast=()
  for p in "${all[@]}"; do grep -qx "tier   fast" "${p%.pkt}.spt" && fast+=("$p"); done
  echo
  echo "packetdrill side by side: the generated TCP tests that packetdrill can express"
  header
  for set in fast all; do
    if [[ $set == fast ]]; then pkts=("${fast[@]}"); else pkts=("${all[@]}"); fi
    spts=()
    for p in "${pkts[@]}"; do spts+=("${p%.pkt}.spt"); done
    for par in 1 2; do
      start=$(date +%s.%N)
      passed=$(printf "%s\n" "${pkts[@]}" | xargs -P "$par" -I{} bash -c 'pd_one "$1" && echo pass' _ {} | grep -c pass || true)
      end=$(date +%s.%N)
      awk -v n="${#pkts[@]}" -v a="$start" -v b="$end" -v label="$set: packetdrill, $par at a time" -v ok="$passed" 'BEGIN {
        w = b - a; printf "%-34s %5d %8.2f %8.1f %8s %8s %7s %7s  %d pass, %d fail\n", label, n, w, n / w, "-", "-", "-", "-", ok, n - ok }'
    done
    for jobs in 1 2 default; do
      args=(--target linux --quiet --results "$tmp/pd-sp-$set-$jobs.json")
      [[ $jobs == default ]] || args+=(--jobs "$jobs")
      "$runner" run "${spts[@]}" "${args[@]}" >/dev/null 2>&1 || true
      row "$set: stateproof, --jobs $jobs" "$tmp/pd-sp-$set-$jobs.json"
    done
  done
fi
