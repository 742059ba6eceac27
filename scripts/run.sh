#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, then compile and show the
# shipped TCP spec and model-check every property of it and of the ARP spec.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
bin=build/stateproof
echo "== stateproof show spec/tcp.sp"
$bin show spec/tcp.sp
if $bin check --help >/dev/null 2>&1; then
  for spec in spec/tcp.sp spec/arp.sp; do
    echo
    echo "== stateproof check $spec"
    $bin check "$spec"
  done
fi
