#!/usr/bin/env bash
# The classic protocols of spec/examples/: stateproof's and SPIN's verdicts, states and
# times on each (docs/examples.md). stateproof: `check` (every property, 1 job). SPIN: the
# model `export --to promela` writes, one safety run (`pan -c0`, -DSAFETY -DNOREDUCE, so
# the states are exactly stateproof's) and one `pan -a -N P` per LTL property; its time is
# pan's own (`elapsed time`), without `spin -a` and gcc. tests/checker/examples_test.cpp
# checks the same verdicts.
#
#   bench/examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
for tool in spin gcc /usr/bin/time "$bin"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '| %-12s | %-44s | %8s | %8s | %-44s | %8s | %8s |\n' example "stateproof: violated" states "time s" "SPIN: violated" states "time s"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' -------------- ---------------------------------------------- ---------: ---------: ---------------------------------------------- ---------: ---------:
for spec in spec/examples/*.sp; do
  name=$(basename "$spec" .sp)
  out=$("$bin" check "$spec" --jobs 1 --no-msc 2>/dev/null || true)
  ours=$(awk '/^  property/ {t=1; next} /^$/ {t=0} t && /VIOLATED/ {print $1}' <<<"$out" | sort | paste -sd, - || true)
  states=$(awk '/safety search/ {for (i=1;i<=NF;i++) if ($(i+1) ~ /^states,/) {gsub(",","",$i); print $i; exit}}' <<<"$out")
  /usr/bin/time -f %e -o "$tmp/time" "$bin" check "$spec" --jobs 1 --quiet >/dev/null 2>&1 || true
  secs=$(tail -1 "$tmp/time")
  "$bin" export "$spec" --to promela -o "$tmp/model.pml" 2>/dev/null
  (cd "$tmp" && spin -a model.pml >/dev/null && gcc -O2 -DSAFETY -DNOREDUCE -w -o pan pan.c && ./pan -c0 -m100000 > safety.out 2>&1) || true
  spin_v=$(grep -o 'assertion violated prop_[A-Za-z0-9_]*' "$tmp/safety.out" | sed 's/.*prop_//' | sort -u || true)
  spin_states=$(awk '/states, stored/ {print $1; exit}' "$tmp/safety.out")
  spin_secs=$(awk '/elapsed time/ {print $4; exit}' "$tmp/safety.out")
  (cd "$tmp" && spin -DLIVENESS -a model.pml >/dev/null && gcc -O2 -DNOREDUCE -w -o pan pan.c)
  for claim in $(grep -o '^ltl [A-Za-z0-9_]*' "$tmp/model.pml" | awk '{print $2}'); do
    (cd "$tmp" && ./pan -a -m100000 -N "$claim" > ltl.out 2>&1) || true
    grep -q 'errors: [1-9]' "$tmp/ltl.out" && spin_v+=$'\n'"$claim"
    t=$(awk '/elapsed time/ {print $4; exit}' "$tmp/ltl.out")
    spin_secs=$(awk -v a="${spin_secs:-0}" -v b="${t:-0}" 'BEGIN {printf "%.2f", a + b}')
  done
  spin_v=$(sort -u <<<"$spin_v" | grep -v '^$' | paste -sd, - || true)
  printf '| %-12s | %-44s | %8s | %8s | %-44s | %8s | %8s |\n' "$name" "${ours:-none}" "$states" "$secs" "${spin_v:-none}" "$spin_states" "$spin_secs"
done
