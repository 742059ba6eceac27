#!/usr/bin/env bash
# Configures and builds stateproof into build/ (or $BUILD_DIR). SANITIZE=1 for ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
args=(-DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release})  # no -g: see CMakeLists.txt
if [[ "${SANITIZE:-0}" == 1 ]]; then
  args+=(-DSTATEPROOF_SANITIZE=ON)
  build_dir=${BUILD_DIR:-build-asan}
fi
cmake -S . -B "$build_dir" "${args[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
