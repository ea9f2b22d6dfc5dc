// Hybrid mode: the glibc-hwcaps subdirectories ld.so prefers on this CPU
// (loader/hwcaps.h), from glibc's own view of the CPU.
//
// ld.so 2.36 derives them from its ISA level (sysdeps/x86/get-isa-level.h):
// the baseline needs CMOV, CX8, FPU, FXSR, MMX, SSE and SSE2; x86-64-v2
// adds CMPXCHG16B, LAHF64_SAHF64, POPCNT, SSE3, SSSE3, SSE4_1 and SSE4_2;
// x86-64-v3 adds AVX, AVX2, F16C, FMA, LZCNT and MOVBE; x86-64-v4 adds
// AVX512F, AVX512BW, AVX512CD, AVX512DQ and AVX512VL. Each is "usable" in
// glibc's terms (present and enabled by the kernel, not masked by
// GLIBC_TUNABLES=glibc.cpu.hwcaps), which <sys/platform/x86.h> (glibc 2.33)
// reports as CPU_FEATURE_ACTIVE, FPU being only CPU_FEATURE_PRESENT there
// as in ld.so. Other architectures: none (glibc 2.36 names none).
#include "hybrid_hwcaps.h"

#if defined(__x86_64__) && __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define STATICDL_X86_LEVELS 1
#endif

namespace staticdl {

namespace {

#ifdef STATICDL_X86_LEVELS
// GNU_PROPERTY_X86_ISA_1_{BASELINE,V2,V3,V4} bits.
uint32_t isa_levels() {
  uint32_t isa = 0;
  if (!(CPU_FEATURE_ACTIVE(CMOV) && CPU_FEATURE_ACTIVE(CX8) && CPU_FEATURE_PRESENT(FPU) &&
        CPU_FEATURE_ACTIVE(FXSR) && CPU_FEATURE_ACTIVE(MMX) && CPU_FEATURE_ACTIVE(SSE) && CPU_FEATURE_ACTIVE(SSE2)))
    return isa;
  isa |= 1;
  if (!(CPU_FEATURE_ACTIVE(CMPXCHG16B) && CPU_FEATURE_ACTIVE(LAHF64_SAHF64) && CPU_FEATURE_ACTIVE(POPCNT) &&
        CPU_FEATURE_ACTIVE(SSE3) && CPU_FEATURE_ACTIVE(SSSE3) && CPU_FEATURE_ACTIVE(SSE4_1) &&
        CPU_FEATURE_ACTIVE(SSE4_2)))
    return isa;
  isa |= 2;
  if (!(CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(F16C) && CPU_FEATURE_ACTIVE(FMA) &&
        CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE)))
    return isa;
  isa |= 4;
  if (CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW) && CPU_FEATURE_ACTIVE(AVX512CD) &&
      CPU_FEATURE_ACTIVE(AVX512DQ) && CPU_FEATURE_ACTIVE(AVX512VL))
    isa |= 8;
  return isa;
}
#endif

}  // namespace

const Hwcaps* sys_hwcaps() {
  static const char* subdirs[4] = {};
  static Hwcaps hw;
  static bool done = false;  // under the loader lock
  if (done) return &hw;
  done = true;
#ifdef STATICDL_X86_LEVELS
  hw.isa_1 = isa_levels();
  size_t n = 0;
  if (hw.isa_1 & 8) subdirs[n++] = "x86-64-v4";
  if (hw.isa_1 & 4) subdirs[n++] = "x86-64-v3";
  if (hw.isa_1 & 2) subdirs[n++] = "x86-64-v2";
#endif
  hw.subdirs = subdirs;
  return &hw;
}

}  // namespace staticdl
