# The hybrid install test (label install, in a STATICDL_HYBRID build):
#   cmake -DBUILD_DIR=<build> -DWORK=<scratch dir> -DCC=<gcc> -DCONSUMER_SRC=<project dir>
#         -DPLUGIN=<libhy_ldpath.so> -DGENERATOR=<generator> -P run_hybrid_install.cmake
#
#   1. cmake --install <build> --prefix <WORK>/prefix, and check the layout;
#   2. <CC> host.c $(pkg-config --cflags --libs staticdl-hybrid), run it on PLUGIN;
#   3. configure and build the find_package(staticdl_hybrid) project, run it.
# Each program must print "hy_ldpath_value() = 7".
include("${CMAKE_CURRENT_LIST_DIR}/install_common.cmake")
require_vars(run_hybrid_install.cmake BUILD_DIR WORK CC CONSUMER_SRC PLUGIN)
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
set(expected "hy_ldpath_value() = 7\n")
set(prefix "${WORK}/prefix")

install_into("${prefix}"
  GLOBS "lib*/pkgconfig/staticdl-hybrid.pc" "lib*/libstaticdl_hybrid.a"
        "lib*/cmake/staticdl_hybrid/staticdl_hybridConfig.cmake"
  FILES include/staticdl/staticdl.h)

pkg_config_flags("${installed_pc}" pcflags --cflags --libs staticdl-hybrid)
run("cc via pkg-config" "${CC}" "${CONSUMER_SRC}/host.c" -o "${WORK}/host_pc" ${pcflags})
compare("pkg-config" "${WORK}/host_pc" "${expected}")

run("configure consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_SRC}" -B "${WORK}/consumer" -G "${GENERATOR}"
    "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_PREFIX_PATH=${prefix}")
run("build consumer" "${CMAKE_COMMAND}" --build "${WORK}/consumer")
compare("find_package(staticdl_hybrid)" "${WORK}/consumer/consumer" "${expected}")
