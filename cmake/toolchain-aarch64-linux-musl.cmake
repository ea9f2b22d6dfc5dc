# Toolchain: aarch64 Linux, musl, built with zig 0.11 (see
# toolchain-x86_64-linux-musl.cmake). Binaries run under qemu-user:
# ctest and the demo go through CMAKE_CROSSCOMPILING_EMULATOR.
set(STATICDL_ZIG_TARGET aarch64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig/toolchain-common.cmake")
