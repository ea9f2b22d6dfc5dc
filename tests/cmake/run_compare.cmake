# cmake -DEXE=<program> -DARGS=<;-list> -DEXPECTED=<file> [-DACTUAL=<file>] [-DEMULATOR=<qemu>]
#       [-DSETUID=TRUE] -P run_compare.cmake
#
# Runs EXE with ARGS, and fails unless it exits with 0 and its stdout equals
# EXPECTED byte for byte. On a mismatch prints a unified diff (expected vs
# actual), the exit status and stderr. EMULATOR (a cross build's
# CMAKE_CROSSCOMPILING_EMULATOR) runs EXE when set.
#
# SETUID: runs a setuid-root copy of EXE (next to ACTUAL) as user and group
# 65534 with setpriv, so that the kernel sets AT_SECURE; with an EMULATOR,
# a setuid-root copy of the emulator runs EXE (qemu-user passes its own
# AT_SECURE on to the program). Where that cannot be arranged (not root,
# no setpriv) prints "SKIPPED: <why>" and stops: the test's
# SKIP_REGULAR_EXPRESSION.
foreach(v EXE EXPECTED)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_compare.cmake: ${v} not set")
  endif()
endforeach()
if(NOT ACTUAL)
  get_filename_component(_name "${EXE}" NAME)
  set(ACTUAL "${CMAKE_CURRENT_BINARY_DIR}/${_name}.actual")
endif()

set(run ${EMULATOR} "${EXE}")
if(SETUID)
  execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  find_program(SETPRIV setpriv)
  set(why "")
  if(NOT uid STREQUAL "0")
    set(why "not running as root (uid ${uid}): no setuid-root copy can be made")
  elseif(NOT SETPRIV)
    set(why "setpriv (util-linux) not found")
  endif()
  if(why)
    message("SKIPPED: ${why}")
    return()
  endif()
  set(exec_file "${EXE}")  # the file exec'd, which gets the setuid bit
  if(EMULATOR)
    find_program(emulator_file NAMES "${EMULATOR}" NO_CACHE REQUIRED)  # a bare name: the file on PATH
    set(exec_file "${emulator_file}")
  endif()
  get_filename_component(_name "${exec_file}" NAME)
  set(copy_dir "${ACTUAL}.setuid")
  file(REMOVE_RECURSE "${copy_dir}")
  file(COPY "${exec_file}" DESTINATION "${copy_dir}"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE
                        SETUID)
  set(run "${SETPRIV}" --reuid=65534 --regid=65534 --clear-groups "${copy_dir}/${_name}")
  if(EMULATOR)
    list(APPEND run "${EXE}")
  endif()
endif()

execute_process(
  COMMAND ${run} ${ARGS}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 120)
file(WRITE "${ACTUAL}" "${out}")
file(READ "${EXPECTED}" expected)

set(failed FALSE)
if(NOT out STREQUAL expected)
  set(failed TRUE)
  message("stdout differs from ${EXPECTED}:")
  find_program(DIFF diff)
  if(DIFF)
    execute_process(COMMAND "${DIFF}" -u --label expected --label actual "${EXPECTED}" "${ACTUAL}"
                    OUTPUT_VARIABLE d)
    message("${d}")
  else()
    message("--- expected\n${expected}--- actual\n${out}")
  endif()
endif()
if(NOT rc STREQUAL "0")
  set(failed TRUE)
  message("exit status: ${rc}")
endif()
if(failed)
  if(err)
    message("stderr:\n${err}")
  endif()
  message(FATAL_ERROR "FAILED: ${EXE} ${ARGS}")
endif()
message("ok: output matches ${EXPECTED}")
