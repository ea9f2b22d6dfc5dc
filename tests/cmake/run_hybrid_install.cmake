# The hybrid install test (label install, in a STATICDL_HYBRID build):
#   cmake -DBUILD_DIR=<build> -DWORK=<scratch dir> -DCC=<gcc> -DCONSUMER_SRC=<project dir>
#         -DPLUGIN=<libhy_ldpath.so> -DGENERATOR=<generator> -P run_hybrid_install.cmake
#
#   1. cmake --install <build> --prefix <WORK>/prefix, and check the layout;
#   2. <CC> host.c $(pkg-config --cflags --libs staticdl-hybrid), run it on PLUGIN;
#   3. configure and build the find_package(staticdl_hybrid) project, run it.
# Each program must print "hy_ldpath_value() = 7".
foreach(v BUILD_DIR WORK CC CONSUMER_SRC PLUGIN)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "run_hybrid_install.cmake: ${v} not set")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
set(expected "hy_ldpath_value() = 7\n")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAILED (${what}): ${cmd}\nexit status: ${rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

function(check what exe)
  execute_process(COMMAND "${exe}" "${PLUGIN}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc STREQUAL "0" OR NOT out STREQUAL expected)
    message(FATAL_ERROR "FAILED (${what}): ${exe} ${PLUGIN}\nexit status: ${rc}\n"
                        "--- expected\n${expected}--- actual\n${out}--- stderr\n${err}")
  endif()
  message("ok: ${what}")
endfunction()

set(prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
file(GLOB pcfiles "${prefix}/lib*/pkgconfig/staticdl-hybrid.pc")
file(GLOB libs "${prefix}/lib*/libstaticdl_hybrid.a")
file(GLOB configs "${prefix}/lib*/cmake/staticdl_hybrid/staticdl_hybridConfig.cmake")
set(missing "")
foreach(f pcfiles libs configs)
  if(NOT ${f})
    list(APPEND missing ${f})
  endif()
endforeach()
if(NOT EXISTS "${prefix}/include/staticdl/staticdl.h")
  list(APPEND missing include/staticdl/staticdl.h)
endif()
if(missing)
  file(GLOB_RECURSE all RELATIVE "${prefix}" "${prefix}/*")
  message(FATAL_ERROR "FAILED (install layout): missing ${missing}\ninstalled:\n${all}")
endif()
message("ok: installed into ${prefix}")

find_program(PKG_CONFIG pkg-config)
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "FAILED: no pkg-config")
endif()
get_filename_component(pcdir "${pcfiles}" DIRECTORY)
run("pkg-config" "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pcdir}" "${PKG_CONFIG}" --cflags --libs staticdl-hybrid)
string(STRIP "${run_out}" pcflags)
separate_arguments(pcflags UNIX_COMMAND "${pcflags}")
run("cc via pkg-config" "${CC}" "${CONSUMER_SRC}/host.c" -o "${WORK}/host_pc" ${pcflags})
check("pkg-config" "${WORK}/host_pc")

run("configure consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_SRC}" -B "${WORK}/consumer" -G "${GENERATOR}"
    "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_PREFIX_PATH=${prefix}")
run("build consumer" "${CMAKE_COMMAND}" --build "${WORK}/consumer")
check("find_package(staticdl_hybrid)" "${WORK}/consumer/consumer")
