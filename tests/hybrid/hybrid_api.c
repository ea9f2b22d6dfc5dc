/* staticdl-only API in hybrid mode (no oracle: glibc has no
 * staticdl_foreach_symbol): every symbol the handle defines, each one equal
 * to what dlsym returns; dladdr1 with RTLD_DL_SYMENT and RTLD_DL_LINKMAP for
 * a staticdl module, and for a glibc object (answered by glibc's dladdr1). */
#include "common.h"
#include <elf.h>
#include <link.h>

int host_callback(int x) { return x * 2; } /* libhy_basic.so calls it */

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

struct seen {
  void* handle;
  char* names[64];
  int n, mismatches;
};

static int collect(const char* name, void* addr, void* data) {
  struct seen* s = data;
  if (strncmp(name, "hy_", 3) != 0) return 0;
  if (staticdl_dlsym(s->handle, name) != addr) s->mismatches++;
  if (s->n < 64) s->names[s->n++] = strdup(name);
  return 0;
}

static int stop_at_second(const char* name, void* addr, void* data) {
  (void)name, (void)addr;
  return ++*(int*)data == 2 ? 7 : 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = open_or_die(argv[1], "libhy_basic.so", RTLD_NOW);
  struct seen s = {h, {0}, 0, 0};
  printf("foreach_symbol: %d\n", staticdl_foreach_symbol(h, collect, &s));
  qsort(s.names, (size_t)s.n, sizeof *s.names, by_name);
  for (int i = 0; i < s.n; i++) printf("  %s\n", s.names[i]), free(s.names[i]);
  printf("addresses equal to dlsym's: %s\n", s.mismatches ? "no" : "yes");
  int count = 0;
  printf("a callback's non-zero return: %d\n", staticdl_foreach_symbol(h, stop_at_second, &count));
  int rc = staticdl_foreach_symbol((void*)&s, collect, &s);
  printf("invalid handle: %d (%s)\n", rc, staticdl_dlerror());

  void* f = sym_or_die(h, "hy_sorted");
  Dl_info info;
  const ElfW(Sym)* sym = NULL;
  struct link_map* lm = NULL;
  int ok = staticdl_dladdr1((char*)f + 1, &info, (void**)&sym, RTLD_DL_SYMENT);
  printf("dladdr1 SYMENT: %d %s %s size>1 %s\n", ok, base_name(info.dli_fname), info.dli_sname,
         sym && sym->st_size > 1 && ELF64_ST_TYPE(sym->st_info) == STT_FUNC ? "yes" : "no");
  ok = staticdl_dladdr1(f, &info, (void**)&lm, RTLD_DL_LINKMAP);
  printf("dladdr1 LINKMAP: %d %s\n", ok, lm ? base_name(lm->l_name) : "(null)");
  ok = staticdl_dladdr1((void*)&qsort, &info, (void**)&lm, RTLD_DL_LINKMAP);
  printf("dladdr1 of qsort (glibc's object): %d %s %s\n", ok, base_name(info.dli_fname), lm ? base_name(lm->l_name) : "(null)");
  staticdl_dlclose(h);
  return 0;
}
