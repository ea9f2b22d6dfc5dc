# The install test (label install):
#   cmake -DBUILD_DIR=<build> -DWORK=<scratch dir> -DZIG=<zig> -DZIG_TARGET=<triple>
#         -DZIG_CACHE=<dir> -DTOOLCHAIN=<toolchain file> -DGENERATOR=<generator>
#         -DHOST_SRC=<unmodified_host.c> -DCONSUMER_SRC=<consumer project dir>
#         -DPLUGIN=<libbasic.so> -DEXPECTED=<unmodified_host.expected>
#         [-DEMULATOR=<qemu-user, for a cross build's programs>]
#         -P run_install.cmake
#
#   1. cmake --install <build> --prefix <WORK>/prefix, and check the layout;
#   2. zig cc -target <triple> -static unmodified_host.c $(pkg-config --cflags
#      --libs --static staticdl) with PKG_CONFIG_PATH=<prefix>/lib*/pkgconfig,
#      run it on PLUGIN and compare stdout with EXPECTED;
#   3. configure and build a find_package(staticdl) project with the same
#      toolchain file, run it likewise.
include("${CMAKE_CURRENT_LIST_DIR}/install_common.cmake")
require_vars(run_install.cmake BUILD_DIR WORK ZIG ZIG_TARGET TOOLCHAIN HOST_SRC CONSUMER_SRC PLUGIN EXPECTED)
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
file(READ "${EXPECTED}" expected)
set(prefix "${WORK}/prefix")

# 1. Install.
install_into("${prefix}"
  GLOBS "lib*/pkgconfig/staticdl.pc" "lib*/libstaticdl.a" "lib*/cmake/staticdl/staticdlConfig.cmake"
        "lib*/staticdl-keep-libc.ld"
  FILES include/staticdl/staticdl.h include/staticdl/staticdl.hpp)

# 2. pkg-config + zig cc.
pkg_config_flags("${installed_pc}" pcflags --cflags --libs --static staticdl)
set(env "${CMAKE_COMMAND}" -E env)
if(ZIG_CACHE)
  list(APPEND env "ZIG_GLOBAL_CACHE_DIR=${ZIG_CACHE}")
endif()
run("zig cc with pkg-config flags" ${env} "${ZIG}" cc -target "${ZIG_TARGET}" -static "${HOST_SRC}"
    ${pcflags} -o "${WORK}/unmodified_host")
compare("pkg-config host" "${WORK}/unmodified_host" "${expected}")

# 3. find_package(staticdl).
run("configure consumer" ${env} "${CMAKE_COMMAND}" -S "${CONSUMER_SRC}" -B "${WORK}/consumer" -G "${GENERATOR}"
    "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DUNMODIFIED_HOST_SOURCE=${HOST_SRC}")
run("build consumer" ${env} "${CMAKE_COMMAND}" --build "${WORK}/consumer")
compare("find_package host" "${WORK}/consumer/consumer" "${expected}")
