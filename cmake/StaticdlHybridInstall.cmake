# Install layout of a hybrid build (-DSTATICDL_HYBRID=ON):
#   lib/libstaticdl_hybrid.a
#   include/staticdl/
#   lib/pkgconfig/staticdl-hybrid.pc
#   lib/cmake/staticdl_hybrid/          find_package(staticdl_hybrid): staticdl::hybrid,
#                                       staticdl_add_hybrid_host()
# It does not collide with a static build's install (libstaticdl.a,
# staticdl.pc, find_package(staticdl)) in the same prefix.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(STATICDL_HYBRID_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/staticdl_hybrid"
    CACHE STRING "Where staticdl_hybridConfig.cmake is installed")

install(TARGETS staticdl EXPORT staticdlHybridTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/staticdl"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT staticdlHybridTargets
  NAMESPACE staticdl::
  FILE staticdl_hybridTargets.cmake
  DESTINATION "${STATICDL_HYBRID_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/staticdl_hybridConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/staticdl_hybridConfig.cmake"
  INSTALL_DESTINATION "${STATICDL_HYBRID_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/staticdl_hybridConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/staticdl_hybridConfig.cmake"
  "${PROJECT_BINARY_DIR}/staticdl_hybridConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StaticdlHost.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/StaticdlHybrid.cmake"
  "${PROJECT_SOURCE_DIR}/runtime/tls_reserve.c"
  DESTINATION "${STATICDL_HYBRID_INSTALL_CMAKEDIR}")

# pkg-config: gcc host.c $(pkg-config --cflags --libs staticdl-hybrid)
set(STATICDL_PC_ZSTD "")
if(STATICDL_ZSTD_LIB)
  set(STATICDL_PC_ZSTD " ${STATICDL_ZSTD_LIB}")  # zstd-packed plugins (loader/zstd_input.cpp)
endif()
file(RELATIVE_PATH STATICDL_PC_PREFIX_FROM_PCDIR "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" STATICDL_PC_PREFIX_FROM_PCDIR "${STATICDL_PC_PREFIX_FROM_PCDIR}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/staticdl-hybrid.pc.in"
               "${PROJECT_BINARY_DIR}/staticdl-hybrid.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/staticdl-hybrid.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
