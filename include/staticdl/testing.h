/* Test-only hooks of staticdl. Not for production use: they exist so that
 * tests can prove what cannot be seen from outside (every failure path is
 * clean, files are opened O_CLOEXEC, TLS memory is returned).
 */
#ifndef STATICDL_TESTING_H
#define STATICDL_TESTING_H

#ifdef __cplusplus
extern "C" {
#endif

enum staticdl_fault_site {
  STATICDL_FAULT_MALLOC = 0,
  STATICDL_FAULT_MMAP = 1,
  STATICDL_FAULT_MPROTECT = 2,
  STATICDL_FAULT_OPEN = 3,
  STATICDL_FAULT_READ = 4,
};

/* Called before each allocation, mapping, protection change, open and
 * read the loader makes; a non-zero return makes that call fail (ENOMEM,
 * EMFILE or EIO). NULL removes the hook. */
typedef int (*staticdl_fault_hook)(enum staticdl_fault_site site);
void staticdl_test_set_fault_hook(staticdl_fault_hook hook);

/* Bytes currently held by the loader for TLS blocks of all threads and TLS
 * descriptors. */
unsigned long long staticdl_test_tls_bytes(void);

/* Static TLS reserve: total usable bytes and bytes in use. */
void staticdl_test_tls_reserve(unsigned long long *size, unsigned long long *used);

/* Hybrid mode: read this file instead of /etc/ld.so.cache (NULL: the
 * default again). The string must stay valid. */
void staticdl_test_set_ld_cache(const char *path);

#ifdef __cplusplus
}
#endif
#endif
