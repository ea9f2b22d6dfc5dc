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
foreach(v BUILD_DIR WORK ZIG ZIG_TARGET TOOLCHAIN HOST_SRC CONSUMER_SRC PLUGIN EXPECTED)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "run_install.cmake: ${v} not set")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAILED (${what}): ${cmd}\nexit status: ${rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

function(compare what exe)
  execute_process(COMMAND ${EMULATOR} "${exe}" "${PLUGIN}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 60)
  file(READ "${EXPECTED}" expected)
  if(NOT rc STREQUAL "0" OR NOT out STREQUAL expected)
    message(FATAL_ERROR "FAILED (${what}): ${exe} ${PLUGIN}\nexit status: ${rc}\n"
                        "--- expected\n${expected}--- actual\n${out}--- stderr\n${err}")
  endif()
  message("ok: ${what}")
endfunction()

set(prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# 1. Install.
run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
file(GLOB pcfiles "${prefix}/lib*/pkgconfig/staticdl.pc")
file(GLOB libs "${prefix}/lib*/libstaticdl.a")
file(GLOB configs "${prefix}/lib*/cmake/staticdl/staticdlConfig.cmake")
file(GLOB keep "${prefix}/lib*/staticdl-keep-libc.ld")
set(missing "")
foreach(f pcfiles libs configs keep)
  if(NOT ${f})
    list(APPEND missing ${f})
  endif()
endforeach()
foreach(f include/staticdl/staticdl.h include/staticdl/staticdl.hpp)
  if(NOT EXISTS "${prefix}/${f}")
    list(APPEND missing ${f})
  endif()
endforeach()
if(missing)
  file(GLOB_RECURSE all RELATIVE "${prefix}" "${prefix}/*")
  message(FATAL_ERROR "FAILED (install layout): missing ${missing}\ninstalled:\n${all}")
endif()
message("ok: installed into ${prefix}")

# 2. pkg-config + zig cc.
find_program(PKG_CONFIG pkg-config)
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "FAILED: no pkg-config")
endif()
get_filename_component(pcdir "${pcfiles}" DIRECTORY)
run("pkg-config" "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pcdir}"
    "${PKG_CONFIG}" --cflags --libs --static staticdl)
string(STRIP "${run_out}" pcflags)
message("pkg-config --cflags --libs --static staticdl: ${pcflags}")
separate_arguments(pcflags UNIX_COMMAND "${pcflags}")
set(env "${CMAKE_COMMAND}" -E env)
if(ZIG_CACHE)
  list(APPEND env "ZIG_GLOBAL_CACHE_DIR=${ZIG_CACHE}")
endif()
run("zig cc with pkg-config flags" ${env} "${ZIG}" cc -target "${ZIG_TARGET}" -static "${HOST_SRC}"
    ${pcflags} -o "${WORK}/unmodified_host")
compare("pkg-config host" "${WORK}/unmodified_host")

# 3. find_package(staticdl).
run("configure consumer" ${env} "${CMAKE_COMMAND}" -S "${CONSUMER_SRC}" -B "${WORK}/consumer" -G "${GENERATOR}"
    "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DUNMODIFIED_HOST_SOURCE=${HOST_SRC}")
run("build consumer" ${env} "${CMAKE_COMMAND}" --build "${WORK}/consumer")
compare("find_package host" "${WORK}/consumer/consumer")
