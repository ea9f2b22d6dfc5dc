# Configures, builds and runs tests/native for one main-ctest test
# (robustness.asan, robustness.fault, robustness.tsan, robustness.fuzz_smoke).
#
#   cmake -DSRC=<tests/native> -DBIN=<build dir> -DSANITIZER=address|thread
#         -DLABEL=<native ctest label> -DCXX=<clang++> -DCC=<clang>
#         [-DGENERATOR=Ninja] [-DJOBS=2] -P run.cmake
#
# The native build has its own compiler (the system clang), so the main
# build's toolchain settings are kept out of its environment.
foreach(v SRC BIN SANITIZER LABEL CXX CC)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run.cmake: -D${v}= is required")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR "Ninja")
endif()
if(NOT JOBS)
  set(JOBS 2)
endif()
unset(ENV{CMAKE_TOOLCHAIN_FILE})
unset(ENV{CC})
unset(ENV{CXX})
unset(ENV{CFLAGS})
unset(ENV{CXXFLAGS})
unset(ENV{LDFLAGS})

string(TIMESTAMP t0 "%s")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SRC}" -B "${BIN}" -G "${GENERATOR}"
          "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_CXX_COMPILER=${CXX}" "-DSDL_NATIVE_SANITIZER=${SANITIZER}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "robustness (${LABEL}): configuring ${SRC} failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BIN}" -j ${JOBS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "robustness (${LABEL}): building ${BIN} failed")
endif()
string(TIMESTAMP t1 "%s")

execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${BIN}" -L "^${LABEL}$" -V --no-tests=error
                RESULT_VARIABLE rc)
string(TIMESTAMP t2 "%s")
math(EXPR build_s "${t1} - ${t0}")
math(EXPR test_s "${t2} - ${t1}")
if(rc EQUAL 0)
  message("robustness (${LABEL}, -fsanitize=${SANITIZER}): PASSED; configure+build ${build_s} s, tests ${test_s} s "
          "(${BIN})")
else()
  message(FATAL_ERROR "robustness (${LABEL}, -fsanitize=${SANITIZER}): FAILED; configure+build ${build_s} s, "
                      "tests ${test_s} s (${BIN}; crash inputs, if any, in ${BIN}/fuzz-crashes)")
endif()
