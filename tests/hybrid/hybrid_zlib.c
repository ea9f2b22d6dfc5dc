/* The system's libz.so.1 loaded by staticdl into a host that does not link
 * it: compress2 + uncompress round trip of generated data, crc32, and
 * zlibVersion(). */
#include "common.h"

enum { N = 6000 };

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  void* h = open_or_die(NULL, "libz.so.1", RTLD_NOW);
#ifdef STATICDL_HYBRID_TEST
  if (system_has("libz.so.1")) {
    printf("FAIL: the system loader has libz.so.1\n");
    return 1;
  }
#endif
  const char* (*version)(void);
  unsigned long (*bound)(unsigned long);
  int (*compress2)(unsigned char*, unsigned long*, const unsigned char*, unsigned long, int);
  int (*uncompress)(unsigned char*, unsigned long*, const unsigned char*, unsigned long);
  unsigned long (*crc32)(unsigned long, const unsigned char*, unsigned);
  *(void**)&version = sym_or_die(h, "zlibVersion");
  *(void**)&bound = sym_or_die(h, "compressBound");
  *(void**)&compress2 = sym_or_die(h, "compress2");
  *(void**)&uncompress = sym_or_die(h, "uncompress");
  *(void**)&crc32 = sym_or_die(h, "crc32");

  /* Compressible but not trivial: words picked by a fixed LCG. */
  static const char* words[] = {"alpha ", "beta ", "gamma ", "delta ", "epsilon\n", "zeta "};
  unsigned char* in = malloc(N);
  unsigned seed = 12345;
  size_t n = 0;
  while (n < N) {
    seed = seed * 1103515245u + 12345u;
    const char* w = words[(seed >> 16) % 6];
    for (; *w && n < N; w++) in[n++] = (unsigned char)*w;
  }
  unsigned long cap = bound(N);
  unsigned char* packed = malloc(cap);
  unsigned long packed_len = cap;
  int rc = compress2(packed, &packed_len, in, N, 9);
  printf("zlibVersion: %s\n", version());
  printf("compress2: rc %d, %d -> %lu bytes (bound %lu)\n", rc, N, packed_len, cap);

  unsigned char* out = malloc(N);
  unsigned long out_len = N;
  rc = uncompress(out, &out_len, packed, packed_len);
  printf("uncompress: rc %d, %lu bytes, %s\n", rc, out_len,
         out_len == N && memcmp(in, out, N) == 0 ? "identical" : "DIFFERENT");
  printf("crc32: in %08lx out %08lx\n", crc32(0, in, N), crc32(0, out, (unsigned)out_len));
  /* A corrupt stream is reported, not crashed on: Z_DATA_ERROR (-3). */
  packed[packed_len / 2] ^= 0x55;
  packed[packed_len / 2 + 1] ^= 0xaa;
  out_len = N;
  printf("corrupt stream: rc %d\n", uncompress(out, &out_len, packed, packed_len));
  free(in);
  free(packed);
  free(out);
  printf("dlclose: %d\n", DL_CLOSE(h));
  return 0;
}
