/* staticdl: dlopen for statically linked programs.
 *
 * Link libstaticdl.a into a static host and the ordinary <dlfcn.h> calls
 * (dlopen, dlsym, dlclose, dlerror, dladdr, dladdr1, dlinfo,
 * dl_iterate_phdr, dlvsym, dlmopen) load real ELF shared objects, resolved
 * against the host's own symbols. This header adds what <dlfcn.h> lacks: opening from an fd or a
 * memory buffer, adding host symbols explicitly, and search directories.
 * Every function is safe to call from several threads at once.
 */
#ifndef STATICDL_STATICDL_H
#define STATICDL_STATICDL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* glibc's <dlfcn.h> has Dl_info, RTLD_DEFAULT and RTLD_NEXT only under
 * _GNU_SOURCE, which this header cannot turn on when <dlfcn.h> came first:
 * then it gives them itself, with glibc's layout and values. */
#if defined(__GLIBC__) && !defined(__USE_GNU)
typedef struct {
  const char *dli_fname;
  void *dli_fbase;
  const char *dli_sname;
  void *dli_saddr;
} Dl_info;
#endif
#ifndef RTLD_DEFAULT
#define RTLD_DEFAULT ((void *)0)
#endif
#ifndef RTLD_NEXT
#define RTLD_NEXT ((void *)-1l)
#endif
struct dl_phdr_info;

/* glibc's dlopen flag (musl's <dlfcn.h> has none). */
#ifndef RTLD_DEEPBIND
#define RTLD_DEEPBIND 0x00008
#endif

#ifndef RTLD_DI_LINKMAP
#define RTLD_DI_LINKMAP 2
#endif
#ifndef RTLD_DI_ORIGIN
#define RTLD_DI_ORIGIN 6
#endif
/* glibc's other dlinfo requests staticdl answers (musl's <dlfcn.h> has
 * only the two above). RTLD_DI_PHDR (glibc 2.36) returns the count. */
#ifndef RTLD_DI_LMID
#define RTLD_DI_LMID 1
#endif
#ifndef RTLD_DI_TLS_MODID
#define RTLD_DI_TLS_MODID 9
#endif
#ifndef RTLD_DI_TLS_DATA
#define RTLD_DI_TLS_DATA 10
#endif
#ifndef RTLD_DI_PHDR
#define RTLD_DI_PHDR 11
#endif
/* RTLD_DI_SERINFOSIZE fills dls_size and dls_cnt; RTLD_DI_SERINFO then
 * fills a buffer of dls_size bytes (dls_size and dls_cnt set as returned)
 * with the directories a dlopen from the object would search, in order. */
#ifndef RTLD_DI_SERINFO
#define RTLD_DI_SERINFO 4
#define RTLD_DI_SERINFOSIZE 5
#endif
#if !defined(__GLIBC__)
typedef struct {
  char *dls_name;
  unsigned int dls_flags; /* 0, as in glibc */
} Dl_serpath;
typedef struct {
  size_t dls_size;
  unsigned int dls_cnt;
  Dl_serpath dls_serpath[1];
} Dl_serinfo;
#endif

/* glibc declares these in <dlfcn.h>; musl does not. */
void *dlvsym(void *handle, const char *symbol, const char *version);
int dlinfo(void *handle, int request, void *info);
int dladdr1(const void *addr, Dl_info *info, void **extra, int flags);

/* dlmopen's namespaces (README, "Namespaces"); glibc's <dlfcn.h> has them
 * under _GNU_SOURCE. */
#ifndef LM_ID_BASE
#define LM_ID_BASE 0
#define LM_ID_NEWLM (-1)
#endif
#if !defined(__GLIBC__)
typedef long Lmid_t;
void *dlmopen(Lmid_t lmid, const char *path, int flags);
#endif

#ifndef RTLD_DL_SYMENT
#define RTLD_DL_SYMENT 1
#endif
#ifndef RTLD_DL_LINKMAP
#define RTLD_DL_LINKMAP 2
#endif

#define STATICDL_VERSION "0.1.0"

/* The dlfcn set under staticdl's own names. In a static host the plain
 * names (dlopen, ...) are these same functions. In a dynamically linked
 * glibc host (hybrid mode, libstaticdl_hybrid.a) the plain names stay
 * glibc's, and these reach staticdl; the modules staticdl loads get these
 * whenever they call the plain names. */
void *staticdl_dlopen(const char *path, int flags);
/* dlmopen: lmid is LM_ID_BASE, LM_ID_NEWLM or a namespace from
 * dlinfo(RTLD_DI_LMID) with something loaded in it. */
void *staticdl_dlmopen(long lmid, const char *path, int flags);
void *staticdl_dlsym(void *handle, const char *symbol);
void *staticdl_dlvsym(void *handle, const char *symbol, const char *version);
int staticdl_dlclose(void *handle);
char *staticdl_dlerror(void);
int staticdl_dladdr(const void *addr, Dl_info *info);
/* dladdr1: flags RTLD_DL_SYMENT (*extra = the ElfW(Sym)*) or
 * RTLD_DL_LINKMAP (*extra = the struct link_map*). */
int staticdl_dladdr1(const void *addr, Dl_info *info, void **extra, int flags);
int staticdl_dlinfo(void *handle, int request, void *info);
int staticdl_dl_iterate_phdr(int (*callback)(struct dl_phdr_info *, size_t, void *), void *data);
struct dl_find_object;
int staticdl_dl_find_object(void *pc, struct dl_find_object *result);

/* Calls fn(name, address, data) for each symbol a loaded object defines
 * (its .dynsym, in table order; the address dlsym would return, except that
 * TLS symbols give their offset in the module's TLS block) until fn returns
 * non-zero, which is then returned.
 * Returns -1 (and sets dlerror()) for an invalid handle. */
int staticdl_foreach_symbol(void *handle, int (*fn)(const char *name, void *addr, void *data), void *data);

/* Same as dlopen(path, flags). */
void *staticdl_open(const char *path, int flags);

/* Loads from an open file descriptor (not closed; read from offset 0).
 * `name` is used for dlerror()/dladdr and for $ORIGIN (NULL: "fd:<n>"). */
void *staticdl_open_fd(int fd, const char *name, int flags);

/* Loads from a complete ELF image in memory (copied; the buffer may be
 * freed after the call). `name` as for staticdl_open_fd (NULL: "memory"). */
void *staticdl_open_memory(const void *data, size_t size, const char *name, int flags);

/* Makes `name` resolve to `addr` for every plugin loaded afterwards, in
 * preference to the host's own definition. Returns 0, or -1 on no memory. */
int staticdl_add_symbol(const char *name, void *addr);

struct staticdl_symbol {
  const char *name;
  void *addr;
};
/* Adds `count` symbols; returns 0 or -1. */
int staticdl_add_symbols(const struct staticdl_symbol *symbols, size_t count);

/* Appends a directory to the configured search path (searched after
 * DT_RUNPATH, like ld.so's system directories). Returns 0 or -1. */
int staticdl_add_search_dir(const char *dir);

/* The relocation cache (README, "Relocation cache"): relocated writable
 * pages kept in `dir` and mapped again by later processes, at the address
 * of the first load. Overrides STATICDL_RELOC_CACHE (which is ignored
 * under AT_SECURE; this call is the program's own choice and is not);
 * NULL turns the cache off. The directory must belong to the effective
 * user and not be writable by group or others, or it is not used.
 * Returns 0, or -1 when out of memory. */
int staticdl_set_reloc_cache(const char *dir);

/* Plugins embedded in the host (cmake/StaticdlEmbed.cmake generates the
 * table; images may be zstd-compressed). */
struct staticdl_embedded {
  const char *name;           /* e.g. "libgreeter.so" */
  const unsigned char *data;  /* the image (.so or .so.zst) */
  unsigned long size;
};
/* Loads the embedded plugin `name` (its bare DT_NEEDED names are looked
 * up among the embedded plugins too). NULL and dlerror() if absent. */
void *staticdl_open_embedded(const char *name, int flags);
/* The embedded plugins' names, NULL-terminated; *count receives their
 * number. NULL when the host embeds none. */
const char *const *staticdl_list_embedded(size_t *count);

/* "0.1.0" */
const char *staticdl_version(void);

#ifdef __cplusplus
}
#endif
#endif
