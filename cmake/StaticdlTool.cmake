# The `staticdl` command (tools/staticdl): check, exports, pack, keep-table.
# It runs on the build machine, so it is built by the system C++ compiler
# (not the musl toolchain of the main build) as a separate CMake project,
# an ExternalProject in <build>/tools/staticdl, against libelf and libzstd
# (Debian: libelf-dev libzstd-dev). Installed to bin/.
#
# Defines: STATICDL_TOOL (path of the executable; empty when not built) and
#          target staticdl_tool (builds it). Custom commands that run the
#          tool DEPEND on "${STATICDL_TOOL}" (a byproduct of that target).
include_guard(GLOBAL)

option(STATICDL_BUILD_TOOL "Build the staticdl command (tools/staticdl) with the system compiler" ON)
set(STATICDL_TOOL "")
if(NOT STATICDL_BUILD_TOOL)
  return()
endif()

find_program(STATICDL_NATIVE_CXX NAMES g++ c++ clang++ NO_CMAKE_FIND_ROOT_PATH)
find_file(STATICDL_GELF_H gelf.h PATHS /usr/include /usr/local/include NO_DEFAULT_PATH)
find_file(STATICDL_ZSTD_H zstd.h PATHS /usr/include /usr/local/include NO_DEFAULT_PATH)
if(NOT STATICDL_NATIVE_CXX OR NOT STATICDL_GELF_H OR NOT STATICDL_ZSTD_H)
  message(WARNING "staticdl: not building the staticdl command (tools/staticdl): it needs a native C++ "
                  "compiler, libelf-dev and libzstd-dev (found: '${STATICDL_NATIVE_CXX}', "
                  "'${STATICDL_GELF_H}', '${STATICDL_ZSTD_H}')")
  return()
endif()

include(ExternalProject)
set(_sdl_tool_bin "${PROJECT_BINARY_DIR}/tools/staticdl")
ExternalProject_Add(staticdl_tool
  SOURCE_DIR "${PROJECT_SOURCE_DIR}/tools/staticdl"
  BINARY_DIR "${_sdl_tool_bin}"
  PREFIX "${PROJECT_BINARY_DIR}/tools/staticdl-ep"
  CMAKE_ARGS
    "-DCMAKE_TOOLCHAIN_FILE="
    "-DCMAKE_CXX_COMPILER=${STATICDL_NATIVE_CXX}"
    "-DCMAKE_BUILD_TYPE=Release"
    # The keep table this build makes: musl's public symbols, for advice.
    "-DSTATICDL_DEFAULT_LIBC_LIST=${PROJECT_BINARY_DIR}/staticdl-keep-libc.ld"
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS "${_sdl_tool_bin}/staticdl")
set(STATICDL_TOOL "${_sdl_tool_bin}/staticdl")
message(STATUS "staticdl: building the staticdl command with ${STATICDL_NATIVE_CXX}")
