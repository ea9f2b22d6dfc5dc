# cmake -DREADELF=<readelf> -DDIR=<plugin dir> -DLIBS=<names;...> [-DARCH=x86_64|aarch64]
#       -P run_tls_relocs.cmake
#
# Checks that each TLS fixture (tests/fixtures/tls) uses the access model
# it is meant to test, from its dynamic relocations and DT_FLAGS:
#   tls_thr<k>  model k % 4 + 1: 1 general dynamic  DTPMOD64 + DTPOFF64
#                                2 local dynamic    DTPMOD64, no DTPOFF64
#                                3 descriptors      TLSDESC, no DTPMOD64
#                                4 initial exec     TPOFF64, STATIC_TLS
#   tls_ie      initial exec
#   tls_reopen  all of DTPMOD64, DTPOFF64, TLSDESC, TPOFF64, STATIC_TLS
# Prints one line per library; fails on the first mismatch.
#
# ARCH=aarch64 (the zig build): clang compiles general and local dynamic
# to descriptors as well (LLVM has no traditional aarch64 sequence), so
#   models 1-3  TLSDESC, no TLS_DTPMOD64/TLS_TPREL64/STATIC_TLS
#   model 4     TLS_TPREL64, STATIC_TLS, no TLSDESC
#   tls_reopen  TLSDESC, TLS_TPREL64, STATIC_TLS
set(failed FALSE)
foreach(lib IN LISTS LIBS)
  set(file "${DIR}/lib${lib}.so")
  execute_process(COMMAND "${READELF}" -W -r -d "${file}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message("${lib}: readelf failed (${rc})")
    set(failed TRUE)
    continue()
  endif()
  set(want "")
  set(not "")
  if(lib MATCHES "^tls_thr([0-9]+)$")
    math(EXPR m "${CMAKE_MATCH_1} % 4 + 1")
  elseif(lib STREQUAL "tls_ie")
    set(m 4)
  else()
    set(m 0)
  endif()
  if(ARCH STREQUAL "aarch64")
    if(m EQUAL 4)
      set(want R_AARCH64_TLS_TPREL64 STATIC_TLS)
      set(not R_AARCH64_TLS_DTPMOD64 R_AARCH64_TLSDESC)
    elseif(m EQUAL 0)
      set(want R_AARCH64_TLSDESC R_AARCH64_TLS_TPREL64 STATIC_TLS)
    else()
      set(want R_AARCH64_TLSDESC)
      set(not R_AARCH64_TLS_DTPMOD64 R_AARCH64_TLS_DTPREL64 R_AARCH64_TLS_TPREL64 STATIC_TLS)
    endif()
  elseif(m EQUAL 1)
    set(want R_X86_64_DTPMOD64 R_X86_64_DTPOFF64)
    set(not R_X86_64_TLSDESC R_X86_64_TPOFF64 STATIC_TLS)
  elseif(m EQUAL 2)
    set(want R_X86_64_DTPMOD64)
    set(not R_X86_64_DTPOFF64 R_X86_64_TLSDESC R_X86_64_TPOFF64 STATIC_TLS)
  elseif(m EQUAL 3)
    set(want R_X86_64_TLSDESC)
    set(not R_X86_64_DTPMOD64 R_X86_64_DTPOFF64 R_X86_64_TPOFF64 STATIC_TLS)
  elseif(m EQUAL 4)
    set(want R_X86_64_TPOFF64 STATIC_TLS)
    set(not R_X86_64_DTPMOD64 R_X86_64_TLSDESC)
  else()
    set(want R_X86_64_DTPMOD64 R_X86_64_DTPOFF64 R_X86_64_TLSDESC R_X86_64_TPOFF64 STATIC_TLS)
  endif()
  set(bad "")
  foreach(w IN LISTS want)
    if(NOT out MATCHES "${w}")
      list(APPEND bad "missing ${w}")
    endif()
  endforeach()
  foreach(n IN LISTS not)
    if(out MATCHES "${n}")
      list(APPEND bad "unexpected ${n}")
    endif()
  endforeach()
  if(bad)
    message("${lib}: ${bad}")
    set(failed TRUE)
  else()
    message("${lib}: ${want}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "TLS fixtures do not use the intended access models")
endif()
