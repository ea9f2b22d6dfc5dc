# cmake -DEXE=<program> -DARGS=<;-list> -DEXPECTED=<file> [-DACTUAL=<file>] [-DEMULATOR=<qemu>]
#       -P run_compare.cmake
#
# Runs EXE with ARGS, and fails unless it exits with 0 and its stdout equals
# EXPECTED byte for byte. On a mismatch prints a unified diff (expected vs
# actual), the exit status and stderr. EMULATOR (a cross build's
# CMAKE_CROSSCOMPILING_EMULATOR) runs EXE when set.
foreach(v EXE EXPECTED)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_compare.cmake: ${v} not set")
  endif()
endforeach()
if(NOT ACTUAL)
  get_filename_component(_name "${EXE}" NAME)
  set(ACTUAL "${CMAKE_CURRENT_BINARY_DIR}/${_name}.actual")
endif()

execute_process(
  COMMAND ${EMULATOR} "${EXE}" ${ARGS}
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
