/* Names that no path search finds come from ld.so.cache, as ld.so looks
 * them up: a dlopen() by soname, and a DT_NEEDED entry of an object without
 * RUNPATH. glibc reads only /etc/ld.so.cache, so this test writes a cache in
 * ldconfig's format ("glibc-ld.so.cache1.1") naming <fixtures>/cached/
 * libhy_cached.so.1 and points staticdl at it (a test hook): no oracle.
 * argv[1]: the fixture directory. */
#include "common.h"

#include <staticdl/testing.h>
#include <stdint.h>

#if defined(__x86_64__)
#define CACHE_FLAGS 0x0303 /* FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
#elif defined(__aarch64__)
#define CACHE_FLAGS 0x0a03 /* FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64 */
#endif

/* One entry: key -> value. */
static int write_cache(const char* file, const char* key, const char* value) {
  unsigned char b[4096] = {0};
  size_t strings = 48 + 24, klen = strlen(key) + 1, vlen = strlen(value) + 1;
  if (strings + klen + vlen > sizeof b) return -1;
  memcpy(b, "glibc-ld.so.cache1.1", 20);
  uint32_t nlibs = 1, len = (uint32_t)(klen + vlen), koff = (uint32_t)strings, voff = (uint32_t)(strings + klen);
  int32_t flags = CACHE_FLAGS;
  memcpy(b + 20, &nlibs, 4), memcpy(b + 24, &len, 4), b[28] = 2; /* little endian */
  memcpy(b + 48, &flags, 4), memcpy(b + 52, &koff, 4), memcpy(b + 56, &voff, 4);
  memcpy(b + strings, key, klen), memcpy(b + strings + klen, value, vlen);
  FILE* f = fopen(file, "wb");
  if (!f) return -1;
  size_t n = strings + klen + vlen;
  int ok = fwrite(b, 1, n, f) == n;
  return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  static char cache[4096], lib[4096];
  snprintf(cache, sizeof cache, "%s/test.ld.so.cache", argv[1]);
  snprintf(lib, sizeof lib, "%s/cached/libhy_cached.so.1", argv[1]);
  void* h = DL_OPEN("libhy_cached.so.1", RTLD_NOW);
  printf("before: %s\n", h ? "found" : "not found");
  if (write_cache(cache, "libhy_cached.so.1", lib) != 0) return 1;
  staticdl_test_set_ld_cache(cache);
  h = DL_OPEN("libhy_cached.so.1", RTLD_NOW);
  printf("dlopen by soname: %d\n", h ? ((int (*)(void))DL_SYM(h, "hy_cached_value"))() : -1);
  void* u = open_or_die(argv[1], "libhy_cached_user.so", RTLD_NOW);
  printf("through DT_NEEDED: %d\n", ((int (*)(void))DL_SYM(u, "hy_cached_user_value"))());
  DL_CLOSE(u);
  if (h) DL_CLOSE(h);
  staticdl_test_set_ld_cache(NULL);
  remove(cache);
  return 0;
}
