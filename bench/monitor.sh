#!/usr/bin/env bash
# `stateproof monitor` speed and memory: a generated capture of mixed TCP connections
# (bench/monitor_capture.cpp: clean opens and closes, data, RSTs, refusals, a few bad ACKs;
# OPEN connections at once, interleaved) is checked against spec/tcp.sp's Endpoint, both
# sides of every connection, for each size, on JOBS worker threads (2). Prints packets,
# seconds, packets/s, CPU seconds (user + system: the figure that holds on a busy machine)
# and peak RSS; memory should follow the connections open at once, not the capture's size
# (compare the rows). The captures go to $TMPDIR (default /tmp) and are removed afterwards.
#
#   bench/monitor.sh                     # SIZES="100M 1G" (1 GB is about 11 M packets)
#   SIZES=50M bench/monitor.sh           # a quick run
#   OPEN=20000 SIZES="200M" bench/monitor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
gen=${GENERATOR:-build/monitor_bench_capture}
sizes=(${SIZES:-100M 1G})
open=${OPEN:-2000}
jobs=${JOBS:-2}
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 3; }
for tool in "$bin" "$gen"; do
  [[ -x $tool ]] || { echo "bench: $tool is missing (scripts/build.sh; cmake --build build --target monitor_bench_capture)" >&2; exit 3; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-monitor-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bytes() {  # 100M, 1G, 5000000 -> bytes
  local n=${1%[KMG]} unit=${1##*[0-9]}
  case $unit in K) echo $((n * 1000)) ;; M) echo $((n * 1000000)) ;; G) echo $((n * 1000000000)) ;; *) echo "$1" ;; esac
}

printf '%8s %11s %12s %9s %12s %9s %14s %10s %11s %9s %9s %12s\n' size packets connections seconds packets/s "CPU s" "packets/CPU s" \
  "peak RSS" "peak open" conform depart inconclusive
for size in "${sizes[@]}"; do
  cap=$tmp/mixed-$size.pcap
  "$gen" "$cap" "$(bytes "$size")" "$open" >/dev/null
  /usr/bin/time -v "$bin" monitor spec/tcp.sp --role Endpoint "$cap" -q --jobs "$jobs" --json "$tmp/r.json" >/dev/null 2>"$tmp/time" || true
  python3 - "$tmp/r.json" "$tmp/time" "$size" <<'PY'
import json, re, sys
t = json.load(open(sys.argv[1]))["totals"]
tv = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1)) / 1024
wall = re.search(r"Elapsed \(wall clock\) time .*: (.*)", tv).group(1).split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = sum(float(re.search(r"%s time \(seconds\): ([0-9.]+)" % k, tv).group(1)) for k in ("User", "System"))
print("%8s %11d %12d %9.1f %12.0f %9.1f %14.0f %7.0f MB %11d %9d %9d %12d" % (sys.argv[3], t["records"],
      t["connections"], secs, t["records"] / secs, cpu, t["records"] / cpu, rss, t["peak_open_connections"],
      t["conforms"], t["departs"], t["inconclusive"]))
PY
  rm -f "$cap"
done
