# Helpers for building staticdl hosts and plugins. Used in this tree and
# installed with the package (find_package(staticdl) includes it).
#
# staticdl_add_host(<target> [PIE] [NO_KEEP_LIBC] [TLS_RESERVE <bytes>])
#   Turns an existing add_executable() target into a static host whose
#   dlopen/dlsym/... come from staticdl::staticdl:
#     -static -rdynamic                   (default: static, non-PIE)
#     -static -fPIE -pie -rdynamic        (PIE: static-pie)
#   and, unless NO_KEEP_LIBC, links the libc keep table so the whole public
#   libc stays in the host's .dynsym for plugins. A target whose sources
#   (at the time of the call) are all C links with the C driver: libstaticdl.a
#   needs no C++ runtime. Set LINKER_LANGUAGE yourself to override.
#   TLS_RESERVE sets the size of the host's static TLS reserve, from which
#   plugins' initial-exec TLS is allocated (default 16384 bytes).
#
# staticdl_add_plugin(<target> <sources>...)
#   add_library(<target> SHARED ...) as a dlopen()able plugin: lib<target>.so,
#   PIC, default symbol visibility, no version suffixes. Undefined symbols
#   are allowed (they resolve against the host when loaded).
include_guard(GLOBAL)

# runtime/tls_reserve.c: next to this file when installed, else in the tree.
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/tls_reserve.c")
  set(_STATICDL_TLS_RESERVE_C "${CMAKE_CURRENT_LIST_DIR}/tls_reserve.c")
else()
  set(_STATICDL_TLS_RESERVE_C "${CMAKE_CURRENT_LIST_DIR}/../runtime/tls_reserve.c")
endif()

# _staticdl_tls_reserve(<target> <bytes> <caller>): the host's own static
# TLS reserve of <bytes>; libstaticdl's default member is then never pulled
# in. <caller> names the helper in error messages.
function(_staticdl_tls_reserve target bytes caller)
  if(NOT bytes MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${caller}: TLS_RESERVE wants a byte count, got '${bytes}'")
  endif()
  set(gen "${CMAKE_CURRENT_BINARY_DIR}/${target}_tls_reserve.c")
  file(WRITE "${gen}.in" "#define STATICDL_TLS_RESERVE ${bytes}\n#include \"${_STATICDL_TLS_RESERVE_C}\"\n")
  configure_file("${gen}.in" "${gen}" COPYONLY)
  target_sources(${target} PRIVATE "${gen}")
endfunction()

function(staticdl_add_host target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "PIE;NO_KEEP_LIBC" "TLS_RESERVE" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "staticdl_add_host: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "staticdl_add_host: no target '${target}' (call add_executable first)")
  endif()
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "staticdl_add_host: '${target}' is a ${type}, not an executable")
  endif()

  target_link_libraries(${target} PRIVATE staticdl::staticdl)
  if(arg_TLS_RESERVE)
    _staticdl_tls_reserve(${target} "${arg_TLS_RESERVE}" staticdl_add_host)
  endif()
  if(arg_PIE)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_compile_options(${target} PRIVATE -fPIE)
    target_link_options(${target} PRIVATE -static -fPIE -pie -rdynamic)
  else()
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
    target_compile_options(${target} PRIVATE -fno-PIE)
    target_link_options(${target} PRIVATE -static -no-pie -rdynamic)
  endif()

  if(NOT arg_NO_KEEP_LIBC)
    if(STATICDL_KEEP_LIBC_SCRIPT)
      target_link_libraries(${target} PRIVATE "${STATICDL_KEEP_LIBC_SCRIPT}")
      set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${STATICDL_KEEP_LIBC_SCRIPT}")
      if(TARGET staticdl_keep_libc)
        add_dependencies(${target} staticdl_keep_libc)
      endif()
    else()
      message(WARNING "staticdl_add_host(${target}): no libc keep table; "
                      "plugins can only call libc functions the host itself uses")
    endif()
  endif()

  get_target_property(lang ${target} LINKER_LANGUAGE)
  if(NOT lang)
    get_target_property(srcs ${target} SOURCES)
    set(has_cxx OFF)
    foreach(s IN LISTS srcs)
      if(s MATCHES "\\.(cc|cp|cpp|cxx|c\\+\\+|C|CPP|mm)$")
        set(has_cxx ON)
      else()
        get_source_file_property(sl "${s}" LANGUAGE)
        if(sl STREQUAL "CXX")
          set(has_cxx ON)
        endif()
      endif()
    endforeach()
    if(NOT has_cxx)
      set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
    endif()
  endif()
endfunction()

function(staticdl_add_plugin target)
  add_library(${target} SHARED ${ARGN})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET default
    CXX_VISIBILITY_PRESET default)
endfunction()
