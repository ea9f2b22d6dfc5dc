/* valgrind_malloc.c: lets memcheck see the heap of a static musl host.
 *
 * valgrind replaces malloc and friends by preloading a shared object, which
 * a static executable never loads: under valgrind a plain static host
 * reports "0 allocs, 0 frees" and leak checking sees nothing (and zig cc
 * rejects -Wl,--wrap). So a host linked with this file gets its own
 * malloc, calloc, realloc, free, aligned_alloc, posix_memalign, memalign
 * and malloc_usable_size, which the static link then uses everywhere:
 * in the host, in staticdl, in musl's own functions (fopen...), and in
 * plugins (through the host's .dynsym). They allocate from musl's
 * allocator through its internal entry points (__libc_malloc_impl and
 * __libc_free: hidden, but linkable inside one static executable) and
 * describe each block to memcheck with client requests
 * (VALGRIND_MALLOCLIKE_BLOCK / VALGRIND_FREELIKE_BLOCK), so that leaks,
 * double or invalid frees and accesses to freed blocks are reported.
 *
 * Each block is preceded by a 16-byte header {size, musl pointer}, outside
 * the block memcheck knows; alignment is done here, so musl's
 * aligned_alloc (which calls its allocator directly) is never linked.
 * Allocations musl makes through __libc_malloc for itself stay invisible.
 *
 * Freed blocks stay inaccessible to memcheck, but musl's allocator keeps
 * its in-band slot headers inside memory that earlier blocks occupied, so
 * its own reads and writes there would be reported ("Invalid write ... in
 * __libc_free"). Error reporting is therefore turned off (per thread)
 * during the calls into musl's allocator, and a header is made
 * addressable before it is written (rather than suppressions by function
 * name, which would hide errors of the program's own as well).
 * Without valgrind the client requests are no-ops.
 *
 * With -DSDL_MALLOC_COUNT_ONLY there is no valgrind at all (no header
 * needed): the same allocator only counts live bytes, for
 * sdl_heap_live_bytes(). Cross builds link it into the tls_reopen host,
 * whose VmData under qemu-user is the emulator's (tests/CMakeLists.txt). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef SDL_MALLOC_COUNT_ONLY
#define VALGRIND_DISABLE_ERROR_REPORTING
#define VALGRIND_ENABLE_ERROR_REPORTING
#define VALGRIND_MAKE_MEM_UNDEFINED(p, n) ((void)(p), (void)(n))
#define VALGRIND_MALLOCLIKE_BLOCK(p, n, rz, z) ((void)(p), (void)(n), (void)(rz), (void)(z))
#define VALGRIND_FREELIKE_BLOCK(p, rz) ((void)(p), (void)(rz))
#else
#include <valgrind/memcheck.h>
#endif

/* Bytes handed out and not yet freed (the program's blocks, not musl's
 * overhead). */
static size_t live_bytes;
size_t sdl_heap_live_bytes(void);
size_t sdl_heap_live_bytes(void) { return __atomic_load_n(&live_bytes, __ATOMIC_RELAXED); }

void *__libc_malloc_impl(size_t n);
void __libc_free(void *p);

struct hdr {
  size_t size;
  void *base;
};

static void *vg_alloc(size_t align, size_t n, int zeroed) {
  uintptr_t base, user;
  if (align < 16) align = 16;
  if (n > SIZE_MAX - align - sizeof(struct hdr)) {
    errno = ENOMEM;
    return NULL;
  }
  VALGRIND_DISABLE_ERROR_REPORTING;
  base = (uintptr_t)__libc_malloc_impl(n + align + sizeof(struct hdr));
  VALGRIND_ENABLE_ERROR_REPORTING;
  if (!base) return NULL;
  user = (base + sizeof(struct hdr) + align - 1) & ~(uintptr_t)(align - 1);
  VALGRIND_MAKE_MEM_UNDEFINED(user - sizeof(struct hdr), sizeof(struct hdr));
  ((struct hdr *)user)[-1].size = n;
  ((struct hdr *)user)[-1].base = (void *)base;
  __atomic_add_fetch(&live_bytes, n, __ATOMIC_RELAXED);
  VALGRIND_MALLOCLIKE_BLOCK((void *)user, n, 0, zeroed);
  if (zeroed) memset((void *)user, 0, n);
  return (void *)user;
}

void *malloc(size_t n) { return vg_alloc(16, n, 0); }

void *calloc(size_t n, size_t m) {
  if (m && n > SIZE_MAX / m) {
    errno = ENOMEM;
    return NULL;
  }
  return vg_alloc(16, n * m, 1);
}

void free(void *p) {
  void *base;
  if (!p) return;
  base = ((struct hdr *)p)[-1].base;
  __atomic_sub_fetch(&live_bytes, ((struct hdr *)p)[-1].size, __ATOMIC_RELAXED);
  VALGRIND_FREELIKE_BLOCK(p, 0);
  VALGRIND_DISABLE_ERROR_REPORTING;
  __libc_free(base);
  VALGRIND_ENABLE_ERROR_REPORTING;
}

size_t malloc_usable_size(void *p) { return p ? ((struct hdr *)p)[-1].size : 0; }

void *realloc(void *p, size_t n) {
  void *q;
  size_t old;
  if (!p) return malloc(n);
  old = ((struct hdr *)p)[-1].size;
  q = malloc(n);
  if (!q) return NULL;
  memcpy(q, p, old < n ? old : n);
  free(p);
  return q;
}

void *aligned_alloc(size_t align, size_t n) {
  if (align == 0 || (align & (align - 1)) || align > (1u << 20)) {
    errno = EINVAL;
    return NULL;
  }
  return vg_alloc(align, n, 0);
}

void *memalign(size_t align, size_t n) { return aligned_alloc(align, n); }

int posix_memalign(void **out, size_t align, size_t n) {
  void *p;
  if (align < sizeof(void *)) return EINVAL;
  p = aligned_alloc(align, n);
  if (!p) return errno;
  *out = p;
  return 0;
}
