# Loaded through CMAKE_USER_MAKE_RULES_OVERRIDE (see toolchain-common.cmake)
# after CMake has probed each compiler. CMake records zig's libc.a, libc++.a,
# libc++abi.a, ... as "implicit link libraries" by their paths inside the
# zig cache and then writes them into mixed-language link lines: a C host
# linking the (C++-compiled) libstaticdl.a would get libc++ and a
# dependency on cache paths that change. zig's driver adds what it needs
# by itself, so forget them.
foreach(_staticdl_lang C CXX ASM)
  set(CMAKE_${_staticdl_lang}_IMPLICIT_LINK_LIBRARIES "")
  set(CMAKE_${_staticdl_lang}_IMPLICIT_LINK_DIRECTORIES "")
endforeach()
unset(_staticdl_lang)
