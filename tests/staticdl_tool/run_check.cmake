# One `staticdl check` prediction against the real dlopen in a host.
#   cmake -DTOOL=<staticdl> -DHOST=<probe host> -DPLUGIN=<.so or .so.zst>
#         -DEXPECT=<LOADS | problem kind> [-DLDIRS=<dir|dir...>] [-DEMULATOR=<qemu>]
#         [-DPLAIN=<.so>] -P run_check.cmake
# Runs `staticdl check --json --host HOST PLUGIN [-L dir]...` and
# `HOST PLUGIN` (which prints LOADED or FAILED: <dlerror>) with
# STATICDL_LIBRARY_PATH = the -L dirs, and fails unless
#   - the exit status (0/1) and "loads" agree,
#   - the prediction matches what the host did,
#   - EXPECT is LOADS and it loads, or EXPECT is the kind of a reported problem.
# PLAIN: PLUGIN is PLAIN compressed; the host must do the same with both
# (same result, same dlerror text but for the file name).
cmake_minimum_required(VERSION 3.20)
string(REPLACE "|" ";" ldirs "${LDIRS}")
set(largs "")
foreach(d IN LISTS ldirs)
  list(APPEND largs -L "${d}")
endforeach()
string(REPLACE ";" ":" envpath "${ldirs}")

execute_process(COMMAND "${TOOL}" check --json --host "${HOST}" "${PLUGIN}" ${largs}
                RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
execute_process(COMMAND "${TOOL}" check --host "${HOST}" "${PLUGIN}" ${largs} OUTPUT_VARIABLE text)
message("staticdl check:\n${text}${err}")
if(NOT rc MATCHES "^[01]$")
  message(FATAL_ERROR "staticdl check exited with '${rc}'")
endif()
string(JSON loads GET "${json}" plugins 0 loads)
string(JSON nprob LENGTH "${json}" plugins 0 problems)
set(kinds "")
if(nprob GREATER 0)
  math(EXPR last "${nprob} - 1")
  foreach(i RANGE ${last})
    string(JSON k GET "${json}" plugins 0 problems ${i} kind)
    list(APPEND kinds "${k}")
  endforeach()
endif()

function(run_host plugin outvar)
  if(ldirs)
    set(ENV{STATICDL_LIBRARY_PATH} "${envpath}")
  else()
    unset(ENV{STATICDL_LIBRARY_PATH})
  endif()
  unset(ENV{STATICDL_DEBUG})
  execute_process(COMMAND ${EMULATOR} "${HOST}" "${plugin}" RESULT_VARIABLE hrc OUTPUT_VARIABLE out
                  ERROR_VARIABLE herr OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT hrc EQUAL 0)
    message(FATAL_ERROR "host ${HOST} ${plugin} exited with ${hrc}: ${out}\n${herr}")
  endif()
  set(${outvar} "${out}" PARENT_SCOPE)
endfunction()
run_host("${PLUGIN}" actual)
message("host: ${actual}")

set(fail "")
if(loads AND NOT rc EQUAL 0 OR NOT loads AND NOT rc EQUAL 1)
  string(APPEND fail "exit status ${rc} disagrees with \"loads\": ${loads}\n")
endif()
# A plugin's initializers and finalizers may print around the host's line.
if(loads AND NOT actual MATCHES "(^|\n)LOADED(\n|$)")
  string(APPEND fail "predicted to load, but the host says: ${actual}\n")
elseif(NOT loads AND NOT actual MATCHES "^FAILED: ")
  string(APPEND fail "predicted not to load (${kinds}), but the host says: ${actual}\n")
endif()
if(EXPECT STREQUAL "LOADS")
  if(NOT loads)
    string(APPEND fail "expected to load; problems: ${kinds}\n")
  endif()
elseif(NOT EXPECT IN_LIST kinds)
  string(APPEND fail "expected a problem of kind '${EXPECT}', got: '${kinds}'\n")
endif()

if(PLAIN)
  run_host("${PLAIN}" plain_actual)
  message("host, uncompressed ${PLAIN}: ${plain_actual}")
  string(REPLACE "${PLUGIN}" "<plugin>" a "${actual}")
  string(REPLACE "${PLAIN}" "<plugin>" b "${plain_actual}")
  get_filename_component(zname "${PLUGIN}" NAME)
  get_filename_component(pname "${PLAIN}" NAME)
  string(REPLACE "${zname}" "<plugin>" a "${a}")
  string(REPLACE "${pname}" "<plugin>" b "${b}")
  if(NOT a STREQUAL b)
    string(APPEND fail "the compressed and the plain plugin differ:\n  ${actual}\n  ${plain_actual}\n")
  endif()
endif()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message("OK: ${EXPECT}")
