#!/usr/bin/env bash
# staticdl performance suite: builds what it needs, then runs.
#
#   perf/run.sh                  7 interleaved rounds (about 3-5 minutes)
#   perf/run.sh --quick          1 round on the small synthetic plugin (smoke test)
#   perf/run.sh --rounds N       N rounds
#   perf/run.sh --only SUBSTR    only benchmarks whose id contains SUBSTR
#   perf/run.sh --no-build       use what BUILD_DIR and HYBRID_BUILD_DIR hold
#   perf/run.sh --no-hybrid      without the real-library cases (hybrid mode)
#   perf/run.sh --hybrid-only    only the real-library cases
#   perf/run.sh --keep-going     a failing benchmark is reported, the rest run
#   perf/run.sh --out FILE       write the JSON results to FILE
#
# BUILD_DIR (default build-perf) is configured with the zig musl toolchain,
# without tests and examples: the synthetic-plugin cases. HYBRID_BUILD_DIR
# (default build-perf-hybrid) is a STATICDL_HYBRID build with the system
# gcc/g++: perf/hybrid, staticdl in a dynamically linked glibc program
# against glibc's dlopen on installed libraries (libLLVM-14 from Debian's
# libllvm14, installed here if missing; rustup's librustc_driver; libpython3.11,
# libstdc++, libsqlite3; a case whose file is absent is skipped). Results: a
# table on stdout and perf/results/latest.json (--hybrid-only:
# perf/results/hybrid.json; --quick: BUILD_DIR/perf/quick.json).
# See perf/RESULTS.md for the latest run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-perf}"
HYBRID_BUILD_DIR="${HYBRID_BUILD_DIR:-$ROOT/build-perf-hybrid}"
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$ROOT/.deps/zig-cache}"
quick=0 build=1 static=1 hybrid=1 out=() args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; args+=(--quick) ;;
    --no-build) build=0 ;;
    --no-hybrid) hybrid=0 ;;
    --hybrid-only) static=0 ;;
    --keep-going) args+=(--keep-going) ;;
    --rounds|--only) args+=("$1" "$2"); shift ;;
    --out) out=(--out "$2"); shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
MULTIARCH="$(uname -m)-linux-gnu"

if [ $build = 1 ] && [ $static = 1 ]; then
  "$ROOT/tools/bootstrap.sh" >/dev/null
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
      -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-x86_64-linux-musl.cmake" \
      -DSTATICDL_BUILD_TESTS=OFF -DSTATICDL_BUILD_EXAMPLES=OFF -DSTATICDL_BUILD_PERF=ON >/dev/null
  fi
  target=perf_full
  [ $quick = 1 ] && target=perf_quick
  cmake --build "$BUILD_DIR" -j2 --target "$target"
fi
if [ $build = 1 ] && [ $hybrid = 1 ]; then
  # The real-library cases: Debian's libLLVM-14 (package libllvm14); the
  # others come with the system (libpython3.11, libstdc++6, libsqlite3-0) or
  # rustup, and are skipped when absent.
  if [ ! -e "/usr/lib/$MULTIARCH/libLLVM-14.so.1" ] && command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: installing libllvm14 (the libLLVM-14 case)"
    { sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libllvm14 >/dev/null 2>&1 ||
      { sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libllvm14 >/dev/null; }; } ||
      echo "run.sh: could not install libllvm14; the libLLVM-14 case will be skipped" >&2
  fi
  if [ ! -f "$HYBRID_BUILD_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$HYBRID_BUILD_DIR" -G Ninja -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ \
      -DSTATICDL_HYBRID=ON -DSTATICDL_BUILD_TESTS=OFF -DSTATICDL_BUILD_EXAMPLES=OFF -DSTATICDL_BUILD_PERF=ON >/dev/null
  fi
  cmake --build "$HYBRID_BUILD_DIR" -j2 --target perf_hybrid
fi
dirs=()
[ $static = 1 ] && dirs+=(--bindir "$BUILD_DIR/perf")
[ $hybrid = 1 ] && dirs+=(--hybrid-bindir "$HYBRID_BUILD_DIR/perf/hybrid")
if [ ${#dirs[@]} = 0 ]; then echo "run.sh: --no-hybrid and --hybrid-only leave nothing to run" >&2; exit 2; fi
if [ ${#out[@]} = 0 ]; then
  if [ $quick = 1 ]; then
    if [ $static = 1 ]; then out=(--out "$BUILD_DIR/perf/quick.json"); else out=(--out "$HYBRID_BUILD_DIR/perf/hybrid/quick.json"); fi
  elif [ $static = 0 ]; then
    out=(--out "$ROOT/perf/results/hybrid.json")  # latest.json keeps the last full run
  fi
fi
exec python3 "$ROOT/perf/driver.py" "${dirs[@]}" "${args[@]}" "${out[@]}"
