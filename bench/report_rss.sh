#!/usr/bin/env bash
# The runner's memory over a long run: one `stateproof run` of N tiny tests (listen, then
# `expect state LISTEN`: the cheapest test a target can run) with --results, --junit and
# --pcap, its resident memory (VmRSS) sampled as the run goes, printed when 1k, 10k,
# 100k, ... tests have finished, and the peak (VmHWM) at the end. The runner loads each
# test when its worker starts and drops it with its result, and the reports stream to
# disk (docs/harness.md, "Reports"), so the curve should stay flat; what grows with N is
# only the list of test files read at the start (about 200 bytes per test).
#
#   bench/report_rss.sh                    # needs root and /dev/net/tun; N = 100000 (~20 min)
#   N=10000 bench/report_rss.sh
#   STATEPROOF=build-x/stateproof bench/report_rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
n=${N:-100000}
[[ -x "$bin" ]] || { echo "bench: $bin is missing (scripts/build.sh)" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

suite=$tmp/suite
mkdir -p "$suite" "$tmp/out"
for ((i = 0; i < n; i++)); do
  printf 'test tiny%d\n+0 call listen\n+0 expect state LISTEN\n' "$i" > "$suite/tiny$i.spt"
done
log=$tmp/out/log.txt
# One line per finished test on stdout (no --quiet): the count of lines is the progress.
"$bin" run "$suite" --target linux --results "$tmp/out/results.json" --junit "$tmp/out/junit.xml" \
  --pcap "$tmp/out/pcap" > "$log" 2>&1 &
pid=$!
status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status" 2>/dev/null || true; }

printf '%10s %9s %11s\n' "tests done" seconds "RSS"
start=$(date +%s.%N)
marks=(100 1000 10000 100000 1000000 10000000)
next=0
peak=0
while kill -0 "$pid" 2>/dev/null; do
  rss=$(status_of VmRSS)
  hwm=$(status_of VmHWM)
  [[ -n "$hwm" ]] && peak=$hwm
  done_tests=$(grep -c '^pass: ' "$log" || true)
  while ((next < ${#marks[@]} && done_tests >= marks[next] && marks[next] <= n)); do
    [[ -n "$rss" ]] && printf '%10d %9.1f %8d KB\n' "${marks[next]}" \
      "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" "$rss"
    next=$((next + 1))
  done
  # pcaps are not what is measured: keep the disk small on long runs
  ((done_tests % 20000 < 200)) && find "$tmp/out/pcap" -name '*.pcap' -delete 2>/dev/null || true
  sleep 0.2
done
status=0
wait "$pid" || status=$?
if [[ $status -ne 0 ]]; then
  echo "bench: the run of $n tests exited $status:" >&2
  tail -5 "$log" >&2
  exit 1
fi
printf '%10d tests in %.0f s; peak RSS %d KB; results.json %d KB, junit.xml %d KB\n' "$n" \
  "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" "$peak" \
  $(($(stat -c %s "$tmp/out/results.json") / 1024)) $(($(stat -c %s "$tmp/out/junit.xml") / 1024))
