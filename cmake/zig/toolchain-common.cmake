# Shared part of cmake/toolchain-<arch>-linux-musl.cmake. Expects
# STATICDL_ZIG_TARGET (<arch>-linux-musl). The compiler wrappers next to this
# file bake the target into their names, so the build needs no environment.
if(NOT STATICDL_ZIG_TARGET MATCHES "^([a-z0-9_]+)-linux-musl$")
  message(FATAL_ERROR "STATICDL_ZIG_TARGET must be <arch>-linux-musl, not '${STATICDL_ZIG_TARGET}'")
endif()
set(_staticdl_arch "${CMAKE_MATCH_1}")
set(_staticdl_zig_dir "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(_staticdl_root "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# Read by the top-level CMakeLists.txt (keep table from zig's musl libc.S).
set(STATICDL_ZIG_TARGET "${STATICDL_ZIG_TARGET}" CACHE STRING "zig -target of the compiler wrappers" FORCE)
if(DEFINED ENV{STATICDL_ZIG})
  set(_staticdl_zig "$ENV{STATICDL_ZIG}")
else()
  set(_staticdl_zig "${_staticdl_root}/.deps/zig/zig")
endif()
set(STATICDL_ZIG_EXECUTABLE "${_staticdl_zig}" CACHE FILEPATH "zig 0.11 used by cmake/zig/*")
if(NOT EXISTS "${STATICDL_ZIG_EXECUTABLE}")
  message(FATAL_ERROR "zig not found at ${STATICDL_ZIG_EXECUTABLE}; run tools/bootstrap.sh")
endif()

# x86_64 musl binaries run natively on an x86_64 build machine; anything
# else is a cross build (qemu runs the results).
if(NOT CMAKE_HOST_SYSTEM_PROCESSOR STREQUAL _staticdl_arch)
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR "${_staticdl_arch}")
  find_program(STATICDL_QEMU NAMES qemu-${_staticdl_arch}-static qemu-${_staticdl_arch})
  if(STATICDL_QEMU)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${STATICDL_QEMU}")
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${_staticdl_arch}-static)
  endif()
endif()

set(CMAKE_C_COMPILER   "${_staticdl_zig_dir}/${STATICDL_ZIG_TARGET}-cc")
set(CMAKE_CXX_COMPILER "${_staticdl_zig_dir}/${STATICDL_ZIG_TARGET}-c++")
set(CMAKE_ASM_COMPILER "${_staticdl_zig_dir}/${STATICDL_ZIG_TARGET}-cc")
set(CMAKE_AR     "${_staticdl_zig_dir}/${STATICDL_ZIG_TARGET}-ar"     CACHE FILEPATH "" FORCE)
set(CMAKE_RANLIB "${_staticdl_zig_dir}/${STATICDL_ZIG_TARGET}-ranlib" CACHE FILEPATH "" FORCE)

# Hosts are static; plugins (SHARED/MODULE) keep CMake's -shared -fPIC.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")


# Drop the zig-cache archives CMake would add to mixed C/C++ link lines.
set(CMAKE_USER_MAKE_RULES_OVERRIDE "${_staticdl_zig_dir}/rules-override.cmake")
