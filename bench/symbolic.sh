#!/usr/bin/env bash
# Time to verdict on spec/tcp.sp: explicit-state search vs BMC vs k-induction, as the
# checked width of sequence numbers (--seq-bits) and MAX_RETX grow. Every run has a
# timeout (default 60 s; "timeout" in the table), so the script ends in bounded time:
# 3 engines x 4 widths x 2 MAX_RETX x T seconds at most.
#
#   bench/symbolic.sh [STATEPROOF_BINARY] [TIMEOUT_SECONDS] [BMC_DEPTH]
#
# Each cell: wall-clock seconds and the outcome (all properties hold / N violated /
# unknown, with the exit code). BMC runs to BMC_DEPTH (default 4) and cannot prove
# anything: its "unknown" means "no violation up to that depth".
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/build/stateproof}"
limit="${2:-60}"
depth="${3:-4}"
spec="$here/spec/tcp.sp"
[ -x "$bin" ] || { echo "no stateproof binary at $bin" >&2; exit 2; }

run() {  # engine bits retx -> "seconds outcome"
  local engine="$1" bits="$2" retx="$3" out code start end
  start=$(date +%s.%N)
  set +e
  out=$(timeout $((limit + 10)) "$bin" check "$spec" --engine "$engine" --depth "$depth" --seq-bits "$bits" \
        --const MAX_RETX="$retx" --timeout "$limit" --jobs 1 -q --no-msc 2>&1)
  code=$?
  set -e
  end=$(date +%s.%N)
  local secs verdict
  secs=$(echo "$end - $start" | bc)
  case $code in
    0) verdict="holds" ;;
    1) verdict="$(grep -c ' VIOLATED' <<<"$out") violated" ;;
    4) if grep -qE 'stopped: timeout|unknown \(timeout' <<<"$out"; then verdict="timeout"; else verdict="unknown"; fi ;;
    124) verdict="killed" ;;
    *) verdict="exit $code" ;;
  esac
  printf '%7.1f s %-10s' "$secs" "$verdict"
}

printf '%-9s %-5s %-24s %-24s %-24s\n' "MAX_RETX" "bits" "explicit" "bmc (depth $depth)" "kind (k <= $depth)"
for retx in 1 2; do
  for bits in 3 8 16 32; do
    printf '%-9s %-5s ' "$retx" "$bits"
    for engine in explicit bmc kind; do
      printf '%-24s ' "$(run "$engine" "$bits" "$retx")"
    done
    echo
  done
done
