#!/usr/bin/env bash
# staticdl performance suite: builds what it needs, then runs.
#
#   perf/run.sh                  7 interleaved rounds (about 3-5 minutes)
#   perf/run.sh --quick          1 round on the small synthetic plugin (smoke test)
#   perf/run.sh --rounds N       N rounds
#   perf/run.sh --only SUBSTR    only benchmarks whose id contains SUBSTR
#   perf/run.sh --no-build       use what BUILD_DIR holds
#   perf/run.sh --out FILE       write the JSON results to FILE
#
# BUILD_DIR (default build-perf) is configured with the zig musl toolchain,
# without tests and examples. Results: a table on stdout and
# perf/results/latest.json (--quick: BUILD_DIR/perf/quick.json).
# See perf/RESULTS.md for the latest run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-perf}"
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$ROOT/.deps/zig-cache}"
quick=0 build=1 out=() args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; args+=(--quick) ;;
    --no-build) build=0 ;;
    --rounds|--only) args+=("$1" "$2"); shift ;;
    --out) out=(--out "$2"); shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ $build = 1 ]; then
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
[ $quick = 1 ] && [ ${#out[@]} = 0 ] && out=(--out "$BUILD_DIR/perf/quick.json")
exec python3 "$ROOT/perf/driver.py" --bindir "$BUILD_DIR/perf" "${args[@]}" "${out[@]}"
