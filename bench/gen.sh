#!/usr/bin/env bash
# Test generation speed: `stateproof gen` on spec/tcp.sp (role Endpoint) and spec/arp.sp
# (role Host) at each coverage level; prints tests, wall and CPU seconds (CPU: all worker
# processes), Z3 queries, the time per query, the checks a cached model answered, and the
# exploration's share. Every suite at the default --jobs (one per CPU), and the tcp.sp
# boundary suite again at --jobs 1 (the suite is the same; only the time differs).
# Target (issue 5): the tcp.sp boundary suite in under 5 s.
#
#   bench/gen.sh                              # build/stateproof
#   STATEPROOF=build-x/stateproof bench/gen.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${STATEPROOF:-build/stateproof}
for tool in "$bin" /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh; scripts/build.sh)" >&2; exit 3; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s %-11s %4s %6s %7s %7s %8s %9s %7s %10s\n" spec coverage jobs tests "wall s" "cpu s" queries "ms/query" "cached" "explore s"
for run in tcp:Endpoint:transition:0 tcp:Endpoint:boundary:0 tcp:Endpoint:boundary:1 \
           tcp:Endpoint:wmethod:0 arp:Host:transition:0 arp:Host:boundary:0 arp:Host:wmethod:0; do
  IFS=: read -r name role cov jobs <<<"$run"
  out="$tmp/$name-$cov-$jobs"
  jobs_flag=()
  [[ $jobs != 0 ]] && jobs_flag=(--jobs "$jobs")
  [[ $jobs == 0 ]] && jobs=$(nproc)
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$bin" gen "spec/$name.sp" --role "$role" --coverage "$cov" \
    "${jobs_flag[@]}" --out "$out" >"$tmp/log" 2>&1 || { echo "bench: gen $name $cov failed:" >&2; cat "$tmp/log" >&2; exit 1; }
  # "N tests written to DIR in S s (Q solver queries, M ms each, U unknown; H more answered
  # by a cached model; exploration E s, Q2 queries)"
  line=$(grep -E '^[0-9]+ tests written to' "$tmp/log" | tail -1)
  read -r wall user sys <"$tmp/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  awk -v spec="$name" -v cov="$cov" -v jobs="$jobs" -v wall="$wall" -v cpu="$cpu" -v line="$line" 'BEGIN {
    n = split(line, w, /[ (;,]+/)
    tests = w[1]
    for (i = 1; i <= n; i++) {
      if (w[i] == "solver" && w[i+1] == "queries") queries = w[i-1]
      if (w[i] == "ms" && w[i+1] == "each") ms = w[i-1]
      if (w[i] == "more" && w[i+1] == "answered") cached = w[i-1]
      if (w[i] == "exploration") explore = w[i+1]
    }
    printf "%-8s %-11s %4s %6s %7.2f %7.2f %8s %9s %7s %10s\n", spec, cov, jobs, tests, wall, cpu, queries, ms, cached, explore
  }'
done
