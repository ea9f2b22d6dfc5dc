#!/usr/bin/env bash
# Developer entry points (README):
#   tools/dev.sh demo   bootstrap, build, run examples/host/demo_host.c on the example plugins
#   tools/dev.sh test   bootstrap, build everything, run ctest; then the hybrid build
#                       (system gcc, dynamically linked glibc hosts, examples/rustc);
#                       then the same for aarch64 under qemu-user (when
#                       qemu-aarch64-static is there); prints "N passed, N failed"
#                       over all runs, non-zero exit on any failure
# Environment: BUILD_DIR (default build), STATICDL_TOOLCHAIN (default
# cmake/toolchain-x86_64-linux-musl.cmake), JOBS (default 2), AARCH64_BUILD_DIR
# (default build-aarch64), STATICDL_TEST_AARCH64=0 to skip the aarch64 run,
# HYBRID_BUILD_DIR (default build-hybrid), STATICDL_TEST_HYBRID=0 to skip it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${BUILD_DIR:-build}"
TOOLCHAIN="${STATICDL_TOOLCHAIN:-$ROOT/cmake/toolchain-x86_64-linux-musl.cmake}"
JOBS="${JOBS:-2}"
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$ROOT/.deps/zig-cache}"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

bootstrap() { "$ROOT/tools/bootstrap.sh"; }

# configure [dir toolchain cmake-args...] (default: $BUILD_DIR $TOOLCHAIN;
# toolchain "none": the system compiler)
configure() {
  local dir="${1:-$BUILD_DIR}" tc="${2:-$TOOLCHAIN}"
  [ "$tc" = none ] && tc=""
  shift $(( $# < 2 ? $# : 2 ))
  if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
    echo "dev.sh: $dir was configured with another generator; remove it first" >&2
    exit 1
  fi
  cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$tc" "$@"
}

# run_ctest <dir>: ctest with its usual output; adds the run's counts to
# PASSED/FAILED (from "N% tests passed, F tests failed out of T", less the
# tests listed as "(Skipped)"/"(Disabled)"; a run that prints no such line,
# or fails without failing tests, counts as one failure).
PASSED=0
FAILED=0
run_ctest() {
  local log rc=0 line total failed skipped
  log="$(mktemp)"
  ctest --test-dir "$1" --output-on-failure -j "$JOBS" 2>&1 | tee "$log" || rc=$?   # pipefail: ctest's status
  line="$(grep -E '[0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
  skipped="$(grep -cE '^[[:space:]]*[0-9]+ - .*\((Skipped|Disabled)\)$' "$log" || true)"
  rm -f "$log"
  if [ -z "$line" ]; then
    FAILED=$((FAILED + 1))
    return
  fi
  failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
  PASSED=$((PASSED + total - failed - skipped))
  FAILED=$((FAILED + failed))
  if [ "$failed" = 0 ] && [ "$rc" != 0 ]; then FAILED=$((FAILED + 1)); fi
}

# build_step <dir>: builds; a failed build counts as one failure (the
# tests that did build still run).
build_step() {
  if ! cmake --build "$1" -j "$JOBS"; then
    echo "dev.sh: building $1 failed" >&2
    FAILED=$((FAILED + 1))
  fi
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
    build_step "$BUILD_DIR"
    run_ctest "$BUILD_DIR"
    # Hybrid mode: the same loader in dynamically linked glibc programs,
    # built with the system compiler (README, "Hybrid mode").
    if [ "${STATICDL_TEST_HYBRID:-1}" != 0 ]; then
      HY_DIR="${HYBRID_BUILD_DIR:-build-hybrid}"
      configure "$HY_DIR" none -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DSTATICDL_HYBRID=ON
      build_step "$HY_DIR"
      run_ctest "$HY_DIR"
    fi
    # aarch64: cross-built with zig, run by qemu-user through
    # CMAKE_CROSSCOMPILING_EMULATOR (README, "aarch64"). perf/ (timings
    # against the build machine's native loaders) is left out there.
    if [ "${STATICDL_TEST_AARCH64:-1}" != 0 ]; then
      if command -v qemu-aarch64-static >/dev/null 2>&1; then
        A64_DIR="${AARCH64_BUILD_DIR:-build-aarch64}"
        configure "$A64_DIR" "$ROOT/cmake/toolchain-aarch64-linux-musl.cmake" -DSTATICDL_BUILD_PERF=OFF
        build_step "$A64_DIR"
        run_ctest "$A64_DIR"
      else
        echo "dev.sh: qemu-aarch64-static not found (tools/bootstrap.sh installs it); aarch64 tests not run" >&2
        FAILED=$((FAILED + 1))
      fi
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" = 0 ]
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
