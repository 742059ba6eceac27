#!/usr/bin/env bash
# Explicit-state checking speed and memory: stateproof vs SPIN on the same TCP problem.
#
# For each size, spec/tcp.sp's system `pair` at MAX_RETX=r, MAX_LOSS=l is exported to Promela
# (`stateproof export --to promela`, docs/checker.md "Cross-validation with SPIN") and
# SPIN checks the exported model's safety properties (-DSAFETY -DNOREDUCE; every invariant
# and deadlock property of `pair`, and checking errors): exactly stateproof's states, the
# like-for-like row. The hand-written reference model ../shared/reference/spin/tcp_close.pml
# (REFERENCE=0 leaves it out) runs with SPIN's partial-order reduction: what SPIN does with a
# model written for it (local variables, xr/xs channels). stateproof checks the same
# properties as the export, with its partial-order reduction (the default) and without
# (--no-por), on 1 and 2 jobs. Printed per run: states, wall time, states/s, peak RSS,
# bytes per state and the ratio of states/s to SPIN on the exported model.
#
# A size is MAX_RETX:MAX_LOSS (retransmissions before giving up; segments each channel
# may lose): 2:1 has 5,213,567 states; 3:1 about 2.1e8 (SPIN's bitstate count), which SPIN
# without POR cannot store in 24 GiB (not run: NOPOR_MAX_RETX, default 2, is the largest
# MAX_RETX it runs at). stateproof runs under --max-memory MAX_MEMORY_MB (default 8000),
# so a size that does not fit ends with "limit" instead of exhausting the machine.
#
#   bench/checker_vs_spin.sh            # SIZES="2:1"
#   SIZES="2:1 3:1" bench/checker_vs_spin.sh
#   SIZES=1:1 REFERENCE=0 PAN_CFLAGS=-O0 bench/checker_vs_spin.sh   # a quick try
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${SPIN_MODEL:-../shared/reference/spin/tcp_close.pml}
bin=${STATEPROOF:-build/stateproof}
sizes=${SIZES:-"2:1"}
reference=${REFERENCE:-1}
nopor_max_retx=${NOPOR_MAX_RETX:-2}
max_memory_mb=${MAX_MEMORY_MB:-8000}
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
fmt="%-5s %-32s %12s %9s %11s %8s %8s %8s %-9s\n"
row() {  # size tool states time rss bytes_per_state result base_rate
  local rate
  rate=$(awk -v s="$3" -v t="$4" 'BEGIN {printf "%.0f", (t > 0 ? s / t : 0)}')
  printf "$fmt" "$1" "$2" "$3" "$4" "$rate" "$5" "$6" \
    "$(awk -v a="$rate" -v b="${8:-$rate}" 'BEGIN {printf "%.2fx", (b > 0 ? a / b : 0)}')" "$7"
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
  # pan's own figure: "total actual memory usage" (its hash table included).
  spin_bps=$(awk -v n="$spin_states" '/total actual memory usage/ {printf "%.0f", $1 * 1048576 / n}' "$1/pan.out")
  spin_result=$(awk '/errors:/ {print ($NF == 0 ? "holds" : "errors " $NF); exit}' "$1/pan.out")
}

printf "$fmt" size tool states "time s" "states/s" "RSS MB" "B/state" "vs exp." result
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
  exported_states=""
  if (( r <= nopor_max_retx )); then
    spin_run "$tmp/exp" model.pml "" nopor
    exported_states=$spin_states
    row "$label" "spin exported (nopor)" "$spin_states" "$spin_time" "$spin_rss" "$spin_bps" "$spin_result"
    base=$last_rate
  else
    printf "$fmt" "$label" "spin exported (nopor)" "-" "-" "-" "-" "-" "-" "not run"
  fi
  if [[ $reference == 1 ]]; then
    spin_run "$tmp/ref" "$ref" "-DMAX_RETX=$r -DMAX_LOSS=$l" por
    row "$label" "spin tcp_close.pml (por)" "$spin_states" "$spin_time" "$spin_rss" "$spin_bps" "$spin_result" "$base"
  fi
  args=()
  for p in $props; do args+=(--property "$p"); done
  for por in "" "--no-por"; do
    for jobs in 1 2; do
      status=0
      /usr/bin/time -v "$bin" check spec/tcp.sp --system pair "${consts[@]}" --jobs "$jobs" $por \
        --max-memory "$max_memory_mb" "${args[@]}" --quiet --no-msc >"$tmp/sp.out" 2>"$tmp/sp.time" || status=$?
      line=$(grep -m1 'safety search' "$tmp/sp.out" || true)
      states=$(grep -oE '[0-9,]+ states' <<<"$line" | head -1 | tr -d ', states')
      bps=$(grep -oE '[0-9.]+ B/state' <<<"$line" | head -1 | cut -d' ' -f1)
      case $status in 0) result=holds ;; 1) result=VIOLATED ;; 4) result=limit ;; *) result="exit $status" ;; esac
      row "$label" "stateproof ${por:-por} (${jobs} job$([[ $jobs == 1 ]] || echo s))" "${states:-0}" \
        "$(wall_s "$tmp/sp.time")" "$(rss_mb "$tmp/sp.time")" "${bps:--}" "$result" "$base"
      if [[ $por == --no-por && $result == holds && -n $exported_states && $states != "$exported_states" ]]; then
        echo "bench: $label: stateproof stored $states states, SPIN $exported_states on the exported model" >&2
      fi
    done
  done
  # The properties tcp_close.pml checks: (a) as an assert on entering TIME_WAIT, (b) as pan's
  # end-state check (the overflow asserts are stateproof's "no checking errors").
  status=0
  /usr/bin/time -v "$bin" check spec/tcp.sp --system pair "${consts[@]}" --jobs 2 --max-memory "$max_memory_mb" \
    --property time_wait_only_on_active_closer --property no_deadlock --quiet --no-msc \
    >"$tmp/sp.out" 2>"$tmp/sp.time" || status=$?
  line=$(grep -m1 'safety search' "$tmp/sp.out" || true)
  states=$(grep -oE '[0-9,]+ states' <<<"$line" | head -1 | tr -d ', states')
  bps=$(grep -oE '[0-9.]+ B/state' <<<"$line" | head -1 | cut -d' ' -f1)
  case $status in 0) result=holds ;; 1) result=VIOLATED ;; 4) result=limit ;; *) result="exit $status" ;; esac
  row "$label" "stateproof por (a)+(b) (2 jobs)" "${states:-0}" "$(wall_s "$tmp/sp.time")" "$(rss_mb "$tmp/sp.time")" \
    "${bps:--}" "$result" "$base"
done
echo
echo "stateproof por (a)+(b): only the two properties tcp_close.pml checks (time_wait_only_on_active_closer,"
echo "no_deadlock) and checking errors."
echo "states/s = states stored / wall time: of ./pan alone for SPIN (spin -a and gcc $cflags not counted),"
echo "of the whole process for stateproof (compile + search). vs exp. = states/s relative to SPIN on the"
echo "exported model without POR (same model, same states without POR). B/state: stateproof's state store"
echo "and queues at their peak over the states stored; SPIN's \"total actual memory usage\" over its states"
echo "(its fixed 2^24-slot hash table, -w24, included). result: holds, VIOLATED, limit (--max-memory"
echo "${max_memory_mb} MB or another limit: the search did not finish), SPIN's error count."
