#!/usr/bin/env bash
# Verdict stability under load: the fast tier of the generated TCP and ARP suites, REPEAT
# times (default 20) on each target in TARGETS (default: linux-tap linux), with every CPU
# kept busy by a bounded load (bench/load.sh) that the script always stops. Prints, per
# target, the tests whose verdict differed between runs with their verdict counts, and
# the harness's reaction latency over all runs (p50, p99, max). Exit 1 when a verdict
# flipped. A verdict must not depend on machine load: the target is 0 flips.
#
#   bench/stress.sh                          # needs root and /dev/net/tun
#   REPEAT=5 TARGETS=linux bench/stress.sh
#   LOAD=0 bench/stress.sh                   # the same without the load
#   STATEPROOF=build-x/stateproof bench/stress.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
for tool in python3 "$bin"; do
  command -v "$tool" >/dev/null || { echo "stress: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
repeat=${REPEAT:-20}
tmp=$(mktemp -d)
source bench/load.sh
trap 'stop_load; rm -rf "$tmp"' EXIT

"$bin" gen spec/tcp.sp --role Endpoint --out "$tmp/tcp" -q
"$bin" gen spec/arp.sp --role Host --out "$tmp/arp" -q

echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $repeat runs per target$([[ ${LOAD:-1} == 1 ]] && echo ", every CPU busy")"
[[ ${LOAD:-1} == 1 ]] && start_load
flipped=0
for target in ${TARGETS:-linux-tap linux}; do
  jsons=()
  for i in $(seq "$repeat"); do
    rc=0
    "$bin" run "$tmp/tcp" "$tmp/arp" --target "$target" --fast --quiet --results "$tmp/$target-$i.json" \
      >"$tmp/$target-$i.log" 2>&1 || rc=$?
    if [[ $rc == 3 || ! -s $tmp/$target-$i.json ]]; then
      cat "$tmp/$target-$i.log" >&2
      exit 3
    fi
    jsons+=("$tmp/$target-$i.json")
  done
  python3 - "$target" "${jsons[@]}" <<'PY' || flipped=1
import collections, json, sys
target, paths = sys.argv[1], sys.argv[2:]
runs = [json.load(open(p)) for p in paths]
verdicts = collections.defaultdict(collections.Counter)
lat = []
for r in runs:
    for t in r["tests"]:
        verdicts[t["name"]][t["verdict"]] += 1
        lat += t.get("reaction_latencies", [])
lat = sorted(l * 1000 for l in lat)
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
flips = sorted(n for n, c in verdicts.items() if len(c) > 1)
print(f"{target}: {len(runs)} runs of {len(verdicts)} tests, {len(flips)} with differing verdicts; "
      f"reaction latency p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms, max {lat[-1] if lat else 0:.2f} ms "
      f"({len(lat)} answers)")
for n in flips:
    print(f"  {n}: " + ", ".join(f"{k} {v}" for k, v in verdicts[n].most_common()))
sys.exit(1 if flips else 0)
PY
done
exit "$flipped"
