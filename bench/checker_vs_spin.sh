#!/usr/bin/env bash
# Explicit-state checking speed: stateproof vs SPIN on the same TCP problem.
#
# For each size, spec/tcp.sp's system `pair` at MAX_RETX=r, MAX_LOSS=l is exported to Promela
# (`stateproof export --to promela`, docs/checker.md "Cross-validation with SPIN") and
# SPIN checks the exported model's safety properties (-DSAFETY; every invariant and
# deadlock property of `pair`, and checking errors), without and with its partial-order
# reduction; stateproof checks the same properties of the same system on 1 and 2 jobs.
# Without POR the exported model has exactly stateproof's states, so that is the
# like-for-like column. The hand-written reference model
# ../shared/reference/spin/tcp_close.pml (REFERENCE=0 leaves it out) is an extra row:
# what SPIN does with a model written for it (local variables, xr/xs channels, so POR
# applies). Prints states, states/s, peak RSS and the ratios to SPIN on the exported
# model without POR.
#
# A size is MAX_RETX:MAX_LOSS (retransmissions before giving up; segments each channel
# may lose): the default three are 102,540, 839,737 and 5,213,567 states.
#
#   bench/checker_vs_spin.sh            # SIZES="1:1 2:0 2:1"
#   SIZES="2:1 3:1" bench/checker_vs_spin.sh
#   SIZES=1:1 REFERENCE=0 PAN_CFLAGS=-O0 bench/checker_vs_spin.sh   # a quick try
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${SPIN_MODEL:-../shared/reference/spin/tcp_close.pml}
bin=${STATEPROOF:-build/stateproof}
sizes=${SIZES:-"1:1 2:0 2:1"}
reference=${REFERENCE:-1}
cflags=${PAN_CFLAGS:--O2}   # gcc flags for pan (-O0 for a quick try of the script)
for tool in spin gcc /usr/bin/time "$bin"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
if [[ $reference == 1 && ! -f $ref ]]; then
  echo "bench: reference model $ref not found (REFERENCE=0 to leave it out)" >&2
  exit 3
fi
[[ $reference == 1 ]] && ref=$(cd "$(dirname "$ref")" && pwd)/$(basename "$ref")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rss_mb() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
wall_s() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }
row() {  # size tool states time rss base_rate
  local rate
  rate=$(awk -v s="$3" -v t="$4" 'BEGIN {printf "%.0f", (t > 0 ? s / t : 0)}')
  printf "%-5s %-26s %12s %9s %12s %8s %10s\n" "$1" "$2" "$3" "$4" "$rate" "$5" \
    "$(awk -v a="$rate" -v b="${6:-$rate}" 'BEGIN {printf "%.2fx", (b > 0 ? a / b : 0)}')"
  last_rate=$rate
}
# spin_run DIR MODEL SPINFLAGS MODE: builds pan (not timed) and runs it under time -v.
spin_run() {
  local flags="-DSAFETY"
  [[ $4 == nopor ]] && flags="$flags -DNOREDUCE"
  (cd "$1" && spin $3 -a "$2" >/dev/null && gcc $cflags $flags -w -o pan pan.c &&
     /usr/bin/time -v ./pan -m100000 -w24 >pan.out 2>time.out) || { echo "bench: SPIN run failed in $1" >&2; exit 1; }
  spin_states=$(awk '/states, stored/ {print $1; exit}' "$1/pan.out")
  spin_time=$(wall_s "$1/time.out")
  spin_rss=$(rss_mb "$1/time.out")
  if grep -q "errors: [1-9]" "$1/pan.out"; then echo "bench: SPIN reports errors in $1/pan.out" >&2; fi
}

printf "%-5s %-26s %12s %9s %12s %8s %10s\n" size tool states "time s" "states/s" "RSS MB" "vs exp."
for size in $sizes; do
  r=${size%%:*}
  l=${size#*:}
  [[ $size == *:* ]] || l=1
  consts=(--const MAX_RETX="$r" --const MAX_LOSS="$l")
  label="R${r}L${l}"
  mkdir -p "$tmp/exp" "$tmp/ref"
  "$bin" export spec/tcp.sp --to promela --system pair "${consts[@]}" -o "$tmp/exp/model.pml"
  # The safety properties of `pair`, as the exported monitor names them.
  props=$(grep -oE 'prop_[A-Za-z0-9_]+ = 0; assert' "$tmp/exp/model.pml" | sed -E 's/^prop_([A-Za-z0-9_]+) .*/\1/')
  base=""
  for mode in nopor por; do
    spin_run "$tmp/exp" model.pml "" "$mode"
    [[ $mode == nopor ]] && exported_states=$spin_states
    row "$label" "spin exported ($mode)" "$spin_states" "$spin_time" "$spin_rss" "$base"
    [[ $mode == nopor ]] && base=$last_rate
  done
  if [[ $reference == 1 ]]; then
    for mode in nopor por; do
      spin_run "$tmp/ref" "$ref" "-DMAX_RETX=$r -DMAX_LOSS=$l" "$mode"
      row "$label" "spin tcp_close.pml ($mode)" "$spin_states" "$spin_time" "$spin_rss" "$base"
    done
  fi
  args=()
  for p in $props; do args+=(--property "$p"); done
  for jobs in 1 2; do
    /usr/bin/time -v "$bin" check spec/tcp.sp --system pair "${consts[@]}" --jobs "$jobs" \
      "${args[@]}" --quiet --no-msc >"$tmp/sp.out" 2>"$tmp/sp.time" || true
    states=$(grep -oE '[0-9,]+ states' "$tmp/sp.out" | head -1 | tr -d ', states')
    row "$label" "stateproof (${jobs} job$([[ $jobs == 1 ]] || echo s))" "$states" "$(wall_s "$tmp/sp.time")" \
      "$(rss_mb "$tmp/sp.time")" "$base"
    [[ $states == "$exported_states" ]] || echo "bench: $label: stateproof stored $states states, SPIN $exported_states on the exported model" >&2
  done
done
echo
echo "states/s = states stored / wall time: of ./pan alone for SPIN (spin -a and gcc $cflags not counted),"
echo "of the whole process for stateproof (compile + search). vs exp. = states/s relative to SPIN on the"
echo "exported model without POR (same model, same states). Memory: SPIN's RSS includes its fixed"
echo "2^24-slot hash table (-w24)."
