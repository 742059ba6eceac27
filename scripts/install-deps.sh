#!/usr/bin/env bash
# Installs the Debian packages stateproof needs to build and test. Idempotent: quiet and
# quick when everything is already there. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev            # Boost.Spirit X3 (header-only)
  libz3-dev               # the symbolic engine and test-value solving
  libgtest-dev libgmock-dev
  libpcap-dev             # pcap writing
  libcli11-dev            # the command line (subcommands, --help on each)
  nlohmann-json3-dev      # JSON traces and results
  iproute2                # ip(8) for the namespace tests' checks
  spin                    # the SPIN cross-check and benchmark
  graphviz                # dot -Tsvg for `stateproof export --to dot`
  time                    # /usr/bin/time -v in the benchmarks
  liblwip-dev             # lwIP (2.1.x) for the lwip target's driver (stateproof-lwip-agent)
  tshark                  # decodes the generated pcaps and the harness's frames in tests
  libxml2-utils           # xmllint: the JUnit report against junit-10.xsd, the MSC SVGs
)
if [[ "${STATEPROOF_FUZZ:-0}" == 1 ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 3; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
