/* Library search paths against glibc's (LD_LIBRARY_PATH is set by CTest to
 * <fixtures>:<fixtures>/:/nonexistent/b for both programs; <fixtures> is
 * argv[1], printed as "<fixtures>"):
 *   - dlinfo(RTLD_DI_SERINFO) of a library with neither DT_RPATH nor
 *     DT_RUNPATH lists LD_LIBRARY_PATH's directories once each, then ld.so's
 *     default directories: this machine's glibc build decides them, and
 *     staticdl asks ld.so at startup;
 *   - a library linked -z nodefaultlib does not find libz.so.1 there, nor
 *     through ld.so.cache entries in those directories;
 *   - "$LIB" in a dlopen path is glibc's library directory (its build's
 *     slibdir without the leading '/': Debian's lib/<multiarch>). */
#include "common.h"

static const char* fixtures;

static void show_serinfo(void* h) {
  Dl_serinfo size;
  if (DL_INFO(h, RTLD_DI_SERINFOSIZE, &size) != 0) {
    printf("RTLD_DI_SERINFOSIZE: %s\n", DL_ERROR());
    return;
  }
  Dl_serinfo* si = (Dl_serinfo*)malloc(size.dls_size);
  si->dls_size = size.dls_size;
  si->dls_cnt = size.dls_cnt;
  if (DL_INFO(h, RTLD_DI_SERINFO, si) != 0) {
    printf("RTLD_DI_SERINFO: %s\n", DL_ERROR());
    free(si);
    return;
  }
  printf("search path of libhy_lazy_late.so, %u directories:\n", si->dls_cnt);
  for (unsigned i = 0; i < si->dls_cnt; i++) {
    const char* d = si->dls_serpath[i].dls_name;
    printf("  %s\n", strcmp(d, fixtures) ? d : "<fixtures>");
  }
  free(si);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  fixtures = argv[1];
  show_serinfo(open_or_die(argv[1], "libhy_lazy_late.so", RTLD_NOW));
  char path[4096];
  snprintf(path, sizeof path, "%s/libhy_nodeflib.so", argv[1]);
  void* h = DL_OPEN(path, RTLD_NOW);
  printf("libhy_nodeflib.so: %s\n", h ? "loaded" : DL_ERROR());
  snprintf(path, sizeof path, "%s/dst/$LIB/libhy_dst.so", argv[1]);
  h = DL_OPEN(path, RTLD_NOW);
  const char* (*dir)(void) = h ? (const char* (*)(void))DL_SYM(h, "hy_dst_dir") : NULL;
  printf("$LIB: %s\n", dir ? dir() : DL_ERROR());
  return 0;
}
