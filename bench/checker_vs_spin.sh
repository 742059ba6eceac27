#!/usr/bin/env bash
# Explicit-state checking speed: stateproof vs SPIN on the same TCP problem.
#
# SPIN runs the hand-written reference model ../shared/reference/spin/tcp_close.pml
# (modelling decisions documented there; spec/tcp.sp's system `pair` mirrors them, see
# docs/specs.md), safety only (-DSAFETY), with and without partial-order reduction.
# stateproof checks the safety properties of spec/tcp.sp's `pair` at the same MAX_RETX,
# on 1 and 2 jobs. Prints states, states/s, peak RSS and the ratios to SPIN without POR
# (stateproof has no POR yet, so that is the like-for-like column).
#
#   bench/checker_vs_spin.sh            # MAX_RETX = 1 2
#   SIZES="1 2 3" bench/checker_vs_spin.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${SPIN_MODEL:-../shared/reference/spin/tcp_close.pml}
bin=${STATEPROOF:-build/stateproof}
sizes=${SIZES:-"1 2"}
for tool in spin gcc /usr/bin/time "$bin"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
[[ -f $ref ]] || { echo "bench: reference model $ref not found" >&2; exit 3; }
ref=$(cd "$(dirname "$ref")" && pwd)/$(basename "$ref")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rss_mb() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
wall_s() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }

printf "%-5s %-22s %12s %9s %12s %8s %10s\n" size tool states "time s" "states/s" "RSS MB" "vs nopor"
for r in $sizes; do
  declare -A base=()
  for mode in nopor por; do
    flags="-DSAFETY"; [[ $mode == nopor ]] && flags="$flags -DNOREDUCE"
    (cd "$tmp" && spin -DMAX_RETX="$r" -a "$ref" >/dev/null && gcc -O2 $flags -o pan pan.c 2>/dev/null &&
       /usr/bin/time -v ./pan -m100000 -w24 >pan.out 2>time.out) || { echo "bench: SPIN run failed" >&2; exit 1; }
    states=$(awk '/states, stored/ {print $1; exit}' "$tmp/pan.out")
    t=$(wall_s "$tmp/time.out")
    rate=$(awk -v s="$states" -v t="$t" 'BEGIN {printf "%.0f", (t > 0 ? s / t : 0)}')
    [[ $mode == nopor ]] && base[rate]=$rate && base[rss]=$(rss_mb "$tmp/time.out") && base[states]=$states
    printf "%-5s %-22s %12s %9s %12s %8s %10s\n" "R$r" "spin ($mode)" "$states" "$t" "$rate" "$(rss_mb "$tmp/time.out")" \
      "$(awk -v a="$rate" -v b="${base[rate]}" 'BEGIN {printf "%.2fx", a / b}')"
  done
  for jobs in 1 2; do
    /usr/bin/time -v "$bin" check spec/tcp.sp --system pair --const MAX_RETX="$r" --jobs "$jobs" \
      --property time_wait_only_on_active_closer --property no_deadlock --quiet \
      >"$tmp/sp.out" 2>"$tmp/sp.time" || true
    states=$(grep -oE '[0-9,]+ states' "$tmp/sp.out" | head -1 | tr -d ', states')
    t=$(wall_s "$tmp/sp.time")
    rate=$(awk -v s="$states" -v t="$t" 'BEGIN {printf "%.0f", (t > 0 ? s / t : 0)}')
    printf "%-5s %-22s %12s %9s %12s %8s %10s\n" "R$r" "stateproof (${jobs} job$([[ $jobs == 1 ]] || echo s))" \
      "$states" "$t" "$rate" "$(rss_mb "$tmp/sp.time")" \
      "$(awk -v a="$rate" -v b="${base[rate]}" 'BEGIN {printf "%.2fx", a / b}')"
  done
  unset base
done
echo
echo "states/s = states stored / wall time of the whole process (compile + search for stateproof)."
echo "Memory: SPIN's RSS includes its fixed 2^24-slot hash table (-w24)."
