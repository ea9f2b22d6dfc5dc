#!/usr/bin/env bash
# Developer entry points (README):
#   tools/dev.sh demo   bootstrap, build, run examples/host/demo_host.c on the example plugins
#   tools/dev.sh test   bootstrap, build everything, run ctest; exits with ctest's status
# Environment: BUILD_DIR (default build), STATICDL_TOOLCHAIN (default
# cmake/toolchain-x86_64-linux-musl.cmake), JOBS (default 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
TOOLCHAIN="${STATICDL_TOOLCHAIN:-$ROOT/cmake/toolchain-x86_64-linux-musl.cmake}"
JOBS="${JOBS:-2}"
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$ROOT/.deps/zig-cache}"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

bootstrap() { "$ROOT/tools/bootstrap.sh"; }

configure() {
  if [ -f "$BUILD_DIR/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$BUILD_DIR/CMakeCache.txt"; then
    echo "dev.sh: $BUILD_DIR was configured with another generator; remove it first" >&2
    exit 1
  fi
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN"
}

case "${1:-}" in
  demo)
    bootstrap
    configure
    cmake --build "$BUILD_DIR" --target demo -j "$JOBS"
    ;;
  test)
    bootstrap
    configure
    cmake --build "$BUILD_DIR" -j "$JOBS"
    exec ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
