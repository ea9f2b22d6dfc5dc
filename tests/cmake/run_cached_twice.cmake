# cmake -DEXE=<program> -DARGS=<;-list> -DEXPECTED=<file> -DCACHE=<dir> [-DEMULATOR=<qemu>]
#       -P run_cached_twice.cmake
#
# The relocation cache (STATICDL_RELOC_CACHE, loader/reloc_cache.h) on a
# whole test program: CACHE is emptied (mode 0700), then EXE runs twice
# with it and STATICDL_DEBUG=libs. Both runs must exit 0 with stdout equal
# to EXPECTED; the first must store cache files and the second must map
# every object from them (it stores none and finds no entry invalid).
foreach(v EXE EXPECTED CACHE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_cached_twice.cmake: ${v} not set")
  endif()
endforeach()
file(REMOVE_RECURSE "${CACHE}")
file(MAKE_DIRECTORY "${CACHE}")
file(CHMOD "${CACHE}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
file(READ "${EXPECTED}" expected)

foreach(run first second)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env "STATICDL_RELOC_CACHE=${CACHE}" STATICDL_DEBUG=libs ${EMULATOR} "${EXE}" ${ARGS}
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    RESULT_VARIABLE rc
    TIMEOUT 300)
  string(REGEX MATCHALL "relocation cache: stored [^\n]*" stored "${err}")
  string(REGEX MATCHALL "relocation cache: no valid entry [^\n]*" missed "${err}")
  list(LENGTH stored nstored)
  set(problem "")
  if(NOT rc STREQUAL "0")
    set(problem "exit status ${rc}")
  elseif(NOT out STREQUAL expected)
    set(problem "stdout differs from ${EXPECTED}:\n--- expected\n${expected}--- actual\n${out}")
  elseif(run STREQUAL "first" AND nstored EQUAL 0)
    set(problem "no cache file stored")
  elseif(run STREQUAL "second" AND (stored OR missed))
    set(problem "not every object came from the cache: ${stored} ${missed}")
  endif()
  if(problem)
    string(REGEX REPLACE "staticdl: [^\n]*\n" "" rest "${err}")
    message(FATAL_ERROR "FAILED (${run} run): ${problem}\nstderr (without the STATICDL_DEBUG lines):\n${rest}")
  endif()
  message("ok: ${run} run (${nstored} cache files stored)")
endforeach()
