// glibc-hwcaps: builds of a library for newer CPUs, chosen as ld.so
// chooses them (hybrid mode; search.h and ldcache.h use this).
//
// Since glibc 2.33 ld.so prefers, for each directory it searches
// (LD_LIBRARY_PATH, RPATH, RUNPATH, its defaults), DIR/glibc-hwcaps/<name>/
// for each subdirectory name the CPU supports, the most capable first,
// before DIR itself; and ldconfig lists the libraries of such
// subdirectories in ld.so.cache, marked with the name, where ld.so takes
// the most preferred entry the CPU supports over the plain one. On x86_64
// the names are the psABI levels x86-64-v4, x86-64-v3 and x86-64-v2
// (glibc 2.36, sysdeps/x86/get-isa-level.h: v2 needs CMPXCHG16B, LAHF/SAHF
// in 64-bit mode, POPCNT, SSE3, SSSE3, SSE4.1 and SSE4.2; v3 adds AVX,
// AVX2, F16C, FMA, LZCNT and MOVBE; v4 AVX-512 F, BW, CD, DQ and VL), each
// feature as glibc sees it (usable, after GLIBC_TUNABLES): the hybrid
// runtime asks glibc (<sys/platform/x86.h>). glibc 2.36 has no names for
// the other architectures staticdl supports.
//
// Not done: the legacy subdirectories glibc 2.36 still tries after the
// glibc-hwcaps ones (tls/, and the AT_PLATFORM and AT_HWCAP names such as
// x86_64/; deprecated in 2.33 and removed in glibc 2.37), and ld.so's
// --glibc-hwcaps-prepend/--glibc-hwcaps-mask, which exist only when ld.so
// is run as a command.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace staticdl {

struct Hwcaps {
  // The subdirectory names the CPU supports, most preferred first,
  // nullptr-terminated (an empty list: none).
  const char* const* subdirs = nullptr;
  // The x86 ISA levels the CPU supports as GNU_PROPERTY_X86_ISA_1_* bits
  // (baseline 1, v2 2, v3 4, v4 8); ldconfig records in each cache entry
  // the level its library needs. 0 elsewhere.
  uint32_t isa_1 = 0;
};

// The preference of subdirectory `name` (`len` bytes, not NUL-terminated):
// 1 for subdirs[0], 2 for subdirs[1], ...; 0 when it is not one of them.
uint32_t hwcaps_priority(const Hwcaps& hw, const char* name, size_t len);

// Whether DIR/glibc-hwcaps is a directory. Asked of the file system once
// per directory and process, as ld.so remembers which of its search
// directories exist (a directory made later is not seen). Under the
// loader lock.
bool hwcaps_root_exists(const char* dir);

// Tests: forget what hwcaps_root_exists() learned.
void hwcaps_forget_dirs();

}  // namespace staticdl
