#!/usr/bin/env bash
# The runner's memory over long runs: `stateproof run` of N tiny tests (listen, then
# `expect state LISTEN`: the cheapest test a target can run) with --results, --junit and
# --pcap, under /usr/bin/time -v, for growing N. Reports stream each test to disk as it
# finishes (docs/harness.md, "Reports"), so the peak RSS should stay about flat: the
# last column is the growth per test against the smallest run.
#
#   bench/report_rss.sh                    # needs root and /dev/net/tun
#   SIZES="500 5000 20000" bench/report_rss.sh
#   STATEPROOF=build-x/stateproof bench/report_rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
sizes=(${SIZES:-250 1000 4000})
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 3; }
[[ -x "$bin" ]] || { echo "bench: $bin is missing (scripts/build.sh)" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%8s %9s %10s %11s %14s %16s\n' tests seconds "peak RSS" "JSON size" "JUnit size" "RSS growth/test"
base_n=0 base_kb=0
for n in "${sizes[@]}"; do
  suite=$tmp/suite-$n
  mkdir -p "$suite"
  for ((i = 0; i < n; i++)); do
    printf 'test tiny%d\n+0 call listen\n+0 expect state LISTEN\n' "$i" > "$suite/tiny$i.spt"
  done
  out=$tmp/out-$n
  mkdir -p "$out"
  start=$(date +%s.%N)
  status=0
  /usr/bin/time -v -o "$out/time.txt" "$bin" run "$suite" --target linux --quiet \
    --results "$out/results.json" --junit "$out/junit.xml" --pcap "$out/pcap" > "$out/log.txt" 2>&1 || status=$?
  end=$(date +%s.%N)
  if [[ $status -ne 0 ]]; then
    echo "bench: run of $n tests exited $status:" >&2
    tail -5 "$out/log.txt" >&2
    exit 1
  fi
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
  growth="-"
  if ((base_n == 0)); then
    base_n=$n base_kb=$kb
  else
    growth=$(awk -v a="$base_kb" -v b="$kb" -v m="$base_n" -v n="$n" 'BEGIN {printf "%.0f B", (b - a) * 1024 / (n - m)}')
  fi
  printf '%8d %9.1f %7d KB %8d KB %11d KB %16s\n' "$n" "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" "$kb" \
    $(($(stat -c %s "$out/results.json") / 1024)) $(($(stat -c %s "$out/junit.xml") / 1024)) "$growth"
  rm -rf "$suite" "$out/pcap"
done
