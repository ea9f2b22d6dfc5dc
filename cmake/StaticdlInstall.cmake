# Install layout:
#   lib/libstaticdl.a
#   lib/libstaticdl_cxxrt.a             shared C++ runtime (runtime/cxxrt), zig builds only
#   lib/staticdl-keep-libc.ld           libc keep table (linker script)
#   include/staticdl/
#   lib/pkgconfig/staticdl.pc
#   lib/cmake/staticdl/                 find_package(staticdl): staticdl::staticdl,
#                                       staticdl_add_host(), staticdl_add_plugin(),
#                                       staticdl_embed_plugins()
#   bin/staticdl                        the staticdl command (check, exports, pack,
#                                       keep-table), when built (cmake/StaticdlTool.cmake)
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(STATICDL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/staticdl"
    CACHE STRING "Where staticdlConfig.cmake is installed")

install(TARGETS staticdl EXPORT staticdlTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
# lib/libstaticdl_cxxrt.a (staticdl::cxxrt): the shared C++ runtime, when built.
if(TARGET staticdl_cxxrt)
  install(TARGETS staticdl_cxxrt EXPORT staticdlTargets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
endif()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/staticdl"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT staticdlTargets
  NAMESPACE staticdl::
  DESTINATION "${STATICDL_INSTALL_CMAKEDIR}")

set(_sdl_keep_name "")
if(STATICDL_KEEP_LIBC_SCRIPT)
  set(_sdl_keep_name staticdl-keep-libc.ld)
  install(FILES "${STATICDL_KEEP_LIBC_SCRIPT}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")
endif()

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/staticdlConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/staticdlConfig.cmake"
  INSTALL_DESTINATION "${STATICDL_INSTALL_CMAKEDIR}"
  PATH_VARS CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/staticdlConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/staticdlConfig.cmake"
  "${PROJECT_BINARY_DIR}/staticdlConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StaticdlHost.cmake"
  "${PROJECT_SOURCE_DIR}/runtime/tls_reserve.c"
  "${PROJECT_SOURCE_DIR}/cmake/StaticdlCxxRuntime.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StaticdlEmbed.cmake"
  DESTINATION "${STATICDL_INSTALL_CMAKEDIR}")
if(STATICDL_TOOL)
  install(PROGRAMS "${STATICDL_TOOL}" DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

# pkg-config: Libs carries everything a static host needs, so
#   cc -static prog.c $(pkg-config --cflags --libs staticdl)
# links an unmodified <dlfcn.h> program into a host that exports libc.
if(_sdl_keep_name)
  set(STATICDL_PC_KEEP " \${libdir}/${_sdl_keep_name}")
else()
  set(STATICDL_PC_KEEP "")
endif()
if(STATICDL_ZSTD_LIB)
  string(APPEND STATICDL_PC_KEEP " ${STATICDL_ZSTD_LIB}")
endif()
file(RELATIVE_PATH STATICDL_PC_PREFIX_FROM_PCDIR
     "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" STATICDL_PC_PREFIX_FROM_PCDIR "${STATICDL_PC_PREFIX_FROM_PCDIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/staticdl.pc.in"
               "${PROJECT_BINARY_DIR}/staticdl.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/staticdl.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
