# Helpers for hybrid hosts: ordinary dynamically linked glibc programs in
# which staticdl loads the plugins (runtime/hybrid.cpp).
#
# staticdl_add_hybrid_host(<target> [TLS_RESERVE <bytes>])
#   Links libstaticdl_hybrid.a into an add_executable() target. The program
#   calls staticdl_dlopen()/staticdl_dlsym()/... (<staticdl/staticdl.h>);
#   its own plain dlopen() stays glibc's. -rdynamic exports the program's
#   functions to the modules staticdl loads, as in a static host.
#   TLS_RESERVE sizes the static TLS reserve for modules with initial-exec
#   TLS (DF_STATIC_TLS); the default is 65536 bytes (the Rust compiler's
#   librustc_driver needs about 24 KiB).
include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/StaticdlHost.cmake")  # _staticdl_tls_reserve()

function(staticdl_add_hybrid_host target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TLS_RESERVE" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "staticdl_add_hybrid_host: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TLS_RESERVE)
    set(arg_TLS_RESERVE 65536)
  endif()
  _staticdl_tls_reserve(${target} "${arg_TLS_RESERVE}" staticdl_add_hybrid_host)
  target_link_libraries(${target} PRIVATE staticdl::hybrid)
  target_link_options(${target} PRIVATE -rdynamic)
endfunction()
