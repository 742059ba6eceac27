#!/usr/bin/env bash
# The main job: install dependencies, build, then for TCP and ARP take the spec through
# the whole pipeline -- check its properties, generate the conformance suite, run it
# against this machine's kernel (each test in a private network namespace with its own
# TUN/TAP device) -- and print the verdicts per suite.
#
#   scripts/run.sh                     # install, build, show, check, gen, run (fast tier)
#   SLOW=1 scripts/run.sh              # also the slow tier (timer tests; TIME-WAIT takes 60 s)
#   FULL=1 scripts/run.sh              # check tcp.sp at its own MAX_RETX = 2 (5.2M states,
#                                      # minutes) instead of MAX_RETX = 1 (about 10^5 states)
#   SKIP_SETUP=1 BUILD_DIR=dir scripts/run.sh   # an existing build, no apt-get, no build
#
# Running tests needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and /dev/net/tun. Without them
# the script says exactly what is missing, still checks and generates, and exits 0.
# Exit status: 0 when every property holds and no test failed unexpectedly (expected
# deviations are listed in harness/targets/linux.profile); 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
if [[ "${SKIP_SETUP:-0}" != 1 ]]; then
  scripts/install-deps.sh
  BUILD_DIR=$build_dir scripts/build.sh >/dev/null
fi
bin=$build_dir/stateproof
out=${OUT_DIR:-$build_dir/main-job}
rm -rf "$out"
mkdir -p "$out"
status=0

echo "== stateproof show spec/tcp.sp"
"$bin" show spec/tcp.sp

# spec -> check: every property of both specs.
tcp_const=(--const MAX_RETX=1)
[[ "${FULL:-0}" == 1 ]] && tcp_const=()
for spec in spec/tcp.sp spec/arp.sp; do
  args=()
  [[ $spec == spec/tcp.sp ]] && args=("${tcp_const[@]}")
  echo
  echo "== stateproof check $spec ${args[*]}"
  if ! "$bin" check "$spec" "${args[@]}"; then
    echo "check $spec: a property does not hold (or the check failed)"
    status=1
  fi
done

# check -> gen: one suite per spec, for the role the kernel plays.
gen() {  # NAME SPEC ROLE [GEN ARGS...]
  local name=$1 spec=$2 role=$3
  shift 3
  echo
  echo "== stateproof gen $spec --role $role --out $out/$name $*"
  if ! "$bin" gen "$spec" --role "$role" --out "$out/$name" -q "$@"; then
    echo "gen $spec: failed"
    status=1
    return 1
  fi
  echo "$(find "$out/$name" -name '*.spt' | wc -l) tests in $out/$name"
}
# MAX_RETX=3: the timer tests follow three consecutive retransmissions of a SYN, a
# SYN-ACK and a FIN (RFC 6298 §5.5 back-off); spec/tcp.sp's 2 is sized for checking.
gen tcp spec/tcp.sp Endpoint --const MAX_RETX=3 || true
# Linux sends mcast_solicit = 3 ARP requests before it gives up: a count RFC 1122
# §2.3.2.1 leaves to the implementation, so the suite is generated with it.
gen arp spec/arp.sp Host --const MAX_TRIES=2 || true

# gen -> run, against this machine's kernel.
tier=(--fast)
[[ "${SLOW:-0}" == 1 ]] && tier=()
summary=()
missing=""
run_suite() {  # SUITE TARGET
  local label="$1 on $2" log="$out/$1-$2.log" rc=0
  [[ -d "$out/$1" ]] || { summary+=("$(printf '%-18s %s' "$label" "not generated")"); return; }
  echo
  echo "== stateproof run $out/$1 --target $2 ${tier[*]} --quiet"
  "$bin" run "$out/$1" --target "$2" "${tier[@]}" --quiet --junit "$out/$1-$2.xml" \
    --results "$out/$1-$2.json" --spec spec/tcp.sp --spec spec/arp.sp >"$log" 2>&1 || rc=$?
  if [[ $rc == 3 ]]; then
    missing=$(grep -m1 'environment problem' "$log" | sed 's/^stateproof run: environment problem: //')
    summary+=("$(printf '%-18s %s' "$label" "not run: $missing")")
    return
  fi
  cat "$log"
  local line
  line=$(grep -E '^[0-9]+ tests in ' "$log" | tail -n 1)
  summary+=("$(printf '%-18s %s' "$label" "${line}")")
  if [[ $rc != 0 ]]; then
    summary[-1]+="  <- unexpected failures (exit $rc)"
    status=1
  fi
}
run_suite tcp linux
run_suite tcp linux-tap
run_suite arp linux-tap

echo
echo "== summary (kernel $(uname -r); reports in $out)"
for line in "${summary[@]}"; do echo "  $line"; done
if [[ -n "$missing" ]]; then
  echo "  The suites were generated but not run: $missing"
  echo "  Run as root on a machine with /dev/net/tun to run them."
fi
exit $status
