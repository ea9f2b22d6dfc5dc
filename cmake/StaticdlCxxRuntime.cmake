# Shared C++ runtime for staticdl hosts and plugins (runtime/cxxrt/).
# Used in this tree and installed with the package; needs
# cmake/StaticdlHost.cmake (staticdl_add_host, staticdl_add_plugin) and the
# zig toolchain (cmake/toolchain-*-linux-musl.cmake).
#
# staticdl_add_cxx_host(<target> [PIE] [NO_KEEP_LIBC])
#   staticdl_add_host(<target> ...) plus the one C++ runtime for the whole
#   process: links libstaticdl_cxxrt.a (staticdl::cxxrt) whole
#   (-Wl,--whole-archive) so every libc++/libc++abi/libunwind symbol is in
#   the host's .dynsym, and links with the C driver (`zig cc`) so zig does
#   not add its own hidden libc++. Exceptions, typeinfo, std::string etc.
#   are then the same objects in the host and in shared-runtime plugins.
#
# staticdl_add_cxx_plugin(<target> <sources>...)
#   staticdl_add_plugin(<target> ...) for a shared-runtime plugin: compiled
#   by `zig c++` (zig's libc++ headers), linked by `zig cc -shared`, so the
#   C++ runtime stays undefined and binds to the host's at dlopen. No
#   libc++/libunwind copy and no TLS in the plugin. Such a plugin loads only
#   into a staticdl_add_cxx_host() host; anywhere else dlopen fails with
#   "undefined symbol: __cxa_..." (or another runtime symbol).
#
# Both add -D_LIBCPP_TYPEINFO_COMPARISON_IMPLEMENTATION=2 (the runtime's
# type_info comparison: same address, else same mangled name), so that
# typeid() comparisons in user code agree with the runtime's catch and
# dynamic_cast matching. See runtime/cxxrt/CMakeLists.txt.
include_guard(GLOBAL)

set(STATICDL_CXXRT_DEFINITIONS _LIBCPP_TYPEINFO_COMPARISON_IMPLEMENTATION=2)

function(_staticdl_cxxrt_check fn)
  if(NOT COMMAND staticdl_add_host)
    include("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/StaticdlHost.cmake")
  endif()
endfunction()

function(staticdl_add_cxx_host target)
  _staticdl_cxxrt_check(staticdl_add_cxx_host)
  if(NOT TARGET staticdl::cxxrt)
    message(FATAL_ERROR "staticdl_add_cxx_host(${target}): no staticdl::cxxrt "
                        "(libstaticdl_cxxrt.a is built only with the zig toolchain and STATICDL_BUILD_CXXRT=ON)")
  endif()
  staticdl_add_host(${target} ${ARGN})
  # The C driver: `zig c++` would add zig's own (hidden) libc++/libc++abi.
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_compile_definitions(${target} PRIVATE ${STATICDL_CXXRT_DEFINITIONS})
  # The whole runtime, so plugins find what the host itself never uses.
  target_link_libraries(${target} PRIVATE
    "-Wl,--whole-archive" staticdl::cxxrt "-Wl,--no-whole-archive")
endfunction()

function(staticdl_add_cxx_plugin target)
  _staticdl_cxxrt_check(staticdl_add_cxx_plugin)
  staticdl_add_plugin(${target} ${ARGN})
  # `zig cc -shared`: no libc++/libc++abi/libunwind linked in; the runtime
  # references stay undefined and bind to the host's.
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_compile_definitions(${target} PRIVATE ${STATICDL_CXXRT_DEFINITIONS})
endfunction()
