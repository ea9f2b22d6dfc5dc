# Toolchain: x86_64 Linux, musl, built with the zig 0.11 that
# tools/bootstrap.sh unpacks into .deps/zig (cache: .deps/zig-cache).
#   cmake -G Ninja -B build -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-x86_64-linux-musl.cmake
# Executables link -static by default (hosts); shared libraries (plugins)
# stay ordinary `-shared -fPIC` objects.
set(STATICDL_ZIG_TARGET x86_64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig/toolchain-common.cmake")
