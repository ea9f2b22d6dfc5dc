# cmake -DEXE=<program> -DARGS=<;-list> -DEXPECTED=<file> -DDEBUG=<value>
#       -DPATTERNS=<;-list of regexes> [-DABSENT=<;-list of regexes>] [-DEMULATOR=<qemu>]
#       -P run_debug_trace.cmake
#
# Runs EXE with STATICDL_DEBUG=DEBUG (unset when DEBUG is empty). Fails
# unless it exits with 0, its stdout equals EXPECTED (when given), every
# PATTERNS regex matches a line of its stderr, and no ABSENT regex does.
foreach(v EXE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_debug_trace.cmake: ${v} not set")
  endif()
endforeach()

string(REPLACE "@@" ";" PATTERNS "${PATTERNS}")
string(REPLACE "@@" ";" ABSENT "${ABSENT}")
if(DEBUG STREQUAL "")
  set(env_cmd "${CMAKE_COMMAND}" -E env --unset=STATICDL_DEBUG)
else()
  set(env_cmd "${CMAKE_COMMAND}" -E env "STATICDL_DEBUG=${DEBUG}")
endif()
execute_process(
  COMMAND ${env_cmd} ${EMULATOR} "${EXE}" ${ARGS}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 120)

set(failed FALSE)
if(NOT rc STREQUAL "0")
  set(failed TRUE)
  message("exit status: ${rc}")
endif()
if(EXPECTED)
  file(READ "${EXPECTED}" expected)
  if(NOT out STREQUAL expected)
    set(failed TRUE)
    message("stdout differs from ${EXPECTED}:\n--- expected\n${expected}--- actual\n${out}")
  endif()
endif()
# Brackets and semicolons would confuse CMake's list splitting.
string(REPLACE "[" "<" lines "${err}")
string(REPLACE "]" ">" lines "${lines}")
string(REPLACE ";" "," lines "${lines}")
string(REPLACE "\n" ";" lines "${lines}")
foreach(p IN LISTS PATTERNS)
  set(hit FALSE)
  foreach(l IN LISTS lines)
    if(l MATCHES "${p}")
      set(hit TRUE)
      break()
    endif()
  endforeach()
  if(NOT hit)
    set(failed TRUE)
    message("stderr has no line matching: ${p}")
  endif()
endforeach()
foreach(p IN LISTS ABSENT)
  foreach(l IN LISTS lines)
    if(l MATCHES "${p}")
      set(failed TRUE)
      message("stderr has an unexpected line matching ${p}: ${l}")
    endif()
  endforeach()
endforeach()
if(failed)
  message("stderr:\n${err}")
  message(FATAL_ERROR "FAILED: STATICDL_DEBUG=${DEBUG} ${EXE} ${ARGS}")
endif()
message("ok: STATICDL_DEBUG=${DEBUG}")
