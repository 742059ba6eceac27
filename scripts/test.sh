#!/usr/bin/env bash
# Installs dependencies, builds from scratch if needed, and runs every test.
# SANITIZE=1 builds and tests with ASan+UBSan (in build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
[[ "${SANITIZE:-0}" == 1 ]] && build_dir=${BUILD_DIR:-build-asan}
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 600
