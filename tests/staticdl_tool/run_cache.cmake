# staticdl cache list|prune on a relocation cache the loader wrote:
#   cmake -DTOOL=<staticdl> -DHOST=<probe host> -DPLUGIN=<.so> -DWORK=<dir> [-DEMULATOR=<qemu>] -P run_cache.cmake
# Two copies of PLUGIN (libx.so loaded through a symbolic link, liby.so)
# are loaded with STATICDL_RELOC_CACHE set: both entries are "valid" and
# record the libraries' real paths. Then libx.so is deleted and liby.so
# replaced (a new inode at the same path), and the directory gets a
# temporary file of a dead writer, one of a live writer (pid 1), a file of
# an older cache format, a damaged file and a file that is no cache at all.
# prune removes gone, stale, the dead temporary file, old-format and
# damaged, and keeps the rest; the replaced liby.so then caches again, and
# prune --all empties the cache but for the foreign file.
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${WORK}")
set(cache "${WORK}/cache")
set(lib "${WORK}/lib")
file(MAKE_DIRECTORY "${cache}" "${lib}")
execute_process(COMMAND chmod 700 "${cache}")
file(COPY_FILE "${PLUGIN}" "${lib}/libx.so")
file(COPY_FILE "${PLUGIN}" "${lib}/liby.so")
file(CREATE_LINK "libx.so" "${lib}/liblink.so" SYMBOLIC)

function(load so)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env "STATICDL_RELOC_CACHE=${cache}" ${EMULATOR} "${HOST}" "${so}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "LOADED")
    message(FATAL_ERROR "${so} did not load (${rc}): ${out}${err}")
  endif()
endfunction()

function(tool out_var)
  execute_process(COMMAND "${TOOL}" cache ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " args "${ARGN}")
  message("$ staticdl cache ${args}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "staticdl cache ${ARGN} failed (${rc})")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# expect(<output> <state> <library or -> <count>): lines of that state and library.
function(expect out state library count)
  string(REGEX MATCHALL "(^|\n)${state} +[0-9]+ KiB  [^ \n]+  ${library}(\n|$)" hits "${out}")
  list(LENGTH hits n)
  if(NOT n EQUAL count)
    message(FATAL_ERROR "expected ${count} '${state}' entries for ${library}, found ${n}")
  endif()
endfunction()

load("${lib}/liblink.so")
load("${lib}/liby.so")
tool(out list "${cache}")
expect("${out}" valid "${lib}/libx.so" 1)  # the link resolved
expect("${out}" valid "${lib}/liby.so" 1)

file(REMOVE "${lib}/libx.so" "${lib}/liblink.so")
file(COPY_FILE "${PLUGIN}" "${lib}/liby.so.new")
file(RENAME "${lib}/liby.so.new" "${lib}/liby.so")
file(TOUCH "${cache}/.1-2.sdlrc.999999999.tmp" "${cache}/.3-4.sdlrc.1.tmp" "${cache}/notes.txt")
file(WRITE "${cache}/5-6.sdlrc" "not a cache file")
execute_process(COMMAND sh -c "printf 'sdlrelc\\n\\001\\000\\000\\000' > '${cache}/7-8.sdlrc'")
# A current-format header (version 2, page 4096, no data pages) whose path
# length is 2^64 - 1, in a file of the size that header claims: damaged.
execute_process(COMMAND sh -c "printf 'sdlrelc\\n\\002\\000\\000\\000\\000\\000\\000\\000\\000\\020\\000\\000\\000\\000\\000\\000' > '${cache}/9-a.sdlrc' && head -c 72 /dev/zero >> '${cache}/9-a.sdlrc' && printf '\\377\\377\\377\\377\\377\\377\\377\\377' >> '${cache}/9-a.sdlrc' && truncate -s 4096 '${cache}/9-a.sdlrc'")
tool(out list "${cache}")
expect("${out}" gone "${lib}/libx.so" 1)
expect("${out}" stale "${lib}/liby.so" 1)
expect("${out}" temp - 1)
expect("${out}" writing - 1)
expect("${out}" damaged - 2)
expect("${out}" old-format - 1)

tool(out prune "${cache}")
if(NOT out MATCHES "\n6 removed [^\n]*, 1 kept ")
  message(FATAL_ERROR "prune should remove 6 files and keep the live writer's")
endif()
file(GLOB left RELATIVE "${cache}" "${cache}/*" "${cache}/.*")
list(SORT left)
if(NOT left STREQUAL ".3-4.sdlrc.1.tmp;notes.txt")
  message(FATAL_ERROR "left after prune: ${left}")
endif()

load("${lib}/liby.so")
tool(out list "${cache}")
expect("${out}" valid "${lib}/liby.so" 1)
tool(out prune "${cache}")
if(NOT out MATCHES "(^|\n)0 removed ")
  message(FATAL_ERROR "prune removed a valid entry")
endif()

tool(out prune --all "${cache}")
file(GLOB left RELATIVE "${cache}" "${cache}/*" "${cache}/.*")
if(NOT left STREQUAL "notes.txt")
  message(FATAL_ERROR "left after prune --all: ${left}")
endif()
execute_process(COMMAND "${TOOL}" cache list RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "cache list without a directory: exit ${rc}, not 2")
endif()
message("cache housekeeping: ok")
