# Shared by the install tests (run_install.cmake: a static build;
# run_hybrid_install.cmake: a hybrid build). Included with -P scripts.

# Fails unless every named variable is set and not empty.
function(require_vars script)
  foreach(v ${ARGN})
    if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
      message(FATAL_ERROR "${script}: ${v} not set")
    endif()
  endforeach()
endfunction()

# run(<what> <command>...): fails with the command's output unless it exits
# 0; its stdout goes to run_out in the caller.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAILED (${what}): ${cmd}\nexit status: ${rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

# compare(<what> <exe> <expected text>): runs <exe> PLUGIN (under EMULATOR,
# if set) and compares its stdout.
function(compare what exe expected)
  execute_process(COMMAND ${EMULATOR} "${exe}" "${PLUGIN}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 60)
  if(NOT rc STREQUAL "0" OR NOT out STREQUAL expected)
    message(FATAL_ERROR "FAILED (${what}): ${exe} ${PLUGIN}\nexit status: ${rc}\n"
                        "--- expected\n${expected}--- actual\n${out}--- stderr\n${err}")
  endif()
  message("ok: ${what}")
endfunction()

# install_into(<prefix> GLOBS <pattern>... FILES <path>...): cmake --install
# BUILD_DIR into a fresh <prefix> (WORK is emptied first); every GLOB
# pattern (relative to <prefix>) must match and every FILE exist. Sets
# installed_pc in the caller to the match of the first pattern.
function(install_into prefix)
  cmake_parse_arguments(PARSE_ARGV 1 a "" "" "GLOBS;FILES")
  file(REMOVE_RECURSE "${WORK}")
  file(MAKE_DIRECTORY "${WORK}")
  run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
  set(missing "")
  set(first "")
  foreach(g ${a_GLOBS})
    file(GLOB found "${prefix}/${g}")
    if(NOT found)
      list(APPEND missing "${g}")
    elseif(NOT first)
      set(first "${found}")
    endif()
  endforeach()
  foreach(f ${a_FILES})
    if(NOT EXISTS "${prefix}/${f}")
      list(APPEND missing "${f}")
    endif()
  endforeach()
  if(missing)
    file(GLOB_RECURSE all RELATIVE "${prefix}" "${prefix}/*")
    message(FATAL_ERROR "FAILED (install layout): missing ${missing}\ninstalled:\n${all}")
  endif()
  message("ok: installed into ${prefix}")
  set(installed_pc "${first}" PARENT_SCOPE)
endfunction()

# pkg_config_flags(<.pc file> <out var> <pkg-config args>...): the flags,
# as a list, with PKG_CONFIG_PATH the .pc file's directory.
function(pkg_config_flags pcfile out)
  find_program(PKG_CONFIG pkg-config)
  if(NOT PKG_CONFIG)
    message(FATAL_ERROR "FAILED: no pkg-config")
  endif()
  get_filename_component(pcdir "${pcfile}" DIRECTORY)
  run("pkg-config" "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pcdir}" "${PKG_CONFIG}" ${ARGN})
  string(STRIP "${run_out}" flags)
  message("pkg-config ${ARGN}: ${flags}")
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()
