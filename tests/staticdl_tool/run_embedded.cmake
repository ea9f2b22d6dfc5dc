# A host with embedded plugins runs from a single file:
#   cmake -DEXE=<host> -DWORK=<dir> -DEXPECTED=<file> [-DEMULATOR=<qemu>] -P run_embedded.cmake
# EXE is copied alone into an empty directory and run there, with no
# library path set; its output must be EXPECTED.
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(name "${EXE}" NAME)
file(COPY "${EXE}" DESTINATION "${WORK}")
file(GLOB present "${WORK}/*")
list(LENGTH present n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "${WORK} holds more than the host: ${present}")
endif()
unset(ENV{STATICDL_LIBRARY_PATH})
unset(ENV{STATICDL_DEBUG})
execute_process(COMMAND ${EMULATOR} "./${name}" WORKING_DIRECTORY "${WORK}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ "${EXPECTED}" want)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT out STREQUAL want)
  message(FATAL_ERROR "exit ${rc}; expected:\n${want}")
endif()
message("OK")
