/* glibc-hwcaps subdirectories (loader/hwcaps.h). libhy_hwsel.so exists as a
 * baseline build in <fixtures>/hwcaps and as x86-64-v2 and x86-64-v4 builds
 * in its glibc-hwcaps/ subdirectories (no x86-64-v3). Found through
 * LD_LIBRARY_PATH (set by the test to <fixtures>/hwcaps), through the
 * RUNPATH $ORIGIN/hwcaps of libhy_hwuser.so, and (argv[2], staticdl only)
 * through an ld.so.cache that ldconfig wrote for that directory, the build
 * loaded is the one ld.so prefers: the most capable level the CPU supports
 * that has a build, else the baseline. The level is computed from glibc's
 * view of the CPU (<sys/platform/x86.h>, which GLIBC_TUNABLES can mask), so
 * the output is the same on every CPU; the oracle run shows that ld.so
 * itself chooses by it. argv[1]: the fixture directory. */
#include "common.h"

#ifdef STATICDL_HYBRID_TEST
#include <staticdl/testing.h>
#endif
#if defined(__x86_64__)
#include <sys/platform/x86.h>
#endif

/* "x86-64-v4", "x86-64-v2" or "baseline": glibc 2.36's ISA levels
 * (sysdeps/x86/get-isa-level.h), of which the fixture has v4 and v2. */
static const char* expected_build(void) {
#if defined(__x86_64__)
  int v2 = CPU_FEATURE_ACTIVE(CMPXCHG16B) && CPU_FEATURE_ACTIVE(LAHF64_SAHF64) && CPU_FEATURE_ACTIVE(POPCNT) &&
           CPU_FEATURE_ACTIVE(SSE3) && CPU_FEATURE_ACTIVE(SSSE3) && CPU_FEATURE_ACTIVE(SSE4_1) &&
           CPU_FEATURE_ACTIVE(SSE4_2);
  int v3 = v2 && CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(F16C) &&
           CPU_FEATURE_ACTIVE(FMA) && CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE);
  int v4 = v3 && CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW) && CPU_FEATURE_ACTIVE(AVX512CD) &&
           CPU_FEATURE_ACTIVE(AVX512DQ) && CPU_FEATURE_ACTIVE(AVX512VL);
  return v4 ? "x86-64-v4" : v2 ? "x86-64-v2" : "baseline";
#else
  return "baseline";
#endif
}

static void report(const char* how, void* h, const char* fn) {
  if (!h) {
    printf("%s: %s\n", how, DL_ERROR());
    return;
  }
  const char* got = ((const char* (*)(void))sym_or_die(h, fn))();
  if (!strcmp(got, expected_build()))
    printf("%s: the build for this CPU\n", how);
  else
    printf("%s: %s, not %s\n", how, got, expected_build());
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = DL_OPEN("libhy_hwsel.so", RTLD_NOW);
  report("LD_LIBRARY_PATH", h, "hy_hwsel_level");
  void* u = open_or_die(argv[1], "libhy_hwuser.so", RTLD_NOW);
  report("RUNPATH", u, "hy_hwuser_level");
  DL_CLOSE(u);
  if (h) DL_CLOSE(h);
#ifdef STATICDL_HYBRID_TEST
  if (argc > 2) { /* the ld.so.cache ldconfig wrote; LD_LIBRARY_PATH unset */
    staticdl_test_set_ld_cache(argv[2]);
    void* c = DL_OPEN("libhy_hwsel.so", RTLD_NOW);
    report("ld.so.cache", c, "hy_hwsel_level");
    if (c) DL_CLOSE(c);
    staticdl_test_set_ld_cache(NULL);
  }
#endif
  return 0;
}
