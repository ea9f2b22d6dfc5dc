# The libc keep table: build/staticdl-keep-libc.ld, a linker script
# `EXTERN(strdup qsort ...)` generated at build time by tools/gen-keep-table.sh.
# Linked into a static host with -rdynamic, it keeps every public libc symbol
# in the host's .dynsym so plugins can call what the host itself never does.
#
# Source of the symbol list, first match wins:
#   STATICDL_LIBC_A          a musl libc.a given on the command line
#   zig toolchain            <zig>/lib/libc/musl/libc.S for STATICDL_ZIG_TARGET
#   any other compiler       `cc -print-file-name=libc.a` (e.g. musl-gcc)
# A libc.a is read by `staticdl keep-table` (tools/staticdl, libelf) when
# the tool is built (cmake/StaticdlTool.cmake) and STATICDL_KEEP_TABLE_TOOL
# is on; else, and for zig's libc.S, by tools/gen-keep-table.sh.
#
# Defines: target staticdl_keep_libc (builds the file) and
#          STATICDL_KEEP_LIBC_SCRIPT (its path; empty when disabled).
include_guard(GLOBAL)

set(STATICDL_KEEP_LIBC_SCRIPT "")
if(NOT STATICDL_KEEP_LIBC)
  return()
endif()

set(STATICDL_LIBC_A "" CACHE FILEPATH "musl libc.a to take the keep table from (default: the compiler's)")
option(STATICDL_KEEP_TABLE_TOOL "Read a libc.a with `staticdl keep-table` (when the tool is built)" ON)
set(_sdl_gen "${PROJECT_SOURCE_DIR}/tools/gen-keep-table.sh")
set(_sdl_out "${PROJECT_BINARY_DIR}/staticdl-keep-libc.ld")

if(STATICDL_LIBC_A)
  set(_sdl_args --libc-a "${STATICDL_LIBC_A}")
  set(_sdl_input "${STATICDL_LIBC_A}")
elseif(STATICDL_ZIG_TARGET AND STATICDL_ZIG_EXECUTABLE)
  get_filename_component(_sdl_zig_home "${STATICDL_ZIG_EXECUTABLE}" DIRECTORY)
  set(_sdl_input "${_sdl_zig_home}/lib/libc/musl/libc.S")
  string(REGEX REPLACE "-.*" "" _sdl_arch "${STATICDL_ZIG_TARGET}")
  if(CMAKE_SIZEOF_VOID_P EQUAL 8)
    set(_sdl_ptr -DPTR64)
  else()
    set(_sdl_ptr -DPTR32)
  endif()
  set(_sdl_args --libc-s "${_sdl_input}" --cc "${CMAKE_C_COMPILER}" -DARCH_${_sdl_arch} ${_sdl_ptr})
else()
  execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=libc.a
                  OUTPUT_VARIABLE _sdl_libc_a OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _sdl_rc ERROR_QUIET)
  set(_sdl_input "${_sdl_libc_a}")
  set(_sdl_args --libc-a "${_sdl_libc_a}")
endif()

if(NOT EXISTS "${_sdl_input}")
  message(WARNING "staticdl: no musl libc symbol list found ('${_sdl_input}'); "
                  "building without the libc keep table (set STATICDL_LIBC_A)")
  return()
endif()
message(STATUS "staticdl: libc keep table from ${_sdl_input}")

if(_sdl_args MATCHES "^--libc-a;" AND STATICDL_TOOL AND STATICDL_KEEP_TABLE_TOOL)
  add_custom_command(
    OUTPUT "${_sdl_out}"
    COMMAND "${STATICDL_TOOL}" keep-table "${_sdl_input}" -o "${_sdl_out}"
    DEPENDS "${STATICDL_TOOL}" "${_sdl_input}"
    COMMENT "Generating staticdl-keep-libc.ld (staticdl keep-table)"
    VERBATIM)
else()
  add_custom_command(
    OUTPUT "${_sdl_out}"
    COMMAND "${_sdl_gen}" -o "${_sdl_out}" ${_sdl_args}
    DEPENDS "${_sdl_gen}" "${_sdl_input}"
    COMMENT "Generating staticdl-keep-libc.ld"
    VERBATIM)
endif()
add_custom_target(staticdl_keep_libc ALL DEPENDS "${_sdl_out}")
set(STATICDL_KEEP_LIBC_SCRIPT "${_sdl_out}")
